//! The Rust client emitter on small fixture specs: each crate's source is an
//! insta snapshot, and every fixture crate must build, lint and document
//! cleanly (the management spec's crate is the workspace member golden/rust).

#[path = "../common/samples.rs"]
mod samples;

use crate::common;

use std::fs;
use std::process::Command;

use tiergen::emit::{Files, Target, emit};
use tiergen::frontend::{OverlayChoice, load};

/// Each fixture shows one family of awkward inputs.
const FIXTURES: [&str; 9] = [
    // Direct and mutual recursion (boxed), recursion through lists and maps (not boxed).
    "rust/recursive.yaml",
    // Absent vs null, consts, key enums, oneOf, allOf, open objects, ranges, basic and query credentials.
    "rust/shapes.yaml",
    // Keywords, leading digits, empty names and names that collide after case conversion.
    "rust/names.yaml",
    // A plain 3.0 spec.
    "petstore-3.0.yaml",
    // Nullable, list, date-time, cookie and header parameters; an inline guarded body;
    // `{}` and repeated alternatives; credentials named like generated items; two server variables.
    "rust/params.yaml",
    // Every body encoding and credential placement, called on 127.0.0.1 by tests/fixture_wire.
    "rust/wire.yaml",
    // Services, operations and credentials named like what the client generates around them.
    "rust/crowd.yaml",
    // Every row of OpenAPI 3.1.1's Style Examples table, and readOnly/writeOnly both ways:
    // called on 127.0.0.1 by `styles_example`.
    "styles/styles.yaml",
    // Descriptions in CommonMark: headings, tables, lists, code blocks, links, HTML, brackets.
    "rust/markdown.yaml",
];

/// The styles fixture: each of its cases (tests/fixtures/styles/cases.json)
/// is one operation, the value it is called with and the bytes OpenAPI's
/// table says go on the wire.
const STYLES: &str = "styles/styles.yaml";

fn style_cases() -> Vec<serde_json::Value> {
    let text = fs::read_to_string(common::repo_root().join("tests/fixtures/styles/cases.json"))
        .unwrap_or_else(|e| panic!("{e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"))
}

/// `examples/styles.rs` of the styles crate: call `N` calls case `N`'s
/// operation with its value; the last index creates a user (readOnly and
/// writeOnly properties) and decodes the server's answer.
fn styles_example(cases: &[serde_json::Value]) -> String {
    let mut out = String::from(
        "use styles_client::{ApiClient, models};\n\n#[tokio::main(flavor = \"current_thread\")]\nasync fn main() {\n    let args: Vec<String> = std::env::args().collect();\n    let index: usize = args[1].parse().unwrap_or(usize::MAX);\n    let client = ApiClient::with_base_url(args[2].clone());\n    match index {\n",
    );
    for (n, case) in cases.iter().enumerate() {
        let argument = match case["type"].as_str().unwrap_or_default() {
            "array" => {
                "&[\"blue\".to_string(), \"black\".to_string(), \"brown\".to_string()]".to_string()
            }
            "object" => "&models::Color { r: 100, g: 200, b: 150 }".to_string(),
            _ => format!("{:?}", case["value"].as_str().unwrap_or_default()),
        };
        let method = case["operation"].as_str().unwrap_or_default();
        // The fake API answers 200, which these operations do not document:
        // only the request matters here.
        out.push_str(&format!(
            "        {n} => {{ let _ = client.{method}({argument}).await; }}\n"
        ));
    }
    out.push_str(&format!(
        "        {} => {{\n            let user = models::User {{ id: None, email: \"a@example.com\".into(), password: Some(\"hunter2\".into()) }};\n            let created = client.create_user(&user).await.expect(\"a correct answer without the writeOnly password decodes\");\n            assert_eq!(created.id.as_deref(), Some(\"u1\"));\n            assert_eq!(created.password, None);\n        }}\n",
        cases.len()
    ));
    out.push_str("        _ => panic!(\"no case {index}\"),\n    }\n}\n");
    out
}

/// Runs the styles example: every case sends exactly the table's bytes; the
/// user is created without its readOnly `id` and its answer decodes.
fn run_styles(example: &std::path::Path) {
    let cases = style_cases();
    let fake = common::serve::FakeApi::start();
    for (n, case) in cases.iter().enumerate() {
        let operation = case["operation"].as_str().unwrap_or_default();
        let output = Command::new(example)
            .arg(n.to_string())
            .arg(&fake.url)
            .output()
            .unwrap_or_else(|e| panic!("{operation}: {e}"));
        assert!(output.status.success(), "{operation}: {output:?}");
        let mut taken = fake.taken();
        assert_eq!(taken.len(), 1, "{operation}");
        let received = taken.remove(0);
        let expected = case["expected"].as_str().unwrap_or_default();
        let path = format!("/{}", operation.replace('_', "-"));
        let header = |name: &str| {
            received
                .headers
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        match case["in"].as_str().unwrap_or_default() {
            "path" => assert_eq!(received.path, format!("{path}/{expected}"), "{operation}"),
            "query" => assert_eq!(received.path, format!("{path}?{expected}"), "{operation}"),
            "header" => assert_eq!(header("color").as_deref(), Some(expected), "{operation}"),
            "cookie" => assert_eq!(header("cookie").as_deref(), Some(expected), "{operation}"),
            other => panic!("{operation}: unknown location {other}"),
        }
    }
    let fake =
        common::serve::FakeApi::answering("201 Created", r#"{"id":"u1","email":"a@example.com"}"#);
    let output = Command::new(example)
        .arg(cases.len().to_string())
        .arg(&fake.url)
        .output()
        .unwrap_or_else(|e| panic!("create_user: {e}"));
    assert!(output.status.success(), "create_user: {output:?}");
    let sent: serde_json::Value = serde_json::from_slice(&fake.taken()[0].body)
        .unwrap_or_else(|e| panic!("create_user body: {e}"));
    assert_eq!(
        sent,
        serde_json::json!({"email": "a@example.com", "password": "hunter2"}),
        "the readOnly id is not sent"
    );
}

/// The fixtures above, then every spec in tests/fixtures/breadth/ (bodies,
/// names, no security, polymorphism, refs, every security kind, hostile
/// text, lenient readings, webhooks only…): a new breadth fixture's crate
/// is snapshotted and built without being listed.
fn fixtures() -> Vec<String> {
    let breadth = common::breadth_fixtures()
        .into_iter()
        .map(|name| format!("breadth/{name}.yaml"));
    FIXTURES
        .iter()
        .map(|f| f.to_string())
        .chain(breadth)
        .collect()
}

/// The crate tests/fixture_wire/wire.rs is the library of: it calls the
/// `rust/wire.yaml` client against a server on 127.0.0.1.
const WIRE_CHECKS: &str = r#"[package]
name = "fixture-wire-checks"
version = "0.0.0"
edition = "2024"
publish = false

[lib]
path = "wire.rs"
doctest = false

[dependencies]
fixture-wire = { path = "../rust_wire/rust" }
reqwest = { version = "0.13", default-features = false, features = ["rustls-no-provider"] }
serde_json = "1"
tokio = { version = "1", features = ["macros", "rt"] }
wiremock = "0.6"
"#;

fn crate_files(fixture: &str) -> Files {
    let api = load(&common::fixture(fixture), &OverlayChoice::Skip)
        .unwrap_or_else(|e| panic!("{fixture}: {e}"));
    emit(&api, &[Target::Rust]).unwrap_or_else(|e| panic!("{fixture}: {e}"))
}

/// One Rust sample of a fixture's docs: its operation, its code, the
/// page's HTTP sample, and the path its service's base URL adds.
struct DocsSample {
    operation: String,
    rust: String,
    http: String,
    prefix: String,
}

/// The Rust samples of every operation section of a fixture's docs pages.
fn docs_samples(fixture: &str) -> Vec<DocsSample> {
    let api = load(&common::fixture(fixture), &OverlayChoice::Skip)
        .unwrap_or_else(|e| panic!("{fixture}: {e}"));
    let docs = emit(&api, &[Target::Docs]).unwrap_or_else(|e| panic!("{fixture}: {e}"));
    let mut out = Vec::new();
    for (path, page) in docs.iter() {
        if !path.ends_with(".md") {
            continue;
        }
        for section in samples::sections(&String::from_utf8_lossy(page)) {
            let (Some(rust), Some(http)) = (section.sample("Rust"), section.sample("HTTP")) else {
                continue;
            };
            let op = api
                .operations
                .iter()
                .find(|op| samples::flat(&op.id) == samples::flat(&section.operation))
                .unwrap_or_else(|| panic!("{fixture}: no operation {}", section.operation));
            let base = api.service(&op.service).map_or("", |s| s.base_url.as_str());
            let path_start = base.split_once("://").map_or(Some(0), |(scheme, rest)| {
                rest.find('/').map(|at| scheme.len() + 3 + at)
            });
            out.push(DocsSample {
                operation: op.id.clone(),
                rust: rust.to_string(),
                http: http.to_string(),
                prefix: path_start
                    .map_or("", |at| &base[at..])
                    .trim_end_matches('/')
                    .to_string(),
            });
        }
    }
    out
}

/// `examples/docs_samples.rs` for a fixture's crate: each sample the body of
/// an async function whose client goes to the base URL it is given; `main`
/// runs the sample its first argument names against its second.
fn docs_samples_example(samples: &[DocsSample]) -> String {
    let mut out = String::from(
        "//! The docs pages' Rust samples, run one at a time: `docs_samples INDEX BASE_URL`.\n#![allow(warnings, clippy::all)]\n",
    );
    for (n, sample) in samples.iter().enumerate() {
        let code: Vec<String> = sample
            .rust
            .lines()
            .map(|line| {
                match line
                    .strip_prefix("let client = ")
                    .and_then(|r| r.split_once("::"))
                {
                    Some((client, _)) => format!("let client = {client}::with_base_url(base);"),
                    None => line.to_string(),
                }
            })
            .collect();
        out.push_str(&format!(
            "\nasync fn sample_{n}(base: &str) -> Result<(), Box<dyn std::error::Error>> {{\n{}\nlet _ = answer;\nOk(())\n}}\n",
            code.join("\n")
        ));
    }
    out.push_str("\n#[tokio::main(flavor = \"current_thread\")]\nasync fn main() {\n    let args: Vec<String> = std::env::args().collect();\n    let index: usize = args.get(1).and_then(|i| i.parse().ok()).unwrap_or(usize::MAX);\n    let base = args.get(2).cloned().unwrap_or_default();\n    let result: Result<(), Box<dyn std::error::Error>> = match index {\n");
    for n in 0..samples.len() {
        out.push_str(&format!("        {n} => sample_{n}(&base).await,\n"));
    }
    out.push_str("        _ => Err(\"no such sample\".into()),\n    };\n    if let Err(e) = result {\n        println!(\"answered: {e}\");\n    }\n}\n");
    out
}

/// Runs every docs sample of a fixture crate against a fake API: the
/// request it sends is the one the page's HTTP sample shows.
fn run_docs_samples(fixture: &str, example: &std::path::Path, samples: &[DocsSample]) {
    let fake = common::serve::FakeApi::start();
    for (n, sample) in samples.iter().enumerate() {
        let name = format!("{fixture}: {}", sample.operation);
        let vars = samples::variables(&format!("{}\n{}", sample.rust, sample.http));
        let shown = samples::http_sample(&sample.http, &vars);
        let output = Command::new(example)
            .arg(n.to_string())
            .arg(format!("{}{}", fake.url, sample.prefix))
            .env_clear()
            .envs(vars.iter().map(|v| (v.clone(), samples::secret(v))))
            .output()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(output.status.success(), "{name}: {output:?}");
        let mut taken = fake.taken();
        assert_eq!(
            taken.len(),
            1,
            "{name}: {} requests; {}",
            taken.len(),
            String::from_utf8_lossy(&output.stdout)
        );
        let received = taken.remove(0);
        assert_eq!(received.method, shown.method, "{name}");
        assert_eq!(
            same_target(&received.path),
            same_target(&shown.target),
            "{name}: {} vs {}",
            received.path,
            shown.target
        );
        for (header, value) in &shown.headers {
            let got = received
                .headers
                .iter()
                .find(|(k, _)| k == header)
                .map(|(_, v)| v.as_str())
                .unwrap_or_default();
            if header == "content-type" {
                let media = |v: &str| v.split(';').next().unwrap_or_default().trim().to_string();
                assert_eq!(media(got), media(value), "{name}: content-type");
            } else {
                assert_eq!(got, value, "{name}: header {header}");
            }
        }
        let json = shown
            .headers
            .iter()
            .any(|(k, v)| k == "content-type" && v.contains("json"));
        if let (Some(body), true) = (&shown.body, json) {
            let expected: serde_json::Value =
                serde_json::from_str(body).unwrap_or_else(|e| panic!("{name}: {e}"));
            let sent: serde_json::Value = serde_json::from_slice(&received.body)
                .unwrap_or_else(|e| panic!("{name}: body is not JSON: {e}"));
            assert_eq!(sent, expected, "{name}: body");
        }
    }
}

/// A request target with its query pairs decoded and sorted: clients may
/// order and percent-encode them their own way.
fn same_target(target: &str) -> (String, Vec<String>) {
    let decode = |text: &str| {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            match (bytes[i], bytes.get(i + 1..i + 3)) {
                (b'%', Some(hex)) => match u8::from_str_radix(&String::from_utf8_lossy(hex), 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    Err(_) => out.push(b'%'),
                },
                (b'+', _) => out.push(b' '),
                (b, _) => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut pairs: Vec<String> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(decode)
        .collect();
    pairs.sort();
    (decode(path), pairs)
}

fn concatenated(files: &Files) -> String {
    files
        .iter()
        .map(|(path, contents)| format!("==> {path}\n{}", String::from_utf8_lossy(contents)))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn fixture_crates_match_their_snapshots() {
    for fixture in &fixtures() {
        let name = fixture.trim_end_matches(".yaml").replace('/', "_");
        insta::assert_snapshot!(name, concatenated(&crate_files(fixture)));
    }
}

#[test]
fn names_are_distinct_escaped_and_keep_their_wire_names() {
    let files = crate_files("rust/names.yaml");
    let models = String::from_utf8_lossy(files.get("rust/src/models.rs").unwrap_or_default());
    for expected in [
        "pub type_: Option<String>",
        "#[serde(rename = \"type\")]",
        "pub self_: Option<String>",
        "pub foo_bar: Option<String>",
        "pub foo_bar_2: Option<String>",
        "pub foo_bar_3: Option<String>",
        "#[serde(rename = \"FooBar\")]",
        "pub n_1st: Option<String>",
        "pub empty: Option<String>",
        "pub async_: Option<bool>",
        "pub struct FooBar {",
        "pub struct FooBar2 {",
        "pub type String2 = String;",
        "pub type Option2 = i64;",
        "Self_,",
        "N1h,",
        "Unknown2,",
        "Unknown3,",
        "AB2,",
    ] {
        assert!(models.contains(expected), "models.rs lacks {expected:?}");
    }
    let client = String::from_utf8_lossy(files.get("rust/src/api.rs").unwrap_or_default());
    // `get-things` and `getThings` collide after snake case.
    assert!(client.contains("pub async fn get_things("), "{client}");
    assert!(client.contains("pub async fn get_things_2<"), "{client}");
    // Parameters named like the method's own locals are renamed, wire names kept.
    assert!(
        client.contains("request_: Option<&str>") || client.contains("request_2"),
        "{client}"
    );
}

/// A CommonMark fence: three or more backticks with no backtick after
/// them (else it is a code span), or three or more tildes.
/// Each doc comment of a Rust file: its runs of `///` (or `//!`) lines,
/// without the markers and the one space after them.
fn doc_comments(text: &str) -> Vec<String> {
    let mut comments: Vec<String> = Vec::new();
    let mut open: Option<&str> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let marker = ["///", "//!"].into_iter().find(|m| trimmed.starts_with(m));
        match marker {
            Some(marker) => {
                let doc = &trimmed[marker.len()..];
                let doc = doc.strip_prefix(' ').unwrap_or(doc);
                if open == Some(marker) {
                    if let Some(last) = comments.last_mut() {
                        last.push('\n');
                        last.push_str(doc);
                    }
                } else {
                    comments.push(doc.to_string());
                }
                open = Some(marker);
            }
            None => open = None,
        }
    }
    comments
}

/// Spec text in a comment is what rustc and rustdoc take as text: no
/// control character but the line break, no Unicode bidi control (rustc
/// refuses them in comments, and they reorder what a reader sees), and no
/// code block rustdoc would compile as a doctest: every one is fenced as
/// `text`, but the crate's own example. Cargo.toml is held to the same
/// (TOML refuses control characters). `breadth/escaping.yaml` has each in
/// every place.
#[test]
fn spec_text_in_comments_stays_text() {
    use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};
    let bidi = |c: char| matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    // What rustdoc parses doc comments with.
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION;
    for fixture in &fixtures() {
        for (path, contents) in crate_files(fixture).iter() {
            let text = String::from_utf8_lossy(contents);
            let label = format!("{fixture} {path}");
            if let Some(c) = text
                .chars()
                .find(|&c| (c.is_control() && c != '\n') || bidi(c))
            {
                panic!("{label}: {:?} written as is", c);
            }
            for doc in doc_comments(&text) {
                for event in Parser::new_ext(&doc, options) {
                    let Event::Start(Tag::CodeBlock(kind)) = event else {
                        continue;
                    };
                    let info = match &kind {
                        CodeBlockKind::Fenced(info) => info.to_string(),
                        CodeBlockKind::Indented => "(indented)".to_string(),
                    };
                    let example = path == "rust/src/lib.rs" && info == "no_run";
                    assert!(
                        info == "text" || example,
                        "{label}: a code block rustdoc would test ({info}) in:\n{doc}"
                    );
                }
            }
        }
    }
}

/// The crate's example (a doctest, compiled by `cargo test`) calls a method
/// its client has: the claimed name (`async_` for operation `async`), not
/// the operation's base name.
#[test]
fn the_crate_example_calls_a_method_the_client_has() {
    let mut examples = 0;
    for fixture in &fixtures() {
        let files = crate_files(fixture);
        let lib = String::from_utf8_lossy(files.get("rust/src/lib.rs").unwrap_or_default());
        let Some(call) = lib
            .lines()
            .find_map(|line| line.strip_prefix("//! let answer = client."))
        else {
            continue;
        };
        let method: String = call
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let declared = files
            .iter()
            .filter(|(path, _)| path.starts_with("rust/src/"))
            .any(|(_, source)| {
                let source = String::from_utf8_lossy(source);
                source.contains(&format!("pub async fn {method}<"))
                    || source.contains(&format!("pub async fn {method}("))
            });
        assert!(
            declared,
            "{fixture}: the example calls `{method}`, which no client has"
        );
        examples += 1;
    }
    assert!(examples >= 5, "only {examples} crates have an example");
    let files = crate_files("breadth/escaping.yaml");
    let lib = String::from_utf8_lossy(files.get("rust/src/lib.rs").unwrap_or_default());
    assert!(
        lib.contains("//! let answer = client.async_(&auth).await?;"),
        "{lib}"
    );
}

/// A spec of `count` × 2 operations on deep paths, half without an
/// operationId, whose names collide after case conversion, with Rust
/// keywords, with the client's own methods and with each other's
/// generated types.
fn crowded_spec(count: usize) -> String {
    let mut paths = String::new();
    let deep = "deeply/nested/resource-collection/".repeat(4);
    for i in 0..count {
        let id = match i % 4 {
            0 => format!("listThings{i}"),
            1 => format!("ListThings{}", i - 1),
            2 => format!("listThings{}Error", i - 2),
            _ if i == 3 => "type".to_string(),
            _ => format!("match{i}"),
        };
        paths.push_str(&format!(
            "  /{deep}{{id}}/item-{i}:\n    parameters: [{{ name: id, in: path, required: true, schema: {{ type: string }} }}]\n    get: {{ operationId: \"{id}\", responses: {{ \"200\": {{ description: ok }}, \"404\": {{ description: missing }} }} }}\n    post: {{ responses: {{ \"201\": {{ description: ok }} }} }}\n"
        ));
    }
    format!(
        "openapi: 3.1.0\ninfo: {{ title: Crowd, version: \"1\" }}\nservers: [{{ url: \"https://c.example.com\" }}]\npaths:\n{paths}"
    )
}

/// Every `pub async fn` and every type a module declares, in order.
fn declared(source: &str) -> (Vec<String>, Vec<String>) {
    let name = |rest: &str| -> String {
        rest.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut methods = Vec::new();
    let mut types = Vec::new();
    for line in source.lines() {
        let line = line.trim_start();
        if let Some(rest) = line.strip_prefix("pub async fn ") {
            methods.push(name(rest));
        }
        for item in ["pub struct ", "pub enum ", "pub trait ", "pub type "] {
            if let Some(rest) = line.strip_prefix(item) {
                types.push(name(rest));
            }
        }
    }
    (methods, types)
}

#[test]
fn thousands_of_colliding_operations_get_distinct_names_quickly_and_deterministically() {
    let dir = common::temp_tree(&[("api.yaml", &crowded_spec(2000))]);
    let api =
        load(&dir.path().join("api.yaml"), &OverlayChoice::Skip).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(api.operations.len(), 4000);
    let started = std::time::Instant::now();
    let files = emit(&api, &[Target::Rust]).unwrap_or_else(|e| panic!("{e}"));
    let took = started.elapsed();
    assert!(took < std::time::Duration::from_secs(60), "took {took:?}");
    let source = String::from_utf8_lossy(files.get("rust/src/api.rs").unwrap_or_default());
    let (methods, types) = declared(&source);
    assert_eq!(methods.len(), 4000);
    for (what, names) in [("method", &methods), ("type", &types)] {
        let unique: std::collections::BTreeSet<&String> = names.iter().collect();
        assert_eq!(unique.len(), names.len(), "a {what} name is declared twice");
    }
    for expected in [
        "list_things0",
        "list_things0_2",
        "list_things0_error",
        "type_",
        "post_deeply_nested_resource_collection_deeply_nested_resource_collection_deeply_nested_resource_collection_deeply_nested_resource_collection_by_id_item_0",
    ] {
        assert!(
            methods.iter().any(|m| m == expected),
            "no method {expected}"
        );
    }
    // `ListThings0Error` is `listThings0`'s error enum first; the operation
    // called `listThings0Error` then names its own items `ListThings0Error2…`.
    assert!(types.contains(&"ListThings0Error".to_string()));
    assert!(types.contains(&"ListThings0Error2Error".to_string()));
    assert_eq!(
        emit(&api, &[Target::Rust]).unwrap_or_else(|e| panic!("{e}")),
        files,
        "deterministic"
    );
}

/// One workspace for every fixture crate (and the wire checks), so their
/// dependencies build once: clippy and rustdoc without a warning, then the
/// wire checks send real requests.
#[test]
fn every_fixture_crate_builds_lints_documents_and_sends_what_the_spec_says() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut members = Vec::new();
    let mut docs = Vec::new();
    for fixture in &fixtures() {
        let name = fixture.trim_end_matches(".yaml").replace('/', "_");
        for (path, contents) in crate_files(fixture).iter() {
            let file = dir.path().join(&name).join(path);
            fs::create_dir_all(file.parent().unwrap_or(dir.path()))
                .unwrap_or_else(|e| panic!("{e}"));
            fs::write(&file, contents).unwrap_or_else(|e| panic!("{e}"));
        }
        // The docs' Rust samples, as an example of the crate (with what the
        // samples and their runner use, for the example alone).
        let samples = docs_samples(fixture);
        let crate_dir = dir.path().join(&name).join("rust");
        fs::create_dir_all(crate_dir.join("examples")).unwrap_or_else(|e| panic!("{e}"));
        fs::write(
            crate_dir.join("examples/docs_samples.rs"),
            docs_samples_example(&samples),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let manifest = crate_dir.join("Cargo.toml");
        let mut toml = fs::read_to_string(&manifest).unwrap_or_else(|e| panic!("{e}"));
        assert!(!toml.contains("[dev-dependencies]"), "{fixture}: {toml}");
        // A name of its own: every crate's example lands in one target folder.
        let example = format!(
            "docs_samples_{}",
            name.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
        );
        toml.push_str(&format!(
            "\n[dev-dependencies]\nserde_json = \"1\"\ntokio = {{ version = \"1\", features = [\"macros\", \"rt\"] }}\n\n[[example]]\nname = \"{example}\"\npath = \"examples/docs_samples.rs\"\n"
        ));
        if fixture == STYLES {
            fs::write(
                crate_dir.join("examples/styles.rs"),
                styles_example(&style_cases()),
            )
            .unwrap_or_else(|e| panic!("{e}"));
            toml.push_str("\n[[example]]\nname = \"styles_wire\"\npath = \"examples/styles.rs\"\n");
        }
        fs::write(&manifest, toml).unwrap_or_else(|e| panic!("{e}"));
        members.push(format!("\"{name}/rust\""));
        docs.push((fixture.clone(), example, samples));
    }
    let count: usize = docs.iter().map(|(_, _, s)| s.len()).sum();
    assert!(count >= 60, "only {count} Rust samples");
    let checks = dir.path().join("wire-checks");
    fs::create_dir_all(&checks).unwrap_or_else(|e| panic!("{e}"));
    fs::write(checks.join("Cargo.toml"), WIRE_CHECKS).unwrap_or_else(|e| panic!("{e}"));
    fs::copy(
        common::repo_root().join("tests/fixture_wire/wire.rs"),
        checks.join("wire.rs"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    members.push("\"wire-checks\"".to_string());
    fs::write(
        dir.path().join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    // The workspace's lock pins the same dependency versions golden/rust uses.
    fs::copy(
        common::repo_root().join("Cargo.lock"),
        dir.path().join("Cargo.lock"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let target = common::repo_root().join("target/fixture-crates");
    let run = |args: &[&str]| {
        let output = Command::new(&cargo)
            .args(args)
            .current_dir(dir.path())
            .env("CARGO_TARGET_DIR", &target)
            .env("RUSTDOCFLAGS", "-D warnings")
            // Built to be run once: no debug info to compile and link.
            .env("CARGO_PROFILE_DEV_DEBUG", "0")
            .output()
            .unwrap_or_else(|e| panic!("cannot run cargo: {e}"));
        assert!(
            output.status.success(),
            "cargo {args:?} failed:\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    run(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--quiet",
        "--",
        "-D",
        "warnings",
    ]);
    run(&["doc", "--workspace", "--no-deps", "--quiet"]);
    spec_markdown_is_rendered(&target.join("doc/fixture_markdown"));
    // The spec's code blocks are no doctests: the crate's example is the one.
    let doctests = run(&["test", "--doc", "-p", "fixture-markdown", "--quiet"]);
    assert!(
        doctests.contains("test result: ok. 1 passed"),
        "fixture-markdown has doctests besides its example:\n{doctests}"
    );
    // Every crate's docs samples, built and each run against a fake API.
    run(&["build", "--workspace", "--examples", "--quiet"]);
    for (fixture, example, samples) in &docs {
        run_docs_samples(
            fixture,
            &target.join("debug/examples").join(example),
            samples,
        );
    }
    run_styles(&target.join("debug/examples/styles_wire"));
    let tested = run(&["test", "-p", "fixture-wire-checks", "--quiet"]);
    // The checks are `#[cfg(test)]`: make sure they ran, not just compiled.
    assert!(
        tested.contains("test result: ok. 10 passed"),
        "the wire checks did not all run:\n{tested}"
    );
}

/// What rustdoc made of `rust/markdown.yaml`'s descriptions (in `doc`, its
/// HTML): the spec's CommonMark rendered — tables (markdown and HTML),
/// headings, lists, links, code blocks as text — and nothing of it escaped
/// into view (`&lt;table&gt;`, `\##`) or run (a `<script>`), nor a
/// `[bracketed]` word made a link.
fn spec_markdown_is_rendered(doc: &std::path::Path) {
    let page =
        |path: &str| fs::read_to_string(doc.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    let index = page("index.html");
    for expected in [
        "<table>",
        "<th>plan</th>",
        "<td>10 [per day]</td>",
        ">Tokens</h",
        "<th style=\"text-align: right\">grants</th>",
        "<code>read</code>",
        "<em>things</em>",
        "<strong>everything</strong>",
        "[bracketed]",
        "href=\"https://example.com/guide\"",
        "href=\"https://example.com/docs\"",
        "language-text",
        "a doctest",
        "<blockquote>",
        "<del>struck</del>",
        "&lt;script&gt;",
        "&lt;slug&gt;",
        "a_snake_name",
    ] {
        assert!(index.contains(expected), "index.html lacks {expected:?}");
    }
    for unwanted in [
        "&lt;table&gt;",
        "&lt;th&gt;",
        "\\#",
        "<script>alert",
        "<slug>",
        "\\[",
    ] {
        assert!(!index.contains(unwanted), "index.html shows {unwanted:?}");
    }
    // A bracketed word is text, not a link rustdoc tried to resolve.
    assert!(
        !index.contains(">bracketed</a>"),
        "a [bracketed] word became a link"
    );
    let thing = page("models/struct.Thing.html");
    for expected in [
        "<details><summary>History</summary>",
        "<ol>",
        ">Fields</h",
        "<em>widgets</em>",
    ] {
        assert!(
            thing.contains(expected),
            "struct.Thing.html lacks {expected:?}"
        );
    }
    let client = page("api/struct.ApiClient.html");
    for expected in [
        ">Paging</h",
        "<td><code>cursor</code></td>",
        "GET /things?cursor=abc",
    ] {
        assert!(
            client.contains(expected),
            "struct.ApiClient.html lacks {expected:?}"
        );
    }
    let token = page("credentials/struct.Token.html");
    assert!(token.contains(">Scopes</h") && token.contains("href=\"https://example.com/tokens\""));
}

/// Every method of the generated management client is exercised by a wire
/// test (tests/client/tests/wire_*.rs), so a new operation cannot go untested.
#[test]
fn every_management_client_method_has_a_wire_test() {
    let root = common::repo_root();
    let wire: String = ["wire_control_plane.rs", "wire_tenant.rs"]
        .iter()
        .map(|f| {
            fs::read_to_string(root.join("tests/client/tests").join(f))
                .unwrap_or_else(|e| panic!("{f}: {e}"))
        })
        .collect();
    let mut methods = 0;
    for module in ["control_plane.rs", "tenant.rs"] {
        let source = fs::read_to_string(root.join("golden/rust/src").join(module))
            .unwrap_or_else(|e| panic!("{e}"));
        for line in source.lines() {
            let Some(rest) = line.trim().strip_prefix("pub async fn ") else {
                continue;
            };
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            methods += 1;
            assert!(
                wire.contains(&format!(".{name}(")),
                "no wire test calls `{name}` ({module})"
            );
        }
    }
    // 58 operations, two of which have a second method (dry run, prune).
    assert_eq!(methods, 60);
}
