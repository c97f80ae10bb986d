//! The MCP manifests and the CLI route map for any spec: every breadth
//! fixture yields manifests valid under both MCP schema revisions, schemas
//! valid under the 2020-12 meta-schema, and a route map valid under its
//! schema; scopes, placements, public operations and odd bodies are carried;
//! names stay unique and within limits at scale; and `tiergen mcp serve` and
//! `tiergen route` put the new placements and bodies on the wire.

use crate::common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::{Value, json};

use crate::common::serve::{FakeApi, Recorded, Served};
use tiergen::emit::{Files, Target, emit};
use tiergen::frontend::{OverlayChoice, load};
use tiergen::ir::Api;

const SCHEMA_REVISIONS: [&str; 2] = ["2025-11-25", "2026-07-28"];
/// GitHub's REST spec: `$TIERGEN_GITHUB_SPEC`, else where scripts/corpus/run.sh installs it.
fn github_spec() -> PathBuf {
    std::env::var_os("TIERGEN_GITHUB_SPEC")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
            home.join(".cache/tiergen-corpus/npm/node_modules/@octokit/openapi/generated/api.github.com.json")
        })
}

fn breadth(name: &str) -> PathBuf {
    common::fixture(&format!("breadth/{name}.yaml"))
}

fn api_of(spec: &Path) -> Api {
    load(spec, &OverlayChoice::Skip).unwrap_or_else(|e| panic!("{}: {e}", spec.display()))
}

fn artifacts(api: &Api) -> Files {
    emit(api, &[Target::Mcp, Target::Cli]).unwrap_or_else(|e| panic!("{e}"))
}

fn json_file(files: &Files, path: &str) -> Value {
    let bytes = files.get(path).unwrap_or_else(|| panic!("no {path}"));
    serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn manifests(files: &Files) -> Vec<(String, Value)> {
    files
        .paths()
        .filter(|p| p.starts_with("mcp/"))
        .map(|p| (p.to_string(), json_file(files, p)))
        .collect()
}

fn tools(manifest: &Value) -> Vec<Value> {
    manifest["tools"].as_array().cloned().unwrap_or_default()
}

fn tool(manifest: &Value, name: &str) -> Value {
    tools(manifest)
        .into_iter()
        .find(|t| t["name"] == name)
        .unwrap_or_else(|| panic!("no tool {name}"))
}

fn command<'r>(routes: &'r Value, words: &str) -> &'r Value {
    routes["commands"]
        .as_array()
        .and_then(|c| {
            c.iter().find(|c| {
                c["command"]
                    .as_array()
                    .map(|w| {
                        w.iter()
                            .filter_map(Value::as_str)
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .as_deref()
                    == Some(words)
            })
        })
        .unwrap_or_else(|| panic!("no command `{words}`"))
}

fn commands(routes: &Value) -> Vec<Vec<String>> {
    routes["commands"]
        .as_array()
        .map(|c| {
            c.iter()
                .map(|c| {
                    c["command"]
                        .as_array()
                        .map(|w| {
                            w.iter()
                                .filter_map(|w| w.as_str().map(String::from))
                                .collect()
                        })
                        .unwrap_or_default()
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Validators for one MCP schema revision: a tool, and a whole `tools/list` result.
struct McpSchema {
    revision: &'static str,
    tool: jsonschema::Validator,
    list: jsonschema::Validator,
}

fn mcp_schemas() -> Vec<McpSchema> {
    SCHEMA_REVISIONS
        .iter()
        .map(|revision| {
            let path =
                common::repo_root().join(format!("../shared/mcp-schema/{revision}.schema.json"));
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let schema: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
            let rooted = |def: &str| {
                let mut schema = schema.clone();
                schema["$ref"] = json!(format!("#/$defs/{def}"));
                jsonschema::draft202012::new(&schema).unwrap_or_else(|e| panic!("{revision}: {e}"))
            };
            McpSchema {
                revision,
                tool: rooted("Tool"),
                list: rooted("ListToolsResult"),
            }
        })
        .collect()
}

fn problems(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// Every check a manifest must pass, whatever the spec.
fn assert_valid_manifest(file: &str, manifest: &Value, schemas: &[McpSchema]) {
    for schema in schemas {
        let found = problems(&schema.list, manifest);
        assert!(found.is_empty(), "{} {file}: {found:?}", schema.revision);
        for tool in tools(manifest) {
            let found = problems(&schema.tool, &tool);
            assert!(
                found.is_empty(),
                "{} {file} {}: {found:?}",
                schema.revision,
                tool["name"]
            );
        }
    }
    let mut names = BTreeSet::new();
    for tool in tools(manifest) {
        let name = tool["name"].as_str().unwrap_or_default().to_string();
        assert!(
            (1..=64).contains(&name.len())
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'),
            "{file}: tool name {name:?}"
        );
        assert!(names.insert(name.clone()), "{file}: {name} twice");
        for key in ["inputSchema", "outputSchema"] {
            let Some(schema) = tool.get(key) else {
                continue;
            };
            assert!(
                jsonschema::draft202012::meta::validate(schema).is_ok(),
                "{file} {name} {key} is not valid 2020-12: {schema}"
            );
            jsonschema::draft202012::new(schema)
                .unwrap_or_else(|e| panic!("{file} {name} {key} does not compile: {e}"));
            assert_references_resolve(file, &name, schema, schema);
        }
        // Every argument the route places is a property of the input.
        let properties = tool["inputSchema"]["properties"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        let arguments = tool["_meta"]["tiergen/route"]["arguments"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        let placed: BTreeSet<&String> = arguments.keys().collect();
        let declared: BTreeSet<&String> = properties.keys().collect();
        assert_eq!(placed, declared, "{file} {name}");
    }
}

/// Each `$ref` is a fragment of its own document that points at something.
fn assert_references_resolve(file: &str, tool: &str, root: &Value, node: &Value) {
    match node {
        Value::Object(map) => {
            if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
                let pointer = reference
                    .strip_prefix('#')
                    .unwrap_or_else(|| panic!("{file} {tool}: {reference} leaves the schema"));
                let decoded = percent_decode(pointer);
                assert!(
                    root.pointer(&decoded).is_some(),
                    "{file} {tool}: {reference} points at nothing"
                );
            }
            for value in map.values() {
                assert_references_resolve(file, tool, root, value);
            }
        }
        Value::Array(items) => {
            for item in items {
                assert_references_resolve(file, tool, root, item);
            }
        }
        _ => {}
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = text.get(i + 1..i + 3)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn route_map_validator(files: &Files) -> jsonschema::Validator {
    let emitted = json_file(files, "cli/routes.schema.json");
    let template: Value = serde_json::from_str(
        &std::fs::read_to_string(common::repo_root().join("templates/cli/routes.schema.json"))
            .unwrap_or_else(|e| panic!("{e}")),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(emitted, template, "the route map ships its schema as is");
    jsonschema::draft202012::new(&emitted).unwrap_or_else(|e| panic!("{e}"))
}

/// Every check a route map must pass, whatever the spec.
fn assert_valid_route_map(label: &str, api: &Api, files: &Files) {
    let routes = json_file(files, "cli/routes.json");
    let found = problems(&route_map_validator(files), &routes);
    assert!(found.is_empty(), "{label}: {found:#?}");
    let paths = commands(&routes);
    assert_eq!(
        paths.len(),
        api.operations.len(),
        "{label}: one command each"
    );
    let mut sorted = paths.clone();
    sorted.sort();
    for pair in sorted.windows(2) {
        assert!(
            !pair[1].starts_with(&pair[0]),
            "{label}: {:?} begins {:?}",
            pair[0],
            pair[1]
        );
    }
}

#[test]
fn every_breadth_fixture_yields_valid_manifests_and_a_valid_route_map() {
    let schemas = mcp_schemas();
    // The validators do reject what is not a tool or not a route map.
    assert!(!schemas[0].tool.is_valid(&json!({"name": "x"})));
    let files = artifacts(&api_of(&breadth("security")));
    let mut broken = json_file(&files, "cli/routes.json");
    broken["credentials"]["digest"]["in"] = json!("carrier-pigeon");
    assert!(!route_map_validator(&files).is_valid(&broken));

    for fixture in common::breadth_fixtures() {
        let fixture = fixture.as_str();
        let api = api_of(&breadth(fixture));
        let files = artifacts(&api);
        let manifests = manifests(&files);
        assert!(!manifests.is_empty(), "{fixture}: no MCP manifest");
        let mut reachable = BTreeSet::new();
        for (file, manifest) in &manifests {
            assert_valid_manifest(&format!("{fixture} {file}"), manifest, &schemas);
            for tool in tools(manifest) {
                reachable.insert(
                    tool["_meta"]["tiergen/route"]["operation"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string(),
                );
            }
        }
        let all: BTreeSet<String> = api.operations.iter().map(|op| op.id.clone()).collect();
        assert_eq!(reachable, all, "{fixture}: every operation has a tool");
        assert_valid_route_map(fixture, &api, &files);
        // Same spec, same bytes.
        assert_eq!(artifacts(&api), files, "{fixture}: deterministic");
    }
}

#[test]
fn a_spec_without_security_yields_one_public_manifest() {
    let api = api_of(&breadth("no-security"));
    let files = artifacts(&api);
    let paths: Vec<&str> = files.paths().filter(|p| p.starts_with("mcp/")).collect();
    assert_eq!(paths, ["mcp/public.json"]);
    let public = json_file(&files, "mcp/public.json");
    let server = &public["_meta"]["tiergen/server"];
    assert_eq!(server["credential"], Value::Null);
    assert_eq!(server["credentials"], json!({}));
    assert_eq!(tools(&public).len(), api.operations.len());
    for tool in tools(&public) {
        assert_eq!(
            tool["_meta"]["tiergen/route"]["auth"],
            json!([]),
            "{}",
            tool["name"]
        );
    }
}

#[test]
fn operations_anyone_may_call_are_in_the_public_manifest_too() {
    let files = artifacts(&api_of(&breadth("security")));
    let public = json_file(&files, "mcp/public.json");
    let listed: Vec<String> = tools(&public)
        .iter()
        .map(|t| t["name"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(listed, ["health"]);
    // A credential called `public` cannot take the public manifest's file.
    let dir = common::temp_tree(&[(
        "api.yaml",
        r#"openapi: 3.1.0
info: { title: Clash, version: "1" }
servers: [{ url: "https://h.example.com" }]
components:
  securitySchemes:
    public: { type: http, scheme: bearer }
paths:
  /a:
    get: { operationId: a, security: [{ public: [] }], responses: { "200": { description: ok } } }
  /b:
    get: { operationId: b, security: [], responses: { "200": { description: ok } } }
"#,
    )]);
    let files = artifacts(&api_of(&dir.path().join("api.yaml")));
    let paths: Vec<&str> = files.paths().filter(|p| p.starts_with("mcp/")).collect();
    assert_eq!(paths, ["mcp/public.json", "mcp/public_.json"]);
    assert_eq!(
        json_file(&files, "mcp/public_.json")["_meta"]["tiergen/server"]["credential"],
        "public"
    );
    assert_eq!(
        json_file(&files, "mcp/public.json")["_meta"]["tiergen/server"]["credential"],
        Value::Null
    );
}

#[test]
fn scopes_issuers_and_placements_are_in_both_artifacts() {
    let files = artifacts(&api_of(&breadth("security")));
    let oauth = json_file(&files, "mcp/oauth.json");
    let create = tool(&oauth, "create_thing");
    assert_eq!(
        create["_meta"]["tiergen/route"]["auth"],
        json!([{"credentials": ["oauth"], "scopes": {"oauth": ["read:things", "write:things"]}}])
    );
    let description = create["description"].as_str().unwrap_or_default();
    assert!(
        description.contains("Scopes needed: read:things, write:things."),
        "{description}"
    );
    assert_eq!(
        tool(&oauth, "delete_thing")["_meta"]["tiergen/route"]["auth"][0]["scopes"],
        json!({"oauth": ["admin"]})
    );
    let issuer = &oauth["_meta"]["tiergen/server"]["credentials"]["oauth"]["issuer"];
    assert_eq!(issuer["kind"], "oauth2");
    let flow = |grant: &str| {
        issuer["flows"]
            .as_array()
            .and_then(|f| f.iter().find(|f| f["grant"] == grant).cloned())
            .unwrap_or_else(|| panic!("no {grant} flow in {issuer}"))
    };
    assert_eq!(
        flow("authorizationCode"),
        json!({
            "grant": "authorizationCode",
            "authorization_url": "https://auth.example.com/authorize",
            "token_url": "https://auth.example.com/token",
            "refresh_url": "https://auth.example.com/refresh",
            "scopes": {"read:things": "Read things.", "write:things": "Change things."}
        })
    );
    assert_eq!(
        flow("clientCredentials")["scopes"],
        json!({"admin": "Everything."})
    );
    let oidc = json_file(&files, "mcp/oidc.json");
    assert_eq!(
        oidc["_meta"]["tiergen/server"]["credentials"]["oidc"]["issuer"],
        json!({"kind": "openid-connect", "url": "https://auth.example.com/.well-known/openid-configuration"})
    );

    let routes = json_file(&files, "cli/routes.json");
    assert_eq!(
        command(&routes, "thing create")["auth"][1],
        json!({"credentials": ["oidc"], "scopes": {"oidc": ["openid", "things"]}})
    );
    assert_eq!(
        routes["credentials"]["digest"],
        json!({"in": "authorization", "scheme": "Digest", "env": "SECURITY_DIGEST"})
    );
    assert_eq!(routes["credentials"]["mtls"]["in"], "client-certificate");
    assert_eq!(routes["credentials"]["oauth"]["in"], "bearer");

    // The alternative that needs a client certificate is represented by the
    // credential a running tool can present, and says what it needs.
    assert!(files.get("mcp/mtls.json").is_none());
    let header = json_file(&files, "mcp/header-key.json");
    let create = tool(&header, "create_thing");
    assert!(
        create["description"]
            .as_str()
            .unwrap_or_default()
            .contains("Needs a TLS client certificate (mtls)"),
        "{create}"
    );
}

#[test]
fn bodies_that_are_not_json_have_a_documented_shape() {
    let files = artifacts(&api_of(&breadth("bodies")));
    let public = json_file(&files, "mcp/public.json");
    let upload = tool(&public, "upload_file");
    assert_eq!(
        upload["_meta"]["tiergen/route"]["body_encoding"],
        "multipart"
    );
    assert_eq!(
        upload["_meta"]["tiergen/route"]["arguments"]["file"],
        json!({"in": "body", "name": "file", "encoding": "base64"})
    );
    assert_eq!(
        upload["inputSchema"]["properties"]["file"]["contentEncoding"],
        "base64"
    );
    assert_eq!(
        upload["inputSchema"]["properties"]["note"]["type"],
        "string"
    );
    let bytes = tool(&public, "put_file_bytes");
    assert_eq!(bytes["_meta"]["tiergen/route"]["body_encoding"], "binary");
    assert_eq!(
        bytes["inputSchema"]["properties"]["body"]["contentMediaType"],
        "application/octet-stream"
    );
    let routes = json_file(&files, "cli/routes.json");
    let upload = command(&routes, "file create");
    assert_eq!(upload["body"]["encoding"], "multipart");
    assert_eq!(upload["flags"][0]["format"], "binary");
    assert_eq!(
        command(&routes, "uploads-example-com-v2 file set")["body"]["encoding"],
        "binary"
    );
}

/// Form, text and XML bodies (the breadth fixtures send form data only
/// beside JSON, which wins).
const OTHER_BODIES: &str = r#"openapi: 3.1.0
info: { title: Wire, version: "1" }
servers: [{ url: "https://wire.example.com" }]
paths:
  /form:
    post:
      operationId: postForm
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema: { type: object, required: [user], properties: { user: { type: string }, tags: { type: array, items: { type: string } } } }
      responses: { "200": { description: ok } }
  /text:
    post:
      operationId: postText
      requestBody: { content: { text/plain: { schema: { type: string } } } }
      responses: { "200": { description: ok } }
  /xml:
    post:
      operationId: postXml
      requestBody: { content: { application/xml: { schema: { type: object, properties: { a: { type: string } } } } } }
      responses: { "200": { description: ok } }
"#;

#[test]
fn form_text_and_xml_bodies_are_described_and_xml_is_refused() {
    let dir = common::temp_tree(&[("api.yaml", OTHER_BODIES)]);
    let files = artifacts(&api_of(&dir.path().join("api.yaml")));
    let public = json_file(&files, "mcp/public.json");
    let encoding =
        |name: &str| tool(&public, name)["_meta"]["tiergen/route"]["body_encoding"].clone();
    assert_eq!(encoding("post_form"), "form");
    assert_eq!(encoding("post_text"), "text");
    assert_eq!(encoding("post_xml"), "unsupported");
    assert_eq!(
        tool(&public, "post_form")["inputSchema"]["required"],
        json!(["user"])
    );
    assert!(
        tool(&public, "post_xml")["description"]
            .as_str()
            .unwrap_or_default()
            .contains("application/xml body cannot be built from JSON arguments"),
    );
    let routes = json_file(&files, "cli/routes.json");
    assert_eq!(command(&routes, "form create")["body"]["encoding"], "form");
    assert_eq!(
        command(&routes, "xml create")["body"]["encoding"],
        "unsupported"
    );

    let out = generated(&dir.path().join("api.yaml"));
    let routes = out.path().join("cli/routes.json");
    let form = route(
        &routes,
        &[
            "form",
            "create",
            "--user",
            "a b&c",
            "--tags",
            "[\"x\",\"y\"]",
        ],
        &[],
    );
    assert!(form.status.success(), "{}", common::stderr(&form));
    assert_eq!(
        common::stdout(&form),
        "POST https://wire.example.com/form\ncontent-type: application/x-www-form-urlencoded\n\nuser=a%20b%26c&tags=x&tags=y\n"
    );
    let text = route(&routes, &["text", "create", "--body", "{not json}"], &[]);
    assert_eq!(
        common::stdout(&text),
        "POST https://wire.example.com/text\ncontent-type: text/plain\n\n{not json}\n"
    );
    let xml = route(&routes, &["xml", "create", "--body", "{\"a\": \"1\"}"], &[]);
    assert_eq!(xml.status.code(), Some(2));
    assert!(
        common::stderr(&xml).contains("`xml create` cannot be sent: its body is application/xml"),
        "{}",
        common::stderr(&xml)
    );

    let api = FakeApi::start();
    let mut served = Served::start(
        &out.path().join("mcp/public.json"),
        std::slice::from_ref(&api.url),
        &[],
    );
    let (error, text, _) = served.call("post_form", json!({"user": "a b&c", "tags": ["x", "y"]}));
    assert!(!error, "{text}");
    let (error, text, _) = served.call("post_text", json!({"body": "plain words"}));
    assert!(!error, "{text}");
    let (error, text, _) = served.call("post_xml", json!({"body": {"a": "1"}}));
    assert!(
        error && text.contains("cannot build from JSON arguments"),
        "{text}"
    );
    let requests = api.taken();
    assert_eq!(requests.len(), 2, "the XML call was refused before sending");
    assert_eq!(
        header(&requests[0].headers, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(requests[0].body, b"user=a%20b%26c&tags=x&tags=y");
    assert_eq!(
        header(&requests[1].headers, "content-type"),
        Some("text/plain")
    );
    assert_eq!(requests[1].body, b"plain words");
}

#[test]
fn any_shape_gives_a_schema_that_admits_what_the_spec_admits() {
    let files = artifacts(&api_of(&breadth("polymorphism")));
    let public = json_file(&files, "mcp/public.json");
    let input = tool(&public, "create_pet")["inputSchema"].clone();
    let validator = jsonschema::draft202012::new(&input).unwrap_or_else(|e| panic!("{e}"));
    // `owner` is oneOf [Owner, null]: an owner matches both the Owner and
    // the approximated null variant, so as `oneOf` it would be refused.
    let cat =
        json!({"body": {"petType": "cat", "name": "Tom", "owner": {"name": "Ann"}, "lives": 9}});
    assert!(validator.is_valid(&cat), "{:?}", problems(&validator, &cat));
    let bad = json!({"body": {"petType": "cat", "lives": 10}});
    assert!(!validator.is_valid(&bad), "lives is at most 9");

    // Names that need escaping as URI fragments, recursion, nullable Any,
    // enums of numbers and mixed values, allOf of a scalar and a reference.
    let dir = common::temp_tree(&[(
        "api.yaml",
        r##"openapi: 3.1.0
info: { title: Odd, version: "1" }
servers: [{ url: "https://odd.example.com" }]
paths:
  /x:
    post:
      operationId: x
      requestBody:
        content: { application/json: { schema: { $ref: "#/components/schemas/My Type~0x%" } } }
      responses:
        "200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/My Type~0x%" } } } }
components:
  schemas:
    "My Type~x%":
      type: object
      properties:
        next: { $ref: "#/components/schemas/My Type~0x%" }
        level: { enum: [1, 2.5, 3] }
        mixed: { enum: [1, "one", true, null] }
        loose: { nullable: true }
        code: { allOf: [{ type: string }, { $ref: "#/components/schemas/Code" }] }
    Code: { type: string, maxLength: 3 }
"##,
    )]);
    let files = artifacts(&api_of(&dir.path().join("api.yaml")));
    let schemas = mcp_schemas();
    for (file, manifest) in manifests(&files) {
        assert_valid_manifest(&file, &manifest, &schemas);
    }
    let x = tool(&json_file(&files, "mcp/public.json"), "x");
    let validator =
        jsonschema::draft202012::new(&x["inputSchema"]).unwrap_or_else(|e| panic!("{e}"));
    let good =
        json!({"next": {"next": {"level": 2.5}}, "mixed": "one", "loose": null, "code": "abc"});
    assert!(
        validator.is_valid(&good),
        "{:?}",
        problems(&validator, &good)
    );
    assert!(!validator.is_valid(&json!({"code": "abcd"})));
    assert!(!validator.is_valid(&json!({"next": {"level": 4}})));
}

/// A spec with `count` operations whose derived names are long, share long
/// beginnings and collide after case conversion.
fn crowded_spec(count: usize) -> String {
    let mut paths = String::new();
    let long = "very-long-segment-name-that-keeps-going/".repeat(3);
    for i in 0..count {
        paths.push_str(&format!(
            "  /{long}item{i}:\n    get: {{ operationId: \"{}{i}\", responses: {{ \"200\": {{ description: ok }} }} }}\n    post: {{ responses: {{ \"200\": {{ description: ok }} }} }}\n",
            "listEveryResourceThatBelongsToTheOrganizationAndItsRepositoriesForTheAuthenticatedUser"
        ));
    }
    // Colliding after case conversion, and commands that begin others.
    paths.push_str(
        r#"  /merge/{id}:
    get: { operationId: foo-bar, parameters: [{ name: id, in: path, required: true, schema: { type: string } }], responses: { "200": { description: ok } } }
  /merge/{id}/foo:
    get: { operationId: foo_bar, parameters: [{ name: id, in: path, required: true, schema: { type: string } }], responses: { "200": { description: ok } } }
  /repos/{o}/merge:
    post: { operationId: FooBar, parameters: [{ name: o, in: path, required: true, schema: { type: string } }], responses: { "200": { description: ok } } }
  /repos/{o}/merge/foo:
    get: { operationId: fooBar2, parameters: [{ name: o, in: path, required: true, schema: { type: string } }], responses: { "200": { description: ok } } }
  /repos/{o}/merge/foo/bar:
    get: { parameters: [{ name: o, in: path, required: true, schema: { type: string } }], responses: { "200": { description: ok } } }
"#,
    );
    format!(
        "openapi: 3.1.0\ninfo: {{ title: Crowd, version: \"1\" }}\nservers: [{{ url: \"https://c.example.com\" }}]\npaths:\n{paths}"
    )
}

#[test]
fn names_stay_unique_deterministic_and_within_limits_at_scale() {
    let dir = common::temp_tree(&[("api.yaml", &crowded_spec(1500))]);
    let api = api_of(&dir.path().join("api.yaml"));
    assert_eq!(api.operations.len(), 3005);
    let files = artifacts(&api);
    let public = json_file(&files, "mcp/public.json");
    let schemas = mcp_schemas();
    assert_valid_manifest("crowd public.json", &public, &schemas);
    assert_eq!(tools(&public).len(), api.operations.len());
    let names: BTreeSet<String> = tools(&public)
        .iter()
        .map(|t| t["name"].as_str().unwrap_or_default().to_string())
        .collect();
    // Long names keep their distinguishing tail as a hash, not a counter.
    assert!(names.iter().any(|n| n.len() == 64), "{names:?}");
    assert!(names.contains("foo_bar") && names.contains("foo_bar_2"));
    assert_valid_route_map("crowd", &api, &files);
    let routes = json_file(&files, "cli/routes.json");
    // `repo merge` (POST, alone on its path) began `repo merge foo …`.
    let merge = command(&routes, "repo merge create");
    assert_eq!(merge["operation"], "FooBar");
    assert_eq!(artifacts(&api), files, "deterministic");
}

/// A model whose types all reach each other (as Microsoft Graph's do) is
/// spelled out only so far in each tool: the nearest 64 types, then
/// described any-values, so the manifest does not repeat the whole model.
#[test]
fn a_tool_schema_spells_out_at_most_64_types() {
    let mut schemas = String::new();
    for i in 0..80 {
        schemas.push_str(&format!(
            "    T{i:02}: {{ type: object, properties: {{ name: {{ type: string }}, next: {{ $ref: \"#/components/schemas/T{:02}\" }} }} }}\n",
            (i + 1) % 80
        ));
    }
    let spec = format!(
        "openapi: 3.1.0\ninfo: {{ title: Web, version: \"1\" }}\npaths:\n  /t:\n    post:\n      operationId: putT\n      requestBody: {{ content: {{ application/json: {{ schema: {{ $ref: \"#/components/schemas/T00\" }} }} }} }}\n      responses: {{ \"204\": {{ description: ok }} }}\ncomponents:\n  schemas:\n{schemas}"
    );
    let dir = common::temp_tree(&[("api.yaml", &spec)]);
    let files = artifacts(&api_of(&dir.path().join("api.yaml")));
    let public = json_file(&files, "mcp/public.json");
    assert_valid_manifest("web public.json", &public, &mcp_schemas());
    let defs = tool(&public, "put_t")["inputSchema"]["$defs"].clone();
    let defs = defs.as_object().cloned().unwrap_or_default();
    // The body (T00) is the arguments; T01…T64 are spelled out, nearest
    // first, and T65 is a described any-value that refers to nothing more.
    let expanded: Vec<&str> = defs
        .iter()
        .filter(|(_, d)| d.get("properties").is_some())
        .map(|(name, _)| name.as_str())
        .collect();
    let wanted: Vec<String> = (1..=64).map(|i| format!("T{i:02}")).collect();
    assert_eq!(expanded, wanted);
    assert_eq!(defs.len(), 65);
    let far = defs["T65"]["description"].as_str().unwrap_or_default();
    assert!(far.starts_with("T65: not expanded"), "{far}");
    // Every `$ref` still resolves: none dangles.
    let text = tool(&public, "put_t")["inputSchema"].to_string();
    for name in text.split("#/$defs/").skip(1) {
        let name = name.split('"').next().unwrap_or_default();
        assert!(defs.contains_key(name), "dangling {name}");
    }
}

// ---- running tools -------------------------------------------------------

/// Writes the artifacts of `spec` under a fresh folder.
fn generated(spec: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let spec_text = spec.to_string_lossy().into_owned();
    let out = dir.path().to_string_lossy().into_owned();
    let output = common::tiergen(&[
        "generate",
        "--spec",
        &spec_text,
        "--no-overlay",
        "--only",
        "mcp,cli",
        "--out",
        &out,
    ]);
    assert!(output.status.success(), "{}", common::stderr(&output));
    dir
}

fn route(routes: &Path, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tiergen"))
        .arg("route")
        .arg("--routes")
        .arg(routes)
        .args(args)
        .env_clear()
        .envs(env.iter().copied())
        .output()
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn route_sends_other_authorization_schemes_prints_scopes_and_refuses_certificates() {
    let dir = generated(&breadth("security"));
    let routes = dir.path().join("cli/routes.json");
    let digest = route(
        &routes,
        &["thing", "delete", "7"],
        &[("SECURITY_DIGEST", "d-secret")],
    );
    assert!(digest.status.success(), "{}", common::stderr(&digest));
    assert_eq!(
        common::stdout(&digest),
        "DELETE https://api.example.com/v1/things/7\nauthorization: Digest ****\n"
    );
    let oauth = route(
        &routes,
        &["thing", "delete", "7"],
        &[("SECURITY_OAUTH", "tok")],
    );
    assert_eq!(
        common::stdout(&oauth),
        "# scopes: admin\nDELETE https://api.example.com/v1/things/7\nauthorization: Bearer ****\n"
    );
    let json_output = route(
        &routes,
        &["--format", "json", "thing", "create", "--name", "n"],
        &[("SECURITY_OIDC", "tok")],
    );
    let request: Value =
        serde_json::from_slice(&json_output.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(request["scopes"], json!(["openid", "things"]));

    let none = route(
        &routes,
        &["thing", "create"],
        &[("SECURITY_HEADER_KEY", "k")],
    );
    let stderr = common::stderr(&none);
    assert_eq!(none.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "no credentials for `thing create`: set SECURITY_OAUTH (a token with scopes read:things, write:things), or SECURITY_OIDC (a token with scopes openid, things) (the alternative mtls + headerKey needs a TLS client certificate, which tiergen cannot present)"
        ),
        "{stderr}"
    );
    for secret in ["d-secret", "tok"] {
        assert!(!common::stdout(&digest).contains(secret));
        assert!(!common::stdout(&oauth).contains(secret));
    }
}

#[test]
fn route_shows_form_multipart_and_binary_bodies() {
    let dir = generated(&breadth("bodies"));
    let routes = dir.path().join("cli/routes.json");
    let file = dir.path().join("payload.bin");
    std::fs::write(&file, [0u8, 1, 2, 3, 255]).unwrap_or_else(|e| panic!("{e}"));
    let at_file = format!("@{}", file.display());
    let binary = route(
        &routes,
        &[
            "uploads-example-com-v2",
            "file",
            "set",
            "a.bin",
            "--body",
            &at_file,
        ],
        &[],
    );
    assert!(binary.status.success(), "{}", common::stderr(&binary));
    assert_eq!(
        common::stdout(&binary),
        format!(
            "PUT https://uploads.example.com/v2/files/a.bin\ncontent-type: application/octet-stream\n\n<5 bytes from {}>\n",
            file.display()
        )
    );
    let multipart = route(
        &routes,
        &[
            "--format", "json", "file", "create", "--file", &at_file, "--note", "hi",
        ],
        &[],
    );
    assert!(multipart.status.success(), "{}", common::stderr(&multipart));
    let request: Value =
        serde_json::from_slice(&multipart.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(request["body_encoding"], "multipart");
    assert_eq!(
        request["body"],
        json!({"file": format!("<5 bytes from {}>", file.display()), "note": "hi"})
    );
    let missing = route(
        &routes,
        &["file", "create", "--file", "@/nonexistent/x"],
        &[],
    );
    assert_eq!(missing.status.code(), Some(2));
    assert!(common::stderr(&missing).contains("--file @/nonexistent/x"));
}

fn header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

#[test]
fn mcp_serve_sends_a_digest_authorization_and_refuses_a_client_certificate_clearly() {
    let dir = generated(&breadth("security"));
    let api = FakeApi::start();
    let base = vec![format!("{}/v1", api.url)];
    let mut served = Served::start(
        &dir.path().join("mcp/digest.json"),
        &base,
        &[("SECURITY_DIGEST", "username=\"u\", response=\"r\"")],
    );
    let (error, text, structured) = served.call("delete_thing", json!({"id": "a b"}));
    assert!(!error, "{text}");
    assert_eq!(structured, json!({"ok": true}));
    let requests = api.taken();
    assert_eq!(requests.len(), 1);
    let Recorded {
        method,
        path,
        headers,
        ..
    } = &requests[0];
    assert_eq!(
        (method.as_str(), path.as_str()),
        ("DELETE", "/v1/things/a%20b")
    );
    assert_eq!(
        header(headers, "authorization"),
        Some("Digest username=\"u\", response=\"r\"")
    );
    drop(served);

    // The header-key manifest lists create_thing, whose only alternative
    // with that key also needs a client certificate: refused, nothing sent.
    let mut served = Served::start(
        &dir.path().join("mcp/header-key.json"),
        &base,
        &[("SECURITY_HEADER_KEY", "k")],
    );
    let (error, text, _) = served.call("create_thing", json!({"name": "n"}));
    assert!(error);
    assert!(
        text.contains("the alternative mtls + headerKey needs a TLS client certificate, which tiergen cannot present"),
        "{text}"
    );
    let (error, text, _) = served.call("health", json!({}));
    assert!(!error, "{text}");
    let requests = api.taken();
    assert_eq!(requests.len(), 1, "only health reached the API");
    assert_eq!(requests[0].path, "/v1/health");
}

#[test]
fn mcp_serve_sends_multipart_and_binary_bodies_from_the_public_manifest() {
    let dir = generated(&breadth("bodies"));
    let api = FakeApi::start();
    let base = vec![
        format!("api={}", api.url),
        format!("uploads-example-com-v2={}/v2", api.url),
    ];
    let mut served = Served::start(&dir.path().join("mcp/public.json"), &base, &[]);
    // [0, 1, 2, 255] base64-encoded.
    let (error, text, _) = served.call(
        "put_file_bytes",
        json!({"name": "a.bin", "body": "AAEC/w=="}),
    );
    assert!(!error, "{text}");
    let (error, text, _) = served.call("upload_file", json!({"file": "AAEC/w==", "note": "hello"}));
    assert!(!error, "{text}");
    let (error, text, _) = served.call(
        "put_file_bytes",
        json!({"name": "a.bin", "body": "not base64!"}),
    );
    assert!(error && text.contains("must be base64"), "{text}");
    let requests = api.taken();
    assert_eq!(
        requests.len(),
        2,
        "the bad base64 was refused before sending"
    );
    let Recorded {
        method,
        path,
        headers,
        body,
    } = &requests[0];
    assert_eq!((method.as_str(), path.as_str()), ("PUT", "/v2/files/a.bin"));
    assert_eq!(
        header(headers, "content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(body, &[0u8, 1, 2, 255]);

    let Recorded {
        method,
        path,
        headers,
        body,
    } = &requests[1];
    assert_eq!((method.as_str(), path.as_str()), ("POST", "/files"));
    let content_type = header(headers, "content-type").unwrap_or_default();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("{content_type}"));
    let mut expected = Vec::new();
    expected.extend_from_slice(
        format!(
            "--{boundary}\r\ncontent-disposition: form-data; name=\"file\"; filename=\"file\"\r\ncontent-type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    expected.extend_from_slice(&[0, 1, 2, 255]);
    expected.extend_from_slice(
        format!("\r\n--{boundary}\r\ncontent-disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--{boundary}--\r\n").as_bytes(),
    );
    assert_eq!(body, &expected, "{}", String::from_utf8_lossy(body));
}

#[test]
fn mcp_serve_says_which_base_url_a_spec_without_servers_needs() {
    let dir = generated(&breadth("no-security"));
    let api = FakeApi::start();
    let mut served = Served::start(&dir.path().join("mcp/public.json"), &[], &[]);
    let (error, text, _) = served.call("get_root", json!({}));
    assert!(error);
    assert!(
        text.contains("service `api` has no absolute base URL")
            && text.contains("--base-url api=URL"),
        "{text}"
    );
    drop(served);
    let mut served = Served::start(
        &dir.path().join("mcp/public.json"),
        std::slice::from_ref(&api.url),
        &[],
    );
    let (error, text, _) = served.call("get_datasets", json!({"q": "x y"}));
    assert!(!error, "{text}");
    let requests = api.taken();
    // Percent-encoded as RFC 3986 and OpenAPI's style table write it.
    assert_eq!(requests[0].path, "/datasets?q=x%20y");
}

/// GitHub's REST description: no security schemes, 1,100+ operations.
#[test]
#[ignore = "needs GitHub's spec (npm @octokit/openapi, see github_spec()); run with --ignored"]
fn githubs_spec_yields_a_valid_public_manifest_and_route_map() {
    let spec = github_spec();
    assert!(
        spec.exists(),
        "GitHub's spec is not at {}: this test cannot run",
        spec.display()
    );
    let spec = spec.as_path();
    let started = Instant::now();
    let api = api_of(spec);
    let loaded = started.elapsed();
    let files = artifacts(&api);
    let emitted = started.elapsed() - loaded;
    let manifests = manifests(&files);
    let paths: Vec<&str> = manifests.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(paths, ["mcp/public.json"]);
    let public = &manifests[0].1;
    assert_eq!(tools(public).len(), api.operations.len());
    assert_valid_manifest("github public.json", public, &mcp_schemas());
    assert_valid_route_map("github", &api, &files);
    let size = |p: &str| files.get(p).map_or(0, <[u8]>::len);
    eprintln!(
        "github: {} operations, {} tools; mcp/public.json {} bytes, cli/routes.json {} bytes; load {loaded:?}, emit {emitted:?}",
        api.operations.len(),
        tools(public).len(),
        size("mcp/public.json"),
        size("cli/routes.json"),
    );
}
