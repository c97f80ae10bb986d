//! Guards are enforced before a byte is sent: a refusal is a typed error and
//! the server receives nothing.

use std::collections::BTreeMap;

use molecule_client::{ControlPlaneClient, CpAdminBearer, Error, GuardError, models};
use molecule_client_tests::{assert_nothing_sent, json_body, only_request, server};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn uuid() -> uuid::Uuid {
    uuid::Uuid::from_u128(0x1234)
}

async fn answering_200() -> MockServer {
    let server = server().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"ok": true})))
        .mount(&server)
        .await;
    server
}

fn confirm(text: &str) -> models::DeleteTenantRequest {
    models::DeleteTenantRequest {
        confirm: text.to_string(),
    }
}

#[tokio::test]
async fn a_confirm_that_differs_from_the_slug_sends_nothing() {
    let server = answering_200().await;
    let cp = ControlPlaneClient::with_base_url(server.uri());
    let admin = CpAdminBearer::new("admin-1");
    for wrong in ["other-org", "", "agents-team "] {
        let result = cp
            .admin_delete_tenant(&admin, "agents-team", &confirm(wrong))
            .await;
        assert!(
            matches!(
                &result,
                Err(Error::Guard(GuardError::ConfirmMismatch { field: "confirm", path_param: "slug", expected, given }))
                    if expected == "agents-team" && given.as_deref() == Some(wrong)
            ),
            "{result:?}"
        );
        let result = cp
            .admin_scrub_tenant_artifacts(&admin, "agents-team", &confirm(wrong))
            .await;
        assert!(
            matches!(
                &result,
                Err(Error::Guard(GuardError::ConfirmMismatch { .. }))
            ),
            "{result:?}"
        );
    }
    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn a_confirm_equal_to_the_slug_is_sent() {
    let server = answering_200().await;
    let cp = ControlPlaneClient::with_base_url(server.uri());
    let answer = cp
        .admin_delete_tenant(
            &CpAdminBearer::new("admin-1"),
            "agents-team",
            &confirm("agents-team"),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(answer.get("ok"), Some(&serde_json::json!(true)));
    let request = only_request(&server).await;
    assert_eq!(
        json_body(&request),
        Some(serde_json::json!({"confirm": "agents-team"}))
    );
}

fn env(keys: &[&str], force: Option<bool>) -> models::UpdateWorkspaceEnvRequest {
    models::UpdateWorkspaceEnvRequest {
        env: keys
            .iter()
            .map(|k| (k.to_string(), "value".to_string()))
            .collect::<BTreeMap<_, _>>(),
        merge: None,
        force,
    }
}

#[tokio::test]
async fn secret_looking_env_keys_without_force_send_nothing() {
    let server = answering_200().await;
    let cp = ControlPlaneClient::with_base_url(server.uri());
    let admin = CpAdminBearer::new("admin-1");
    for force in [None, Some(false)] {
        let body = env(&["LOG_LEVEL", "GITHUB_TOKEN", "DB_PASSWORD"], force);
        let result = cp.admin_update_workspace_env(&admin, uuid(), &body).await;
        match result {
            Err(Error::Guard(GuardError::ForceRequired {
                field,
                keys_of,
                keys,
            })) => {
                assert_eq!((field, keys_of), ("force", "env"));
                assert_eq!(keys, ["DB_PASSWORD", "GITHUB_TOKEN"]);
            }
            other => panic!("expected a force refusal, got {other:?}"),
        }
    }
    for key in ["API_KEY", "MY_SECRET"] {
        let result = cp
            .admin_update_workspace_env(&admin, uuid(), &env(&[key], None))
            .await;
        assert!(matches!(
            result,
            Err(Error::Guard(GuardError::ForceRequired { .. }))
        ));
    }
    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn force_true_or_harmless_keys_are_sent() {
    let server = server().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"ok": true, "applied_keys": ["GITHUB_TOKEN"]})),
        )
        .mount(&server)
        .await;
    let cp = ControlPlaneClient::with_base_url(server.uri());
    let admin = CpAdminBearer::new("admin-1");
    let answer = cp
        .admin_update_workspace_env(&admin, uuid(), &env(&["GITHUB_TOKEN"], Some(true)))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(answer.applied_keys, Some(vec!["GITHUB_TOKEN".to_string()]));
    let request = only_request(&server).await;
    assert_eq!(
        json_body(&request),
        Some(serde_json::json!({"env": {"GITHUB_TOKEN": "value"}, "force": true}))
    );
    server.reset().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .mount(&server)
        .await;
    cp.admin_update_workspace_env(&admin, uuid(), &env(&["LOG_LEVEL"], None))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(only_request(&server).await.method.as_str(), "POST");
}

#[test]
fn a_refusal_explains_itself() {
    let refusal = GuardError::ConfirmMismatch {
        field: "confirm",
        path_param: "slug",
        expected: "agents-team".into(),
        given: Some("x".into()),
    };
    let text = Error::<std::convert::Infallible>::Guard(refusal).to_string();
    assert!(
        text.contains("refused before sending") && text.contains("`slug`"),
        "{text}"
    );
}

#[tokio::test]
async fn a_dot_segment_in_a_path_is_refused_before_sending() {
    let server = answering_200().await;
    let tenant = molecule_client::TenantClient::with_base_url(server.uri());
    let auth = (
        molecule_client::OrgApiKey::new("k"),
        molecule_client::OrgRoutingHeaderId::new("o"),
    );
    for key in ["..", ".", ""] {
        let result = tenant.delete_workspace_secret(&auth, uuid(), key).await;
        assert!(
            matches!(
                &result,
                Err(Error::InvalidArgument(molecule_client::InvalidArgument {
                    argument: "key",
                    ..
                }))
            ),
            "{key:?}: {result:?}"
        );
    }
    assert_nothing_sent(&server).await;
}
