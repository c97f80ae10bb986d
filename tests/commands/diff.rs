//! `tiergen diff` run as a real process: a fixture pair with every kind of
//! change, and copies of the management spec changed the ways a pull
//! request would change it.

use crate::common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use serde_json::Value;

fn diff(args: &[&str]) -> (Option<i32>, String, String) {
    let mut all = vec!["diff"];
    all.extend_from_slice(args);
    let output = common::tiergen(&all);
    (
        output.status.code(),
        common::stdout(&output),
        common::stderr(&output),
    )
}

/// (class, id, operation) of every change in a JSON report.
fn triples(json: &str) -> BTreeSet<(String, String, String)> {
    let report: Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
    common::diff_changes(&report, ["class", "id", "operation"])
        .into_iter()
        .map(|[class, id, operation]| (class, id, operation))
        .collect()
}

fn triple(class: &str, id: &str, operation: &str) -> (String, String, String) {
    (class.to_string(), id.to_string(), operation.to_string())
}

#[test]
fn the_fixture_pair_shows_every_kind_of_change_in_its_class() {
    let (code, out, err) = diff(&[
        "--format",
        "json",
        "tests/fixtures/diff/old.yaml",
        "tests/fixtures/diff/new.yaml",
    ]);
    assert_eq!(code, Some(0), "{err}");
    let expected: BTreeSet<_> = [
        ("breaking", "operation-removed", "removedOp"),
        ("breaking", "operation-moved", "movedOp"),
        ("breaking", "operation-renamed", "newName"),
        ("breaking", "parameter-removed", "guardedOp"),
        ("breaking", "parameter-became-required", "guardedOp"),
        ("breaking", "required-parameter-added", "guardedOp"),
        ("breaking", "success-status-removed", "guardedOp"),
        ("breaking", "request-narrowed", "shapesOp"),
        ("breaking", "request-enum-value-removed", "shapesOp"),
        ("breaking", "field-became-required", "shapesOp"),
        ("breaking", "request-nullability-removed", "shapesOp"),
        ("breaking", "required-field-added", "shapesOp"),
        ("breaking", "field-became-optional", "shapesOp"),
        ("breaking", "response-field-removed", "shapesOp"),
        ("breaking", "response-enum-value-added", "shapesOp"),
        ("breaking", "type-changed", "shapesOp"),
        ("security", "credential-alternative-added", "widenedOp"),
        ("security", "credential-outside-service", "widenedOp"),
        ("security", "credential-alternative-removed", "narrowedOp"),
        ("security", "became-public", "publicOp"),
        ("security", "routing-dropped", "routingOp"),
        ("security", "guard-removed", "guardedOp"),
        ("security", "guard-changed", "guardedOp"),
        ("security", "sensitive-mark-lost", "shapesOp"),
        ("effects", "effect-added", "guardedOp"),
        ("effects", "effect-removed", "guardedOp"),
        ("non-breaking", "parameter-added", "guardedOp"),
        ("non-breaking", "field-added", "shapesOp"),
        ("non-breaking", "operation-added", "addedOp"),
        ("breaking", "routing-required", "moreRoutingOp"),
        ("breaking", "body-became-required", "bodyOp"),
        ("breaking", "request-field-removed", "bodyOp"),
        ("breaking", "body-removed", "bodyGoneOp"),
        ("breaking", "response-widened", "answerOp"),
        ("breaking", "response-became-nullable", "answerOp"),
        ("non-breaking", "guard-added", "answerOp"),
        ("non-breaking", "status-added", "answerOp"),
        ("non-breaking", "response-nullability-removed", "shapesOp"),
    ]
    .iter()
    .map(|(c, i, o)| triple(c, i, o))
    .collect();
    assert_eq!(triples(&out), expected);
}

#[test]
fn every_change_says_where_it_is() {
    let (_, out, _) = diff(&[
        "--format",
        "json",
        "tests/fixtures/diff/old.yaml",
        "tests/fixtures/diff/new.yaml",
    ]);
    let report: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    for change in report["changes"].as_array().cloned().unwrap_or_default() {
        let at = change["at"].as_str().unwrap_or_default();
        let expected_file = if change["in_old"] == true {
            "old.yaml:"
        } else {
            "new.yaml:"
        };
        assert!(at.contains(expected_file), "{change}");
        let pointer = change["pointer"].as_str().unwrap_or_default();
        assert!(
            pointer.starts_with("/paths/") || pointer.starts_with("/components/schemas/"),
            "{change}"
        );
    }
    let (_, text, _) = diff(&[
        "tests/fixtures/diff/old.yaml",
        "tests/fixtures/diff/new.yaml",
    ]);
    assert!(text.contains("removedOp: [operation-removed] GET /cp/removed was removed without being deprecated first\n      at tests/fixtures/diff/old.yaml:"), "{text}");
    assert!(
        text.ends_with("tiergen diff: 22 breaking, 8 security, 2 effects, 6 non-breaking\n"),
        "{text}"
    );
}

#[test]
fn fail_on_picks_the_classes_that_fail_the_build() {
    let pair = [
        "tests/fixtures/diff/old.yaml",
        "tests/fixtures/diff/new.yaml",
    ];
    let with = |classes: &str| diff(&["--fail-on", classes, pair[0], pair[1]]).0;
    assert_eq!(with("breaking,security"), Some(1));
    assert_eq!(with("effects"), Some(1));
    assert_eq!(with("non-breaking"), Some(1));
    let (code, _, err) = diff(&["--fail-on", "bogus", pair[0], pair[1]]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("unknown --fail-on \"bogus\""), "{err}");
}

#[test]
fn the_markdown_report_is_a_pull_request_comment() {
    let (_, md, _) = diff(&[
        "--format",
        "markdown",
        "tests/fixtures/diff/old.yaml",
        "tests/fixtures/diff/new.yaml",
    ]);
    assert!(
        md.starts_with("### tiergen diff: 22 breaking, 8 security, 2 effects, 6 non-breaking\n"),
        "{md}"
    );
    assert!(
        md.contains(
            "<details>\n<summary>Security (8)</summary>\n\n| Operation | Change | What | Where |\n|---|---|---|---|\n"
        ),
        "{md}"
    );
    assert!(
        md.contains(
            "| `widenedOp` | `credential-alternative-added` | widened: now also accepts `orgKey` |"
        ),
        "{md}"
    );
    // Every table row has four cells, whatever the message holds.
    let parser_events =
        pulldown_cmark::Parser::new_ext(&md, pulldown_cmark::Options::ENABLE_TABLES);
    let mut cells_in_row = 0;
    for event in parser_events {
        match event {
            pulldown_cmark::Event::Start(pulldown_cmark::Tag::TableRow) => cells_in_row = 0,
            pulldown_cmark::Event::Start(pulldown_cmark::Tag::TableCell) => cells_in_row += 1,
            pulldown_cmark::Event::End(pulldown_cmark::TagEnd::TableRow) => {
                assert_eq!(cells_in_row, 4)
            }
            _ => {}
        }
    }
}

/// A copy of the management spec and overlay, each edited by `(from, to)` replacements.
fn edited_management(
    spec_edits: &[(&str, &str)],
    overlay_edits: &[(&str, &str)],
) -> tempfile::TempDir {
    let root = common::repo_root();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let copy = |name: &str, edits: &[(&str, &str)]| {
        let mut text =
            fs::read_to_string(root.join("spec").join(name)).unwrap_or_else(|e| panic!("{e}"));
        for (from, to) in edits {
            assert!(text.contains(from), "{name} lacks {from:?}");
            text = text.replacen(from, to, 1);
        }
        fs::write(dir.path().join(name), text).unwrap_or_else(|e| panic!("{e}"));
    };
    copy("management.yaml", spec_edits);
    copy("management.overlay.yaml", overlay_edits);
    dir
}

fn management_changes(dir: &Path) -> BTreeSet<(String, String, String)> {
    let new = dir.join("management.yaml");
    let (code, out, err) = diff(&[
        "--format",
        "json",
        "spec/management.yaml",
        &new.to_string_lossy(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    triples(&out)
}

#[test]
fn the_management_spec_compared_with_itself_reports_nothing() {
    let (code, out, err) = diff(&[
        "--fail-on",
        "breaking,security,effects,non-breaking",
        "spec/management.yaml",
        "spec/management.yaml",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        out,
        "tiergen diff: 0 breaking, 0 security, 0 effects, 0 non-breaking\n"
    );
    // And with the committed version, read through git.
    let (code, out, err) = diff(&["git:HEAD:spec/management.yaml", "spec/management.yaml"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        out,
        "tiergen diff: 0 breaking, 0 security, 0 effects, 0 non-breaking\n"
    );
}

#[test]
fn the_org_api_key_on_a_control_plane_route_is_a_security_change() {
    let dir = edited_management(
        &[(
            "operationId: adminListOrgs\n      security: [{ cpAdminBearer: [] }]",
            "operationId: adminListOrgs\n      security: [{ cpAdminBearer: [] }, { orgApiKey: [] }]",
        )],
        &[],
    );
    let expected: BTreeSet<_> = [
        triple("security", "credential-alternative-added", "adminListOrgs"),
        triple("security", "credential-outside-service", "adminListOrgs"),
    ]
    .into();
    assert_eq!(management_changes(dir.path()), expected);
}

#[test]
fn a_tenant_delete_made_public_is_a_security_change() {
    let dir = edited_management(
        &[(
            "operationId: tenantDeleteWorkspace\n      security:\n        - orgApiKey: []\n          orgRoutingHeaderId: []",
            "operationId: tenantDeleteWorkspace\n      security: []",
        )],
        &[],
    );
    let expected: BTreeSet<_> =
        [triple("security", "became-public", "tenantDeleteWorkspace")].into();
    assert_eq!(management_changes(dir.path()), expected);
}

#[test]
fn removing_the_dry_run_guard_from_spec_and_overlay_is_reported() {
    let dir = edited_management(
        &[
            (
                "\n        **Dry-run guard:** `?dry_run=true` validates + echoes without creating.\n",
                "\n",
            ),
            (
                "      parameters:\n        - name: dry_run\n          in: query\n          required: false\n          description: When true, validate + echo only; no org created.\n          schema: { type: boolean }\n",
                "",
            ),
        ],
        &[(
            "  - target: $.paths.*[?@.operationId == 'adminCreateOrg']\n    description: \"**Dry-run guard:** `?dry_run=true` validates + echoes without creating.\"\n    update:\n      x-tiergen-guards:\n        - { kind: dry-run, param: dry_run, status: 200 }\n",
            "",
        )],
    );
    let expected: BTreeSet<_> = [
        triple("security", "guard-removed", "adminCreateOrg"),
        triple("breaking", "parameter-removed", "adminCreateOrg"),
    ]
    .into();
    assert_eq!(management_changes(dir.path()), expected);
}

#[test]
fn an_operation_removed_with_its_overlay_actions_compares_cleanly() {
    let dir = edited_management(
        &[(
            "  /workspaces/{id}/restart:\n    parameters: [{ $ref: \"#/components/parameters/WorkspaceId\" }]\n    post:\n      tags: [tenant-workspaces]\n      summary: Restart a workspace\n      operationId: tenantRestartWorkspace\n      security:\n        - orgApiKey: []\n          orgRoutingHeaderId: []\n        - workspaceToken: []\n          orgRoutingHeaderId: []\n      parameters:\n        - { $ref: \"#/components/parameters/OrgIdHeader\" }\n        - { $ref: \"#/components/parameters/OrgSlugHeader\" }\n      responses:\n        \"200\": { description: Restart dispatched. }\n        \"401\": { $ref: \"#/components/responses/Unauthorized\" }\n\n",
            "",
        )],
        &[
            (
                "  - target: $.paths.*[?@.operationId == 'tenantRestartWorkspace']\n    update:\n      x-tiergen-effects:\n        - { kind: restarts-workspace }\n",
                "",
            ),
            (
                "  - target: $.paths.*[?@.operationId == 'tenantRestartWorkspace']\n    update: { x-tiergen-tool-name: restart_workspace }\n",
                "",
            ),
        ],
    );
    let expected: BTreeSet<_> = [triple(
        "breaking",
        "operation-removed",
        "tenantRestartWorkspace",
    )]
    .into();
    assert_eq!(management_changes(dir.path()), expected);
}

#[test]
fn a_required_query_parameter_added_is_breaking() {
    let dir = edited_management(
        &[(
            "operationId: tenantListWorkspaces\n      security:\n        - orgApiKey: []\n          orgRoutingHeaderId: []\n        - workosSession: []\n          orgRoutingHeaderSlug: []\n      parameters:\n",
            "operationId: tenantListWorkspaces\n      security:\n        - orgApiKey: []\n          orgRoutingHeaderId: []\n        - workosSession: []\n          orgRoutingHeaderSlug: []\n      parameters:\n        - { name: view, in: query, required: true, schema: { type: string } }\n",
        )],
        &[],
    );
    let expected: BTreeSet<_> = [triple(
        "breaking",
        "required-parameter-added",
        "tenantListWorkspaces",
    )]
    .into();
    assert_eq!(management_changes(dir.path()), expected);
}

#[test]
fn bad_sources_are_clear_errors_with_exit_2() {
    let (code, out, err) = diff(&[
        "git:no-such-rev:spec/management.yaml",
        "spec/management.yaml",
    ]);
    assert_eq!(code, Some(2), "{err}");
    assert!(out.is_empty());
    assert!(err.starts_with("error: git:no-such-rev:spec/management.yaml: git show no-such-rev:spec/management.yaml failed"), "{err}");
    let (code, _, err) = diff(&["spec/nope.yaml", "spec/management.yaml"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("spec/nope.yaml: cannot read file"), "{err}");
    let (code, _, err) = diff(&["git:HEAD", "spec/management.yaml"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("a git source is `git:REV:path`"), "{err}");
}

/// OAuth2 scopes are part of an alternative: needing fewer lets more tokens
/// in (security), needing more locks callers out (breaking).
#[test]
fn scope_changes_are_security_or_breaking() {
    let old = std::fs::read_to_string(common::fixture("breadth/security.yaml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let new = old
        .replace(
            "- { oauth: [\"read:things\", \"write:things\"] }",
            "- { oauth: [\"write:things\"] }",
        )
        .replace("{ oauth: [admin] }", "{ oauth: [admin, \"write:things\"] }");
    assert_ne!(old, new, "the fixture changed; update the edits");
    let dir = common::temp_tree(&[("old.yaml", &old), ("new.yaml", &new)]);
    let output = common::tiergen_in(
        dir.path(),
        &["diff", "--format", "json", "old.yaml", "new.yaml"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", common::stderr(&output));
    let expected: BTreeSet<_> = [
        triple("security", "scope-dropped", "createThing"),
        triple("breaking", "scope-required", "deleteThing"),
    ]
    .into_iter()
    .collect();
    assert_eq!(triples(&common::stdout(&output)), expected);
}

#[test]
fn the_readme_lists_every_kind_with_its_class() {
    let readme =
        fs::read_to_string(common::repo_root().join("README.md")).unwrap_or_else(|e| panic!("{e}"));
    let table = readme
        .split_once("<!-- kinds:start -->\n")
        .and_then(|(_, rest)| rest.split_once("<!-- kinds:end -->"))
        .map(|(table, _)| table)
        .unwrap_or_else(|| panic!("README has no kinds table"));
    assert_eq!(table, tiergen::diff::kinds_table());
}
