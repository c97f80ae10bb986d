//! Checks that every guard and effect names things the operation really has,
//! so a declaration cannot outlive what it describes.

use std::path::Path;

use serde_json::Value;

use super::declarations::{EFFECTS, GUARDS};
use crate::error::{Error, Result};
use crate::ir::{
    Api, EffectKind, Guard, Operation, ParamLocation, Property, Scalar, Shape, Status, Type,
};

pub fn check_declarations(op: &Operation, api: &Api, file: &Path) -> Result<()> {
    for (i, guard) in op.guards.iter().enumerate() {
        check_guard(op, api, guard).map_err(|message| {
            Error::at_pointer(file, &format!("{}/{GUARDS}/{i}", op.pointer), message)
        })?;
    }
    for (i, effect) in op.effects.iter().enumerate() {
        check_effect(op, api, &effect.kind).map_err(|message| {
            Error::at_pointer(file, &format!("{}/{EFFECTS}/{i}", op.pointer), message)
        })?;
    }
    Ok(())
}

fn check_guard(op: &Operation, api: &Api, guard: &Guard) -> std::result::Result<(), String> {
    match guard {
        Guard::DryRun { param, status } => {
            let flag = query_param(op, param)?;
            if !is_boolean(api, &flag.ty) {
                return Err(format!("dry-run parameter {param:?} must be a boolean"));
            }
            response(op, *status).map(|_| ())
        }
        Guard::Confirm {
            field,
            equals_path_param,
        } => {
            if op.param(ParamLocation::Path, equals_path_param).is_none() {
                return Err(format!(
                    "confirm guard: no path parameter {equals_path_param:?}"
                ));
            }
            body_property(op, api, field).map(|_| ())
        }
        Guard::Force {
            field,
            keys_of,
            pattern,
        } => {
            if pattern.is_empty() {
                return Err("force guard: `pattern` must not be empty".to_string());
            }
            body_property(op, api, keys_of)?;
            let flag = body_property(op, api, field)?;
            if !is_boolean(api, &flag.ty) {
                return Err(format!(
                    "force guard: body field {field:?} must be a boolean"
                ));
            }
            Ok(())
        }
        Guard::Precondition { status, code, .. } => {
            let response = response(op, *status)?;
            match response.ty.as_ref().and_then(|ty| const_string(api, ty)) {
                Some(documented) if documented != *code => Err(format!(
                    "precondition code {code:?} differs from the {status} response's const {documented:?}"
                )),
                _ => Ok(()),
            }
        }
        Guard::DestructiveFlag { param, .. } => query_param(op, param).map(|_| ()),
    }
}

fn check_effect(op: &Operation, api: &Api, effect: &EffectKind) -> std::result::Result<(), String> {
    match effect {
        EffectKind::SecretShownOnce { field } => {
            let found = op
                .responses
                .iter()
                .filter(|r| r.status.is_success())
                .filter_map(|r| r.ty.as_ref())
                .any(|ty| properties(api, ty).iter().any(|p| &p.name == field));
            if found {
                Ok(())
            } else {
                Err(format!(
                    "secret-shown-once: no success response has a field {field:?}"
                ))
            }
        }
        EffectKind::IrreversiblePurge { cascade } if cascade.is_empty() => {
            Err("irreversible-purge: list what the cascade reaches".to_string())
        }
        _ => Ok(()),
    }
}

fn query_param<'a>(
    op: &'a Operation,
    name: &str,
) -> std::result::Result<&'a crate::ir::Param, String> {
    op.param(ParamLocation::Query, name)
        .ok_or_else(|| format!("no query parameter {name:?} on {}", op.id))
}

fn response(op: &Operation, status: u16) -> std::result::Result<&crate::ir::Response, String> {
    op.response(Status::Code(status))
        .ok_or_else(|| format!("no {status} response on {}", op.id))
}

fn body_property<'a>(
    op: &'a Operation,
    api: &'a Api,
    field: &str,
) -> std::result::Result<&'a Property, String> {
    let body = op
        .body
        .as_ref()
        .ok_or_else(|| format!("{} has no request body", op.id))?;
    let encoding = api.body_encoding(body);
    if !encoding.has_fields() {
        return Err(format!(
            "the request body of {} is sent as {} ({}), which has no fields",
            op.id,
            encoding.as_str(),
            body.media_type
        ));
    }
    if body.ty.nullable || api.resolved(&body.ty).nullable {
        return Err(format!(
            "the request body of {} may be null, so its field {field:?} may be missing",
            op.id
        ));
    }
    properties(api, &body.ty)
        .into_iter()
        .find(|p| p.name == field)
        .ok_or_else(|| format!("the request body of {} has no field {field:?}", op.id))
}

/// The properties of an object type, through references and `allOf` parts.
fn properties<'a>(api: &'a Api, ty: &'a Type) -> Vec<&'a Property> {
    let mut out = Vec::new();
    collect_properties(api, ty, &mut out, 0);
    out
}

fn collect_properties<'a>(api: &'a Api, ty: &'a Type, out: &mut Vec<&'a Property>, depth: usize) {
    if depth > 32 {
        return;
    }
    match &ty.shape {
        Shape::Object { properties, .. } => out.extend(properties.iter()),
        Shape::Ref { .. } => {
            let resolved = api.resolved(ty);
            if !std::ptr::eq(resolved, ty) {
                collect_properties(api, resolved, out, depth + 1);
            }
        }
        Shape::AllOf { parts } => parts
            .iter()
            .for_each(|p| collect_properties(api, p, out, depth + 1)),
        _ => {}
    }
}

fn is_boolean(api: &Api, ty: &Type) -> bool {
    matches!(
        api.resolved(ty).shape,
        Shape::Scalar {
            scalar: Scalar::Boolean,
            ..
        } | Shape::Const {
            scalar: Scalar::Boolean,
            ..
        }
    )
}

/// The string `const` a response documents as its machine code, if any.
fn const_string(api: &Api, ty: &Type) -> Option<String> {
    properties(api, ty)
        .into_iter()
        .find_map(|p| match &api.resolved(&p.ty).shape {
            Shape::Const {
                value: Value::String(code),
                ..
            } => Some(code.clone()),
            _ => None,
        })
}
