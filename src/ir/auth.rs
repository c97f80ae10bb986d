use serde::Serialize;

use super::{CredentialId, RoutingHeaderId};

/// Who may call an operation.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "any_of", rename_all = "kebab-case")]
pub enum Auth {
    /// `security: []` — no credential at all.
    Public,
    /// Any one of these alternatives; never empty.
    AnyOf(Vec<Requirement>),
}

/// One alternative: every credential and routing header in it must be sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Requirement {
    pub credentials: Vec<CredentialId>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub routing: Vec<RoutingHeaderId>,
}

impl Auth {
    pub fn alternatives(&self) -> &[Requirement] {
        match self {
            Auth::Public => &[],
            Auth::AnyOf(alternatives) => alternatives,
        }
    }

    /// True when some alternative lets a caller in without any credential.
    pub fn admits_anonymous(&self) -> bool {
        match self {
            Auth::Public => true,
            Auth::AnyOf(alternatives) => alternatives.iter().any(|a| a.credentials.is_empty()),
        }
    }

    /// True when `credential` alone, or together with others, opens this operation.
    pub fn accepts(&self, credential: &CredentialId) -> bool {
        self.alternatives()
            .iter()
            .any(|a| a.credentials.contains(credential))
    }
}
