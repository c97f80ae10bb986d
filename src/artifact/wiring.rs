//! What a running tool needs to reach the API, the same in the MCP
//! manifests and the CLI route map: each service's base URL with the
//! environment variable of every server variable, and where each credential
//! and routing header travels and which variable holds it.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::ir::{Grant, Issuer, OAuthFlow, Placement};

/// A service: a base URL whose `{variables}` come from the environment,
/// else their defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub name: String,
    pub base_url: String,
    /// In declaration order.
    pub variables: IndexMap<String, Variable>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variable {
    pub default: String,
    #[serde(deserialize_with = "super::form::env")]
    pub env: String,
}

impl Service {
    /// The base URL with every variable filled in from `env`, else its default.
    pub fn base_url(&self, env: &dyn Fn(&str) -> Option<String>) -> String {
        self.variables
            .iter()
            .fold(self.base_url.clone(), |url, (name, variable)| {
                let value = env(&variable.env).unwrap_or_else(|| variable.default.clone());
                url.replace(&format!("{{{name}}}"), &value)
            })
    }
}

/// Where a credential travels (`in`, with `name` or `scheme`), which
/// environment variable holds it, and where an OAuth2 or OpenID Connect
/// token comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "CredentialFields")]
pub struct Credential {
    #[serde(flatten)]
    pub placement: Placement,
    pub env: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<TokenIssuer>,
}

/// A credential as it is read: flat, so that an unknown key is refused
/// (serde cannot refuse one beside a flattened field).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CredentialFields {
    #[serde(rename = "in")]
    travels: Travels,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    scheme: Option<String>,
    #[serde(deserialize_with = "super::form::env")]
    env: String,
    #[serde(default)]
    issuer: Option<TokenIssuer>,
}

/// The `in` of a credential.
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Travels {
    Bearer,
    Basic,
    Authorization,
    Header,
    Cookie,
    Query,
    ClientCertificate,
}

impl TryFrom<CredentialFields> for Credential {
    type Error = String;

    fn try_from(fields: CredentialFields) -> Result<Self, String> {
        let named = |travels: &str| {
            fields
                .name
                .clone()
                .ok_or_else(|| format!("a credential in a {travels} needs its `name`"))
        };
        let placement = match fields.travels {
            Travels::Bearer => Placement::Bearer,
            Travels::Basic => Placement::Basic,
            Travels::Authorization => Placement::Authorization {
                scheme: fields
                    .scheme
                    .clone()
                    .ok_or("a credential in `authorization` needs its `scheme`")?,
            },
            Travels::Header => Placement::Header {
                name: named("header")?,
            },
            Travels::Cookie => Placement::Cookie {
                name: named("cookie")?,
            },
            Travels::Query => Placement::Query {
                name: named("query")?,
            },
            Travels::ClientCertificate => Placement::ClientCertificate,
        };
        Ok(Credential {
            placement,
            env: fields.env,
            issuer: fields.issuer,
        })
    }
}

impl Credential {
    /// The `Authorization` value for `value`, for placements that use it.
    pub fn authorization(&self, value: &str) -> Option<String> {
        match &self.placement {
            Placement::Bearer => Some(format!("Bearer {value}")),
            Placement::Authorization { scheme } => Some(format!("{scheme} {value}")),
            _ => None,
        }
    }
}

/// Where an OAuth2 or OpenID Connect token comes from; the IR's
/// [`Issuer`] with each flow's scopes as a map of descriptions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", deny_unknown_fields)]
pub enum TokenIssuer {
    #[serde(rename = "oauth2")]
    OAuth2 { flows: Vec<Flow> },
    #[serde(rename = "openid-connect")]
    OpenIdConnect { url: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Flow {
    pub grant: Grant,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_url: Option<String>,
    /// Scope names with their descriptions, in spec order.
    pub scopes: IndexMap<String, String>,
}

impl From<&Issuer> for TokenIssuer {
    fn from(issuer: &Issuer) -> Self {
        match issuer {
            Issuer::OAuth2 { flows } => TokenIssuer::OAuth2 {
                flows: flows.iter().map(Flow::from).collect(),
            },
            Issuer::OpenIdConnect { url } => TokenIssuer::OpenIdConnect { url: url.clone() },
        }
    }
}

impl From<&OAuthFlow> for Flow {
    fn from(flow: &OAuthFlow) -> Self {
        Flow {
            grant: flow.grant,
            authorization_url: flow.authorization_url.clone(),
            token_url: flow.token_url.clone(),
            refresh_url: flow.refresh_url.clone(),
            scopes: flow.scopes.iter().cloned().collect(),
        }
    }
}

/// A routing header and the environment variable that holds its value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Routing {
    pub header: String,
    #[serde(deserialize_with = "super::form::env")]
    pub env: String,
}
