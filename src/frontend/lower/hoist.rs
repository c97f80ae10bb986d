//! Schema `$ref`s that point anywhere but `#/components/schemas/<name>` —
//! into a path's response, another schema's property, `$defs` — as bundlers
//! write them. Each target is copied once into `components/schemas` under a
//! name derived from its pointer, and the `$ref` rewritten to it, so the rest
//! of tiergen sees named types only (and recursion through them still works).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

const SCHEMAS: &str = "#/components/schemas/";

/// Pointer tokens that say where a schema sits rather than what it is.
const STRUCTURAL: &[&str] = &[
    "paths",
    "components",
    "schemas",
    "content",
    "schema",
    "properties",
    "items",
    "$defs",
    "definitions",
    "allOf",
    "oneOf",
    "anyOf",
];

/// A target to copy: its pointer, the component name it gets, and where it
/// was first referenced (for an error, should it dangle).
pub struct Hoisted {
    pub pointer: String,
    pub name: String,
    pub referenced_at: String,
}

#[derive(Default)]
pub struct Hoister {
    /// The document as written, kept only when some `$ref` needs it.
    source: Option<Value>,
    names: BTreeMap<String, String>,
    taken: BTreeSet<String>,
    pending: Vec<Hoisted>,
}

impl Hoister {
    /// Looks for such `$ref`s; keeps a copy of the document only if there are some.
    pub fn new(root: &Value) -> Self {
        if !has_foreign_ref(root) {
            return Hoister::default();
        }
        let taken = root
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|schemas| schemas.keys().cloned().collect())
            .unwrap_or_default();
        Hoister {
            source: Some(root.clone()),
            taken,
            ..Hoister::default()
        }
    }

    /// The `$ref` to use instead of `reference`, if it must be hoisted.
    pub fn rewrite(&mut self, reference: &str, at: &str) -> Option<String> {
        // `%7B` and `{` name one target: names come from the decoded pointer.
        let pointer = percent_decode(foreign_pointer(reference)?);
        if let Some(name) = self.names.get(&pointer) {
            return Some(format!("{SCHEMAS}{}", escape(name)));
        }
        let name = self.fresh_name(&pointer);
        self.names.insert(pointer.clone(), name.clone());
        self.pending.push(Hoisted {
            pointer,
            name: name.clone(),
            referenced_at: at.to_string(),
        });
        Some(format!("{SCHEMAS}{}", escape(&name)))
    }

    /// Targets waiting to be copied, with their schema as written.
    pub fn take_pending(&mut self) -> Vec<(Hoisted, Option<Value>)> {
        let pending = std::mem::take(&mut self.pending);
        pending
            .into_iter()
            .map(|h| {
                let value = self
                    .source
                    .as_ref()
                    .and_then(|source| source.pointer(&h.pointer))
                    .cloned();
                (h, value)
            })
            .collect()
    }

    /// What a local `$ref` outside `components/<section>/<name>` points at,
    /// as written; `None` for any other `$ref` or a dangling one.
    pub fn target(&self, reference: &str) -> Option<&Value> {
        let pointer = foreign_pointer(reference)?;
        self.source.as_ref()?.pointer(&percent_decode(pointer))
    }

    /// True for a `$ref` [`Self::target`] resolves (or finds dangling).
    pub fn is_foreign(reference: &str) -> bool {
        foreign_pointer(reference).is_some() && !is_component(reference)
    }

    fn fresh_name(&mut self, pointer: &str) -> String {
        let words: Vec<String> = pointer
            .split('/')
            .skip(1)
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .filter(|t| {
                t.starts_with('/') || (!STRUCTURAL.contains(&t.as_str()) && !t.contains('/'))
            })
            .collect();
        let base = words.join(" ").trim().to_string();
        let base = if base.is_empty() {
            "Schema".to_string()
        } else {
            base
        };
        let mut name = base.clone();
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{base} {n}");
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }
}

/// The JSON pointer of a local `$ref` that is not a component schema's.
fn foreign_pointer(reference: &str) -> Option<&str> {
    let pointer = reference.strip_prefix('#')?;
    match reference.strip_prefix(SCHEMAS) {
        Some(name) if !name.is_empty() && !name.contains('/') => None,
        _ if pointer.starts_with('/') => Some(pointer),
        _ => None,
    }
}

fn has_foreign_ref(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.iter().any(|(key, child)| match (key.as_str(), child) {
            ("$ref", Value::String(r)) => foreign_pointer(r).is_some() && !is_component(r),
            _ => has_foreign_ref(child),
        }),
        Value::Array(items) => items.iter().any(has_foreign_ref),
        _ => false,
    }
}

/// `#/components/<section>/<name>`: a parameter, response… — not for hoisting.
fn is_component(reference: &str) -> bool {
    reference
        .strip_prefix("#/components/")
        .is_some_and(|rest| rest.split('/').count() == 2)
}

/// A `$ref` is a URI: its fragment may percent-encode characters (`%7B` for `{`).
pub fn percent_decode(pointer: &str) -> String {
    if !pointer.contains('%') {
        return pointer.to_string();
    }
    let bytes = pointer.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The `$ref` fragment of a component name: a JSON pointer token, with `%`
/// percent-encoded since a reader decodes the fragment first.
fn escape(name: &str) -> String {
    name.replace('~', "~0")
        .replace('/', "~1")
        .replace('%', "%25")
}
