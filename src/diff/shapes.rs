//! Comparing two versions of a type. What breaks depends on the direction:
//! a request may accept more and demand less, an answer may promise more
//! and deliver nothing less.

use std::collections::BTreeSet;

use serde_json::Value;

use super::Class;
use crate::ir::{Api, Property, Shape, Type};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// The caller sends it.
    Request,
    /// The caller receives it.
    Response,
}

pub type Found = (Class, &'static str, String);

pub struct ShapeDiff<'a> {
    old: &'a Api,
    new: &'a Api,
    direction: Direction,
    /// Component pairs already compared (recursive types end here).
    seen: BTreeSet<(String, String)>,
    found: Vec<Found>,
}

impl<'a> ShapeDiff<'a> {
    pub fn new(old: &'a Api, new: &'a Api, direction: Direction) -> Self {
        ShapeDiff {
            old,
            new,
            direction,
            seen: BTreeSet::new(),
            found: Vec::new(),
        }
    }

    pub fn compare(mut self, what: &str, before: &Type, after: &Type) -> Vec<Found> {
        self.walk(what, "", before, after);
        self.found
    }

    fn note(&mut self, class: Class, id: &'static str, message: String) {
        self.found.push((class, id, message));
    }

    fn walk(&mut self, what: &str, path: &str, before: &Type, after: &Type) {
        if let (Shape::Ref { name: a }, Shape::Ref { name: b }) = (&before.shape, &after.shape)
            && !self.seen.insert((a.clone(), b.clone()))
        {
            return;
        }
        let label = label(what, path);
        if before.sensitive && !after.sensitive {
            self.note(
                Class::Security,
                "sensitive-mark-lost",
                format!("{label} is no longer marked sensitive"),
            );
        }
        let (before, after) = (self.old.resolved(before), self.new.resolved(after));
        let (was_nullable, is_nullable) = (nullable(before), nullable(after));
        if was_nullable && !is_nullable {
            self.note(
                Class::Breaking,
                "nullability-removed",
                format!("{label} can no longer be null"),
            );
        }
        if !was_nullable && is_nullable && self.direction == Direction::Response {
            self.note(
                Class::Breaking,
                "became-nullable",
                format!("{label} can now be null"),
            );
        }
        match (&before.shape, &after.shape) {
            (
                Shape::Scalar {
                    scalar: a,
                    format: fa,
                    constraints: ca,
                },
                Shape::Scalar {
                    scalar: b,
                    format: fb,
                    constraints: cb,
                },
            ) => {
                if a != b || fa != fb {
                    self.changed(&label, before, after);
                } else if self.direction == Direction::Request && narrowed(ca, cb) {
                    self.note(
                        Class::Breaking,
                        "type-narrowed",
                        format!("{label} accepts fewer values"),
                    );
                }
            }
            (
                Shape::Enum {
                    scalar: a,
                    values: va,
                },
                Shape::Enum {
                    scalar: b,
                    values: vb,
                },
            ) => {
                if a != b {
                    self.changed(&label, before, after);
                } else {
                    self.enum_values(&label, va, vb);
                }
            }
            (Shape::Scalar { scalar: a, .. }, Shape::Enum { scalar: b, .. }) if a == b => {
                if self.direction == Direction::Request {
                    self.note(
                        Class::Breaking,
                        "type-narrowed",
                        format!("{label} now accepts only listed values"),
                    );
                }
            }
            (Shape::Enum { scalar: a, .. }, Shape::Scalar { scalar: b, .. }) if a == b => {
                if self.direction == Direction::Response {
                    self.note(
                        Class::Breaking,
                        "type-widened",
                        format!("{label} may now be any value, not only the listed ones"),
                    );
                }
            }
            (Shape::Const { value: a, .. }, Shape::Const { value: b, .. }) => {
                if a != b {
                    self.changed(&label, before, after);
                }
            }
            (Shape::Object { properties: pa, .. }, Shape::Object { properties: pb, .. }) => {
                self.properties(what, path, pa, pb);
            }
            (Shape::Array { items: a }, Shape::Array { items: b }) => {
                self.walk(what, &join(path, "[]"), a, b);
            }
            (
                Shape::Map {
                    values: a,
                    keys: ka,
                    ..
                },
                Shape::Map {
                    values: b,
                    keys: kb,
                    ..
                },
            ) => {
                self.map_keys(&label, ka.as_deref(), kb.as_deref());
                self.walk(what, &join(path, "*"), a, b);
            }
            (Shape::OneOf { variants: a }, Shape::OneOf { variants: b })
            | (Shape::AnyOf { variants: a }, Shape::AnyOf { variants: b })
            | (Shape::AllOf { parts: a }, Shape::AllOf { parts: b }) => {
                if a.len() != b.len() {
                    self.changed(&label, before, after);
                } else {
                    for (i, (x, y)) in a.iter().zip(b).enumerate() {
                        self.walk(what, &join(path, &format!("<{i}>")), x, y);
                    }
                }
            }
            (_, Shape::Any) if self.direction == Direction::Request => {}
            (Shape::Any, _) if self.direction == Direction::Response => {}
            (Shape::Any, Shape::Any) => {}
            _ => self.changed(&label, before, after),
        }
    }

    fn changed(&mut self, label: &str, before: &Type, after: &Type) {
        self.note(
            Class::Breaking,
            "type-changed",
            format!(
                "{label} changed from {} to {}",
                describe(before),
                describe(after)
            ),
        );
    }

    fn enum_values(&mut self, label: &str, before: &[Value], after: &[Value]) {
        let removed: Vec<String> = before
            .iter()
            .filter(|v| !after.contains(v))
            .map(Value::to_string)
            .collect();
        let added: Vec<String> = after
            .iter()
            .filter(|v| !before.contains(v))
            .map(Value::to_string)
            .collect();
        let (breaking_removed, breaking_added) = match self.direction {
            Direction::Request => (true, false),
            Direction::Response => (false, true),
        };
        if !removed.is_empty() {
            let class = if breaking_removed {
                Class::Breaking
            } else {
                Class::NonBreaking
            };
            self.note(
                class,
                "enum-value-removed",
                format!("{label} lost value(s) {}", removed.join(", ")),
            );
        }
        if !added.is_empty() {
            let class = if breaking_added {
                Class::Breaking
            } else {
                Class::NonBreaking
            };
            self.note(
                class,
                "enum-value-added",
                format!("{label} gained value(s) {}", added.join(", ")),
            );
        }
    }

    fn map_keys(&mut self, label: &str, before: Option<&[String]>, after: Option<&[String]>) {
        let (Some(before), Some(after)) = (before, after) else {
            return;
        };
        let as_values = |keys: &[String]| {
            keys.iter()
                .map(|k| Value::String(k.clone()))
                .collect::<Vec<_>>()
        };
        self.enum_values(
            &format!("{label} keys"),
            &as_values(before),
            &as_values(after),
        );
    }

    fn properties(&mut self, what: &str, path: &str, before: &[Property], after: &[Property]) {
        let request = self.direction == Direction::Request;
        for old in before {
            let at = join(path, &old.name);
            let label = label(what, &at);
            match after.iter().find(|p| p.name == old.name) {
                None if request => self.note(
                    Class::Breaking,
                    "request-field-removed",
                    format!("{label} is no longer accepted"),
                ),
                None => self.note(
                    Class::Breaking,
                    "response-field-removed",
                    format!("{label} was removed"),
                ),
                Some(new) => {
                    if request && !old.required && new.required {
                        self.note(
                            Class::Breaking,
                            "field-became-required",
                            format!("{label} became required"),
                        );
                    }
                    if !request && old.required && !new.required {
                        self.note(
                            Class::Breaking,
                            "field-became-optional",
                            format!("{label} may now be absent"),
                        );
                    }
                    self.walk(what, &at, &old.ty, &new.ty);
                }
            }
        }
        for new in after {
            if before.iter().any(|p| p.name == new.name) {
                continue;
            }
            let label = label(what, &join(path, &new.name));
            if request && new.required {
                self.note(
                    Class::Breaking,
                    "required-field-added",
                    format!("{label} was added, required"),
                );
            } else {
                self.note(
                    Class::NonBreaking,
                    "field-added",
                    format!("{label} was added"),
                );
            }
        }
    }
}

fn label(what: &str, path: &str) -> String {
    if path.is_empty() {
        what.to_string()
    } else {
        format!("{what} field `{path}`")
    }
}

fn join(path: &str, step: &str) -> String {
    if path.is_empty() {
        step.to_string()
    } else {
        format!("{path}.{step}")
    }
}

fn nullable(ty: &Type) -> bool {
    ty.nullable || matches!(&ty.shape, Shape::Enum { values, .. } if values.contains(&Value::Null))
}

/// True when `after` admits fewer strings or numbers than `before`.
fn narrowed(before: &crate::ir::Constraints, after: &crate::ir::Constraints) -> bool {
    let lower = |a: Option<u64>, b: Option<u64>| {
        matches!((a, b), (None, Some(_))) || matches!((a, b), (Some(x), Some(y)) if y > x)
    };
    let upper = |a: Option<u64>, b: Option<u64>| {
        matches!((a, b), (None, Some(_))) || matches!((a, b), (Some(x), Some(y)) if y < x)
    };
    let number = |n: &Option<serde_json::Number>| n.as_ref().and_then(serde_json::Number::as_f64);
    let min_up = match (number(&before.minimum), number(&after.minimum)) {
        (None, Some(_)) => true,
        (Some(x), Some(y)) => y > x,
        _ => false,
    };
    let max_down = match (number(&before.maximum), number(&after.maximum)) {
        (None, Some(_)) => true,
        (Some(x), Some(y)) => y < x,
        _ => false,
    };
    lower(before.min_length, after.min_length)
        || upper(before.max_length, after.max_length)
        || (after.pattern.is_some() && after.pattern != before.pattern)
        || min_up
        || max_down
}

fn describe(ty: &Type) -> String {
    match &ty.shape {
        Shape::Ref { name } => format!("`{name}`"),
        Shape::Scalar { scalar, format, .. } => match format {
            Some(format) => format!("{scalar:?} ({format})").to_lowercase(),
            None => format!("{scalar:?}").to_lowercase(),
        },
        Shape::Enum { .. } => "an enum".to_string(),
        Shape::Const { value, .. } => format!("the constant {value}"),
        Shape::Object { .. } => "an object".to_string(),
        Shape::Map { .. } => "a map".to_string(),
        Shape::Array { .. } => "an array".to_string(),
        Shape::OneOf { .. } => "a oneOf".to_string(),
        Shape::AnyOf { .. } => "an anyOf".to_string(),
        Shape::AllOf { .. } => "an allOf".to_string(),
        Shape::Any => "any value".to_string(),
    }
}
