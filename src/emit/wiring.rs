//! What a running tool needs to reach the API, in the shape both the MCP
//! manifests and the CLI route map carry it: each service's base URL with the
//! environment variable of every server variable, and where each credential
//! and routing header travels and which variable holds it. A shared helper
//! like `markdown`, not an emitter; how a body is encoded is the IR's
//! [`crate::ir::BodyEncoding`].

use serde_json::{Map, Value, json};

use crate::ir::{Api, Credential, Issuer, OAuthFlow, Placement, RoutingHeader, Service};
use crate::naming;

/// `{id: {name, base_url, variables: {name: {default, env}}}}` for `services`.
pub fn services<'a>(api: &Api, services: impl Iterator<Item = &'a Service>) -> Value {
    let entries: Map<String, Value> = services
        .map(|s| {
            let variables: Map<String, Value> = s
                .variables
                .iter()
                .map(|v| {
                    let env = naming::variable_env_var(api, &v.name);
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
