//! `tiergen route` on the styles fixture (tests/fixtures/styles/): every row
//! of OpenAPI 3.1.1's Style Examples table resolves to exactly the bytes the
//! table shows, as the Rust client (tests/rust/rust_client.rs) and `mcp serve`
//! (tests/mcp/styles.py) send them.

use crate::common;

use serde_json::Value;

fn cases() -> Vec<Value> {
    let text =
        std::fs::read_to_string(common::repo_root().join("tests/fixtures/styles/cases.json"))
            .unwrap_or_else(|e| panic!("{e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"))
}

/// The command words of `operation` in the route map.
fn command_of(routes: &Value, operation: &str) -> Vec<String> {
    routes["commands"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["operation"] == operation)
        .and_then(|c| c["command"].as_array())
        .map(|words| {
            words
                .iter()
                .filter_map(|w| w.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_else(|| panic!("no command for {operation}"))
}

/// The styles fixture's route map, generated into a folder of its own.
fn route_map() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let spec = common::repo_root().join("tests/fixtures/styles/styles.yaml");
    let out_dir = out.path().to_string_lossy().to_string();
    let spec_path = spec.to_string_lossy().to_string();
    let generated = common::tiergen(&[
        "generate", "--spec", &spec_path, "--out", &out_dir, "--only", "cli",
    ]);
    assert!(generated.status.success(), "{generated:?}");
    out
}

#[test]
fn route_writes_every_style_as_the_openapi_table_shows() {
    let out = route_map();
    let routes_path = out.path().join("cli/routes.json");
    let routes: Value = serde_json::from_str(
        &std::fs::read_to_string(&routes_path).unwrap_or_else(|e| panic!("{e}")),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let routes_arg = routes_path.to_string_lossy().to_string();
    let cases = cases();
    assert_eq!(cases.len(), 43, "every row × value type of the table");
    for case in &cases {
        let operation = case["operation"].as_str().unwrap_or_default();
        let value = match &case["value"] {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        let mut args = vec![
            "route".to_string(),
            "--routes".into(),
            routes_arg.clone(),
            "--format".into(),
            "json".into(),
        ];
        args.extend(command_of(&routes, operation));
        let place = case["in"].as_str().unwrap_or_default();
        if place == "path" {
            args.push(value);
        } else {
            args.push("--color".into());
            args.push(value);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = common::tiergen(&args);
        assert!(output.status.success(), "{operation}: {output:?}");
        let request: Value =
            serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{operation}: {e}"));
        let url = request["url"].as_str().unwrap_or_default();
        let target = url.strip_prefix("http://localhost").unwrap_or(url);
        let expected = case["expected"].as_str().unwrap_or_default();
        let path = format!("/{}", operation.replace('_', "-"));
        let header = |name: &str| {
            request["headers"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|h| h[0] == name)
                .and_then(|h| h[1].as_str())
                .map(String::from)
        };
        match place {
            "path" => assert_eq!(target, format!("{path}/{expected}"), "{operation}"),
            "query" => assert_eq!(target, format!("{path}?{expected}"), "{operation}"),
            "header" => assert_eq!(header("color").as_deref(), Some(expected), "{operation}"),
            "cookie" => assert_eq!(header("cookie").as_deref(), Some(expected), "{operation}"),
            other => panic!("{operation}: unknown location {other}"),
        }
    }
}

#[test]
fn route_leaves_a_read_only_property_out_of_the_flags() {
    let out = route_map();
    let routes = out
        .path()
        .join("cli/routes.json")
        .to_string_lossy()
        .to_string();
    let refused = common::tiergen(&[
        "route",
        "--routes",
        &routes,
        "user",
        "create",
        "--id",
        "u1",
        "--email",
        "a@b",
        "--password",
        "x",
    ]);
    assert_eq!(refused.status.code(), Some(2), "{refused:?}");
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("--id"),
        "{refused:?}"
    );
    let sent = common::tiergen(&[
        "route",
        "--routes",
        &routes,
        "user",
        "create",
        "--email",
        "a@b",
        "--password",
        "x",
    ]);
    assert!(sent.status.success(), "{sent:?}");
    assert!(
        String::from_utf8_lossy(&sent.stdout).contains("\"password\": \"x\""),
        "{sent:?}"
    );
}
