//! The CLI route map under golden/cli, and `tiergen route` run as a real
//! process: every operation's command resolves to the method, URL and
//! credential headers the IR says.

use crate::common;

use std::collections::BTreeSet;

use serde_json::{Value, json};
use tiergen::frontend::{OverlayChoice, load};
use tiergen::ir::{Api, Auth, Placement};

fn routes() -> Value {
    let path = common::repo_root().join("golden/cli/routes.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}")))
        .unwrap_or_else(|e| panic!("{e}"))
}

fn management() -> Api {
    load(
        &common::repo_root().join("spec/management.yaml"),
        &OverlayChoice::Beside,
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn commands(routes: &Value) -> Vec<Value> {
    routes["commands"].as_array().cloned().unwrap_or_default()
}

fn words(command: &Value) -> Vec<String> {
    command["command"]
        .as_array()
        .map(|w| {
            w.iter()
                .filter_map(|w| w.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn the_route_map_is_valid_under_its_committed_schema() {
    let path = common::repo_root().join("golden/cli/routes.schema.json");
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}")))
            .unwrap_or_else(|e| panic!("{e}"));
    let validator = jsonschema::draft202012::new(&schema).unwrap_or_else(|e| panic!("{e}"));
    let problems: Vec<String> = validator
        .iter_errors(&routes())
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
    // The schema does constrain: a command without a method fails it.
    let mut broken = routes();
    broken["commands"][0]
        .as_object_mut()
        .map(|c| c.remove("method"));
    assert!(!validator.is_valid(&broken));
}

#[test]
fn every_operation_has_exactly_one_command_and_no_command_prefixes_another() {
    let routes = routes();
    let api = management();
    let operations: Vec<String> = commands(&routes)
        .iter()
        .map(|c| c["operation"].as_str().unwrap_or_default().to_string())
        .collect();
    let expected: Vec<String> = api.operations.iter().map(|op| op.id.clone()).collect();
    assert_eq!(operations, expected);
    let paths: Vec<Vec<String>> = commands(&routes).iter().map(words).collect();
    let distinct: BTreeSet<&Vec<String>> = paths.iter().collect();
    assert_eq!(distinct.len(), paths.len(), "command paths are unique");
    for a in &paths {
        for b in &paths {
            assert!(a == b || !b.starts_with(a), "{a:?} is a prefix of {b:?}");
        }
    }
}

#[test]
fn molecule_clis_existing_commands_keep_their_names() {
    let routes = routes();
    let find = |operation: &str| {
        commands(&routes)
            .into_iter()
            .find(|c| c["operation"] == operation)
            .map(|c| words(&c).join(" "))
            .unwrap_or_default()
    };
    assert_eq!(find("tenantListWorkspaces"), "workspace list");
    assert_eq!(find("tenantCreateWorkspace"), "workspace create");
    assert_eq!(find("tenantGetWorkspace"), "workspace inspect");
    assert_eq!(find("tenantDeleteWorkspace"), "workspace delete");
    assert_eq!(find("tenantRestartWorkspace"), "workspace restart");
    // Control-plane commands are kept apart under `cp`.
    assert_eq!(find("deleteOrg"), "cp org delete");
}

#[test]
fn arguments_guards_and_effects_are_in_the_map() {
    let routes = routes();
    let command = |operation: &str| {
        commands(&routes)
            .into_iter()
            .find(|c| c["operation"] == operation)
            .unwrap_or_default()
    };
    let flag = |c: &Value, name: &str| {
        c["flags"]
            .as_array()
            .and_then(|f| f.iter().find(|f| f["flag"] == name).cloned())
            .unwrap_or_default()
    };
    let teardown = command("adminDeleteTenant");
    assert_eq!(teardown["positionals"][0]["name"], "slug");
    assert_eq!(flag(&teardown, "--confirm")["guard"], "confirm");
    assert_eq!(flag(&teardown, "--confirm")["must_equal"], "slug");
    assert_eq!(flag(&teardown, "--confirm")["required"], true);
    assert_eq!(teardown["destructive"], true);
    assert_eq!(
        flag(&command("adminCreateOrg"), "--dry-run")["guard"],
        "dry-run"
    );
    assert_eq!(
        flag(&command("adminUpdateWorkspaceEnv"), "--force")["guard"],
        "force"
    );
    assert_eq!(
        flag(&command("adminUpdateWorkspaceEnv"), "--env")["type"],
        "json"
    );
    let prune = flag(&command("deprovisionWorkspace"), "--prune");
    assert_eq!(prune["guard"], "destructive-flag");
    assert!(
        prune["destructive"]
            .as_str()
            .unwrap_or_default()
            .contains("permanently")
    );
    let create = command("tenantCreateWorkspace");
    assert_eq!(
        flag(&create, "--delivery-mode")["enum"],
        json!(["push", "poll"])
    );
    assert_eq!(flag(&create, "--budget-limit")["type"], "integer");
    assert_eq!(flag(&create, "--budget-limit")["nullable"], true);
    assert_eq!(create["body"]["flag"], "--body");
    assert_eq!(
        command("tenantSetWorkspaceSecret")["effects"][0]["kind"],
        "restarts-workspace"
    );
}

/// A value of the right type for a positional or flag.
fn sample(entry: &Value, slug: &str) -> String {
    if let Some(first) = entry["enum"].as_array().and_then(|e| e.first()) {
        return first
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| first.to_string());
    }
    match (entry["type"].as_str(), entry["format"].as_str()) {
        (_, Some("uuid")) => "00000000-0000-0000-0000-00000000000a".to_string(),
        (Some("integer"), _) => "7".to_string(),
        (Some("number"), _) => "1.5".to_string(),
        (Some("boolean"), _) => "true".to_string(),
        (Some("json"), _) => "{}".to_string(),
        _ => slug.to_string(),
    }
}

#[test]
fn every_command_resolves_to_the_request_the_ir_describes() {
    let routes = routes();
    let api = management();
    let mut env: Vec<(String, String)> = Vec::new();
    for (id, credential) in routes["credentials"]
        .as_object()
        .cloned()
        .unwrap_or_default()
    {
        env.push((
            credential["env"].as_str().unwrap_or_default().to_string(),
            format!("secret-{id}"),
        ));
    }
    for (id, routing) in routes["routing"].as_object().cloned().unwrap_or_default() {
        env.push((
            routing["env"].as_str().unwrap_or_default().to_string(),
            format!("route-{id}"),
        ));
    }
    for (command, op) in commands(&routes).iter().zip(&api.operations) {
        let slug = "a b/c";
        let mut args: Vec<String> = vec!["route".into(), "--format".into(), "json".into()];
        args.extend(words(command));
        for positional in command["positionals"]
            .as_array()
            .cloned()
            .unwrap_or_default()
        {
            args.push(sample(&positional, slug));
        }
        for flag in command["flags"].as_array().cloned().unwrap_or_default() {
            if flag["required"] == true {
                args.push(flag["flag"].as_str().unwrap_or_default().to_string());
                args.push(sample(&flag, slug));
            }
        }
        if command["body"]["required"] == true {
            args.push("--body".into());
            args.push("{}".into());
        }
        let arg_refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_tiergen"))
            .args(&arg_refs)
            .current_dir(common::repo_root())
            .env_clear()
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            output.status.success(),
            "{}: {}",
            op.id,
            common::stderr(&output)
        );
        let request: Value =
            serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{}: {e}", op.id));
        assert_eq!(request["operation"], op.id.as_str());
        assert_eq!(request["method"], op.method.as_str(), "{}", op.id);

        let service = api
            .service(&op.service)
            .unwrap_or_else(|| panic!("{}", op.id));
        let mut base = service.base_url.clone();
        for variable in &service.variables {
            base = base.replace(&format!("{{{}}}", variable.name), &variable.default);
        }
        let mut path = op.path.clone();
        for param in op.params_in(tiergen::ir::ParamLocation::Path) {
            let value = if param.ty.shape
                == (tiergen::ir::Shape::Scalar {
                    scalar: tiergen::ir::Scalar::String,
                    format: Some("uuid".into()),
                    constraints: Default::default(),
                }) {
                "00000000-0000-0000-0000-00000000000a"
            } else {
                "a%20b%2Fc"
            };
            path = path.replace(&format!("{{{}}}", param.name), value);
        }
        let url = request["url"].as_str().unwrap_or_default();
        let without_query = url.split('?').next().unwrap_or_default();
        assert_eq!(without_query, format!("{base}{path}"), "{}", op.id);

        // The credential headers are the IR's first alternative, secrets masked.
        let headers: Vec<(String, String)> = request["headers"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|h| {
                (
                    h[0].as_str().unwrap_or_default().to_string(),
                    h[1].as_str().unwrap_or_default().to_string(),
                )
            })
            .filter(|(name, _)| name != "content-type")
            .collect();
        let mut expected: Vec<(String, String)> = Vec::new();
        if let Auth::AnyOf(alternatives) = &op.auth {
            let first = &alternatives[0];
            for id in &first.credentials {
                let credential = api.credential(id).unwrap_or_else(|| panic!("{id}"));
                expected.push(match &credential.placement {
                    Placement::Bearer => ("authorization".into(), "Bearer ****".into()),
                    Placement::Basic => ("authorization".into(), "Basic ****".into()),
                    Placement::Header { name } => (name.to_ascii_lowercase(), "****".into()),
                    Placement::Cookie { name } => ("cookie".into(), format!("{name}=****")),
                    Placement::Authorization { scheme } => {
                        ("authorization".into(), format!("{scheme} ****"))
                    }
                    Placement::Query { .. } | Placement::ClientCertificate => continue,
                });
            }
            for id in &first.routing {
                let header = api.routing_header(id).unwrap_or_else(|| panic!("{id}"));
                expected.push((header.header.to_ascii_lowercase(), format!("route-{id}")));
            }
        }
        assert_eq!(headers, expected, "{}", op.id);
        let shown = String::from_utf8_lossy(&output.stdout);
        assert!(
            !shown.contains("secret-"),
            "{}: a secret was printed: {shown}",
            op.id
        );
    }
}

fn route_fails(args: &[&str], env: &[(&str, &str)], expected: &str) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_tiergen"))
        .arg("route")
        .args(args)
        .current_dir(common::repo_root())
        .env_clear()
        .envs(env.iter().copied())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stderr = common::stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains(expected), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[test]
fn mistakes_are_clear_errors_with_exit_2() {
    let admin = [("MOLECULE_CP_ADMIN_BEARER", "x")];
    route_fails(
        &["workspace", "lsit"],
        &[],
        "unknown command `workspace lsit`; did you mean `workspace list`",
    );
    route_fails(
        &["workspace"],
        &[],
        "`workspace` needs a subcommand: workspace list,",
    );
    route_fails(
        &["cp", "admin", "tenant", "delete", "--confirm", "acme"],
        &admin,
        "needs <slug>",
    );
    route_fails(
        &["cp", "admin", "tenant", "delete", "acme"],
        &admin,
        "needs `--confirm`",
    );
    route_fails(
        &[
            "cp",
            "admin",
            "tenant",
            "delete",
            "acme",
            "--confirm",
            "other",
        ],
        &admin,
        "refused before sending: `--confirm` must equal `slug` (acme), got `other`",
    );
    route_fails(
        &[
            "cp",
            "admin",
            "workspace",
            "env",
            "00000000-0000-0000-0000-000000000001",
            "--env",
            "{\"GH_TOKEN\":\"x\"}",
        ],
        &admin,
        "keys of `--env` look like secrets (GH_TOKEN); set `--force` to send them",
    );
    route_fails(
        &["workspace", "inspect", "not-a-uuid"],
        &[],
        "<id> must be a UUID",
    );
    route_fails(
        &["workspace", "create", "--name", "w", "--tier", "abc"],
        &[("MOLECULE_ORG_API_KEY", "k"), ("MOLECULE_ORG_ID", "o")],
        "--tier must be an integer, not `abc`",
    );
    route_fails(
        &["workspace", "list"],
        &[],
        "no credentials for `workspace list`: set MOLECULE_ORG_API_KEY + MOLECULE_ORG_ID, or MOLECULE_WORKOS_SESSION + MOLECULE_ORG_SLUG",
    );
    route_fails(
        &["--routes", "nope.json", "workspace", "list"],
        &[],
        "nope.json: cannot read the route map",
    );
}

#[test]
fn credentials_can_be_given_as_env_flags_and_stay_masked() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_tiergen"))
        .args([
            "route",
            "--env",
            "MOLECULE_ORG_API_KEY=org-key-value",
            "--env",
            "MOLECULE_ORG_ID=org-1",
            "org",
            "token",
            "list",
        ])
        .current_dir(common::repo_root())
        .env_clear()
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(output.status.success(), "{}", common::stderr(&output));
    let shown = common::stdout(&output);
    assert!(
        shown.contains("authorization: Bearer ****\nx-molecule-org-id: org-1\n"),
        "{shown}"
    );
    assert!(!shown.contains("org-key-value"), "{shown}");
}

#[test]
fn the_text_output_shows_the_request_and_masks_secrets() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_tiergen"))
        .args([
            "route",
            "cp",
            "workspace",
            "deprovision",
            "00000000-0000-0000-0000-000000000001",
            "--prune",
        ])
        .current_dir(common::repo_root())
        .env_clear()
        .env("MOLECULE_PROVISION_SECRET", "shared-secret-value")
        .env("MOLECULE_TENANT_ADMIN_TOKEN", "tenant-token-value")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(output.status.success(), "{}", common::stderr(&output));
    assert_eq!(
        common::stdout(&output),
        "DELETE https://api.moleculesai.app/api/v1/workspaces/00000000-0000-0000-0000-000000000001?prune=true\n\
         authorization: Bearer ****\n\
         x-molecule-admin-token: ****\n"
    );
}
