//! The IR built from the management spec carries the tiers, guards, effects
//! and 3.1 facts the spec states; and 3.0 documents read just as well.

use crate::common;

use serde_json::json;
use tiergen::frontend::{OverlayChoice, load};
use tiergen::ir::{
    Additional, Api, Auth, CredentialId, EffectKind, Guard, Operation, ParamLocation, Placement,
    Requirement, RoutingHeaderId, Scalar, Shape, Status, Type,
};

fn management() -> Api {
    load(
        &common::repo_root().join("spec/management.yaml"),
        &OverlayChoice::Beside,
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn op<'a>(api: &'a Api, id: &str) -> &'a Operation {
    api.operations
        .iter()
        .find(|o| o.id == id)
        .unwrap_or_else(|| panic!("no operation {id}"))
}

fn alt(credentials: &[&str], routing: &[&str]) -> Requirement {
    Requirement {
        credentials: credentials
            .iter()
            .map(|c| CredentialId(c.to_string()))
            .collect(),
        routing: routing
            .iter()
            .map(|r| RoutingHeaderId(r.to_string()))
            .collect(),
        scopes: Default::default(),
    }
}

fn property<'a>(api: &'a Api, type_name: &str, name: &str) -> &'a Type {
    let named = api
        .named_type(type_name)
        .unwrap_or_else(|| panic!("no type {type_name}"));
    &named
        .ty
        .properties()
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("{type_name} has no {name}"))
        .ty
}

#[test]
fn ir_snapshot() {
    let output = common::tiergen(&["ir"]);
    assert!(output.status.success(), "{}", common::stderr(&output));
    let ir: serde_json::Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("ir is not JSON: {e}"));
    insta::assert_json_snapshot!("management_ir", ir);
}

#[test]
fn every_operation_belongs_to_exactly_one_declared_service() {
    let api = management();
    assert_eq!(api.operations.len(), 58);
    let ids: Vec<&str> = api.services.iter().map(|s| s.id.0.as_str()).collect();
    assert_eq!(ids, ["control-plane", "tenant"]);
    let count = |service: &str| {
        api.operations
            .iter()
            .filter(|o| o.service.0 == service)
            .count()
    };
    assert_eq!((count("control-plane"), count("tenant")), (30, 28));
    let tenant = &api.services[1];
    assert_eq!(tenant.base_url, "https://{slug}.moleculesai.app");
    assert_eq!(tenant.variables[0].name, "slug");
}

#[test]
fn auth_alternatives_are_any_of_all_of() {
    let api = management();
    assert_eq!(
        op(&api, "tenantListWorkspaces").auth,
        Auth::AnyOf(vec![
            alt(&["orgApiKey"], &["orgRoutingHeaderId"]),
            alt(&["workosSession"], &["orgRoutingHeaderSlug"]),
        ])
    );
    assert_eq!(
        op(&api, "deprovisionWorkspace").auth,
        Auth::AnyOf(vec![alt(&["provisionSecret", "tenantAdminToken"], &[])])
    );
    assert_eq!(op(&api, "tenantGetWorkspace").auth, Auth::Public);
    assert_eq!(op(&api, "getOrgInstance").auth, Auth::Public);
}

#[test]
fn credentials_know_where_they_travel_and_routing_headers_are_apart() {
    let api = management();
    let placement = |id: &str| {
        api.credential(&CredentialId(id.to_string()))
            .unwrap_or_else(|| panic!("no credential {id}"))
            .placement
            .clone()
    };
    assert_eq!(
        placement("workosSession"),
        Placement::Cookie {
            name: "mcp_session".into()
        }
    );
    assert_eq!(placement("orgApiKey"), Placement::Bearer);
    assert_eq!(
        placement("tenantAdminToken"),
        Placement::Header {
            name: "X-Molecule-Admin-Token".into()
        }
    );
    assert_eq!(api.credentials.len(), 6);
    let headers: Vec<&str> = api
        .routing_headers
        .iter()
        .map(|r| r.header.as_str())
        .collect();
    assert_eq!(headers, ["X-Molecule-Org-Id", "X-Molecule-Org-Slug"]);
}

#[test]
fn a_routing_header_listed_as_parameter_too_is_asked_for_once() {
    let api = management();
    for operation in api.operations.iter().filter(|o| o.service.0 == "tenant") {
        let header_params: Vec<&str> = operation
            .params_in(ParamLocation::Header)
            .map(|p| p.name.as_str())
            .collect();
        assert!(
            header_params.is_empty(),
            "{} still has header params {header_params:?}",
            operation.id
        );
        assert_eq!(operation.routing.len(), 2, "{} routing", operation.id);
    }
}

#[test]
fn guards_are_carried_with_their_details() {
    let api = management();
    assert_eq!(
        op(&api, "adminCreateOrg").guards,
        [Guard::DryRun {
            param: "dry_run".into(),
            status: 200
        }]
    );
    let dry_run = op(&api, "adminCreateOrg")
        .response(Status::Code(200))
        .and_then(|r| r.ty.clone());
    assert_eq!(
        dry_run.map(|t| t.shape),
        Some(Shape::Ref {
            name: "AdminCreateOrgDryRun".into()
        })
    );
    for id in ["adminDeleteTenant", "adminScrubTenantArtifacts"] {
        assert_eq!(
            op(&api, id).guards,
            [Guard::Confirm {
                field: "confirm".into(),
                equals_path_param: "slug".into()
            }],
            "{id}"
        );
    }
    assert!(matches!(
        &op(&api, "adminUpdateWorkspaceEnv").guards[..],
        [Guard::Force { field, keys_of, pattern }]
            if field == "force" && keys_of == "env" && pattern == "TOKEN|SECRET|KEY|PASSWORD"
    ));
    assert!(matches!(
        &op(&api, "provisionWorkspace").guards[..],
        [Guard::Precondition { status: 422, code, .. }] if code == "RUNTIME_PIN_MISSING"
    ));
    assert!(matches!(
        &op(&api, "deprovisionWorkspace").guards[..],
        [Guard::DestructiveFlag { param, value, .. }] if param == "prune" && value == "true"
    ));
}

#[test]
fn effects_are_carried() {
    let api = management();
    let kinds = |id: &str| -> Vec<&'static str> {
        op(&api, id).effects.iter().map(|e| e.kind.kind()).collect()
    };
    for id in [
        "tenantSetWorkspaceSecret",
        "tenantPutWorkspaceSecret",
        "tenantDeleteWorkspaceSecret",
    ] {
        assert!(kinds(id).contains(&"restarts-workspace"), "{id}");
    }
    for id in [
        "tenantSetGlobalSecret",
        "tenantPutGlobalSecret",
        "tenantDeleteGlobalSecret",
    ] {
        assert_eq!(kinds(id), ["restarts-org-workspaces"], "{id}");
    }
    for id in ["deleteOrg", "adminDeleteTenant"] {
        assert!(kinds(id).contains(&"irreversible-purge"), "{id}");
    }
    assert_eq!(
        op(&api, "tenantCreateOrgToken").effects[0].kind,
        EffectKind::SecretShownOnce {
            field: "auth_token".into()
        }
    );
    let create = &op(&api, "tenantCreateWorkspace").effects[0];
    assert_eq!(create.kind, EffectKind::RestartsWorkspace {});
    assert!(create.when.is_some());
    for id in [
        "adminGetWorkspaceBillingMode",
        "adminPutWorkspaceBillingMode",
    ] {
        assert_eq!(kinds(id), ["proxied-to-tenant"], "{id}");
    }
}

#[test]
fn openapi_3_1_facts_survive_lowering() {
    let api = management();
    // `type: [integer, "null"]` with int64: nullable, and still an integer.
    let budget_limit = property(&api, "CreateWorkspaceRequest", "budget_limit");
    assert!(budget_limit.nullable);
    assert!(matches!(
        &budget_limit.shape,
        Shape::Scalar { scalar: Scalar::Integer, format: Some(f), .. } if f == "int64"
    ));
    // `const: RUNTIME_PIN_MISSING`.
    assert_eq!(
        property(&api, "RuntimePinMissing", "error").shape,
        Shape::Const {
            scalar: Scalar::String,
            value: json!("RUNTIME_PIN_MISSING")
        }
    );
    // `propertyNames: {enum: [...]}` on the budget map, with nullable int64 values.
    match &property(&api, "PatchBudgetRequest", "budget_limits").shape {
        Shape::Map {
            keys: Some(keys),
            values,
            ..
        } => {
            assert_eq!(keys, &["hourly", "daily", "weekly", "monthly"]);
            assert!(values.nullable);
        }
        other => panic!("budget_limits is {other:?}"),
    }
    // `additionalProperties: false`.
    let strict = &api.named_type("AdminCreateOrgRequest").map(|t| &t.ty.shape);
    assert!(matches!(
        strict,
        Some(Shape::Object {
            additional: Additional::Forbidden,
            ..
        })
    ));
    // A nullable enum keeps `null` among its values.
    match &property(&api, "PutBillingModeRequest", "mode").shape {
        Shape::Enum { values, .. } => assert!(values.contains(&serde_json::Value::Null)),
        other => panic!("mode is {other:?}"),
    }
    // Absent vs null: `parent_id` is optional *and* nullable; `name` is required.
    let create = api
        .named_type("CreateWorkspaceRequest")
        .map(|t| t.ty.properties())
        .unwrap_or_default();
    let parent = create
        .iter()
        .find(|p| p.name == "parent_id")
        .map(|p| (p.required, p.ty.nullable));
    assert_eq!(parent, Some((false, true)));
}

#[test]
fn sensitive_fields_are_marked() {
    let api = management();
    assert!(property(&api, "CreateOrgTokenResponse", "auth_token").sensitive);
    assert!(property(&api, "AdminTenantTokenResponse", "admin_token").sensitive);
    assert!(!property(&api, "CreateOrgTokenResponse", "prefix").sensitive);
}

#[test]
fn openapi_3_0_documents_load() {
    let api = load(
        &common::fixture("petstore-3.0.yaml"),
        &OverlayChoice::Beside,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(api.operations.len(), 3);
    let tag = property(&api, "Pet", "tag");
    assert!(tag.nullable, "3.0 `nullable: true`");
    assert!(
        matches!(property(&api, "Pet", "parent").shape, Shape::Ref { ref name } if name == "Pet")
    );
    assert!(matches!(
        api.named_type("NewPet").map(|t| &t.ty.shape),
        Some(Shape::Object {
            additional: Additional::Forbidden,
            ..
        })
    ));
    let delete = op(&api, "deletePet");
    assert_eq!(delete.params[0].name, "petId");
    assert_eq!(op(&api, "listPets").auth, Auth::Public);
    let create = op(&api, "createPet");
    assert!(create.body.as_ref().is_some_and(|b| b.required));
    assert_eq!(
        create.responses.last().map(|r| r.status),
        Some(Status::Default)
    );
}

#[test]
fn json_specs_read_like_yaml() {
    let yaml = std::fs::read_to_string(common::repo_root().join("spec/management.yaml"))
        .unwrap_or_default();
    let value: serde_json::Value = yaml_serde::from_str(&yaml).unwrap_or_else(|e| panic!("{e}"));
    let json = serde_json::to_string_pretty(&value).unwrap_or_default();
    let overlay = std::fs::read_to_string(common::repo_root().join("spec/management.overlay.yaml"))
        .unwrap_or_default();
    let dir = common::temp_tree(&[
        ("management.json", &json),
        ("management.overlay.yaml", &overlay),
    ]);
    let from_json = load(&dir.path().join("management.json"), &OverlayChoice::Beside)
        .unwrap_or_else(|e| panic!("{e}"));
    let from_yaml = management();
    assert_eq!(from_json.operations, from_yaml.operations);
    assert_eq!(from_json.types, from_yaml.types);
}

#[test]
fn extensions_written_in_the_spec_read_the_same_as_an_overlay() {
    let direct = common::MINIMAL_SPEC.replace(
        "      operationId: getThing\n",
        "      operationId: getThing\n      x-tiergen-effects: [{ kind: audit-event, event: thing.read }]\n",
    );
    let overlay = "overlay: 1.0.0\ninfo: { title: o, version: \"1\" }\nactions:\n  - target: $.paths.*[?@.operationId == 'getThing']\n    update:\n      x-tiergen-effects: [{ kind: audit-event, event: thing.read }]\n";
    let dir = common::temp_tree(&[
        ("direct.yaml", &direct),
        ("plain.yaml", common::MINIMAL_SPEC),
        ("plain.overlay.yaml", overlay),
    ]);
    let direct = load(&dir.path().join("direct.yaml"), &OverlayChoice::Beside)
        .unwrap_or_else(|e| panic!("{e}"));
    let overlaid = load(&dir.path().join("plain.yaml"), &OverlayChoice::Beside)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(direct.operations, overlaid.operations);
    assert_eq!(direct.operations[0].effects.len(), 1);
    let skipped = load(&dir.path().join("plain.yaml"), &OverlayChoice::Skip)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        skipped.operations[0].effects.is_empty(),
        "--no-overlay still applied the overlay"
    );
}
