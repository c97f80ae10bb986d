//! What a running tool needs to reach the API, in the shape both the MCP
//! manifests and the CLI route map carry it: each service's base URL with the
//! environment variable of every server variable, and where each credential
//! and routing header travels and which variable holds it. A shared helper
//! like `markdown`, not an emitter.

use serde_json::{Map, Value, json};

use crate::ir::{Api, Credential, Placement, RoutingHeader, Service};
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

/// `{id: {in, name?, env}}` for `credentials`.
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
