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
use crate::artifact::manifest::{
    Annotations, Argument, ArgumentEncoding, ArgumentLocation, Document, ErrorAnswer, Route,
    Server, Tool, ToolMeta,
};
use crate::ir::{
    Api, BodyEncoding, CredentialId, Direction, EffectKind, Guard, Operation, ParamLocation,
    Placement, Requirement, Status,
};
use crate::naming::{Names, plan};
use schema::SchemaBuilder;

pub fn emit(api: &Api, names: &Names<'_>) -> Result<Files, String> {
    let mut files = Files::default();
    for manifest in &names.manifests {
        let name = &manifest.stem;
        let text = document(api, names, manifest).map_err(|e| format!("manifest {name}: {e}"))?;
        files.insert(format!("mcp/{name}.json"), text);
    }
    Ok(files)
}

/// One `tools/list` document: the tools sorted by name, and the server facts.
fn document(api: &Api, names: &Names<'_>, manifest: &plan::Manifest<'_>) -> Result<String, String> {
    let tools = manifest
        .tools
        .iter()
        .map(|t| tool(api, names, t))
        .collect::<Result<Vec<_>, String>>()?;
    let server = server_meta(api, names, manifest.credential.as_ref(), &manifest.tools)?;
    let document = Document::new(tools, server);
    let mut text = serde_json::to_string_pretty(&document).map_err(|e| e.to_string())?;
    text.push('\n');
    Ok(text)
}

fn tool(api: &Api, names: &Names<'_>, planned: &plan::Tool<'_>) -> Result<Tool, String> {
    let (op, alternatives) = (planned.op, &planned.alternatives);
    let mut schemas = SchemaBuilder::new(api, Direction::Request);
    let arguments = &names.operation(op)?.arguments;
    let mut input_schema = input_schema(op, arguments, &mut schemas);
    if let Some(defs) = schemas.defs() {
        input_schema.insert("$defs".into(), defs);
    }
    let mut output_builder = SchemaBuilder::new(api, Direction::Response);
    let output_schema = output_schema(op, &mut output_builder).map(|mut output| {
        if let Some(defs) = output_builder.defs() {
            output.insert("$defs".into(), defs);
        }
        output
    });
    let title = op.summary.clone().unwrap_or_else(|| op.id.clone());
    Ok(Tool {
        name: planned.name.clone(),
        description: description(api, op, alternatives),
        input_schema,
        output_schema,
        annotations: annotations(op, &title),
        title,
        meta: ToolMeta {
            route: route(api, op, alternatives, arguments),
        },
    })
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

fn annotations(op: &Operation, title: &str) -> Annotations {
    let read_only = op.method.is_safe();
    let repeats_side_effects = op.effects.iter().any(|e| {
        matches!(
            e.kind,
            EffectKind::RestartsWorkspace {}
                | EffectKind::RestartsOrgWorkspaces { .. }
                | EffectKind::Redeploys { .. }
                | EffectKind::SecretShownOnce { .. }
        )
    });
    Annotations {
        title: title.to_string(),
        read_only_hint: read_only,
        destructive_hint: !read_only && op.is_destructive(),
        idempotent_hint: op.method.is_idempotent() && !repeats_side_effects,
        open_world_hint: false,
    }
}

fn route(
    api: &Api,
    op: &Operation,
    alternatives: &[Requirement],
    arguments: &[plan::ToolArgument<'_>],
) -> Route {
    let arguments = arguments
        .iter()
        .map(|a| (a.name.clone(), argument(a)))
        .collect();
    let success = op
        .responses
        .iter()
        .filter(|r| r.status.is_success())
        .map(|r| r.status.to_string())
        .collect();
    let errors = op
        .responses
        .iter()
        .filter(|r| !r.status.is_success() && r.status != Status::Default)
        .map(|r| ErrorAnswer {
            status: r.status.to_string(),
            description: r.description.clone(),
        })
        .collect();
    Route {
        operation: op.id.clone(),
        service: op.service.clone(),
        method: op.method,
        path: op.path.clone(),
        tags: op.tags.clone(),
        arguments,
        body_media_type: op.body.as_ref().map(|b| b.media_type.clone()),
        body_encoding: body_encoding(api, op),
        auth: alternatives.to_vec(),
        guards: op.guards.clone(),
        effects: op.effects.clone(),
        consent: op.consent(),
        idempotent: op.idempotent,
        success,
        errors,
    }
}

/// Where one argument goes; a parameter's serialization only when it is
/// not the default for where it goes.
fn argument(planned: &plan::ToolArgument<'_>) -> Argument {
    let param = match planned.source {
        plan::Source::Param(param) => Some(param),
        plan::Source::Field { .. } | plan::Source::Body => None,
    };
    Argument {
        location: param.map_or(ArgumentLocation::Body, |p| p.location.into()),
        name: planned.wire().map(str::to_string),
        serialization: param.and_then(|p| p.serialization.unless_default(p.location)),
        json_content: param.is_some_and(|p| p.json_content),
        encoding: planned.base64.then_some(ArgumentEncoding::Base64),
    }
}

/// Where the manifest's services live and how each credential and routing
/// header its tools use travels; `credential` is `None` in the public one.
fn server_meta(
    api: &Api,
    names: &Names<'_>,
    credential: Option<&CredentialId>,
    tools: &[plan::Tool<'_>],
) -> Result<Server, String> {
    let services: BTreeSet<_> = tools.iter().map(|t| &t.op.service).collect();
    let mut credential_ids: BTreeSet<&CredentialId> = BTreeSet::new();
    let mut routing_ids = BTreeSet::new();
    for alternatives in tools.iter().map(|t| &t.alternatives) {
        for alternative in alternatives {
            credential_ids.extend(alternative.credentials.iter());
            routing_ids.extend(alternative.routing.iter());
        }
    }
    Ok(Server {
        api: api.title.clone(),
        version: api.version.clone(),
        credential: credential.cloned(),
        services: wiring::services(
            names,
            api.services.iter().filter(|s| services.contains(&s.id)),
        )?,
        credentials: wiring::credentials(
            names,
            api.credentials
                .iter()
                .filter(|c| credential_ids.contains(&c.id)),
        )?,
        routing: wiring::routing(
            names,
            api.routing_headers
                .iter()
                .filter(|r| routing_ids.contains(&r.id)),
        )?,
    })
}
