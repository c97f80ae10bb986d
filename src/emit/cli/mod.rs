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

use super::Files;
use super::markdown;
use super::wiring;
use crate::artifact::routes::{
    Body, Command, Flag, FlagGuard, FlagLocation, Positional, RouteMap, ValueFacts, ValueKind,
};
use crate::ir::{Api, Auth, Guard, Operation, Param, ParamLocation, Property, Scalar, Shape, Type};
use crate::naming::{Names, OperationNames, plan};

const ROUTES_SCHEMA: &str = include_str!("../../../templates/cli/routes.schema.json");
const COMMANDS_PAGE: &str = include_str!("../../../templates/cli/commands.md.j2");

pub fn emit(api: &Api, names: &Names<'_>) -> Result<Files, String> {
    let routes = routes(api, names)?;
    let mut files = Files::default();
    let mut text =
        serde_json::to_string_pretty(&routes).map_err(|e| format!("routes.json: {e}"))?;
    text.push('\n');
    files.insert("cli/routes.json", text);
    files.insert("cli/routes.schema.json", ROUTES_SCHEMA);
    files.insert("cli/commands.md", commands_page(api, names)?);
    Ok(files)
}

fn routes(api: &Api, names: &Names<'_>) -> Result<RouteMap, String> {
    let commands = api
        .operations
        .iter()
        .map(|op| Ok(command(api, op, names.operation(op)?)))
        .collect::<Result<_, String>>()?;
    Ok(RouteMap {
        api: api.title.clone(),
        version: api.version.clone(),
        services: wiring::services(names, api.services.iter())?,
        credentials: wiring::credentials(names, api.credentials.iter())?,
        routing: wiring::routing(names, api.routing_headers.iter())?,
        commands,
    })
}

fn command(api: &Api, op: &Operation, names: &OperationNames<'_>) -> Command {
    let positionals = op
        .params_in(ParamLocation::Path)
        .map(|p| Positional {
            value: value_facts(api, &p.ty),
            name: p.name.clone(),
            required: true,
            serialization: p.serialization.unless_default(p.location),
            json_content: p.json_content,
            description: description(&p.ty),
        })
        .collect();
    let flags = names
        .flags
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
    let body = op.body.as_ref().map(|body| Body {
        flag: "--body".to_string(),
        media_type: body.media_type.clone(),
        encoding: api.body_encoding(body),
        required: body.required && names.body_fields.iter().all(|p| !p.required),
        fields_as_flags: !names.body_fields.is_empty(),
    });
    Command {
        command: names.command.clone(),
        summary: op.summary.clone().unwrap_or_else(|| op.id.clone()),
        operation: op.id.clone(),
        service: op.service.clone(),
        method: op.method,
        path: op.path.clone(),
        positionals,
        flags,
        body,
        auth: op.auth.alternatives().to_vec(),
        public: op.auth == Auth::Public,
        guards: op.guards.clone(),
        effects: op.effects.clone(),
        destructive: op.is_destructive(),
        consent: op.consent(),
        idempotent: op.idempotent,
    }
}

fn param_flag(api: &Api, op: &Operation, param: &Param, flag: &str) -> Flag {
    // A parameter the spec puts in two guards keeps the last (none does).
    let guard = op.guards.iter().rev().find_map(|guard| match guard {
        Guard::DryRun { param: name, .. } if *name == param.name => Some(FlagGuard::DryRun),
        Guard::DestructiveFlag {
            param: name,
            value,
            effect,
        } if *name == param.name => Some(FlagGuard::DestructiveFlag {
            destructive_value: value.clone(),
            destructive: effect.clone(),
        }),
        _ => None,
    });
    let location = match param.location {
        ParamLocation::Header => FlagLocation::Header,
        ParamLocation::Cookie => FlagLocation::Cookie,
        ParamLocation::Query | ParamLocation::Path => FlagLocation::Query,
    };
    Flag {
        value: value_facts(api, &param.ty),
        flag: flag.to_string(),
        location,
        name: param.name.clone(),
        required: param.required,
        serialization: param.serialization.unless_default(param.location),
        json_content: param.json_content,
        description: description(&param.ty),
        guard,
    }
}

fn body_flag(
    api: &Api,
    op: &Operation,
    property: &Property,
    body_required: bool,
    flag: &str,
) -> Flag {
    let guard = op.guards.iter().rev().find_map(|guard| match guard {
        Guard::Confirm {
            field,
            equals_path_param,
        } if *field == property.name => Some(FlagGuard::Confirm {
            must_equal: equals_path_param.clone(),
        }),
        Guard::Force {
            field,
            keys_of,
            pattern,
        } if *field == property.name => Some(FlagGuard::Force {
            bypasses: format!("keys of `{keys_of}` matching {pattern}"),
        }),
        _ => None,
    });
    Flag {
        value: value_facts(api, &property.ty),
        flag: flag.to_string(),
        location: FlagLocation::Body,
        name: property.name.clone(),
        required: body_required && property.required,
        serialization: None,
        json_content: false,
        description: description(&property.ty),
        guard,
    }
}

/// The description on one line.
fn description(ty: &Type) -> Option<String> {
    ty.description
        .as_ref()
        .map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// What a value looks like on the command line: its type (scalars as they
/// are, anything structured as `json`), format, allowed values, default.
fn value_facts(api: &Api, ty: &Type) -> ValueFacts {
    let resolved = api.resolved(ty);
    let (kind, format, allowed) = match &resolved.shape {
        Shape::Scalar { scalar, format, .. } => (scalar_kind(*scalar), format.clone(), None),
        Shape::Enum { scalar, values } => {
            let values = values.iter().filter(|v| !v.is_null()).cloned().collect();
            (scalar_kind(*scalar), None, Some(values))
        }
        Shape::Const { scalar, value } => (scalar_kind(*scalar), None, Some(vec![value.clone()])),
        _ => (ValueKind::Json, None, None),
    };
    ValueFacts {
        format,
        allowed,
        kind,
        nullable: ty.nullable || resolved.nullable,
        default: ty.default.clone().or_else(|| resolved.default.clone()),
    }
}

fn scalar_kind(scalar: Scalar) -> ValueKind {
    match scalar {
        Scalar::String => ValueKind::String,
        Scalar::Integer => ValueKind::Integer,
        Scalar::Number => ValueKind::Number,
        Scalar::Boolean => ValueKind::Boolean,
    }
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
fn commands_page(api: &Api, names: &Names<'_>) -> Result<String, String> {
    let mut groups: BTreeMap<String, Vec<CommandView>> = BTreeMap::new();
    for op in &api.operations {
        let command = &names.operation(op)?.command;
        let mut usage = format!("{} {}", names.binary, command.join(" "));
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
