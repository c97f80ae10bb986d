//! What a running tool needs to reach the API, in the shape both the MCP
//! manifests and the CLI route map carry it: each service's base URL with the
//! environment variable of every server variable, and where each credential
//! and routing header travels and which variable holds it; and how a request
//! body is encoded. A shared helper like `markdown`, not an emitter.

use serde_json::{Map, Value, json};

use crate::ir::{
    Api, Body, Credential, Issuer, OAuthFlow, Placement, RoutingHeader, Scalar, Service, Shape,
    Type,
};
use crate::naming;

/// `{id: {name, base_url, variables: {name: {default, env}}}}` for `services`.
pub fn services<'a>(api: &Api, services: impl Iterator<Item = &'a Service>) -> Value {
    let entries: Map<String, Value> = services
        .map(|s| {
            let variables: Map<String, Value> = s
                .variables
                .iter()
                .map(|v| {
                    let env = naming::env_var(api, &v.name, None);
                    (v.name.clone(), json!({ "default": v.default, "env": env }))
                })
                .collect();
            (
                s.id.0.clone(),
                json!({ "name": s.name, "base_url": s.base_url, "variables": variables }),
            )
        })
        .collect();
    Value::Object(entries)
}

/// `{id: {in, name?, scheme?, env, issuer?}}` for `credentials`; `issuer`
/// says where an OAuth2 or OpenID Connect token comes from.
pub fn credentials<'a>(api: &Api, credentials: impl Iterator<Item = &'a Credential>) -> Value {
    let entries: Map<String, Value> = credentials
        .map(|c| {
            let mut entry = match &c.placement {
                Placement::Bearer => json!({ "in": "bearer" }),
                Placement::Basic => json!({ "in": "basic" }),
                Placement::Header { name } => json!({ "in": "header", "name": name }),
                Placement::Cookie { name } => json!({ "in": "cookie", "name": name }),
                Placement::Query { name } => json!({ "in": "query", "name": name }),
                Placement::Authorization { scheme } => {
                    json!({ "in": "authorization", "scheme": scheme })
                }
                Placement::ClientCertificate => json!({ "in": "client-certificate" }),
            };
            entry["env"] = json!(naming::env_var(api, &c.id.0, c.env.as_deref()));
            if let Some(issuer) = &c.issuer {
                entry["issuer"] = issuer_facts(issuer);
            }
            (c.id.0.clone(), entry)
        })
        .collect();
    Value::Object(entries)
}

/// `{id: {header, env}}` for `headers`.
pub fn routing<'a>(api: &Api, headers: impl Iterator<Item = &'a RoutingHeader>) -> Value {
    let entries: Map<String, Value> = headers
        .map(|r| {
            let env = naming::env_var(api, &r.id.0, r.env.as_deref());
            (r.id.0.clone(), json!({ "header": r.header, "env": env }))
        })
        .collect();
    Value::Object(entries)
}

/// How to obtain a token: `{kind: "oauth2", flows: [...]}` or
/// `{kind: "openid-connect", url}`.
fn issuer_facts(issuer: &Issuer) -> Value {
    match issuer {
        Issuer::OAuth2 { flows } => json!({
            "kind": "oauth2",
            "flows": flows.iter().map(flow_facts).collect::<Vec<Value>>(),
        }),
        Issuer::OpenIdConnect { url } => json!({ "kind": "openid-connect", "url": url }),
    }
}

fn flow_facts(flow: &OAuthFlow) -> Value {
    let mut facts = Map::new();
    facts.insert("grant".into(), json!(flow.grant));
    for (key, url) in [
        ("authorization_url", &flow.authorization_url),
        ("token_url", &flow.token_url),
        ("refresh_url", &flow.refresh_url),
    ] {
        if let Some(url) = url {
            facts.insert(key.into(), json!(url));
        }
    }
    let scopes: Map<String, Value> = flow
        .scopes
        .iter()
        .map(|(name, description)| (name.clone(), json!(description)))
        .collect();
    facts.insert("scopes".into(), Value::Object(scopes));
    Value::Object(facts)
}

/// How a request body travels, decided by its media type and shape. Every
/// artifact names it, so a running tool knows how to put arguments on the
/// wire (or that it cannot).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// JSON (`application/json`, `*/*+json`): the arguments as they are.
    Json,
    /// `application/x-www-form-urlencoded`: one `name=value` per field.
    Form,
    /// `multipart/*`: one part per field; binary fields are files.
    Multipart,
    /// Raw bytes (`application/octet-stream`, images, a binary string):
    /// given base64-encoded.
    Binary,
    /// Text (`text/*`, or a string schema): sent as it is.
    Text,
    /// Anything else (XML built from an object, say): described, not sent.
    Unsupported,
}

impl BodyEncoding {
    pub fn as_str(self) -> &'static str {
        match self {
            BodyEncoding::Json => "json",
            BodyEncoding::Form => "form",
            BodyEncoding::Multipart => "multipart",
            BodyEncoding::Binary => "binary",
            BodyEncoding::Text => "text",
            BodyEncoding::Unsupported => "unsupported",
        }
    }

    /// True when the body's top-level fields can be separate arguments.
    pub fn has_fields(self) -> bool {
        matches!(
            self,
            BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart
        )
    }
}

/// The encoding of `body`, looking through one reference for its shape.
pub fn body_encoding(api: &Api, body: &Body) -> BodyEncoding {
    let media = body
        .media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let ty = resolved(api, &body.ty);
    if media == "application/json" || media.ends_with("+json") || media.ends_with("/json") {
        BodyEncoding::Json
    } else if media == "application/x-www-form-urlencoded" {
        BodyEncoding::Form
    } else if media.starts_with("multipart/") {
        BodyEncoding::Multipart
    } else if is_binary(api, ty) {
        BodyEncoding::Binary
    } else if media.starts_with("text/") || is_string(ty) {
        BodyEncoding::Text
    } else if media == "*/*" {
        // Any media type will do: JSON is one.
        BodyEncoding::Json
    } else if matches!(ty.shape, Shape::Any) {
        // No schema: whatever bytes the caller has.
        BodyEncoding::Binary
    } else {
        BodyEncoding::Unsupported
    }
}

/// True for a string of raw bytes (`format: binary`), through one reference.
pub fn is_binary(api: &Api, ty: &Type) -> bool {
    matches!(
        &resolved(api, ty).shape,
        Shape::Scalar { scalar: Scalar::String, format: Some(format), .. } if format == "binary"
    )
}

fn is_string(ty: &Type) -> bool {
    matches!(
        ty.shape,
        Shape::Scalar {
            scalar: Scalar::String,
            ..
        }
    )
}

/// `ty`, or what its top-level reference names.
fn resolved<'a>(api: &'a Api, ty: &'a Type) -> &'a Type {
    match &ty.shape {
        Shape::Ref { name } => api.named_type(name).map_or(ty, |t| &t.ty),
        _ => ty,
    }
}
