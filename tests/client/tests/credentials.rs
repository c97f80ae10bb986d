//! Credentials travel exactly as the spec says, once, and only the chosen
//! alternative; `Debug` never shows a secret.

use molecule_client::tenant::ListWorkspacesError;
use molecule_client::{
    CpAdminBearer, Error, OrgApiKey, OrgRoutingHeaderId, OrgRoutingHeaderSlug, ProvisionSecret,
    TenantAdminToken, TenantClient, WorkosSession, WorkspaceToken, models,
};
use molecule_client_tests::{auth_headers, expect_headers, only_request, server};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

#[tokio::test]
async fn the_org_key_alternative_sends_bearer_and_org_id_only() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/workspaces"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .mount(&server)
        .await;
    let tenant = TenantClient::with_base_url(server.uri());
    let auth = (
        OrgApiKey::new("org-key-1"),
        OrgRoutingHeaderId::new("org-uuid-1"),
    );
    let workspaces = tenant
        .list_workspaces(&auth)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(workspaces.is_empty());
    let request = only_request(&server).await;
    assert_eq!(
        auth_headers(&request),
        expect_headers(&[
            ("authorization", "Bearer org-key-1"),
            ("x-molecule-org-id", "org-uuid-1"),
        ])
    );
}

#[tokio::test]
async fn the_session_alternative_sends_cookie_and_org_slug_only() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/workspaces"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({"error": "no"})))
        .mount(&server)
        .await;
    let tenant = TenantClient::with_base_url(server.uri());
    let auth = (
        WorkosSession::new("sess-1"),
        OrgRoutingHeaderSlug::new("agents-team"),
    );
    let error = tenant.list_workspaces(&auth).await.err();
    assert!(
        matches!(
            &error,
            Some(Error::Api(ListWorkspacesError::Unauthorized(models::Error { error }))) if error == "no"
        ),
        "{error:?}"
    );
    let request = only_request(&server).await;
    assert_eq!(
        auth_headers(&request),
        expect_headers(&[
            ("cookie", "mcp_session=sess-1"),
            ("x-molecule-org-slug", "agents-team"),
        ])
    );
}

#[test]
fn debug_never_shows_a_secret() {
    let shown = format!(
        "{:?} {:?} {:?} {:?} {:?} {:?}",
        OrgApiKey::new("s3cr3t-a"),
        WorkspaceToken::new("s3cr3t-b"),
        WorkosSession::new("s3cr3t-c"),
        CpAdminBearer::new("s3cr3t-d"),
        ProvisionSecret::new("s3cr3t-e"),
        TenantAdminToken::new("s3cr3t-f"),
    );
    assert!(!shown.contains("s3cr3t"), "{shown}");
    assert!(shown.contains("OrgApiKey(<redacted>)"), "{shown}");
    let minted = models::CreateOrgTokenResponse {
        id: "t1".into(),
        prefix: "mol_".into(),
        name: None,
        auth_token: "s3cr3t-g".into(),
        warning: None,
    };
    let shown = format!("{minted:?}");
    assert!(
        !shown.contains("s3cr3t") && shown.contains("mol_"),
        "{shown}"
    );
    // Routing headers are not secrets.
    assert!(format!("{:?}", OrgRoutingHeaderId::new("org-1")).contains("org-1"));
}

#[test]
fn the_tenant_client_fills_the_slug_into_its_host() {
    assert_eq!(
        TenantClient::new("agents-team").base_url(),
        "https://agents-team.moleculesai.app"
    );
    assert_eq!(
        molecule_client::ControlPlaneClient::new().base_url(),
        "https://api.moleculesai.app"
    );
    assert_eq!(
        TenantClient::with_base_url("http://127.0.0.1:9/").base_url(),
        "http://127.0.0.1:9"
    );
}
