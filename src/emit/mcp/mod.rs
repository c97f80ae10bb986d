//! MCP tool manifests: `mcp/<credential>.json`, one per credential that can
//! call something, each a `tools/list` result listing exactly what that
//! credential can call (alone, or with the companions an alternative needs),
//! plus the public operations of its services; and `mcp/public.json`, what
//! anyone may call without a credential, whenever the spec has such an
//! operation (a spec without security has only that one) or when no other
//! manifest would be written (a spec without operations: no tools).
//!
//! Each tool carries, in `_meta["tiergen/route"]`, what a server needs to
//! dispatch it: the service, method and path, where every argument goes, how
//! the body is encoded, the credential alternatives that apply with the
//! OAuth2/OpenID Connect scopes each needs, and the guards to enforce. The
//! manifest's own `_meta["tiergen/server"]` says where each service lives,
//! which environment variable holds each credential, and where an OAuth2 or
//! OpenID Connect token comes from.
//!
//! Tool names are the naming rules' (rule 6), made safe for MCP hosts:
//! characters outside `[A-Za-z0-9_-]` become `_`, and a name longer than 64
//! characters keeps its beginning and ends in `_` + a hash of the whole name.
//!
//! Arguments: path, query, header and cookie parameters keep their spec
//! names; the top-level properties of an object body (one with declared
//! properties, sent as JSON, a form or multipart) are arguments too, and one
//! that clashes with a parameter is renamed `body_<name>` (then `_2`, `_3`,
//! …). Any other body is one argument, `body`. Raw bytes — a binary body, or
//! a binary field of a multipart body — are base64 strings
//! (`contentEncoding: base64`); a text body is a string. Routing headers and
//! credentials are never arguments.

mod schema;

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::Files;
use super::wiring;
use crate::ir::{
    Api, BodyEncoding, CredentialId, Direction, EffectKind, Guard, Operation, ParamLocation,
    Placement, Requirement, Status,
};
use crate::naming::plan;
use schema::SchemaBuilder;

/// The `_meta` key of a tool's dispatch facts.
pub const ROUTE_META: &str = "tiergen/route";
/// The `_meta` key of a manifest's server facts.
pub const SERVER_META: &str = "tiergen/server";

pub fn emit(api: &Api) -> Result<Files, String> {
    let mut files = Files::default();
    for manifest in plan::manifests(api) {
        let name = &manifest.stem;
        files.insert(
            format!("mcp/{name}.json"),
            document(api, manifest.credential.as_ref(), &manifest.tools)
                .map_err(|e| format!("manifest {name}: {e}"))?,
        );
    }
    Ok(files)
}

/// One `tools/list` document: the tools sorted by name, and the server facts.
fn document(
    api: &Api,
    credential: Option<&CredentialId>,
    tools: &[plan::Tool<'_>],
) -> Result<String, serde_json::Error> {
    let mut rendered: Vec<Value> = tools.iter().map(|t| tool(api, t)).collect();
    rendered.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    let mut document = Map::new();
    // What the 2026-07-28 revision requires of a `tools/list` result (the
    // 2025-11-25 one ignores it): complete, the same for every caller (the
    // list is fixed by the file, not by who asks), and no caching promised.
    document.insert("resultType".into(), json!("complete"));
    document.insert("cacheScope".into(), json!("public"));
    document.insert("ttlMs".into(), json!(0));
    document.insert("tools".into(), Value::Array(rendered));
    let mut meta = Map::new();
    meta.insert(SERVER_META.into(), server_meta(api, credential, tools));
    document.insert("_meta".into(), Value::Object(meta));
    let mut text = serde_json::to_string_pretty(&Value::Object(document))?;
    text.push('\n');
    Ok(text)
}

fn tool(api: &Api, planned: &plan::Tool<'_>) -> Value {
    let (op, alternatives, name) = (planned.op, &planned.alternatives, &planned.name);
    let mut schemas = SchemaBuilder::new(api, Direction::Request);
    let arguments = plan::tool_arguments(api, op);
    let mut input = input_schema(op, &arguments, &mut schemas);
    if let Some(defs) = schemas.defs() {
        input.insert("$defs".into(), defs);
    }
    let mut tool = Map::new();
    tool.insert("name".into(), json!(name));
    let title = op.summary.clone().unwrap_or_else(|| op.id.clone());
    tool.insert("title".into(), json!(title));
    tool.insert(
        "description".into(),
        json!(description(api, op, alternatives)),
    );
    tool.insert("inputSchema".into(), Value::Object(input));
    let mut output_builder = SchemaBuilder::new(api, Direction::Response);
    if let Some(mut output) = output_schema(op, &mut output_builder) {
        if let Some(defs) = output_builder.defs() {
            output.insert("$defs".into(), defs);
        }
        tool.insert("outputSchema".into(), Value::Object(output));
    }
    tool.insert("annotations".into(), annotations(op, &title));
    let mut meta = Map::new();
    meta.insert(ROUTE_META.into(), route(api, op, alternatives, &arguments));
    tool.insert("_meta".into(), Value::Object(meta));
    Value::Object(tool)
}

fn body_encoding(api: &Api, op: &Operation) -> Option<BodyEncoding> {
    op.body.as_ref().map(|body| api.body_encoding(body))
}

/// The tool's `inputSchema`: one property per argument.
fn input_schema(
    op: &Operation,
    arguments: &[plan::ToolArgument<'_>],
    schemas: &mut SchemaBuilder<'_>,
) -> Map<String, Value> {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for argument in arguments {
        let (schema, needed) = match argument.source {
            plan::Source::Param(param) => {
                let mut schema = schemas.schema(&param.ty);
                annotate_param_guards(op, &param.name, param.location, &mut schema);
                (
                    schema,
                    param.required || param.location == ParamLocation::Path,
                )
            }
            plan::Source::Field {
                property,
                body_required,
            } => {
                let mut schema = if argument.base64 {
                    base64_schema(&property.ty, None)
                } else {
                    schemas.schema(&property.ty)
                };
                annotate_body_guards(op, &property.name, &mut schema);
                (schema, body_required && property.required)
            }
            plan::Source::Body => {
                let Some(body) = &op.body else { continue };
                let schema = if argument.base64 {
                    base64_schema(&body.ty, Some(&body.media_type))
                } else {
                    schemas.schema(&body.ty)
                };
                (schema, body.required)
            }
        };
        properties.insert(argument.name.clone(), schema);
        if needed {
            required.push(json!(argument.name));
        }
    }
    let mut input = Map::new();
    input.insert("type".into(), json!("object"));
    input.insert("properties".into(), Value::Object(properties));
    if !required.is_empty() {
        input.insert("required".into(), Value::Array(required));
    }
    input.insert("additionalProperties".into(), json!(false));
    input
}

/// Raw bytes as a tool argument: a base64 string (JSON cannot carry bytes).
fn base64_schema(ty: &crate::ir::Type, media_type: Option<&str>) -> Value {
    let mut schema = Map::new();
    schema.insert("type".into(), json!("string"));
    schema.insert("contentEncoding".into(), json!("base64"));
    if let Some(media_type) = media_type {
        schema.insert("contentMediaType".into(), json!(media_type));
    }
    let note = "The bytes, base64-encoded.";
    let description = match &ty.description {
        Some(text) => format!("{} {note}", text.trim()),
        None => note.to_string(),
    };
    schema.insert("description".into(), json!(description));
    Value::Object(schema)
}

fn annotate_param_guards(op: &Operation, name: &str, location: ParamLocation, schema: &mut Value) {
    if location != ParamLocation::Query {
        return;
    }
    for guard in &op.guards {
        let note = match guard {
            Guard::DryRun { param, status } if param == name => {
                format!("Dry run: true validates and echoes (answers {status}) without acting.")
            }
            Guard::DestructiveFlag {
                param,
                value,
                effect,
            } if param == name => {
                format!("PERMANENT: {value} {effect}.")
            }
            _ => continue,
        };
        append_description(schema, &note);
    }
}

fn annotate_body_guards(op: &Operation, field: &str, schema: &mut Value) {
    for guard in &op.guards {
        let note = match guard {
            Guard::Confirm {
                field: confirm,
                equals_path_param,
            } if confirm == field => format!(
                "Must equal `{equals_path_param}` exactly; otherwise the call is refused before it reaches the API."
            ),
            Guard::Force {
                field: force,
                keys_of,
                pattern,
            } if force == field => format!(
                "Set true to send keys of `{keys_of}` matching {pattern}; without it such keys are refused."
            ),
            _ => continue,
        };
        append_description(schema, &note);
    }
}

fn append_description(schema: &mut Value, note: &str) {
    if let Value::Object(map) = schema {
        let text = match map.get("description").and_then(Value::as_str) {
            Some(existing) => format!("{existing} {note}"),
            None => note.to_string(),
        };
        map.insert("description".into(), json!(text));
    }
}

/// The schema of a success answer that is a JSON object: arrays, scalars
/// and empty bodies get none (the server wraps them as `{"result": …}`).
fn output_schema(op: &Operation, schemas: &mut SchemaBuilder<'_>) -> Option<Map<String, Value>> {
    // Every success answer must have a body, or the `{"status": …}` the server
    // returns for an empty one would break the schema.
    let objects: Vec<Value> = op
        .responses
        .iter()
        .filter(|r| r.status.is_success())
        .map(|r| r.ty.as_ref().map(|ty| schemas.inline_schema(ty)))
        .collect::<Option<Vec<Value>>>()?;
    let all_objects = !objects.is_empty()
        && objects
            .iter()
            .all(|s| s.get("type").is_some_and(|t| t == "object"));
    if !all_objects {
        return None;
    }
    let mut distinct: Vec<Value> = Vec::new();
    for schema in objects {
        if !distinct.contains(&schema) {
            distinct.push(schema);
        }
    }
    match distinct.len() {
        1 => distinct.pop().and_then(|s| s.as_object().cloned()),
        _ => {
            let mut map = Map::new();
            map.insert("type".into(), json!("object"));
            map.insert("anyOf".into(), Value::Array(distinct));
            Some(map)
        }
    }
}

fn description(api: &Api, op: &Operation, alternatives: &[Requirement]) -> String {
    let mut parts = Vec::new();
    if let Some(summary) = &op.summary {
        parts.push(sentence(&plain(summary)));
    }
    if let Some(description) = &op.description {
        let first = plain(&crate::text::first_sentence(description));
        if !first.is_empty() {
            parts.push(sentence(&first));
        }
    }
    for guard in &op.guards {
        parts.push(sentence(&format!("Guard: {}", plain(&guard.describe()))));
    }
    for effect in &op.effects {
        parts.push(sentence(&format!("Effect: {}", plain(&effect.describe()))));
    }
    if op
        .effects
        .iter()
        .any(|e| matches!(e.kind, EffectKind::IrreversiblePurge { .. }))
    {
        parts.push("Irreversible.".to_string());
    }
    if let Some(scopes) = scopes_sentence(alternatives) {
        parts.push(scopes);
    }
    if let Some(certificate) = certificate_sentence(api, alternatives) {
        parts.push(certificate);
    }
    if body_encoding(api, op) == Some(BodyEncoding::Unsupported)
        && let Some(body) = &op.body
    {
        parts.push(format!(
            "Its {} body cannot be built from JSON arguments: tiergen mcp serve refuses to send it.",
            plain(&body.media_type)
        ));
    }
    parts.join(" ")
}

/// `Scopes needed: a, b (or c).` for the OAuth2/OpenID Connect scopes the
/// alternatives need, when any does.
fn scopes_sentence(alternatives: &[Requirement]) -> Option<String> {
    let per_alternative: Vec<String> = alternatives
        .iter()
        .filter(|a| !a.scopes.is_empty())
        .map(|a| {
            a.all_scopes()
                .map(|(_, scope)| plain(scope))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .collect();
    let (first, rest) = per_alternative.split_first()?;
    let mut text = format!("Scopes needed: {first}");
    if !rest.is_empty() {
        text.push_str(&format!(" (or {})", rest.join("; or ")));
    }
    text.push('.');
    Some(text)
}

/// When every alternative needs a TLS client certificate, a sentence that
/// says so: tiergen mcp serve cannot present one.
fn certificate_sentence(api: &Api, alternatives: &[Requirement]) -> Option<String> {
    let certificates = |a: &Requirement| -> Vec<String> {
        a.credentials
            .iter()
            .filter(|id| {
                api.credential(id)
                    .is_some_and(|c| c.placement == Placement::ClientCertificate)
            })
            .map(|id| id.0.clone())
            .collect()
    };
    let needed: BTreeSet<String> = alternatives.iter().flat_map(certificates).collect();
    let every =
        !alternatives.is_empty() && alternatives.iter().all(|a| !certificates(a).is_empty());
    every.then(|| {
        format!(
            "Needs a TLS client certificate ({}), which tiergen mcp serve cannot present.",
            needed.into_iter().collect::<Vec<_>>().join(", ")
        )
    })
}

/// Markdown marks are noise to an agent: code ticks and emphasis go, lines join.
fn plain(text: &str) -> String {
    text.replace('`', "")
        .replace("**", "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn sentence(text: &str) -> String {
    let text = text.trim();
    if text.ends_with(['.', '!', '?']) {
        text.to_string()
    } else {
        format!("{text}.")
    }
}

fn annotations(op: &Operation, title: &str) -> Value {
    let read_only = op.method.is_safe();
    let repeats_side_effects = op.effects.iter().any(|e| {
        matches!(
            e.kind,
            EffectKind::RestartsWorkspace
                | EffectKind::RestartsOrgWorkspaces { .. }
                | EffectKind::Redeploys { .. }
                | EffectKind::SecretShownOnce { .. }
        )
    });
    json!({
        "title": title,
        "readOnlyHint": read_only,
        "destructiveHint": !read_only && op.is_destructive(),
        "idempotentHint": op.method.is_idempotent() && !repeats_side_effects,
        "openWorldHint": false,
    })
}

fn route(
    api: &Api,
    op: &Operation,
    alternatives: &[Requirement],
    arguments: &[plan::ToolArgument<'_>],
) -> Value {
    let arguments: Map<String, Value> = arguments
        .iter()
        .map(|a| {
            let mut place = Map::new();
            place.insert("in".into(), json!(a.location()));
            if let Some(wire) = a.wire() {
                place.insert("name".into(), json!(wire));
            }
            if let plan::Source::Param(param) = a.source
                && let Some(serialization) = param.serialization.unless_default(param.location)
            {
                place.insert("serialization".into(), json!(serialization));
            }
            if let plan::Source::Param(param) = a.source
                && param.json_content
            {
                place.insert("json_content".into(), json!(true));
            }
            if a.base64 {
                place.insert("encoding".into(), json!("base64"));
            }
            (a.name.clone(), Value::Object(place))
        })
        .collect();
    let success: Vec<Value> = op
        .responses
        .iter()
        .filter(|r| r.status.is_success())
        .map(|r| json!(r.status.to_string()))
        .collect();
    let body_media = op.body.as_ref().map(|b| b.media_type.clone());
    let encoding = body_encoding(api, op).map(BodyEncoding::as_str);
    let errors: Vec<Value> = op
        .responses
        .iter()
        .filter(|r| !r.status.is_success() && r.status != Status::Default)
        .map(|r| json!({ "status": r.status.to_string(), "description": r.description }))
        .collect();
    json!({
        "operation": op.id,
        "service": op.service,
        "method": op.method.as_str(),
        "path": op.path,
        "arguments": arguments,
        "body_media_type": body_media,
        "body_encoding": encoding,
        "auth": alternatives,
        "guards": op.guards,
        "effects": op.effects,
        "success": success,
        "errors": errors,
    })
}

/// Where the manifest's services live and how each credential and routing
/// header its tools use travels; `credential` is `null` in the public one.
fn server_meta(api: &Api, credential: Option<&CredentialId>, tools: &[plan::Tool<'_>]) -> Value {
    let services: BTreeSet<_> = tools.iter().map(|t| &t.op.service).collect();
    let mut credential_ids: BTreeSet<&CredentialId> = BTreeSet::new();
    let mut routing_ids = BTreeSet::new();
    for alternatives in tools.iter().map(|t| &t.alternatives) {
        for alternative in alternatives {
            credential_ids.extend(alternative.credentials.iter());
            routing_ids.extend(alternative.routing.iter());
        }
    }
    let services = wiring::services(
        api,
        api.services.iter().filter(|s| services.contains(&s.id)),
    );
    let credentials = wiring::credentials(
        api,
        api.credentials
            .iter()
            .filter(|c| credential_ids.contains(&c.id)),
    );
    let routing = wiring::routing(
        api,
        api.routing_headers
            .iter()
            .filter(|r| routing_ids.contains(&r.id)),
    );
    json!({
        "api": api.title,
        "version": api.version,
        "credential": credential,
        "services": services,
        "credentials": credentials,
        "routing": routing,
    })
}
