//! Every kind of bad input ends in exit code 2 with one clear message that
//! names the file and the line:column or JSON pointer — never a panic.

use crate::common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::MINIMAL_SPEC;

struct Case {
    name: &'static str,
    /// Files to create (the spec is `api.yaml`).
    files: Vec<(&'static str, String)>,
    /// Extra arguments after `generate --spec api.yaml --out out`.
    args: &'static [&'static str],
    /// What stderr must contain.
    expect: &'static [&'static str],
}

/// The bounds every case runs under: address space and wall time. Far above
/// what a refusal takes (a few milliseconds and megabytes); they only turn a
/// hang, a stack overflow or a memory blow-up into a failure instead of a
/// stuck test run.
const MEMORY_LIMIT_MB: u64 = 1024;
const HANG_LIMIT: Duration = Duration::from_secs(60);

fn spec_with(from: &str, to: &str) -> String {
    assert!(MINIMAL_SPEC.contains(from), "fixture lacks {from:?}");
    MINIMAL_SPEC.replacen(from, to, 1)
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "unreadable file",
            files: vec![],
            args: &[],
            expect: &["api.yaml: cannot read file"],
        },
        Case {
            name: "invalid YAML",
            files: vec![("api.yaml", "openapi: 3.1.0\ninfo: [unclosed\n".into())],
            args: &[],
            expect: &["api.yaml:3:1: invalid YAML"],
        },
        Case {
            name: "not a mapping",
            files: vec![("api.yaml", "- just\n- a list\n".into())],
            args: &[],
            expect: &["api.yaml: expected a mapping at the top level"],
        },
        Case {
            name: "not an OpenAPI document",
            files: vec![("api.yaml", "name: my-chart\nversion: 1\n".into())],
            args: &[],
            expect: &["api.yaml: not an OpenAPI document"],
        },
        Case {
            name: "Swagger 2.0",
            files: vec![("api.yaml", "swagger: \"2.0\"\ninfo: { title: t, version: v }\npaths: {}\n".into())],
            args: &[],
            expect: &["api.yaml:1:1: Swagger/OpenAPI 2.0 is not supported", "(at #/swagger)"],
        },
        Case {
            name: "OpenAPI 4.0",
            files: vec![("api.yaml", spec_with("openapi: 3.1.0", "openapi: \"4.0\""))],
            args: &[],
            expect: &["api.yaml:1:1: unsupported OpenAPI version \"4.0\"; tiergen reads 3.0.x and 3.1.x", "(at #/openapi)"],
        },
        Case {
            name: "OpenAPI 3.2.0",
            files: vec![("api.yaml", spec_with("openapi: 3.1.0", "openapi: 3.2.0"))],
            args: &[],
            expect: &["api.yaml:1:1: unsupported OpenAPI version \"3.2.0\"", "(at #/openapi)"],
        },
        Case {
            name: "version as a YAML number",
            files: vec![("api.yaml", spec_with("openapi: 3.1.0", "openapi: 3.1"))],
            args: &[],
            expect: &["api.yaml:1:1: unsupported OpenAPI version 3.1;"],
        },
        Case {
            name: "structure openapiv3 rejects",
            files: vec![("api.yaml", spec_with("info: { title: Mini, version: \"1\" }", "info: { version: \"1\" }"))],
            args: &[],
            expect: &["api.yaml:2:1: not a valid OpenAPI document", "missing field `title`", "(at #/info)"],
        },
        Case {
            name: "dangling schema $ref",
            files: vec![(
                "api.yaml",
                spec_with("\"200\": { description: OK. }", "\"200\": { description: OK., content: { application/json: { schema: { $ref: \"#/components/schemas/Nope\" } } } }"),
            )],
            args: &[],
            expect: &["api.yaml:16:77: dangling $ref \"#/components/schemas/Nope\"", "(at #/paths/~1things~1{id}/get/responses/200/content/application~1json/schema/$ref)"],
        },
        Case {
            name: "dangling parameter $ref",
            files: vec![(
                "api.yaml",
                spec_with("- { name: id, in: path, required: true, schema: { type: string } }", "- { $ref: \"#/components/parameters/Missing\" }"),
            )],
            args: &[],
            expect: &["api.yaml:11:11: dangling $ref", "(at #/paths/~1things~1{id}/parameters/0/$ref)"],
        },
        Case {
            name: "unknown security scheme",
            files: vec![("api.yaml", spec_with("security: [{ key: [] }]", "security: [{ nokey: [] }]"))],
            args: &[],
            expect: &["api.yaml:14:20: unknown security scheme \"nokey\"", "(at #/paths/~1things~1{id}/get/security/0/nokey)"],
        },
        Case {
            name: "duplicate operationId",
            files: vec![(
                "api.yaml",
                format!("{MINIMAL_SPEC}  /others:\n    get:\n      operationId: getThing\n      responses: {{ \"200\": {{ description: OK. }} }}\n"),
            )],
            args: &[],
            expect: &["api.yaml:19:7: duplicate operationId \"getThing\" (first used at /paths/~1things~1{id}/get)", "(at #/paths/~1others/get/operationId)"],
        },
        Case {
            name: "schema type that is not a name",
            files: vec![(
                "api.yaml",
                MINIMAL_SPEC.replace(
                    "    key: { type: http, scheme: bearer }",
                    "    key: { type: http, scheme: bearer }\n  schemas:\n    Upload: { type: { name: file } }",
                ),
            )],
            args: &[],
            expect: &["api.yaml:9:15: `type` must be a string or a list", "(at #/components/schemas/Upload/type)"],
        },
        Case {
            name: "schema type with a typo",
            files: vec![("api.yaml", spec_with("schema: { type: string }", "schema: { type: strng }"))],
            args: &[],
            expect: &["api.yaml:11:57: unknown schema type \"strng\"", "(at #/paths/~1things~1{id}/parameters/0/schema/type)", "help: did you mean \"string\"?"],
        },
        Case {
            name: "schema type with a typo in a 3.1 type list",
            files: vec![("api.yaml", spec_with("schema: { type: string }", "schema: { type: [\"null\", strig] }"))],
            args: &[],
            expect: &["api.yaml:11:72: unknown schema type \"strig\"", "(at #/paths/~1things~1{id}/parameters/0/schema/type/1)", "help: did you mean \"string\"?"],
        },
        Case {
            name: "schema type that is no type at all",
            files: vec![("api.yaml", spec_with("schema: { type: string }", "schema: { type: text }"))],
            args: &[],
            expect: &["api.yaml:11:57: unknown schema type \"text\"", "help: a schema's type is one of string, number, integer, boolean, array, object, null"],
        },
        Case {
            // 3.1 applies a `$ref`'s siblings (3.0 ignores them: see the breadth fixture `lenient`).
            name: "schema type with a typo beside a 3.1 $ref",
            files: vec![(
                "api.yaml",
                MINIMAL_SPEC
                    .replace("    key: { type: http, scheme: bearer }", "    key: { type: http, scheme: bearer }\n  schemas:\n    Id: { type: string }")
                    .replace("schema: { type: string }", "schema: { $ref: \"#/components/schemas/Id\", type: sting }"),
            )],
            args: &[],
            expect: &["api.yaml:13:90: unknown schema type \"sting\"", "help: did you mean \"string\"?"],
        },
        Case {
            name: "security scheme of an unknown type",
            files: vec![(
                "api.yaml",
                MINIMAL_SPEC.replace("key: { type: http, scheme: bearer }", "key: { type: magic }"),
            )],
            args: &[],
            expect: &["unknown security scheme type \"magic\"", "(at #/components/securitySchemes/key/type)"],
        },
        Case {
            name: "path parameter used but not declared",
            files: vec![("api.yaml", spec_with("/things/{id}:", "/things/{id}/{part}:"))],
            args: &[],
            expect: &["api.yaml:12:5: path parameter {part} is used in the path but not declared", "(at #/paths/~1things~1{id}~1{part}/get)"],
        },
        Case {
            name: "path parameter declared in another case",
            files: vec![("api.yaml", spec_with("/things/{id}:", "/things/{ID}:"))],
            args: &[],
            expect: &["api.yaml:12:5: path parameter {ID} is used in the path but not declared", "help: did you mean \"id\"? (path parameter names are case-sensitive)"],
        },
        Case {
            name: "$ref cycle without indirection",
            files: vec![(
                "api.yaml",
                MINIMAL_SPEC.replace(
                    "    key: { type: http, scheme: bearer }",
                    "    key: { type: http, scheme: bearer }\n  schemas:\n    A: { $ref: \"#/components/schemas/B\" }\n    B: { $ref: \"#/components/schemas/A\" }",
                ),
            )],
            args: &[],
            expect: &["api.yaml:9:10: $ref cycle without indirection", "(at #/components/schemas/A/$ref)"],
        },
        Case {
            name: "overlay target matches nothing",
            files: vec![
                ("api.yaml", MINIMAL_SPEC.to_string()),
                (
                    "api.overlay.yaml",
                    "overlay: 1.0.0\ninfo: { title: o, version: \"1\" }\nactions:\n  - target: $.paths.*[?@.operationId == 'getThings']\n    update: { x-tiergen-effects: [] }\n".into(),
                ),
            ],
            args: &[],
            expect: &["api.overlay.yaml:4:11: target $.paths.*[?@.operationId == 'getThings'] matches nothing", "(at #/actions/0)"],
        },
        Case {
            name: "overlay with an invalid JSONPath",
            files: vec![
                ("api.yaml", MINIMAL_SPEC.to_string()),
                ("o.yaml", "overlay: 1.0.0\ninfo: { title: o, version: \"1\" }\nactions:\n  - { target: \"$.paths[\", remove: true }\n".into()),
            ],
            args: &["--overlay", "o.yaml"],
            expect: &["o.yaml:4:7: invalid JSONPath", "(at #/actions/0/target)"],
        },
        Case {
            name: "overlay that is not an overlay",
            files: vec![("api.yaml", MINIMAL_SPEC.to_string()), ("o.yaml", MINIMAL_SPEC.to_string())],
            args: &["--overlay", "o.yaml"],
            expect: &["o.yaml: not an OpenAPI Overlay document"],
        },
        Case {
            name: "unknown guard kind",
            files: vec![(
                "api.yaml",
                spec_with("operationId: getThing", "operationId: getThing\n      x-tiergen-guards: [{ kind: magic }]"),
            )],
            args: &[],
            expect: &["api.yaml:14:28: invalid `x-tiergen-guards`: unknown variant `magic`", "(at #/paths/~1things~1{id}/get/x-tiergen-guards/0/kind)"],
        },
        Case {
            name: "guard naming a parameter the operation lacks",
            files: vec![(
                "api.yaml",
                spec_with(
                    "operationId: getThing",
                    "operationId: getThing\n      x-tiergen-guards: [{ kind: dry-run, param: dry_run, status: 200 }]",
                ),
            )],
            args: &[],
            expect: &["api.yaml:14:26: no query parameter \"dry_run\" on getThing", "(at #/paths/~1things~1{id}/get/x-tiergen-guards/0)"],
        },
        Case {
            name: "path owned by no declared service",
            files: vec![(
                "api.yaml",
                spec_with(
                    "  - url: https://api.example.com",
                    "  - url: https://api.example.com\n    x-tiergen-service: { id: api, name: API, path_prefixes: [/api] }",
                ),
            )],
            args: &[],
            expect: &["api.yaml:13:5: no service owns path \"/things/{id}\"", "(at #/paths/~1things~1{id}/get)"],
        },
        Case {
            name: "empty file",
            files: vec![("api.yaml", String::new())],
            args: &[],
            expect: &["api.yaml: expected a mapping at the top level"],
        },
        Case {
            name: "two YAML documents",
            files: vec![("api.yaml", format!("{MINIMAL_SPEC}---\nopenapi: 3.1.0\n"))],
            args: &[],
            expect: &["api.yaml: invalid YAML: deserializing from YAML containing more than one document is not supported"],
        },
        Case {
            name: "NUL byte in YAML",
            files: vec![("api.yaml", spec_with("title: Mini", "title: \"Mi\0ni\""))],
            args: &[],
            expect: &["api.yaml:2:19: invalid YAML: control characters are not allowed"],
        },
        Case {
            name: "JSON with a trailing comma",
            files: vec![("api.yaml", r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1",}, "paths": {}}"#.into())],
            args: &[],
            expect: &["api.yaml:1:60: invalid JSON: trailing comma"],
        },
        Case {
            name: "JSON cut short",
            files: vec![("api.json", r#"{"openapi": "3.1.0", "info": {"title": "t""#.into())],
            args: &["--spec", "api.json"],
            expect: &["api.json:1:42: invalid JSON: EOF while parsing an object"],
        },
        Case {
            name: "duplicate key in JSON",
            files: vec![("api.yaml", r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "openapi": "3.0.3", "paths": {}}"#.into())],
            args: &[],
            expect: &["api.yaml:1:70: invalid JSON: duplicate key \"openapi\" in one object"],
        },
        Case {
            name: "duplicate key in YAML",
            files: vec![("api.yaml", spec_with("operationId: getThing", "operationId: getThing\n      operationId: getThat"))],
            args: &[],
            expect: &["api.yaml:13:7: invalid YAML: paths./things/{id}.get: duplicate entry with key \"operationId\""],
        },
        Case {
            name: "integer beyond 64 bits in YAML",
            files: vec![("api.yaml", spec_with("schema: { type: string }", "schema: { type: integer, maximum: 123456789012345678901234567890 }"))],
            args: &[],
            expect: &["api.yaml:11:81: integer 123456789012345678901234567890 does not fit in 64 bits"],
        },
        Case {
            name: "negative integer beyond 64 bits in JSON",
            files: vec![("api.yaml", "{\"openapi\": \"3.1.0\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {},\n  \"x-n\": [1e30, 18446744073709551615, -9223372036854776000, \"-99999999999999999999\", -99999999999999999999]}".into())],
            args: &[],
            expect: &["api.yaml:2:86: integer -99999999999999999999 does not fit in 64 bits"],
        },
        Case {
            name: "YAML tag that builds an object",
            files: vec![("api.yaml", spec_with("info: { title", "info: !!python/object:os.system { title"))],
            args: &[],
            expect: &["api.yaml:2:33: YAML tag !!python/object:os.system is not allowed"],
        },
        Case {
            name: "YAML include tag",
            files: vec![("api.yaml", spec_with("schema: { type: string }", "schema: !include other.yaml"))],
            args: &[],
            expect: &["api.yaml:11:64: YAML tag !include is not allowed"],
        },
        Case {
            name: "YAML alias bomb",
            files: vec![("api.yaml", alias_bomb())],
            args: &[],
            expect: &["api.yaml: invalid YAML: repetition limit exceeded"],
        },
        Case {
            name: "YAML alias to itself",
            files: vec![("api.yaml", format!("{MINIMAL_SPEC}x-loop: &a [*a]\n"))],
            args: &[],
            expect: &["api.yaml:17:9: invalid YAML: recursion limit exceeded"],
        },
        Case {
            name: "10,000 nested YAML sequences",
            files: vec![("api.yaml", format!("{MINIMAL_SPEC}x-deep: {}{}\n", "[".repeat(10_000), "]".repeat(10_000)))],
            args: &[],
            expect: &["api.yaml:17:1009: invalid YAML: collections nested more than 1000 levels deep"],
        },
        Case {
            name: "100,000 nested YAML mappings",
            files: vec![("api.yaml", format!("{MINIMAL_SPEC}x-deep: {}1{}\n", "{a: ".repeat(100_000), "}".repeat(100_000)))],
            args: &[],
            expect: &["api.yaml:17:4009: invalid YAML: collections nested more than 1000 levels deep"],
        },
        Case {
            name: "100 nested YAML sequences, under the scan's bound but over the parser's",
            files: vec![("api.yaml", format!("{MINIMAL_SPEC}x-deep: {}{}\n", "[".repeat(200), "]".repeat(200)))],
            args: &[],
            expect: &["api.yaml:17:136: invalid YAML: recursion limit exceeded"],
        },
        Case {
            name: "10,000 nested JSON arrays",
            files: vec![("api.yaml", format!("{{\"openapi\": \"3.1.0\", \"x\": {}{}}}", "[".repeat(10_000), "]".repeat(10_000)))],
            args: &[],
            expect: &["api.yaml:1:153: invalid JSON: recursion limit exceeded"],
        },
        Case {
            name: "100,000 nested JSON objects",
            files: vec![("api.yaml", format!("{{\"openapi\": \"3.1.0\", \"x\": {}1{}}}", "{\"a\": ".repeat(100_000), "}".repeat(100_000)))],
            args: &[],
            expect: &["api.yaml:1:783: invalid JSON: recursion limit exceeded"],
        },
        Case {
            name: "$ref to a remote URL",
            files: vec![("api.yaml", spec_with("schema: { type: string }", "schema: { $ref: \"https://example.com/schemas.json#/Id\" }"))],
            args: &[],
            expect: &[
                "api.yaml:11:57: $ref \"https://example.com/schemas.json#/Id\" points outside this document; tiergen reads only the spec it is given and never fetches a URL or opens another file",
                "(at #/paths/~1things~1{id}/parameters/0/schema/$ref)",
            ],
        },
        Case {
            name: "$ref to a file outside the spec's folder",
            files: vec![("api.yaml", spec_with("schema: { type: string }", "schema: { $ref: \"../../../../etc/passwd\" }"))],
            args: &[],
            expect: &["api.yaml:11:57: $ref \"../../../../etc/passwd\" points outside this document"],
        },
        Case {
            name: "$ref to an absolute file path",
            files: vec![("api.yaml", spec_with("schema: { type: string }", "schema: { $ref: \"/etc/passwd\" }"))],
            args: &[],
            expect: &["api.yaml:11:57: $ref \"/etc/passwd\" points outside this document"],
        },
        Case {
            name: "$ref to a file beside the spec (read only the spec, never another file)",
            files: vec![
                ("api.yaml", spec_with("schema: { type: string }", "schema: { $ref: \"id.yaml\" }")),
                ("id.yaml", "type: string\n".into()),
            ],
            args: &[],
            expect: &["api.yaml:11:57: $ref \"id.yaml\" points outside this document"],
        },
        Case {
            name: "$ref that is not a string",
            files: vec![("api.yaml", spec_with("schema: { type: string }", "schema: { $ref: 42 }"))],
            args: &[],
            expect: &["api.yaml:11:57: `$ref` must be a string"],
        },
        Case {
            name: "a 50 MB spec with a dangling $ref at its end",
            files: vec![("api.yaml", fifty_megabytes())],
            args: &[],
            expect: &["dangling $ref \"#/components/schemas/Missing\"", "(at #/components/schemas/Thing19999/properties/next/$ref)"],
        },
        Case {
            name: "overlay of another Overlay version",
            files: vec![
                ("api.yaml", MINIMAL_SPEC.to_string()),
                ("o.yaml", "overlay: 2.0.0\ninfo: { title: o, version: \"1\" }\nactions: []\n".into()),
            ],
            args: &["--overlay", "o.yaml"],
            expect: &["o.yaml:1:1: unsupported overlay version \"2.0.0\"; tiergen reads Overlay 1.x", "(at #/overlay)"],
        },
        Case {
            name: "overlay that adds a remote $ref",
            files: vec![
                ("api.yaml", MINIMAL_SPEC.to_string()),
                (
                    "o.yaml",
                    "overlay: 1.0.0\ninfo: { title: o, version: \"1\" }\nactions:\n  - target: $.paths['/things/{id}'].get\n    update: { responses: { \"404\": { $ref: \"http://127.0.0.1:9/r\" } } }\n".into(),
                ),
            ],
            args: &["--overlay", "o.yaml"],
            expect: &["api.yaml:15:7: $ref \"http://127.0.0.1:9/r\" points outside this document"],
        },
        Case {
            name: "spec path is a folder",
            files: vec![("api.yaml/inside", String::new())],
            args: &[],
            expect: &["api.yaml: cannot read file"],
        },
    ]
}

/// Ten levels of nine aliases each: a billion strings once expanded.
fn alias_bomb() -> String {
    let mut text =
        format!("{MINIMAL_SPEC}x-bomb:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..10 {
        let previous = format!("*a{}", level - 1);
        let items = [previous.as_str(); 9].join(", ");
        text.push_str(&format!("  a{level}: &a{level} [{items}]\n"));
    }
    text
}

/// A spec of about 50 MB: 20,000 schemas with long descriptions, in a chain
/// whose last link dangles.
fn fifty_megabytes() -> String {
    let description = "A catalogue entry, described at length. ".repeat(62);
    let mut schemas = Vec::new();
    for n in 0..20_000 {
        let next = if n == 19_999 {
            "Missing".to_string()
        } else {
            format!("Thing{}", n + 1)
        };
        schemas.push(format!(
            "\"Thing{n}\": {{\"type\": \"object\", \"description\": \"{description}\", \"properties\": {{\"id\": {{\"type\": \"string\"}}, \"next\": {{\"$ref\": \"#/components/schemas/{next}\"}}}}}}"
        ));
    }
    let text = format!(
        "{{\"openapi\": \"3.1.0\", \"info\": {{\"title\": \"Big\", \"version\": \"1\"}}, \"paths\": {{}},\n\"components\": {{\"schemas\": {{\n{}\n}}}}}}\n",
        schemas.join(",\n")
    );
    assert!(text.len() >= 50_000_000, "only {} bytes", text.len());
    text
}

#[test]
fn bad_input_table() {
    let cases = cases();
    assert!(cases.len() >= 40, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in cases {
        let files: Vec<(&str, &str)> = case.files.iter().map(|(p, c)| (*p, c.as_str())).collect();
        let dir = common::temp_tree(&files);
        let mut args = vec!["generate", "--out", "out"];
        if !case.args.contains(&"--spec") {
            args.extend(["--spec", "api.yaml"]);
        }
        args.extend_from_slice(case.args);
        let run = run_bounded(dir.path(), &args);
        let problems: Vec<String> = [
            run.hung
                .then(|| format!("still running after {HANG_LIMIT:?}")),
            (run.code != Some(2)).then(|| format!("exit code {:?}", run.code)),
            (!run.stdout.is_empty()).then(|| "printed to stdout".to_string()),
            run.stderr
                .contains("panicked")
                .then(|| "panicked".to_string()),
            (!is_one_diagnostic(&run.stderr)).then(|| "not one diagnostic".to_string()),
            dir.path()
                .join("out")
                .exists()
                .then(|| "created the output folder".to_string()),
        ]
        .into_iter()
        .flatten()
        .chain(
            case.expect
                .iter()
                .filter(|e| !run.stderr.contains(*e))
                .map(|e| format!("missing {e:?}")),
        )
        .collect();
        if !problems.is_empty() {
            let mut shown = run.stderr.trim().to_string();
            shown.truncate(600);
            failures.push(format!(
                "{}: {}\n    stderr: {shown}",
                case.name,
                problems.join("; ")
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// One `error: file:line:col: message` line, then at most the excerpt
/// beneath it: the source line with its caret, and the help.
fn is_one_diagnostic(stderr: &str) -> bool {
    let mut lines = stderr.lines();
    lines
        .next()
        .is_some_and(|first| first.starts_with("error: "))
        && lines.all(|line| {
            let gutter = line
                .trim_start()
                .split(['|', '='])
                .next()
                .unwrap_or_default();
            (line.starts_with(' ') || line.starts_with(|c: char| c.is_ascii_digit()))
                && gutter.trim().chars().all(|c| c.is_ascii_digit())
        })
}

struct Run {
    code: Option<i32>,
    hung: bool,
    stdout: String,
    stderr: String,
}

/// Runs tiergen in `dir` under [`MEMORY_LIMIT_MB`] of address space (a shell's
/// `ulimit -v`), killing it after [`HANG_LIMIT`]. Output goes to files, so a
/// flood of it cannot block the child.
fn run_bounded(dir: &Path, args: &[&str]) -> Run {
    let out_path = dir.join(".stdout");
    let err_path = dir.join(".stderr");
    let file =
        |p: &Path| std::fs::File::create(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {}; exec \"$0\" \"$@\"",
            MEMORY_LIMIT_MB * 1024
        ))
        .arg(env!("CARGO_BIN_EXE_tiergen"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(file(&out_path))
        .stderr(file(&err_path))
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run tiergen: {e}"));
    let started = Instant::now();
    let (status, hung) = loop {
        match child.try_wait() {
            Ok(Some(status)) => break (Some(status), false),
            Ok(None) if started.elapsed() > HANG_LIMIT => {
                let _ = child.kill();
                break (child.wait().ok(), true);
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => panic!("waiting for tiergen: {e}"),
        }
    };
    let read = |p: &Path| {
        let text = std::fs::read_to_string(p).unwrap_or_default();
        let _ = std::fs::remove_file(p);
        text
    };
    Run {
        code: status.and_then(|s| s.code()),
        hung,
        stdout: read(&out_path),
        stderr: read(&err_path),
    }
}

#[test]
fn usage_errors_exit_2() {
    let output = common::tiergen(&["ir", "--no-such-flag"]);
    assert_eq!(output.status.code(), Some(2));
    let output = common::tiergen(&["frobnicate"]);
    assert_eq!(output.status.code(), Some(2));
}

/// A spec with several problems of one kind (dangling `$ref`s, unknown
/// schema types) has every one reported in one run, each with its
/// line:column, its pointer and its help, then a count; at most 20 are
/// listed. Exit 2, nothing on stdout (not with `--format json` either), and
/// nothing written.
#[test]
fn several_problems_are_reported_in_one_run() {
    let cases: &[(&str, &[&str], usize, &[&str])] = &[
        (
            "dangling-refs",
            &["generate", "--out", "out"],
            4,
            &[
                "error: api.yaml:7:11: dangling $ref \"#/components/parameters/PetID\": no such parameter (at #/paths/~1pets~1{petId}/parameters/0/$ref)",
                "help: did you mean \"#/components/parameters/PetId\"?",
                "error: api.yaml:14:43: dangling $ref \"#/components/schemas/Pett\": no such schema",
                "help: did you mean \"#/components/schemas/Pet\"?",
                "error: api.yaml:15:18: dangling $ref \"#/components/responses/NotFound\": no such response",
                "help: declare the response under components.responses, or fix the reference",
                "error: api.yaml:24:21: dangling $ref \"#/components/schemas/Pet/properties/nmae\"",
                "help: did you mean \"#/components/schemas/Pet/properties/name\"?",
                "error: api.yaml: 4 dangling $refs\n",
            ],
        ),
        (
            "dangling-refs-25",
            &["lint", "--format", "json"],
            20,
            &[
                "error: api.yaml:10:18: dangling $ref \"#/components/schemas/Line1\"",
                "error: api.yaml:29:19: dangling $ref \"#/components/schemas/Line20\"",
                "error: api.yaml: 25 dangling $refs (20 shown, 5 more not shown)\n",
            ],
        ),
        (
            "type-typos-everywhere",
            &["generate", "--out", "out"],
            8,
            &[
                "error: api.yaml:10:54: unknown schema type \"intger\" (at #/paths/~1pets/post/parameters/0/schema/type/0)",
                "error: api.yaml:11:50: unknown schema type \"strin\" (at #/paths/~1pets/post/parameters/1/schema/type)",
                "error: api.yaml:18:47: unknown schema type \"sting\" (at #/paths/~1pets/post/requestBody/content/application~1json/schema/properties/tags/items/type)",
                "error: api.yaml:23:33: unknown schema type \"numbr\" (at #/paths/~1pets/post/responses/201/headers/X-Rate/schema/type)",
                "help: did you mean \"number\"?",
                "error: api.yaml:25:43: unknown schema type \"objet\" (at #/paths/~1pets/post/responses/201/content/application~1json/schema/type)",
                "error: api.yaml:31:54: unknown schema type \"Object\" (at #/components/schemas/Pet/properties/owner/type)",
                "help: did you mean \"object\"?",
                "error: api.yaml:32:18: unknown schema type \"file\"",
                "help: Swagger 2's `type: file` is `type: string, format: binary` in OpenAPI 3",
                "error: api.yaml:33:17: unknown schema type \"varchar\"",
                "help: a schema's type is one of string, number, integer, boolean, array, object, null",
                "error: api.yaml: 8 unknown schema types\n",
            ],
        ),
    ];
    for (fixture, command, listed, expected) in cases {
        let spec = std::fs::read_to_string(common::fixture(&format!("errors/{fixture}.yaml")))
            .unwrap_or_else(|e| panic!("{fixture}: {e}"));
        let dir = common::temp_tree(&[("api.yaml", &spec)]);
        let mut args = command.to_vec();
        args.extend(["--spec", "api.yaml"]);
        let run = run_bounded(dir.path(), &args);
        assert_eq!(run.code, Some(2), "{fixture}: {}", run.stderr);
        assert_eq!(run.stdout, "", "{fixture}: printed to stdout");
        assert!(!dir.path().join("out").exists(), "{fixture}: wrote out/");
        // Each in the order the file has them.
        let mut rest = run.stderr.as_str();
        for line in *expected {
            match rest.find(line) {
                Some(at) => rest = &rest[at + line.len()..],
                None => panic!(
                    "{fixture}: {line:?} missing or out of order in\n{}",
                    run.stderr
                ),
            }
        }
        // The problems listed, then the count: never more than 20 + 1.
        let headlines = run
            .stderr
            .lines()
            .filter(|l| l.starts_with("error: "))
            .count();
        assert_eq!(headlines, *listed + 1, "{fixture}:\n{}", run.stderr);
    }
}
