//! Reads `components/securitySchemes` — every kind OpenAPI 3.0 and 3.1
//! define — into credentials and routing headers. The schemes are read from
//! the document itself, because `openapiv3` has no model for `mutualTLS`.

use std::path::Path;

use indexmap::IndexMap;
use serde_json::{Map, Value};

use super::declarations;
use crate::error::{Error, Result, escape_token};
use crate::ir::{
    Credential, CredentialId, Grant, Issuer, OAuthFlow, Placement, RoutingHeader, RoutingHeaderId,
    Service,
};

/// What one security scheme says, before it is sorted into a credential or
/// a routing header.
struct Scheme {
    at: String,
    placement: Placement,
    issuer: Option<Issuer>,
    description: Option<String>,
    extensions: IndexMap<String, Value>,
}

/// Splits the security schemes into credentials and routing headers.
pub fn schemes(
    raw: &Map<String, Value>,
    file: &Path,
    services: &[Service],
) -> Result<(Vec<Credential>, Vec<RoutingHeader>)> {
    let mut credentials = Vec::new();
    let mut routing = Vec::new();
    for (name, value) in raw {
        let scheme = read_scheme(raw, name, value, file)?;
        let at = &scheme.at;
        let extensions = &scheme.extensions;
        let summary =
            match declarations::read::<String>(file, at, extensions, declarations::SUMMARY)? {
                Some(summary) => summary,
                None => crate::text::first_sentence(scheme.description.as_deref().unwrap_or(name)),
            };
        let is_routing = declarations::read::<bool>(file, at, extensions, declarations::ROUTING)?
            .unwrap_or(false);
        if is_routing {
            let Placement::Header { name: header } = scheme.placement else {
                return Err(Error::at_pointer(
                    file,
                    &format!("{at}/{}", declarations::ROUTING),
                    "a routing header must be an apiKey scheme `in: header`",
                ));
            };
            routing.push(RoutingHeader {
                id: RoutingHeaderId(name.clone()),
                header,
                summary,
                description: scheme.description,
                env: declarations::env_var(file, at, extensions)?,
            });
            continue;
        }
        let declared: Vec<String> =
            declarations::read(file, at, extensions, declarations::SERVICES)?.unwrap_or_default();
        for id in &declared {
            if !services.iter().any(|s| &s.id.0 == id) {
                return Err(Error::at_pointer(
                    file,
                    &format!("{at}/{}", declarations::SERVICES),
                    format!("unknown service {id:?}"),
                ));
            }
        }
        credentials.push(Credential {
            id: CredentialId(name.clone()),
            summary,
            description: scheme.description,
            placement: scheme.placement,
            issuer: scheme.issuer,
            services: declared.into_iter().map(crate::ir::ServiceId).collect(),
            env: declarations::env_var(file, at, extensions)?,
        });
    }
    Ok((credentials, routing))
}

/// Reads one scheme, following a `$ref` to another scheme.
fn read_scheme(raw: &Map<String, Value>, name: &str, value: &Value, file: &Path) -> Result<Scheme> {
    let at = format!("/components/securitySchemes/{}", escape_token(name));
    let mut object = value;
    for _ in 0..16 {
        let Some(reference) = object.get("$ref") else {
            break;
        };
        let target = reference
            .as_str()
            .and_then(|r| r.strip_prefix("#/components/securitySchemes/"))
            .map(|n| n.replace("~1", "/").replace("~0", "~"))
            .and_then(|n| raw.get(&n))
            .ok_or_else(|| {
                Error::at_pointer(file, &format!("{at}/$ref"), "dangling security scheme $ref")
            })?;
        object = target;
    }
    let fields = Fields {
        object,
        file,
        at: &at.clone(),
    };
    let kind = fields.string("type")?;
    let (placement, issuer) = match kind.as_str() {
        "apiKey" => {
            let name = fields.string("name")?;
            let placement = match fields.string("in")?.as_str() {
                "header" => Placement::Header { name },
                "query" => Placement::Query { name },
                "cookie" => Placement::Cookie { name },
                other => {
                    return Err(fields.error("in", format!("unknown apiKey location {other:?}")));
                }
            };
            (placement, None)
        }
        "http" => (http_placement(&fields.string("scheme")?), None),
        "oauth2" => (
            Placement::Bearer,
            Some(Issuer::OAuth2 {
                flows: oauth_flows(&fields)?,
            }),
        ),
        "openIdConnect" => (
            Placement::Bearer,
            Some(Issuer::OpenIdConnect {
                url: fields.string("openIdConnectUrl")?,
            }),
        ),
        "mutualTLS" => (Placement::ClientCertificate, None),
        other => {
            return Err(fields.error("type", format!("unknown security scheme type {other:?}")));
        }
    };
    let extensions = object
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| k.starts_with("x-"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Ok(Scheme {
        at,
        placement,
        issuer,
        description: fields.optional_string("description")?,
        extensions,
    })
}

/// HTTP auth schemes are case-insensitive (RFC 9110); bearer and basic have
/// their own placements, any other travels as `Authorization: <scheme> …`.
fn http_placement(scheme: &str) -> Placement {
    match scheme.to_ascii_lowercase().as_str() {
        "bearer" => Placement::Bearer,
        "basic" => Placement::Basic,
        _ => Placement::Authorization {
            scheme: scheme.to_string(),
        },
    }
}

fn oauth_flows(fields: &Fields<'_>) -> Result<Vec<OAuthFlow>> {
    let Some(flows) = fields.object.get("flows") else {
        return Err(fields.error("flows", "an oauth2 scheme needs `flows`"));
    };
    let kinds = [
        ("implicit", Grant::Implicit),
        ("password", Grant::Password),
        ("clientCredentials", Grant::ClientCredentials),
        ("authorizationCode", Grant::AuthorizationCode),
    ];
    let mut out = Vec::new();
    for (key, grant) in kinds {
        let Some(flow) = flows.get(key) else {
            continue;
        };
        let at = format!("{}/flows/{key}", fields.at);
        let flow_fields = Fields {
            object: flow,
            file: fields.file,
            at: &at,
        };
        let scopes = match flow.get("scopes") {
            Some(Value::Object(scopes)) => scopes
                .iter()
                .map(|(name, description)| {
                    let description = description.as_str().unwrap_or_default().to_string();
                    (name.clone(), description)
                })
                .collect(),
            _ => Vec::new(),
        };
        out.push(OAuthFlow {
            grant,
            authorization_url: flow_fields.optional_string("authorizationUrl")?,
            token_url: flow_fields.optional_string("tokenUrl")?,
            refresh_url: flow_fields.optional_string("refreshUrl")?,
            scopes,
        });
    }
    Ok(out)
}

/// Typed access to a scheme's fields, with errors at their pointers.
struct Fields<'a> {
    object: &'a Value,
    file: &'a Path,
    at: &'a str,
}

impl Fields<'_> {
    fn error(&self, key: &str, message: impl Into<String>) -> Error {
        Error::at_pointer(self.file, &format!("{}/{key}", self.at), message)
    }

    fn string(&self, key: &str) -> Result<String> {
        self.optional_string(key)?
            .ok_or_else(|| Error::at_pointer(self.file, self.at, format!("missing `{key}`")))
    }

    fn optional_string(&self, key: &str) -> Result<Option<String>> {
        match self.object.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(self.error(key, format!("`{key}` must be a string"))),
        }
    }
}
