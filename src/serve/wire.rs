//! What `mcp serve` and `route` share about putting a call on the wire:
//! path segments, scalar text, credential placement and the guards checked
//! before anything is sent.

use std::collections::BTreeMap;

use regex::Regex;
use serde::Deserialize;
use serde_json::Value;

use crate::ir::Guard;

/// Where a credential travels, as the generated artifacts spell it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Placement {
    Bearer,
    Basic,
    Header,
    Cookie,
    Query,
}

/// A service as the artifacts describe it: a base URL whose `{variables}`
/// come from the environment, else their defaults.
#[derive(Debug, Clone, Deserialize)]
pub struct ServiceEntry {
    pub base_url: String,
    #[serde(default)]
    pub variables: BTreeMap<String, VariableEntry>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct VariableEntry {
    pub default: String,
    pub env: String,
}

impl ServiceEntry {
    /// The base URL with every variable filled in.
    pub fn base_url(&self, env: &dyn Fn(&str) -> Option<String>) -> String {
        self.variables
            .iter()
            .fold(self.base_url.clone(), |url, (name, variable)| {
                let value = env(&variable.env).unwrap_or_else(|| variable.default.clone());
                url.replace(&format!("{{{name}}}"), &value)
            })
    }
}

/// Where a credential travels and which environment variable holds it.
#[derive(Debug, Clone, Deserialize)]
pub struct CredentialEntry {
    #[serde(rename = "in")]
    pub placement: Placement,
    #[serde(default)]
    pub name: Option<String>,
    pub env: String,
}

/// A routing header and the environment variable that holds its value.
#[derive(Debug, Clone, Deserialize)]
pub struct RoutingEntry {
    pub header: String,
    pub env: String,
}

/// One credential alternative: all of these together.
#[derive(Debug, Clone, Deserialize)]
pub struct Alternative {
    pub credentials: Vec<String>,
    #[serde(default)]
    pub routing: Vec<String>,
}

/// The values of the first alternative whose every credential and routing
/// value is in the environment.
pub struct Chosen<'a> {
    pub credentials: Vec<(&'a CredentialEntry, String)>,
    pub routing: Vec<(&'a RoutingEntry, String)>,
}

/// Chooses an alternative; when none is satisfied, the environment
/// variables each alternative would need, in order.
pub fn choose<'a>(
    alternatives: &[Alternative],
    credentials: &'a BTreeMap<String, CredentialEntry>,
    routing: &'a BTreeMap<String, RoutingEntry>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Chosen<'a>, Vec<Vec<String>>> {
    let mut wanted = Vec::new();
    for alternative in alternatives {
        let mut chosen = Chosen {
            credentials: Vec::new(),
            routing: Vec::new(),
        };
        let mut names = Vec::new();
        let mut complete = true;
        for id in &alternative.credentials {
            match credentials.get(id) {
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
            match routing.get(id) {
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
        wanted.push(names);
    }
    Err(wanted)
}

/// A path parameter, percent-encoded so it stays one segment. `.` and `..`
/// (and the empty string) are refused: URL normalisation turns them into a
/// different path however they are encoded.
pub fn path_segment(argument: &str, value: &str) -> Result<String, String> {
    if value.is_empty() || value == "." || value == ".." {
        return Err(format!(
            "refused before sending: `{argument}` cannot be empty, `.` or `..` in a path"
        ));
    }
    Ok(encode(value))
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
