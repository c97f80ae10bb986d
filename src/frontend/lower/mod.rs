//! Lowers an OpenAPI 3.0 or 3.1 document, in place, into the 3.0 form that
//! `openapiv3` reads. 3.1 facts are parked in `x-tiergen-*` extensions so the
//! IR can restore them; parts `openapiv3` has no model for (security schemes,
//! webhooks) are taken out whole for the front end to read itself. What the
//! IR can only approximate is recorded, never silently lost.

mod hoist;
mod schema;

use std::path::Path;

use serde_json::{Map, Value};

use crate::error::{Error, Result, escape_token};
use crate::ir::Approximation;

pub use hoist::percent_decode;
use schema::SchemaLowerer;
pub use schema::{CONST, PROPERTY_NAMES, child};

/// What lowering took out of the document or learned about it.
#[derive(Debug, Default)]
pub struct Lowered {
    /// `components/securitySchemes`, as written.
    pub security_schemes: Map<String, Value>,
    /// 3.1 `webhooks`, with their schemas lowered and path-item `$ref`s resolved.
    pub webhooks: Map<String, Value>,
    pub approximations: Vec<Approximation>,
}

/// The HTTP methods a path item may hold.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Lowers the whole document in place.
pub fn lower_document(root: &mut Value, file: &Path) -> Result<Lowered> {
    let mut lowered = Lowered::default();
    let Value::Object(document) = root else {
        return Err(Error::in_file(file, "expected a mapping at the top level"));
    };
    if let Some(info) = document.get_mut("info").and_then(Value::as_object_mut) {
        park(info, "summary", "x-summary");
        if let Some(license) = info.get_mut("license").and_then(Value::as_object_mut) {
            park(license, "identifier", "x-identifier");
        }
    }
    // The dialect of 3.1 schemas; tiergen reads them as OpenAPI's own.
    document.shift_remove("jsonSchemaDialect");
    // 3.1 makes `paths` optional (a document of webhooks or components
    // alone); `openapiv3` reads 3.0, where it is required.
    let is_31 = document
        .get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("3.1"));
    if is_31 && !document.contains_key("paths") {
        document.insert("paths".to_string(), Value::Object(Map::new()));
    }
    resolve_path_item_refs(document, "paths", file)?;
    resolve_path_item_refs(document, "webhooks", file)?;
    if let Some(components) = document
        .get_mut("components")
        .and_then(Value::as_object_mut)
    {
        components.shift_remove("pathItems");
        // Only operations' `callbacks` name these, and those are dropped below.
        components.shift_remove("callbacks");
        if let Some(Value::Object(schemes)) = components.shift_remove("securitySchemes") {
            lowered.security_schemes = schemes;
        }
    }
    fill_missing_responses(document.get_mut("paths"));
    fill_missing_responses(document.get_mut("webhooks"));
    drop_callbacks(document.get_mut("paths"), &mut lowered.approximations);
    let ref_siblings_ignored = root
        .get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|version| version.starts_with("3.0."));
    let hoister = hoist::Hoister::new(root);
    let mut walker = Walker {
        schemas: SchemaLowerer {
            file,
            notes: &mut lowered.approximations,
            hoister,
            ref_siblings_ignored,
            unknown_types: Vec::new(),
        },
    };
    walker.walk(root, &mut String::new())?;
    hoist_targets(&mut walker.schemas, root, file)?;
    let unknown_types = &walker.schemas.unknown_types;
    if let Some(error) = Error::several("unknown schema types", unknown_types, Error::clone) {
        return Err(error);
    }
    if let Some(Value::Object(webhooks)) = root
        .as_object_mut()
        .and_then(|document| document.shift_remove("webhooks"))
    {
        lowered.webhooks = webhooks;
    }
    Ok(lowered)
}

/// Copies each schema a `$ref` points at outside `components/schemas` into
/// it (lowered, with notes at its own pointer), until none is left.
fn hoist_targets(schemas: &mut SchemaLowerer<'_>, root: &mut Value, file: &Path) -> Result<()> {
    loop {
        let pending = schemas.hoister.take_pending();
        if pending.is_empty() {
            return Ok(());
        }
        for (hoisted, value) in pending {
            // The Hoister keeps the document as written only when a `$ref`
            // needs it; a schema `$ref` to another component section (a
            // response, say) is read from the document as it is now.
            let value = value.or_else(|| root.pointer(&hoisted.pointer).cloned());
            if let Some(section) = other_component_section(&hoisted.pointer) {
                schemas.note(
                    child(&hoisted.referenced_at, "$ref"),
                    format!("a schema `$ref` to components/{section}, not to a schema: its fields are read as a schema"),
                );
            }
            let mut value = value.ok_or_else(|| {
                Error::at_pointer(
                    file,
                    &child(&hoisted.referenced_at, "$ref"),
                    format!("dangling $ref \"#{}\"", hoisted.pointer),
                )
            })?;
            schemas.schema(&mut value, &hoisted.pointer)?;
            let components = root.as_object_mut().map(|d| {
                d.entry("components")
                    .or_insert_with(|| Value::Object(Map::new()))
            });
            let table = components.and_then(Value::as_object_mut).map(|c| {
                c.entry("schemas")
                    .or_insert_with(|| Value::Object(Map::new()))
            });
            if let Some(Value::Object(table)) = table {
                table.insert(hoisted.name, value);
            }
        }
    }
}

/// `responses` for `/components/responses/X`: a component that is not a schema.
fn other_component_section(pointer: &str) -> Option<&str> {
    let section = pointer.strip_prefix("/components/")?.split('/').next()?;
    (section != "schemas").then_some(section)
}

fn park(object: &mut Map<String, Value>, key: &str, parked: &str) {
    if let Some(value) = object.shift_remove(key) {
        object.insert(parked.to_string(), value);
    }
}

/// A path item given as `$ref` (to `components/pathItems` or another path)
/// is replaced by what it points to; its own fields win.
fn resolve_path_item_refs(document: &mut Map<String, Value>, key: &str, file: &Path) -> Result<()> {
    let names: Vec<String> = match document.get(key).and_then(Value::as_object) {
        Some(items) => items
            .iter()
            .filter(|(_, item)| item.get("$ref").is_some())
            .map(|(name, _)| name.clone())
            .collect(),
        None => return Ok(()),
    };
    for name in names {
        let at = child(&format!("/{key}"), &name);
        let mut target = Value::Object(Map::new());
        let mut reference = document
            .get(key)
            .and_then(|items| items.get(&name))
            .and_then(|item| item.get("$ref"))
            .cloned();
        for _ in 0..16 {
            let Some(Value::String(r)) = reference.take() else {
                break;
            };
            let pointer = r.strip_prefix('#').ok_or_else(|| {
                Error::at_pointer(
                    file,
                    &format!("{at}/$ref"),
                    format!("$ref {r:?} leaves the document; tiergen reads one file"),
                )
            })?;
            let found = pointer_in(document, pointer).cloned().ok_or_else(|| {
                Error::at_pointer(file, &format!("{at}/$ref"), format!("dangling $ref {r:?}"))
            })?;
            reference = found.get("$ref").cloned();
            merge_missing(&mut target, found);
        }
        if let Some(Value::Object(item)) =
            document.get_mut(key).and_then(|items| items.get_mut(&name))
        {
            item.shift_remove("$ref");
            let mut merged = Value::Object(std::mem::take(item));
            merge_missing(&mut merged, target);
            if let Value::Object(merged) = merged {
                *item = merged;
            }
            item.shift_remove("$ref");
        }
    }
    Ok(())
}

/// `Value::pointer` for a document already taken apart into its map.
fn pointer_in<'a>(document: &'a Map<String, Value>, pointer: &str) -> Option<&'a Value> {
    let rest = pointer.strip_prefix('/')?;
    let (first, rest) = rest.split_once('/').map_or((rest, ""), |(f, r)| (f, r));
    let first = first.replace("~1", "/").replace("~0", "~");
    let value = document.get(&first)?;
    if rest.is_empty() {
        Some(value)
    } else {
        value.pointer(&format!("/{rest}"))
    }
}

/// Copies into `into` the fields of `from` it does not have.
fn merge_missing(into: &mut Value, from: Value) {
    if let (Value::Object(into), Value::Object(from)) = (into, from) {
        for (key, value) in from {
            into.entry(key).or_insert(value);
        }
    }
}

/// `responses` is optional in 3.1 and required by `openapiv3`.
fn fill_missing_responses(items: Option<&mut Value>) {
    let Some(Value::Object(items)) = items else {
        return;
    };
    for item in items.values_mut().filter_map(Value::as_object_mut) {
        for method in METHODS {
            if let Some(Value::Object(op)) = item.get_mut(*method) {
                op.entry("responses")
                    .or_insert_with(|| Value::Object(Map::new()));
            }
        }
    }
}

/// Callbacks (requests the API sends back during an operation) are not in
/// the IR; each operation that declares some says so.
fn drop_callbacks(paths: Option<&mut Value>, notes: &mut Vec<Approximation>) {
    let Some(Value::Object(paths)) = paths else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for method in METHODS {
            let Some(Value::Object(op)) = item.get_mut(*method) else {
                continue;
            };
            if op.shift_remove("callbacks").is_some() {
                notes.push(Approximation {
                    pointer: format!("/paths/{}/{method}/callbacks", escape_token(path)),
                    message: "callbacks are not read: the requests they describe are not in the \
                              docs, the client or the manifests"
                        .to_string(),
                });
            }
        }
    }
}

/// Finds the schemas in the non-schema parts of the document: the value of
/// any `schema` key, and every entry of `components/schemas`.
struct Walker<'a> {
    schemas: SchemaLowerer<'a>,
}

impl Walker<'_> {
    fn walk(&mut self, value: &mut Value, at: &mut String) -> Result<()> {
        self.inline_foreign_ref(value, at)?;
        match value {
            Value::Object(map) => {
                for (key, child) in map.iter_mut() {
                    if key.starts_with("x-") || key == "example" || key == "examples" {
                        continue;
                    }
                    let len = at.len();
                    push(at, key);
                    if key == "schema" {
                        self.schemas.schema(child, at)?;
                    } else if key == "schemas" && at.as_str() == "/components/schemas" {
                        self.schemas.map(child, at)?;
                    } else {
                        self.walk(child, at)?;
                    }
                    at.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter_mut().enumerate() {
                    let len = at.len();
                    push(at, &i.to_string());
                    self.walk(child, at)?;
                    at.truncate(len);
                }
            }
            _ => {}
        }
        Ok(())
    }
}

impl Walker<'_> {
    /// A parameter, response or body given as a `$ref` into another path
    /// (as bundlers write them) is replaced by a copy of its target.
    fn inline_foreign_ref(&mut self, value: &mut Value, at: &str) -> Result<()> {
        for _ in 0..32 {
            let Some(Value::String(reference)) = value.get("$ref") else {
                return Ok(());
            };
            if !hoist::Hoister::is_foreign(reference) {
                return Ok(());
            }
            let target = self
                .schemas
                .hoister
                .target(reference)
                .cloned()
                .ok_or_else(|| {
                    Error::at_pointer(
                        self.schemas.file,
                        &child(at, "$ref"),
                        format!("dangling $ref {reference:?}"),
                    )
                })?;
            *value = target;
        }
        Err(Error::at_pointer(
            self.schemas.file,
            at,
            "$ref chain too long (a cycle?)",
        ))
    }
}

fn push(at: &mut String, token: &str) {
    at.push('/');
    at.push_str(&crate::error::escape_token(token));
}
