//! Parameters on the wire: OpenAPI's `style`, `explode` and `allowReserved`.
//!
//! One serializer for every tool that sends a request: this file is copied
//! as it is into each generated client (`src/style.rs`) and compiled into
//! tiergen's own `mcp serve` and `route`, so the two cannot disagree. It
//! follows the "Style Examples" table of OpenAPI 3.1.1 (which corrects the
//! `label` rows of 3.0.3 and 3.1.0 to RFC 6570's): delimiters are literal,
//! values are percent-encoded, `|`, ` `, `[` and `]` are encoded as the table
//! shows. A value RFC 6570 calls undefined (`null`, an empty list, an empty
//! object) sends nothing. Where the table says *n/a*, the value goes as
//! `form` with `explode: true` would send it (a scalar with
//! `spaceDelimited`, say), so nothing is dropped.

use std::borrow::Cow;

use serde_json::Value;

/// How a parameter's value is written (`style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    Matrix,
    Label,
    Form,
    Simple,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

impl Style {
    /// The style's name as OpenAPI spells it.
    pub(crate) fn parse(name: &str) -> Option<Style> {
        Some(match name {
            "matrix" => Style::Matrix,
            "label" => Style::Label,
            "form" => Style::Form,
            "simple" => Style::Simple,
            "spaceDelimited" => Style::SpaceDelimited,
            "pipeDelimited" => Style::PipeDelimited,
            "deepObject" => Style::DeepObject,
            _ => return None,
        })
    }
}

/// A value given for a parameter declared as JSON `content`: its JSON text,
/// which the styles then write as a string; a string is taken as that text
/// already, and `null` stays undefined.
pub(crate) fn json_content(value: &Value) -> Cow<'_, Value> {
    if value.is_string() || value.is_null() {
        Cow::Borrowed(value)
    } else {
        Cow::Owned(Value::String(value.to_string()))
    }
}

/// A value taken apart the way RFC 6570 sees it.
enum Parts {
    Undefined,
    Scalar(String),
    List(Vec<String>),
    Pairs(Vec<(String, String)>),
}

fn parts(value: &Value) -> Parts {
    match value {
        Value::Null => Parts::Undefined,
        Value::Array(items) if items.is_empty() => Parts::Undefined,
        Value::Object(fields) if fields.is_empty() => Parts::Undefined,
        Value::Array(items) => Parts::List(items.iter().map(scalar).collect()),
        Value::Object(fields) => Parts::Pairs(
            fields
                .iter()
                .map(|(key, value)| (key.clone(), scalar(value)))
                .collect(),
        ),
        other => Parts::Scalar(scalar(other)),
    }
}

/// One value as text: a string as it is, anything else as JSON (a nested
/// list or object has no serialization of its own in OpenAPI).
fn scalar(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Percent-encodes all but RFC 3986's unreserved characters; with
/// `reserved`, the reserved ones and existing `%XX` triples pass too, except
/// those a query cannot carry or that end a form field (`[ ] # & + =`).
fn encode(text: &str, reserved: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    for (i, &byte) in bytes.iter().enumerate() {
        let keep = byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'.' | b'_' | b'~')
            || (reserved
                && (matches!(
                    byte,
                    b':' | b'/'
                        | b'?'
                        | b'@'
                        | b'!'
                        | b'$'
                        | b'\''
                        | b'('
                        | b')'
                        | b'*'
                        | b','
                        | b';'
                ) || (byte == b'%' && is_triple(&bytes[i..]))));
        if keep {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn is_triple(bytes: &[u8]) -> bool {
    bytes.len() >= 3 && bytes[1].is_ascii_hexdigit() && bytes[2].is_ascii_hexdigit()
}

/// The text that replaces `{name}` in a path (`simple`, `label` or
/// `matrix`); an error for a value the path cannot hold: undefined, or a
/// segment that is empty, `.` or `..` (URL normalisation would change the
/// path however it is encoded).
pub(crate) fn path(
    name: &str,
    style: Style,
    explode: bool,
    value: &Value,
) -> Result<String, &'static str> {
    let enc = |text: &str| encode(text, false);
    let name = enc(name);
    let text = match (style, parts(value)) {
        (_, Parts::Undefined) => return Err("must be given: a path has no place for no value"),
        (Style::Matrix, Parts::Scalar(text)) if text.is_empty() => format!(";{name}"),
        (Style::Matrix, Parts::Scalar(text)) => format!(";{name}={}", enc(&text)),
        (Style::Matrix, Parts::List(items)) if explode => items
            .iter()
            .map(|item| format!(";{name}={}", enc(item)))
            .collect(),
        (Style::Matrix, Parts::List(items)) => format!(";{name}={}", joined(&items, ",", enc)),
        (Style::Matrix, Parts::Pairs(pairs)) if explode => pairs
            .iter()
            .map(|(key, value)| format!(";{}={}", enc(key), enc(value)))
            .collect(),
        (Style::Matrix, Parts::Pairs(pairs)) => format!(";{name}={}", flat(&pairs, ",", enc)),
        (Style::Label, Parts::Scalar(text)) => format!(".{}", enc(&text)),
        (Style::Label, Parts::List(items)) => {
            format!(".{}", joined(&items, if explode { "." } else { "," }, enc))
        }
        (Style::Label, Parts::Pairs(pairs)) if explode => format!(".{}", keyed(&pairs, ".", enc)),
        (Style::Label, Parts::Pairs(pairs)) => format!(".{}", flat(&pairs, ",", enc)),
        (_, Parts::Scalar(text)) => enc(&text),
        (_, Parts::List(items)) => joined(&items, ",", enc),
        (_, Parts::Pairs(pairs)) if explode => keyed(&pairs, ",", enc),
        (_, Parts::Pairs(pairs)) => flat(&pairs, ",", enc),
    };
    if text.is_empty() || text == "." || text == ".." {
        return Err("cannot be empty, `.` or `..` in a path");
    }
    Ok(text)
}

/// The query-string fields of one parameter, `&`-joined and encoded
/// (`form`, `spaceDelimited`, `pipeDelimited` or `deepObject`); `None` when
/// the value is undefined.
pub(crate) fn query(
    name: &str,
    style: Style,
    explode: bool,
    allow_reserved: bool,
    value: &Value,
) -> Option<String> {
    let enc = |text: &str| encode(text, allow_reserved);
    let name = encode(name, false);
    let delimited = |delimiter: &str, parts: Parts| match parts {
        Parts::List(items) => Some(format!("{name}={}", joined(&items, delimiter, enc))),
        Parts::Pairs(pairs) => Some(format!("{name}={}", flat(&pairs, delimiter, enc))),
        other => form(&name, true, other, enc),
    };
    match (style, explode) {
        (Style::SpaceDelimited, false) => delimited("%20", parts(value)),
        (Style::PipeDelimited, false) => delimited("%7C", parts(value)),
        (Style::DeepObject, _) => match parts(value) {
            Parts::Pairs(pairs) => Some(
                pairs
                    .iter()
                    .map(|(key, value)| format!("{name}%5B{}%5D={}", enc(key), enc(value)))
                    .collect::<Vec<_>>()
                    .join("&"),
            ),
            other => form(&name, true, other, enc),
        },
        (Style::Form, explode) => form(&name, explode, parts(value), enc),
        // The path styles, and the delimited ones exploded, are not defined
        // for a query: sent as `form` would send them.
        _ => form(&name, true, parts(value), enc),
    }
}

fn form(name: &str, explode: bool, parts: Parts, enc: impl Fn(&str) -> String) -> Option<String> {
    Some(match parts {
        Parts::Undefined => return None,
        Parts::Scalar(text) => format!("{name}={}", enc(&text)),
        Parts::List(items) if explode => items
            .iter()
            .map(|item| format!("{name}={}", enc(item)))
            .collect::<Vec<_>>()
            .join("&"),
        Parts::List(items) => format!("{name}={}", joined(&items, ",", &enc)),
        Parts::Pairs(pairs) if explode => keyed(&pairs, "&", &enc),
        Parts::Pairs(pairs) => format!("{name}={}", flat(&pairs, ",", &enc)),
    })
}

/// A header's value (`simple`, the only header style); `None` when the
/// value is undefined. Header values are not percent-encoded.
pub(crate) fn header(explode: bool, value: &Value) -> Option<String> {
    let same = |text: &str| text.to_owned();
    Some(match parts(value) {
        Parts::Undefined => return None,
        Parts::Scalar(text) => text,
        Parts::List(items) => joined(&items, ",", same),
        Parts::Pairs(pairs) if explode => keyed(&pairs, ",", same),
        Parts::Pairs(pairs) => flat(&pairs, ",", same),
    })
}

/// A cookie's `name=value` text (`form`, the only cookie style); `None`
/// when the value is undefined.
pub(crate) fn cookie(name: &str, explode: bool, value: &Value) -> Option<String> {
    form(name, explode, parts(value), |text| encode(text, false))
}

/// Query fields in order, as they end a URL.
#[derive(Debug, Default)]
pub(crate) struct Query {
    fields: Vec<String>,
}

impl Query {
    /// Adds one parameter's fields (nothing for an undefined value).
    pub(crate) fn push(
        &mut self,
        name: &str,
        style: Style,
        explode: bool,
        allow_reserved: bool,
        value: &Value,
    ) {
        if let Some(fields) = query(name, style, explode, allow_reserved, value) {
            self.fields.push(fields);
        }
    }

    /// `url` with the fields after a `?`, or as it is when there are none.
    pub(crate) fn finish(self, url: String) -> String {
        if self.fields.is_empty() {
            url
        } else {
            format!("{url}?{}", self.fields.join("&"))
        }
    }
}

fn joined(items: &[String], delimiter: &str, enc: impl Fn(&str) -> String) -> String {
    items
        .iter()
        .map(|item| enc(item))
        .collect::<Vec<_>>()
        .join(delimiter)
}

/// `key,value,key,value` with `delimiter` between every item.
fn flat(pairs: &[(String, String)], delimiter: &str, enc: impl Fn(&str) -> String) -> String {
    pairs
        .iter()
        .flat_map(|(key, value)| [enc(key), enc(value)])
        .collect::<Vec<_>>()
        .join(delimiter)
}

/// `key=value` with `delimiter` between the pairs.
fn keyed(pairs: &[(String, String)], delimiter: &str, enc: impl Fn(&str) -> String) -> String {
    pairs
        .iter()
        .map(|(key, value)| format!("{}={}", enc(key), enc(value)))
        .collect::<Vec<_>>()
        .join(delimiter)
}
