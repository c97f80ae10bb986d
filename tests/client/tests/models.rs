//! Model facts that other generators lose on this spec: `const` values keep
//! their JSON type, nullable map values and key enums survive, unknown enum
//! values in answers do not break decoding, closed objects stay closed.

use molecule_client::models;
use serde_json::json;

#[test]
fn a_boolean_const_is_a_boolean_on_the_wire() {
    let echo = models::AdminCreateOrgDryRun {
        dry_run: Some(models::AdminCreateOrgDryRunDryRun),
        slug: Some("acme".into()),
        name: None,
        owner_user_id: None,
    };
    assert_eq!(
        serde_json::to_value(&echo).unwrap_or_else(|e| panic!("{e}")),
        json!({"dry_run": true, "slug": "acme"})
    );
    // The string "true" is not the const `true`.
    assert!(
        serde_json::from_value::<models::AdminCreateOrgDryRun>(json!({"dry_run": "true"})).is_err()
    );
    assert!(
        serde_json::from_value::<models::AdminCreateOrgDryRun>(json!({"dry_run": false})).is_err()
    );
    const { assert!(models::AdminCreateOrgDryRunDryRun::VALUE) };
}

#[test]
fn a_string_const_accepts_only_its_value() {
    let missing: Result<models::RuntimePinMissing, _> =
        serde_json::from_value(json!({"error": "RUNTIME_PIN_MISSING"}));
    assert!(missing.is_ok());
    let other: Result<models::RuntimePinMissing, _> =
        serde_json::from_value(json!({"error": "OTHER"}));
    let message = other.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("RUNTIME_PIN_MISSING"), "{message}");
}

#[test]
fn budget_limits_keep_their_key_enum_and_null_values() {
    use models::PatchBudgetRequestBudgetLimitsKey as Period;
    let request = models::PatchBudgetRequest {
        budget_limits: Some(
            [(Period::Hourly, None), (Period::Weekly, Some(900))]
                .into_iter()
                .collect(),
        ),
        budget_limit: None,
    };
    assert_eq!(
        serde_json::to_value(&request).unwrap_or_else(|e| panic!("{e}")),
        json!({"budget_limits": {"hourly": null, "weekly": 900}})
    );
    let back: models::PatchBudgetRequest =
        serde_json::from_value(json!({"budget_limits": {"daily": null}, "budget_limit": null}))
            .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back.budget_limit, Some(None), "null is not absent");
    assert_eq!(
        back.budget_limits
            .and_then(|m| m.get(&Period::Daily).copied()),
        Some(None)
    );
    let absent: models::PatchBudgetRequest =
        serde_json::from_value(json!({})).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(absent.budget_limit, None, "absent is not null");
}

#[test]
fn unknown_enum_values_in_answers_are_kept() {
    let status: models::ProvisionStatus = serde_json::from_value(json!({
        "status": "hibernating", "stage": "ready", "progress": 100, "message": "", "eta_seconds": 0
    }))
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        status.status,
        models::ProvisionStatusStatus::Unknown("hibernating".into())
    );
    assert_eq!(status.stage, models::ProvisionStatusStage::Ready);
    assert_eq!(
        serde_json::to_value(&status.status).unwrap_or_else(|e| panic!("{e}")),
        json!("hibernating")
    );
}

#[test]
fn a_closed_object_rejects_unknown_fields_and_open_ones_keep_them() {
    let strict: Result<models::AdminCreateOrgRequest, _> = serde_json::from_value(json!({
        "slug": "acme", "name": "Acme", "owner_user_id": "u1", "is_staging": true
    }));
    assert!(strict.is_err(), "additionalProperties: false");
    let open: models::Workspace =
        serde_json::from_value(json!({"id": "00000000-0000-0000-0000-000000000001", "extra": 1}))
            .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(open.additional_properties.get("extra"), Some(&json!(1)));
}

/// Every field the spec marks sensitive (`x-tiergen-sensitive`): the token
/// shown once, the tenant admin token, secret values, environment maps.
/// `Debug` shows that the field is there, never what it holds, whether the
/// value was built in code or decoded from an answer.
#[test]
fn debug_never_shows_a_sensitive_field() {
    let once: models::CreateOrgTokenResponse = serde_json::from_value(json!({
        "id": "tok-1", "prefix": "mol_", "auth_token": "mol_SHOWN-ONCE-1"
    }))
    .unwrap_or_else(|e| panic!("{e}"));
    let admin: models::AdminTenantTokenResponse =
        serde_json::from_value(json!({"slug": "acme", "admin_token": "ADMIN-TOKEN-2"}))
            .unwrap_or_else(|e| panic!("{e}"));
    let secret = models::SetSecretRequest {
        key: "STRIPE_KEY".into(),
        value: "sk_live_SECRET-3".into(),
    };
    let env: models::UpdateWorkspaceEnvRequest =
        serde_json::from_value(json!({"env": {"DB_PASSWORD": "ENV-SECRET-4"}}))
            .unwrap_or_else(|e| panic!("{e}"));
    let create: models::CreateWorkspaceRequest =
        serde_json::from_value(json!({"name": "w", "secrets": {"API_KEY": "WS-SECRET-5"}}))
            .unwrap_or_else(|e| panic!("{e}"));
    let shown = [
        format!("{once:?}"),
        format!("{admin:?}"),
        format!("{secret:?}"),
        format!("{env:?}"),
        format!("{create:?}"),
        format!("{once:#?} {admin:#?} {secret:#?} {env:#?} {create:#?}"),
    ];
    for (text, hidden) in shown.iter().zip([
        "SHOWN-ONCE-1",
        "ADMIN-TOKEN-2",
        "SECRET-3",
        "ENV-SECRET-4",
        "WS-SECRET-5",
    ]) {
        assert!(!text.contains(hidden), "{text}");
        assert!(text.contains("<redacted>"), "{text}");
    }
    for hidden in [
        "SHOWN-ONCE",
        "ADMIN-TOKEN",
        "SECRET-3",
        "ENV-SECRET",
        "WS-SECRET",
    ] {
        assert!(!shown[5].contains(hidden), "{}", shown[5]);
    }
    // What is not secret still shows.
    assert!(
        shown[0].contains("tok-1") && shown[2].contains("STRIPE_KEY"),
        "{shown:?}"
    );
    // And the value itself is intact for the caller.
    assert_eq!(once.auth_token, "mol_SHOWN-ONCE-1");
}
