//! Turns lowered OpenAPI schemas into the IR's [`Type`].

use std::path::Path;

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, ReferenceOr, Schema, SchemaKind, Type as OaType,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use super::lower::{CONST, PROPERTY_NAMES};
use crate::error::{Error, Result, escape_token};
use crate::ir::{
    Access, Additional, ArrayBounds, Constraints, Discriminator, Lifecycle, Property, Scalar,
    Shape, Type,
};

/// The extension that marks a schema as holding a secret.
pub const SENSITIVE: &str = "x-tiergen-sensitive";

const SCHEMA_REF_PREFIX: &str = "#/components/schemas/";

/// Converts schemas, checking every `$ref` against the component schemas.
pub struct ShapeBuilder<'a> {
    pub file: &'a Path,
    pub components: &'a IndexMap<String, ReferenceOr<Schema>>,
}

impl ShapeBuilder<'_> {
    fn error(&self, at: &str, message: impl Into<String>) -> Error {
        Error::at_pointer(self.file, at, message)
    }

    /// Resolves a `$ref` to a component schema's name.
    pub fn ref_name(&self, reference: &str, at: &str) -> Result<String> {
        let name = reference.strip_prefix(SCHEMA_REF_PREFIX).ok_or_else(|| {
            self.error(
                at,
                format!("$ref {reference:?} must point into #/components/schemas/"),
            )
        })?;
        let name = super::lower::percent_decode(name)
            .replace("~1", "/")
            .replace("~0", "~");
        if !self.components.contains_key(&name) {
            let error = self.error(at, format!("dangling $ref {reference:?}: no such schema"));
            let known = self.components.keys().map(String::as_str);
            return Err(match crate::error::closest(&name, known) {
                Some(near) => error.with_help(format!(
                    "did you mean \"{SCHEMA_REF_PREFIX}{}\"?",
                    crate::error::escape_token(near)
                )),
                None => error
                    .with_help("declare the schema under components.schemas, or fix the reference"),
            });
        }
        Ok(name)
    }

    pub fn boxed(&self, schema: &ReferenceOr<Box<Schema>>, at: &str) -> Result<Type> {
        match schema {
            ReferenceOr::Reference { reference } => {
                self.reference(reference, &format!("{at}/$ref"))
            }
            ReferenceOr::Item(schema) => self.schema(schema, at),
        }
    }

    pub fn any(&self, schema: &ReferenceOr<Schema>, at: &str) -> Result<Type> {
        match schema {
            ReferenceOr::Reference { reference } => {
                self.reference(reference, &format!("{at}/$ref"))
            }
            ReferenceOr::Item(schema) => self.schema(schema, at),
        }
    }

    fn reference(&self, reference: &str, at: &str) -> Result<Type> {
        Ok(Type::new(Shape::Ref {
            name: self.ref_name(reference, at)?,
        }))
    }

    pub fn schema(&self, schema: &Schema, at: &str) -> Result<Type> {
        let data = &schema.schema_data;
        let shape = match &schema.schema_kind {
            SchemaKind::Type(t) => self.typed(t, &data.extensions, at)?,
            SchemaKind::OneOf { one_of } => Shape::OneOf {
                variants: self.list(one_of, &format!("{at}/oneOf"))?,
            },
            SchemaKind::AnyOf { any_of } => Shape::AnyOf {
                variants: self.list(any_of, &format!("{at}/anyOf"))?,
            },
            SchemaKind::AllOf { all_of } => Shape::AllOf {
                parts: self.list(all_of, &format!("{at}/allOf"))?,
            },
            // Lowering removes `not` (and notes it); should one remain, the
            // value is read without it.
            SchemaKind::Not { .. } => Shape::Any,
            SchemaKind::Any(any) => self.untyped(any, &data.extensions, at)?,
        };
        Ok(Type {
            shape,
            nullable: data.nullable,
            sensitive: data.extensions.get(SENSITIVE) == Some(&Value::Bool(true)),
            description: data.description.clone(),
            default: data.default.clone(),
            discriminator: data.discriminator.as_ref().map(|d| Discriminator {
                property: d.property_name.clone(),
                mapping: d
                    .mapping
                    .iter()
                    .map(|(value, schema)| (value.clone(), schema.clone()))
                    .collect(),
            }),
        })
    }

    fn list(&self, schemas: &[ReferenceOr<Schema>], at: &str) -> Result<Vec<Type>> {
        schemas
            .iter()
            .enumerate()
            .map(|(i, s)| self.any(s, &format!("{at}/{i}")))
            .collect()
    }

    fn typed(&self, t: &OaType, extensions: &IndexMap<String, Value>, at: &str) -> Result<Shape> {
        let constant = extensions.get(CONST);
        Ok(match t {
            OaType::String(s) => scalar_shape(
                Scalar::String,
                constant,
                s.enumeration
                    .iter()
                    .map(|v| v.clone().map_or(Value::Null, Value::String))
                    .collect(),
                format_name(&s.format),
                Constraints {
                    pattern: s.pattern.clone(),
                    min_length: s.min_length.map(|n| n as u64),
                    max_length: s.max_length.map(|n| n as u64),
                    ..Constraints::default()
                },
            ),
            OaType::Integer(i) => scalar_shape(
                Scalar::Integer,
                constant,
                i.enumeration
                    .iter()
                    .map(|v| v.map_or(Value::Null, Value::from))
                    .collect(),
                format_name(&i.format),
                Constraints {
                    minimum: i.minimum.map(serde_json::Number::from),
                    maximum: i.maximum.map(serde_json::Number::from),
                    exclusive_minimum: i.exclusive_minimum,
                    exclusive_maximum: i.exclusive_maximum,
                    ..Constraints::default()
                },
            ),
            OaType::Number(n) => scalar_shape(
                Scalar::Number,
                constant,
                n.enumeration
                    .iter()
                    .map(|v| v.map_or(Value::Null, Value::from))
                    .collect(),
                format_name(&n.format),
                Constraints {
                    minimum: n.minimum.and_then(serde_json::Number::from_f64),
                    maximum: n.maximum.and_then(serde_json::Number::from_f64),
                    exclusive_minimum: n.exclusive_minimum,
                    exclusive_maximum: n.exclusive_maximum,
                    ..Constraints::default()
                },
            ),
            OaType::Boolean(b) => scalar_shape(
                Scalar::Boolean,
                constant,
                b.enumeration
                    .iter()
                    .map(|v| v.map_or(Value::Null, Value::Bool))
                    .collect(),
                None,
                Constraints::default(),
            ),
            OaType::Array(a) => Shape::Array {
                items: Box::new(match &a.items {
                    Some(items) => self.boxed(items, &format!("{at}/items"))?,
                    None => Type::new(Shape::Any),
                }),
                bounds: ArrayBounds {
                    min_items: a.min_items.map(|n| n as u64),
                    max_items: a.max_items.map(|n| n as u64),
                    unique_items: a.unique_items,
                },
            },
            OaType::Object(o) => self.object(
                &o.properties,
                &o.required,
                o.additional_properties.as_ref(),
                o.min_properties,
                extensions,
                at,
            )?,
        })
    }

    /// A schema without a `type`: an object if it lists properties, else any value.
    fn untyped(
        &self,
        any: &AnySchema,
        extensions: &IndexMap<String, Value>,
        at: &str,
    ) -> Result<Shape> {
        if let Some(t) = &any.typ {
            return Err(self.error(
                &format!("{at}/type"),
                format!("unsupported schema type {t:?}"),
            ));
        }
        if !any.properties.is_empty() || any.additional_properties.is_some() {
            return self.object(
                &any.properties,
                &any.required,
                any.additional_properties.as_ref(),
                any.min_properties,
                extensions,
                at,
            );
        }
        if !any.enumeration.is_empty() {
            let scalar = if any.enumeration.iter().all(|v| v.is_string() || v.is_null()) {
                Scalar::String
            } else {
                return Err(self.error(
                    &format!("{at}/enum"),
                    "an enum without `type` must list strings",
                ));
            };
            return Ok(Shape::Enum {
                scalar,
                values: any.enumeration.clone(),
            });
        }
        Ok(Shape::Any)
    }

    fn object(
        &self,
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        min_properties: Option<usize>,
        extensions: &IndexMap<String, Value>,
        at: &str,
    ) -> Result<Shape> {
        let additional = match additional {
            None => Additional::Unspecified,
            Some(AdditionalProperties::Any(true)) => Additional::Any,
            Some(AdditionalProperties::Any(false)) => Additional::Forbidden,
            Some(AdditionalProperties::Schema(schema)) => Additional::Typed(Box::new(
                self.any(schema, &format!("{at}/additionalProperties"))?,
            )),
        };
        let keys = property_names(extensions);
        let min_properties = min_properties.map(|n| n as u64);
        if properties.is_empty() && (keys.is_some() || matches!(additional, Additional::Typed(_))) {
            let values = match additional {
                Additional::Typed(values) => values,
                _ => Box::new(Type::new(Shape::Any)),
            };
            return Ok(Shape::Map {
                values,
                keys,
                min_properties,
            });
        }
        let properties = properties
            .iter()
            .map(|(name, schema)| {
                let here = format!("{at}/properties/{}", escape_token(name));
                Ok(Property {
                    name: name.clone(),
                    required: required.contains(name),
                    access: access_of(schema),
                    ty: self.boxed(schema, &here)?,
                    lifecycle: self.lifecycle_of(schema, &here)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Shape::Object {
            properties,
            additional,
            min_properties,
        })
    }
}

/// `readOnly` / `writeOnly` of a property's own schema (a `$ref` with
/// them beside it is lowered to an `allOf` that keeps them here). Both at
/// once say the property never travels; it is kept as read-write, the
/// conservative reading.
impl ShapeBuilder<'_> {
    /// A property's `deprecated` and `x-sunset`, written on its own schema
    /// (a `$ref`'s target speaks for every use, so it is not read here).
    fn lifecycle_of(&self, schema: &ReferenceOr<Box<Schema>>, at: &str) -> Result<Lifecycle> {
        match schema {
            ReferenceOr::Item(schema) => {
                let data = &schema.schema_data;
                super::declarations::lifecycle(self.file, at, data.deprecated, &data.extensions)
            }
            ReferenceOr::Reference { .. } => Ok(Lifecycle::default()),
        }
    }
}

fn access_of(schema: &ReferenceOr<Box<Schema>>) -> Access {
    match schema {
        ReferenceOr::Item(schema) => {
            match (schema.schema_data.read_only, schema.schema_data.write_only) {
                (true, false) => Access::ReadOnly,
                (false, true) => Access::WriteOnly,
                _ => Access::ReadWrite,
            }
        }
        ReferenceOr::Reference { .. } => Access::ReadWrite,
    }
}

fn scalar_shape(
    scalar: Scalar,
    constant: Option<&Value>,
    values: Vec<Value>,
    format: Option<String>,
    constraints: Constraints,
) -> Shape {
    match constant {
        Some(value) => Shape::Const {
            scalar,
            value: value.clone(),
        },
        None if !values.is_empty() => Shape::Enum { scalar, values },
        None => Shape::Scalar {
            scalar,
            format,
            constraints,
        },
    }
}

fn format_name<T: serde::Serialize>(format: &VariantOrUnknownOrEmpty<T>) -> Option<String> {
    match format {
        VariantOrUnknownOrEmpty::Item(known) => serde_json::to_value(known)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string)),
        VariantOrUnknownOrEmpty::Unknown(name) => Some(name.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn property_names(extensions: &IndexMap<String, Value>) -> Option<Vec<String>> {
    extensions
        .get(PROPERTY_NAMES)
        .and_then(Value::as_array)
        .map(|names| {
            names
                .iter()
                .filter_map(|n| n.as_str().map(str::to_string))
                .collect()
        })
}
