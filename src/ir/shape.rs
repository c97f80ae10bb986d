//! A small shape model for JSON values that keeps the OpenAPI 3.1 facts an
//! emitter needs: nullability (`type: [T, "null"]`), `const`, property-name
//! enums (`propertyNames`), closed objects (`additionalProperties: false`), and
//! absent-versus-null (a property's `required` is separate from its `nullable`).

use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;

use super::Lifecycle;

/// A component schema with its name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NamedType {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: Type,
}

/// The component schemas, in spec order, found by name in constant time
/// (emitters resolve a `$ref` for every property that has one).
#[derive(Clone, Default)]
pub struct Types {
    list: Vec<NamedType>,
    by_name: HashMap<String, usize>,
}

impl Types {
    /// The types in this order; of two with one name, the first is kept
    /// (component names are keys of one map, so they are distinct anyway).
    pub fn new(types: Vec<NamedType>) -> Self {
        let mut kept = Types::default();
        for named in types {
            if !kept.by_name.contains_key(&named.name) {
                kept.by_name.insert(named.name.clone(), kept.list.len());
                kept.list.push(named);
            }
        }
        kept
    }

    pub fn get(&self, name: &str) -> Option<&NamedType> {
        self.by_name.get(name).and_then(|&i| self.list.get(i))
    }

    pub fn iter(&self) -> std::slice::Iter<'_, NamedType> {
        self.list.iter()
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

impl<'a> IntoIterator for &'a Types {
    type Item = &'a NamedType;
    type IntoIter = std::slice::Iter<'a, NamedType>;
    fn into_iter(self) -> Self::IntoIter {
        self.list.iter()
    }
}

impl PartialEq for Types {
    fn eq(&self, other: &Self) -> bool {
        self.list == other.list
    }
}

impl std::fmt::Debug for Types {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.list.fmt(f)
    }
}

impl Serialize for Types {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.list.serialize(serializer)
    }
}

/// A shape plus the facts that apply to any shape.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Type {
    #[serde(flatten)]
    pub shape: Shape,
    /// `null` is a valid value.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub nullable: bool,
    /// Holds a secret: emitters must redact it wherever it is displayed.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub sensitive: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    /// The property that tells the variants (or subtypes) apart, when the
    /// spec names one (`discriminator`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discriminator: Option<Discriminator>,
}

/// OpenAPI's `discriminator`: which property names the variant, and which
/// value names which schema.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Discriminator {
    pub property: String,
    /// `mapping` in spec order: a property value and the schema it selects.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mapping: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "shape", rename_all = "kebab-case")]
pub enum Shape {
    /// A named component type (`#/components/schemas/<name>`).
    Ref {
        name: String,
    },
    Scalar {
        scalar: Scalar,
        #[serde(skip_serializing_if = "Option::is_none")]
        format: Option<String>,
        #[serde(skip_serializing_if = "Constraints::is_empty")]
        constraints: Constraints,
    },
    /// One of listed values; `null` may be among them.
    Enum {
        scalar: Scalar,
        values: Vec<Value>,
    },
    /// Exactly one value (3.1 `const`).
    Const {
        scalar: Scalar,
        value: Value,
    },
    Object {
        properties: Vec<Property>,
        additional: Additional,
        #[serde(skip_serializing_if = "Option::is_none")]
        min_properties: Option<u64>,
    },
    /// An object used as a dictionary: no fixed properties, typed values.
    Map {
        values: Box<Type>,
        /// The only keys allowed, from `propertyNames: {enum: [...]}`.
        #[serde(skip_serializing_if = "Option::is_none")]
        keys: Option<Vec<String>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        min_properties: Option<u64>,
    },
    Array {
        items: Box<Type>,
        /// `minItems`, `maxItems`, `uniqueItems`: read by `diff`; the
        /// emitters leave checking them to the server.
        #[serde(flatten, skip_serializing_if = "ArrayBounds::is_none")]
        bounds: ArrayBounds,
    },
    OneOf {
        variants: Vec<Type>,
    },
    AnyOf {
        variants: Vec<Type>,
    },
    AllOf {
        parts: Vec<Type>,
    },
    /// Any JSON value.
    Any,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scalar {
    String,
    Integer,
    Number,
    Boolean,
}

impl Scalar {
    /// The JSON Schema type name.
    pub fn json_type(self) -> &'static str {
        match self {
            Scalar::String => "string",
            Scalar::Integer => "integer",
            Scalar::Number => "number",
            Scalar::Boolean => "boolean",
        }
    }
}

/// What an object says about keys it does not list.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "type", rename_all = "kebab-case")]
pub enum Additional {
    /// The schema is silent: extra keys are allowed by JSON Schema.
    Unspecified,
    /// `additionalProperties: true` — said out loud (often "best-effort shape").
    Any,
    /// `additionalProperties: false` — extra keys are an error.
    Forbidden,
    Typed(Box<Type>),
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Constraints {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum: Option<serde_json::Number>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum: Option<serde_json::Number>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub exclusive_minimum: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub exclusive_maximum: bool,
}

/// How many items an array may hold, and whether they must differ.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ArrayBounds {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_items: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u64>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unique_items: bool,
}

impl ArrayBounds {
    pub fn is_none(&self) -> bool {
        *self == ArrayBounds::default()
    }
}

impl Constraints {
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Property {
    pub name: String,
    /// Must be present (it may still be `null` when its type is nullable)
    /// in the directions [`Property::access`] lets it travel.
    pub required: bool,
    #[serde(skip_serializing_if = "Access::is_read_write")]
    pub access: Access,
    #[serde(rename = "type")]
    pub ty: Type,
    /// `deprecated` and `x-sunset` of the property's schema.
    #[serde(flatten, skip_serializing_if = "Lifecycle::is_current")]
    pub lifecycle: Lifecycle,
}

/// Which way a property travels (`readOnly`, `writeOnly`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Access {
    /// In requests and in answers.
    #[default]
    ReadWrite,
    /// Only in answers (`readOnly`: an `id` the server assigns).
    ReadOnly,
    /// Only in requests (`writeOnly`: a `password`).
    WriteOnly,
}

/// Which way a value travels: a request body, or an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Request,
    Response,
}

impl Access {
    pub fn is_read_write(&self) -> bool {
        *self == Access::ReadWrite
    }

    /// True when the property belongs in a value going `direction`.
    pub fn travels(self, direction: Direction) -> bool {
        !matches!(
            (self, direction),
            (Access::ReadOnly, Direction::Request) | (Access::WriteOnly, Direction::Response)
        )
    }
}

impl Property {
    /// True when a value going `direction` must carry this property: it is
    /// required, and it travels that way.
    pub fn required_in(&self, direction: Direction) -> bool {
        self.required && self.access.travels(direction)
    }

    /// True when one type can serve both directions with this property
    /// required: it is required and travels both ways.
    pub fn required_both_ways(&self) -> bool {
        self.required && self.access.is_read_write()
    }
}

impl Type {
    pub fn new(shape: Shape) -> Self {
        Type {
            shape,
            nullable: false,
            sensitive: false,
            description: None,
            default: None,
            discriminator: None,
        }
    }

    /// The properties of an object shape; empty for anything else.
    pub fn properties(&self) -> &[Property] {
        match &self.shape {
            Shape::Object { properties, .. } => properties,
            _ => &[],
        }
    }
}
