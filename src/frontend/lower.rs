//! Lowers the OpenAPI 3.1 constructs this tool understands into the 3.0 form
//! that `openapiv3` reads, parking each 3.1 fact in an `x-tiergen-*`
//! extension so the IR can restore it. A construct that cannot be lowered is
//! an error naming its JSON pointer — never a silent loss.

use serde_json::{Map, Value};

use crate::error::{Error, Result, escape_token};
use std::path::Path;

/// Where `const` is parked.
pub const CONST: &str = "x-tiergen-const";
/// Where `propertyNames: {enum: [...]}` is parked.
pub const PROPERTY_NAMES: &str = "x-tiergen-property-names";

/// Keywords of a Schema Object that tiergen reads or may ignore safely.
const SCHEMA_KEYWORDS: &[&str] = &[
    "$ref",
    "type",
    "format",
    "title",
    "description",
    "default",
    "example",
    "examples",
    "nullable",
    "readOnly",
    "writeOnly",
    "deprecated",
    "externalDocs",
    "discriminator",
    "xml",
    "enum",
    "const",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "properties",
    "required",
    "additionalProperties",
    "propertyNames",
    "minProperties",
    "maxProperties",
    "items",
    "minItems",
    "maxItems",
    "uniqueItems",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "$comment",
    "$schema",
];

/// Lowers the whole document in place.
pub fn lower_document(root: &mut Value, file: &Path) -> Result<()> {
    let lowerer = Lowerer { file };
    if let Some(info) = root.get_mut("info").and_then(Value::as_object_mut) {
        park(info, "summary", "x-summary");
        if let Some(license) = info.get_mut("license").and_then(Value::as_object_mut) {
            park(license, "identifier", "x-identifier");
        }
    }
    for unsupported in ["webhooks", "jsonSchemaDialect"] {
        if root.get(unsupported).is_some() {
            return Err(Error::at_pointer(
                file,
                &format!("/{unsupported}"),
                format!("`{unsupported}` (OpenAPI 3.1) is not supported by tiergen"),
            ));
        }
    }
    lowerer.walk(root, &mut String::new())
}

fn park(object: &mut Map<String, Value>, key: &str, parked: &str) {
    if let Some(value) = object.shift_remove(key) {
        object.insert(parked.to_string(), value);
    }
}

struct Lowerer<'a> {
    file: &'a Path,
}

impl Lowerer<'_> {
    fn error(&self, at: &str, message: impl Into<String>) -> Error {
        Error::at_pointer(self.file, at, message)
    }

    /// Walks non-schema parts of the document looking for schemas: the value
    /// of any `schema` key, and every entry of `components/schemas`.
    fn walk(&self, value: &mut Value, at: &mut String) -> Result<()> {
        match value {
            Value::Object(map) => {
                for (key, child) in map.iter_mut() {
                    if key.starts_with("x-") || key == "example" || key == "examples" {
                        continue;
                    }
                    let len = at.len();
                    push(at, key);
                    if key == "schema" {
                        self.schema(child, at)?;
                    } else if key == "schemas" && at.as_str() == "/components/schemas" {
                        self.schema_map(child, at)?;
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

    fn schema_map(&self, value: &mut Value, at: &mut String) -> Result<()> {
        let Value::Object(map) = value else {
            return Err(self.error(at, "expected a mapping of schemas"));
        };
        for (name, schema) in map.iter_mut() {
            let len = at.len();
            push(at, name);
            self.schema(schema, at)?;
            at.truncate(len);
        }
        Ok(())
    }

    fn schema_list(&self, value: &mut Value, at: &mut String) -> Result<()> {
        let Value::Array(items) = value else {
            return Err(self.error(at, "expected a list of schemas"));
        };
        for (i, schema) in items.iter_mut().enumerate() {
            let len = at.len();
            push(at, &i.to_string());
            self.schema(schema, at)?;
            at.truncate(len);
        }
        Ok(())
    }

    fn schema(&self, value: &mut Value, at: &mut String) -> Result<()> {
        let schema = match value {
            Value::Object(schema) => schema,
            // JSON Schema's boolean schemas: `true` is any value.
            Value::Bool(true) => {
                *value = Value::Object(Map::new());
                return Ok(());
            }
            _ => return Err(self.error(at, "expected a schema (a mapping)")),
        };
        for key in schema.keys() {
            if !key.starts_with("x-") && !SCHEMA_KEYWORDS.contains(&key.as_str()) {
                return Err(self.error(
                    &format!("{at}/{}", escape_token(key)),
                    format!("schema keyword `{key}` is not supported by tiergen"),
                ));
            }
        }
        self.lower_type_list(schema, at)?;
        self.lower_const(schema, at)?;
        self.lower_property_names(schema, at)?;
        lower_exclusive_bound(schema, "exclusiveMinimum", "minimum");
        lower_exclusive_bound(schema, "exclusiveMaximum", "maximum");
        // 3.1 `examples` (a list) becomes 3.0's single `example`.
        if let Some(Value::Array(examples)) = schema.shift_remove("examples")
            && let (false, Some(first)) =
                (schema.contains_key("example"), examples.into_iter().next())
        {
            schema.insert("example".to_string(), first);
        }
        schema.shift_remove("$comment");
        schema.shift_remove("$schema");
        self.subschemas(schema, at)
    }

    fn subschemas(&self, schema: &mut Map<String, Value>, at: &mut String) -> Result<()> {
        for (key, child) in schema.iter_mut() {
            let len = at.len();
            push(at, key);
            match key.as_str() {
                "properties" => self.schema_map(child, at)?,
                "items" | "not" => self.schema(child, at)?,
                "additionalProperties" if child.is_object() => self.schema(child, at)?,
                "allOf" | "oneOf" | "anyOf" => self.schema_list(child, at)?,
                _ => {}
            }
            at.truncate(len);
        }
        Ok(())
    }

    /// `type: [T, "null"]` becomes `type: T` with `nullable: true`.
    fn lower_type_list(&self, schema: &mut Map<String, Value>, at: &str) -> Result<()> {
        let Some(Value::Array(types)) = schema.get("type") else {
            return Ok(());
        };
        let mut named: Vec<&str> = Vec::new();
        let mut nullable = false;
        for t in types {
            match t.as_str() {
                Some("null") => nullable = true,
                Some(name) => named.push(name),
                None => {
                    return Err(self.error(&format!("{at}/type"), "`type` entries must be strings"));
                }
            }
        }
        let single = match named.as_slice() {
            [one] => one.to_string(),
            [] => {
                return Err(self.error(
                    &format!("{at}/type"),
                    "a `type` of only \"null\" cannot be lowered",
                ));
            }
            _ => {
                return Err(self.error(
                    &format!("{at}/type"),
                    format!("a union of types {named:?} cannot be lowered; use oneOf"),
                ));
            }
        };
        schema.insert("type".to_string(), Value::String(single));
        if nullable {
            schema.insert("nullable".to_string(), Value::Bool(true));
        }
        Ok(())
    }

    /// `const: v` becomes `enum: [v]`, and the const is parked.
    fn lower_const(&self, schema: &mut Map<String, Value>, at: &str) -> Result<()> {
        let Some(value) = schema.shift_remove("const") else {
            return Ok(());
        };
        if schema.contains_key("enum") {
            return Err(self.error(
                &format!("{at}/const"),
                "`const` beside `enum` cannot be lowered",
            ));
        }
        schema.insert("enum".to_string(), Value::Array(vec![value.clone()]));
        schema.insert(CONST.to_string(), value);
        Ok(())
    }

    /// `propertyNames: {enum: [...]}` is parked; other forms are errors.
    fn lower_property_names(&self, schema: &mut Map<String, Value>, at: &str) -> Result<()> {
        let Some(names) = schema.shift_remove("propertyNames") else {
            return Ok(());
        };
        let here = format!("{at}/propertyNames");
        let allowed = names
            .as_object()
            .filter(|n| n.keys().all(|k| k == "enum" || k == "type"))
            .and_then(|n| n.get("enum"))
            .and_then(Value::as_array)
            .filter(|values| values.iter().all(Value::is_string))
            .ok_or_else(|| {
                self.error(
                    &here,
                    "only `propertyNames: {enum: [strings]}` can be lowered",
                )
            })?;
        schema.insert(PROPERTY_NAMES.to_string(), Value::Array(allowed.clone()));
        Ok(())
    }
}

/// 3.1's numeric `exclusiveMinimum: n` becomes 3.0's `minimum: n` plus
/// `exclusiveMinimum: true` (likewise for the maximum).
fn lower_exclusive_bound(schema: &mut Map<String, Value>, exclusive: &str, bound: &str) {
    if let Some(Value::Number(n)) = schema.get(exclusive).cloned() {
        schema.insert(bound.to_string(), Value::Number(n));
        schema.insert(exclusive.to_string(), Value::Bool(true));
    }
}

fn push(at: &mut String, token: &str) {
    at.push('/');
    at.push_str(&escape_token(token));
}
