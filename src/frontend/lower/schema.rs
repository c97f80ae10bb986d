//! Normalises one JSON Schema (OpenAPI 3.0 or 3.1) into the plain 3.0 form
//! `openapiv3` reads: one kind per schema (a typed schema, a composition, or
//! a reference), only the keywords its type uses, 3.1 facts parked in
//! `x-tiergen-*` extensions. Whatever cannot be kept exactly is loosened —
//! never tightened — and noted as an [`Approximation`] at its source pointer.

use serde_json::{Map, Value};

use crate::error::{Error, Result, closest, escape_token};
use crate::ir::Approximation;

/// Where `const` is parked.
pub const CONST: &str = "x-tiergen-const";
/// Where `propertyNames: {enum: [...]}` is parked.
pub const PROPERTY_NAMES: &str = "x-tiergen-property-names";

/// Keywords that only annotate: kept or dropped without changing what is valid.
const ANNOTATIONS: &[&str] = &[
    "title",
    "description",
    "default",
    "example",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "externalDocs",
    "xml",
    "discriminator",
    "nullable",
    "$comment",
    "$schema",
    "$id",
    "$anchor",
    "contentMediaType",
    "contentEncoding",
    "$defs",
    "definitions",
];

/// Annotations `openapiv3` has no field for; dropped without a note.
const DROPPED_ANNOTATIONS: &[&str] = &[
    // Definitions hold no constraint; `$ref`s into them are hoisted.
    "$defs",
    "definitions",
    "$comment",
    "$schema",
    "$id",
    "$anchor",
    "contentMediaType",
    "contentEncoding",
];

const COMPOSITIONS: &[&str] = &["allOf", "oneOf", "anyOf"];

/// The keywords each JSON type gives meaning to, besides `type` and `enum`.
fn keywords_of(ty: &str) -> &'static [&'static str] {
    match ty {
        "string" => &["format", "pattern", "minLength", "maxLength"],
        "integer" | "number" => &[
            "format",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
        "array" => &["items", "minItems", "maxItems", "uniqueItems"],
        "object" => &[
            "properties",
            "required",
            "additionalProperties",
            "patternProperties",
            "propertyNames",
            "minProperties",
            "maxProperties",
        ],
        _ => &[],
    }
}

const TYPES: &[&str] = &["string", "integer", "number", "boolean", "array", "object"];

/// Every type a schema may name, in the order the help lists them.
const ALL_TYPES: &[&str] = &[
    "string", "number", "integer", "boolean", "array", "object", "null",
];

fn is_type_keyword(key: &str) -> bool {
    key == "type" || key == "enum" || TYPES.iter().any(|t| keywords_of(t).contains(&key))
}

fn is_known(key: &str) -> bool {
    key.starts_with("x-")
        || key == "$ref"
        || key == "const"
        || key == "not"
        || ANNOTATIONS.contains(&key)
        || COMPOSITIONS.contains(&key)
        || is_type_keyword(key)
}

/// Normalises schemas in place, collecting approximations.
pub struct SchemaLowerer<'a> {
    pub file: &'a std::path::Path,
    pub notes: &'a mut Vec<Approximation>,
    pub hoister: super::hoist::Hoister,
    /// OpenAPI 3.0: a `$ref`'s siblings are ignored (3.1 applies them).
    pub ref_siblings_ignored: bool,
    /// Every unknown schema `type`: lowering goes on past one, so a spec
    /// with several typos has them all reported in one run.
    pub unknown_types: Vec<Error>,
}

impl SchemaLowerer<'_> {
    pub fn note(&mut self, pointer: String, message: impl Into<String>) {
        self.notes.push(Approximation {
            pointer,
            message: message.into(),
        });
    }

    fn error(&self, at: &str, message: impl Into<String>) -> Error {
        Error::at_pointer(self.file, at, message)
    }

    pub fn map(&mut self, value: &mut Value, at: &str) -> Result<()> {
        let Value::Object(map) = value else {
            return Err(self.error(at, "expected a mapping of schemas"));
        };
        for (name, schema) in map.iter_mut() {
            self.schema(schema, &child(at, name))?;
        }
        Ok(())
    }

    fn list(&mut self, value: &mut Value, at: &str) -> Result<()> {
        let Value::Array(items) = value else {
            return Err(self.error(at, "expected a list of schemas"));
        };
        for (i, schema) in items.iter_mut().enumerate() {
            self.schema(schema, &child(at, &i.to_string()))?;
        }
        Ok(())
    }

    pub fn schema(&mut self, value: &mut Value, at: &str) -> Result<()> {
        let schema = match value {
            Value::Object(schema) => schema,
            // JSON Schema's boolean schemas: `true` is any value.
            Value::Bool(true) => {
                *value = Value::Object(Map::new());
                return Ok(());
            }
            Value::Bool(false) => {
                self.note(
                    at.to_string(),
                    "the `false` schema (no value) is read as any value",
                );
                *value = Value::Object(Map::new());
                return Ok(());
            }
            _ => return Err(self.error(at, "expected a schema (a mapping)")),
        };
        if schema.contains_key("$ref") {
            return self.reference(schema, at);
        }
        self.drop_unknown(schema, at);
        // Before the variants are lowered themselves, while `{type: "null"}` still reads so.
        self.null_variants(schema);
        self.lower_31(schema, at)?;
        self.children(schema, at)?;
        self.duplicate_enum_values(schema, at);
        self.infer_enum_type(schema, at);
        self.drop_stray(schema, at);
        self.pattern_properties(schema, at);
        self.property_names(schema, at);
        self.unlisted_required(schema, at);
        if schema.shift_remove("not").is_some() {
            self.note(
                child(at, "not"),
                "`not` is not enforced: the value is read without it",
            );
        }
        self.split_union(schema, at);
        inherit_type(schema);
        split_composition(schema);
        Ok(())
    }

    /// A `$ref` with siblings (3.1 allows them) becomes `allOf: [$ref]` beside
    /// them, so neither is lost; annotations alone are dropped.
    fn reference(&mut self, schema: &mut Map<String, Value>, at: &str) -> Result<()> {
        let Some(Value::String(reference)) = schema.get("$ref") else {
            return Err(self.error(&child(at, "$ref"), "`$ref` must be a string"));
        };
        if let Some(hoisted) = self.hoister.rewrite(reference, at) {
            schema.insert("$ref".to_string(), Value::String(hoisted));
        }
        let meaningful = schema
            .keys()
            .any(|k| k != "$ref" && !k.starts_with("x-") && !is_pure_annotation(k));
        if !meaningful {
            schema.retain(|k, _| k == "$ref");
            return Ok(());
        }
        let reference = schema.shift_remove("$ref").unwrap_or(Value::Null);
        let mut single = Map::new();
        single.insert("$ref".to_string(), reference);
        let mut parts = vec![Value::Object(single)];
        if let Some(Value::Array(more)) = schema.shift_remove("allOf") {
            parts.extend(more);
        }
        schema.insert("allOf".to_string(), Value::Array(parts));
        self.unknown_type_beside_ref(schema, at);
        // An ordinary schema now. (Notes inside `allOf` parts the spec had
        // beside the `$ref` point one index too far; the case is rare.)
        self.schema_without_ref(schema, at)
    }

    /// 3.0 validators look past a `$ref`'s siblings, so an unknown `type`
    /// beside one passes them (Cloudmersive's spec has a media type there):
    /// it is ignored, with a note, where it is refused anywhere else.
    fn unknown_type_beside_ref(&mut self, schema: &mut Map<String, Value>, at: &str) {
        if !self.ref_siblings_ignored {
            return;
        }
        let message = match schema.get("type") {
            Some(Value::String(name)) if !ALL_TYPES.contains(&name.as_str()) => {
                format!("unknown schema type {name:?} is ignored")
            }
            _ => return,
        };
        schema.shift_remove("type");
        self.note(child(at, "type"), message);
    }

    fn schema_without_ref(&mut self, schema: &mut Map<String, Value>, at: &str) -> Result<()> {
        let mut value = Value::Object(std::mem::take(schema));
        self.schema(&mut value, at)?;
        if let Value::Object(done) = value {
            *schema = done;
        }
        Ok(())
    }

    fn drop_unknown(&mut self, schema: &mut Map<String, Value>, at: &str) {
        let unknown: Vec<String> = schema.keys().filter(|k| !is_known(k)).cloned().collect();
        for key in unknown {
            schema.shift_remove(&key);
            self.note(
                child(at, &key),
                format!("keyword `{key}` is not applied: tiergen reads the schema without it"),
            );
        }
        for key in DROPPED_ANNOTATIONS {
            schema.shift_remove(*key);
        }
    }

    /// 3.1 keywords in their 3.0 spelling.
    fn lower_31(&mut self, schema: &mut Map<String, Value>, at: &str) -> Result<()> {
        self.type_list(schema, at)?;
        self.constant(schema, at);
        lower_exclusive_bound(schema, "exclusiveMinimum", "minimum");
        lower_exclusive_bound(schema, "exclusiveMaximum", "maximum");
        // 3.1 `examples` (a list) becomes 3.0's single `example`.
        if let Some(examples) = schema.shift_remove("examples")
            && let (false, Value::Array(examples)) = (schema.contains_key("example"), examples)
            && let Some(first) = examples.into_iter().next()
        {
            schema.insert("example".to_string(), first);
        }
        Ok(())
    }

    /// `type: [T, "null"]` becomes `type: T` with `nullable: true`; a list
    /// of several types stays a list until [`Self::split_union`].
    fn type_list(&mut self, schema: &mut Map<String, Value>, at: &str) -> Result<()> {
        let types: Vec<Value> = match schema.get("type") {
            None => return Ok(()),
            Some(Value::String(one)) => vec![Value::String(one.clone())],
            Some(Value::Array(many)) => many.clone(),
            Some(_) => {
                return Err(self.error(&child(at, "type"), "`type` must be a string or a list"));
            }
        };
        let listed = matches!(schema.get("type"), Some(Value::Array(_)));
        let mut named: Vec<String> = Vec::new();
        let mut unknown = false;
        for (i, t) in types.iter().enumerate() {
            match t.as_str() {
                Some("null") => {
                    schema.insert("nullable".to_string(), Value::Bool(true));
                }
                Some(name) if TYPES.contains(&name) => {
                    if !named.iter().any(|n| n == name) {
                        named.push(name.to_string());
                    }
                }
                // Invalid OpenAPI, and most often a typo: refused, at the value
                // itself, once lowering is done.
                Some(name) => {
                    let here = child(at, "type");
                    let here = if listed {
                        child(&here, &i.to_string())
                    } else {
                        here
                    };
                    self.refuse_type(&here, name);
                    unknown = true;
                }
                None => {
                    return Err(self.error(&child(at, "type"), "`type` entries must be strings"));
                }
            }
        }
        match named.as_slice() {
            [] if unknown => {
                schema.shift_remove("type");
            }
            [] => {
                schema.shift_remove("type");
                self.note(
                    child(at, "type"),
                    "a schema of type \"null\" is read as any value, nullable",
                );
            }
            [one] => {
                schema.insert("type".to_string(), Value::String(one.clone()));
            }
            _ => {
                let list = named.into_iter().map(Value::String).collect();
                schema.insert("type".to_string(), Value::Array(list));
            }
        }
        Ok(())
    }

    fn refuse_type(&mut self, at: &str, name: &str) {
        // A schema hoisted from where it was also lowered is met twice.
        let seen = self.unknown_types.iter().any(|e| match e.location() {
            crate::error::Location::Pointer(pointer) => pointer == at,
            _ => false,
        });
        if !seen {
            self.unknown_types.push(unknown_type(self.file, at, name));
        }
    }

    /// `const: v` becomes `enum: [v]`, and the const is parked.
    fn constant(&mut self, schema: &mut Map<String, Value>, at: &str) {
        let Some(value) = schema.shift_remove("const") else {
            return;
        };
        if value.is_null() {
            schema.insert("nullable".to_string(), Value::Bool(true));
        }
        if schema.shift_remove("enum").is_some() {
            self.note(
                child(at, "enum"),
                "`enum` beside `const` is ignored; the `const` is kept",
            );
        }
        schema.insert("enum".to_string(), Value::Array(vec![value.clone()]));
        schema.insert(CONST.to_string(), value);
    }

    fn children(&mut self, schema: &mut Map<String, Value>, at: &str) -> Result<()> {
        for (key, value) in schema.iter_mut() {
            let here = child(at, key);
            match key.as_str() {
                "properties" | "patternProperties" => self.map(value, &here)?,
                "items" if value.is_array() => {
                    self.note(here, "a tuple `items` list is read as items of any value");
                    *value = Value::Object(Map::new());
                }
                "items" | "not" => self.schema(value, &here)?,
                "additionalProperties" if !value.is_boolean() => self.schema(value, &here)?,
                "allOf" | "oneOf" | "anyOf" => self.list(value, &here)?,
                _ => {}
            }
        }
        Ok(())
    }

    /// `oneOf: [X, {type: "null"}]` is `X` or null: the null variant becomes
    /// `nullable` on the whole.
    fn null_variants(&mut self, schema: &mut Map<String, Value>) {
        for key in ["oneOf", "anyOf"] {
            let Some(Value::Array(variants)) = schema.get_mut(key) else {
                continue;
            };
            let before = variants.len();
            variants.retain(|v| !is_null_only(v));
            let emptied = variants.is_empty();
            if variants.len() != before {
                schema.insert("nullable".to_string(), Value::Bool(true));
            }
            if emptied {
                schema.shift_remove(key);
            }
        }
    }

    /// An `enum` without `type` takes the type its values share.
    fn infer_enum_type(&mut self, schema: &mut Map<String, Value>, at: &str) {
        if schema.contains_key("type") {
            return;
        }
        let Some(Value::Array(values)) = schema.get("enum") else {
            return;
        };
        let mut kinds: Vec<&str> = values.iter().filter_map(json_type).collect();
        kinds.sort_unstable();
        kinds.dedup();
        if kinds.len() == 2 && kinds.contains(&"integer") && kinds.contains(&"number") {
            kinds = vec!["number"];
        }
        if values.iter().any(Value::is_null) {
            schema.insert("nullable".to_string(), Value::Bool(true));
        }
        match kinds.as_slice() {
            [one] if *one != "array" && *one != "object" => {
                schema.insert("type".to_string(), Value::String(one.to_string()));
            }
            [] => {}
            _ => {
                schema.shift_remove("enum");
                self.note(
                    child(at, "enum"),
                    format!(
                        "an `enum` mixing {} values is read as any value",
                        kinds.join(" and ")
                    ),
                );
            }
        }
    }

    /// An `enum` that lists a value twice is the same set of values with it
    /// once; kept once and noted, so no target gets two variants for one
    /// value (a Rust `match` with an unreachable arm).
    fn duplicate_enum_values(&mut self, schema: &mut Map<String, Value>, at: &str) {
        let Some(Value::Array(values)) = schema.get_mut("enum") else {
            return;
        };
        let mut seen = std::collections::HashSet::new();
        let mut kept: Vec<Value> = Vec::with_capacity(values.len());
        let mut repeated: Vec<String> = Vec::new();
        for value in values.drain(..) {
            let text = value.to_string();
            if seen.insert(text.clone()) {
                kept.push(value);
            } else {
                repeated.push(text);
            }
        }
        *values = kept;
        if !repeated.is_empty() {
            self.note(
                child(at, "enum"),
                format!(
                    "`enum` lists {} more than once; each value is kept once",
                    repeated.join(", ")
                ),
            );
        }
    }

    /// Drops keywords that do not apply to the schema's type, and enum
    /// values that are not of it.
    fn drop_stray(&mut self, schema: &mut Map<String, Value>, at: &str) {
        let Some(Value::String(ty)) = schema.get("type").cloned() else {
            return;
        };
        let stray: Vec<String> = schema
            .keys()
            .filter(|k| {
                is_type_keyword(k)
                    && *k != "type"
                    && *k != "enum"
                    && !keywords_of(&ty).contains(&k.as_str())
            })
            .cloned()
            .collect();
        for key in stray {
            schema.shift_remove(&key);
            self.note(
                child(at, &key),
                format!("keyword `{key}` does not apply to type {ty}; ignored"),
            );
        }
        if ty == "integer" {
            for bound in ["minimum", "maximum"] {
                if schema.get(bound).is_some_and(|v| v.as_i64().is_none()) {
                    schema.shift_remove(bound);
                    self.note(
                        child(at, bound),
                        format!("`{bound}` is not a 64-bit integer; ignored"),
                    );
                }
            }
        }
        let Some(Value::Array(values)) = schema.get_mut("enum") else {
            return;
        };
        if ty == "array" || ty == "object" {
            schema.shift_remove("enum");
            self.note(
                child(at, "enum"),
                format!("an `enum` of {ty} values is not enforced"),
            );
            return;
        }
        let before = values.len();
        values.retain(|v| v.is_null() || value_fits(v, &ty));
        if values.len() != before {
            let dropped = before - values.len();
            if values.is_empty() {
                schema.shift_remove("enum");
            }
            self.note(
                child(at, "enum"),
                format!("{dropped} `enum` value(s) that are not of type {ty} are ignored"),
            );
        }
    }

    /// `patternProperties` becomes the type of additional properties.
    fn pattern_properties(&mut self, schema: &mut Map<String, Value>, at: &str) {
        let Some(Value::Object(patterns)) = schema.shift_remove("patternProperties") else {
            return;
        };
        let here = child(at, "patternProperties");
        if schema.contains_key("additionalProperties") {
            self.note(
                here,
                "`patternProperties` beside `additionalProperties` is ignored",
            );
            return;
        }
        let values = match patterns.len() {
            1 => patterns.into_iter().next().map(|(_, v)| v),
            _ => None,
        };
        schema.insert(
            "additionalProperties".to_string(),
            values.unwrap_or(Value::Bool(true)),
        );
        self.note(
            here,
            "`patternProperties` is read as `additionalProperties`: key patterns are not checked",
        );
    }

    /// `propertyNames: {enum: [...]}` on a map is parked; other forms are dropped.
    fn property_names(&mut self, schema: &mut Map<String, Value>, at: &str) {
        let Some(names) = schema.shift_remove("propertyNames") else {
            return;
        };
        let allowed = names
            .as_object()
            .filter(|n| n.keys().all(|k| k == "enum" || k == "type"))
            .and_then(|n| n.get("enum"))
            .and_then(Value::as_array)
            .filter(|values| values.iter().all(Value::is_string))
            .filter(|_| !schema.contains_key("properties"));
        match allowed {
            Some(allowed) => {
                schema.insert(PROPERTY_NAMES.to_string(), Value::Array(allowed.clone()));
            }
            None => self.note(
                child(at, "propertyNames"),
                "only `propertyNames: {enum: [strings]}` on a map is kept; this one is ignored",
            ),
        }
    }

    /// `required` names that are not among the properties cannot be typed.
    fn unlisted_required(&mut self, schema: &mut Map<String, Value>, at: &str) {
        let listed: Vec<String> = schema
            .get("properties")
            .and_then(Value::as_object)
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        let Some(Value::Array(required)) = schema.get_mut("required") else {
            return;
        };
        let before = required.len();
        required.retain(|name| name.as_str().is_some_and(|n| listed.iter().any(|l| l == n)));
        if required.len() != before {
            if required.is_empty() {
                schema.shift_remove("required");
            }
            self.note(
                child(at, "required"),
                "`required` names properties the schema does not list; they are not enforced",
            );
        }
    }

    /// `type: [A, B]` becomes `oneOf` with one schema per type, each keeping
    /// the keywords that apply to it.
    fn split_union(&mut self, schema: &mut Map<String, Value>, at: &str) {
        let Some(Value::Array(types)) = schema.get("type").cloned() else {
            return;
        };
        let names: Vec<&str> = types.iter().filter_map(Value::as_str).collect();
        let variants: Vec<Value> = names
            .iter()
            .map(|ty| {
                let mut variant = Map::new();
                variant.insert("type".to_string(), Value::String(ty.to_string()));
                for key in keywords_of(ty) {
                    if let Some(value) = schema.get(*key) {
                        variant.insert(key.to_string(), value.clone());
                    }
                }
                if let Some(Value::Array(values)) = schema.get("enum") {
                    let fitting: Vec<Value> = values
                        .iter()
                        .filter(|v| value_fits(v, ty))
                        .cloned()
                        .collect();
                    if !fitting.is_empty() {
                        variant.insert("enum".to_string(), Value::Array(fitting));
                    }
                }
                Value::Object(variant)
            })
            .collect();
        schema.retain(|k, _| !is_type_keyword(k));
        let union = Value::Array(variants);
        match schema.get_mut("oneOf") {
            // Both a union and a oneOf: the union becomes one more allOf part.
            Some(_) => {
                let mut part = Map::new();
                part.insert("oneOf".to_string(), union);
                let parts = schema
                    .entry("allOf")
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(parts) = parts {
                    parts.push(Value::Object(part));
                }
            }
            None => {
                schema.insert("oneOf".to_string(), union);
            }
        }
        self.note(
            child(at, "type"),
            format!("the type union [{}] is read as oneOf", names.join(", ")),
        );
    }
}

/// A `type` that is none of JSON Schema's: most often a typo, so the help
/// names the type meant when one is near, else lists them all.
fn unknown_type(file: &std::path::Path, at: &str, name: &str) -> Error {
    let error = Error::at_pointer(file, at, format!("unknown schema type {name:?}"));
    // Converters carry Swagger 2's `file` over as it was.
    if name == "file" {
        return error
            .with_help("Swagger 2's `type: file` is `type: string, format: binary` in OpenAPI 3");
    }
    match nearest_type(name) {
        Some(meant) => error.with_help(format!("did you mean \"{meant}\"?")),
        None => error.with_help(format!(
            "a schema's type is one of {} (null in OpenAPI 3.1)",
            ALL_TYPES.join(", ")
        )),
    }
}

/// The type `name` is a slip for (`integr`, `Integer`), or the start of
/// (`int`, `bool`, `str`).
fn nearest_type(name: &str) -> Option<&'static str> {
    closest(name, ALL_TYPES.iter().copied()).or_else(|| {
        let name = name.to_lowercase();
        ALL_TYPES
            .iter()
            .copied()
            .find(|ty| name.len() >= 3 && ty.starts_with(&name))
    })
}

/// Variants without a type of their own take their parent's scalar type
/// (`type: string, anyOf: [{format: date}, {format: date-time}]`).
fn inherit_type(schema: &mut Map<String, Value>) {
    let Some(Value::String(ty)) = schema.get("type").cloned() else {
        return;
    };
    if ty == "object" || ty == "array" {
        return;
    }
    let mut inherited = false;
    for key in COMPOSITIONS {
        let Some(Value::Array(variants)) = schema.get_mut(*key) else {
            continue;
        };
        for variant in variants.iter_mut() {
            if let Value::Object(v) = variant
                && !v.contains_key("type")
                && !v.contains_key("$ref")
                && !COMPOSITIONS.iter().any(|c| v.contains_key(*c))
            {
                v.insert("type".to_string(), Value::String(ty.clone()));
                inherited = true;
            }
        }
    }
    if inherited && keywords_of(&ty).iter().all(|k| !schema.contains_key(*k)) {
        schema.shift_remove("type");
        schema.shift_remove("enum");
    }
}

/// A schema that is both typed and composed, or composed in several ways,
/// becomes one `allOf` whose parts each have one kind.
fn split_composition(schema: &mut Map<String, Value>) {
    let compositions = COMPOSITIONS
        .iter()
        .filter(|k| schema.contains_key(**k))
        .count();
    if compositions == 0 {
        return;
    }
    let typed: Vec<String> = schema
        .keys()
        .filter(|k| is_type_keyword(k))
        .cloned()
        .collect();
    let trivial_base = typed.iter().all(|k| k == "type")
        && schema.get("type").and_then(Value::as_str) == Some("object");
    if trivial_base {
        schema.shift_remove("type");
    }
    let needs_split = compositions > 1 || (!typed.is_empty() && !trivial_base);
    if !needs_split {
        return;
    }
    let mut parts = Vec::new();
    if !trivial_base && !typed.is_empty() {
        let mut base = Map::new();
        for key in &typed {
            if let Some(value) = schema.shift_remove(key) {
                base.insert(key.clone(), value);
            }
        }
        for parked in [CONST, PROPERTY_NAMES] {
            if let Some(value) = schema.shift_remove(parked) {
                base.insert(parked.to_string(), value);
            }
        }
        parts.push(Value::Object(base));
    }
    if let Some(Value::Array(all)) = schema.shift_remove("allOf") {
        parts.extend(all);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(variants) = schema.shift_remove(key) {
            let mut part = Map::new();
            part.insert(key.to_string(), variants);
            if let Some(discriminator) = schema.shift_remove("discriminator") {
                part.insert("discriminator".to_string(), discriminator);
            }
            parts.push(Value::Object(part));
        }
    }
    schema.insert("allOf".to_string(), Value::Array(parts));
}

/// Annotations a `$ref` may carry without a wrapper.
fn is_pure_annotation(key: &str) -> bool {
    // `readOnly`/`writeOnly` beside a `$ref` say which way a property
    // travels: kept, in a wrapper, so the property can be read for them.
    ANNOTATIONS.contains(&key)
        && !matches!(
            key,
            "nullable" | "default" | "discriminator" | "readOnly" | "writeOnly"
        )
}

fn is_null_only(schema: &Value) -> bool {
    let Value::Object(map) = schema else {
        return false;
    };
    let null_type = match map.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(ts)) => ts.iter().all(|t| t == "null"),
        _ => false,
    };
    let null_enum = map
        .get("enum")
        .and_then(Value::as_array)
        .is_some_and(|v| v.iter().all(Value::is_null))
        || map.get(CONST).is_some_and(Value::is_null);
    (null_type || null_enum)
        && map.keys().all(|k| {
            matches!(k.as_str(), "type" | "enum" | "nullable")
                || k == CONST
                || ANNOTATIONS.contains(&k.as_str())
                || k.starts_with("x-")
        })
}

fn json_type(value: &Value) -> Option<&'static str> {
    match value {
        Value::Null => None,
        Value::Bool(_) => Some("boolean"),
        Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
        Value::Number(_) => Some("number"),
        Value::String(_) => Some("string"),
        Value::Array(_) => Some("array"),
        Value::Object(_) => Some("object"),
    }
}

fn value_fits(value: &Value, ty: &str) -> bool {
    match (json_type(value), ty) {
        (Some("integer"), "number") => true,
        (Some("integer"), "integer") => value.as_i64().is_some(),
        (Some(kind), _) => kind == ty,
        (None, _) => false,
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

pub fn child(at: &str, token: &str) -> String {
    format!("{at}/{}", escape_token(token))
}
