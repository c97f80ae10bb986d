//! `tiergen route`: resolves a CLI command against the generated route map
//! and describes the HTTP request it would send — secrets masked — without
//! sending anything.
//!
//! Bodies follow the route map's `encoding`: JSON as it is; a form as its
//! `name=value&…` text; a text body as the text; raw bytes (`--body @file`,
//! or a `format: binary` flag given `@path`) as `<N bytes from path>`; a
//! multipart body as the JSON object of its parts, files described the same
//! way. The scopes the chosen credential's token must carry are printed as
//! `# scopes: …` before the request.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Map, Value, json};

use super::consent::Question;
use super::wire::{self, GuardInputs, Styled};
use crate::artifact::Credential;
use crate::artifact::routes::{
    Command, Flag, FlagLocation, Positional, RouteMap, ValueFacts, ValueKind,
};
use crate::ir::{BodyEncoding, Method, ParamLocation, Placement, TriggerLocation};
use crate::style::{self, Style};

/// The flag's value as its parameter is written (`None` for a body field).
fn styled<'a>(flag: &'a Flag, value: &'a Value) -> Option<Styled<'a>> {
    Some(Styled::new(
        &flag.name,
        flag.location.param()?,
        flag.serialization,
        flag.json_content,
        value,
    ))
}

/// The request a command sends, secrets masked.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub command: Vec<String>,
    pub operation: String,
    pub method: Method,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<Value>,
    /// How the body travels.
    pub body_encoding: BodyEncoding,
    /// The scopes the chosen credential's token must carry.
    pub scopes: Vec<String>,
    /// The headers that carry a credential (lower case): never shown.
    pub secret_headers: Vec<String>,
    /// What the person must agree to before this request is sent.
    pub question: Option<Question>,
    /// Declared safe to send twice though its method is not idempotent.
    pub idempotent: bool,
    /// Body fields whose values are file contents (base64 when sent).
    pub binary_fields: Vec<String>,
}

/// Whether a resolved request carries the credentials and file contents
/// (to be sent: `tiergen call`) or stand-ins for them (to be shown:
/// `tiergen route`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Show,
    Send,
}

/// What stands in for a secret in the output.
const MASK: &str = "****";

/// Reads `golden/cli/routes.json` or any route map tiergen wrote.
pub fn read(path: &Path) -> Result<RouteMap, String> {
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("cannot read the route map: {e}"))?;
    serde_json::from_str(&text).map_err(|e| {
        format!(
            "not a tiergen route map (line {}, column {}): {e}",
            e.line(),
            e.column()
        )
    })
}

/// Resolves `words` (command words, then its positionals and flags).
pub fn resolve(
    map: &RouteMap,
    words: &[String],
    base_urls: &BTreeMap<String, String>,
    env: &dyn Fn(&str) -> Option<String>,
    purpose: Purpose,
) -> Result<Request, String> {
    let (command, rest) = command(map, words)?;
    let arguments = parse_arguments(command, rest, purpose)?;
    check_guards(command, &arguments)?;
    let base = match base_urls.get(&command.service.0) {
        Some(url) => url.clone(),
        None => default_base_url(map, &command.service.0, env)?,
    };
    let url = format!(
        "{}{}",
        base.trim_end_matches('/'),
        fill_path(command, &arguments)?
    );
    let mut credential_query: Vec<(String, String)> = Vec::new();
    let mut headers: Vec<(String, String)> = Vec::new();
    let (scopes, secret_headers) = authorize(
        map,
        command,
        env,
        purpose,
        &mut headers,
        &mut credential_query,
    )?;
    let mut query = style::Query::default();
    for (name, value) in &credential_query {
        query.push(name, Style::Form, true, true, &json!(value));
    }
    for (flag, value) in &arguments.flags {
        let Some(styled) = styled(flag, value) else {
            continue;
        };
        match flag.location {
            FlagLocation::Query => styled.push_query(&mut query),
            FlagLocation::Header => {
                headers.extend(styled.header().map(|text| (flag.name.clone(), text)))
            }
            FlagLocation::Cookie => {
                headers.extend(styled.cookie().map(|pair| ("cookie".into(), pair)))
            }
            FlagLocation::Body => {}
        }
    }
    let url = query.finish(url);
    let question = question(command, &arguments, &url);
    let body = match arguments.body {
        Some(body) => Some(shown_body(command, body)?),
        None => None,
    };
    if let (Some(_), Some(spec)) = (&body, &command.body) {
        headers.push(("content-type".into(), spec.media_type.clone()));
    }
    Ok(Request {
        command: command.command.clone(),
        operation: command.operation.clone(),
        method: command.method,
        url,
        headers,
        body,
        body_encoding: command.body_encoding(),
        scopes,
        secret_headers,
        question,
        idempotent: command.idempotent,
        binary_fields: command
            .flags
            .iter()
            .filter(|f| {
                f.location == FlagLocation::Body && f.value.format.as_deref() == Some("binary")
            })
            .map(|f| f.name.clone())
            .collect(),
    })
}

/// What the person must agree to before `command` is sent with `arguments`.
fn question(command: &Command, arguments: &Arguments<'_>, url: &str) -> Option<Question> {
    let consent = command.consent.as_ref()?;
    let path = url
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|at| &rest[at..]))
        .unwrap_or(url);
    let call = format!(
        "{} ({}): {} {}",
        command.summary,
        command.command.join(" "),
        command.method,
        path.split('?').next().unwrap_or(path)
    );
    let sent = |location: TriggerLocation, name: &str| match location {
        TriggerLocation::Query => arguments
            .flags
            .iter()
            .find(|(flag, _)| flag.location == FlagLocation::Query && flag.name == name)
            .map(|(_, value)| value.clone()),
        TriggerLocation::Body => arguments.body.as_ref().and_then(|b| b.get(name)).cloned(),
    };
    let path_value = |name: &str| arguments.path_value(name);
    Question::for_call(consent, call, &sent, &path_value)
}

/// The command the leading words name, and the words after it.
fn command<'m, 'w>(
    map: &'m RouteMap,
    words: &'w [String],
) -> Result<(&'m Command, &'w [String]), String> {
    let found = map
        .commands
        .iter()
        .filter(|c| words.len() >= c.command.len() && words[..c.command.len()] == c.command[..])
        .max_by_key(|c| c.command.len());
    if let Some(command) = found {
        return Ok((command, &words[command.command.len()..]));
    }
    let typed: Vec<&String> = words.iter().take_while(|w| !w.starts_with('-')).collect();
    let typed_text = typed
        .iter()
        .map(|w| w.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let below: Vec<String> = map
        .commands
        .iter()
        .filter(|c| {
            !typed.is_empty()
                && c.command.len() > typed.len()
                && c.command.iter().zip(&typed).all(|(a, b)| a == *b)
        })
        .map(|c| c.command.join(" "))
        .collect();
    if !below.is_empty() {
        return Err(format!(
            "`{typed_text}` needs a subcommand: {}",
            below.join(", ")
        ));
    }
    let mut nearest: Vec<(f64, String)> = map
        .commands
        .iter()
        .map(|c| {
            let name = c.command.join(" ");
            let prefix: String = typed
                .iter()
                .take(c.command.len())
                .map(|w| w.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            (strsim::normalized_levenshtein(&prefix, &name), name)
        })
        .collect();
    nearest.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let suggestions: Vec<String> = nearest
        .into_iter()
        .take(3)
        .map(|(_, n)| format!("`{n}`"))
        .collect();
    Err(format!(
        "unknown command `{typed_text}`; did you mean {}?",
        suggestions.join(", ")
    ))
}

fn default_base_url(
    map: &RouteMap,
    service: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<String, String> {
    map.services
        .get(service)
        .map(|entry| entry.base_url(env))
        .ok_or_else(|| format!("the route map has no service {service:?}"))
}

/// The first alternative whose credentials and routing values are all in
/// the environment goes on the request, its secrets masked unless the
/// request is to be sent; the scopes its tokens must carry and the headers
/// that carry a secret come back.
fn authorize(
    map: &RouteMap,
    command: &Command,
    env: &dyn Fn(&str) -> Option<String>,
    purpose: Purpose,
    headers: &mut Vec<(String, String)>,
    query: &mut Vec<(String, String)>,
) -> Result<(Vec<String>, Vec<String>), String> {
    if command.auth.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    match wire::choose(&command.auth, &map.credentials, &map.routing, env) {
        Ok(chosen) => {
            let mut secret_headers = Vec::new();
            for (credential, value) in chosen.credentials {
                let value = match purpose {
                    Purpose::Show => MASK.to_string(),
                    Purpose::Send => value,
                };
                secret_headers.extend(put_credential(credential, &value, headers, query));
            }
            for (header, value) in chosen.routing {
                headers.push((header.header.to_ascii_lowercase(), value));
            }
            Ok((chosen.scopes, secret_headers))
        }
        Err(unmet) => {
            let usage = command.command.join(" ");
            let alternatives = unmet.alternatives();
            let certificate = unmet.certificate_note();
            Err(match (alternatives.is_empty(), certificate) {
                (true, Some(note)) => format!("`{usage}` cannot be sent: {note}"),
                (false, Some(note)) => {
                    format!("no credentials for `{usage}`: set {alternatives} ({note})")
                }
                (_, None) => format!("no credentials for `{usage}`: set {alternatives}"),
            })
        }
    }
}

/// Puts `value` where the credential goes; the header it went in, if any.
fn put_credential(
    credential: &Credential,
    value: &str,
    headers: &mut Vec<(String, String)>,
    query: &mut Vec<(String, String)>,
) -> Option<String> {
    let (header, content) = match &credential.placement {
        Placement::Bearer | Placement::Authorization { .. } => (
            "authorization".to_string(),
            credential.authorization(value).unwrap_or_default(),
        ),
        Placement::Basic => (
            "authorization".to_string(),
            if value == MASK {
                format!("Basic {MASK}")
            } else {
                format!("Basic {}", wire::base64_encode(value.as_bytes()))
            },
        ),
        Placement::Cookie { name } => ("cookie".to_string(), format!("{name}={value}")),
        Placement::Header { name } => (name.to_ascii_lowercase(), value.to_string()),
        Placement::Query { name } => {
            query.push((name.clone(), value.to_string()));
            return None;
        }
        // Never chosen (see `wire::choose`): nothing goes in the request.
        Placement::ClientCertificate => return None,
    };
    headers.push((header.clone(), content));
    Some(header)
}

/// Positionals and flags of one command line, typed.
struct Arguments<'c> {
    positionals: Vec<(&'c Positional, Value)>,
    flags: Vec<(&'c Flag, Value)>,
    body: Option<Value>,
}

impl Arguments<'_> {
    /// The value given for the path parameter `name`.
    fn path_value(&self, name: &str) -> Option<Value> {
        self.positionals
            .iter()
            .find(|(p, _)| p.name == name)
            .map(|(_, v)| v.clone())
    }
}

fn parse_arguments<'c>(
    command: &'c Command,
    words: &[String],
    purpose: Purpose,
) -> Result<Arguments<'c>, String> {
    let usage = command.command.join(" ");
    let mut positionals = Vec::new();
    let mut given: BTreeMap<&str, (&Flag, Value)> = BTreeMap::new();
    let mut body: Option<Value> = None;
    let mut rest = words.iter();
    while let Some(word) = rest.next() {
        if let Some(flag_text) = word.strip_prefix("--") {
            let (name, inline) = match flag_text.split_once('=') {
                Some((name, value)) => (name, Some(value.to_string())),
                None => (flag_text, None),
            };
            if name == "body" {
                let text = inline
                    .or_else(|| rest.next().cloned())
                    .ok_or("`--body` needs JSON or @file")?;
                body = Some(read_body(command.body_encoding(), &text, purpose)?);
                continue;
            }
            let flag = command
                .flags
                .iter()
                .find(|f| f.flag == format!("--{name}"))
                .ok_or_else(|| {
                    let known: Vec<&str> = command.flags.iter().map(|f| f.flag.as_str()).collect();
                    format!(
                        "`{usage}` has no flag `--{name}` (it has: {}, --body)",
                        known.join(", ")
                    )
                })?;
            let value_text = match inline {
                Some(value) => value,
                None if flag.value.kind == ValueKind::Boolean => "true".to_string(),
                None => rest
                    .next()
                    .cloned()
                    .ok_or_else(|| format!("`{}` needs a value", flag.flag))?,
            };
            let value = typed_value(&flag.flag, &flag.value, &value_text, purpose)?;
            given.insert(flag.flag.as_str(), (flag, value));
        } else {
            let position = positionals.len();
            let positional = command.positionals.get(position).ok_or_else(|| {
                format!(
                    "`{usage}` takes {} positional argument(s); `{word}` is one too many",
                    command.positionals.len()
                )
            })?;
            let value = typed_value(
                &format!("<{}>", positional.name),
                &positional.value,
                word,
                purpose,
            )?;
            positionals.push((positional, value));
        }
    }
    if let Some(missing) = command.positionals.get(positionals.len()) {
        let expected: Vec<String> = command
            .positionals
            .iter()
            .map(|p| format!("<{}>", p.name))
            .collect();
        return Err(format!(
            "`{usage}` needs <{}> (usage: {usage} {})",
            missing.name,
            expected.join(" ")
        ));
    }
    let body_fields = body.as_ref().and_then(Value::as_object);
    for flag in &command.flags {
        let from_body = flag.location == FlagLocation::Body
            && body_fields.is_some_and(|b| b.contains_key(&flag.name));
        if flag.required && !given.contains_key(flag.flag.as_str()) && !from_body {
            return Err(format!("`{usage}` needs `{}`", flag.flag));
        }
    }
    // In the route map's order (the spec's), not the order typed.
    let mut flags: Vec<(&Flag, Value)> = given.into_values().collect();
    flags.sort_by_key(|(flag, _)| command.flags.iter().position(|f| f.flag == flag.flag));
    let body = merge_body(command, body, &flags)?;
    Ok(Arguments {
        positionals,
        flags,
        body,
    })
}

/// The body: `--body` JSON with body flags laid over its fields.
fn merge_body(
    command: &Command,
    body: Option<Value>,
    flags: &[(&Flag, Value)],
) -> Result<Option<Value>, String> {
    let fields: Vec<&(&Flag, Value)> = flags
        .iter()
        .filter(|(f, _)| f.location == FlagLocation::Body)
        .collect();
    if fields.is_empty() {
        return match (&body, &command.body) {
            (None, Some(spec)) if spec.required => Err(format!(
                "`{}` needs a body: `--body JSON|@file`",
                command.command.join(" ")
            )),
            _ => Ok(body),
        };
    }
    let mut object = match body {
        Some(Value::Object(object)) => object,
        Some(_) => {
            return Err("`--body` must be a JSON object when body flags are given too".to_string());
        }
        None => Map::new(),
    };
    for (flag, value) in fields {
        object.insert(flag.name.clone(), value.clone());
    }
    Ok(Some(Value::Object(object)))
}

/// `--body`: JSON (or `@file` of JSON); for a binary body the bytes of
/// `@file` (or the text given), for a text body the text (or `@file`'s).
fn read_body(encoding: BodyEncoding, text: &str, purpose: Purpose) -> Result<Value, String> {
    match encoding {
        BodyEncoding::Binary => file_value("--body", text, purpose),
        BodyEncoding::Text => match text.strip_prefix('@') {
            Some(file) => std::fs::read_to_string(file)
                .map(Value::String)
                .map_err(|e| format!("--body @{file}: {e}")),
            None => Ok(json!(text)),
        },
        _ => {
            let json = match text.strip_prefix('@') {
                Some(file) => {
                    std::fs::read_to_string(file).map_err(|e| format!("--body @{file}: {e}"))?
                }
                None => text.to_string(),
            };
            serde_json::from_str(&json).map_err(|e| format!("--body is not JSON: {e}"))
        }
    }
}

/// Raw bytes from the command line: `@path` is a file (which must be
/// readable), anything else the bytes of the text; shown as `<N bytes …>`,
/// carried base64-encoded to be sent.
fn file_value(what: &str, text: &str, purpose: Purpose) -> Result<Value, String> {
    let (bytes, from) = match text.strip_prefix('@') {
        Some(path) => (
            std::fs::read(path).map_err(|e| format!("{what} @{path}: {e}"))?,
            Some(path),
        ),
        None => (text.as_bytes().to_vec(), None),
    };
    Ok(json!(match (purpose, from) {
        (Purpose::Send, _) => wire::base64_encode(&bytes),
        (Purpose::Show, Some(path)) => format!("<{} bytes from {path}>", bytes.len()),
        (Purpose::Show, None) => format!("<{} bytes>", bytes.len()),
    }))
}

/// The body as `route` shows it, by the route map's encoding (see the
/// module documentation).
fn shown_body(command: &Command, body: Value) -> Result<Value, String> {
    let usage = command.command.join(" ");
    match command.body_encoding() {
        BodyEncoding::Form => match body {
            Value::Object(fields) => {
                let fields: Vec<(String, Value)> = fields.into_iter().collect();
                Ok(json!(wire::form_encode(&fields)))
            }
            Value::String(raw) => Ok(json!(raw)),
            _ => Err(format!(
                "`{usage}`: a form body must be a JSON object of fields"
            )),
        },
        BodyEncoding::Multipart if !body.is_object() => Err(format!(
            "`{usage}`: a multipart body must be a JSON object of parts"
        )),
        BodyEncoding::Json
        | BodyEncoding::Multipart
        | BodyEncoding::Binary
        | BodyEncoding::Text => Ok(body),
        BodyEncoding::Unsupported => Err(format!(
            "`{usage}` cannot be sent: its body is {} (unsupported), which cannot be built from \
             the command line",
            command
                .body
                .as_ref()
                .map_or("of an unknown media type", |b| b.media_type.as_str())
        )),
    }
}

fn typed_value(
    what: &str,
    spec: &ValueFacts,
    text: &str,
    purpose: Purpose,
) -> Result<Value, String> {
    let format = spec.format.as_deref();
    let allowed = spec.allowed.as_deref();
    let value = match spec.kind {
        ValueKind::Integer => text
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| format!("{what} must be an integer, not `{text}`"))?,
        ValueKind::Number => text
            .parse::<f64>()
            .ok()
            .and_then(|n| serde_json::Number::from_f64(n).map(Value::Number))
            .ok_or_else(|| format!("{what} must be a number, not `{text}`"))?,
        ValueKind::Boolean => match text {
            "true" => json!(true),
            "false" => json!(false),
            _ => return Err(format!("{what} must be true or false, not `{text}`")),
        },
        ValueKind::Json => {
            serde_json::from_str(text).map_err(|e| format!("{what} must be JSON: {e}"))?
        }
        _ if format == Some("binary") => file_value(what, text, purpose)?,
        _ => {
            if format == Some("uuid") && !is_uuid(text) {
                return Err(format!("{what} must be a UUID, not `{text}`"));
            }
            json!(text)
        }
    };
    if let Some(allowed) = allowed
        && !allowed.contains(&value)
    {
        let allowed: Vec<String> = allowed.iter().map(wire::text).collect();
        return Err(format!(
            "{what} must be one of {}, not `{text}`",
            allowed.join(", ")
        ));
    }
    Ok(value)
}

fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.iter().map(|g| g.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && groups
            .iter()
            .all(|g| g.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Confirm and force guards, as the command line spells the fields.
fn check_guards(command: &Command, arguments: &Arguments<'_>) -> Result<(), String> {
    let body_field = |field: &str| arguments.body.as_ref().and_then(|b| b.get(field)).cloned();
    let path_value = |name: &str| arguments.path_value(name);
    let spelled = |field: &str| {
        command
            .flags
            .iter()
            .find(|f| f.location == FlagLocation::Body && f.name == field)
            .map_or_else(|| field.to_string(), |f| f.flag.clone())
    };
    wire::check_guards(
        &command.guards,
        &GuardInputs {
            body_field: &body_field,
            path_value: &path_value,
            spelled: &spelled,
        },
    )
}

fn fill_path(command: &Command, arguments: &Arguments<'_>) -> Result<String, String> {
    let mut path = command.path.clone();
    for (positional, value) in &arguments.positionals {
        let styled = Styled::new(
            &positional.name,
            ParamLocation::Path,
            positional.serialization,
            positional.json_content,
            value,
        );
        let segment = styled.path(&positional.name)?;
        path = path.replace(&format!("{{{}}}", positional.name), &segment);
    }
    Ok(path)
}

impl Request {
    /// `# scopes: …` when the token needs some, `METHOD URL`, one
    /// `name: value` line per header, a blank line, the body (JSON pretty,
    /// any other encoding as its text).
    pub fn to_text(&self) -> String {
        let mut text = String::new();
        if !self.scopes.is_empty() {
            text.push_str(&format!("# scopes: {}\n", self.scopes.join(", ")));
        }
        text.push_str(&format!("{} {}\n", self.method.as_str(), self.url));
        for (name, value) in &self.headers {
            text.push_str(&format!("{name}: {value}\n"));
        }
        if let Some(body) = &self.body {
            text.push('\n');
            match body {
                Value::String(raw) if self.body_encoding != BodyEncoding::Json => {
                    text.push_str(raw)
                }
                _ => text.push_str(&serde_json::to_string_pretty(body).unwrap_or_default()),
            }
            text.push('\n');
        }
        text
    }

    pub fn to_json(&self) -> String {
        let headers: Vec<Value> = self.headers.iter().map(|(n, v)| json!([n, v])).collect();
        let mut text = serde_json::to_string_pretty(&json!({
            "command": self.command,
            "operation": self.operation,
            "method": self.method,
            "url": self.url,
            "headers": headers,
            "body": self.body,
            "body_encoding": self.body.as_ref().map(|_| &self.body_encoding),
            "scopes": self.scopes,
        }))
        .unwrap_or_default();
        text.push('\n');
        text
    }
}
