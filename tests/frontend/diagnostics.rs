//! Errors and lint findings as a person sees them: the summary line, the
//! source line with a caret under the token, and the help — snapshotted as
//! the binary prints them into a pipe (no colour). Colour appears on a
//! terminal only, and never when `NO_COLOR` is set.

use crate::common;

use std::process::Command;

use crate::common::MINIMAL_SPEC;

fn spec_with(from: &str, to: &str) -> String {
    assert!(MINIMAL_SPEC.contains(from), "fixture lacks {from:?}");
    MINIMAL_SPEC.replacen(from, to, 1)
}

/// What `tiergen ARGS` prints on stderr (errors) and stdout (lint) in a
/// folder holding `files`.
fn shown(files: &[(&str, String)], args: &[&str]) -> String {
    let files: Vec<(&str, &str)> = files.iter().map(|(p, c)| (*p, c.as_str())).collect();
    let dir = common::temp_tree(&files);
    let output = Command::new(env!("CARGO_BIN_EXE_tiergen"))
        .args(args)
        .current_dir(dir.path())
        .env_remove("NO_COLOR")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    format!(
        "exit {:?}\n{}{}",
        output.status.code(),
        common::stderr(&output),
        common::stdout(&output)
    )
}

fn ir_of(spec: String) -> String {
    shown(&[("api.yaml", spec)], &["ir", "--spec", "api.yaml"])
}

#[test]
fn errors_show_the_line_a_caret_and_help() {
    let with_schema = |schemas: &str, reference: &str| {
        MINIMAL_SPEC
            .replace(
                "    key: { type: http, scheme: bearer }",
                &format!("    key: {{ type: http, scheme: bearer }}\n  schemas:\n{schemas}"),
            )
            .replace(
                "\"200\": { description: OK. }",
                &format!("\"200\": {{ description: OK., content: {{ application/json: {{ schema: {{ $ref: \"{reference}\" }} }} }} }}"),
            )
    };
    let cases = [
        ("unknown_scheme_typo", ir_of(spec_with("security: [{ key: [] }]", "security: [{ kye: [] }]"))),
        ("unknown_scheme", ir_of(spec_with("security: [{ key: [] }]", "security: [{ session: [] }]"))),
        (
            "dangling_ref_typo",
            ir_of(with_schema("    Thing: { type: object }\n", "#/components/schemas/Thnig")),
        ),
        (
            "dangling_ref",
            ir_of(with_schema("    Thing: { type: object }\n", "#/components/schemas/Order")),
        ),
        (
            "external_ref",
            ir_of(spec_with("schema: { type: string }", "schema: { $ref: \"https://example.com/id.json\" }")),
        ),
        ("yaml_syntax", ir_of("openapi: 3.1.0\ninfo: [unclosed\n".to_string())),
        (
            "json_trailing_comma",
            ir_of("{\"openapi\": \"3.1.0\",\n \"info\": {\"title\": \"t\", \"version\": \"1\",},\n \"paths\": {}}".to_string()),
        ),
        (
            "oversized_integer",
            ir_of(spec_with("schema: { type: string }", "schema: { type: integer, maximum: 99999999999999999999999 }")),
        ),
        ("yaml_tag", ir_of(spec_with("schema: { type: string }", "schema: !include id.yaml"))),
        ("openapi_version", ir_of(spec_with("openapi: 3.1.0", "openapi: 3.2.0"))),
        (
            "duplicate_operation_id",
            ir_of(format!(
                "{MINIMAL_SPEC}  /others:\n    get:\n      operationId: getThing\n      responses: {{ \"200\": {{ description: OK. }} }}\n"
            )),
        ),
        (
            "overlay_target",
            shown(
                &[
                    ("api.yaml", MINIMAL_SPEC.to_string()),
                    (
                        "api.overlay.yaml",
                        "overlay: 1.0.0\ninfo: { title: o, version: \"1\" }\nactions:\n  - target: $.paths.*[?@.operationId == 'getThings']\n    update: { x-tiergen-effects: [] }\n".into(),
                    ),
                ],
                &["ir", "--spec", "api.yaml"],
            ),
        ),
    ];
    for (name, text) in cases {
        assert!(!text.contains('\u{1b}'), "{name}: colour in a pipe");
        insta::assert_snapshot!(format!("diagnostic_{name}"), text);
    }
}

/// Errors a user makes, one fixture each under `tests/fixtures/errors/`: a
/// typo'd schema type, several dangling `$ref`s (each shown, then counted),
/// a path parameter declared under another spelling than the template's.
#[test]
fn user_errors_show_what_was_meant() {
    for fixture in [
        "type-typo",
        "type-typos-everywhere",
        "dangling-refs",
        "path-param-case",
        "path-param-typo",
    ] {
        let spec = std::fs::read_to_string(common::fixture(&format!("errors/{fixture}.yaml")))
            .unwrap_or_else(|e| panic!("{e}"));
        let text = ir_of(spec);
        assert!(text.starts_with("exit Some(2)\nerror: api.yaml:"), "{text}");
        insta::assert_snapshot!(format!("diagnostic_{fixture}"), text);
    }
}

#[test]
fn lint_findings_show_the_line_a_caret_and_the_rule() {
    for fixture in ["destructive-without-guard", "unauthenticated-mutation"] {
        let spec = std::fs::read_to_string(common::fixture(&format!("lint/{fixture}.yaml")))
            .unwrap_or_else(|e| panic!("{e}"));
        let text = shown(&[("api.yaml", spec)], &["lint", "--spec", "api.yaml"]);
        insta::assert_snapshot!(format!("diagnostic_lint_{fixture}"), text);
    }
}

/// `tiergen ARGS` on a pseudo-terminal (util-linux `script`), as a person
/// at a terminal sees it; `None` where `script` is missing.
fn on_a_terminal(dir: &std::path::Path, no_color: Option<&str>, args: &str) -> Option<String> {
    let mut command = Command::new("script");
    command
        .args([
            "-qec",
            &format!("{} {args}", env!("CARGO_BIN_EXE_tiergen")),
            "/dev/null",
        ])
        .current_dir(dir)
        .env_remove("NO_COLOR");
    if let Some(value) = no_color {
        command.env("NO_COLOR", value);
    }
    let output = command.output().ok()?;
    Some(common::stdout(&output))
}

#[test]
fn colour_on_a_terminal_only_and_never_with_no_color() {
    let dir = common::temp_tree(&[(
        "api.yaml",
        &spec_with("security: [{ key: [] }]", "security: [{ kye: [] }]"),
    )]);
    let Some(coloured) = on_a_terminal(dir.path(), None, "ir --spec api.yaml") else {
        eprintln!("skipped: util-linux `script` is not installed");
        return;
    };
    assert!(
        coloured.contains("\u{1b}["),
        "no colour on a terminal:\n{coloured}"
    );
    assert!(coloured.contains("did you mean"), "{coloured}");
    for value in ["1", "true"] {
        let plain =
            on_a_terminal(dir.path(), Some(value), "ir --spec api.yaml").unwrap_or_default();
        assert!(plain.contains("did you mean"), "{plain}");
        assert!(
            !plain.contains("\u{1b}["),
            "colour despite NO_COLOR={value}:\n{plain}"
        );
    }
    // An empty NO_COLOR is no request (no-color.org).
    let empty = on_a_terminal(dir.path(), Some(""), "ir --spec api.yaml").unwrap_or_default();
    assert!(empty.contains("\u{1b}["), "{empty}");
    // Lint findings are coloured on a terminal too; `--format json` is for
    // machines and never is.
    let spec = std::fs::read_to_string(common::fixture("lint/destructive-without-guard.yaml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let lint_dir = common::temp_tree(&[("api.yaml", &spec)]);
    let text = on_a_terminal(lint_dir.path(), None, "lint --spec api.yaml").unwrap_or_default();
    assert!(
        text.contains("\u{1b}[") && text.contains("destructive-without-guard"),
        "{text}"
    );
    let json = on_a_terminal(lint_dir.path(), None, "lint --spec api.yaml --format json")
        .unwrap_or_default();
    assert!(json.contains("destructive-without-guard"), "{json}");
    assert!(!json.contains("\u{1b}["), "{json}");
}
