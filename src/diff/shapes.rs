//! Comparing two versions of a type. What breaks depends on the direction:
//! a request may accept more and demand less, an answer may promise more
//! and deliver nothing less. A property that does not travel a direction
//! (`readOnly` in a request, `writeOnly` in an answer) binds nobody there.
//!
//! A change under a named schema is reported at that schema (its pointer,
//! `schema: Name`), so that [`super::diff`] can report it once for every
//! operation it reaches.

use std::borrow::Cow;
use std::collections::BTreeSet;

use serde_json::Value;

use super::kinds::{self, Kind};
use super::removal::Removal;
use crate::error::escape_token;
use crate::ir::{
    Api, ArrayBounds, Constraints, Date, Direction, Lifecycle, Property, Scalar, Shape, Type,
};

/// One change found in a type.
pub struct Found {
    pub kind: &'static Kind,
    pub message: String,
    /// Where it is in the new spec (or where it was, for a removal).
    pub pointer: String,
    /// The component schema it is in, when it is in one.
    pub schema: Option<String>,
}

/// Where the walk is: what to call it, where it is, and in which schema.
#[derive(Clone)]
struct Site {
    /// `the request body`, or `schema `Thing``.
    what: String,
    /// The property path from `what`: `owner.name`, `[]`, `*`.
    path: String,
    pointer: String,
    schema: Option<String>,
}

impl Site {
    fn label(&self) -> String {
        if self.path.is_empty() {
            self.what.clone()
        } else {
            format!("{} field `{}`", self.what, self.path)
        }
    }

    fn step(&self, path_step: &str, pointer_step: &str) -> Site {
        Site {
            what: self.what.clone(),
            path: if self.path.is_empty() {
                path_step.to_string()
            } else {
                format!("{}.{path_step}", self.path)
            },
            pointer: format!("{}/{pointer_step}", self.pointer),
            schema: self.schema.clone(),
        }
    }

    fn schema(name: &str) -> Site {
        Site {
            what: format!("schema `{name}`"),
            path: String::new(),
            pointer: format!("/components/schemas/{}", escape_token(name)),
            schema: Some(name.to_string()),
        }
    }
}

pub struct ShapeDiff<'a> {
    old: &'a Api,
    new: &'a Api,
    direction: Direction,
    today: Date,
    /// Component pairs already compared (recursive types end here).
    seen: BTreeSet<(String, String)>,
    /// Whether the value being walked may be null, in each version.
    null_before: bool,
    null_after: bool,
    /// Set for the next walk: an alternative of a choice that may be null
    /// may be null too (kept as a flag, not by copying the alternative).
    null_inherited: (bool, bool),
    found: Vec<Found>,
}

impl<'a> ShapeDiff<'a> {
    pub fn new(old: &'a Api, new: &'a Api, direction: Direction, today: Date) -> Self {
        ShapeDiff {
            old,
            new,
            direction,
            today,
            seen: BTreeSet::new(),
            null_before: false,
            null_after: false,
            null_inherited: (false, false),
            found: Vec::new(),
        }
    }

    /// The changes from `before` to `after`, a value called `what` whose
    /// schema is at `pointer`.
    pub fn compare(mut self, what: &str, pointer: &str, before: &Type, after: &Type) -> Vec<Found> {
        let site = Site {
            what: what.to_string(),
            path: String::new(),
            pointer: pointer.to_string(),
            schema: None,
        };
        self.walk(&site, before, after);
        self.found
    }

    fn note(&mut self, site: &Site, kind: &'static Kind, message: String) {
        self.found.push(Found {
            kind,
            message,
            pointer: site.pointer.clone(),
            schema: site.schema.clone(),
        });
    }

    fn request(&self) -> bool {
        self.direction == Direction::Request
    }

    /// The kind of a value taking fewer values, in this direction.
    fn narrow_kind(&self) -> &'static Kind {
        if self.request() {
            kinds::REQUEST_NARROWED
        } else {
            kinds::RESPONSE_NARROWED
        }
    }

    /// The kind of a value taking more values, in this direction.
    fn wide_kind(&self) -> &'static Kind {
        if self.request() {
            kinds::REQUEST_WIDENED
        } else {
            kinds::RESPONSE_WIDENED
        }
    }

    fn walk(&mut self, site: &Site, before: &Type, after: &Type) {
        let inherited = std::mem::take(&mut self.null_inherited);
        let mut site = site.clone();
        if let (Shape::Ref { name: a }, Shape::Ref { name: b }) = (&before.shape, &after.shape) {
            if !self.seen.insert((a.clone(), b.clone())) {
                return;
            }
            if a == b {
                site = Site::schema(b);
            }
        }
        let label = site.label();
        if before.sensitive && !after.sensitive {
            self.note(
                &site,
                kinds::SENSITIVE_MARK_LOST,
                format!("{label} is no longer marked sensitive"),
            );
        }
        // As written (a `$ref` still a name), to pair alternatives by it.
        let (written_before, written_after) = (before, after);
        let (before, after) = (self.old.resolved(before), self.new.resolved(after));
        let (was_null, is_null) = (
            nullable(before) || inherited.0,
            nullable(after) || inherited.1,
        );
        self.nullability(&site, was_null, is_null);
        // A choice that may be null lets each of its alternatives be null.
        (self.null_before, self.null_after) = (was_null, is_null);
        if self.values(&site, before, after)
            || self.containers(&site, before, after)
            || self.compositions(&site, (written_before, written_after), before, after)
        {
            return;
        }
        match (&before.shape, &after.shape) {
            (Shape::Any, Shape::Any) => {}
            (_, Shape::Any) => {
                let message = format!("{label} may now be any value");
                self.note(&site, self.wide_kind(), message);
            }
            (Shape::Any, _) => {
                let message = format!("{label} now takes only {}", describe(after));
                self.note(&site, self.narrow_kind(), message);
            }
            _ => self.changed(&site, before, after),
        }
    }

    /// Scalars, enums and constants compared; false when the pair is not
    /// two of those.
    fn values(&mut self, site: &Site, before: &Type, after: &Type) -> bool {
        let label = site.label();
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
                let numeric = numeric_step(*a, *b);
                // Formats of a number and of an integer bound different things.
                let (fa, fb) = match numeric {
                    Some(_) => (None, None),
                    None => (bound_format(*a, fa), bound_format(*b, fb)),
                };
                if let Some(step) = numeric {
                    self.numeric(site, step);
                }
                if numeric.is_none() && (a != b || (fa.is_some() && fb.is_some() && fa != fb)) {
                    self.changed(site, before, after);
                } else {
                    self.constraints(site, ca, cb, fa, fb);
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
                    self.changed(site, before, after);
                } else {
                    self.enum_values(site, va, vb);
                }
            }
            (Shape::Scalar { scalar: a, .. }, Shape::Enum { scalar: b, .. }) if a == b => {
                let message = format!("{label} now takes only listed values");
                self.note(site, self.narrow_kind(), message);
            }
            (Shape::Enum { scalar: a, .. }, Shape::Scalar { scalar: b, .. }) if a == b => {
                let message = format!("{label} may now be any value, not only the listed ones");
                self.note(site, self.wide_kind(), message);
            }
            (Shape::Const { value: a, .. }, Shape::Const { value: b, .. }) => {
                if a != b {
                    self.changed(site, before, after);
                }
            }
            (
                Shape::Const { scalar: a, .. },
                Shape::Scalar { scalar: b, .. } | Shape::Enum { scalar: b, .. },
            ) if a == b => {
                let message = format!("{label} may now be any {}", describe(after));
                self.note(site, self.wide_kind(), message);
            }
            (
                Shape::Scalar { scalar: a, .. } | Shape::Enum { scalar: a, .. },
                Shape::Const { scalar: b, value },
            ) if a == b => {
                let message = format!("{label} now takes only {value}");
                self.note(site, self.narrow_kind(), message);
            }
            _ => return false,
        }
        true
    }

    /// Objects, arrays and maps compared member by member; false when the
    /// pair is not two of one of those.
    fn containers(&mut self, site: &Site, before: &Type, after: &Type) -> bool {
        let label = site.label();
        match (&before.shape, &after.shape) {
            (Shape::Object { properties: pa, .. }, Shape::Object { properties: pb, .. }) => {
                self.properties(site, pa, pb);
            }
            (
                Shape::Array {
                    items: a,
                    bounds: ba,
                },
                Shape::Array {
                    items: b,
                    bounds: bb,
                },
            ) => {
                self.narrowed_or_widened(site, bounds_narrowed(ba, bb), bounds_narrowed(bb, ba));
                self.walk(&site.step("[]", "items"), a, b);
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
                match (ka, kb) {
                    (Some(ka), Some(kb)) => {
                        let keys = |keys: &[String]| -> Vec<Value> {
                            keys.iter().map(|k| Value::String(k.clone())).collect()
                        };
                        let mut key_site = site.clone();
                        key_site.what = format!("{label} keys");
                        key_site.path.clear();
                        self.enum_values(&key_site, &keys(ka), &keys(kb));
                    }
                    (None, Some(_)) => {
                        let message = format!("{label} now takes only listed keys");
                        self.note(site, self.narrow_kind(), message);
                    }
                    (Some(_), None) => {
                        let message = format!("{label} may now have any key");
                        self.note(site, self.wide_kind(), message);
                    }
                    (None, None) => {}
                }
                self.walk(&site.step("*", "additionalProperties"), a, b);
            }
            _ => return false,
        }
        true
    }

    /// `oneOf`, `anyOf` and `allOf` on either side, paired with their
    /// alternatives or parts; `written` are the two types before their
    /// `$ref`s were followed. False when neither side is a composition
    /// these rules read.
    fn compositions(
        &mut self,
        site: &Site,
        (written_before, written_after): (&Type, &Type),
        before: &Type,
        after: &Type,
    ) -> bool {
        match (&before.shape, &after.shape) {
            (
                Shape::OneOf { variants: a } | Shape::AnyOf { variants: a },
                Shape::OneOf { variants: b } | Shape::AnyOf { variants: b },
            ) => {
                let keyword = keyword(&after.shape);
                self.alternatives(site, keyword, a, b);
            }
            (Shape::AllOf { parts: a }, Shape::AllOf { parts: b }) if a.len() == b.len() => {
                for (i, (x, y)) in a.iter().zip(b).enumerate() {
                    self.walk(&site.step(&format!("<{i}>"), &format!("allOf/{i}")), x, y);
                }
            }
            (Shape::AllOf { parts: a }, Shape::AllOf { parts: b }) => {
                self.parts(site, a, b);
            }
            // A value that became one of several: the old form is one of them.
            (old, Shape::OneOf { variants } | Shape::AnyOf { variants })
                if !is_composition(old)
                    && variants.iter().any(|v| same_kind(written_before, v)) =>
            {
                let keyword = keyword(&after.shape);
                self.alternatives(
                    site,
                    keyword,
                    std::slice::from_ref(written_before),
                    variants,
                );
            }
            (Shape::OneOf { variants } | Shape::AnyOf { variants }, new)
                if !is_composition(new) && variants.iter().any(|v| same_kind(v, written_after)) =>
            {
                let keyword = keyword(&before.shape);
                self.alternatives(site, keyword, variants, std::slice::from_ref(written_after));
            }
            // An object that gained (or lost) `allOf` constraints beside its
            // own properties, as `type: object` with `oneOf: [{required}]`
            // is read: the object is the first part.
            (_, Shape::AllOf { parts })
                if parts.first().is_some_and(|p| same_kind(written_before, p)) =>
            {
                self.parts(site, std::slice::from_ref(written_before), parts);
            }
            (Shape::AllOf { parts }, _)
                if parts.first().is_some_and(|p| same_kind(p, written_after)) =>
            {
                self.parts(site, parts, std::slice::from_ref(written_after));
            }
            _ => return false,
        }
        true
    }

    /// A number that became an integer or the other way round: every
    /// integer is a number, so one side of the wire takes less.
    fn numeric(&mut self, site: &Site, step: NumericStep) {
        let label = site.label();
        let message = match (step, self.request()) {
            (NumericStep::ToInteger, true) => format!("{label} now accepts integers only"),
            (NumericStep::ToInteger, false) => format!("{label} is now always an integer"),
            (NumericStep::ToNumber, true) => format!("{label} now accepts any number"),
            (NumericStep::ToNumber, false) => {
                format!("{label} may now be any number, not only an integer")
            }
        };
        let kind = match step {
            NumericStep::ToInteger => self.narrow_kind(),
            NumericStep::ToNumber => self.wide_kind(),
        };
        self.note(site, kind, message);
    }

    /// `oneOf`/`anyOf` alternatives: each old one is compared with the new
    /// one of its kind; one gone narrows the value, one new widens it.
    fn alternatives(&mut self, site: &Site, keyword: &str, before: &[Type], after: &[Type]) {
        let nulls = (self.null_before, self.null_after);
        let (before, after) = (choices(before), choices(after));
        let mut matched = vec![false; after.len()];
        for old in before.iter().map(|t| t.as_ref()) {
            let found = (0..after.len()).find(|&j| !matched[j] && same_kind(old, &after[j]));
            match found {
                Some(j) => {
                    matched[j] = true;
                    let here = site.step(&format!("<{j}>"), &format!("{keyword}/{j}"));
                    self.null_inherited = nulls;
                    self.walk(&here, old, &after[j]);
                }
                None => self.alternative(site, old, false),
            }
        }
        for (new, matched) in after.iter().zip(matched) {
            if !matched {
                self.alternative(site, new.as_ref(), true);
            }
        }
    }

    /// One alternative added (the value may take more forms) or removed.
    fn alternative(&mut self, site: &Site, ty: &Type, added: bool) {
        let label = site.label();
        let form = describe(ty);
        let message = match (added, self.request()) {
            (true, true) => format!("{label} now also accepts {form}"),
            (true, false) => format!("{label} may now also be {form}"),
            (false, true) => format!("{label} no longer accepts {form}"),
            (false, false) => format!("{label} is no longer {form}"),
        };
        let kind = if added {
            self.wide_kind()
        } else {
            self.narrow_kind()
        };
        self.note(site, kind, message);
    }

    /// `allOf` parts: the first ones are compared in order; a part added
    /// constrains the value more, one removed less. A part the IR holds no
    /// constraint of (a `required`-only alternative reads as any value) is
    /// neither.
    fn parts(&mut self, site: &Site, before: &[Type], after: &[Type]) {
        for (i, (x, y)) in before.iter().zip(after).enumerate() {
            self.walk(&site.step(&format!("<{i}>"), &format!("allOf/{i}")), x, y);
        }
        let label = site.label();
        let (narrow, wide) = (self.narrow_kind(), self.wide_kind());
        for added in after.iter().skip(before.len()).filter(|t| !is_opaque(t)) {
            let message = format!("{label} must now also match {}", describe(added));
            self.note(site, narrow, message);
        }
        for removed in before.iter().skip(after.len()).filter(|t| !is_opaque(t)) {
            let message = format!("{label} need no longer match {}", describe(removed));
            self.note(site, wide, message);
        }
    }

    fn nullability(&mut self, site: &Site, was: bool, is: bool) {
        let label = site.label();
        match (was, is, self.direction) {
            (true, false, Direction::Request) => self.note(
                site,
                kinds::REQUEST_NULLABILITY_REMOVED,
                format!("{label} can no longer be null"),
            ),
            (true, false, Direction::Response) => self.note(
                site,
                kinds::RESPONSE_NULLABILITY_REMOVED,
                format!("{label} is no longer null"),
            ),
            (false, true, Direction::Response) => self.note(
                site,
                kinds::RESPONSE_BECAME_NULLABLE,
                format!("{label} can now be null"),
            ),
            _ => {}
        }
    }

    fn changed(&mut self, site: &Site, before: &Type, after: &Type) {
        let label = site.label();
        self.note(
            site,
            kinds::TYPE_CHANGED,
            format!(
                "{label} changed from {} to {}",
                describe(before),
                describe(after)
            ),
        );
    }

    /// A constraint or `format` that admits fewer values narrows the value;
    /// one that admits more widens it. Either may be true of one change.
    fn constraints(
        &mut self,
        site: &Site,
        before: &Constraints,
        after: &Constraints,
        format_before: Option<&str>,
        format_after: Option<&str>,
    ) {
        let mut narrower = narrowed(before, after);
        let mut wider = narrowed(after, before);
        match (format_before, format_after) {
            (None, Some(format)) => narrower.push(format!("gained `format: {format}`")),
            (Some(format), None) => wider.push(format!("lost `format: {format}`")),
            _ => {}
        }
        self.narrowed_or_widened(site, narrower, wider);
    }

    /// Reports what a value now forbids (`narrower`) and no longer forbids
    /// (`wider`), a phrase per constraint, in this direction's kinds.
    fn narrowed_or_widened(&mut self, site: &Site, narrower: Vec<String>, wider: Vec<String>) {
        let label = site.label();
        let (narrow, wide) = (self.narrow_kind(), self.wide_kind());
        if !narrower.is_empty() {
            let what = narrower.join(", ");
            self.note(site, narrow, format!("{label} takes fewer values: {what}"));
        }
        if !wider.is_empty() {
            let what = wider.join(", ");
            self.note(
                site,
                wide,
                format!("{label} takes more values: no longer {what}"),
            );
        }
    }

    fn enum_values(&mut self, site: &Site, before: &[Value], after: &[Value]) {
        // `null` in an enum is nullability, reported on its own.
        let list = |from: &[Value], not_in: &[Value]| -> Vec<String> {
            from.iter()
                .filter(|v| !v.is_null() && !not_in.contains(v))
                .map(Value::to_string)
                .collect()
        };
        let (removed, added) = (list(before, after), list(after, before));
        let (on_removed, on_added) = if self.request() {
            (
                kinds::REQUEST_ENUM_VALUE_REMOVED,
                kinds::REQUEST_ENUM_VALUE_ADDED,
            )
        } else {
            (
                kinds::RESPONSE_ENUM_VALUE_REMOVED,
                kinds::RESPONSE_ENUM_VALUE_ADDED,
            )
        };
        let label = site.label();
        if !removed.is_empty() {
            let values = removed.join(", ");
            self.note(site, on_removed, format!("{label} lost value(s) {values}"));
        }
        if !added.is_empty() {
            let values = added.join(", ");
            self.note(site, on_added, format!("{label} gained value(s) {values}"));
        }
    }

    fn properties(&mut self, site: &Site, before: &[Property], after: &[Property]) {
        let direction = self.direction;
        let request = self.request();
        for old in before.iter().filter(|p| p.access.travels(direction)) {
            let here = site.step(
                &old.name,
                &format!("properties/{}", escape_token(&old.name)),
            );
            let label = here.label();
            let new = after
                .iter()
                .find(|p| p.name == old.name && p.access.travels(direction));
            let Some(new) = new else {
                self.removed(&here, &old.lifecycle, request);
                continue;
            };
            if !old.lifecycle.deprecated && new.lifecycle.deprecated {
                self.note(
                    &here,
                    kinds::FIELD_DEPRECATED,
                    format!("{label} became deprecated"),
                );
            }
            if request && !old.required && new.required {
                self.note(
                    &here,
                    kinds::FIELD_BECAME_REQUIRED,
                    format!("{label} became required"),
                );
            }
            if !request && old.required && !new.required {
                self.note(
                    &here,
                    kinds::FIELD_BECAME_OPTIONAL,
                    format!("{label} may now be absent"),
                );
            }
            self.walk(&here, &old.ty, &new.ty);
        }
        for new in after.iter().filter(|p| p.access.travels(direction)) {
            if before
                .iter()
                .any(|p| p.name == new.name && p.access.travels(direction))
            {
                continue;
            }
            let here = site.step(
                &new.name,
                &format!("properties/{}", escape_token(&new.name)),
            );
            let label = here.label();
            if request && new.required {
                self.note(
                    &here,
                    kinds::REQUIRED_FIELD_ADDED,
                    format!("{label} was added, required"),
                );
            } else {
                self.note(&here, kinds::FIELD_ADDED, format!("{label} was added"));
            }
        }
    }

    /// A property gone: planned when it was deprecated and its sunset has
    /// come, an accident otherwise.
    fn removed(&mut self, site: &Site, lifecycle: &Lifecycle, request: bool) {
        let label = site.label();
        let removal = Removal::of(lifecycle, self.today);
        let unannounced = if request {
            kinds::REQUEST_FIELD_REMOVED
        } else {
            kinds::RESPONSE_FIELD_REMOVED
        };
        let kinds = super::removal::Kinds {
            unannounced,
            before_sunset: kinds::FIELD_REMOVED_BEFORE_SUNSET,
            planned: kinds::FIELD_SUNSET,
        };
        let message = match removal {
            // A request field not announced is refused, whatever it held.
            Removal::Unannounced if request => format!("{label} is no longer accepted"),
            _ => format!("{label} {}", removal.phrase()),
        };
        self.note(site, removal.kind(&kinds), message);
    }
}

/// A number that became an integer, or an integer that became a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NumericStep {
    ToInteger,
    ToNumber,
}

fn numeric_step(before: Scalar, after: Scalar) -> Option<NumericStep> {
    match (before, after) {
        (Scalar::Number, Scalar::Integer) => Some(NumericStep::ToInteger),
        (Scalar::Integer, Scalar::Number) => Some(NumericStep::ToNumber),
        _ => None,
    }
}

/// The format that bounds a scalar's values: on an integer or a number,
/// `int64` and `double` bound nothing a JSON number on the wire holds in
/// practice, so they are none; `int32` and `float` remain bounds.
fn bound_format(scalar: Scalar, format: &Option<String>) -> Option<&str> {
    match (scalar, format.as_deref()) {
        (Scalar::Integer | Scalar::Number, Some("int64" | "double")) => None,
        (_, format) => format,
    }
}

/// A choice's alternatives as compared: the single-value enums of one
/// scalar (`oneOf: [{enum: [a]}, {enum: [b]}]`, a documented enum) merged
/// into one enum.
fn choices(alternatives: &[Type]) -> Vec<Cow<'_, Type>> {
    let mut out: Vec<Cow<'_, Type>> = Vec::new();
    for alternative in alternatives {
        let values = match &alternative.shape {
            Shape::Enum { scalar, values } => Some((*scalar, values.clone())),
            Shape::Const { scalar, value } => Some((*scalar, vec![value.clone()])),
            _ => None,
        };
        let merged = values.and_then(|(scalar, values)| {
            let earlier = out.iter_mut().find(|t| {
                matches!(&t.shape, Shape::Enum { scalar: s, .. } | Shape::Const { scalar: s, .. } if *s == scalar)
            })?;
            let mut all = match &earlier.shape {
                Shape::Enum { values, .. } => values.clone(),
                Shape::Const { value, .. } => vec![value.clone()],
                _ => Vec::new(),
            };
            all.extend(values.into_iter().filter(|v| !all.contains(v)).collect::<Vec<_>>());
            earlier.to_mut().shape = Shape::Enum { scalar, values: all };
            Some(())
        });
        if merged.is_none() {
            out.push(Cow::Borrowed(alternative));
        }
    }
    out
}

fn keyword(shape: &Shape) -> &'static str {
    match shape {
        Shape::AnyOf { .. } => "anyOf",
        Shape::AllOf { .. } => "allOf",
        _ => "oneOf",
    }
}

fn is_composition(shape: &Shape) -> bool {
    matches!(
        shape,
        Shape::OneOf { .. } | Shape::AnyOf { .. } | Shape::AllOf { .. }
    )
}

/// A part that constrains nothing the IR holds: any value, or a choice
/// among any values.
fn is_opaque(ty: &Type) -> bool {
    match &ty.shape {
        Shape::Any => true,
        Shape::OneOf { variants } | Shape::AnyOf { variants } => variants.iter().all(is_opaque),
        Shape::AllOf { parts } => parts.iter().all(is_opaque),
        _ => false,
    }
}

/// Two types of one kind, to pair alternatives across versions: the same
/// named schema, scalars of one type, objects, arrays.
fn same_kind(a: &Type, b: &Type) -> bool {
    fn key(ty: &Type) -> String {
        match &ty.shape {
            Shape::Ref { name } => format!("ref {name}"),
            Shape::Scalar { scalar, .. } | Shape::Enum { scalar, .. } => format!("{scalar:?}"),
            Shape::Const { .. } => "const".to_string(),
            Shape::Object { .. } | Shape::Map { .. } => "object".to_string(),
            Shape::Array { .. } => "array".to_string(),
            Shape::OneOf { .. } | Shape::AnyOf { .. } | Shape::AllOf { .. } => "choice".to_string(),
            Shape::Any => "any".to_string(),
        }
    }
    key(a) == key(b)
}

fn nullable(ty: &Type) -> bool {
    ty.nullable || matches!(&ty.shape, Shape::Enum { values, .. } if values.contains(&Value::Null))
}

/// What `after` forbids that `before` allowed, one phrase per constraint.
fn narrowed(before: &Constraints, after: &Constraints) -> Vec<String> {
    let number = |n: &Option<serde_json::Number>| n.as_ref().and_then(serde_json::Number::as_f64);
    let length = |n: Option<u64>| n.map(|n| n as f64);
    let mut found = Vec::new();
    if tighter_floor(length(before.min_length), length(after.min_length)) {
        found.push(format!("minLength {}", show(after.min_length)));
    }
    if tighter_ceiling(length(before.max_length), length(after.max_length)) {
        found.push(format!("maxLength {}", show(after.max_length)));
    }
    // `exclusiveMinimum: true` on the same bound drops the bound itself; on
    // a lower one it may admit more, which the plain bounds decide.
    let exclusive_now =
        |was: bool,
         is: bool,
         old: &Option<serde_json::Number>,
         new: &Option<serde_json::Number>| { !was && is && new.is_some() && old == new };
    if tighter_floor(number(&before.minimum), number(&after.minimum))
        || exclusive_now(
            before.exclusive_minimum,
            after.exclusive_minimum,
            &before.minimum,
            &after.minimum,
        )
    {
        found.push("a higher minimum".to_string());
    }
    if tighter_ceiling(number(&before.maximum), number(&after.maximum))
        || exclusive_now(
            before.exclusive_maximum,
            after.exclusive_maximum,
            &before.maximum,
            &after.maximum,
        )
    {
        found.push("a lower maximum".to_string());
    }
    let (was, is) = (pattern(before), pattern(after));
    if let Some(is) = is
        && was != Some(is)
    {
        found.push(format!("pattern `{is}`"));
    }
    found
}

/// What `after` forbids of an array that `before` allowed.
fn bounds_narrowed(before: &ArrayBounds, after: &ArrayBounds) -> Vec<String> {
    let count = |n: Option<u64>| n.map(|n| n as f64);
    let mut found = Vec::new();
    if tighter_floor(count(before.min_items), count(after.min_items)) {
        found.push(format!("minItems {}", show(after.min_items)));
    }
    if tighter_ceiling(count(before.max_items), count(after.max_items)) {
        found.push(format!("maxItems {}", show(after.max_items)));
    }
    if !before.unique_items && after.unique_items {
        found.push("uniqueItems".to_string());
    }
    found
}

/// A lower bound that appeared or went up.
fn tighter_floor(before: Option<f64>, after: Option<f64>) -> bool {
    match (before, after) {
        (None, Some(_)) => true,
        (Some(x), Some(y)) => y > x,
        _ => false,
    }
}

/// An upper bound that appeared or went down.
fn tighter_ceiling(before: Option<f64>, after: Option<f64>) -> bool {
    match (before, after) {
        (None, Some(_)) => true,
        (Some(x), Some(y)) => y < x,
        _ => false,
    }
}

/// The pattern a constraint sets; one that matches everything sets none.
fn pattern(constraints: &Constraints) -> Option<&str> {
    constraints
        .pattern
        .as_deref()
        .filter(|p| !matches!(*p, ".*" | "^.*$" | "^.*" | ".*$" | "" | "(.*)" | "^(.*)$"))
}

fn show(n: Option<u64>) -> String {
    n.map_or_else(|| "none".to_string(), |n| n.to_string())
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
