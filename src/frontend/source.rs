//! Reading a YAML or JSON file into a `serde_json::Value`, with errors that
//! name the file and the line and column.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::error::{Error, Location, Result};

/// A parsed input document and the file it came from.
#[derive(Debug, Clone)]
pub struct Document {
    pub path: PathBuf,
    pub root: Value,
    /// The source text, kept to turn pointers into lines should an error need one.
    pub text: String,
}

/// Reads and parses `path`: JSON by a JSON parser (fast on large specs),
/// anything else as YAML.
pub fn read_document(path: &Path) -> Result<Document> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::in_file(path, format!("cannot read file: {e}")))?;
    parse_document(path, &text)
}

/// Parses `text` as if read from `path`.
pub fn parse_document(path: &Path, text: &str) -> Result<Document> {
    let root = if is_json(path, text) {
        parse_json(path, text)?
    } else {
        parse_yaml(path, text)?
    };
    if !root.is_object() {
        return Err(Error::in_file(
            path,
            "expected a mapping at the top level of the document",
        ));
    }
    Ok(Document {
        path: path.to_path_buf(),
        root,
        text: text.to_string(),
    })
}

/// A `.json` file, or any text whose first character opens a JSON object.
fn is_json(path: &Path, text: &str) -> bool {
    let named_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    named_json
        || text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .starts_with('{')
}

fn parse_json(path: &Path, text: &str) -> Result<Value> {
    serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
        let message = strip_location(&e.to_string());
        Error::new(
            path,
            Location::LineColumn {
                line: e.line(),
                column: e.column(),
            },
            format!("invalid JSON: {message}"),
        )
    })
}

fn parse_yaml(path: &Path, text: &str) -> Result<Value> {
    let yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let location = match e.location() {
            Some(at) => Location::LineColumn {
                line: at.line(),
                column: at.column(),
            },
            None => Location::File,
        };
        Error::new(
            path,
            location,
            format!("invalid YAML: {}", strip_location(&e.to_string())),
        )
    })?;
    to_json(&yaml, path, &mut Vec::new())
}

/// serde_yaml and serde_json append " at line L column C" to their messages; we print the
/// location in front instead, as compilers do.
fn strip_location(message: &str) -> String {
    match message.find(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message.to_string(),
    }
}

/// Converts YAML to JSON, keeping mapping order. Keys that YAML reads as
/// numbers or booleans (`200:` for a response) become strings, as OpenAPI means them.
fn to_json(yaml: &serde_yaml::Value, path: &Path, at: &mut Vec<String>) -> Result<Value> {
    use serde_yaml::Value as Y;
    Ok(match yaml {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(*b),
        Y::Number(n) => number_to_json(n).ok_or_else(|| {
            Error::at_pointer(
                path,
                &crate::error::pointer(at.iter()),
                format!("number {n} has no JSON form"),
            )
        })?,
        Y::String(s) => Value::String(s.clone()),
        Y::Sequence(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                at.push(i.to_string());
                out.push(to_json(item, path, at)?);
                at.pop();
            }
            Value::Array(out)
        }
        Y::Mapping(mapping) => {
            let mut out = Map::with_capacity(mapping.len());
            for (key, value) in mapping {
                let key = key_to_string(key).ok_or_else(|| {
                    Error::at_pointer(
                        path,
                        &crate::error::pointer(at.iter()),
                        "a mapping key must be a string, number or boolean",
                    )
                })?;
                at.push(key.clone());
                let value = to_json(value, path, at)?;
                at.pop();
                out.insert(key, value);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => {
            return Err(Error::at_pointer(
                path,
                &crate::error::pointer(at.iter()),
                format!("YAML tag {} is not supported", tagged.tag),
            ));
        }
    })
}

fn number_to_json(n: &serde_yaml::Number) -> Option<Value> {
    if let Some(i) = n.as_i64() {
        Some(Value::from(i))
    } else if let Some(u) = n.as_u64() {
        Some(Value::from(u))
    } else {
        n.as_f64()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
    }
}

fn key_to_string(key: &serde_yaml::Value) -> Option<String> {
    match key {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}
