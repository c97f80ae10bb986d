//! When a person, not the caller, must agree before a call is sent.
//!
//! A confirm guard proves the caller is consistent (the body repeats the
//! slug), not that anyone agreed: an agent can fill both. Consent is the
//! question a runner (`mcp serve` through elicitation, `tiergen call` at a
//! terminal) puts to the person before anything leaves. It is derived here,
//! once, from the guards and effects, and carried in both artifacts so every
//! runner asks the same question.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Effect, EffectKind, Guard};

/// What the person is asked before a call is sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consent {
    /// Why, one reason per guard or effect that asks, in spec order.
    pub reasons: Vec<ConsentReason>,
    /// For a confirm guard: the path parameter whose value the person must
    /// type themselves (the slug), not merely approve.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_to_confirm: Option<String>,
    /// The dry-run query parameter: a dry run acts on nothing, so it is
    /// never asked about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unless_dry_run: Option<String>,
}

/// One thing the call will do that the person agrees to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentReason {
    /// The guard or effect kind that asks, e.g. `irreversible-purge`.
    pub kind: String,
    /// What will happen, in one sentence for the person.
    pub says: String,
    /// Asked only when the call sends this value; absent: always asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Trigger>,
}

/// A value the call sends that turns the reason on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trigger {
    #[serde(rename = "in")]
    pub location: TriggerLocation,
    /// The query parameter or body field, by its wire name.
    pub name: String,
    pub equals: Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TriggerLocation {
    Query,
    Body,
}

impl Trigger {
    /// True when `sent` is the triggering value. A query value travels as
    /// text, so `"true"` and `true` are the same there.
    pub fn is_met_by(&self, sent: &Value) -> bool {
        if *sent == self.equals {
            return true;
        }
        self.location == TriggerLocation::Query && text_of(sent) == text_of(&self.equals)
    }
}

fn text_of(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

impl Consent {
    /// The consent an operation with these guards and effects needs, if any.
    pub fn of(guards: &[Guard], effects: &[Effect]) -> Option<Consent> {
        let mut reasons: Vec<ConsentReason> = guards.iter().filter_map(guard_reason).collect();
        reasons.extend(effects.iter().filter_map(effect_reason));
        if reasons.is_empty() {
            return None;
        }
        Some(Consent {
            reasons,
            type_to_confirm: guards.iter().find_map(|guard| match guard {
                Guard::Confirm {
                    equals_path_param, ..
                } => Some(equals_path_param.clone()),
                _ => None,
            }),
            unless_dry_run: guards.iter().find_map(|guard| match guard {
                Guard::DryRun { param, .. } => Some(param.clone()),
                _ => None,
            }),
        })
    }

    /// The reasons that hold for one call; `sent` gives the value the call
    /// sends for a query parameter or body field, by wire name. Empty when
    /// nothing needs asking (a dry run, or no trigger met).
    pub fn applicable(
        &self,
        sent: &dyn Fn(TriggerLocation, &str) -> Option<Value>,
    ) -> Vec<&ConsentReason> {
        let dry_run = self.unless_dry_run.as_deref().is_some_and(|param| {
            sent(TriggerLocation::Query, param).is_some_and(|value| text_of(&value) == "true")
        });
        if dry_run {
            return Vec::new();
        }
        self.reasons
            .iter()
            .filter(|reason| match &reason.when {
                None => true,
                Some(trigger) => {
                    sent(trigger.location, &trigger.name).is_some_and(|v| trigger.is_met_by(&v))
                }
            })
            .collect()
    }
}

fn guard_reason(guard: &Guard) -> Option<ConsentReason> {
    let (says, when) = match guard {
        Guard::Confirm {
            equals_path_param, ..
        } => (
            format!("is confirm-gated: it needs the `{equals_path_param}` typed to go on"),
            None,
        ),
        Guard::Force {
            field,
            keys_of,
            pattern,
        } => (
            format!(
                "`{field}: true` overrides the check that refuses keys of `{keys_of}` matching `{pattern}`"
            ),
            Some(Trigger {
                location: TriggerLocation::Body,
                name: field.clone(),
                equals: Value::Bool(true),
            }),
        ),
        Guard::DestructiveFlag { param, value, .. } => (
            guard.describe(),
            Some(Trigger {
                location: TriggerLocation::Query,
                name: param.clone(),
                equals: Value::String(value.clone()),
            }),
        ),
        Guard::DryRun { .. } | Guard::Precondition { .. } => return None,
    };
    Some(ConsentReason {
        kind: guard.kind().to_string(),
        says,
        when,
    })
}

/// Effects that cannot be undone: data destroyed, or a secret that is shown
/// once and lost if the answer is.
fn effect_reason(effect: &Effect) -> Option<ConsentReason> {
    match effect.kind {
        EffectKind::IrreversiblePurge { .. }
        | EffectKind::CascadeDelete { .. }
        | EffectKind::SecretShownOnce { .. } => Some(ConsentReason {
            kind: effect.kind.kind().to_string(),
            says: effect.describe(),
            when: None,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn prune() -> Guard {
        Guard::DestructiveFlag {
            param: "prune".into(),
            value: "true".into(),
            effect: "deletes the volume".into(),
        }
    }

    #[test]
    fn a_destructive_flag_asks_only_when_set() {
        let consent = Consent::of(&[prune()], &[]).expect("asks");
        let unset = consent.applicable(&|_, _| None);
        let set = consent.applicable(&|_, name| (name == "prune").then(|| json!(true)));
        let off = consent.applicable(&|_, name| (name == "prune").then(|| json!("false")));
        assert!(unset.is_empty());
        assert_eq!(set.len(), 1);
        assert!(off.is_empty());
    }

    #[test]
    fn a_dry_run_is_never_asked_about() {
        let guards = [
            Guard::DryRun {
                param: "dry_run".into(),
                status: 200,
            },
            Guard::Confirm {
                field: "confirm".into(),
                equals_path_param: "slug".into(),
            },
        ];
        let consent = Consent::of(&guards, &[]).expect("asks");
        assert_eq!(consent.type_to_confirm.as_deref(), Some("slug"));
        assert_eq!(consent.applicable(&|_, _| None).len(), 1);
        let dry = consent.applicable(&|_, name| (name == "dry_run").then(|| json!("true")));
        assert!(dry.is_empty());
    }

    #[test]
    fn reversible_effects_ask_nothing() {
        let effects = [Effect {
            kind: EffectKind::RestartsWorkspace {},
            when: None,
        }];
        assert_eq!(Consent::of(&[], &effects), None);
    }
}
