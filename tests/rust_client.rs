//! The Rust client emitter on small fixture specs: each crate's source is an
//! insta snapshot, and every fixture crate must build, lint and document
//! cleanly (the management spec's crate is the workspace member golden/rust).

mod common;
#[path = "common/samples.rs"]
mod samples;

use std::fs;
use std::process::Command;

use tiergen::emit::{Files, Target, emit};
use tiergen::frontend::{OverlayChoice, load};

/// Each fixture shows one family of awkward inputs.
const FIXTURES: [&str; 7] = [
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
];

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
reqwest = { version = "0.13", default-features = false, features = ["rustls"] }
serde_json = "1"
tokio = { version = "1", features = ["macros", "rt"] }
wiremock = "0.6"
"#;

fn crate_files(fixture: &str) -> Files {
    let api = load(&common::fixture(fixture), &OverlayChoice::Skip)
        .unwrap_or_else(|e| panic!("{fixture}: {e}"));
    emit(&api, &[Target::Rust]).unwrap_or_else(|e| panic!("{fixture}: {e}"))
}

/// `examples/docs_samples.rs` for a fixture's crate: the Rust sample of
/// every operation section of the fixture's docs pages, each the body of an
/// async function, so building the crate's examples compiles every sample.
fn docs_samples_example(fixture: &str) -> (usize, String) {
    let api = load(&common::fixture(fixture), &OverlayChoice::Skip)
        .unwrap_or_else(|e| panic!("{fixture}: {e}"));
    let docs = emit(&api, &[Target::Docs]).unwrap_or_else(|e| panic!("{fixture}: {e}"));
    let mut out = String::from(
        "//! The docs pages' Rust samples, compiled (not run).\n#![allow(warnings, clippy::all)]\n\nfn main() {}\n",
    );
    let mut count = 0;
    for (path, page) in docs.iter() {
        if !path.ends_with(".md") {
            continue;
        }
        for section in samples::sections(&String::from_utf8_lossy(page)) {
            if let Some(code) = section.sample("Rust") {
                out.push_str(&format!(
                    "\nasync fn sample_{count}() -> Result<(), Box<dyn std::error::Error>> {{\n{code}\nlet _ = answer;\nOk(())\n}}\n"
                ));
                count += 1;
            }
        }
    }
    (count, out)
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
fn opens_fence(line: &str) -> bool {
    let ticks = line.chars().take_while(|&c| c == '`').count();
    if ticks >= 3 {
        return !line[ticks..].contains('`');
    }
    line.chars().take_while(|&c| c == '~').count() >= 3
}

/// Spec text in a comment is what rustc and rustdoc take as text: no
/// control character but the line break, no Unicode bidi control (rustc
/// refuses them in comments, and they reorder what a reader sees), and no
/// doc line that opens a fenced block (rustdoc would compile the spec's
/// prose as a doctest). Cargo.toml is held to the same (TOML refuses
/// control characters). `breadth/escaping.yaml` has each in every place.
#[test]
fn spec_text_in_comments_stays_text() {
    let bidi = |c: char| matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
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
            // The crate's own example is the one fenced block.
            let mut in_example = false;
            for line in text.lines() {
                let trimmed = line.trim_start();
                let Some(doc) = trimmed
                    .strip_prefix("///")
                    .or_else(|| trimmed.strip_prefix("//!"))
                else {
                    continue;
                };
                let doc = doc.trim_start();
                if path == "rust/src/lib.rs" && (doc == "```no_run" || in_example && doc == "```") {
                    in_example = !in_example;
                    continue;
                }
                assert!(
                    !opens_fence(doc),
                    "{label}: a doc line opens a fenced block: {line}"
                );
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
    let mut samples = 0;
    for fixture in &fixtures() {
        let name = fixture.trim_end_matches(".yaml").replace('/', "_");
        for (path, contents) in crate_files(fixture).iter() {
            let file = dir.path().join(&name).join(path);
            fs::create_dir_all(file.parent().unwrap_or(dir.path()))
                .unwrap_or_else(|e| panic!("{e}"));
            fs::write(&file, contents).unwrap_or_else(|e| panic!("{e}"));
        }
        // The docs' Rust samples, as an example of the crate (with
        // serde_json, which the samples build bodies with, for it alone).
        let (count, example) = docs_samples_example(fixture);
        samples += count;
        let crate_dir = dir.path().join(&name).join("rust");
        fs::create_dir_all(crate_dir.join("examples")).unwrap_or_else(|e| panic!("{e}"));
        fs::write(crate_dir.join("examples/docs_samples.rs"), example)
            .unwrap_or_else(|e| panic!("{e}"));
        let manifest = crate_dir.join("Cargo.toml");
        let mut toml = fs::read_to_string(&manifest).unwrap_or_else(|e| panic!("{e}"));
        assert!(!toml.contains("[dev-dependencies]"), "{fixture}: {toml}");
        toml.push_str("\n[dev-dependencies]\nserde_json = \"1\"\n");
        fs::write(&manifest, toml).unwrap_or_else(|e| panic!("{e}"));
        members.push(format!("\"{name}/rust\""));
    }
    assert!(samples >= 60, "only {samples} Rust samples");
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
    let tested = run(&["test", "-p", "fixture-wire-checks", "--quiet"]);
    // The checks are `#[cfg(test)]`: make sure they ran, not just compiled.
    assert!(
        tested.contains("test result: ok. 10 passed"),
        "the wire checks did not all run:\n{tested}"
    );
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
