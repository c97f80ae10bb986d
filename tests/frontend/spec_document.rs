//! The committed spec is a well-formed OpenAPI document with every path and
//! operation of the upstream contract — so a broken re-flow cannot land.

use crate::common;

use std::collections::BTreeSet;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn spec() -> yaml_serde::Value {
    let text = std::fs::read_to_string(common::repo_root().join("spec/management.yaml"))
        .unwrap_or_else(|e| panic!("read spec: {e}"));
    yaml_serde::from_str(&text).unwrap_or_else(|e| panic!("spec is not YAML: {e}"))
}

#[test]
fn spec_is_openapi_3_1_with_every_path_and_operation() {
    let spec = spec();
    assert_eq!(spec["openapi"].as_str(), Some("3.1.0"));
    let paths = spec["paths"]
        .as_mapping()
        .unwrap_or_else(|| panic!("no paths"));
    assert_eq!(paths.len(), 43, "path count");

    let mut ids = BTreeSet::new();
    for (path, item) in paths {
        let item = item
            .as_mapping()
            .unwrap_or_else(|| panic!("{path:?} is not a mapping"));
        for (key, op) in item {
            let key = key.as_str().unwrap_or_default();
            if key == "parameters" {
                continue;
            }
            assert!(METHODS.contains(&key), "{path:?} has a stray key {key:?}");
            let id = op["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{path:?} {key} has no operationId"));
            assert!(op.get("responses").is_some(), "{id} has no responses");
            assert!(op.get("security").is_some(), "{id} has no security");
            assert!(ids.insert(id.to_string()), "duplicate operationId {id}");
        }
    }
    assert_eq!(ids.len(), 58, "operation count");
    for sample in [
        "createOrg",
        "adminCreateOrg",
        "adminDeleteTenant",
        "adminUpdateWorkspaceEnv",
        "provisionWorkspace",
        "deprovisionWorkspace",
        "tenantListWorkspaces",
        "tenantGetWorkspace",
        "tenantCreateOrgToken",
        "tenantImportBundle",
    ] {
        assert!(ids.contains(sample), "missing operation {sample}");
    }
}

#[test]
fn components_are_where_openapi_puts_them() {
    let spec = spec();
    let components = &spec["components"];
    let count = |key: &str| components[key].as_mapping().map_or(0, |m| m.len());
    assert_eq!(count("securitySchemes"), 8);
    assert_eq!(count("parameters"), 4);
    assert_eq!(count("responses"), 5);
    assert_eq!(count("schemas"), 31);
    assert_eq!(spec["servers"].as_sequence().map(Vec::len), Some(2));
}

#[test]
fn block_scalars_kept_their_lines_and_swallowed_no_keys() {
    let spec = spec();
    let description = spec["paths"]["/api/v1/admin/tenants/{slug}"]["delete"]["description"]
        .as_str()
        .unwrap_or_default();
    assert!(
        description.starts_with("**Confirm guard:**"),
        "{description:?}"
    );
    assert!(description.contains('\n'), "a block scalar spans lines");
    for bad in [
        "\noperationId:",
        "\nresponses:",
        "\nsecurity:",
        "\nproperties:",
    ] {
        assert!(!description.contains(bad), "description swallowed {bad:?}");
    }
}
