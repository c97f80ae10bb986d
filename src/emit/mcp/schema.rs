//! IR types as JSON Schema 2020-12, self-contained: component schemas a
//! schema refers to are copied into its `$defs`, nullability is a type array,
//! integers stay `integer`, formats, enums, consts and constraints are kept.
//!
//! Whatever shape the IR holds, the result is valid JSON Schema: references
//! are URI fragments (percent-encoded JSON pointers), recursion goes through
//! `$defs`, and a `oneOf` that a discriminator decides, or that has an
//! anything-goes variant, is written `anyOf` — as `oneOf` it would refuse
//! every value that more than one variant admits. A schema spells out at
//! most [`MAX_EXPANDED_DEFS`] components, nearest first; any further one is
//! a described any-value, so a manifest stays proportional to the API.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use crate::ir::{Additional, Api, Direction, Scalar, Shape, Type};

/// How many component schemas one tool schema spells out in `$defs`. Specs
/// whose types all reach each other (Microsoft Graph: 500+ types behind one
/// entity) would otherwise repeat the whole model in every tool — 200 MB of
/// manifest; GitHub's largest tool schema needs 39.
pub const MAX_EXPANDED_DEFS: usize = 64;

/// Builds schemas for one tool, collecting the components they refer to.
/// Schemas are for one direction: an input schema leaves out `readOnly`
/// properties (the server sets them), an output schema does not require
/// `writeOnly` ones (a server never sends them back).
pub struct SchemaBuilder<'a> {
    api: &'a Api,
    direction: Direction,
    referenced: BTreeSet<String>,
}

impl<'a> SchemaBuilder<'a> {
    pub fn new(api: &'a Api, direction: Direction) -> Self {
        SchemaBuilder {
            api,
            direction,
            referenced: BTreeSet::new(),
        }
    }

    /// The schema of `ty`; references point into `$defs`.
    pub fn schema(&mut self, ty: &Type) -> Value {
        let mut schema = self.shape(&ty.shape, ty.nullable, ty.discriminator.is_some());
        if let Value::Object(map) = &mut schema {
            if let Some(description) = &ty.description {
                map.insert("description".into(), json!(description.trim()));
            }
            if let Some(default) = &ty.default {
                map.insert("default".into(), default.clone());
            }
        }
        schema
    }

    /// The schema of `ty` with a top-level reference replaced by what it
    /// names, for places that need an object at the top.
    pub fn inline_schema(&mut self, ty: &Type) -> Value {
        let resolved = self.api.resolved(ty);
        match resolved.shape {
            // A reference to nothing: any value.
            Shape::Ref { .. } => json!({}),
            _ => self.schema(resolved),
        }
    }

    /// `$defs` for every component referred to so far, transitively, nearest
    /// first; past [`MAX_EXPANDED_DEFS`] a component is any value, described.
    pub fn defs(&mut self) -> Option<Value> {
        let mut defs = Map::new();
        let mut done = BTreeSet::new();
        let mut expanded = 0;
        loop {
            let pending: Vec<String> = self.referenced.difference(&done).cloned().collect();
            if pending.is_empty() {
                break;
            }
            for name in pending {
                done.insert(name.clone());
                let Some(named) = self.api.named_type(&name) else {
                    continue;
                };
                let schema = if expanded < MAX_EXPANDED_DEFS {
                    expanded += 1;
                    self.schema(&named.ty)
                } else {
                    json!({ "description": format!(
                        "{name}: not expanded (a tool's schema spells out at most \
                         {MAX_EXPANDED_DEFS} types; the docs have the whole shape)"
                    ) })
                };
                defs.insert(name, schema);
            }
        }
        (!defs.is_empty()).then(|| Value::Object(defs.into_iter().collect()))
    }

    fn shape(&mut self, shape: &Shape, nullable: bool, discriminated: bool) -> Value {
        match shape {
            Shape::Ref { name } => {
                self.referenced.insert(name.clone());
                let reference = json!({ "$ref": format!("#/$defs/{}", fragment(name)) });
                if nullable {
                    json!({ "anyOf": [reference, { "type": "null" }] })
                } else {
                    reference
                }
            }
            Shape::Scalar {
                scalar,
                format,
                constraints,
            } => {
                let mut map = typed(scalar.json_type(), nullable);
                if let Some(format) = format {
                    map.insert("format".into(), json!(format));
                }
                let c = constraints;
                insert_some(&mut map, "pattern", c.pattern.as_ref().map(|p| json!(p)));
                insert_some(&mut map, "minLength", c.min_length.map(|n| json!(n)));
                insert_some(&mut map, "maxLength", c.max_length.map(|n| json!(n)));
                let (min_key, max_key) = (
                    if c.exclusive_minimum {
                        "exclusiveMinimum"
                    } else {
                        "minimum"
                    },
                    if c.exclusive_maximum {
                        "exclusiveMaximum"
                    } else {
                        "maximum"
                    },
                );
                insert_some(&mut map, min_key, c.minimum.clone().map(Value::Number));
                insert_some(&mut map, max_key, c.maximum.clone().map(Value::Number));
                Value::Object(map)
            }
            Shape::Enum { scalar, values } => {
                let mut values = values.clone();
                if nullable && !values.contains(&Value::Null) {
                    values.push(Value::Null);
                }
                let nullable = nullable || values.contains(&Value::Null);
                let mut map = if values.iter().all(|v| v.is_null() || is_a(*scalar, v)) {
                    typed(scalar.json_type(), nullable)
                } else {
                    // Values of several types: the list alone says it all.
                    Map::new()
                };
                map.insert("enum".into(), Value::Array(values));
                Value::Object(map)
            }
            Shape::Const { scalar, value } => {
                let mut map = if is_a(*scalar, value) {
                    typed(scalar.json_type(), nullable)
                } else {
                    Map::new()
                };
                if nullable && !map.contains_key("type") {
                    map.insert("enum".into(), json!([value, null]));
                } else {
                    map.insert("const".into(), value.clone());
                }
                Value::Object(map)
            }
            Shape::Object {
                properties,
                additional,
                min_properties,
            } => {
                let mut map = typed("object", nullable);
                let direction = self.direction;
                let properties: Vec<_> = properties
                    .iter()
                    .filter(|p| direction == Direction::Response || p.access.travels(direction))
                    .collect();
                if !properties.is_empty() {
                    let props: Map<String, Value> = properties
                        .iter()
                        .map(|p| (p.name.clone(), self.schema(&p.ty)))
                        .collect();
                    map.insert("properties".into(), Value::Object(props));
                    let required: Vec<Value> = properties
                        .iter()
                        .filter(|p| p.required_in(direction))
                        .map(|p| json!(p.name))
                        .collect();
                    if !required.is_empty() {
                        map.insert("required".into(), Value::Array(required));
                    }
                }
                match additional {
                    Additional::Unspecified => {}
                    Additional::Any => {
                        map.insert("additionalProperties".into(), json!(true));
                    }
                    Additional::Forbidden => {
                        map.insert("additionalProperties".into(), json!(false));
                    }
                    Additional::Typed(values) => {
                        let values = self.schema(values);
                        map.insert("additionalProperties".into(), values);
                    }
                }
                insert_some(&mut map, "minProperties", min_properties.map(|n| json!(n)));
                Value::Object(map)
            }
            Shape::Map {
                values,
                keys,
                min_properties,
            } => {
                let mut map = typed("object", nullable);
                let values = self.schema(values);
                map.insert("additionalProperties".into(), values);
                if let Some(keys) = keys {
                    map.insert("propertyNames".into(), json!({ "enum": keys }));
                }
                insert_some(&mut map, "minProperties", min_properties.map(|n| json!(n)));
                Value::Object(map)
            }
            Shape::Array { items, .. } => {
                let mut map = typed("array", nullable);
                let items = self.schema(items);
                map.insert("items".into(), items);
                Value::Object(map)
            }
            Shape::OneOf { variants } if exclusive(variants, discriminated) => {
                self.combination("oneOf", variants, nullable)
            }
            Shape::OneOf { variants } | Shape::AnyOf { variants } => {
                self.combination("anyOf", variants, nullable)
            }
            Shape::AllOf { parts } => {
                let parts: Vec<Value> = parts.iter().map(|p| self.schema(p)).collect();
                let all = json!({ "allOf": parts });
                if nullable {
                    json!({ "anyOf": [all, { "type": "null" }] })
                } else {
                    all
                }
            }
            Shape::Any => json!({}),
        }
    }

    fn combination(&mut self, keyword: &str, variants: &[Type], nullable: bool) -> Value {
        let mut variants: Vec<Value> = variants.iter().map(|v| self.schema(v)).collect();
        if nullable {
            variants.push(json!({ "type": "null" }));
        }
        let mut map = Map::new();
        map.insert(keyword.into(), Value::Array(variants));
        Value::Object(map)
    }
}

/// True when `value` is of `scalar`'s JSON type.
fn is_a(scalar: Scalar, value: &Value) -> bool {
    match scalar {
        Scalar::String => value.is_string(),
        Scalar::Integer => value.is_i64() || value.is_u64(),
        Scalar::Number => value.is_number(),
        Scalar::Boolean => value.is_boolean(),
    }
}

/// `{"type": name}`, or `{"type": [name, "null"]}`.
fn typed(name: &str, nullable: bool) -> Map<String, Value> {
    let mut map = Map::new();
    let ty = if nullable {
        json!([name, "null"])
    } else {
        json!(name)
    };
    map.insert("type".into(), ty);
    map
}

fn insert_some(map: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(value) = value {
        map.insert(key.into(), value);
    }
}

/// True when `oneOf` says what the spec means: no discriminator picks the
/// variant and no variant admits everything.
fn exclusive(variants: &[Type], discriminated: bool) -> bool {
    !discriminated && !variants.iter().any(|v| matches!(v.shape, Shape::Any))
}

/// A component name as a URI fragment after `#/$defs/`: a JSON pointer token
/// (RFC 6901) with every character a fragment cannot hold percent-encoded
/// (RFC 3986), so `My Type` or `a%b` still resolve.
fn fragment(name: &str) -> String {
    let token = name.replace('~', "~0").replace('/', "~1");
    let mut out = String::new();
    for byte in token.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
