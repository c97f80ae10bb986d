//! What `mcp serve` and `route` share about putting a call on the wire:
//! path segments, scalar text, credential placement and the guards checked
//! before anything is sent.

use std::borrow::Cow;

use indexmap::IndexMap;
use regex::Regex;
use serde_json::Value;

use crate::artifact::{Credential, Routing};
use crate::ir::{Guard, ParamLocation, ParamStyle, Placement, Requirement, Serialization};
use crate::style::{self, Style};

/// The values of the first alternative whose every credential and routing
/// value is in the environment.
pub struct Chosen<'a> {
    pub credentials: Vec<(&'a Credential, String)>,
    pub routing: Vec<(&'a Routing, String)>,
    /// The scopes the credentials' tokens must carry.
    pub scopes: Vec<String>,
}

/// Why no alternative could be used.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Unmet {
    /// For each alternative a running tool could send, in order: the
    /// environment variables it needs and the scopes its tokens must carry.
    pub wanted: Vec<(Vec<String>, Vec<String>)>,
    /// The credentials of each alternative that needs a TLS client
    /// certificate, which no running tool here can present.
    pub certificates: Vec<Vec<String>>,
}

impl Unmet {
    /// `A + B, or C (a token with scopes x, y)`; empty when every
    /// alternative needs a client certificate.
    pub fn alternatives(&self) -> String {
        self.wanted
            .iter()
            .map(|(variables, scopes)| {
                let mut text = variables.join(" + ");
                if !scopes.is_empty() {
                    text.push_str(&format!(" (a token with scopes {})", scopes.join(", ")));
                }
                text
            })
            .collect::<Vec<_>>()
            .join(", or ")
    }

    /// What the alternatives that need a client certificate are, if any:
    /// `the alternative mtls + key needs a TLS client certificate, which
    /// tiergen cannot present`.
    pub fn certificate_note(&self) -> Option<String> {
        if self.certificates.is_empty() {
            return None;
        }
        let named: Vec<String> = self.certificates.iter().map(|c| c.join(" + ")).collect();
        Some(format!(
            "{} {} a TLS client certificate, which tiergen cannot present",
            if named.len() == 1 {
                format!("the alternative {}", named[0])
            } else {
                format!("the alternatives {}", named.join(", "))
            },
            if named.len() == 1 { "needs" } else { "need" }
        ))
    }
}

/// Chooses an alternative, never one that needs a TLS client certificate;
/// when none is satisfied, what each would need.
pub fn choose<'a>(
    alternatives: &[Requirement],
    credentials: &'a IndexMap<String, Credential>,
    routing: &'a IndexMap<String, Routing>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Chosen<'a>, Unmet> {
    let mut unmet = Unmet::default();
    for alternative in alternatives {
        let needs_certificate = alternative.credentials.iter().any(|id| {
            credentials
                .get(&id.0)
                .is_some_and(|c| c.placement == Placement::ClientCertificate)
        });
        if needs_certificate {
            let ids = alternative.credentials.iter().map(|id| id.0.clone());
            unmet.certificates.push(ids.collect());
            continue;
        }
        let scopes: Vec<String> = alternative.all_scopes().map(|(_, s)| s.clone()).collect();
        let mut chosen = Chosen {
            credentials: Vec::new(),
            routing: Vec::new(),
            scopes: scopes.clone(),
        };
        let mut names = Vec::new();
        let mut complete = true;
        for id in &alternative.credentials {
            match credentials.get(&id.0) {
                Some(entry) => {
                    names.push(entry.env.clone());
                    match env(&entry.env) {
                        Some(value) => chosen.credentials.push((entry, value)),
                        None => complete = false,
                    }
                }
                None => {
                    names.push(format!("(credential {id} is not described)"));
                    complete = false;
                }
            }
        }
        for id in &alternative.routing {
            match routing.get(&id.0) {
                Some(entry) => {
                    names.push(entry.env.clone());
                    match env(&entry.env) {
                        Some(value) => chosen.routing.push((entry, value)),
                        None => complete = false,
                    }
                }
                None => {
                    names.push(format!("(routing header {id} is not described)"));
                    complete = false;
                }
            }
        }
        if complete {
            return Ok(chosen);
        }
        unmet.wanted.push((names, scopes));
    }
    Err(unmet)
}

/// The serializer's name for a style.
fn style(style: ParamStyle) -> Style {
    match style {
        ParamStyle::Matrix => Style::Matrix,
        ParamStyle::Label => Style::Label,
        ParamStyle::Form => Style::Form,
        ParamStyle::Simple => Style::Simple,
        ParamStyle::SpaceDelimited => Style::SpaceDelimited,
        ParamStyle::PipeDelimited => Style::PipeDelimited,
        ParamStyle::DeepObject => Style::DeepObject,
    }
}

/// A parameter with its value, ready to be put on a request.
pub(crate) struct Styled<'a> {
    pub(crate) name: &'a str,
    pub(crate) serialization: Serialization,
    pub(crate) value: Cow<'a, Value>,
}

impl<'a> Styled<'a> {
    /// `value` for parameter `name` in `place`, written as `serialization`
    /// says (OpenAPI's default for `place` when the artifact is silent).
    pub(crate) fn new(
        name: &'a str,
        place: ParamLocation,
        serialization: Option<Serialization>,
        json_content: bool,
        value: &'a Value,
    ) -> Self {
        let value = if json_content {
            style::json_content(value)
        } else {
            Cow::Borrowed(value)
        };
        Styled {
            name,
            serialization: serialization.unwrap_or_else(|| Serialization::default_for(place)),
            value,
        }
    }

    /// The path text for `{name}`; a refusal names the argument.
    pub fn path(&self, argument: &str) -> Result<String, String> {
        let s = self.serialization;
        style::path(self.name, style(s.style), s.explode, &self.value)
            .map_err(|reason| format!("refused before sending: `{argument}` {reason}"))
    }

    /// Adds the parameter's query fields.
    pub(crate) fn push_query(&self, query: &mut style::Query) {
        let s = self.serialization;
        query.push(
            self.name,
            style(s.style),
            s.explode,
            s.allow_reserved,
            &self.value,
        );
    }

    /// The header value; `None` when the value is undefined (`null`, empty).
    pub fn header(&self) -> Option<String> {
        style::header(self.serialization.explode, &self.value)
    }

    /// The cookie's `name=value`; `None` when the value is undefined.
    pub fn cookie(&self) -> Option<String> {
        style::cookie(self.name, self.serialization.explode, &self.value)
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub fn encode(value: &str) -> String {
    let mut out = String::new();
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A value as text on the wire: strings without quotes, the rest as JSON.
pub fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// How a call's arguments look to the guards: body fields and path values
/// by their spec names, and how the caller writes a body field (`confirm`
/// for an MCP tool, `--confirm` for a command).
pub struct GuardInputs<'a> {
    pub body_field: &'a dyn Fn(&str) -> Option<Value>,
    pub path_value: &'a dyn Fn(&str) -> Option<Value>,
    pub spelled: &'a dyn Fn(&str) -> String,
}

/// Confirm and force guards; a refusal says what to fix.
pub fn check_guards(guards: &[Guard], inputs: &GuardInputs<'_>) -> Result<(), String> {
    for guard in guards {
        match guard {
            Guard::Confirm {
                field,
                equals_path_param,
            } => {
                let given = (inputs.body_field)(field).map(|v| text(&v));
                let expected = (inputs.path_value)(equals_path_param).map(|v| text(&v));
                if given.is_none() || given != expected {
                    return Err(format!(
                        "refused before sending: `{}` must equal `{equals_path_param}` ({}), got {}",
                        (inputs.spelled)(field),
                        expected.as_deref().unwrap_or("absent"),
                        given.map_or_else(|| "nothing".to_string(), |g| format!("`{g}`"))
                    ));
                }
            }
            Guard::Force {
                field,
                keys_of,
                pattern,
            } => {
                let forced = (inputs.body_field)(field).and_then(|v| v.as_bool()) == Some(true);
                // A pattern that does not compile counts every key as matching.
                let regex = Regex::new(pattern).ok();
                let keys: Vec<String> = (inputs.body_field)(keys_of)
                    .and_then(|v| v.as_object().map(|m| m.keys().cloned().collect()))
                    .unwrap_or_default();
                let matching: Vec<String> = keys
                    .into_iter()
                    .filter(|k| regex.as_ref().is_none_or(|r| r.is_match(k)))
                    .collect();
                if !forced && !matching.is_empty() {
                    return Err(format!(
                        "refused before sending: keys of `{}` look like secrets ({}); set `{}` to send them",
                        (inputs.spelled)(keys_of),
                        matching.join(", "),
                        (inputs.spelled)(field)
                    ));
                }
            }
            Guard::DryRun { .. } | Guard::Precondition { .. } | Guard::DestructiveFlag { .. } => {}
        }
    }
    Ok(())
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 (RFC 4648), padded.
pub fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(BASE64[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes standard or URL-safe base64, padded or not, ignoring whitespace.
pub fn base64_decode(text: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        let value = match c {
            'A'..='Z' => c as u32 - 'A' as u32,
            'a'..='z' => c as u32 - 'a' as u32 + 26,
            '0'..='9' => c as u32 - '0' as u32 + 52,
            '+' | '-' => 62,
            '/' | '_' => 63,
            '=' => break,
            other => return Err(format!("not base64: unexpected {other:?}")),
        };
        buffer = (buffer << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xff) as u8);
        }
    }
    Ok(out)
}

/// `application/x-www-form-urlencoded` text for `fields`: scalars as text,
/// arrays as one pair per item, objects as JSON text.
pub fn form_encode(fields: &[(String, Value)]) -> String {
    let mut pairs = Vec::new();
    for (name, value) in fields {
        let items: Vec<&Value> = match value {
            Value::Array(items) => items.iter().collect(),
            Value::Null => Vec::new(),
            other => vec![other],
        };
        for item in items {
            pairs.push(format!("{}={}", encode(name), encode(&text(item))));
        }
    }
    pairs.join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_every_length() {
        for bytes in [
            &b""[..],
            b"f",
            b"fo",
            b"foo",
            b"foob",
            b"fooba",
            b"foobar",
            &[0, 255, 128],
        ] {
            let encoded = base64_encode(bytes);
            assert_eq!(base64_decode(&encoded).as_deref(), Ok(bytes), "{encoded}");
        }
        assert_eq!(base64_encode(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64_encode(b"fo"), "Zm8=");
        assert_eq!(base64_decode("Zm8").as_deref(), Ok(&b"fo"[..]));
        assert!(base64_decode("Zm8*").is_err());
    }

    #[test]
    fn forms_repeat_arrays_and_encode_everything_else() {
        let fields = vec![
            ("user name".to_string(), serde_json::json!("a&b=c")),
            ("tags".to_string(), serde_json::json!(["x", "y"])),
            ("n".to_string(), serde_json::json!(2)),
        ];
        assert_eq!(
            form_encode(&fields),
            "user%20name=a%26b%3Dc&tags=x&tags=y&n=2"
        );
    }
}
