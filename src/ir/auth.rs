use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    pub credentials: Vec<CredentialId>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub routing: Vec<RoutingHeaderId>,
    /// The OAuth2 / OpenID Connect scopes each credential of this alternative
    /// must carry; credentials without scopes are absent.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub scopes: BTreeMap<CredentialId, Vec<String>>,
}

impl Requirement {
    /// The scopes `credential` must carry in this alternative (often none).
    pub fn scopes_of(&self, credential: &CredentialId) -> &[String] {
        self.scopes.get(credential).map_or(&[], Vec::as_slice)
    }

    /// Every scope this alternative needs, as `credential: scope` pairs in order.
    pub fn all_scopes(&self) -> impl Iterator<Item = (&CredentialId, &String)> {
        self.scopes
            .iter()
            .flat_map(|(id, scopes)| scopes.iter().map(move |s| (id, s)))
    }
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
