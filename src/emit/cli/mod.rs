//! The CLI route map: `cli/routes.json` (every command path → the request it
//! sends), its JSON Schema `cli/routes.schema.json`, and `cli/commands.md`,
//! the command tree for the docs site.
//!
//! Arguments: path parameters are positionals in path order; query, header
//! and cookie parameters and the top-level properties of an object body are
//! kebab-case flags (a body property whose flag clashes with a parameter's
//! becomes `--body-<name>`); `--body` takes the whole body as JSON or
//! `@file`, and flags override its fields.
//!
//! Bodies: `encoding` says how the body travels — `json`; `form`
//! (`application/x-www-form-urlencoded`, one `name=value` per field) and
//! `multipart` (one part per field), both with fields as flags like JSON;
//! `binary` (the bytes of `--body @file`); `text` (`--body TEXT` or
//! `@file`, sent as it is); `unsupported` (a media type that cannot be
//! built from the command line, e.g. XML from an object: described only).
//! A flag with `format: binary` is a file: `--flag @path`.

use std::collections::BTreeMap;

use minijinja::Value as TemplateValue;
use serde::Serialize;
use serde_json::{Map, Value, json};

use super::Files;
use super::markdown;
use super::wiring;
use crate::ir::{Api, Auth, Guard, Operation, Param, ParamLocation, Property, Shape, Type};
use crate::naming;
use crate::naming::plan;

const ROUTES_SCHEMA: &str = include_str!("../../../templates/cli/routes.schema.json");
const COMMANDS_PAGE: &str = include_str!("../../../templates/cli/commands.md.j2");

pub fn emit(api: &Api) -> Result<Files, String> {
    let commands = plan::command_paths(api);
    let routes = routes(api, &commands);
    let mut files = Files::default();
    let mut text =
        serde_json::to_string_pretty(&routes).map_err(|e| format!("routes.json: {e}"))?;
    text.push('\n');
    files.insert("cli/routes.json", text);
    files.insert("cli/routes.schema.json", ROUTES_SCHEMA);
    files.insert("cli/commands.md", commands_page(api, &commands)?);
    Ok(files)
}

fn routes(api: &Api, commands: &[Vec<String>]) -> Value {
    let entries: Vec<Value> = api
        .operations
        .iter()
        .zip(commands)
        .map(|(op, command)| route(api, op, command))
        .collect();
    json!({
        "api": api.title,
        "version": api.version,
        "services": wiring::services(api, api.services.iter()),
        "credentials": wiring::credentials(api, api.credentials.iter()),
        "routing": wiring::routing(api, api.routing_headers.iter()),
        "commands": entries,
    })
}

fn route(api: &Api, op: &Operation, command: &[String]) -> Value {
    let positionals: Vec<Value> = op
        .params_in(ParamLocation::Path)
        .map(|p| {
            let mut entry = value_facts(api, &p.ty);
            entry.insert("name".into(), json!(p.name));
            entry.insert("required".into(), json!(true));
            insert_serialization(&mut entry, p);
            insert_description(&mut entry, &p.ty);
            Value::Object(entry)
        })
        .collect();
    let flags: Vec<Value> = plan::cli_flags(api, op)
        .iter()
        .filter_map(|flag| match flag.source {
            plan::Source::Param(param) => Some(param_flag(api, op, param, &flag.flag)),
            plan::Source::Field {
                property,
                body_required,
            } => Some(body_flag(api, op, property, body_required, &flag.flag)),
            plan::Source::Body => None,
        })
        .collect();
    let body = op.body.as_ref().map(|body| {
        let encoding = api.body_encoding(body);
        let fields = plan::body_fields(api, op).unwrap_or_default();
        json!({
            "flag": "--body",
            "media_type": body.media_type,
            "encoding": encoding.as_str(),
            "required": body.required && fields.iter().all(|p| !p.required),
            "fields_as_flags": !fields.is_empty(),
        })
    });
    json!({
        "command": command,
        "summary": op.summary.clone().unwrap_or_else(|| op.id.clone()),
        "operation": op.id,
        "service": op.service,
        "method": op.method.as_str(),
        "path": op.path,
        "positionals": positionals,
        "flags": flags,
        "body": body,
        "auth": op.auth.alternatives(),
        "public": op.auth == Auth::Public,
        "guards": op.guards,
        "effects": op.effects,
        "destructive": op.is_destructive(),
    })
}

fn param_flag(api: &Api, op: &Operation, param: &Param, flag: &str) -> Value {
    let mut entry = value_facts(api, &param.ty);
    entry.insert("flag".into(), json!(flag));
    entry.insert("in".into(), json!(param.location.as_str()));
    entry.insert("name".into(), json!(param.name));
    entry.insert("required".into(), json!(param.required));
    insert_serialization(&mut entry, param);
    insert_description(&mut entry, &param.ty);
    for guard in &op.guards {
        match guard {
            Guard::DryRun { param: name, .. } if *name == param.name => {
                entry.insert("guard".into(), json!("dry-run"));
            }
            Guard::DestructiveFlag {
                param: name,
                value,
                effect,
            } if *name == param.name => {
                entry.insert("guard".into(), json!("destructive-flag"));
                entry.insert("destructive_value".into(), json!(value));
                entry.insert("destructive".into(), json!(effect));
            }
            _ => {}
        }
    }
    Value::Object(entry)
}

fn body_flag(
    api: &Api,
    op: &Operation,
    property: &Property,
    body_required: bool,
    flag: &str,
) -> Value {
    let mut entry = value_facts(api, &property.ty);
    entry.insert("flag".into(), json!(flag));
    entry.insert("in".into(), json!("body"));
    entry.insert("name".into(), json!(property.name));
    entry.insert("required".into(), json!(body_required && property.required));
    insert_description(&mut entry, &property.ty);
    for guard in &op.guards {
        match guard {
            Guard::Confirm {
                field,
                equals_path_param,
            } if *field == property.name => {
                entry.insert("guard".into(), json!("confirm"));
                entry.insert("must_equal".into(), json!(equals_path_param));
            }
            Guard::Force {
                field,
                keys_of,
                pattern,
            } if *field == property.name => {
                entry.insert("guard".into(), json!("force"));
                entry.insert(
                    "bypasses".into(),
                    json!(format!("keys of `{keys_of}` matching {pattern}")),
                );
            }
            _ => {}
        }
    }
    Value::Object(entry)
}

fn insert_description(entry: &mut Map<String, Value>, ty: &Type) {
    if let Some(description) = &ty.description {
        entry.insert(
            "description".into(),
            json!(description.split_whitespace().collect::<Vec<_>>().join(" ")),
        );
    }
}

/// What a value looks like on the command line: its type (scalars as they
/// are, anything structured as `json`), format, allowed values, default.
/// `style`, `explode` and `allowReserved`, when they are not the default
/// for where the parameter goes.
fn insert_serialization(entry: &mut Map<String, Value>, param: &Param) {
    if let Some(serialization) = param.serialization.unless_default(param.location) {
        entry.insert("serialization".into(), json!(serialization));
    }
    if param.json_content {
        entry.insert("json_content".into(), json!(true));
    }
}

fn value_facts(api: &Api, ty: &Type) -> Map<String, Value> {
    let mut facts = Map::new();
    let resolved = match &ty.shape {
        Shape::Ref { name } => api.named_type(name).map(|t| &t.ty).unwrap_or(ty),
        _ => ty,
    };
    let kind = match &resolved.shape {
        Shape::Scalar { scalar, format, .. } => {
            if let Some(format) = format {
                facts.insert("format".into(), json!(format));
            }
            scalar.json_type()
        }
        Shape::Enum { scalar, values } => {
            let values: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
            facts.insert("enum".into(), json!(values));
            scalar.json_type()
        }
        Shape::Const { scalar, value } => {
            facts.insert("enum".into(), json!([value]));
            scalar.json_type()
        }
        _ => "json",
    };
    facts.insert("type".into(), json!(kind));
    if ty.nullable || resolved.nullable {
        facts.insert("nullable".into(), json!(true));
    }
    if let Some(default) = ty.default.as_ref().or(resolved.default.as_ref()) {
        facts.insert("default".into(), default.clone());
    }
    facts
}

#[derive(Serialize)]
struct PageView<'a> {
    title: &'a str,
    version: &'a str,
    groups: Vec<GroupView>,
}

#[derive(Serialize)]
struct GroupView {
    name: String,
    commands: Vec<CommandView>,
}

#[derive(Serialize)]
struct CommandView {
    usage: String,
    summary: String,
    method: String,
    path: String,
    marks: Vec<&'static str>,
}

/// `commands.md`: commands grouped by their first word, in spec order.
fn commands_page(api: &Api, commands: &[Vec<String>]) -> Result<String, String> {
    let mut groups: BTreeMap<String, Vec<CommandView>> = BTreeMap::new();
    for (op, command) in api.operations.iter().zip(commands) {
        let mut usage = format!("{} {}", naming::cli_binary(api), command.join(" "));
        for param in op.params_in(ParamLocation::Path) {
            usage.push_str(&format!(" <{}>", param.name));
        }
        let mut marks = Vec::new();
        if op.auth == Auth::Public {
            marks.push("public");
        }
        if !op.guards.is_empty() {
            marks.push("guarded");
        }
        if op.is_destructive() {
            marks.push("destructive");
        }
        let group = command.first().cloned().unwrap_or_default();
        groups.entry(group).or_default().push(CommandView {
            usage,
            summary: op.summary.clone().unwrap_or_else(|| op.id.clone()),
            method: op.method.as_str().to_string(),
            path: op.path.clone(),
            marks,
        });
    }
    let view = PageView {
        title: &api.title,
        version: &api.version,
        groups: groups
            .into_iter()
            .map(|(name, commands)| GroupView { name, commands })
            .collect(),
    };
    let mut env = markdown::environment();
    env.add_template("commands.md", COMMANDS_PAGE)
        .map_err(|e| format!("template commands.md: {e}"))?;
    env.get_template("commands.md")
        .and_then(|t| t.render(TemplateValue::from(minijinja::value::Serde(&view))))
        .map_err(|e| format!("template commands.md: {e:#}"))
}
