//! Every `TenantClient` operation on the wire: what it sends (method, raw
//! path, query, exactly the chosen credential alternative, body) and what it
//! makes of the answers the spec documents (the success body, decoded to real
//! values, and a typed error variant).

use std::collections::BTreeMap;

use molecule_client::tenant::{
    CreateOrgTokenError, CreateWorkspaceError, DeleteGlobalSecretError, DeleteWorkspaceError,
    DeleteWorkspaceSecretError, ExportBundleError, GetBillingModeError, GetBudgetError,
    GetWorkspaceError, ImportBundleError, ImportTemplateError, ListGlobalSecretsError,
    ListOrgTemplatesError, ListOrgTokensError, ListTemplatesError, ListWorkspaceSecretsError,
    ListWorkspacesError, OrgImportError, PatchBudgetError, PauseWorkspaceError,
    PutBillingModeError, PutGlobalSecretError, PutWorkspaceSecretError, RestartWorkspaceError,
    ResumeWorkspaceError, RevokeOrgTokenError, SetGlobalSecretError, SetWorkspaceSecretError,
};
use molecule_client::{
    Error, OrgApiKey, OrgRoutingHeaderId, OrgRoutingHeaderSlug, TenantClient, WorkosSession,
    WorkspaceToken, models,
};
use molecule_client_tests::{
    answering_once, api_error, api_message, auth_headers, error_answer, expect_headers, json_body,
    object, only_request, raw_path, raw_query,
};
use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};

/// The workspace every test talks about.
const WORKSPACE: &str = "3f6c1d2e-8a4b-4c5d-9e7f-0a1b2c3d4e5f";
/// Its parent, in the answers that have one.
const PARENT: &str = "9b2e7c41-5d3a-4f8e-b6c0-1a2b3c4d5e6f";

/// What `(OrgApiKey, OrgRoutingHeaderId)` puts on the wire, and nothing else.
const ORG_KEY_HEADERS: [(&str, &str); 2] = [
    ("authorization", "Bearer org-key-1"),
    ("x-molecule-org-id", "org-uuid-1"),
];
/// What `(WorkspaceToken, OrgRoutingHeaderId)` puts on the wire.
const WORKSPACE_TOKEN_HEADERS: [(&str, &str); 2] = [
    ("authorization", "Bearer ws-token-1"),
    ("x-molecule-org-id", "org-uuid-1"),
];
/// What `(WorkosSession, OrgRoutingHeaderSlug)` puts on the wire.
const SESSION_HEADERS: [(&str, &str); 2] = [
    ("cookie", "mcp_session=sess-1"),
    ("x-molecule-org-slug", "agents-team"),
];

fn uuid(text: &str) -> uuid::Uuid {
    uuid::Uuid::parse_str(text).unwrap_or_else(|e| panic!("{text} is not a UUID: {e}"))
}

fn workspace_id() -> uuid::Uuid {
    uuid(WORKSPACE)
}

fn org_key() -> (OrgApiKey, OrgRoutingHeaderId) {
    (
        OrgApiKey::new("org-key-1"),
        OrgRoutingHeaderId::new("org-uuid-1"),
    )
}

fn workspace_token() -> (WorkspaceToken, OrgRoutingHeaderId) {
    (
        WorkspaceToken::new("ws-token-1"),
        OrgRoutingHeaderId::new("org-uuid-1"),
    )
}

fn session() -> (WorkosSession, OrgRoutingHeaderSlug) {
    (
        WorkosSession::new("sess-1"),
        OrgRoutingHeaderSlug::new("agents-team"),
    )
}

/// A server answering one request with `answer`, and a client for it.
async fn answering(answer: ResponseTemplate) -> (MockServer, TenantClient) {
    let server = answering_once(answer).await;
    let tenant = TenantClient::with_base_url(server.uri());
    (server, tenant)
}

fn workspace_json() -> serde_json::Value {
    json!({
        "id": WORKSPACE,
        "name": "research-agent",
        "role": "researcher",
        "tier": 2,
        "runtime": "claude-code",
        "status": "online",
        "parent_id": PARENT,
        "url": "http://10.0.3.7:8000",
        "active_tasks": 1
    })
}

fn assert_is_research_agent(workspace: &models::Workspace) {
    assert_eq!(workspace.id, Some(workspace_id()));
    assert_eq!(workspace.name.as_deref(), Some("research-agent"));
    assert_eq!(workspace.role, Some(Some("researcher".to_string())));
    assert_eq!(workspace.tier, Some(2));
    assert_eq!(workspace.runtime.as_deref(), Some("claude-code"));
    assert_eq!(workspace.status.as_deref(), Some("online"));
    assert_eq!(workspace.parent_id, Some(Some(uuid(PARENT))));
    assert_eq!(
        workspace.additional_properties,
        object(json!({"url": "http://10.0.3.7:8000", "active_tasks": 1}))
    );
}

fn secret(key: &str, value: &str) -> models::SetSecretRequest {
    models::SetSecretRequest {
        key: key.to_string(),
        value: value.to_string(),
    }
}

// ------------------------------------------------------------- workspaces

#[tokio::test]
async fn list_workspaces_sends_the_org_key_and_decodes_every_workspace() {
    let (server, tenant) = answering(ResponseTemplate::new(200).set_body_json(json!([
        workspace_json(),
        {
            "id": PARENT,
            "name": "team-lead",
            "role": null,
            "tier": 3,
            "runtime": "codex",
            "status": "paused",
            "parent_id": null
        }
    ])))
    .await;
    let workspaces = tenant
        .list_workspaces(&org_key())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(raw_path(&request), "/workspaces");
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&ORG_KEY_HEADERS));
    assert_eq!(json_body(&request), None);

    assert_eq!(workspaces.len(), 2, "{workspaces:?}");
    assert_is_research_agent(&workspaces[0]);
    let lead = &workspaces[1];
    assert_eq!(lead.id, Some(uuid(PARENT)));
    assert_eq!(lead.name.as_deref(), Some("team-lead"));
    assert_eq!(lead.role, Some(None), "a null role is not an absent one");
    assert_eq!(
        lead.parent_id,
        Some(None),
        "a null parent is not an absent one"
    );
    assert_eq!(lead.tier, Some(3));
    assert_eq!(lead.runtime.as_deref(), Some("codex"));
    assert_eq!(lead.status.as_deref(), Some("paused"));
    assert!(lead.additional_properties.is_empty());
}

#[tokio::test]
async fn list_workspaces_with_a_session_sends_cookie_and_slug_and_types_401() {
    let (server, tenant) = answering(error_answer(401, "session expired")).await;
    let result = tenant.list_workspaces(&session()).await;
    assert!(
        matches!(
            &result,
            Err(Error::Api(ListWorkspacesError::Unauthorized(models::Error { error })))
                if error == "session expired"
        ),
        "{result:?}"
    );
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(raw_path(&request), "/workspaces");
    assert_eq!(auth_headers(&request), expect_headers(&SESSION_HEADERS));
}

#[tokio::test]
async fn create_workspace_with_a_session_posts_the_body_and_decodes_the_201() {
    let (server, tenant) =
        answering(ResponseTemplate::new(201).set_body_json(workspace_json())).await;
    let body = models::CreateWorkspaceRequest {
        name: "research-agent".into(),
        role: Some("researcher".into()),
        template: Some("claude-code-default".into()),
        tier: Some(2),
        model: Some("claude-sonnet-4".into()),
        llm_provider: Some("anthropic".into()),
        runtime: Some("claude-code".into()),
        external: Some(false),
        url: None,
        delivery_mode: Some(models::CreateWorkspaceRequestDeliveryMode::Poll),
        workspace_dir: None,
        workspace_access: Some(models::CreateWorkspaceRequestWorkspaceAccess::ReadWrite),
        parent_id: Some(Some(uuid(PARENT))),
        budget_limit: Some(None),
        secrets: Some(BTreeMap::from([(
            "GIT_HTTP_TOKEN".to_string(),
            "ghp_example".to_string(),
        )])),
        max_concurrent_tasks: Some(4),
    };
    let workspace = tenant
        .create_workspace(&session(), &body)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(raw_path(&request), "/workspaces");
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&SESSION_HEADERS));
    assert_eq!(
        json_body(&request),
        Some(json!({
            "name": "research-agent",
            "role": "researcher",
            "template": "claude-code-default",
            "tier": 2,
            "model": "claude-sonnet-4",
            "llm_provider": "anthropic",
            "runtime": "claude-code",
            "external": false,
            "delivery_mode": "poll",
            "workspace_access": "read_write",
            "parent_id": PARENT,
            "budget_limit": null,
            "secrets": {"GIT_HTTP_TOKEN": "ghp_example"},
            "max_concurrent_tasks": 4
        }))
    );
    assert_is_research_agent(&workspace);
}

#[tokio::test]
async fn create_workspace_with_the_org_key_types_400() {
    let (server, tenant) = answering(error_answer(400, "name is required")).await;
    let body = models::CreateWorkspaceRequest {
        name: String::new(),
        role: None,
        template: None,
        tier: None,
        model: None,
        llm_provider: None,
        runtime: None,
        external: None,
        url: None,
        delivery_mode: None,
        workspace_dir: None,
        workspace_access: None,
        parent_id: None,
        budget_limit: None,
        secrets: None,
        max_concurrent_tasks: None,
    };
    let result = tenant.create_workspace(&org_key(), &body).await;
    assert_eq!(
        api_error(result),
        CreateWorkspaceError::BadRequest(api_message("name is required"))
    );
    let request = only_request(&server).await;
    assert_eq!(auth_headers(&request), expect_headers(&ORG_KEY_HEADERS));
    assert_eq!(json_body(&request), Some(json!({"name": ""})));
}

#[tokio::test]
async fn get_workspace_is_public_and_sends_no_credential() {
    let (server, tenant) =
        answering(ResponseTemplate::new(200).set_body_json(workspace_json())).await;
    let workspace = tenant
        .get_workspace(workspace_id(), None, None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(raw_path(&request), format!("/workspaces/{WORKSPACE}"));
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&[]));
    assert_eq!(json_body(&request), None);
    assert_is_research_agent(&workspace);
}

#[tokio::test]
async fn get_workspace_sends_only_the_routing_header_it_is_given() {
    let (server, tenant) =
        answering(ResponseTemplate::new(200).set_body_json(workspace_json())).await;
    let workspace = tenant
        .get_workspace(
            workspace_id(),
            None,
            Some(&OrgRoutingHeaderSlug::new("agents-team")),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(raw_path(&request), format!("/workspaces/{WORKSPACE}"));
    assert_eq!(
        auth_headers(&request),
        expect_headers(&[("x-molecule-org-slug", "agents-team")])
    );
    assert_is_research_agent(&workspace);

    let (server, tenant) =
        answering(ResponseTemplate::new(200).set_body_json(workspace_json())).await;
    tenant
        .get_workspace(
            workspace_id(),
            Some(&OrgRoutingHeaderId::new("org-uuid-1")),
            None,
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(
        auth_headers(&request),
        expect_headers(&[("x-molecule-org-id", "org-uuid-1")])
    );
}

#[tokio::test]
async fn get_workspace_types_404() {
    let (server, tenant) = answering(error_answer(404, "workspace not found")).await;
    let result = tenant.get_workspace(workspace_id(), None, None).await;
    assert!(
        matches!(
            &result,
            Err(Error::Api(GetWorkspaceError::NotFound(models::Error { error })))
                if error == "workspace not found"
        ),
        "{result:?}"
    );
    let request = only_request(&server).await;
    assert_eq!(auth_headers(&request), expect_headers(&[]));
}

#[tokio::test]
async fn delete_workspace_sends_delete_and_decodes_the_free_form_answer() {
    let (server, tenant) = answering(
        ResponseTemplate::new(200)
            .set_body_json(json!({"status": "removed", "cascade_deleted": 2})),
    )
    .await;
    let answer = tenant
        .delete_workspace(&org_key(), workspace_id())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "DELETE");
    assert_eq!(raw_path(&request), format!("/workspaces/{WORKSPACE}"));
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&ORG_KEY_HEADERS));
    assert_eq!(json_body(&request), None);
    assert_eq!(
        answer,
        object(json!({"status": "removed", "cascade_deleted": 2}))
    );
}

#[tokio::test]
async fn delete_workspace_types_404() {
    let (_server, tenant) = answering(error_answer(404, "workspace not found")).await;
    let result = tenant.delete_workspace(&org_key(), workspace_id()).await;
    assert_eq!(
        api_error(result),
        DeleteWorkspaceError::NotFound(api_message("workspace not found"))
    );
}

#[tokio::test]
async fn restart_workspace_with_a_workspace_token_returns_unit() {
    // The spec documents no body for the 200; whatever the server adds is ignored.
    let (server, tenant) =
        answering(ResponseTemplate::new(200).set_body_json(json!({"status": "restarting"}))).await;
    let result = tenant
        .restart_workspace(&workspace_token(), workspace_id())
        .await;
    assert!(matches!(result, Ok(())), "{result:?}");
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(
        raw_path(&request),
        format!("/workspaces/{WORKSPACE}/restart")
    );
    assert_eq!(raw_query(&request), None);
    assert_eq!(
        auth_headers(&request),
        expect_headers(&WORKSPACE_TOKEN_HEADERS)
    );
    assert_eq!(json_body(&request), None);
}

#[tokio::test]
async fn restart_workspace_types_401() {
    let (_server, tenant) = answering(error_answer(401, "token bound to another workspace")).await;
    let result = tenant.restart_workspace(&org_key(), workspace_id()).await;
    assert_eq!(
        api_error(result),
        RestartWorkspaceError::Unauthorized(api_message("token bound to another workspace"))
    );
}

#[tokio::test]
async fn restart_workspace_keeps_an_undocumented_status_and_its_body() {
    let (_server, tenant) =
        answering(ResponseTemplate::new(503).set_body_string("upstream unavailable")).await;
    let result = tenant.restart_workspace(&org_key(), workspace_id()).await;
    assert!(
        matches!(
            &result,
            Err(Error::UnexpectedStatus { status: 503, body }) if body == b"upstream unavailable"
        ),
        "{result:?}"
    );
}

#[tokio::test]
async fn pause_workspace_with_the_org_key_returns_unit() {
    let (server, tenant) = answering(ResponseTemplate::new(200)).await;
    let result = tenant.pause_workspace(&org_key(), workspace_id()).await;
    assert!(matches!(result, Ok(())), "{result:?}");
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(raw_path(&request), format!("/workspaces/{WORKSPACE}/pause"));
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&ORG_KEY_HEADERS));
    assert_eq!(json_body(&request), None);
}

#[tokio::test]
async fn pause_workspace_types_401() {
    let (server, tenant) = answering(error_answer(401, "invalid token")).await;
    let result = tenant
        .pause_workspace(&workspace_token(), workspace_id())
        .await;
    assert!(
        matches!(
            &result,
            Err(Error::Api(PauseWorkspaceError::Unauthorized(models::Error { error })))
                if error == "invalid token"
        ),
        "{result:?}"
    );
    let request = only_request(&server).await;
    assert_eq!(
        auth_headers(&request),
        expect_headers(&WORKSPACE_TOKEN_HEADERS)
    );
}

#[tokio::test]
async fn resume_workspace_with_a_workspace_token_returns_unit() {
    let (server, tenant) = answering(ResponseTemplate::new(200)).await;
    let result = tenant
        .resume_workspace(&workspace_token(), workspace_id())
        .await;
    assert!(matches!(result, Ok(())), "{result:?}");
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(
        raw_path(&request),
        format!("/workspaces/{WORKSPACE}/resume")
    );
    assert_eq!(raw_query(&request), None);
    assert_eq!(
        auth_headers(&request),
        expect_headers(&WORKSPACE_TOKEN_HEADERS)
    );
    assert_eq!(json_body(&request), None);
}

#[tokio::test]
async fn resume_workspace_types_401() {
    let (_server, tenant) = answering(error_answer(401, "invalid org key")).await;
    let result = tenant.resume_workspace(&org_key(), workspace_id()).await;
    assert_eq!(
        api_error(result),
        ResumeWorkspaceError::Unauthorized(api_message("invalid org key"))
    );
}

// ----------------------------------------------------------------- budget

#[tokio::test]
async fn get_budget_with_a_workspace_token_decodes_every_period() {
    use models::BudgetResponsePeriodsKey as Period;
    let (server, tenant) = answering(ResponseTemplate::new(200).set_body_json(json!({
        "periods": {
            "monthly": {"limit": 10000, "spend": 2500, "remaining": 7500},
            "daily": {"limit": 500, "spend": 620, "remaining": -120},
            "hourly": {"limit": null, "spend": 40, "remaining": null}
        },
        "budget_limit": 10000,
        "monthly_spend": 2500,
        "budget_remaining": 7500
    })))
    .await;
    let budget = tenant
        .get_budget(&workspace_token(), workspace_id())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(
        raw_path(&request),
        format!("/workspaces/{WORKSPACE}/budget")
    );
    assert_eq!(raw_query(&request), None);
    assert_eq!(
        auth_headers(&request),
        expect_headers(&WORKSPACE_TOKEN_HEADERS)
    );
    assert_eq!(json_body(&request), None);

    assert_eq!(
        budget,
        models::BudgetResponse {
            periods: Some(BTreeMap::from([
                (
                    Period::Monthly,
                    models::PeriodBudget {
                        limit: Some(Some(10000)),
                        spend: 2500,
                        remaining: Some(Some(7500)),
                    }
                ),
                (
                    Period::Daily,
                    models::PeriodBudget {
                        limit: Some(Some(500)),
                        spend: 620,
                        remaining: Some(Some(-120)),
                    }
                ),
                (
                    Period::Hourly,
                    models::PeriodBudget {
                        limit: Some(None),
                        spend: 40,
                        remaining: Some(None),
                    }
                ),
            ])),
            budget_limit: Some(Some(10000)),
            monthly_spend: Some(2500),
            budget_remaining: Some(Some(7500)),
        }
    );
}

#[tokio::test]
async fn get_budget_types_404() {
    let (_server, tenant) = answering(error_answer(404, "workspace not found")).await;
    let result = tenant.get_budget(&org_key(), workspace_id()).await;
    assert_eq!(
        api_error(result),
        GetBudgetError::NotFound(api_message("workspace not found"))
    );
}

#[tokio::test]
async fn get_budget_reports_a_success_body_that_breaks_the_schema() {
    // `spend` is required in every period.
    let (_server, tenant) = answering(
        ResponseTemplate::new(200).set_body_json(json!({"periods": {"monthly": {"limit": 5}}})),
    )
    .await;
    let result = tenant.get_budget(&org_key(), workspace_id()).await;
    assert!(
        matches!(&result, Err(Error::InvalidBody { status: 200, .. })),
        "{result:?}"
    );
}

#[tokio::test]
async fn patch_budget_sends_a_null_legacy_limit_and_decodes_null_vs_absent() {
    use models::BudgetResponsePeriodsKey as Period;
    let (server, tenant) = answering(ResponseTemplate::new(200).set_body_json(json!({
        "periods": {"monthly": {"limit": null, "spend": 2500, "remaining": null}},
        "budget_limit": null,
        "monthly_spend": 2500
    })))
    .await;
    let body = models::PatchBudgetRequest {
        budget_limit: Some(None),
        ..Default::default()
    };
    let budget = tenant
        .patch_budget(&org_key(), workspace_id(), &body)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "PATCH");
    assert_eq!(
        raw_path(&request),
        format!("/workspaces/{WORKSPACE}/budget")
    );
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&ORG_KEY_HEADERS));
    assert_eq!(json_body(&request), Some(json!({"budget_limit": null})));

    let periods = budget.periods.as_ref().expect("periods were sent");
    assert_eq!(periods.len(), 1, "{periods:?}");
    let monthly = periods.get(&Period::Monthly).expect("a monthly period");
    // `limit` is optional and nullable: a sent `null` ("no limit") is present
    // with no value, not absent.
    assert_eq!(monthly.limit, Some(None));
    assert_eq!(monthly.limit.flatten(), None);
    assert_eq!(monthly.spend, 2500);
    assert_eq!(monthly.remaining, Some(None));
    assert_eq!(
        budget.budget_limit,
        Some(None),
        "top-level null is Some(None)"
    );
    assert_eq!(budget.monthly_spend, Some(2500));
    assert_eq!(budget.budget_remaining, None, "absent is None");
}

#[tokio::test]
async fn patch_budget_sends_a_period_map_with_null_values_and_no_legacy_key() {
    use models::BudgetResponsePeriodsKey as Period;
    use models::PatchBudgetRequestBudgetLimitsKey as Limit;
    let (server, tenant) = answering(ResponseTemplate::new(200).set_body_json(json!({
        "periods": {
            "monthly": {"limit": 500, "spend": 120, "remaining": 380},
            "daily": {"limit": null, "spend": 15, "remaining": null}
        },
        "budget_limit": 500,
        "monthly_spend": 120,
        "budget_remaining": 380
    })))
    .await;
    let body = models::PatchBudgetRequest {
        budget_limit: None,
        budget_limits: Some(BTreeMap::from([
            (Limit::Monthly, Some(500)),
            (Limit::Daily, None),
        ])),
    };
    let budget = tenant
        .patch_budget(&org_key(), workspace_id(), &body)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "PATCH");
    assert_eq!(
        raw_path(&request),
        format!("/workspaces/{WORKSPACE}/budget")
    );
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&ORG_KEY_HEADERS));
    let sent = json_body(&request);
    assert_eq!(
        sent,
        Some(json!({"budget_limits": {"daily": null, "monthly": 500}}))
    );
    assert!(
        sent.as_ref()
            .and_then(|body| body.get("budget_limit"))
            .is_none(),
        "an absent legacy limit must not be sent: {sent:?}"
    );

    let periods = budget.periods.expect("periods were sent");
    assert_eq!(
        periods.get(&Period::Monthly),
        Some(&models::PeriodBudget {
            limit: Some(Some(500)),
            spend: 120,
            remaining: Some(Some(380)),
        })
    );
    assert_eq!(
        periods.get(&Period::Daily),
        Some(&models::PeriodBudget {
            limit: Some(None),
            spend: 15,
            remaining: Some(None),
        })
    );
    assert_eq!(budget.budget_limit, Some(Some(500)));
    assert_eq!(budget.monthly_spend, Some(120));
    assert_eq!(budget.budget_remaining, Some(Some(380)));
}

#[tokio::test]
async fn patch_budget_types_400() {
    let (server, tenant) = answering(error_answer(400, "unknown period \"yearly\"")).await;
    let body = models::PatchBudgetRequest {
        budget_limits: Some(BTreeMap::from([(
            models::PatchBudgetRequestBudgetLimitsKey::Unknown("yearly".into()),
            Some(100),
        )])),
        budget_limit: None,
    };
    let result = tenant.patch_budget(&org_key(), workspace_id(), &body).await;
    assert_eq!(
        api_error(result),
        PatchBudgetError::BadRequest(api_message("unknown period \"yearly\""))
    );
    let request = only_request(&server).await;
    assert_eq!(
        json_body(&request),
        Some(json!({"budget_limits": {"yearly": 100}}))
    );
}

// ----------------------------------------------------------- billing mode

#[tokio::test]
async fn get_billing_mode_decodes_mode_source_and_extra_fields() {
    let (server, tenant) = answering(ResponseTemplate::new(200).set_body_json(json!({
        "mode": "byok",
        "effective_mode": "byok",
        "source": "workspace",
        "org_default": "platform_managed"
    })))
    .await;
    let billing = tenant
        .get_billing_mode(&org_key(), workspace_id())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(
        raw_path(&request),
        format!("/admin/workspaces/{WORKSPACE}/llm-billing-mode")
    );
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&ORG_KEY_HEADERS));
    assert_eq!(json_body(&request), None);
    assert_eq!(
        billing,
        models::BillingModeResponse {
            mode: Some(models::BillingModeResponseMode::Byok),
            effective_mode: Some("byok".into()),
            source: Some("workspace".into()),
            additional_properties: object(json!({"org_default": "platform_managed"})),
        }
    );
}

#[tokio::test]
async fn get_billing_mode_types_400() {
    let (_server, tenant) = answering(error_answer(400, "invalid workspace id")).await;
    let result = tenant.get_billing_mode(&org_key(), workspace_id()).await;
    assert_eq!(
        api_error(result),
        GetBillingModeError::BadRequest(api_message("invalid workspace id"))
    );
}

#[tokio::test]
async fn put_billing_mode_none_sends_an_explicit_null() {
    let (server, tenant) = answering(ResponseTemplate::new(200).set_body_json(json!({
        "effective_mode": "platform_managed",
        "source": "org"
    })))
    .await;
    let billing = tenant
        .put_billing_mode(
            &org_key(),
            workspace_id(),
            &models::PutBillingModeRequest { mode: None },
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "PUT");
    assert_eq!(
        raw_path(&request),
        format!("/admin/workspaces/{WORKSPACE}/llm-billing-mode")
    );
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&ORG_KEY_HEADERS));
    assert_eq!(json_body(&request), Some(json!({"mode": null})));
    assert_eq!(billing.mode, None);
    assert_eq!(billing.effective_mode.as_deref(), Some("platform_managed"));
    assert_eq!(billing.source.as_deref(), Some("org"));
    assert!(billing.additional_properties.is_empty());
}

#[tokio::test]
async fn put_billing_mode_byok_sends_the_wire_name() {
    let (server, tenant) = answering(ResponseTemplate::new(200).set_body_json(json!({
        "mode": "byok",
        "effective_mode": "byok",
        "source": "workspace"
    })))
    .await;
    let billing = tenant
        .put_billing_mode(
            &org_key(),
            workspace_id(),
            &models::PutBillingModeRequest {
                mode: Some(models::PutBillingModeRequestMode::Byok),
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "PUT");
    assert_eq!(
        raw_path(&request),
        format!("/admin/workspaces/{WORKSPACE}/llm-billing-mode")
    );
    assert_eq!(auth_headers(&request), expect_headers(&ORG_KEY_HEADERS));
    assert_eq!(json_body(&request), Some(json!({"mode": "byok"})));
    assert_eq!(billing.mode, Some(models::BillingModeResponseMode::Byok));
    assert_eq!(billing.effective_mode.as_deref(), Some("byok"));
    assert_eq!(billing.source.as_deref(), Some("workspace"));
}

#[tokio::test]
async fn put_billing_mode_keeps_an_unknown_mode_as_sent() {
    let (server, tenant) = answering(ResponseTemplate::new(200).set_body_json(json!({
        "mode": "future_mode",
        "effective_mode": "future_mode",
        "source": "workspace"
    })))
    .await;
    let billing = tenant
        .put_billing_mode(
            &org_key(),
            workspace_id(),
            &models::PutBillingModeRequest {
                mode: Some(models::PutBillingModeRequestMode::Disabled),
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(json_body(&request), Some(json!({"mode": "disabled"})));
    assert_eq!(
        billing.mode,
        Some(models::BillingModeResponseMode::Unknown(
            "future_mode".into()
        ))
    );
    assert_eq!(billing.effective_mode.as_deref(), Some("future_mode"));
}

#[tokio::test]
async fn put_billing_mode_types_404() {
    let (_server, tenant) = answering(error_answer(404, "workspace not found")).await;
    let result = tenant
        .put_billing_mode(
            &org_key(),
            workspace_id(),
            &models::PutBillingModeRequest {
                mode: Some(models::PutBillingModeRequestMode::PlatformManaged),
            },
        )
        .await;
    assert!(
        matches!(
            &result,
            Err(Error::Api(PutBillingModeError::NotFound(models::Error { error })))
                if error == "workspace not found"
        ),
        "{result:?}"
    );
}

// ------------------------------------------------------ workspace secrets

#[tokio::test]
async fn list_workspace_secrets_with_a_workspace_token_decodes_summaries() {
    let (server, tenant) = answering(ResponseTemplate::new(200).set_body_json(json!([
        {
            "key": "ANTHROPIC_API_KEY",
            "created_at": "2025-05-01T10:00:00Z",
            "updated_at": "2025-05-02T11:30:00Z",
            "source": "workspace"
        },
        {
            "key": "GIT_HTTP_TOKEN",
            "created_at": "2025-04-20T08:15:00Z",
            "source": "global",
            "shadowed": false
        }
    ])))
    .await;
    let secrets = tenant
        .list_workspace_secrets(&workspace_token(), workspace_id())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(
        raw_path(&request),
        format!("/workspaces/{WORKSPACE}/secrets")
    );
    assert_eq!(raw_query(&request), None);
    assert_eq!(
        auth_headers(&request),
        expect_headers(&WORKSPACE_TOKEN_HEADERS)
    );
    assert_eq!(json_body(&request), None);
    assert_eq!(
        secrets,
        vec![
            models::SecretSummary {
                key: Some("ANTHROPIC_API_KEY".into()),
                created_at: Some("2025-05-01T10:00:00Z".into()),
                updated_at: Some("2025-05-02T11:30:00Z".into()),
                source: Some("workspace".into()),
                additional_properties: serde_json::Map::new(),
            },
            models::SecretSummary {
                key: Some("GIT_HTTP_TOKEN".into()),
                created_at: Some("2025-04-20T08:15:00Z".into()),
                updated_at: None,
                source: Some("global".into()),
                additional_properties: object(json!({"shadowed": false})),
            },
        ]
    );
}

#[tokio::test]
async fn list_workspace_secrets_types_401() {
    let (_server, tenant) = answering(error_answer(401, "missing bearer")).await;
    let result = tenant
        .list_workspace_secrets(&org_key(), workspace_id())
        .await;
    assert_eq!(
        api_error(result),
        ListWorkspaceSecretsError::Unauthorized(api_message("missing bearer"))
    );
}

#[tokio::test]
async fn set_workspace_secret_posts_key_and_value_in_the_body() {
    // The key travels in the body, verbatim; the path names only the workspace.
    let (server, tenant) = answering(ResponseTemplate::new(200)).await;
    let result = tenant
        .set_workspace_secret(
            &workspace_token(),
            workspace_id(),
            &secret("GIT HTTP/TOKEN", "ghp_s3cr3t"),
        )
        .await;
    assert!(matches!(result, Ok(())), "{result:?}");
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(
        raw_path(&request),
        format!("/workspaces/{WORKSPACE}/secrets")
    );
    assert_eq!(raw_query(&request), None);
    assert_eq!(
        auth_headers(&request),
        expect_headers(&WORKSPACE_TOKEN_HEADERS)
    );
    assert_eq!(
        json_body(&request),
        Some(json!({"key": "GIT HTTP/TOKEN", "value": "ghp_s3cr3t"}))
    );
}

#[tokio::test]
async fn set_workspace_secret_types_400() {
    let (_server, tenant) = answering(error_answer(400, "key is required")).await;
    let result = tenant
        .set_workspace_secret(&org_key(), workspace_id(), &secret("", "value"))
        .await;
    assert_eq!(
        api_error(result),
        SetWorkspaceSecretError::BadRequest(api_message("key is required"))
    );
}

#[tokio::test]
async fn put_workspace_secret_puts_key_and_value_in_the_body() {
    let (server, tenant) = answering(ResponseTemplate::new(200)).await;
    let result = tenant
        .put_workspace_secret(
            &org_key(),
            workspace_id(),
            &secret("GIT HTTP/TOKEN", "ghp_r0t4t3d"),
        )
        .await;
    assert!(matches!(result, Ok(())), "{result:?}");
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "PUT");
    assert_eq!(
        raw_path(&request),
        format!("/workspaces/{WORKSPACE}/secrets")
    );
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&ORG_KEY_HEADERS));
    assert_eq!(
        json_body(&request),
        Some(json!({"key": "GIT HTTP/TOKEN", "value": "ghp_r0t4t3d"}))
    );
}

#[tokio::test]
async fn put_workspace_secret_types_401() {
    let (server, tenant) = answering(error_answer(401, "token revoked")).await;
    let result = tenant
        .put_workspace_secret(
            &workspace_token(),
            workspace_id(),
            &secret("OPENAI_API_KEY", "sk-example"),
        )
        .await;
    assert_eq!(
        api_error(result),
        PutWorkspaceSecretError::Unauthorized(api_message("token revoked"))
    );
    let request = only_request(&server).await;
    assert_eq!(
        auth_headers(&request),
        expect_headers(&WORKSPACE_TOKEN_HEADERS)
    );
}

#[tokio::test]
async fn delete_workspace_secret_percent_encodes_the_key_as_one_segment() {
    let (server, tenant) = answering(ResponseTemplate::new(200)).await;
    let result = tenant
        .delete_workspace_secret(&workspace_token(), workspace_id(), "GIT HTTP/TOKEN")
        .await;
    assert!(matches!(result, Ok(())), "{result:?}");
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "DELETE");
    assert_eq!(
        raw_path(&request),
        format!("/workspaces/{WORKSPACE}/secrets/GIT%20HTTP%2FTOKEN")
    );
    assert_eq!(raw_query(&request), None);
    assert_eq!(
        auth_headers(&request),
        expect_headers(&WORKSPACE_TOKEN_HEADERS)
    );
    assert_eq!(json_body(&request), None);
}

#[tokio::test]
async fn delete_workspace_secret_types_404() {
    let (server, tenant) = answering(error_answer(404, "secret not found")).await;
    let result = tenant
        .delete_workspace_secret(&org_key(), workspace_id(), "MISSING_KEY")
        .await;
    assert_eq!(
        api_error(result),
        DeleteWorkspaceSecretError::NotFound(api_message("secret not found"))
    );
    let request = only_request(&server).await;
    assert_eq!(
        raw_path(&request),
        format!("/workspaces/{WORKSPACE}/secrets/MISSING_KEY")
    );
    assert_eq!(auth_headers(&request), expect_headers(&ORG_KEY_HEADERS));
}

// --------------------------------------------------------- global secrets

#[tokio::test]
async fn list_global_secrets_decodes_summaries() {
    let (server, tenant) = answering(ResponseTemplate::new(200).set_body_json(json!([
        {
            "key": "GITHUB_TOKEN",
            "created_at": "2025-03-01T09:00:00Z",
            "updated_at": "2025-03-04T09:00:00Z",
            "source": "global"
        }
    ])))
    .await;
    let secrets = tenant
        .list_global_secrets(&org_key())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(raw_path(&request), "/settings/secrets");
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&ORG_KEY_HEADERS));
    assert_eq!(json_body(&request), None);
    assert_eq!(
        secrets,
        vec![models::SecretSummary {
            key: Some("GITHUB_TOKEN".into()),
            created_at: Some("2025-03-01T09:00:00Z".into()),
            updated_at: Some("2025-03-04T09:00:00Z".into()),
            source: Some("global".into()),
            additional_properties: serde_json::Map::new(),
        }]
    );
}

#[tokio::test]
async fn list_global_secrets_types_401() {
    let (_server, tenant) = answering(error_answer(401, "invalid org key")).await;
    let result = tenant.list_global_secrets(&org_key()).await;
    assert!(
        matches!(
            &result,
            Err(Error::Api(ListGlobalSecretsError::Unauthorized(models::Error { error })))
                if error == "invalid org key"
        ),
        "{result:?}"
    );
}

#[tokio::test]
async fn set_global_secret_posts_key_and_value() {
    let (server, tenant) = answering(ResponseTemplate::new(200)).await;
    let result = tenant
        .set_global_secret(&org_key(), &secret("GITHUB_TOKEN", "ghp_0rgw1d3"))
        .await;
    assert!(matches!(result, Ok(())), "{result:?}");
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(raw_path(&request), "/settings/secrets");
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&ORG_KEY_HEADERS));
    assert_eq!(
        json_body(&request),
        Some(json!({"key": "GITHUB_TOKEN", "value": "ghp_0rgw1d3"}))
    );
}

#[tokio::test]
async fn set_global_secret_types_400() {
    let (_server, tenant) = answering(error_answer(400, "value is required")).await;
    let result = tenant
        .set_global_secret(&org_key(), &secret("GITHUB_TOKEN", ""))
        .await;
    assert_eq!(
        api_error(result),
        SetGlobalSecretError::BadRequest(api_message("value is required"))
    );
}

#[tokio::test]
async fn put_global_secret_puts_key_and_value() {
    let (server, tenant) = answering(ResponseTemplate::new(200)).await;
    let result = tenant
        .put_global_secret(&org_key(), &secret("ANTHROPIC_API_KEY", "sk-ant-example"))
        .await;
    assert!(matches!(result, Ok(())), "{result:?}");
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "PUT");
    assert_eq!(raw_path(&request), "/settings/secrets");
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&ORG_KEY_HEADERS));
    assert_eq!(
        json_body(&request),
        Some(json!({"key": "ANTHROPIC_API_KEY", "value": "sk-ant-example"}))
    );
}

#[tokio::test]
async fn put_global_secret_types_401() {
    let (_server, tenant) = answering(error_answer(401, "invalid org key")).await;
    let result = tenant
        .put_global_secret(&org_key(), &secret("ANTHROPIC_API_KEY", "sk-ant-example"))
        .await;
    assert_eq!(
        api_error(result),
        PutGlobalSecretError::Unauthorized(api_message("invalid org key"))
    );
}

#[tokio::test]
async fn delete_global_secret_percent_encodes_the_key() {
    let (server, tenant) = answering(ResponseTemplate::new(200)).await;
    let result = tenant
        .delete_global_secret(&org_key(), "GIT HTTP/TOKEN")
        .await;
    assert!(matches!(result, Ok(())), "{result:?}");
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "DELETE");
    assert_eq!(raw_path(&request), "/settings/secrets/GIT%20HTTP%2FTOKEN");
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&ORG_KEY_HEADERS));
    assert_eq!(json_body(&request), None);
}

#[tokio::test]
async fn delete_global_secret_types_404() {
    let (_server, tenant) = answering(error_answer(404, "secret not found")).await;
    let result = tenant
        .delete_global_secret(&org_key(), "GITHUB_TOKEN")
        .await;
    assert_eq!(
        api_error(result),
        DeleteGlobalSecretError::NotFound(api_message("secret not found"))
    );
}

// ------------------------------------------------------------- org tokens

#[tokio::test]
async fn list_org_tokens_decodes_the_list_and_count() {
    let (server, tenant) = answering(ResponseTemplate::new(200).set_body_json(json!({
        "tokens": [
            {
                "id": "tok_1",
                "prefix": "mol_ab12",
                "name": "ci",
                "created_at": "2025-02-01T12:00:00Z",
                "last_used_at": "2025-05-20T07:45:00Z"
            },
            {"id": "tok_2", "prefix": "mol_cd34", "created_at": "2025-02-03T12:00:00Z"}
        ],
        "count": 2
    })))
    .await;
    let list = tenant
        .list_org_tokens(&org_key())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(raw_path(&request), "/org/tokens");
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&ORG_KEY_HEADERS));
    assert_eq!(json_body(&request), None);
    assert_eq!(
        list,
        models::OrgTokenList {
            tokens: Some(vec![
                models::OrgTokenListTokensItem {
                    id: Some("tok_1".into()),
                    prefix: Some("mol_ab12".into()),
                    name: Some("ci".into()),
                    created_at: Some("2025-02-01T12:00:00Z".into()),
                    additional_properties: object(json!({"last_used_at": "2025-05-20T07:45:00Z"})),
                },
                models::OrgTokenListTokensItem {
                    id: Some("tok_2".into()),
                    prefix: Some("mol_cd34".into()),
                    name: None,
                    created_at: Some("2025-02-03T12:00:00Z".into()),
                    additional_properties: serde_json::Map::new(),
                },
            ]),
            count: Some(2),
        }
    );
}

#[tokio::test]
async fn list_org_tokens_types_401() {
    let (_server, tenant) = answering(error_answer(401, "invalid org key")).await;
    let result = tenant.list_org_tokens(&org_key()).await;
    assert_eq!(
        api_error(result),
        ListOrgTokensError::Unauthorized(api_message("invalid org key"))
    );
}

#[tokio::test]
async fn create_org_token_without_a_body_sends_none_and_decodes_the_token() {
    let (server, tenant) = answering(ResponseTemplate::new(200).set_body_json(json!({
        "id": "tok_3",
        "prefix": "mol_ef56",
        "auth_token": "mol_ef56_Zx9PlainTextShownOnce"
    })))
    .await;
    let minted = tenant
        .create_org_token(&org_key(), None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(raw_path(&request), "/org/tokens");
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&ORG_KEY_HEADERS));
    assert_eq!(json_body(&request), None, "no body means no body");
    assert!(
        request.headers.get("content-type").is_none(),
        "{:?}",
        request.headers
    );
    assert_eq!(minted.id, "tok_3");
    assert_eq!(minted.prefix, "mol_ef56");
    assert_eq!(minted.name, None);
    assert_eq!(minted.auth_token, "mol_ef56_Zx9PlainTextShownOnce");
    assert_eq!(minted.warning, None);
}

#[tokio::test]
async fn create_org_token_with_a_name_sends_it_and_decodes_the_token() {
    let (server, tenant) = answering(ResponseTemplate::new(200).set_body_json(json!({
        "id": "tok_4",
        "prefix": "mol_gh78",
        "name": "deploy-bot",
        "auth_token": "mol_gh78_Qw3PlainTextShownOnce",
        "warning": "Copy this token now; it will not be shown again."
    })))
    .await;
    let minted = tenant
        .create_org_token(
            &org_key(),
            Some(&models::CreateOrgTokenRequest {
                name: Some("deploy-bot".into()),
            }),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(raw_path(&request), "/org/tokens");
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&ORG_KEY_HEADERS));
    assert_eq!(json_body(&request), Some(json!({"name": "deploy-bot"})));
    assert_eq!(
        request
            .headers
            .get("content-type")
            .and_then(|value| value.to_str().ok()),
        Some("application/json")
    );
    assert_eq!(minted.id, "tok_4");
    assert_eq!(minted.prefix, "mol_gh78");
    assert_eq!(minted.name.as_deref(), Some("deploy-bot"));
    assert_eq!(minted.auth_token, "mol_gh78_Qw3PlainTextShownOnce");
    assert_eq!(
        minted.warning.as_deref(),
        Some("Copy this token now; it will not be shown again.")
    );
}

#[tokio::test]
async fn create_org_token_types_400() {
    let (_server, tenant) = answering(error_answer(400, "name exceeds 100 characters")).await;
    let result = tenant
        .create_org_token(
            &org_key(),
            Some(&models::CreateOrgTokenRequest {
                name: Some("x".repeat(101)),
            }),
        )
        .await;
    assert!(
        matches!(
            &result,
            Err(Error::Api(CreateOrgTokenError::BadRequest(models::Error { error })))
                if error == "name exceeds 100 characters"
        ),
        "{result:?}"
    );
}

#[tokio::test]
async fn revoke_org_token_sends_delete_and_decodes_the_revoked_id() {
    let (server, tenant) =
        answering(ResponseTemplate::new(200).set_body_json(json!({"revoked": "tok_1"}))).await;
    let answer = tenant
        .revoke_org_token(&org_key(), "tok_1")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "DELETE");
    assert_eq!(raw_path(&request), "/org/tokens/tok_1");
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&ORG_KEY_HEADERS));
    assert_eq!(json_body(&request), None);
    assert_eq!(
        answer,
        models::RevokeOrgTokenResponse {
            revoked: Some("tok_1".into()),
        }
    );
}

#[tokio::test]
async fn revoke_org_token_types_404_and_400() {
    let (_server, tenant) = answering(error_answer(404, "token not found")).await;
    let result = tenant.revoke_org_token(&org_key(), "tok_missing").await;
    assert_eq!(
        api_error(result),
        RevokeOrgTokenError::NotFound(api_message("token not found"))
    );
    let (_server, tenant) = answering(error_answer(400, "cannot revoke the calling key")).await;
    let result = tenant.revoke_org_token(&org_key(), "tok_self").await;
    assert_eq!(
        api_error(result),
        RevokeOrgTokenError::BadRequest(api_message("cannot revoke the calling key"))
    );
}

// ---------------------------------------------------- org import/templates

#[tokio::test]
async fn org_import_sends_dir_and_mode_and_decodes_the_result() {
    let (server, tenant) = answering(ResponseTemplate::new(200).set_body_json(json!({
        "created": 3,
        "deleted": 1,
        "workspaces": [{"id": WORKSPACE, "name": "research-agent"}]
    })))
    .await;
    let body = models::OrgImportRequest {
        dir: Some("research-team".into()),
        template: None,
        mode: Some(models::OrgImportRequestMode::Reconcile),
    };
    let answer = tenant
        .org_import(&org_key(), &body)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(raw_path(&request), "/org/import");
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&ORG_KEY_HEADERS));
    assert_eq!(
        json_body(&request),
        Some(json!({"dir": "research-team", "mode": "reconcile"}))
    );
    assert_eq!(
        answer,
        object(json!({
            "created": 3,
            "deleted": 1,
            "workspaces": [{"id": WORKSPACE, "name": "research-agent"}]
        }))
    );
}

#[tokio::test]
async fn org_import_sends_an_inline_template_and_the_empty_mode() {
    let (server, tenant) =
        answering(ResponseTemplate::new(200).set_body_json(json!({"created": 1}))).await;
    let template = object(json!({
        "name": "solo",
        "workspaces": [{"name": "helper", "runtime": "claude-code", "tier": 1}]
    }));
    let body = models::OrgImportRequest {
        dir: None,
        template: Some(template),
        mode: Some(models::OrgImportRequestMode::Empty),
    };
    let answer = tenant
        .org_import(&org_key(), &body)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(
        json_body(&request),
        Some(json!({
            "template": {
                "name": "solo",
                "workspaces": [{"name": "helper", "runtime": "claude-code", "tier": 1}]
            },
            "mode": ""
        }))
    );
    assert_eq!(answer.get("created"), Some(&json!(1)));
}

#[tokio::test]
async fn org_import_types_404() {
    let (_server, tenant) = answering(error_answer(404, "org template not found")).await;
    let body = models::OrgImportRequest {
        dir: Some("no-such-team".into()),
        ..Default::default()
    };
    let result = tenant.org_import(&org_key(), &body).await;
    assert_eq!(
        api_error(result),
        OrgImportError::NotFound(api_message("org template not found"))
    );
}

#[tokio::test]
async fn list_org_templates_decodes_free_form_objects() {
    let (server, tenant) = answering(ResponseTemplate::new(200).set_body_json(json!([
        {"dir": "research-team", "name": "Research team", "workspaces": 3},
        {"dir": "support-desk", "name": "Support desk", "workspaces": 2}
    ])))
    .await;
    let templates = tenant
        .list_org_templates(&org_key())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(raw_path(&request), "/org/templates");
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&ORG_KEY_HEADERS));
    assert_eq!(json_body(&request), None);
    assert_eq!(
        templates,
        vec![
            object(json!({"dir": "research-team", "name": "Research team", "workspaces": 3})),
            object(json!({"dir": "support-desk", "name": "Support desk", "workspaces": 2})),
        ]
    );
}

#[tokio::test]
async fn list_org_templates_types_401() {
    let (_server, tenant) = answering(error_answer(401, "invalid org key")).await;
    let result = tenant.list_org_templates(&org_key()).await;
    assert_eq!(
        api_error(result),
        ListOrgTemplatesError::Unauthorized(api_message("invalid org key"))
    );
}

#[tokio::test]
async fn list_templates_decodes_free_form_objects() {
    let (server, tenant) = answering(ResponseTemplate::new(200).set_body_json(json!([
        {"id": "claude-code-default", "name": "Claude Code", "runtime": "claude-code", "tier": 2}
    ])))
    .await;
    let templates = tenant
        .list_templates(&org_key())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(raw_path(&request), "/templates");
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&ORG_KEY_HEADERS));
    assert_eq!(json_body(&request), None);
    assert_eq!(
        templates,
        vec![object(json!({
            "id": "claude-code-default",
            "name": "Claude Code",
            "runtime": "claude-code",
            "tier": 2
        }))]
    );
}

#[tokio::test]
async fn list_templates_types_401() {
    let (_server, tenant) = answering(error_answer(401, "invalid org key")).await;
    let result = tenant.list_templates(&org_key()).await;
    assert!(
        matches!(
            &result,
            Err(Error::Api(ListTemplatesError::Unauthorized(models::Error { error })))
                if error == "invalid org key"
        ),
        "{result:?}"
    );
}

#[tokio::test]
async fn import_template_posts_name_and_files_and_decodes_the_201() {
    let (server, tenant) = answering(ResponseTemplate::new(201).set_body_json(json!({
        "status": "imported",
        "id": "support-agent",
        "name": "support-agent"
    })))
    .await;
    let body = models::TemplateImportRequest {
        name: "support-agent".into(),
        files: BTreeMap::from([
            (
                "config.yaml".to_string(),
                "runtime: claude-code\ntier: 2\n".to_string(),
            ),
            (
                "prompts/system.md".to_string(),
                "You answer support tickets.".to_string(),
            ),
        ]),
    };
    let answer = tenant
        .import_template(&org_key(), &body)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(raw_path(&request), "/templates/import");
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&ORG_KEY_HEADERS));
    assert_eq!(
        json_body(&request),
        Some(json!({
            "name": "support-agent",
            "files": {
                "config.yaml": "runtime: claude-code\ntier: 2\n",
                "prompts/system.md": "You answer support tickets."
            }
        }))
    );
    assert_eq!(
        answer,
        models::ImportTemplateResponse {
            status: Some("imported".into()),
            id: Some("support-agent".into()),
            name: Some("support-agent".into()),
        }
    );
}

#[tokio::test]
async fn import_template_types_409() {
    let (_server, tenant) = answering(error_answer(409, "template already exists")).await;
    let body = models::TemplateImportRequest {
        name: "support-agent".into(),
        files: BTreeMap::from([("config.yaml".to_string(), "tier: 1\n".to_string())]),
    };
    let result = tenant.import_template(&org_key(), &body).await;
    assert!(
        matches!(
            &result,
            Err(Error::Api(ImportTemplateError::Conflict(models::Error { error })))
                if error == "template already exists"
        ),
        "{result:?}"
    );
}

// ---------------------------------------------------------------- bundles

#[tokio::test]
async fn export_bundle_gets_the_bundle_as_a_free_form_object() {
    let bundle = json!({
        "name": "research-agent",
        "runtime": "claude-code",
        "system_prompt": "You research things.",
        "memory": [{"key": "preferred_sources", "value": "arxiv"}]
    });
    let (server, tenant) =
        answering(ResponseTemplate::new(200).set_body_json(bundle.clone())).await;
    let answer = tenant
        .export_bundle(&org_key(), WORKSPACE)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(raw_path(&request), format!("/bundles/export/{WORKSPACE}"));
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&ORG_KEY_HEADERS));
    assert_eq!(json_body(&request), None);
    assert_eq!(answer, object(bundle));
}

#[tokio::test]
async fn export_bundle_types_404() {
    let (_server, tenant) = answering(error_answer(404, "workspace not found")).await;
    let result = tenant.export_bundle(&org_key(), WORKSPACE).await;
    assert_eq!(
        api_error(result),
        ExportBundleError::NotFound(api_message("workspace not found"))
    );
}

#[tokio::test]
async fn import_bundle_flattens_extra_fields_and_decodes_the_201() {
    let (server, tenant) = answering(ResponseTemplate::new(201).set_body_json(json!({
        "id": WORKSPACE,
        "name": "research-agent",
        "status": "provisioning"
    })))
    .await;
    let body = models::BundleImportRequest {
        name: "research-agent".into(),
        additional_properties: object(json!({
            "runtime": "claude-code",
            "tier": 2,
            "system_prompt": "You research things."
        })),
    };
    let answer = tenant
        .import_bundle(&org_key(), &body)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(raw_path(&request), "/bundles/import");
    assert_eq!(raw_query(&request), None);
    assert_eq!(auth_headers(&request), expect_headers(&ORG_KEY_HEADERS));
    assert_eq!(
        json_body(&request),
        Some(json!({
            "name": "research-agent",
            "runtime": "claude-code",
            "tier": 2,
            "system_prompt": "You research things."
        }))
    );
    assert_eq!(
        answer,
        object(json!({"id": WORKSPACE, "name": "research-agent", "status": "provisioning"}))
    );
}

#[tokio::test]
async fn import_bundle_types_400() {
    let (_server, tenant) = answering(error_answer(400, "bundle has no runtime")).await;
    let body = models::BundleImportRequest {
        name: "research-agent".into(),
        additional_properties: serde_json::Map::new(),
    };
    let result = tenant.import_bundle(&org_key(), &body).await;
    assert_eq!(
        api_error(result),
        ImportBundleError::BadRequest(api_message("bundle has no runtime"))
    );
}
