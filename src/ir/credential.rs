use serde::{Deserialize, Serialize};

use super::ServiceId;

/// Names a [`Credential`]: the security scheme's key in the spec.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CredentialId(pub String);

/// Names a [`RoutingHeader`]: the security scheme's key in the spec.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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
    /// Who issues the token, for OAuth2 and OpenID Connect schemes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<Issuer>,
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    /// `Authorization: <scheme> <credentials>` for an HTTP scheme other than
    /// bearer and basic (e.g. `Digest`), spelled as the spec spells it.
    Authorization {
        scheme: String,
    },
    /// A TLS client certificate (`mutualTLS`): nothing travels in the request.
    ClientCertificate,
}

/// Where an OAuth2 or OpenID Connect access token comes from. Such a token
/// travels as `Authorization: Bearer`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Issuer {
    OAuth2 { flows: Vec<OAuthFlow> },
    OpenIdConnect { url: String },
}

/// One OAuth2 flow with the scopes it can grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OAuthFlow {
    pub grant: Grant,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_url: Option<String>,
    /// Scope names with their descriptions, in spec order.
    pub scopes: Vec<(String, String)>,
}

/// The OAuth2 grant a flow uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Grant {
    Implicit,
    Password,
    ClientCredentials,
    AuthorizationCode,
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
            Placement::Authorization { scheme } => format!("Authorization: {scheme}"),
            Placement::ClientCertificate => "TLS client certificate".to_string(),
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
