//! Example values built from a type, for the samples of each operation: the
//! spec's default or first enum value where it has one, else a value of the
//! right shape and format that meets the type's bounds, length and pattern
//! where a short candidate does. Objects carry their required properties
//! (or, when none is required, their first one), so a sample is short and a
//! server that checks the schema takes it.

use serde_json::{Map, Value, json};

use crate::ir::{Api, Constraints, Direction, Scalar, Shape, Type};

/// Deeper than this, a sample says `null` or `{}`: it stays finite for a
/// type that contains itself.
const DEPTH: usize = 6;

/// Short strings tried, in order, against a pattern and length bounds.
const CANDIDATES: &[&str] = &[
    "acme",
    "example",
    "abc",
    "a1",
    "A1",
    "x",
    "1",
    "example-1",
    "EXAMPLE",
];

pub fn value(api: &Api, ty: &Type) -> Value {
    value_at(api, ty, 0)
}

fn value_at(api: &Api, ty: &Type, depth: usize) -> Value {
    if let Some(default) = ty.default.as_ref().filter(|d| !d.is_null()) {
        return default.clone();
    }
    if depth > DEPTH {
        return if ty.nullable { Value::Null } else { json!({}) };
    }
    match &ty.shape {
        Shape::Ref { name } => match api.named_type(name) {
            Some(named) => value_at(api, &named.ty, depth + 1),
            None => Value::Null,
        },
        Shape::Scalar {
            scalar,
            format,
            constraints,
        } => scalar_value(*scalar, format.as_deref(), constraints),
        Shape::Enum { values, .. } => values
            .iter()
            .find(|v| !v.is_null())
            .cloned()
            .unwrap_or(Value::Null),
        Shape::Const { value, .. } => value.clone(),
        Shape::Object {
            properties,
            min_properties,
            ..
        } => {
            let mut object = Map::new();
            // Samples are requests: a readOnly property is the server's to set.
            let sendable: Vec<_> = properties
                .iter()
                .filter(|p| p.access.travels(Direction::Request))
                .collect();
            let required: Vec<_> = sendable.iter().copied().filter(|p| p.required).collect();
            let chosen = if required.is_empty() {
                let wanted = (*min_properties).unwrap_or(1).max(1) as usize;
                sendable.into_iter().take(wanted).collect()
            } else {
                required
            };
            for property in chosen {
                object.insert(
                    property.name.clone(),
                    value_at(api, &property.ty, depth + 1),
                );
            }
            Value::Object(object)
        }
        Shape::Map { values, keys, .. } => {
            let key = keys
                .as_ref()
                .and_then(|k| k.first().cloned())
                .unwrap_or_else(|| "name".to_string());
            let mut object = Map::new();
            object.insert(key, value_at(api, values, depth + 1));
            Value::Object(object)
        }
        Shape::Array { items, .. } => json!([value_at(api, items, depth + 1)]),
        Shape::OneOf { variants } | Shape::AnyOf { variants } => {
            let Some(first) = variants.first() else {
                return Value::Null;
            };
            let mut value = value_at(api, first, depth + 1);
            // A discriminator names the variant: the first one's value.
            if let (Some(d), Value::Object(fields)) = (&ty.discriminator, &mut value) {
                let variant = match &first.shape {
                    Shape::Ref { name } => name.as_str(),
                    _ => "",
                };
                let tag = d
                    .mapping
                    .iter()
                    .find(|(_, target)| target.rsplit('/').next() == Some(variant))
                    .map_or(variant, |(value, _)| value.as_str());
                fields.insert(d.property.clone(), json!(tag));
            }
            value
        }
        Shape::AllOf { parts } => {
            let mut merged = Map::new();
            for part in parts {
                match value_at(api, part, depth + 1) {
                    Value::Object(fields) => merged.extend(fields),
                    other if parts.len() == 1 => return other,
                    _ => {}
                }
            }
            Value::Object(merged)
        }
        Shape::Any => json!("value"),
    }
}

fn scalar_value(scalar: Scalar, format: Option<&str>, constraints: &Constraints) -> Value {
    match scalar {
        Scalar::Boolean => json!(true),
        Scalar::Integer => json!(integer(constraints)),
        Scalar::Number => match &constraints.minimum {
            Some(min) => json!(
                min.as_f64().unwrap_or(0.0) + f64::from(u8::from(constraints.exclusive_minimum))
            ),
            None => json!(1.0),
        },
        Scalar::String => json!(string(format, constraints)),
    }
}

/// 1, or the least value the bounds allow.
fn integer(constraints: &Constraints) -> i64 {
    let mut n = 1;
    if let Some(min) = constraints.minimum.as_ref().and_then(|m| m.as_f64()) {
        let least = if constraints.exclusive_minimum {
            min.floor() as i64 + 1
        } else {
            min.ceil() as i64
        };
        n = n.max(least);
    }
    if let Some(max) = constraints.maximum.as_ref().and_then(|m| m.as_f64()) {
        let most = if constraints.exclusive_maximum {
            max.ceil() as i64 - 1
        } else {
            max.floor() as i64
        };
        n = n.min(most);
    }
    n
}

fn string(format: Option<&str>, constraints: &Constraints) -> String {
    let by_format = match format {
        Some("uuid") => Some("3fa85f64-5717-4562-b3fc-2c963f66afa6"),
        Some("date-time") => Some("2026-01-01T00:00:00Z"),
        Some("date") => Some("2026-01-01"),
        Some("time") => Some("12:00:00"),
        Some("email") => Some("user@example.com"),
        Some("uri" | "url" | "iri") => Some("https://example.com"),
        Some("hostname") => Some("example.com"),
        Some("ipv4") => Some("192.0.2.1"),
        Some("ipv6") => Some("2001:db8::1"),
        Some("byte") => Some("ZXhhbXBsZQ=="),
        Some("binary") => Some("example"),
        _ => None,
    };
    if let Some(text) = by_format {
        return text.to_string();
    }
    let pattern = constraints
        .pattern
        .as_deref()
        .and_then(|p| regex::Regex::new(p).ok());
    let fits = |text: &str| {
        let length = text.chars().count() as u64;
        constraints.min_length.is_none_or(|min| length >= min)
            && constraints.max_length.is_none_or(|max| length <= max)
            && pattern.as_ref().is_none_or(|p| p.is_match(text))
    };
    if let Some(found) = CANDIDATES.iter().find(|c| fits(c)) {
        return (*found).to_string();
    }
    // Bounds alone: "x" repeated to the least length.
    let least = constraints.min_length.unwrap_or(1).clamp(1, 64) as usize;
    "x".repeat(least)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_meet_their_pattern_and_length() {
        let slug = Constraints {
            pattern: Some("^[a-z][a-z0-9-]{2,31}$".into()),
            ..Constraints::default()
        };
        assert_eq!(string(None, &slug), "acme");
        let long = Constraints {
            min_length: Some(12),
            ..Constraints::default()
        };
        assert_eq!(string(None, &long), "xxxxxxxxxxxx");
        assert_eq!(
            string(Some("uuid"), &Constraints::default()),
            "3fa85f64-5717-4562-b3fc-2c963f66afa6"
        );
    }

    #[test]
    fn integers_meet_their_bounds() {
        let bounded = Constraints {
            minimum: Some(10.into()),
            exclusive_minimum: true,
            ..Constraints::default()
        };
        assert_eq!(integer(&bounded), 11);
        assert_eq!(integer(&Constraints::default()), 1);
    }
}
