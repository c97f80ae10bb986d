//! Every `ControlPlaneClient` operation on the wire: what it sends (method,
//! raw path, query, exactly the credentials the spec asks for, body) and what
//! it makes of the answers the spec documents (the success body, decoded to
//! real values, and a typed error variant).

use std::collections::BTreeMap;

use molecule_client::control_plane::{
    AdminCreateOrgError, AdminDeleteTenantError, AdminGetTenantTokenError,
    AdminGetWorkspaceBillingModeError, AdminListOrgWorkspacesError, AdminListOrgsError,
    AdminListRuntimeImageError, AdminListThinAmiError, AdminPromoteRuntimeImageError,
    AdminPromoteThinAmiError, AdminPutWorkspaceBillingModeError, AdminRedeployFleetError,
    AdminRedeployTenantError, AdminScrubTenantArtifactsError, AdminTenantDiagnosticsError,
    AdminUpdateWorkspaceEnvError, BillingCheckoutError, BillingPortalError, BillingTopupError,
    CreateOrgError, DeleteOrgError, DeprovisionWorkspaceError, ExportOrgError, GetOrgError,
    GetOrgInstanceError, GetProvisionStatusError, GetProvisionWorkspaceStatusError,
    ListInvoicesError, ListOrgsError, ProvisionWorkspaceError,
};
use molecule_client::{
    ControlPlaneClient, CpAdminBearer, Error, ProvisionSecret, TenantAdminToken, WorkosSession,
    models,
};
use molecule_client_tests::{
    answering_once, api_error, api_message, auth_headers, error_answer, expect_headers, json_body,
    object, only_request, raw_path, raw_query,
};
use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};

/// The org every org-level test talks about.
const ORG_ID: &str = "6d1f3a2b-4c5e-4f70-8a9b-0c1d2e3f4a5b";
/// The workspace every workspace-level test talks about.
const WORKSPACE: &str = "3f6c1d2e-8a4b-4c5d-9e7f-0a1b2c3d4e5f";
/// A second org, in the lists.
const OTHER_ORG_ID: &str = "0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d";

/// What `WorkosSession::new("sess-1")` puts on the wire, and nothing else.
const SESSION_HEADERS: [(&str, &str); 1] = [("cookie", "mcp_session=sess-1")];
/// What `CpAdminBearer::new("admin-token")` puts on the wire.
const ADMIN_HEADERS: [(&str, &str); 1] = [("authorization", "Bearer admin-token")];
/// What `ProvisionSecret::new("provision-secret-1")` puts on the wire.
const PROVISION_HEADERS: [(&str, &str); 1] = [("authorization", "Bearer provision-secret-1")];
/// What `(ProvisionSecret, TenantAdminToken)` puts on the wire: both, once each.
const DEPROVISION_HEADERS: [(&str, &str); 2] = [
    ("authorization", "Bearer provision-secret-1"),
    ("x-molecule-admin-token", "tenant-admin-1"),
];

fn uuid(text: &str) -> uuid::Uuid {
    uuid::Uuid::parse_str(text).unwrap_or_else(|e| panic!("{text} is not a UUID: {e}"))
}

fn workspace_id() -> uuid::Uuid {
    uuid(WORKSPACE)
}

fn session() -> WorkosSession {
    WorkosSession::new("sess-1")
}

fn admin() -> CpAdminBearer {
    CpAdminBearer::new("admin-token")
}

fn provision_secret() -> ProvisionSecret {
    ProvisionSecret::new("provision-secret-1")
}

fn deprovision_auth() -> (ProvisionSecret, TenantAdminToken) {
    (provision_secret(), TenantAdminToken::new("tenant-admin-1"))
}

/// A server answering one request with `answer`, and a client for it.
async fn answering(answer: ResponseTemplate) -> (MockServer, ControlPlaneClient) {
    let server = answering_once(answer).await;
    let client = ControlPlaneClient::with_base_url(server.uri());
    (server, client)
}

fn org_json() -> serde_json::Value {
    json!({
        "id": ORG_ID,
        "slug": "agents-team",
        "name": "Agents Team",
        "plan": "pro",
        "status": "active",
        "stripe_customer_id": "cus_Q1w2E3r4T5y6",
        "credits_balance": 125000,
        "plan_monthly_credits": 100000,
        "overage_used_credits": 2500,
        "overage_cap_credits": 50000,
        "created_at": "2025-03-01T09:00:00Z",
        "updated_at": "2025-05-01T10:30:00Z"
    })
}

fn assert_is_agents_team(org: &models::Organization) {
    assert_eq!(org.id, uuid(ORG_ID));
    assert_eq!(org.slug, "agents-team");
    assert_eq!(org.name, "Agents Team");
    assert_eq!(org.plan, "pro");
    assert_eq!(org.status, "active");
    assert_eq!(org.stripe_customer_id.as_deref(), Some("cus_Q1w2E3r4T5y6"));
    assert_eq!(org.credits_balance, Some(125000));
    assert_eq!(org.plan_monthly_credits, Some(100000));
    assert_eq!(org.overage_used_credits, Some(2500));
    assert_eq!(org.overage_cap_credits, Some(50000));
    // The test crate has no `chrono`: compare the timestamps as RFC 3339 text.
    assert_eq!(
        org.created_at.map(|at| at.to_rfc3339()).as_deref(),
        Some("2025-03-01T09:00:00+00:00")
    );
    assert_eq!(
        org.updated_at.map(|at| at.to_rfc3339()).as_deref(),
        Some("2025-05-01T10:30:00+00:00")
    );
}

fn admin_create_org_body() -> models::AdminCreateOrgRequest {
    models::AdminCreateOrgRequest {
        slug: "agents-team".into(),
        name: "Agents Team".into(),
        owner_user_id: "e2e-runner:run-4821".into(),
    }
}

fn admin_create_org_json() -> serde_json::Value {
    json!({
        "slug": "agents-team",
        "name": "Agents Team",
        "owner_user_id": "e2e-runner:run-4821"
    })
}

fn confirm(slug: &str) -> models::DeleteTenantRequest {
    models::DeleteTenantRequest {
        confirm: slug.to_string(),
    }
}

fn provision_body() -> models::WorkspaceProvisionRequest {
    models::WorkspaceProvisionRequest {
        org_id: uuid(ORG_ID),
        workspace_id: workspace_id(),
        runtime: "claude-code".into(),
        tier: Some(2),
        instance_type: Some("t3.large".into()),
        disk_gb: Some(40),
        platform_url: "https://agents-team.moleculesai.app".into(),
        env: Some(BTreeMap::from([
            ("LOG_LEVEL".to_string(), "info".to_string()),
            ("MODEL".to_string(), "claude-sonnet-4".to_string()),
        ])),
        config_files: Some(BTreeMap::from([(
            "config.yaml".to_string(),
            "name: research-agent\n".to_string(),
        )])),
        display: Some(models::WorkspaceProvisionRequestDisplay {
            mode: Some("vnc".into()),
            width: Some(1280),
            height: Some(800),
            protocol: Some("websocket".into()),
        }),
    }
}

fn provision_json() -> serde_json::Value {
    json!({
        "org_id": ORG_ID,
        "workspace_id": WORKSPACE,
        "runtime": "claude-code",
        "tier": 2,
        "instance_type": "t3.large",
        "disk_gb": 40,
        "platform_url": "https://agents-team.moleculesai.app",
        "env": {"LOG_LEVEL": "info", "MODEL": "claude-sonnet-4"},
        "config_files": {"config.yaml": "name: research-agent\n"},
        "display": {"mode": "vnc", "width": 1280, "height": 800, "protocol": "websocket"}
    })
}

// -------------------------------------------------------------- CP: orgs

#[tokio::test]
async fn create_org_posts_the_body_with_the_session_and_decodes_the_201() {
    let (server, client) = answering(ResponseTemplate::new(201).set_body_json(org_json())).await;
    let body = models::CreateOrgRequest {
        slug: "agents-team".into(),
        name: "Agents Team".into(),
    };
    let org = client
        .create_org(&session(), &body)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(raw_path(&request), "/api/v1/orgs");
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&SESSION_HEADERS));
    assert_eq!(
        json_body(&request),
        Some(json!({"slug": "agents-team", "name": "Agents Team"}))
    );
    assert_is_agents_team(&org);
}

#[tokio::test]
async fn create_org_types_every_documented_error() {
    type Variant = fn(models::Error) -> CreateOrgError;
    let cases: [(u16, &str, Variant); 5] = [
        (
            400,
            "slug must match ^[a-z][a-z0-9-]{2,31}$",
            CreateOrgError::BadRequest,
        ),
        (401, "no session", CreateOrgError::Unauthorized),
        (402, "org quota reached", CreateOrgError::PaymentRequired),
        (409, "slug taken", CreateOrgError::Conflict),
        (
            412,
            "terms not accepted",
            CreateOrgError::PreconditionFailed,
        ),
    ];
    for (status, message, variant) in cases {
        let (server, client) = answering(error_answer(status, message)).await;
        let body = models::CreateOrgRequest {
            slug: "agents-team".into(),
            name: "Agents Team".into(),
        };
        let error = api_error(client.create_org(&session(), &body).await);
        assert_eq!(error, variant(api_message(message)), "status {status}");
        assert_eq!(error.status(), status);
        let request = only_request(&server).await;
        assert_eq!(auth_headers(&request), expect_headers(&SESSION_HEADERS));
    }
}

#[tokio::test]
async fn list_orgs_sends_the_session_and_decodes_every_org() {
    let (server, client) = answering(ResponseTemplate::new(200).set_body_json(json!([
        org_json(),
        {
            "id": OTHER_ORG_ID,
            "slug": "research-lab",
            "name": "Research Lab",
            "plan": "free",
            "status": "provisioning"
        }
    ])))
    .await;
    let orgs = client
        .list_orgs(&session())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(raw_path(&request), "/api/v1/orgs");
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&SESSION_HEADERS));
    assert_eq!(json_body(&request), None);

    assert_eq!(orgs.len(), 2, "{orgs:?}");
    assert_is_agents_team(&orgs[0]);
    assert_eq!(
        orgs[1],
        models::Organization {
            id: uuid(OTHER_ORG_ID),
            slug: "research-lab".into(),
            name: "Research Lab".into(),
            plan: "free".into(),
            status: "provisioning".into(),
            stripe_customer_id: None,
            credits_balance: None,
            plan_monthly_credits: None,
            overage_used_credits: None,
            overage_cap_credits: None,
            created_at: None,
            updated_at: None,
        }
    );
}

#[tokio::test]
async fn list_orgs_types_401() {
    let (_server, client) = answering(error_answer(401, "session expired")).await;
    let result = client.list_orgs(&session()).await;
    assert_eq!(
        api_error(result),
        ListOrgsError::Unauthorized(api_message("session expired"))
    );
}

#[tokio::test]
async fn get_org_sends_the_slug_in_the_path_and_decodes_the_org() {
    let (server, client) = answering(ResponseTemplate::new(200).set_body_json(org_json())).await;
    let org = client
        .get_org(&session(), "agents-team")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(raw_path(&request), "/api/v1/orgs/agents-team");
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&SESSION_HEADERS));
    assert_eq!(json_body(&request), None);
    assert_is_agents_team(&org);
}

#[tokio::test]
async fn get_org_percent_encodes_a_slug_so_it_stays_one_segment() {
    let (server, client) = answering(ResponseTemplate::new(200).set_body_json(org_json())).await;
    client
        .get_org(&session(), "a b/c")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(raw_path(&request), "/api/v1/orgs/a%20b%2Fc");
    assert_eq!(raw_query(&request), None);
}

#[tokio::test]
async fn get_org_types_404() {
    let (server, client) = answering(error_answer(404, "gone")).await;
    let result = client.get_org(&session(), "agents-team").await;
    assert!(
        matches!(
            &result,
            Err(Error::Api(GetOrgError::NotFound(models::Error { error }))) if error == "gone"
        ),
        "{result:?}"
    );
    let request = only_request(&server).await;
    assert_eq!(raw_path(&request), "/api/v1/orgs/agents-team");
    assert_eq!(auth_headers(&request), expect_headers(&SESSION_HEADERS));
}

#[tokio::test]
async fn get_org_types_403() {
    let (_server, client) = answering(error_answer(403, "not a member")).await;
    let result = client.get_org(&session(), "agents-team").await;
    assert_eq!(
        api_error(result),
        GetOrgError::Forbidden(api_message("not a member"))
    );
}

#[tokio::test]
async fn delete_org_sends_delete_and_returns_unit_on_204() {
    let (server, client) = answering(ResponseTemplate::new(204)).await;
    let result = client.delete_org(&session(), "agents-team").await;
    assert!(matches!(result, Ok(())), "{result:?}");
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "DELETE");
    assert_eq!(raw_path(&request), "/api/v1/orgs/agents-team");
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&SESSION_HEADERS));
    assert_eq!(json_body(&request), None);
}

#[tokio::test]
async fn delete_org_types_403() {
    let (server, client) = answering(error_answer(403, "owner only")).await;
    let result = client.delete_org(&session(), "agents-team").await;
    assert!(
        matches!(
            &result,
            Err(Error::Api(DeleteOrgError::Forbidden(models::Error { error }))) if error == "owner only"
        ),
        "{result:?}"
    );
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "DELETE");
}

#[tokio::test]
async fn export_org_decodes_the_whole_export() {
    let (server, client) = answering(ResponseTemplate::new(200).set_body_json(json!({
        "schema_version": "2025-01",
        "exported_at": "2025-05-02T08:00:00Z",
        "exported_by": "user_01HZX3K9QY",
        "subject": {"user_id": "user_01HZX3K9QY"},
        "organization": org_json(),
        "infrastructure": {"instance_id": "i-0abc123def4567890", "region": "us-east-1"},
        "members": [
            {"user_id": "user_01HZX3K9QY", "role": "owner"},
            {"user_id": "user_01HZX3K9QZ", "role": "member"}
        ],
        "notes": {"stripe": "invoices are kept by Stripe"}
    })))
    .await;
    let export = client
        .export_org(&session(), "agents-team")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(raw_path(&request), "/api/v1/orgs/agents-team/export");
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&SESSION_HEADERS));
    assert_eq!(json_body(&request), None);

    assert_eq!(export.schema_version.as_deref(), Some("2025-01"));
    assert_eq!(
        export.exported_at.map(|at| at.to_rfc3339()).as_deref(),
        Some("2025-05-02T08:00:00+00:00")
    );
    assert_eq!(export.exported_by.as_deref(), Some("user_01HZX3K9QY"));
    assert_eq!(
        export.subject,
        Some(models::OrgExportSubject {
            user_id: Some("user_01HZX3K9QY".into())
        })
    );
    assert_is_agents_team(export.organization.as_ref().expect("organization"));
    assert_eq!(
        export.infrastructure,
        Some(object(
            json!({"instance_id": "i-0abc123def4567890", "region": "us-east-1"})
        ))
    );
    assert_eq!(
        export.members,
        Some(vec![
            object(json!({"user_id": "user_01HZX3K9QY", "role": "owner"})),
            object(json!({"user_id": "user_01HZX3K9QZ", "role": "member"})),
        ])
    );
    assert_eq!(
        export.notes,
        Some(object(json!({"stripe": "invoices are kept by Stripe"})))
    );
}

#[tokio::test]
async fn export_org_types_403() {
    let (_server, client) = answering(error_answer(403, "owner only")).await;
    let result = client.export_org(&session(), "agents-team").await;
    assert_eq!(
        api_error(result),
        ExportOrgError::Forbidden(api_message("owner only"))
    );
}

#[tokio::test]
async fn get_provision_status_decodes_status_stage_and_progress() {
    let (server, client) = answering(ResponseTemplate::new(200).set_body_json(json!({
        "status": "provisioning",
        "stage": "configuring_https",
        "progress": 80,
        "message": "Issuing TLS certificate",
        "eta_seconds": 45,
        "url": "https://agents-team.moleculesai.app"
    })))
    .await;
    let status = client
        .get_provision_status(&session(), "agents-team")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(
        raw_path(&request),
        "/api/v1/orgs/agents-team/provision-status"
    );
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&SESSION_HEADERS));
    assert_eq!(json_body(&request), None);
    assert_eq!(
        status,
        models::ProvisionStatus {
            status: models::ProvisionStatusStatus::Provisioning,
            stage: models::ProvisionStatusStage::ConfiguringHttps,
            progress: 80,
            message: "Issuing TLS certificate".into(),
            eta_seconds: 45,
            url: Some("https://agents-team.moleculesai.app".into()),
        }
    );
}

#[tokio::test]
async fn get_provision_status_types_404() {
    let (_server, client) = answering(error_answer(404, "org not found")).await;
    let result = client.get_provision_status(&session(), "agents-team").await;
    assert_eq!(
        api_error(result),
        GetProvisionStatusError::NotFound(api_message("org not found"))
    );
}

#[tokio::test]
async fn get_org_instance_is_public_and_sends_no_credential() {
    let (server, client) = answering(ResponseTemplate::new(200).set_body_json(json!({
        "slug": "agents-team",
        "status": "running",
        "ip": "203.0.113.17",
        "org_id": ORG_ID,
        "region": "us-east-1"
    })))
    .await;
    let instance = client
        .get_org_instance("agents-team")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(raw_path(&request), "/api/v1/orgs/agents-team/instance");
    assert_eq!(raw_query(&request), None);
    assert!(
        auth_headers(&request).is_empty(),
        "{:?}",
        auth_headers(&request)
    );
    assert_eq!(json_body(&request), None);
    assert_eq!(
        instance,
        models::GetOrgInstanceResponse {
            slug: Some("agents-team".into()),
            status: Some("running".into()),
            ip: Some("203.0.113.17".into()),
            org_id: Some(ORG_ID.into()),
            additional_properties: object(json!({"region": "us-east-1"})),
        }
    );
}

#[tokio::test]
async fn get_org_instance_types_404() {
    let (server, client) = answering(error_answer(404, "no such org")).await;
    let result = client.get_org_instance("agents-team").await;
    assert_eq!(
        api_error(result),
        GetOrgInstanceError::NotFound(api_message("no such org"))
    );
    let request = only_request(&server).await;
    assert!(auth_headers(&request).is_empty());
}

// ----------------------------------------------------------- CP: billing

#[tokio::test]
async fn list_invoices_decodes_the_free_form_invoices() {
    let (server, client) = answering(ResponseTemplate::new(200).set_body_json(json!([
        {"id": "in_1PqR2s", "amount_due": 4900, "currency": "usd", "status": "paid"},
        {"id": "in_1PqR3t", "amount_due": 1200, "currency": "usd", "status": "open"}
    ])))
    .await;
    let invoices = client
        .list_invoices(&session())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(raw_path(&request), "/api/v1/billing/invoices");
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&SESSION_HEADERS));
    assert_eq!(json_body(&request), None);
    assert_eq!(
        invoices,
        vec![
            object(
                json!({"id": "in_1PqR2s", "amount_due": 4900, "currency": "usd", "status": "paid"})
            ),
            object(
                json!({"id": "in_1PqR3t", "amount_due": 1200, "currency": "usd", "status": "open"})
            ),
        ]
    );
}

#[tokio::test]
async fn list_invoices_types_401() {
    let (_server, client) = answering(error_answer(401, "session expired")).await;
    let result = client.list_invoices(&session()).await;
    assert_eq!(
        api_error(result),
        ListInvoicesError::Unauthorized(api_message("session expired"))
    );
}

#[tokio::test]
async fn list_invoices_keeps_an_undocumented_status_and_its_body() {
    let (_server, client) =
        answering(ResponseTemplate::new(418).set_body_string("I'm a teapot")).await;
    let result = client.list_invoices(&session()).await;
    assert!(
        matches!(
            &result,
            Err(Error::UnexpectedStatus { status: 418, body }) if body == b"I'm a teapot"
        ),
        "{result:?}"
    );
}

#[tokio::test]
async fn billing_checkout_posts_the_body_and_decodes_the_checkout_url() {
    let (server, client) = answering(ResponseTemplate::new(200).set_body_json(json!({
        "url": "https://checkout.stripe.com/c/pay/cs_test_a1B2c3",
        "session_id": "cs_test_a1B2c3"
    })))
    .await;
    let body = object(json!({
        "plan": "pro",
        "success_url": "https://app.moleculesai.app/billing?ok=1",
        "cancel_url": "https://app.moleculesai.app/billing"
    }));
    let answer = client
        .billing_checkout(&session(), Some(&body))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(raw_path(&request), "/api/v1/billing/checkout");
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&SESSION_HEADERS));
    assert_eq!(
        json_body(&request),
        Some(json!({
            "plan": "pro",
            "success_url": "https://app.moleculesai.app/billing?ok=1",
            "cancel_url": "https://app.moleculesai.app/billing"
        }))
    );
    assert_eq!(
        answer,
        object(json!({
            "url": "https://checkout.stripe.com/c/pay/cs_test_a1B2c3",
            "session_id": "cs_test_a1B2c3"
        }))
    );
}

#[tokio::test]
async fn billing_checkout_without_a_body_sends_none() {
    let (server, client) = answering(
        ResponseTemplate::new(200)
            .set_body_json(json!({"url": "https://checkout.stripe.com/c/pay/cs_test_z9"})),
    )
    .await;
    let answer = client
        .billing_checkout(&session(), None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(raw_path(&request), "/api/v1/billing/checkout");
    assert_eq!(json_body(&request), None);
    assert_eq!(
        answer,
        object(json!({"url": "https://checkout.stripe.com/c/pay/cs_test_z9"}))
    );
}

#[tokio::test]
async fn billing_checkout_types_401() {
    let (_server, client) = answering(error_answer(401, "login required")).await;
    let result = client.billing_checkout(&session(), None).await;
    assert_eq!(
        api_error(result),
        BillingCheckoutError::Unauthorized(api_message("login required"))
    );
}

#[tokio::test]
async fn billing_portal_posts_without_a_body_and_decodes_the_portal_url() {
    let (server, client) = answering(
        ResponseTemplate::new(200)
            .set_body_json(json!({"url": "https://billing.stripe.com/p/session/test_YWNjdA"})),
    )
    .await;
    let answer = client
        .billing_portal(&session())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(raw_path(&request), "/api/v1/billing/portal");
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&SESSION_HEADERS));
    assert_eq!(json_body(&request), None);
    assert_eq!(
        answer,
        object(json!({"url": "https://billing.stripe.com/p/session/test_YWNjdA"}))
    );
}

#[tokio::test]
async fn billing_portal_types_401() {
    let (_server, client) = answering(error_answer(401, "login required")).await;
    let result = client.billing_portal(&session()).await;
    assert_eq!(
        api_error(result),
        BillingPortalError::Unauthorized(api_message("login required"))
    );
}

#[tokio::test]
async fn billing_topup_posts_the_body_and_decodes_the_answer() {
    let (server, client) = answering(ResponseTemplate::new(200).set_body_json(json!({
        "url": "https://checkout.stripe.com/c/pay/cs_test_topup1",
        "credits": 50000
    })))
    .await;
    let body = object(json!({"credits": 50000, "org_slug": "agents-team"}));
    let answer = client
        .billing_topup(&session(), Some(&body))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(raw_path(&request), "/api/v1/billing/topup");
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&SESSION_HEADERS));
    assert_eq!(
        json_body(&request),
        Some(json!({"credits": 50000, "org_slug": "agents-team"}))
    );
    assert_eq!(
        answer,
        object(json!({
            "url": "https://checkout.stripe.com/c/pay/cs_test_topup1",
            "credits": 50000
        }))
    );
}

#[tokio::test]
async fn billing_topup_types_401() {
    let (_server, client) = answering(error_answer(401, "login required")).await;
    let body = object(json!({"credits": 50000}));
    let result = client.billing_topup(&session(), Some(&body)).await;
    assert_eq!(
        api_error(result),
        BillingTopupError::Unauthorized(api_message("login required"))
    );
}

// ------------------------------------------------------ CP: admin / orgs

#[tokio::test]
async fn admin_list_orgs_sends_the_operator_bearer_and_decodes_every_org() {
    let (server, client) =
        answering(ResponseTemplate::new(200).set_body_json(json!([org_json()]))).await;
    let orgs = client
        .admin_list_orgs(&admin())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(raw_path(&request), "/api/v1/admin/orgs");
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&ADMIN_HEADERS));
    assert_eq!(json_body(&request), None);
    assert_eq!(orgs.len(), 1, "{orgs:?}");
    assert_is_agents_team(&orgs[0]);
}

#[tokio::test]
async fn admin_list_orgs_types_403() {
    let (_server, client) = answering(error_answer(403, "not an operator")).await;
    let result = client.admin_list_orgs(&admin()).await;
    assert_eq!(
        api_error(result),
        AdminListOrgsError::Forbidden(api_message("not an operator"))
    );
}

#[tokio::test]
async fn admin_create_org_posts_without_a_query_and_decodes_the_201() {
    let (server, client) = answering(ResponseTemplate::new(201).set_body_json(org_json())).await;
    let org = client
        .admin_create_org(&admin(), &admin_create_org_body())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(raw_path(&request), "/api/v1/admin/orgs");
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&ADMIN_HEADERS));
    assert_eq!(json_body(&request), Some(admin_create_org_json()));
    assert_is_agents_team(&org);
}

#[tokio::test]
async fn admin_create_org_types_409() {
    let (_server, client) = answering(error_answer(409, "slug taken")).await;
    let result = client
        .admin_create_org(&admin(), &admin_create_org_body())
        .await;
    assert!(
        matches!(
            &result,
            Err(Error::Api(AdminCreateOrgError::Conflict(models::Error { error }))) if error == "slug taken"
        ),
        "{result:?}"
    );
}

#[tokio::test]
async fn admin_create_org_does_not_take_a_dry_run_echo_for_a_creation() {
    let echo = json!({
        "dry_run": true,
        "slug": "agents-team",
        "name": "Agents Team",
        "owner_user_id": "e2e-runner:run-4821"
    });
    let (server, client) = answering(ResponseTemplate::new(200).set_body_json(echo.clone())).await;
    let result = client
        .admin_create_org(&admin(), &admin_create_org_body())
        .await;
    match &result {
        Err(Error::UnexpectedStatus { status: 200, body }) => {
            let sent_back: serde_json::Value =
                serde_json::from_slice(body).expect("the echo is kept as received");
            assert_eq!(sent_back, echo);
        }
        other => panic!("a 200 is not a creation, got {other:?}"),
    }
    let request = only_request(&server).await;
    assert_eq!(raw_query(&request), None);
}

#[tokio::test]
async fn admin_create_org_dry_run_sends_dry_run_true_and_decodes_the_echo() {
    let (server, client) = answering(ResponseTemplate::new(200).set_body_json(json!({
        "dry_run": true,
        "slug": "agents-team",
        "name": "Agents Team",
        "owner_user_id": "e2e-runner:run-4821"
    })))
    .await;
    let echo = client
        .admin_create_org_dry_run(&admin(), &admin_create_org_body())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(raw_path(&request), "/api/v1/admin/orgs");
    assert_eq!(raw_query(&request), Some("dry_run=true"));
    assert_eq!(auth_headers(&request), expect_headers(&ADMIN_HEADERS));
    assert_eq!(json_body(&request), Some(admin_create_org_json()));
    assert_eq!(
        echo,
        models::AdminCreateOrgDryRun {
            dry_run: Some(models::AdminCreateOrgDryRunDryRun),
            slug: Some("agents-team".into()),
            name: Some("Agents Team".into()),
            owner_user_id: Some("e2e-runner:run-4821".into()),
        }
    );
}

#[tokio::test]
async fn admin_create_org_dry_run_types_400() {
    let (server, client) = answering(error_answer(400, "unknown field \"is_staging\"")).await;
    let result = client
        .admin_create_org_dry_run(&admin(), &admin_create_org_body())
        .await;
    assert_eq!(
        api_error(result),
        AdminCreateOrgError::BadRequest(api_message("unknown field \"is_staging\""))
    );
    let request = only_request(&server).await;
    assert_eq!(raw_query(&request), Some("dry_run=true"));
}

#[tokio::test]
async fn admin_get_tenant_token_decodes_the_token() {
    let (server, client) = answering(ResponseTemplate::new(200).set_body_json(json!({
        "slug": "agents-team",
        "admin_token": "tat_9f8e7d6c5b4a"
    })))
    .await;
    let token = client
        .admin_get_tenant_token(&admin(), "agents-team")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(
        raw_path(&request),
        "/api/v1/admin/orgs/agents-team/admin-token"
    );
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&ADMIN_HEADERS));
    assert_eq!(json_body(&request), None);
    assert_eq!(token.slug.as_deref(), Some("agents-team"));
    assert_eq!(token.admin_token.as_deref(), Some("tat_9f8e7d6c5b4a"));
}

#[tokio::test]
async fn admin_get_tenant_token_types_404() {
    let (_server, client) = answering(error_answer(404, "admin token not provisioned")).await;
    let result = client.admin_get_tenant_token(&admin(), "agents-team").await;
    assert_eq!(
        api_error(result),
        AdminGetTenantTokenError::NotFound(api_message("admin token not provisioned"))
    );
}

#[tokio::test]
async fn admin_list_org_workspaces_decodes_the_proxied_answer() {
    let answer = json!({
        "workspaces": [
            {"id": WORKSPACE, "name": "research-agent", "status": "online", "healthy": true}
        ],
        "count": 1
    });
    let (server, client) =
        answering(ResponseTemplate::new(200).set_body_json(answer.clone())).await;
    let listed = client
        .admin_list_org_workspaces(&admin(), "agents-team")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(
        raw_path(&request),
        "/api/v1/admin/orgs/agents-team/workspaces"
    );
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&ADMIN_HEADERS));
    assert_eq!(json_body(&request), None);
    assert_eq!(listed, object(answer));
}

#[tokio::test]
async fn admin_list_org_workspaces_types_502_with_its_free_form_body() {
    let (_server, client) = answering(ResponseTemplate::new(502).set_body_json(json!({
        "error": "tenant call failed",
        "http_status": 401
    })))
    .await;
    let result = client
        .admin_list_org_workspaces(&admin(), "agents-team")
        .await;
    assert_eq!(
        api_error(result),
        AdminListOrgWorkspacesError::BadGateway(object(json!({
            "error": "tenant call failed",
            "http_status": 401
        })))
    );
}

#[tokio::test]
async fn admin_list_org_workspaces_types_503() {
    let (_server, client) = answering(error_answer(503, "workspace lister not configured")).await;
    let result = client
        .admin_list_org_workspaces(&admin(), "agents-team")
        .await;
    assert_eq!(
        api_error(result),
        AdminListOrgWorkspacesError::ServiceUnavailable(api_message(
            "workspace lister not configured"
        ))
    );
}

// --------------------------------------------------- CP: admin / tenants

#[tokio::test]
async fn admin_delete_tenant_with_a_matching_confirm_sends_the_body() {
    let (server, client) = answering(ResponseTemplate::new(200).set_body_json(json!({
        "deleted": "agents-team",
        "stripe": "cancelled",
        "ec2": "terminated",
        "dns": "removed"
    })))
    .await;
    let answer = client
        .admin_delete_tenant(&admin(), "agents-team", &confirm("agents-team"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "DELETE");
    assert_eq!(raw_path(&request), "/api/v1/admin/tenants/agents-team");
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&ADMIN_HEADERS));
    assert_eq!(json_body(&request), Some(json!({"confirm": "agents-team"})));
    assert_eq!(
        answer,
        object(json!({
            "deleted": "agents-team",
            "stripe": "cancelled",
            "ec2": "terminated",
            "dns": "removed"
        }))
    );
}

#[tokio::test]
async fn admin_delete_tenant_types_503() {
    let (server, client) = answering(error_answer(503, "provisioner not configured")).await;
    let result = client
        .admin_delete_tenant(&admin(), "agents-team", &confirm("agents-team"))
        .await;
    assert_eq!(
        api_error(result),
        AdminDeleteTenantError::ServiceUnavailable(api_message("provisioner not configured"))
    );
    let request = only_request(&server).await;
    assert_eq!(json_body(&request), Some(json!({"confirm": "agents-team"})));
}

#[tokio::test]
async fn admin_scrub_tenant_artifacts_with_a_matching_confirm_sends_the_body() {
    let (server, client) = answering(ResponseTemplate::new(200).set_body_json(json!({
        "scrubbed": ["s3://molecule-artifacts/agents-team", "ecr:agents-team/runtime"],
        "count": 2
    })))
    .await;
    let answer = client
        .admin_scrub_tenant_artifacts(&admin(), "agents-team", &confirm("agents-team"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(
        raw_path(&request),
        "/api/v1/admin/tenants/agents-team/scrub-artifacts"
    );
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&ADMIN_HEADERS));
    assert_eq!(json_body(&request), Some(json!({"confirm": "agents-team"})));
    assert_eq!(
        answer,
        object(json!({
            "scrubbed": ["s3://molecule-artifacts/agents-team", "ecr:agents-team/runtime"],
            "count": 2
        }))
    );
}

#[tokio::test]
async fn admin_scrub_tenant_artifacts_types_400() {
    let (_server, client) = answering(error_answer(400, "tenant still has a live instance")).await;
    let result = client
        .admin_scrub_tenant_artifacts(&admin(), "agents-team", &confirm("agents-team"))
        .await;
    assert_eq!(
        api_error(result),
        AdminScrubTenantArtifactsError::BadRequest(api_message("tenant still has a live instance"))
    );
}

#[tokio::test]
async fn admin_tenant_diagnostics_decodes_the_free_form_report() {
    let report = json!({
        "slug": "agents-team",
        "instance": {"state": "running", "instance_id": "i-0abc123def4567890"},
        "dns": {"resolves": true},
        "health": {"http": 200}
    });
    let (server, client) =
        answering(ResponseTemplate::new(200).set_body_json(report.clone())).await;
    let answer = client
        .admin_tenant_diagnostics(&admin(), "agents-team")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(
        raw_path(&request),
        "/api/v1/admin/tenants/agents-team/diagnostics"
    );
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&ADMIN_HEADERS));
    assert_eq!(json_body(&request), None);
    assert_eq!(answer, object(report));
}

#[tokio::test]
async fn admin_tenant_diagnostics_types_401() {
    let (_server, client) = answering(error_answer(401, "bad operator token")).await;
    let result = client
        .admin_tenant_diagnostics(&admin(), "agents-team")
        .await;
    assert_eq!(
        api_error(result),
        AdminTenantDiagnosticsError::Unauthorized(api_message("bad operator token"))
    );
}

#[tokio::test]
async fn admin_redeploy_tenant_posts_without_a_body() {
    let (server, client) = answering(ResponseTemplate::new(200).set_body_json(json!({
        "slug": "agents-team",
        "command_id": "5c2d8e1f-ssm"
    })))
    .await;
    let answer = client
        .admin_redeploy_tenant(&admin(), "agents-team")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(
        raw_path(&request),
        "/api/v1/admin/tenants/agents-team/redeploy"
    );
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&ADMIN_HEADERS));
    assert_eq!(json_body(&request), None);
    assert_eq!(
        answer,
        object(json!({"slug": "agents-team", "command_id": "5c2d8e1f-ssm"}))
    );
}

#[tokio::test]
async fn admin_redeploy_tenant_types_503() {
    let (_server, client) = answering(error_answer(503, "redeployer not wired")).await;
    let result = client.admin_redeploy_tenant(&admin(), "agents-team").await;
    assert!(
        matches!(
            &result,
            Err(Error::Api(AdminRedeployTenantError::ServiceUnavailable(models::Error { error })))
                if error == "redeployer not wired"
        ),
        "{result:?}"
    );
}

#[tokio::test]
async fn admin_redeploy_fleet_posts_the_body() {
    let (server, client) = answering(ResponseTemplate::new(200).set_body_json(json!({
        "dispatched": 12,
        "skipped": ["paused-org"]
    })))
    .await;
    let body =
        object(json!({"image_tag": "v1.42.0", "canary_slug": "agents-team", "batch_size": 4}));
    let answer = client
        .admin_redeploy_fleet(&admin(), Some(&body))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(raw_path(&request), "/api/v1/admin/tenants/redeploy-fleet");
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&ADMIN_HEADERS));
    assert_eq!(
        json_body(&request),
        Some(json!({"image_tag": "v1.42.0", "canary_slug": "agents-team", "batch_size": 4}))
    );
    assert_eq!(
        answer,
        object(json!({"dispatched": 12, "skipped": ["paused-org"]}))
    );
}

#[tokio::test]
async fn admin_redeploy_fleet_types_401() {
    let (server, client) = answering(error_answer(401, "bad operator token")).await;
    let result = client.admin_redeploy_fleet(&admin(), None).await;
    assert_eq!(
        api_error(result),
        AdminRedeployFleetError::Unauthorized(api_message("bad operator token"))
    );
    let request = only_request(&server).await;
    assert_eq!(json_body(&request), None);
}

// ------------------------------------------------- CP: admin / workspaces

#[tokio::test]
async fn admin_update_workspace_env_sends_plain_keys_without_force() {
    let (server, client) = answering(ResponseTemplate::new(200).set_body_json(json!({
        "ok": true,
        "workspace_id": WORKSPACE,
        "instance_id": "i-0abc123def4567890",
        "ssm_status": "Success",
        "ssm_exit_code": 0,
        "container_restarted": true,
        "applied_keys": ["LOG_LEVEL", "MAX_TURNS"],
        "env_keys_after": ["LOG_LEVEL", "MAX_TURNS", "MODEL"]
    })))
    .await;
    let body = models::UpdateWorkspaceEnvRequest {
        env: BTreeMap::from([
            ("LOG_LEVEL".to_string(), "debug".to_string()),
            ("MAX_TURNS".to_string(), "40".to_string()),
        ]),
        merge: Some(true),
        force: None,
    };
    let answer = client
        .admin_update_workspace_env(&admin(), workspace_id(), &body)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(
        raw_path(&request),
        format!("/api/v1/admin/workspaces/{WORKSPACE}/env")
    );
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&ADMIN_HEADERS));
    assert_eq!(
        json_body(&request),
        Some(json!({
            "env": {"LOG_LEVEL": "debug", "MAX_TURNS": "40"},
            "merge": true
        }))
    );
    assert_eq!(
        answer,
        models::UpdateWorkspaceEnvResponse {
            ok: Some(true),
            workspace_id: Some(WORKSPACE.into()),
            instance_id: Some("i-0abc123def4567890".into()),
            ssm_status: Some("Success".into()),
            ssm_exit_code: Some(0),
            container_restarted: Some(true),
            applied_keys: Some(vec!["LOG_LEVEL".into(), "MAX_TURNS".into()]),
            env_keys_after: Some(vec!["LOG_LEVEL".into(), "MAX_TURNS".into(), "MODEL".into()]),
        }
    );
}

#[tokio::test]
async fn admin_update_workspace_env_types_404() {
    let (_server, client) = answering(error_answer(404, "workspace not found")).await;
    let body = models::UpdateWorkspaceEnvRequest {
        env: BTreeMap::from([("LOG_LEVEL".to_string(), "info".to_string())]),
        merge: None,
        force: None,
    };
    let result = client
        .admin_update_workspace_env(&admin(), workspace_id(), &body)
        .await;
    assert_eq!(
        api_error(result),
        AdminUpdateWorkspaceEnvError::NotFound(api_message("workspace not found"))
    );
}

#[tokio::test]
async fn admin_update_workspace_env_types_503() {
    let (_server, client) = answering(error_answer(503, "SSM not wired")).await;
    let body = models::UpdateWorkspaceEnvRequest {
        env: BTreeMap::from([("LOG_LEVEL".to_string(), "info".to_string())]),
        merge: Some(false),
        force: None,
    };
    let result = client
        .admin_update_workspace_env(&admin(), workspace_id(), &body)
        .await;
    assert_eq!(
        api_error(result),
        AdminUpdateWorkspaceEnvError::ServiceUnavailable(api_message("SSM not wired"))
    );
}

#[tokio::test]
async fn admin_get_workspace_billing_mode_sends_org_slug_and_decodes_the_mode() {
    let (server, client) = answering(ResponseTemplate::new(200).set_body_json(json!({
        "mode": "byok",
        "effective_mode": "byok",
        "source": "workspace",
        "workspace_id": WORKSPACE
    })))
    .await;
    let mode = client
        .admin_get_workspace_billing_mode(&admin(), workspace_id(), "agents-team")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(
        raw_path(&request),
        format!("/api/v1/admin/workspaces/{WORKSPACE}/llm-billing-mode")
    );
    assert_eq!(raw_query(&request), Some("org_slug=agents-team"));
    assert_eq!(auth_headers(&request), expect_headers(&ADMIN_HEADERS));
    assert_eq!(json_body(&request), None);
    assert_eq!(
        mode,
        models::BillingModeResponse {
            mode: Some(models::BillingModeResponseMode::Byok),
            effective_mode: Some("byok".into()),
            source: Some("workspace".into()),
            additional_properties: object(json!({"workspace_id": WORKSPACE})),
        }
    );
}

#[tokio::test]
async fn admin_get_workspace_billing_mode_types_502_with_its_free_form_body() {
    let (_server, client) = answering(ResponseTemplate::new(502).set_body_json(json!({
        "error": "tenant returned 500",
        "http_status": 500
    })))
    .await;
    let result = client
        .admin_get_workspace_billing_mode(&admin(), workspace_id(), "agents-team")
        .await;
    assert_eq!(
        api_error(result),
        AdminGetWorkspaceBillingModeError::BadGateway(object(json!({
            "error": "tenant returned 500",
            "http_status": 500
        })))
    );
}

#[tokio::test]
async fn admin_put_workspace_billing_mode_sends_org_slug_and_the_mode() {
    let (server, client) = answering(ResponseTemplate::new(200).set_body_json(json!({
        "mode": "platform_managed",
        "effective_mode": "platform_managed",
        "source": "workspace"
    })))
    .await;
    let body = models::PutBillingModeRequest {
        mode: Some(models::PutBillingModeRequestMode::PlatformManaged),
    };
    let mode = client
        .admin_put_workspace_billing_mode(&admin(), workspace_id(), "agents-team", &body)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "PUT");
    assert_eq!(
        raw_path(&request),
        format!("/api/v1/admin/workspaces/{WORKSPACE}/llm-billing-mode")
    );
    assert_eq!(raw_query(&request), Some("org_slug=agents-team"));
    assert_eq!(auth_headers(&request), expect_headers(&ADMIN_HEADERS));
    assert_eq!(
        json_body(&request),
        Some(json!({"mode": "platform_managed"}))
    );
    assert_eq!(
        mode,
        models::BillingModeResponse {
            mode: Some(models::BillingModeResponseMode::PlatformManaged),
            effective_mode: Some("platform_managed".into()),
            source: Some("workspace".into()),
            additional_properties: serde_json::Map::new(),
        }
    );
}

#[tokio::test]
async fn admin_put_workspace_billing_mode_sends_null_to_clear_the_override() {
    let (server, client) = answering(ResponseTemplate::new(200).set_body_json(json!({
        "mode": null,
        "effective_mode": "platform_managed",
        "source": "org"
    })))
    .await;
    let body = models::PutBillingModeRequest { mode: None };
    let mode = client
        .admin_put_workspace_billing_mode(&admin(), workspace_id(), "agents-team", &body)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(json_body(&request), Some(json!({"mode": null})));
    assert_eq!(mode.mode, None);
    assert_eq!(mode.effective_mode.as_deref(), Some("platform_managed"));
    assert_eq!(mode.source.as_deref(), Some("org"));
}

#[tokio::test]
async fn admin_put_workspace_billing_mode_types_404() {
    let (server, client) = answering(error_answer(404, "org slug does not resolve")).await;
    let body = models::PutBillingModeRequest {
        mode: Some(models::PutBillingModeRequestMode::Disabled),
    };
    let result = client
        .admin_put_workspace_billing_mode(&admin(), workspace_id(), "agents-team", &body)
        .await;
    assert_eq!(
        api_error(result),
        AdminPutWorkspaceBillingModeError::NotFound(api_message("org slug does not resolve"))
    );
    let request = only_request(&server).await;
    assert_eq!(json_body(&request), Some(json!({"mode": "disabled"})));
}

// ------------------------------------------------------ CP: admin / pins

#[tokio::test]
async fn admin_promote_thin_ami_posts_the_pin() {
    let (server, client) = answering(ResponseTemplate::new(200).set_body_json(json!({
        "region": "us-east-1",
        "ami_id": "ami-0a1b2c3d4e5f67890",
        "promoted_by": "ops@moleculesai.app"
    })))
    .await;
    let body = object(json!({"region": "us-east-1", "ami_id": "ami-0a1b2c3d4e5f67890"}));
    let answer = client
        .admin_promote_thin_ami(&admin(), &body)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(raw_path(&request), "/api/v1/admin/thin-ami/promote");
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&ADMIN_HEADERS));
    assert_eq!(
        json_body(&request),
        Some(json!({"region": "us-east-1", "ami_id": "ami-0a1b2c3d4e5f67890"}))
    );
    assert_eq!(
        answer,
        object(json!({
            "region": "us-east-1",
            "ami_id": "ami-0a1b2c3d4e5f67890",
            "promoted_by": "ops@moleculesai.app"
        }))
    );
}

#[tokio::test]
async fn admin_promote_thin_ami_types_400() {
    let (_server, client) = answering(error_answer(400, "ami_id is required")).await;
    let body = object(json!({"region": "us-east-1"}));
    let result = client.admin_promote_thin_ami(&admin(), &body).await;
    assert_eq!(
        api_error(result),
        AdminPromoteThinAmiError::BadRequest(api_message("ami_id is required"))
    );
}

#[tokio::test]
async fn admin_list_thin_ami_decodes_every_pin() {
    let (server, client) = answering(ResponseTemplate::new(200).set_body_json(json!([
        {"region": "us-east-1", "ami_id": "ami-0a1b2c3d4e5f67890"},
        {"region": "eu-west-1", "ami_id": "ami-0f9e8d7c6b5a43210"}
    ])))
    .await;
    let pins = client
        .admin_list_thin_ami(&admin())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(raw_path(&request), "/api/v1/admin/thin-ami/promote");
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&ADMIN_HEADERS));
    assert_eq!(json_body(&request), None);
    assert_eq!(
        pins,
        vec![
            object(json!({"region": "us-east-1", "ami_id": "ami-0a1b2c3d4e5f67890"})),
            object(json!({"region": "eu-west-1", "ami_id": "ami-0f9e8d7c6b5a43210"})),
        ]
    );
}

#[tokio::test]
async fn admin_list_thin_ami_types_401() {
    let (_server, client) = answering(error_answer(401, "bad operator token")).await;
    let result = client.admin_list_thin_ami(&admin()).await;
    assert_eq!(
        api_error(result),
        AdminListThinAmiError::Unauthorized(api_message("bad operator token"))
    );
}

#[tokio::test]
async fn admin_promote_runtime_image_posts_the_pin() {
    let digest = "sha256:4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b";
    let (server, client) = answering(ResponseTemplate::new(200).set_body_json(json!({
        "template": "claude-code",
        "digest": digest,
        "promoted_by": "ops@moleculesai.app"
    })))
    .await;
    let body = object(json!({"template": "claude-code", "digest": digest}));
    let answer = client
        .admin_promote_runtime_image(&admin(), &body)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(raw_path(&request), "/api/v1/admin/runtime-image/promote");
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&ADMIN_HEADERS));
    assert_eq!(
        json_body(&request),
        Some(json!({"template": "claude-code", "digest": digest}))
    );
    assert_eq!(
        answer,
        object(json!({
            "template": "claude-code",
            "digest": digest,
            "promoted_by": "ops@moleculesai.app"
        }))
    );
}

#[tokio::test]
async fn admin_promote_runtime_image_types_400() {
    let (_server, client) = answering(error_answer(400, "digest must be sha256")).await;
    let body = object(json!({"template": "claude-code", "digest": "latest"}));
    let result = client.admin_promote_runtime_image(&admin(), &body).await;
    assert_eq!(
        api_error(result),
        AdminPromoteRuntimeImageError::BadRequest(api_message("digest must be sha256"))
    );
}

#[tokio::test]
async fn admin_list_runtime_image_decodes_every_pin() {
    let (server, client) = answering(ResponseTemplate::new(200).set_body_json(json!([
        {"template": "claude-code", "digest": "sha256:aa11"},
        {"template": "codex", "digest": "sha256:bb22"}
    ])))
    .await;
    let pins = client
        .admin_list_runtime_image(&admin())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(raw_path(&request), "/api/v1/admin/runtime-image/promote");
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&ADMIN_HEADERS));
    assert_eq!(json_body(&request), None);
    assert_eq!(
        pins,
        vec![
            object(json!({"template": "claude-code", "digest": "sha256:aa11"})),
            object(json!({"template": "codex", "digest": "sha256:bb22"})),
        ]
    );
}

#[tokio::test]
async fn admin_list_runtime_image_types_401() {
    let (_server, client) = answering(error_answer(401, "bad operator token")).await;
    let result = client.admin_list_runtime_image(&admin()).await;
    assert_eq!(
        api_error(result),
        AdminListRuntimeImageError::Unauthorized(api_message("bad operator token"))
    );
}

// ------------------------------------------------------- CP: provisioning

#[tokio::test]
async fn provision_workspace_posts_the_body_with_the_provision_secret() {
    let (server, client) = answering(ResponseTemplate::new(201).set_body_json(json!({
        "instance_id": "i-0abc123def4567890",
        "public_ip": "203.0.113.42",
        "private_ip": "10.0.3.7",
        "state": "pending",
        "runtime": "claude-code",
        "domain": "ws-3f6c1d2e.agents-team.moleculesai.app"
    })))
    .await;
    let answer = client
        .provision_workspace(&provision_secret(), &provision_body())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(raw_path(&request), "/api/v1/workspaces/provision");
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&PROVISION_HEADERS));
    assert_eq!(json_body(&request), Some(provision_json()));
    assert_eq!(
        answer,
        models::WorkspaceProvisionResponse {
            instance_id: Some("i-0abc123def4567890".into()),
            public_ip: Some("203.0.113.42".into()),
            private_ip: Some("10.0.3.7".into()),
            state: Some("pending".into()),
            runtime: Some("claude-code".into()),
            domain: Some("ws-3f6c1d2e.agents-team.moleculesai.app".into()),
        }
    );
}

#[tokio::test]
async fn provision_workspace_types_422_runtime_pin_missing() {
    let (server, client) = answering(
        ResponseTemplate::new(422).set_body_json(json!({"error": "RUNTIME_PIN_MISSING"})),
    )
    .await;
    let result = client
        .provision_workspace(&provision_secret(), &provision_body())
        .await;
    assert!(
        matches!(
            &result,
            Err(Error::Api(ProvisionWorkspaceError::RuntimePinMissing(_)))
        ),
        "{result:?}"
    );
    let error = api_error(result);
    assert_eq!(
        error,
        ProvisionWorkspaceError::RuntimePinMissing(models::RuntimePinMissing {
            error: models::RuntimePinMissingError
        })
    );
    assert_eq!(error.status(), 422);
    let request = only_request(&server).await;
    assert_eq!(auth_headers(&request), expect_headers(&PROVISION_HEADERS));
}

#[tokio::test]
async fn provision_workspace_types_401() {
    let (_server, client) = answering(error_answer(401, "bad provision secret")).await;
    let result = client
        .provision_workspace(&provision_secret(), &provision_body())
        .await;
    assert_eq!(
        api_error(result),
        ProvisionWorkspaceError::Unauthorized(api_message("bad provision secret"))
    );
}

#[tokio::test]
async fn deprovision_workspace_sends_both_credentials_and_no_prune() {
    let (server, client) =
        answering(ResponseTemplate::new(200).set_body_json(json!({"status": "terminated"}))).await;
    let answer = client
        .deprovision_workspace(&deprovision_auth(), workspace_id())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "DELETE");
    assert_eq!(
        raw_path(&request),
        format!("/api/v1/workspaces/{WORKSPACE}")
    );
    assert_eq!(raw_query(&request), None, "the plain call must not prune");
    assert_eq!(auth_headers(&request), expect_headers(&DEPROVISION_HEADERS));
    assert_eq!(json_body(&request), None);
    assert_eq!(
        answer,
        models::DeprovisionWorkspaceResponse {
            status: Some(models::DeprovisionWorkspaceResponseStatus),
        }
    );
    assert_eq!(
        models::DeprovisionWorkspaceResponseStatus::VALUE,
        "terminated"
    );
}

#[tokio::test]
async fn deprovision_workspace_types_401() {
    let (server, client) = answering(error_answer(401, "admin token does not own workspace")).await;
    let result = client
        .deprovision_workspace(&deprovision_auth(), workspace_id())
        .await;
    assert_eq!(
        api_error(result),
        DeprovisionWorkspaceError::Unauthorized(api_message("admin token does not own workspace"))
    );
    let request = only_request(&server).await;
    assert_eq!(auth_headers(&request), expect_headers(&DEPROVISION_HEADERS));
}

#[tokio::test]
async fn deprovision_workspace_rejects_a_status_other_than_terminated() {
    let (_server, client) =
        answering(ResponseTemplate::new(200).set_body_json(json!({"status": "running"}))).await;
    let result = client
        .deprovision_workspace(&deprovision_auth(), workspace_id())
        .await;
    assert!(
        matches!(&result, Err(Error::InvalidBody { status: 200, .. })),
        "{result:?}"
    );
}

#[tokio::test]
async fn deprovision_workspace_with_prune_sends_prune_true_and_both_credentials() {
    let (server, client) =
        answering(ResponseTemplate::new(200).set_body_json(json!({"status": "terminated"}))).await;
    let answer = client
        .deprovision_workspace_with_prune(&deprovision_auth(), workspace_id())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "DELETE");
    assert_eq!(
        raw_path(&request),
        format!("/api/v1/workspaces/{WORKSPACE}")
    );
    assert_eq!(raw_query(&request), Some("prune=true"));
    assert_eq!(auth_headers(&request), expect_headers(&DEPROVISION_HEADERS));
    assert_eq!(json_body(&request), None);
    assert_eq!(
        answer.status,
        Some(models::DeprovisionWorkspaceResponseStatus)
    );
}

#[tokio::test]
async fn deprovision_workspace_with_prune_types_400() {
    let (server, client) = answering(error_answer(400, "invalid workspace id")).await;
    let result = client
        .deprovision_workspace_with_prune(&deprovision_auth(), workspace_id())
        .await;
    assert!(
        matches!(
            &result,
            Err(Error::Api(DeprovisionWorkspaceError::BadRequest(models::Error { error })))
                if error == "invalid workspace id"
        ),
        "{result:?}"
    );
    let request = only_request(&server).await;
    assert_eq!(raw_query(&request), Some("prune=true"));
}

#[tokio::test]
async fn get_provision_workspace_status_sends_instance_id_and_decodes_the_state() {
    let (server, client) = answering(ResponseTemplate::new(200).set_body_json(json!({
        "instance_id": "i-0abc123def4567890",
        "state": "running",
        "public_ip": "203.0.113.42",
        "private_ip": "10.0.3.7"
    })))
    .await;
    let status = client
        .get_provision_workspace_status(&provision_secret(), workspace_id(), "i-0abc123def4567890")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(
        raw_path(&request),
        format!("/api/v1/workspaces/{WORKSPACE}/status")
    );
    assert_eq!(raw_query(&request), Some("instance_id=i-0abc123def4567890"));
    assert_eq!(auth_headers(&request), expect_headers(&PROVISION_HEADERS));
    assert_eq!(json_body(&request), None);
    assert_eq!(
        status,
        models::WorkspaceProvisionStatus {
            instance_id: Some("i-0abc123def4567890".into()),
            state: Some("running".into()),
            public_ip: Some("203.0.113.42".into()),
            private_ip: Some("10.0.3.7".into()),
        }
    );
}

#[tokio::test]
async fn get_provision_workspace_status_types_400() {
    let (_server, client) = answering(error_answer(400, "instance_id is required")).await;
    let result = client
        .get_provision_workspace_status(&provision_secret(), workspace_id(), "")
        .await;
    assert_eq!(
        api_error(result),
        GetProvisionWorkspaceStatusError::BadRequest(api_message("instance_id is required"))
    );
}
