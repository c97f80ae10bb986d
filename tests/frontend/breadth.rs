//! Breadth: documents that use what the management spec does not — every
//! security scheme kind, no security, no operationIds, webhooks, servers per
//! path, polymorphism, stray keywords — load into the IR exactly where they
//! can and approximately (with a lint warning at the pointer) where they
//! cannot; `generate` never refuses them.

use crate::common;

use std::path::PathBuf;

use tiergen::frontend::{OverlayChoice, load};
use tiergen::ir::{Api, CredentialId, Grant, Issuer, Method, Placement};

fn fixtures() -> Vec<String> {
    common::breadth_fixtures()
}

fn path(name: &str) -> PathBuf {
    common::fixture(&format!("breadth/{name}.yaml"))
}

fn ir(name: &str) -> Api {
    load(&path(name), &OverlayChoice::Skip).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn ids(api: &Api) -> Vec<(Method, &str, &str)> {
    api.operations
        .iter()
        .map(|op| (op.method, op.path.as_str(), op.id.as_str()))
        .collect()
}

#[test]
fn every_fixture_has_a_stable_ir() {
    for name in fixtures() {
        let api = ir(&name);
        insta::assert_json_snapshot!(format!("breadth_ir_{name}"), api);
    }
}

#[test]
fn operation_ids_are_derived_from_method_and_path_and_never_collide() {
    let api = ir("no-security");
    assert_eq!(
        ids(&api),
        [
            (Method::Get, "/", "get_root"),
            (Method::Get, "/datasets", "get_datasets"),
            (Method::Post, "/datasets", "post_datasets"),
            // `get_datasets_by_id` is declared by the DELETE below: the derived one steps aside.
            (Method::Get, "/datasets/{id}", "get_datasets_by_id_2"),
            (
                Method::Get,
                "/datasets/{id}/rows.csv",
                "get_datasets_by_id_rows_csv"
            ),
            (
                Method::Get,
                "/datasets/by-id/{id}",
                "get_datasets_by_id_by_id"
            ),
            (Method::Delete, "/v2/datasets/{id}", "get_datasets_by_id"),
        ]
    );
    let names = ir("names");
    let derived: Vec<&str> = names
        .operations
        .iter()
        .filter(|op| !["foo-bar", "foo_bar", "FooBar"].contains(&op.id.as_str()))
        .map(|op| op.id.as_str())
        .collect();
    assert_eq!(
        derived,
        [
            "get_a_by_b_c_by_d_e_by_f_g_by_h_i_by_j_k",
            "get_1_by_x_json",
        ]
    );
}

#[test]
fn every_security_scheme_kind_is_a_credential_with_its_scopes() {
    let api = ir("security");
    let placement = |id: &str| {
        api.credential(&CredentialId(id.to_string()))
            .map(|c| c.placement.clone())
            .unwrap_or_else(|| panic!("no credential {id}"))
    };
    assert_eq!(placement("oauth"), Placement::Bearer);
    assert_eq!(placement("oidc"), Placement::Bearer);
    assert_eq!(placement("mtls"), Placement::ClientCertificate);
    assert_eq!(
        placement("digest"),
        Placement::Authorization {
            scheme: "Digest".to_string()
        }
    );
    assert_eq!(placement("basic"), Placement::Basic);
    assert_eq!(
        placement("queryKey"),
        Placement::Query {
            name: "api_key".to_string()
        }
    );
    assert_eq!(
        placement("cookieKey"),
        Placement::Cookie {
            name: "session".to_string()
        }
    );

    let oauth = api.credential(&CredentialId("oauth".to_string()));
    let Some(Issuer::OAuth2 { flows }) = oauth.and_then(|c| c.issuer.as_ref()) else {
        panic!("oauth has no OAuth2 issuer: {oauth:?}");
    };
    let grants: Vec<Grant> = flows.iter().map(|f| f.grant).collect();
    assert_eq!(grants, [Grant::ClientCredentials, Grant::AuthorizationCode]);
    let code = &flows[1];
    assert_eq!(
        code.token_url.as_deref(),
        Some("https://auth.example.com/token")
    );
    let scopes: Vec<&str> = code.scopes.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(scopes, ["read:things", "write:things"]);
    assert!(matches!(
        api.credential(&CredentialId("oidc".to_string())).and_then(|c| c.issuer.as_ref()),
        Some(Issuer::OpenIdConnect { url }) if url.ends_with("/openid-configuration")
    ));

    let find = |id: &str| {
        api.operations
            .iter()
            .find(|op| op.id == id)
            .unwrap_or_else(|| panic!("no operation {id}"))
    };
    // Global security applies, with its scope, to the operation without its own.
    let list = find("get_things");
    let oauth_id = CredentialId("oauth".to_string());
    assert_eq!(
        list.auth.alternatives()[0].scopes_of(&oauth_id),
        ["read:things"]
    );
    let create = find("createThing");
    let alternatives = create.auth.alternatives();
    assert_eq!(alternatives.len(), 3);
    assert_eq!(
        alternatives[0].scopes_of(&oauth_id),
        ["read:things", "write:things"]
    );
    assert_eq!(
        alternatives[1].scopes_of(&CredentialId("oidc".to_string())),
        ["openid", "things"]
    );
    // An all-of alternative: a client certificate plus a header key, no scopes.
    assert_eq!(alternatives[2].credentials.len(), 2);
    assert!(alternatives[2].scopes.is_empty());
    assert!(find("health").auth.admits_anonymous());
}

#[test]
fn services_come_from_servers_at_every_level() {
    let api = ir("bodies");
    let services: Vec<(&str, &str)> = api
        .services
        .iter()
        .map(|s| (s.id.0.as_str(), s.base_url.as_str()))
        .collect();
    assert_eq!(
        services,
        [
            ("api", "https://api.example.com"),
            ("uploads-example-com-v2", "https://uploads.example.com/v2"),
            (
                "region-auth-example-com",
                "https://{region}.auth.example.com"
            ),
        ]
    );
    assert_eq!(
        api.services[0].alternate_urls,
        ["https://staging.example.com"]
    );
    let service_of = |id: &str| {
        api.operations
            .iter()
            .find(|op| op.id == id)
            .map(|op| op.service.0.as_str())
    };
    assert_eq!(service_of("uploadFile"), Some("api"));
    // Path-level servers cover every operation of the path…
    assert_eq!(service_of("putFileBytes"), Some("uploads-example-com-v2"));
    assert_eq!(service_of("getFile"), Some("uploads-example-com-v2"));
    // …and operation-level ones just theirs.
    assert_eq!(service_of("login"), Some("region-auth-example-com"));
    assert_eq!(api.services[2].variables[0].allowed, ["eu", "us"]);
}

#[test]
fn webhooks_are_read_but_are_not_operations() {
    let api = ir("no-security");
    assert_eq!(api.webhooks.len(), 1);
    let hook = &api.webhooks[0];
    assert_eq!(
        (hook.name.as_str(), hook.method),
        ("datasetUpdated", Method::Post)
    );
    assert!(hook.body.is_some());
    assert!(
        api.operations
            .iter()
            .all(|op| !op.id.contains("dataset_updated"))
    );
}

#[test]
fn bodies_and_responses_keep_every_media_type_and_header() {
    let api = ir("bodies");
    let find = |id: &str| api.operations.iter().find(|op| op.id == id);
    let login = find("login").and_then(|op| op.body.as_ref());
    let login = login.unwrap_or_else(|| panic!("login has no body"));
    // JSON is chosen when offered; the form encoding is kept beside it.
    assert_eq!(login.media_type, "application/json");
    assert_eq!(
        login.other_media_types,
        ["application/x-www-form-urlencoded"]
    );
    let get_file = find("getFile").unwrap_or_else(|| panic!("no getFile"));
    assert_eq!(
        get_file.responses[0].other_media_types,
        ["application/octet-stream"]
    );
    // Accept is HTTP's business, not a parameter (OpenAPI: "SHALL be ignored").
    let search = find("search").unwrap_or_else(|| panic!("no search"));
    let names: Vec<&str> = search.params.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["filter", "tags"]);

    let zoo = ir("polymorphism");
    let create = zoo.operations.iter().find(|op| op.id == "createPet");
    let headers: Vec<(&str, bool)> = create
        .map(|op| &op.responses[0].headers)
        .into_iter()
        .flatten()
        .map(|h| (h.name.as_str(), h.required))
        .collect();
    assert_eq!(headers, [("Location", true), ("X-Rate-Limit", false)]);
}

/// What the IR cannot hold exactly is loosened and reported by `tiergen
/// lint` at its pointer, as a warning: generation never stops for it.
#[test]
fn approximations_are_lint_warnings_with_pointers() {
    let output = common::tiergen(&[
        "lint",
        "--spec",
        &path("polymorphism").to_string_lossy(),
        "--no-overlay",
        "--format",
        "json",
    ]);
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("lint json: {e}"));
    let approximated: Vec<(String, String)> = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["rule"] == "approximated")
        .map(|f| {
            assert_eq!(f["level"], "warning");
            (
                f["pointer"].as_str().unwrap_or_default().to_string(),
                f["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let pointers: Vec<&str> = approximated.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "/components/schemas/Dog/allOf/1/required",
            "/components/schemas/Node/properties/value/type",
            "/components/schemas/Problem/properties/status/enum",
            "/components/schemas/Mixed/properties/notThis/not",
            "/components/schemas/Mixed/properties/labels/patternProperties",
            "/components/schemas/Mixed/properties/size/additionalProperties",
            "/components/schemas/Mixed/properties/size/minimum",
            "/components/schemas/Mixed/properties/anything/enum",
            "/components/schemas/Mixed/properties/tuple/prefixItems",
            "/components/schemas/Mixed/properties/tuple/items",
            "/components/schemas/Mixed/properties/nothing/type",
            "/components/schemas/Mixed/properties/conditional/if",
            "/components/schemas/Mixed/properties/conditional/then",
        ],
        "{approximated:#?}"
    );
    assert!(
        approximated[1]
            .1
            .contains("[string, number] is read as oneOf")
    );
}

/// The 3.1 `oneOf: [X, {type: "null"}]` idiom is exact: a nullable X.
#[test]
fn a_null_variant_makes_the_union_nullable() {
    let api = ir("polymorphism");
    let pet = api.named_type("Pet").unwrap_or_else(|| panic!("no Pet"));
    let owner = pet.ty.properties().iter().find(|p| p.name == "owner");
    let owner = owner.unwrap_or_else(|| panic!("no owner"));
    assert!(owner.ty.nullable);
    assert!(
        matches!(&owner.ty.shape, tiergen::ir::Shape::OneOf { variants } if variants.len() == 1)
    );
    let discriminator = pet
        .ty
        .discriminator
        .as_ref()
        .map(|d| (&d.property, d.mapping.len()));
    assert_eq!(discriminator, Some((&"petType".to_string(), 2)));
}

#[test]
fn generate_writes_every_target_for_every_fixture() {
    for name in fixtures() {
        let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let output = common::tiergen(&[
            "generate",
            "--spec",
            &path(&name).to_string_lossy(),
            "--no-overlay",
            "--out",
            &out.path().to_string_lossy(),
        ]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{name}: {}",
            common::stderr(&output)
        );
        for target in ["rust", "mcp", "cli", "docs"] {
            let folder = out.path().join(target);
            let files = std::fs::read_dir(&folder).map(|d| d.count()).unwrap_or(0);
            assert!(files > 0, "{name}: nothing under {target}/");
        }
        check_artifacts(&name, out.path());
    }
}

/// Every JSON artifact parses; every markdown table keeps its column count.
fn check_artifacts(spec: &str, dir: &std::path::Path) {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let entries = std::fs::read_dir(&folder).unwrap_or_else(|e| panic!("{e}"));
        for entry in entries.filter_map(|e| e.ok()) {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
            match path.extension().and_then(|e| e.to_str()) {
                Some("json") => {
                    if let Err(e) = serde_json::from_str::<serde_json::Value>(&text) {
                        panic!("{spec}: {} is not JSON: {e}", path.display());
                    }
                }
                Some("md") => {
                    if let Some(problem) = common::table_shape_error(&text) {
                        panic!("{spec}: {}: {problem}", path.display());
                    }
                }
                _ => {}
            }
        }
    }
}

/// A `.json` spec is read by a JSON parser: its errors are JSON's, at the
/// right line and column.
#[test]
fn json_specs_are_read_as_json() {
    let dir = common::temp_tree(&[(
        "api.json",
        "{\n  \"openapi\": \"3.1.0\",\n  \"info\": {\"title\": \"t\", \"version\": \"1\"},\n  \"paths\": {},\n}\n",
    )]);
    let output = common::tiergen_in(dir.path(), &["ir", "--spec", "api.json", "--no-overlay"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = common::stderr(&output);
    assert!(
        stderr.starts_with("error: api.json:5:1: invalid JSON: trailing comma"),
        "{stderr}"
    );
}

/// `$ref`s into another path's schema, another schema's property or `$defs`
/// (as bundlers write them, percent-encoded or not, through chains of such
/// targets) become named types, recursion included.
/// Valid but odd constructs met in the corpus are read conservatively, each
/// reported with its pointer.
#[test]
fn lenient_readings_are_reported() {
    let api = ir("lenient");
    let unsubscribe = api.operations.iter().find(|op| op.id == "unsubscribe");
    assert!(
        unsubscribe.is_some_and(|op| op.body.is_none()),
        "{unsubscribe:?}"
    );
    let notes: Vec<(&str, &str)> = api
        .approximations
        .iter()
        .map(|a| (a.pointer.as_str(), a.message.as_str()))
        .collect();
    assert_eq!(
        notes,
        [
            (
                "/paths/~1photos~1recognize/post/callbacks",
                "callbacks are not read: the requests they describe are not in the docs, \
                 the client or the manifests"
            ),
            (
                "/paths/~1photos~1recognize/post/parameters/0/schema/type",
                "unknown schema type \"application/json\" is ignored"
            ),
            (
                "/paths/~1photos~1recognize/post/responses/200/content/application~1json/schema/$ref",
                "a schema `$ref` to components/responses, not to a schema: its fields are read as a schema"
            ),
            (
                "/paths/~1channels~1{channel}/delete/requestBody/content",
                "a request body with no media type is read as no body"
            ),
        ]
    );
}

#[test]
fn refs_anywhere_in_the_document_become_named_types() {
    let api = ir("refs");
    let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        // Hoisted types follow the component ones, in the order they are first met.
        [
            "Member",
            "/teams get responses 200 data",
            "Member role",
            // Named from the decoded pointer (`%7B` is `{`), found through a chain.
            "/teams/{teamId}/state get responses 200",
            "/teams/{teamId} get responses 200",
            "Member Address",
        ]
    );
    let summary = api.operations.iter().find(|op| op.id == "getTeamSummary");
    let answer = summary
        .and_then(|op| op.responses.first())
        .and_then(|r| r.ty.as_ref());
    assert!(
        matches!(answer.map(|t| &t.shape), Some(tiergen::ir::Shape::Ref { name }) if name == "/teams/{teamId} get responses 200"),
        "{answer:?}"
    );
    let team = api.named_type("/teams get responses 200 data");
    let parent = team.and_then(|t| t.ty.properties().iter().find(|p| p.name == "parent"));
    assert!(
        matches!(&parent.map(|p| &p.ty.shape), Some(tiergen::ir::Shape::Ref { name }) if name == "/teams get responses 200 data"),
        "{parent:?}"
    );
    assert!(api.approximations.is_empty(), "{:?}", api.approximations);
}
