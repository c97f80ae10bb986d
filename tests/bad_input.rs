//! Every kind of bad input ends in exit code 2 with one clear message that
//! names the file and the line:column or JSON pointer — never a panic.

mod common;

use common::MINIMAL_SPEC;

struct Case {
    name: &'static str,
    /// Files to create (the spec is `api.yaml`).
    files: Vec<(&'static str, String)>,
    /// Extra arguments after `ir --spec api.yaml`.
    args: &'static [&'static str],
    /// What stderr must contain.
    expect: &'static [&'static str],
}

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
            name: "unsupported version",
            files: vec![("api.yaml", spec_with("openapi: 3.1.0", "openapi: 4.0.0"))],
            args: &[],
            expect: &["api.yaml:1:1: unsupported OpenAPI version", "(at #/openapi)"],
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
    ]
}

#[test]
fn bad_input_table() {
    let mut failures = Vec::new();
    for case in cases() {
        let files: Vec<(&str, &str)> = case.files.iter().map(|(p, c)| (*p, c.as_str())).collect();
        let dir = common::temp_tree(&files);
        let mut args = vec!["ir", "--spec", "api.yaml"];
        args.extend_from_slice(case.args);
        let output = common::tiergen_in(dir.path(), &args);
        let stderr = common::stderr(&output);
        let problems: Vec<String> = [
            (output.status.code() != Some(2))
                .then(|| format!("exit code {:?}", output.status.code())),
            (!output.stdout.is_empty()).then(|| "printed to stdout".to_string()),
            stderr.contains("panicked").then(|| "panicked".to_string()),
            (stderr.lines().count() != 1)
                .then(|| format!("{} lines on stderr", stderr.lines().count())),
        ]
        .into_iter()
        .flatten()
        .chain(
            case.expect
                .iter()
                .filter(|e| !stderr.contains(*e))
                .map(|e| format!("missing {e:?}")),
        )
        .collect();
        if !problems.is_empty() {
            failures.push(format!(
                "{}: {}\n    stderr: {}",
                case.name,
                problems.join("; "),
                stderr.trim()
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn usage_errors_exit_2() {
    let output = common::tiergen(&["ir", "--no-such-flag"]);
    assert_eq!(output.status.code(), Some(2));
    let output = common::tiergen(&["frobnicate"]);
    assert_eq!(output.status.code(), Some(2));
}
