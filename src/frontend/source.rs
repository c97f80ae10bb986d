//! Reading a YAML or JSON file into a `serde_json::Value`, with errors that
//! name the file and the line and column.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::error::{Error, Location, Result};
use crate::frontend::positions::{line_column, string_end};

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
    let text = text.trim_start_matches('\u{feff}');
    let syntax_error = |e: serde_json::Error| {
        let message = strip_location(&e.to_string());
        Error::new(
            path,
            Location::LineColumn {
                line: e.line(),
                column: e.column(),
            },
            format!("invalid JSON: {message}"),
        )
    };
    let mut parser = serde_json::Deserializer::from_str(text);
    let StrictJson(root) = StrictJson::deserialize(&mut parser).map_err(syntax_error)?;
    parser.end().map_err(syntax_error)?;
    if let Some((offset, literal)) = oversized_integer(text) {
        let (line, column) = line_column(text, offset);
        return Err(Error::new(
            path,
            Location::LineColumn { line, column },
            oversized_message(literal),
        )
        .with_help(OVERSIZED_HELP));
    }
    Ok(root)
}

fn oversized_message(literal: &str) -> String {
    format!("integer {literal} does not fit in 64 bits; no generated client could hold it exactly")
}

const OVERSIZED_HELP: &str = "write it as a string, or as a number with a fraction or an exponent";

/// A JSON value read by serde_json, refusing what JSON parsers disagree on:
/// a key given twice in one object (serde_json alone keeps the last).
struct StrictJson(Value);

impl<'de> serde::Deserialize<'de> for StrictJson {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        deserializer.deserialize_any(StrictVisitor).map(StrictJson)
    }
}

struct StrictVisitor;

impl<'de> serde::de::Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> std::result::Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> std::result::Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> std::result::Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> std::result::Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> std::result::Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> std::result::Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(StrictJson(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(serde::de::Error::custom(format_args!(
                    "duplicate key {key:?} in one object"
                )));
            }
            let StrictJson(value) = map.next_value()?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

/// The byte offset and text of the first integer literal (outside strings)
/// beyond what 64 bits hold, signed or not. serde_json would read it as a
/// float and silently round it.
fn oversized_integer(text: &str) -> Option<(usize, &str)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => i = string_end(bytes, i + 1),
            b'-' | b'0'..=b'9' => {
                let start = i;
                while i < bytes.len()
                    && matches!(bytes[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                {
                    i += 1;
                }
                let literal = &text[start..i];
                if is_oversized(literal) {
                    return Some((start, literal));
                }
            }
            _ => i += 1,
        }
    }
    None
}

/// An integer literal past ±2^64. Between the 64-bit bounds and 2^64 lie
/// only the bounds as JavaScript prints them, rounded (`-9223372036854776000`
/// is `i64::MIN`): public specs carry those, and they are read as the
/// numbers they round to.
fn is_oversized(literal: &str) -> bool {
    const TWO_TO_THE_64: f64 = 18_446_744_073_709_551_616.0;
    let is_integer = !literal.contains(['.', 'e', 'E']);
    is_integer
        && literal.parse::<i64>().is_err()
        && literal.parse::<u64>().is_err()
        && literal
            .parse::<f64>()
            .map_or(true, |v| v.abs() > TWO_TO_THE_64)
}

/// Deeper than any real spec, and far past yaml_serde's own limit (128):
/// libyaml's scanner takes time quadratic in the depth of flow collections
/// (100,000 nested `[` cost it 19 s), so such text is refused before it runs.
const MAX_FLOW_DEPTH: usize = 1_000;

fn parse_yaml(path: &Path, text: &str) -> Result<Value> {
    if let Some(offset) = too_deep_flow(text) {
        let (line, column) = line_column(text, offset);
        return Err(Error::new(
            path,
            Location::LineColumn { line, column },
            format!("invalid YAML: collections nested more than {MAX_FLOW_DEPTH} levels deep"),
        ));
    }
    let yaml: yaml_serde::Value = yaml_serde::from_str(text).map_err(|e| {
        let location = match (e.location(), byte_position(&e.to_string())) {
            // libyaml's reader errors come with a byte offset and no mark.
            (_, Some(offset)) if offset <= text.len() && text.is_char_boundary(offset) => {
                let (line, column) = line_column(text, offset);
                Location::LineColumn { line, column }
            }
            (Some(at), _) => Location::LineColumn {
                line: at.line(),
                column: at.column(),
            },
            (None, _) => Location::File,
        };
        let message = yaml_message(&e.to_string());
        let error = Error::new(path, location, message.clone());
        if message.starts_with("integer ") {
            error.with_help(OVERSIZED_HELP)
        } else {
            error
        }
    })?;
    refuse_tags(path, text)?;
    to_json(&yaml, path, &mut Vec::new())
}

/// yaml_serde's message, with the one for an integer beyond 64 bits
/// ("invalid type: integer `N` as i128, expected ...") said plainly.
fn yaml_message(message: &str) -> String {
    let message = strip_location(message);
    let oversized = message
        .split_once("integer `")
        .and_then(|(_, rest)| rest.split_once("` as "))
        .filter(|(_, kind)| kind.starts_with("i128") || kind.starts_with("u128"));
    match oversized {
        Some((literal, _)) => oversized_message(literal),
        None => format!("invalid YAML: {message}"),
    }
}

/// Refuses explicit YAML tags other than the core schema's (`!!str`,
/// `!!int`...). yaml_serde drops a `!!python/object` tag without a word;
/// a spec carrying one was written for a loader that runs code, and what it
/// means to its author is not what tiergen would read.
fn refuse_tags(path: &Path, text: &str) -> Result<()> {
    if !text.contains('!') {
        return Ok(());
    }
    let mut finder = TagFinder(None);
    let mut parser = yaml_rust2::parser::Parser::new_from_str(text);
    // yaml_serde has read this text already; should the two parsers
    // disagree, what yaml_serde read stands.
    let _ = parser.load(&mut finder, false);
    match finder.0 {
        None => Ok(()),
        Some((tag, mark)) => Err(Error::new(
            path,
            Location::LineColumn {
                line: mark.line(),
                column: mark.col() + 1,
            },
            format!(
                "YAML tag {tag} is not allowed: tiergen reads plain YAML data, and a tag that \
                 asks a loader to build an object means something tiergen cannot honour"
            ),
        )
        .with_help(
            "remove the tag; for another file's content, bundle the spec into one document first",
        )),
    }
}

/// The first tag outside the YAML core schema, and where it is.
struct TagFinder(Option<(String, yaml_rust2::scanner::Marker)>);

impl yaml_rust2::parser::MarkedEventReceiver for TagFinder {
    fn on_event(&mut self, event: yaml_rust2::Event, mark: yaml_rust2::scanner::Marker) {
        use yaml_rust2::Event;
        if self.0.is_some() {
            return;
        }
        let tag = match &event {
            Event::Scalar(_, _, _, tag) => tag.as_ref(),
            Event::SequenceStart(_, tag) | Event::MappingStart(_, tag) => tag.as_ref(),
            _ => None,
        };
        if let Some(tag) = tag.filter(|t| !is_core_tag(t)) {
            let handle = match tag.handle.as_str() {
                "tag:yaml.org,2002:" => "!!",
                other => other,
            };
            self.0 = Some((format!("{handle}{}", tag.suffix), mark));
        }
    }
}

fn is_core_tag(tag: &yaml_rust2::parser::Tag) -> bool {
    const CORE: [&str; 7] = ["str", "int", "float", "bool", "null", "map", "seq"];
    matches!(tag.handle.as_str(), "!!" | "tag:yaml.org,2002:")
        && CORE.contains(&tag.suffix.as_str())
}

/// The byte offset of the first `[` or `{` that opens a flow collection
/// deeper than [`MAX_FLOW_DEPTH`]. A scan, not a parse, that errs towards
/// letting text through: outside any flow collection a bracket counts only
/// where a value starts (after `: `, `- ` or at a line's start), so prose
/// like `range [0, 5)` does not; inside one, every bracket outside quotes
/// counts, as YAML allows no other there.
fn too_deep_flow(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'[' | b'{' if depth > 0 || starts_value(bytes, i) => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'"' if depth > 0 && starts_value(bytes, i) => i = string_end(bytes, i + 1) - 1,
            b'\'' if depth > 0 && starts_value(bytes, i) => {
                i = single_quoted_end(bytes, i + 1) - 1;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Whether a node may start at `i`: only blanks between it and the start
/// of the line or one of the indicators a node follows.
fn starts_value(bytes: &[u8], i: usize) -> bool {
    let before = bytes[..i].iter().rev().find(|b| !matches!(b, b' ' | b'\t'));
    matches!(
        before,
        None | Some(b'\n' | b'\r' | b':' | b'-' | b'?' | b'[' | b'{' | b',')
    )
}

/// The index just past the single-quoted YAML scalar whose contents start
/// at `i` (`''` is an escaped quote).
fn single_quoted_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        if bytes[i] == b'\'' {
            if bytes.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    i
}

/// N in libyaml's "... at position N".
fn byte_position(message: &str) -> Option<usize> {
    let (_, rest) = message.rsplit_once(" at position ")?;
    rest.split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

/// yaml_serde and serde_json append " at line L column C" to their messages; we print the
/// location in front instead, as compilers do.
fn strip_location(message: &str) -> String {
    let end = [" at line ", " at position "]
        .iter()
        .filter_map(|suffix| message.find(suffix))
        .min();
    match end {
        Some(at) => message[..at].to_string(),
        None => message.to_string(),
    }
}

/// Converts YAML to JSON, keeping mapping order. Keys that YAML reads as
/// numbers or booleans (`200:` for a response) become strings, as OpenAPI means them.
fn to_json(yaml: &yaml_serde::Value, path: &Path, at: &mut Vec<String>) -> Result<Value> {
    use yaml_serde::Value as Y;
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

fn number_to_json(n: &yaml_serde::Number) -> Option<Value> {
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

fn key_to_string(key: &yaml_serde::Value) -> Option<String> {
    match key {
        yaml_serde::Value::String(s) => Some(s.clone()),
        yaml_serde::Value::Number(n) => Some(n.to_string()),
        yaml_serde::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::is_oversized;

    #[test]
    fn integers_past_64_bits_are_oversized_but_rounded_bounds_are_not() {
        for fits in [
            "0",
            "-9223372036854775808",
            "18446744073709551615",
            "1e30",
            "1.5",
        ] {
            assert!(!is_oversized(fits), "{fits}");
        }
        // JavaScript's renderings of i64::MIN and u64::MAX, as APIs.guru ships them.
        for rounded in ["-9223372036854776000", "18446744073709552000"] {
            assert!(!is_oversized(rounded), "{rounded}");
        }
        for past in [
            "18446744073709560000",
            "-99999999999999999999999",
            "123456789012345678901234567890",
        ] {
            assert!(is_oversized(past), "{past}");
        }
    }
}
