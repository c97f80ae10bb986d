//! A synthetic spec with the management spec's shape, scaled to N operations:
//! two services, every credential kind (cookie session, admin bearer, shared
//! secret plus tenant admin token, org key, workspace token, OAuth2 with
//! scopes, OpenID Connect, mutual TLS, Digest), a routing header, tags,
//! schemas with `$ref`s, guards and effects. Scaling is then measured on
//! realistic structure, not on empty operations.
//!
//! Used by the criterion benches (`mod synth;`) and by the `synth-spec`
//! example that `benches/compare.sh` runs: `cargo run --release --example
//! synth-spec -- 1000 > spec.json`.

use serde_json::{Map, Value, json};

/// Operations per resource group; N is rounded up to a multiple of it.
pub const GROUP: usize = 10;

/// The spec as JSON text (tiergen reads JSON fastest; so do the peers).
pub fn spec_json(operations: usize) -> String {
    serde_json::to_string_pretty(&spec(operations)).unwrap_or_default()
}

pub fn spec(operations: usize) -> Value {
    let groups = operations.div_ceil(GROUP).max(1);
    let mut paths = Map::new();
    let mut schemas = Map::new();
    let mut tags = Vec::new();
    schemas.insert("Problem".into(), problem());
    schemas.insert("Meta".into(), meta());
    for g in 0..groups {
        tags.push(
            json!({ "name": format!("res{g}"), "description": format!("Resource group {g}.") }),
        );
        add_group(g, &mut paths, &mut schemas);
    }
    json!({
        "openapi": "3.1.0",
        "info": { "title": "Synthetic Platform", "version": "1.0.0", "x-tiergen-package": "synthetic-client" },
        "servers": [
            { "url": "https://api.example.com", "x-tiergen-service": {
                "id": "control-plane", "name": "Control plane", "path_prefixes": ["/api/v1"], "command": "cp" } },
            { "url": "https://{slug}.example.com", "variables": { "slug": { "default": "acme" } },
              "x-tiergen-service": {
                "id": "tenant", "name": "Tenant server", "path_prefixes": ["/workspaces", "/org"], "command": "" } }
        ],
        "tags": tags,
        "paths": paths,
        "components": { "securitySchemes": security_schemes(), "schemas": schemas }
    })
}

fn security_schemes() -> Value {
    json!({
        "session": { "type": "apiKey", "in": "cookie", "name": "session", "description": "A browser session.",
                     "x-tiergen-services": ["control-plane"] },
        "admin": { "type": "http", "scheme": "bearer", "description": "The operator's admin token.",
                   "x-tiergen-services": ["control-plane"] },
        "provision": { "type": "apiKey", "in": "header", "name": "X-Provision-Secret", "description": "The shared provisioning secret." },
        "tenantAdmin": { "type": "apiKey", "in": "header", "name": "X-Tenant-Admin", "description": "The per-tenant admin token." },
        "orgKey": { "type": "http", "scheme": "bearer", "description": "An org API key.", "x-tiergen-services": ["tenant"] },
        "workspaceToken": { "type": "http", "scheme": "bearer", "description": "A per-workspace token.", "x-tiergen-services": ["tenant"] },
        "oauth": { "type": "oauth2", "description": "OAuth2.", "flows": { "clientCredentials": {
            "tokenUrl": "https://auth.example.com/token",
            "scopes": { "read": "Read.", "write": "Write.", "admin": "Everything." } } } },
        "oidc": { "type": "openIdConnect", "openIdConnectUrl": "https://auth.example.com/.well-known/openid-configuration" },
        "mtls": { "type": "mutualTLS", "description": "A client certificate." },
        "digest": { "type": "http", "scheme": "Digest", "description": "HTTP Digest." },
        "orgId": { "type": "apiKey", "in": "header", "name": "X-Org-Id", "description": "Routes to the org.",
                   "x-tiergen-routing": true }
    })
}

fn add_group(g: usize, paths: &mut Map<String, Value>, schemas: &mut Map<String, Value>) {
    let res = format!("Res{g}");
    let tag = format!("res{g}");
    let r = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });
    let ok = |schema: Value| json!({ "description": "OK.", "content": { "application/json": { "schema": schema } } });
    let problem = json!({ "description": "Failed.", "content": { "application/json": { "schema": r("Problem") } } });
    let id = |op: &str| format!("{op}Res{g}");
    let slug =
        json!({ "name": "slug", "in": "path", "required": true, "schema": { "type": "string" } });
    let wid = json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } });

    schemas.insert(
        res.clone(),
        json!({
            "type": "object", "required": ["id", "name"],
            "properties": {
                "id": { "type": "string", "format": "uuid" },
                "name": { "type": "string", "minLength": 1 },
                "status": { "type": "string", "enum": ["active", "paused", "deleted"] },
                "labels": { "type": "object", "additionalProperties": { "type": "string" } },
                "parent": { "oneOf": [r(&res), { "type": "null" }] },
                "meta": r("Meta"),
                "created_at": { "type": "string", "format": "date-time" }
            }
        }),
    );
    schemas.insert(format!("New{res}"), json!({
        "type": "object", "required": ["name"],
        "properties": { "name": { "type": "string" }, "labels": { "type": "object", "additionalProperties": { "type": "string" } },
                        "confirm": { "type": "string" } }
    }));
    schemas.insert(format!("{res}Token"), json!({
        "type": "object", "required": ["token"],
        "properties": { "token": { "type": "string", "x-tiergen-sensitive": true }, "expires_at": { "type": "string", "format": "date-time" } }
    }));
    schemas.insert(format!("{res}Env"), json!({
        "type": "object", "required": ["env"],
        "properties": { "env": { "type": "object", "additionalProperties": { "type": "string" } }, "force": { "type": "boolean" } }
    }));

    let cp = format!("/api/v1/{tag}");
    paths.insert(cp.clone(), json!({
        "get": { "operationId": id("list"), "tags": [tag], "summary": format!("List resources of group {g}."),
                 "security": [{ "admin": [] }, { "session": [] }, { "oauth": ["read"] }],
                 "parameters": [{ "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 100 } }],
                 "responses": { "200": ok(json!({ "type": "array", "items": r(&res) })), "default": problem } },
        "post": { "operationId": id("create"), "tags": [tag], "summary": "Create one.",
                  "security": [{ "admin": [] }, { "oauth": ["write"] }],
                  "parameters": [{ "name": "dry_run", "in": "query", "schema": { "type": "boolean" } }],
                  "requestBody": { "required": true, "content": { "application/json": { "schema": r(&format!("New{res}")) } } },
                  "responses": { "200": ok(r(&format!("New{res}"))), "201": ok(r(&res)), "default": problem },
                  "x-tiergen-guards": [{ "kind": "dry-run", "param": "dry_run", "status": 200 }] }
    }));
    paths.insert(format!("{cp}/{{slug}}"), json!({
        "parameters": [slug],
        "get": { "operationId": id("get"), "tags": [tag], "security": [{ "admin": [] }, { "oidc": ["openid"] }],
                 "responses": { "200": ok(r(&res)), "404": problem } },
        "patch": { "operationId": id("update"), "tags": [tag], "security": [{ "admin": [] }, { "digest": [] }],
                   "requestBody": { "content": { "application/json": { "schema": r(&format!("New{res}")) } } },
                   "responses": { "200": ok(r(&res)) } },
        "delete": { "operationId": id("delete"), "tags": [tag], "security": [{ "admin": [] }],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": r(&format!("New{res}")) } } },
                    "responses": { "204": { "description": "Gone." } },
                    "x-tiergen-guards": [{ "kind": "confirm", "field": "confirm", "equals_path_param": "slug" }],
                    "x-tiergen-effects": [{ "kind": "irreversible-purge", "cascade": ["database", "object storage"] }] }
    }));
    let ws = format!("/workspaces/{tag}/{{id}}");
    paths.insert(format!("{ws}/restart"), json!({
        "post": { "operationId": id("restart"), "tags": [tag], "parameters": [wid],
                  "security": [{ "workspaceToken": [], "orgId": [] }, { "orgKey": [], "orgId": [] }],
                  "responses": { "202": { "description": "Restarting." } },
                  "x-tiergen-effects": [{ "kind": "restarts-workspace" }] }
    }));
    paths.insert(format!("{ws}/env"), json!({
        "put": { "operationId": id("setEnv"), "tags": [tag], "parameters": [wid],
                 "security": [{ "orgKey": [], "orgId": [] }, { "mtls": [], "orgId": [] }],
                 "requestBody": { "required": true, "content": { "application/json": { "schema": r(&format!("{res}Env")) } } },
                 "responses": { "204": { "description": "Set." } },
                 "x-tiergen-guards": [{ "kind": "force", "field": "force", "keys_of": "env", "pattern": "TOKEN|SECRET|KEY" }] }
    }));
    paths.insert(format!("{ws}/provision"), json!({
        "post": { "operationId": id("provision"), "tags": [tag], "parameters": [wid],
                  "security": [{ "provision": [], "orgId": [] }],
                  "responses": { "201": ok(r(&res)),
                                 "422": { "description": "No runtime pin.", "content": { "application/json": { "schema": r("Problem") } } } },
                  "x-tiergen-guards": [{ "kind": "precondition", "status": 422, "code": "RUNTIME_PIN_MISSING", "when": "no pin exists" }] }
    }));
    paths.insert(ws.clone(), json!({
        "delete": { "operationId": id("deprovision"), "tags": [tag], "parameters": [wid,
                        { "name": "prune", "in": "query", "schema": { "type": "boolean" } }],
                    "security": [{ "provision": [], "tenantAdmin": [], "orgId": [] }],
                    "responses": { "204": { "description": "Gone." } },
                    "x-tiergen-guards": [{ "kind": "destructive-flag", "param": "prune", "value": "true",
                                           "effect": "permanently deletes the data volume" }],
                    "x-tiergen-effects": [{ "kind": "cascade-delete", "what": "the instance" }] }
    }));
    paths.insert(
        format!("/org/{tag}/tokens"),
        json!({
            "post": { "operationId": id("mintToken"), "tags": [tag],
                      "security": [{ "orgKey": [], "orgId": [] }],
                      "responses": { "201": ok(r(&format!("{res}Token"))) },
                      "x-tiergen-effects": [{ "kind": "secret-shown-once", "field": "token" }] }
        }),
    );
}

fn problem() -> Value {
    json!({ "type": "object", "required": ["code"],
            "properties": { "code": { "type": "string" }, "message": { "type": "string" },
                            "status": { "type": "integer" } } })
}

fn meta() -> Value {
    json!({ "type": "object", "properties": {
        "revision": { "type": "integer" }, "etag": { "type": ["string", "null"] },
        "owner": { "type": "string", "format": "email" } } })
}
