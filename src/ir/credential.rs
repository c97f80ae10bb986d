use serde::Serialize;

use super::ServiceId;

/// Names a [`Credential`]: the security scheme's key in the spec.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct CredentialId(pub String);

/// Names a [`RoutingHeader`]: the security scheme's key in the spec.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct RoutingHeaderId(pub String);

impl std::fmt::Display for CredentialId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::fmt::Display for RoutingHeaderId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A credential tier: one security scheme that proves who the caller is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Credential {
    pub id: CredentialId,
    /// One sentence saying what the credential is.
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub placement: Placement,
    /// Services this credential is meant for, when the spec declares them
    /// (`x-tiergen-services`); empty means undeclared.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<ServiceId>,
    /// The environment variable running tools read it from (`x-tiergen-env`),
    /// when declared; otherwise the naming rules derive it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub env: Option<String>,
}

/// Where a credential travels on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "in", rename_all = "kebab-case")]
pub enum Placement {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// `Authorization: Basic <user:password>`.
    Basic,
    Header {
        name: String,
    },
    Cookie {
        name: String,
    },
    Query {
        name: String,
    },
}

impl Placement {
    /// How the credential looks on the wire, for people.
    pub fn wire(&self) -> String {
        match self {
            Placement::Bearer => "Authorization: Bearer".to_string(),
            Placement::Basic => "Authorization: Basic".to_string(),
            Placement::Header { name } => format!("header {name}"),
            Placement::Cookie { name } => format!("cookie {name}"),
            Placement::Query { name } => format!("query ?{name}="),
        }
    }
}

/// A header that routes a request to the right tenant. It is declared as a
/// security scheme (so operations can require it) but proves nothing itself;
/// the spec may also list it as a header parameter — it is one header.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoutingHeader {
    pub id: RoutingHeaderId,
    /// The HTTP header name, e.g. `X-Molecule-Org-Id`.
    pub header: String,
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The environment variable running tools read it from (`x-tiergen-env`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub env: Option<String>,
}
