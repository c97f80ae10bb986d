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
