//! The question a person answers before a guarded or irreversible call is
//! sent, shared by `mcp serve` (asked through MCP elicitation) and
//! `tiergen call` (asked at the terminal). The artifact says when to ask
//! ([`Consent`]); this module words the question for one call and judges the
//! answer. Nothing is sent unless the answer is a yes, and, for a confirm
//! guard, the value the person typed is the call's own target.

use serde_json::Value;

use crate::ir::{Consent, TriggerLocation};

/// One call's question: what will happen, and what the person must type.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    /// What the call is, e.g. `admin_delete_tenant: DELETE /api/v1/admin/tenants/acme`.
    pub call: String,
    /// What will happen, one line each.
    pub effects: Vec<String>,
    /// For a confirm guard: the parameter the person types and its value in this call.
    pub typed: Option<Typed>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Typed {
    pub param: String,
    pub expected: String,
}

/// How the person answered.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// Yes, with the value they typed when one was asked for.
    Agreed {
        typed: Option<String>,
    },
    Declined,
    Cancelled,
    TimedOut,
}

impl Question {
    /// The question for one call of an operation with `consent`, or `None`
    /// when nothing needs asking (no reason applies, or it is a dry run).
    /// `sent` gives what the call sends for a query parameter or body field;
    /// `path_value` the value of a path parameter.
    pub fn for_call(
        consent: &Consent,
        call: String,
        sent: &dyn Fn(TriggerLocation, &str) -> Option<Value>,
        path_value: &dyn Fn(&str) -> Option<Value>,
    ) -> Option<Question> {
        let reasons = consent.applicable(sent);
        if reasons.is_empty() {
            return None;
        }
        let typed = consent.type_to_confirm.as_ref().map(|param| Typed {
            param: param.clone(),
            expected: path_value(param).map(|v| text(&v)).unwrap_or_default(),
        });
        Some(Question {
            call,
            effects: reasons.iter().map(|r| r.says.clone()).collect(),
            typed,
        })
    }

    /// The question as one message for a person.
    pub fn message(&self) -> String {
        let mut message = format!("{}\nThis call:\n", self.call);
        for effect in &self.effects {
            message.push_str(&format!("  - {effect}\n"));
        }
        match &self.typed {
            Some(typed) => message.push_str(&format!(
                "Type the {} (`{}`) to send it.",
                typed.param, typed.expected
            )),
            None => message.push_str("Send it?"),
        }
        message
    }

    /// Ok when the answer lets the call go; otherwise why not, ending with
    /// the fact that nothing was sent.
    pub fn judge(&self, answer: &Decision) -> Result<(), String> {
        match (answer, &self.typed) {
            (Decision::Agreed { .. }, None) => Ok(()),
            (Decision::Agreed { typed: Some(given) }, Some(typed))
                if given.trim() == typed.expected =>
            {
                Ok(())
            }
            (Decision::Agreed { typed: given }, Some(typed)) => Err(format!(
                "the {} typed ({}) is not `{}`: nothing was sent",
                typed.param,
                given
                    .as_deref()
                    .map_or("nothing".to_string(), |g| format!("`{g}`")),
                typed.expected
            )),
            (Decision::Declined, _) => Err("declined by the person asked: nothing was sent".into()),
            (Decision::Cancelled, _) => {
                Err("cancelled by the person asked: nothing was sent".into())
            }
            (Decision::TimedOut, _) => {
                Err("no answer from the person asked in time: nothing was sent".into())
            }
        }
    }
}

fn text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Effect, EffectKind, Guard};
    use serde_json::json;

    fn delete_tenant() -> Question {
        let consent = Consent::of(
            &[Guard::Confirm {
                field: "confirm".into(),
                equals_path_param: "slug".into(),
            }],
            &[Effect {
                kind: EffectKind::IrreversiblePurge {
                    cascade: vec!["Stripe".into()],
                },
                when: None,
            }],
        )
        .expect("asks");
        Question::for_call(&consent, "DELETE /t/acme".into(), &|_, _| None, &|p| {
            (p == "slug").then(|| json!("acme"))
        })
        .expect("a question")
    }

    #[test]
    fn only_the_targets_own_value_lets_it_go() {
        let question = delete_tenant();
        assert!(question.message().contains("Type the slug (`acme`)"));
        let agreed = |typed: &str| Decision::Agreed {
            typed: Some(typed.to_string()),
        };
        assert_eq!(question.judge(&agreed("acme")), Ok(()));
        assert!(question.judge(&agreed("acme-co")).is_err());
        assert!(question.judge(&Decision::Agreed { typed: None }).is_err());
        assert!(question.judge(&Decision::Declined).is_err());
        assert!(question.judge(&Decision::TimedOut).is_err());
    }
}
