//! What README's "OpenAPI support" promises for documents the management
//! spec does not exercise: webhooks without paths, an enum that lists a value
//! twice, and a spec that declares no security (with the overlay README gives).

use crate::common;

use std::fs;

fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    path.to_string_lossy().to_string()
}

#[test]
fn a_31_document_of_webhooks_alone_generates() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let spec = write(
        dir.path(),
        "hooks.yaml",
        "openapi: 3.1.0\ninfo: {title: Hooks, version: '1'}\nwebhooks:\n  ping:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {type: object, properties: {zen: {type: string}}}\n      responses:\n        '200': {description: ok}\n",
    );
    let out = dir.path().join("out").to_string_lossy().to_string();
    let generated = common::tiergen(&["generate", "--spec", &spec, "--out", &out]);
    assert!(generated.status.success(), "{generated:?}");
    let webhooks = fs::read_to_string(dir.path().join("out/docs/webhooks.md"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(webhooks.contains("ping"), "{webhooks}");
    // 3.0 requires `paths`: still refused, with the place named.
    let old = write(
        dir.path(),
        "old.yaml",
        "openapi: 3.0.3\ninfo: {title: Hooks, version: '1'}\n",
    );
    let refused = common::tiergen(&["ir", "--spec", &old]);
    assert_eq!(refused.status.code(), Some(2), "{refused:?}");
}

#[test]
fn an_enum_value_listed_twice_is_kept_once_and_lint_says_so() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let spec = write(
        dir.path(),
        "enums.yaml",
        "openapi: 3.1.0\ninfo: {title: Enums, version: '1'}\npaths:\n  /things:\n    get:\n      operationId: listThings\n      security: []\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Color'}\ncomponents:\n  schemas:\n    Color: {type: string, enum: [red, green, red]}\n",
    );
    let lint = common::tiergen(&["lint", "--spec", &spec]);
    let text = String::from_utf8_lossy(&lint.stdout);
    assert!(
        text.contains("/components/schemas/Color/enum") && text.contains("\"red\" more than once"),
        "{text}"
    );
    let out = dir.path().join("out").to_string_lossy().to_string();
    let generated =
        common::tiergen(&["generate", "--spec", &spec, "--out", &out, "--only", "rust"]);
    assert!(generated.status.success(), "{generated:?}");
    let models = fs::read_to_string(dir.path().join("out/rust/src/models.rs"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(models.matches("\"red\" =>").count(), 1, "{models}");
}

#[test]
fn a_spec_without_security_says_so_and_the_readme_overlay_adds_the_token() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let spec = write(
        dir.path(),
        "open.yaml",
        "openapi: 3.1.0\ninfo: {title: Octo API, version: '1'}\nservers: [{url: 'https://api.example.com'}]\npaths:\n  /repos/{repo}:\n    delete:\n      operationId: deleteRepo\n      parameters: [{name: repo, in: path, required: true, schema: {type: string}}]\n      responses:\n        '204': {description: gone}\n",
    );
    let out = dir.path().join("plain").to_string_lossy().to_string();
    let plain = common::tiergen(&[
        "generate", "--spec", &spec, "--out", &out, "--only", "docs,cli",
    ]);
    assert!(plain.status.success(), "{plain:?}");
    let page = fs::read_to_string(dir.path().join("plain/docs/octo-api.md"))
        .or_else(|_| fs::read_to_string(dir.path().join("plain/docs/api.md")))
        .unwrap_or_else(|_| {
            let entries: Vec<_> = fs::read_dir(dir.path().join("plain/docs"))
                .map(|d| d.flatten().map(|e| e.path()).collect())
                .unwrap_or_default();
            entries
                .iter()
                .filter(|p| p.extension().is_some_and(|e| e == "md"))
                .map(|p| fs::read_to_string(p).unwrap_or_default())
                .collect()
        });
    assert!(page.contains("the spec declares no security"), "{page}");
    assert!(!page.contains("public (no credential)"), "{page}");
    let overlay = common::repo_root()
        .join("examples/add-token.overlay.yaml")
        .to_string_lossy()
        .to_string();
    let out = dir.path().join("secured").to_string_lossy().to_string();
    let secured = common::tiergen(&[
        "generate",
        "--spec",
        &spec,
        "--overlay",
        &overlay,
        "--out",
        &out,
        "--only",
        "cli,mcp",
    ]);
    assert!(secured.status.success(), "{secured:?}");
    let routes = dir
        .path()
        .join("secured/cli/routes.json")
        .to_string_lossy()
        .to_string();
    let routed = common::tiergen(&[
        "route",
        "--routes",
        &routes,
        "--env",
        "OCTO_TOKEN=t-1",
        "repo",
        "delete",
        "hello",
    ]);
    let text = String::from_utf8_lossy(&routed.stdout);
    assert!(routed.status.success(), "{routed:?}");
    assert!(text.contains("authorization: Bearer"), "{text}");
    assert!(!text.contains("t-1"), "the token is masked: {text}");
    assert!(dir.path().join("secured/mcp/token.json").exists());
}

#[test]
fn an_api_key_in_the_query_is_never_a_tool_argument() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    // Public specs often declare the key twice: as the scheme, and again as
    // a query parameter of each operation.
    let spec = write(
        dir.path(),
        "keyed.yaml",
        "openapi: 3.0.3\ninfo: {title: Keyed, version: '1'}\nservers: [{url: 'https://api.example.com'}]\nsecurity: [{key: []}]\npaths:\n  /things:\n    get:\n      operationId: listThings\n      parameters:\n        - {name: api_key, in: query, required: true, schema: {type: string}}\n        - {name: page, in: query, schema: {type: integer}}\n      responses:\n        '200': {description: ok}\ncomponents:\n  securitySchemes:\n    key: {type: apiKey, in: query, name: api_key}\n",
    );
    let out = dir.path().join("out").to_string_lossy().to_string();
    let generated = common::tiergen(&[
        "generate", "--spec", &spec, "--out", &out, "--only", "mcp,cli",
    ]);
    assert!(generated.status.success(), "{generated:?}");
    let manifest: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(dir.path().join("out/mcp/key.json")).unwrap_or_else(|e| panic!("{e}")),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let input = &manifest["tools"][0]["inputSchema"];
    assert!(input["properties"].get("api_key").is_none(), "{input}");
    assert!(input["properties"].get("page").is_some(), "{input}");
    let routes = dir
        .path()
        .join("out/cli/routes.json")
        .to_string_lossy()
        .to_string();
    let routed = common::tiergen(&[
        "route",
        "--routes",
        &routes,
        "--env",
        "KEYED_KEY=k-1",
        "thing",
        "list",
    ]);
    let text = String::from_utf8_lossy(&routed.stdout);
    assert!(routed.status.success(), "{routed:?}");
    assert!(
        text.contains("api_key=****") || text.contains("api_key="),
        "{text}"
    );
    assert!(!text.contains("k-1"), "the key is masked: {text}");
}

#[test]
fn a_style_the_openapi_table_leaves_undefined_is_reported_by_lint() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let spec = write(
        dir.path(),
        "na.yaml",
        "openapi: 3.1.0\ninfo: {title: N, version: '1'}\npaths:\n  /t:\n    get:\n      security: []\n      parameters:\n        - {name: a, in: query, style: pipeDelimited, explode: true, schema: {type: array, items: {type: string}}}\n        - {name: b, in: query, style: deepObject, explode: true, schema: {type: array, items: {type: string}}}\n        - {name: c, in: query, style: spaceDelimited, schema: {type: string}}\n        - {name: d, in: query, style: form, explode: false, schema: {type: array, items: {type: string}}}\n      responses:\n        '200': {description: ok}\n",
    );
    let lint = common::tiergen(&["lint", "--spec", &spec]);
    let text = String::from_utf8_lossy(&lint.stdout);
    for (line, what) in [
        (
            "na.yaml:8:11",
            "`style: pipeDelimited` with `explode: true`",
        ),
        ("na.yaml:9:11", "`style: deepObject` for an array"),
        ("na.yaml:10:11", "`style: spaceDelimited` for a scalar"),
    ] {
        assert!(
            text.lines()
                .any(|l| l.contains(&format!("/{line}:")) && l.contains(what)),
            "{line} {what}: {text}"
        );
    }
    // A defined combination says nothing.
    assert!(!text.contains("parameters/3"), "{text}");
}
