//! The markdown tier tables read well: parsed with a real CommonMark/GFM
//! parser, every table is well-formed, every operation is listed exactly
//! once, and spec text can break neither a table nor the template.

mod common;

use std::collections::BTreeMap;

use common::markdown::{Table, assert_tables_consistent, tables};
use tiergen::emit::{Files, Target, emit};
use tiergen::frontend::{OverlayChoice, load};
use tiergen::ir::Api;

fn docs_of(spec: &str) -> (Api, Files) {
    let api =
        load(&common::fixture(spec), &OverlayChoice::Beside).unwrap_or_else(|e| panic!("{e}"));
    let files = emit(&api, &[Target::Docs]).unwrap_or_else(|e| panic!("{e}"));
    (api, files)
}

fn management_docs() -> (Api, Files) {
    let api = load(
        &common::repo_root().join("spec/management.yaml"),
        &OverlayChoice::Beside,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let files = emit(&api, &[Target::Docs]).unwrap_or_else(|e| panic!("{e}"));
    (api, files)
}

fn page<'a>(files: &'a Files, path: &str) -> &'a str {
    std::str::from_utf8(files.get(path).unwrap_or_else(|| panic!("no {path}")))
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_table_of_the_management_docs_is_well_formed() {
    let (_, files) = management_docs();
    for (path, bytes) in files.iter() {
        assert_tables_consistent(path, std::str::from_utf8(bytes).unwrap_or_default());
    }
}

#[test]
fn every_operation_appears_exactly_once_in_the_operations_tables() {
    let (api, files) = management_docs();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for table in tables(page(&files, "docs/operations.md")) {
        if table.header != ["Method · Path", "Purpose", "Tier"] {
            continue;
        }
        for row in &table.rows {
            *seen.entry(row[0].clone()).or_default() += 1;
        }
    }
    for op in &api.operations {
        let key = format!("{} {}", op.method, op.path);
        assert_eq!(seen.remove(&key), Some(1), "{key} ({})", op.id);
    }
    assert!(seen.is_empty(), "rows for no operation: {seen:?}");
}

#[test]
fn docs_use_the_docs_site_columns() {
    let (_, files) = management_docs();
    let tier = tables(page(&files, "docs/tiers.md"));
    assert_eq!(tier[0].header, ["Scheme", "What it is", "Where it applies"]);
    let schemes: Vec<&str> = tier[0].rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        schemes,
        [
            "workosSession",
            "cpAdminBearer",
            "provisionSecret",
            "tenantAdminToken",
            "orgApiKey",
            "workspaceToken"
        ]
    );
    let org_key = &tier[0].rows[4][2];
    assert!(
        org_key.starts_with("Tenant workspace-server: 27 of 28 operations"),
        "{org_key}"
    );
    assert!(
        !org_key.contains("Control plane"),
        "the org API key reaches no CP route: {org_key}"
    );
    let reach = tier
        .iter()
        .find(|t| t.section == "Reach matrix")
        .unwrap_or_else(|| panic!("no reach matrix"));
    let org_key_reach = reach
        .rows
        .iter()
        .find(|r| r[0] == "orgApiKey")
        .unwrap_or_else(|| panic!("no orgApiKey row"));
    assert_eq!(
        org_key_reach[1..],
        ["0 of 30", "27 of 28", "any Control plane operation (29)"]
    );
}

/// The operations-table row whose first cell is `request` (`METHOD /path`).
fn row<'a>(tables: &'a [Table], request: &str) -> &'a [String] {
    tables
        .iter()
        .flat_map(|t| &t.rows)
        .find(|r| r[0] == request)
        .unwrap_or_else(|| panic!("no row for {request}"))
}

#[test]
fn one_look_answers_which_credential_and_what_happens() {
    let (_, files) = management_docs();
    let operations = tables(page(&files, "docs/operations.md"));
    let teardown = row(&operations, "DELETE /api/v1/admin/tenants/{slug}");
    assert!(
        teardown[1].contains("guard: confirm")
            && teardown[1].contains("effect: irreversible-purge"),
        "{teardown:?}"
    );
    assert_eq!(teardown[2], "cpAdminBearer");
    let deprovision = row(&operations, "DELETE /api/v1/workspaces/{workspace_id}");
    assert_eq!(deprovision[2], "provisionSecret + tenantAdminToken");
    let listing = row(&operations, "GET /workspaces");
    assert_eq!(
        listing[2],
        "orgApiKey + X-Molecule-Org-Id or workosSession + X-Molecule-Org-Slug"
    );
}

#[test]
fn hostile_spec_text_is_data_not_markup_or_template() {
    let (_, files) = docs_of("hostile.yaml");
    for (path, bytes) in files.iter() {
        let text = std::str::from_utf8(bytes).unwrap_or_default();
        assert_tables_consistent(path, text);
        assert!(
            !text.contains("49"),
            "{path}: `{{{{ 7*7 }}}}` was evaluated"
        );
        assert!(!text.contains("evaluated{"), "{path}");
        assert!(
            !text.contains("<script>") && !text.contains("<key>"),
            "{path}: raw angle brackets"
        );
    }
    let operations = page(&files, "docs/operations.md");
    // The summary stays one cell; the description's lines are escaped.
    let hostile = row(&tables(operations), "DELETE /things/{id}").to_vec();
    assert_eq!(
        hostile[1],
        "Delete | destroy {everything} <now> second line · effect: cascade-delete"
    );
    assert!(operations.contains("\\# Not a heading"));
    assert!(operations.contains("Uses `{{ secret }}` and \\{\\{ 1+1 \\}\\}"));
    insta::assert_snapshot!("hostile_operations", operations);
}

#[test]
fn docs_snapshots_of_small_fixtures() {
    let (_, files) = docs_of("petstore-3.0.yaml");
    for (path, bytes) in files.iter() {
        let name = format!("petstore_{}", path.replace(['/', '.'], "_"));
        insta::assert_snapshot!(name, String::from_utf8_lossy(bytes));
    }
}
