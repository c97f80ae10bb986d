//! OpenAPI Overlay 1.0: actions whose JSONPath (RFC 9535) targets update or
//! remove parts of the spec before anything else reads it.
//!
//! An action whose target matches nothing is an error. A declaration that
//! silently stops applying — a renamed path losing its guard — is exactly what
//! tiergen exists to prevent.

use serde_json::{Map, Value};
use serde_json_path::JsonPath;

use super::source::Document;
use crate::error::{Error, Result};

/// Applies every action of `overlay` to `spec`, in order.
pub fn apply(spec: &mut Document, overlay: &Document) -> Result<()> {
    let file = &overlay.path;
    let root = overlay
        .root
        .as_object()
        .ok_or_else(|| Error::in_file(file, "an overlay must be a mapping"))?;
    match root.get("overlay").and_then(Value::as_str) {
        Some(v) if v.starts_with("1.") => {}
        Some(v) => {
            return Err(Error::at_pointer(
                file,
                "/overlay",
                format!("unsupported overlay version {v:?}; tiergen reads Overlay 1.x"),
            ));
        }
        None => {
            return Err(Error::in_file(
                file,
                "not an OpenAPI Overlay document: no `overlay: 1.0.0` field",
            ));
        }
    }
    let actions = root
        .get("actions")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            Error::at_pointer(file, "/actions", "an overlay needs a list of `actions`")
        })?;
    for (index, action) in actions.iter().enumerate() {
        let at = format!("/actions/{index}");
        let action = Action::read(action, file, &at)?;
        apply_action(&mut spec.root, &action)
            .map_err(|message| Error::at_pointer(file, &at, message))?;
    }
    Ok(())
}

struct Action<'a> {
    target_text: &'a str,
    target: JsonPath,
    change: Change<'a>,
}

enum Change<'a> {
    Update(&'a Value),
    Remove,
}

impl<'a> Action<'a> {
    fn read(action: &'a Value, file: &std::path::Path, at: &str) -> Result<Self> {
        let fields = action
            .as_object()
            .ok_or_else(|| Error::at_pointer(file, at, "an action must be a mapping"))?;
        let target_text = fields
            .get("target")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::at_pointer(file, at, "an action needs a `target` JSONPath"))?;
        let target = JsonPath::parse(target_text).map_err(|e| {
            Error::at_pointer(
                file,
                &format!("{at}/target"),
                format!("invalid JSONPath {target_text:?}: {e}"),
            )
        })?;
        let remove = match fields.get("remove") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                return Err(Error::at_pointer(
                    file,
                    &format!("{at}/remove"),
                    "`remove` must be true or false",
                ));
            }
        };
        let change = match (fields.get("update"), remove) {
            (Some(update), false) => Change::Update(update),
            (None, true) => Change::Remove,
            (Some(_), true) => {
                return Err(Error::at_pointer(
                    file,
                    at,
                    "an action has either `update` or `remove: true`, not both",
                ));
            }
            (None, false) => {
                return Err(Error::at_pointer(
                    file,
                    at,
                    "an action needs `update` or `remove: true`",
                ));
            }
        };
        Ok(Action {
            target_text,
            target,
            change,
        })
    }
}

fn apply_action(root: &mut Value, action: &Action<'_>) -> std::result::Result<(), String> {
    let mut pointers: Vec<String> = action
        .target
        .query_located(root)
        .locations()
        .map(|location| location.to_json_pointer())
        .collect();
    if pointers.is_empty() {
        return Err(format!(
            "target {} matches nothing in the spec (was something renamed?)",
            action.target_text
        ));
    }
    match action.change {
        Change::Update(update) => {
            for at in &pointers {
                let node = root
                    .pointer_mut(at)
                    .ok_or_else(|| format!("target node {at} vanished while applying"))?;
                merge(node, update).map_err(|e| format!("cannot update {at}: {e}"))?;
            }
        }
        Change::Remove => {
            // Later siblings first, so earlier array indices stay valid.
            pointers.sort_by_key(|at| pointer_sort_key(at));
            for at in pointers.iter().rev() {
                remove_node(root, at)?;
            }
        }
    }
    Ok(())
}

/// Overlay 1.0 update semantics: objects merge recursively, arrays get the
/// update appended, anything else is replaced.
fn merge(target: &mut Value, update: &Value) -> std::result::Result<(), String> {
    match (target, update) {
        (Value::Object(target), Value::Object(update)) => {
            merge_objects(target, update);
            Ok(())
        }
        (Value::Array(items), Value::Array(more)) => {
            items.extend(more.iter().cloned());
            Ok(())
        }
        (Value::Array(items), other) => {
            items.push(other.clone());
            Ok(())
        }
        (target, update) if !target.is_object() => {
            *target = update.clone();
            Ok(())
        }
        _ => Err("an object can only be updated with a mapping".to_string()),
    }
}

fn merge_objects(target: &mut Map<String, Value>, update: &Map<String, Value>) {
    for (key, value) in update {
        match (target.get_mut(key), value) {
            (Some(Value::Object(existing)), Value::Object(value)) => merge_objects(existing, value),
            _ => {
                target.insert(key.clone(), value.clone());
            }
        }
    }
}

fn remove_node(root: &mut Value, at: &str) -> std::result::Result<(), String> {
    let (parent_at, last) = at
        .rsplit_once('/')
        .ok_or_else(|| "the whole document cannot be removed".to_string())?;
    let last = last.replace("~1", "/").replace("~0", "~");
    let parent = root
        .pointer_mut(parent_at)
        .ok_or_else(|| format!("target node {at} vanished while applying"))?;
    match parent {
        Value::Object(map) => {
            map.shift_remove(&last);
        }
        Value::Array(items) => {
            let index: usize = last
                .parse()
                .map_err(|_| format!("bad array index in {at}"))?;
            if index < items.len() {
                items.remove(index);
            }
        }
        _ => return Err(format!("cannot remove {at}")),
    }
    Ok(())
}

/// Orders pointers so array indices compare as numbers (`/2` before `/10`).
fn pointer_sort_key(at: &str) -> Vec<(u64, String)> {
    at.split('/')
        .map(|token| match token.parse::<u64>() {
            Ok(index) => (index, String::new()),
            Err(_) => (u64::MAX, token.to_string()),
        })
        .collect()
}
