//! The binary built on the build-time client calls the API: the request it
//! sends and the answer it decodes.

use std::process::Command;

use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test(flavor = "current_thread")]
async fn the_generated_client_lists_orgs_from_a_local_server() {
    let server = MockServer::start().await;
    let org = serde_json::json!({
        "id": "3f6c1d2e-8a4b-4c5d-9e7f-0a1b2c3d4e5f",
        "slug": "acme",
        "name": "Acme Corp",
        "plan": "team",
        "status": "active",
        "created_at": "2026-01-01T00:00:00Z",
        "updated_at": "2026-01-01T00:00:00Z"
    });
    Mock::given(method("GET"))
        .and(path("/api/v1/orgs"))
        .and(header("cookie", "mcp_session=session-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([org])))
        .expect(1)
        .mount(&server)
        .await;
    let output = Command::new(env!("CARGO_BIN_EXE_tiergen-build-script-example"))
        .arg(server.uri())
        .env("MOLECULE_WORKOS_SESSION", "session-1")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "acme (Acme Corp)\n"
    );
}

/// Cargo reruns the build script for the spec and its overlay, and for
/// nothing else: an edit anywhere else in the workspace regenerates nothing.
#[test]
fn the_build_script_watches_the_spec_and_its_overlay_only() {
    let out_dir = std::path::Path::new(env!("OUT_DIR"));
    let output = std::fs::read_to_string(out_dir.with_file_name("output"))
        .unwrap_or_else(|e| panic!("the build script's output: {e}"));
    let watched: Vec<&str> = output
        .lines()
        .filter_map(|l| l.strip_prefix("cargo:rerun-if-changed="))
        .collect();
    assert_eq!(watched.len(), 2, "{output}");
    assert!(watched[0].ends_with("/spec/management.yaml"), "{watched:?}");
    assert!(
        watched[1].ends_with("/spec/management.overlay.yaml"),
        "{watched:?}"
    );
    assert!(out_dir.join("tiergen_client.rs").is_file());
}
