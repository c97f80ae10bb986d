//! The MCP manifests under golden/mcp: every tool valid under both MCP schema
//! revisions, every inputSchema valid JSON Schema 2020-12, credentials and
//! routing never arguments, the hand-written server's tool names kept, and
//! what each credential can reach exactly what the spec says.

use crate::common;

use std::collections::BTreeSet;

use serde_json::{Value, json};
use tiergen::emit::{Target, emit};
use tiergen::frontend::{OverlayChoice, load};

const SCHEMA_REVISIONS: [&str; 2] = ["2025-11-25", "2026-07-28"];

fn manifest(name: &str) -> Value {
    let path = common::repo_root().join("golden/mcp").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn manifests() -> Vec<(String, Value)> {
    let dir = common::repo_root().join("golden/mcp");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|n| (n.clone(), manifest(&n)))
        .collect()
}

fn tools(manifest: &Value) -> &Vec<Value> {
    manifest["tools"]
        .as_array()
        .unwrap_or_else(|| panic!("no tools array"))
}

fn tool<'m>(manifest: &'m Value, name: &str) -> &'m Value {
    tools(manifest)
        .iter()
        .find(|t| t["name"] == name)
        .unwrap_or_else(|| panic!("no tool {name}"))
}

/// A validator for `#/$defs/Tool` of one MCP schema revision.
fn tool_validator(revision: &str) -> jsonschema::Validator {
    let path = common::repo_root().join(format!("../shared/mcp-schema/{revision}.schema.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut schema: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    schema["$ref"] = json!("#/$defs/Tool");
    jsonschema::draft202012::new(&schema).unwrap_or_else(|e| panic!("{revision}: {e}"))
}

#[test]
fn there_is_one_manifest_per_credential_that_can_call_something_and_a_public_one() {
    let names: Vec<String> = manifests().into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        [
            "cp-admin-bearer.json",
            "org-api-key.json",
            "provision-secret.json",
            "public.json",
            "workos-session.json",
            "workspace-token.json"
        ]
    );
}

#[test]
fn the_public_manifest_lists_exactly_what_anyone_may_call() {
    let api = load(
        &common::repo_root().join("spec/management.yaml"),
        &OverlayChoice::Beside,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let public = manifest("public.json");
    assert_eq!(public["_meta"]["tiergen/server"]["credential"], Value::Null);
    let listed: BTreeSet<String> = tools(&public)
        .iter()
        .map(|t| {
            t["_meta"]["tiergen/route"]["operation"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    let anyone: BTreeSet<String> = api
        .operations
        .iter()
        .filter(|op| op.auth.admits_anonymous())
        .map(|op| op.id.clone())
        .collect();
    assert_eq!(listed, anyone);
    // Written out, so a wrong rule cannot agree with itself.
    assert_eq!(
        listed,
        BTreeSet::from([
            "getOrgInstance".to_string(),
            "tenantGetWorkspace".to_string()
        ])
    );
}

#[test]
fn every_manifest_is_a_tools_list_result_under_both_revisions() {
    for revision in SCHEMA_REVISIONS {
        let path = common::repo_root().join(format!("../shared/mcp-schema/{revision}.schema.json"));
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut schema: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
        schema["$ref"] = json!("#/$defs/ListToolsResult");
        let validator =
            jsonschema::draft202012::new(&schema).unwrap_or_else(|e| panic!("{revision}: {e}"));
        for (file, manifest) in manifests() {
            let problems: Vec<String> = validator
                .iter_errors(&manifest)
                .map(|e| format!("{}: {e}", e.instance_path()))
                .collect();
            assert!(problems.is_empty(), "{revision} {file}: {problems:?}");
        }
    }
}

#[test]
fn every_tool_is_valid_under_both_mcp_schema_revisions() {
    for revision in SCHEMA_REVISIONS {
        let validator = tool_validator(revision);
        // The validator does reject what is not a tool.
        assert!(
            !validator.is_valid(&json!({"name": "x"})),
            "{revision}: no inputSchema"
        );
        assert!(!validator.is_valid(&json!({"name": "x", "inputSchema": {"type": "array"}})));
        for (file, manifest) in manifests() {
            for tool in tools(&manifest) {
                let problems: Vec<String> =
                    validator.iter_errors(tool).map(|e| e.to_string()).collect();
                assert!(
                    problems.is_empty(),
                    "{revision} {file} {}: {problems:?}",
                    tool["name"]
                );
            }
        }
    }
}

#[test]
fn every_input_and_output_schema_is_valid_json_schema_2020_12() {
    for (file, manifest) in manifests() {
        for tool in tools(&manifest) {
            for key in ["inputSchema", "outputSchema"] {
                let Some(schema) = tool.get(key) else {
                    continue;
                };
                assert!(
                    jsonschema::draft202012::meta::validate(schema).is_ok(),
                    "{file} {} {key} is not valid 2020-12",
                    tool["name"]
                );
                // Self-contained: every reference points into its own $defs.
                let text = schema.to_string();
                for reference in text.split("\"$ref\":\"").skip(1) {
                    assert!(
                        reference.starts_with("#/$defs/"),
                        "{file} {}: {reference}",
                        tool["name"]
                    );
                }
                jsonschema::draft202012::new(schema).unwrap_or_else(|e| {
                    panic!("{file} {} {key} does not compile: {e}", tool["name"])
                });
            }
        }
    }
}

#[test]
fn tools_are_sorted_unique_and_named_within_mcp_limits() {
    for (file, manifest) in manifests() {
        let names: Vec<&str> = tools(&manifest)
            .iter()
            .filter_map(|t| t["name"].as_str())
            .collect();
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(names, sorted, "{file}: sorted and unique");
        for name in names {
            assert!(
                (1..=64).contains(&name.len())
                    && name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'),
                "{file}: {name}"
            );
        }
    }
}

#[test]
fn the_org_key_manifest_never_lists_a_control_plane_tool() {
    let org = manifest("org-api-key.json");
    for tool in tools(&org) {
        assert_eq!(
            tool["_meta"]["tiergen/route"]["service"], "tenant",
            "{}",
            tool["name"]
        );
        let path = tool["_meta"]["tiergen/route"]["path"]
            .as_str()
            .unwrap_or_default();
        assert!(!path.starts_with("/api/v1"), "{}", tool["name"]);
    }
    // And the operator's never lists a tenant one.
    for tool in tools(&manifest("cp-admin-bearer.json")) {
        assert_eq!(
            tool["_meta"]["tiergen/route"]["service"], "control-plane",
            "{}",
            tool["name"]
        );
    }
}

#[test]
fn each_manifest_lists_exactly_what_its_credential_can_call() {
    let api = load(
        &common::repo_root().join("spec/management.yaml"),
        &OverlayChoice::Beside,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    for (file, credential) in [
        ("org-api-key.json", "orgApiKey"),
        ("workspace-token.json", "workspaceToken"),
        ("workos-session.json", "workosSession"),
        ("cp-admin-bearer.json", "cpAdminBearer"),
        ("provision-secret.json", "provisionSecret"),
    ] {
        let listed: BTreeSet<String> = tools(&manifest(file))
            .iter()
            .map(|t| {
                t["_meta"]["tiergen/route"]["operation"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string()
            })
            .collect();
        let callable: BTreeSet<&tiergen::ir::ServiceId> = api
            .operations
            .iter()
            .filter(|op| {
                op.auth
                    .accepts(&tiergen::ir::CredentialId(credential.to_string()))
            })
            .map(|op| &op.service)
            .collect();
        let expected: BTreeSet<String> = api
            .operations
            .iter()
            .filter(|op| {
                op.auth
                    .accepts(&tiergen::ir::CredentialId(credential.to_string()))
                    || (op.auth == tiergen::ir::Auth::Public && callable.contains(&op.service))
            })
            .map(|op| op.id.clone())
            .collect();
        assert_eq!(listed, expected, "{file}");
    }
    // Written out, so a wrong rule cannot agree with itself: the org key's
    // manifest is the whole tenant surface and nothing else.
    let org: BTreeSet<String> = tools(&manifest("org-api-key.json"))
        .iter()
        .map(|t| {
            t["_meta"]["tiergen/route"]["operation"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    let tenant_surface: BTreeSet<String> = [
        "tenantListWorkspaces",
        "tenantCreateWorkspace",
        "tenantGetWorkspace",
        "tenantDeleteWorkspace",
        "tenantRestartWorkspace",
        "tenantPauseWorkspace",
        "tenantResumeWorkspace",
        "tenantGetBudget",
        "tenantPatchBudget",
        "tenantGetBillingMode",
        "tenantPutBillingMode",
        "tenantListWorkspaceSecrets",
        "tenantSetWorkspaceSecret",
        "tenantPutWorkspaceSecret",
        "tenantDeleteWorkspaceSecret",
        "tenantListGlobalSecrets",
        "tenantSetGlobalSecret",
        "tenantPutGlobalSecret",
        "tenantDeleteGlobalSecret",
        "tenantListOrgTokens",
        "tenantCreateOrgToken",
        "tenantRevokeOrgToken",
        "tenantOrgImport",
        "tenantListOrgTemplates",
        "tenantListTemplates",
        "tenantImportTemplate",
        "tenantExportBundle",
        "tenantImportBundle",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(org, tenant_surface);
    // Deprovision needs the tenant admin token too: the provision manifest says so.
    let provision = manifest("provision-secret.json");
    let route = &tool(&provision, "deprovision_workspace")["_meta"]["tiergen/route"];
    assert_eq!(
        route["auth"],
        json!([{"credentials": ["provisionSecret", "tenantAdminToken"]}])
    );
    assert_eq!(
        provision["_meta"]["tiergen/server"]["credentials"]["tenantAdminToken"]["env"],
        "MOLECULE_TENANT_ADMIN_TOKEN"
    );
}

#[test]
fn the_hand_written_servers_tool_names_are_kept() {
    let org = manifest("org-api-key.json");
    let table = [
        ("tenantListWorkspaces", "list_workspaces"),
        ("tenantCreateWorkspace", "provision_workspace"),
        ("tenantGetWorkspace", "get_workspace"),
        ("tenantDeleteWorkspace", "deprovision_workspace"),
        ("tenantRestartWorkspace", "restart_workspace"),
        ("tenantPauseWorkspace", "pause_workspace"),
        ("tenantResumeWorkspace", "resume_workspace"),
        ("tenantPatchBudget", "set_workspace_budget"),
        ("tenantPutBillingMode", "set_llm_billing_mode"),
        ("tenantListWorkspaceSecrets", "list_workspace_secrets"),
        ("tenantSetWorkspaceSecret", "set_workspace_secret"),
        ("tenantDeleteWorkspaceSecret", "delete_workspace_secret"),
        ("tenantListGlobalSecrets", "list_org_secrets"),
        ("tenantSetGlobalSecret", "set_org_secret"),
        ("tenantDeleteGlobalSecret", "delete_org_secret"),
        ("tenantListOrgTemplates", "list_org_templates"),
        ("tenantOrgImport", "create_org_from_template"),
        ("tenantListTemplates", "list_templates"),
        ("tenantImportTemplate", "import_template"),
        ("tenantListOrgTokens", "list_org_tokens"),
        ("tenantCreateOrgToken", "mint_org_token"),
        ("tenantRevokeOrgToken", "revoke_org_token"),
        ("tenantExportBundle", "export_bundle"),
        ("tenantImportBundle", "import_bundle"),
    ];
    for (operation, name) in table {
        assert_eq!(
            tool(&org, name)["_meta"]["tiergen/route"]["operation"],
            operation,
            "{name}"
        );
    }
    let operator = manifest("cp-admin-bearer.json");
    assert_eq!(
        tool(&operator, "list_orgs")["_meta"]["tiergen/route"]["operation"],
        "adminListOrgs"
    );
    let session = manifest("workos-session.json");
    assert_eq!(
        tool(&session, "get_org")["_meta"]["tiergen/route"]["operation"],
        "getOrg"
    );
    // The default rule: the operationId in snake case without a leading `tenant`.
    assert_eq!(
        tool(&org, "get_budget")["_meta"]["tiergen/route"]["operation"],
        "tenantGetBudget"
    );
}

#[test]
fn credentials_and_routing_headers_are_never_arguments() {
    for (file, manifest) in manifests() {
        for tool in tools(&manifest) {
            let properties = tool["inputSchema"]["properties"]
                .as_object()
                .cloned()
                .unwrap_or_default();
            for name in properties.keys() {
                let lower = name.to_ascii_lowercase();
                assert!(
                    !lower.starts_with("x-molecule-")
                        && lower != "authorization"
                        && lower != "cookie",
                    "{file} {}: {name}",
                    tool["name"]
                );
            }
        }
    }
}

#[test]
fn schemas_keep_integers_nullability_formats_and_enums() {
    let org = manifest("org-api-key.json");
    let create = &tool(&org, "provision_workspace")["inputSchema"];
    assert_eq!(create["properties"]["tier"]["type"], "integer");
    assert_eq!(
        create["properties"]["budget_limit"]["type"],
        json!(["integer", "null"])
    );
    assert_eq!(create["properties"]["budget_limit"]["format"], "int64");
    assert_eq!(create["properties"]["parent_id"]["format"], "uuid");
    assert_eq!(
        create["properties"]["delivery_mode"]["enum"],
        json!(["push", "poll"])
    );
    assert_eq!(create["required"], json!(["name"]));
    // Path parameters and top-level body fields are arguments side by side.
    let budget = &tool(&org, "set_workspace_budget")["inputSchema"];
    assert_eq!(budget["properties"]["id"]["format"], "uuid");
    assert_eq!(
        budget["properties"]["budget_limits"]["propertyNames"],
        json!({"enum": ["hourly", "daily", "weekly", "monthly"]})
    );
    let route = &tool(&org, "set_workspace_budget")["_meta"]["tiergen/route"]["arguments"];
    assert_eq!(route["id"], json!({"in": "path", "name": "id"}));
    assert_eq!(
        route["budget_limit"],
        json!({"in": "body", "name": "budget_limit"})
    );
    // A body that is not an object with properties is one `body` argument.
    let operator = manifest("cp-admin-bearer.json");
    let promote = &tool(&operator, "admin_promote_thin_ami");
    assert_eq!(
        promote["_meta"]["tiergen/route"]["arguments"]["body"],
        json!({"in": "body"})
    );
    // A referenced component travels in $defs.
    let budget_out = &tool(&org, "set_workspace_budget")["outputSchema"];
    assert!(
        budget_out["$defs"]["PeriodBudget"].is_object(),
        "{budget_out}"
    );
}

#[test]
fn annotations_and_guards_come_from_the_ir() {
    let operator = manifest("cp-admin-bearer.json");
    let teardown = tool(&operator, "admin_delete_tenant");
    assert_eq!(teardown["annotations"]["destructiveHint"], true);
    assert_eq!(teardown["annotations"]["readOnlyHint"], false);
    assert_eq!(
        teardown["inputSchema"]["required"],
        json!(["slug", "confirm"])
    );
    let confirm = teardown["inputSchema"]["properties"]["confirm"]["description"]
        .as_str()
        .unwrap_or_default();
    assert!(confirm.contains("Must equal `slug`"), "{confirm}");
    assert!(
        teardown["description"]
            .as_str()
            .unwrap_or_default()
            .contains("Irreversible")
    );
    let create = tool(&operator, "admin_create_org");
    assert!(
        create["inputSchema"]["properties"]["dry_run"]["description"]
            .as_str()
            .unwrap_or_default()
            .contains("Dry run")
    );
    let env = tool(&operator, "admin_update_workspace_env");
    assert!(
        env["inputSchema"]["properties"]["force"]["description"]
            .as_str()
            .unwrap_or_default()
            .contains("TOKEN|SECRET|KEY|PASSWORD")
    );
    assert_eq!(
        env["annotations"]["idempotentHint"], false,
        "it restarts the workspace"
    );
    let list = tool(&operator, "list_orgs");
    assert_eq!(list["annotations"]["readOnlyHint"], true);
    assert_eq!(list["annotations"]["destructiveHint"], false);
    assert_eq!(list["title"], "List all organizations (operator)");
    let provision = manifest("provision-secret.json");
    let prune = &tool(&provision, "deprovision_workspace")["inputSchema"]["properties"]["prune"];
    assert!(
        prune["description"]
            .as_str()
            .unwrap_or_default()
            .contains("PERMANENT"),
        "{prune}"
    );
}

#[test]
fn file_names_from_credential_ids_cannot_leave_the_folder() {
    let dir = common::temp_tree(&[(
        "api.yaml",
        r#"openapi: 3.1.0
info: { title: Hostile, version: "1" }
servers: [{ url: "https://h.example.com" }]
components:
  securitySchemes:
    "../../etc/passwd": { type: http, scheme: bearer }
    "/abs": { type: http, scheme: bearer }
    "..": { type: http, scheme: bearer }
paths:
  /a:
    get:
      operationId: a
      security: [{ "../../etc/passwd": [] }, { "/abs": [] }, { "..": [] }]
      responses: { "200": { description: ok } }
"#,
    )]);
    let api =
        load(&dir.path().join("api.yaml"), &OverlayChoice::Skip).unwrap_or_else(|e| panic!("{e}"));
    let files = emit(&api, &[Target::Mcp]).unwrap_or_else(|e| panic!("{e}"));
    let paths: Vec<&str> = files.paths().collect();
    assert_eq!(
        paths,
        ["mcp/abs.json", "mcp/empty.json", "mcp/etc-passwd.json"]
    );
}
