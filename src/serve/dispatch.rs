//! Turns a tool call into the HTTP request its route describes: checks the
//! arguments and guards first, takes credentials from the environment, sends,
//! and reads the answer. Secrets go on the wire as sensitive headers and are
//! never part of a message.

use std::collections::BTreeMap;

use reqwest::header::HeaderValue;
use serde_json::{Map, Value, json};

use super::manifest::{Manifest, Tool, styled};
use super::send::{self, Answer, Policy, Repeat};
use super::wire::{self, GuardInputs, Unmet};
use crate::artifact::Credential;
use crate::artifact::manifest::{ArgumentLocation as Location, Route};
use crate::ir::{BodyEncoding, Placement, Requirement};
use crate::style;

/// Reads one environment variable (a closure, so tests can supply their own).
pub type Environment = Box<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// Where to send each service's requests, and how to read the environment.
pub struct Dispatcher {
    http: reqwest::Client,
    policy: Policy,
    base_urls: BTreeMap<String, String>,
    env: Environment,
}

/// What a tool call produced, for the MCP layer to wrap.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A success answer: its JSON (objects as they are; anything else as `{"result": …}`).
    Success(Value),
    /// Refused or failed; the message says why, for the agent.
    Failure(String),
}

impl Dispatcher {
    /// `overrides` maps service ids to base URLs; the rest come from the
    /// manifest, server variables filled from the environment. Each call is
    /// sent, and sent again, as `policy` says.
    pub fn new(
        manifest: &Manifest,
        overrides: &BTreeMap<String, String>,
        env: Environment,
        policy: Policy,
    ) -> Self {
        let base_urls = manifest
            .server
            .services
            .iter()
            .map(|(id, service)| {
                let url = overrides
                    .get(id)
                    .cloned()
                    .unwrap_or_else(|| service.base_url(&*env));
                (id.clone(), url.trim_end_matches('/').to_string())
            })
            .collect();
        Dispatcher {
            http: send::client(),
            policy,
            base_urls,
            env,
        }
    }

    /// The request a call of `tool` with `arguments` sends, once its guards
    /// pass and its credentials are in the environment; why not otherwise.
    pub fn prepare(
        &self,
        manifest: &Manifest,
        tool: &Tool,
        arguments: &Map<String, Value>,
    ) -> Result<reqwest::RequestBuilder, String> {
        self.request(manifest, tool, arguments)
    }

    fn request(
        &self,
        manifest: &Manifest,
        tool: &Tool,
        arguments: &Map<String, Value>,
    ) -> Result<reqwest::RequestBuilder, String> {
        let route = &tool.route;
        check_guards(tool, arguments)?;
        let base = self.base_urls.get(&route.service.0).ok_or_else(|| {
            format!(
                "the manifest has no base URL for service {:?}",
                route.service
            )
        })?;
        if !base.starts_with("http://") && !base.starts_with("https://") {
            return Err(format!(
                "service `{}` has no absolute base URL (the manifest gives `{}`): start the \
                 server with --base-url {}=URL",
                route.service,
                if base.is_empty() { "/" } else { base },
                route.service
            ));
        }
        let url = format!("{base}{}", fill_path(route, arguments)?);
        let mut query = style::Query::default();
        for (name, value) in arguments {
            if let Some(place) = route.arguments.get(name)
                && place.location == Location::Query
                && let Some(styled) = styled(place, name, value)
            {
                styled.push_query(&mut query);
            }
        }
        let method = reqwest::Method::from_bytes(route.method.as_str().as_bytes())
            .map_err(|_| format!("invalid method {:?} in the manifest", route.method))?;
        let mut request = self.http.request(method, query.finish(url));
        request = self.authorize(manifest, &route.auth, request)?;
        let mut body = BodyArguments::default();
        for (name, value) in arguments {
            let Some(place) = route.arguments.get(name) else {
                continue;
            };
            match (place.location, styled(place, name, value)) {
                (Location::Header, Some(styled)) => {
                    if let Some(text) = styled.header() {
                        request = request.header(styled.name, text);
                    }
                }
                (Location::Cookie, Some(styled)) => {
                    if let Some(pair) = styled.cookie() {
                        request = request.header("cookie", pair);
                    }
                }
                (Location::Body, _) => match &place.name {
                    Some(field) => {
                        body.fields
                            .push((field.clone(), value.clone(), place.is_base64()))
                    }
                    None => body.whole = Some(value.clone()),
                },
                _ => {}
            }
        }
        match encode_body(route.body_media_type.clone(), route.body_encoding, body)? {
            Some((content_type, bytes)) => {
                Ok(request.header("content-type", content_type).body(bytes))
            }
            None => Ok(request),
        }
    }

    /// Puts on the first alternative whose every credential and routing
    /// value is in the environment; names what is missing otherwise.
    fn authorize(
        &self,
        manifest: &Manifest,
        alternatives: &[Requirement],
        request: reqwest::RequestBuilder,
    ) -> Result<reqwest::RequestBuilder, String> {
        if alternatives.is_empty() {
            return Ok(request);
        }
        let server = &manifest.server;
        match wire::choose(
            alternatives,
            &server.credentials,
            &server.routing,
            &*self.env,
        ) {
            Ok(chosen) => {
                let mut request = request;
                for (entry, value) in chosen.credentials {
                    request = apply_credential(request, entry, &value);
                }
                for (entry, value) in chosen.routing {
                    request = request.header(&entry.header, value);
                }
                Ok(request)
            }
            Err(unmet) => Err(unmet_message(&unmet, &*self.env)),
        }
    }

    /// Sends a prepared call of `tool`. One a person agreed to (`consented`)
    /// is sent once: the agreement was to one request, not to retries.
    pub async fn send(
        &self,
        request: reqwest::RequestBuilder,
        tool: &Tool,
        consented: bool,
    ) -> Outcome {
        let repeat = match (consented, tool.route.idempotent) {
            (true, _) => Repeat::Never,
            (false, true) => Repeat::Safe,
            (false, false) => Repeat::for_method(tool.route.method),
        };
        let request = match request.build() {
            Ok(request) => request,
            // The URL may carry a credential in its query: leave it out.
            Err(e) => return Outcome::Failure(format!("the request failed: {}", e.without_url())),
        };
        match send::send(&self.http, request, repeat, &self.policy).await {
            Ok(answer) => outcome(answer),
            Err(e) => Outcome::Failure(format!("the request failed: {e}")),
        }
    }
}

/// The tool's result for the API's answer.
fn outcome(answer: Answer) -> Outcome {
    let Answer {
        status,
        headers,
        body: bytes,
        ..
    } = answer;
    let content_type = headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/octet-stream")
        .to_string();
    let body: Option<Value> = serde_json::from_slice(&bytes).ok();
    if status.is_success() {
        return Outcome::Success(match body {
            Some(Value::Object(object)) => Value::Object(object),
            Some(other) => json!({ "result": other }),
            None if bytes.is_empty() => json!({ "status": status.as_u16() }),
            None => match std::str::from_utf8(&bytes) {
                Ok(text) => json!({ "result": text }),
                // Bytes that are not text (an image, an archive) come
                // back whole, base64-encoded, with their media type.
                Err(_) => json!({
                    "result_base64": wire::base64_encode(&bytes),
                    "content_type": content_type,
                }),
            },
        });
    }
    let message = body
        .as_ref()
        .and_then(|b| b.get("error").or_else(|| b.get("message")))
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| String::from_utf8_lossy(&bytes).into_owned());
    Outcome::Failure(format!("the API answered {status}: {message}"))
}

/// Confirm and force guards, checked before anything is sent.
fn check_guards(tool: &Tool, arguments: &Map<String, Value>) -> Result<(), String> {
    let body_field = |field: &str| tool.sent(arguments, Location::Body, field);
    let path_value = |param: &str| tool.sent(arguments, Location::Path, param);
    let spelled = |field: &str| field.to_string();
    wire::check_guards(
        &tool.route.guards,
        &GuardInputs {
            body_field: &body_field,
            path_value: &path_value,
            spelled: &spelled,
        },
    )
}

/// The path template with each `{param}` replaced by its percent-encoded argument.
fn fill_path(route: &Route, arguments: &Map<String, Value>) -> Result<String, String> {
    let mut path = route.path.clone();
    for (name, place) in &route.arguments {
        if place.location != Location::Path {
            continue;
        }
        let value = arguments
            .get(name)
            .ok_or_else(|| format!("missing path argument `{name}`"))?;
        let Some(styled) = styled(place, name, value) else {
            continue;
        };
        let segment = styled.path(name)?;
        path = path.replace(&format!("{{{}}}", styled.name), &segment);
    }
    Ok(path)
}

fn apply_credential(
    request: reqwest::RequestBuilder,
    entry: &Credential,
    value: &str,
) -> reqwest::RequestBuilder {
    let (header, content) = match &entry.placement {
        Placement::Bearer | Placement::Authorization { .. } => (
            "authorization".to_string(),
            entry.authorization(value).unwrap_or_default(),
        ),
        Placement::Basic => {
            let (user, password) = value.split_once(':').unwrap_or((value, ""));
            return request.basic_auth(user, Some(password));
        }
        Placement::Cookie { name } => ("cookie".to_string(), format!("{name}={value}")),
        Placement::Query { name } => return request.query(&[(name, value)]),
        Placement::Header { name } => (name.clone(), value.to_string()),
        // Never chosen (see `wire::choose`): nothing goes in the request.
        Placement::ClientCertificate => return request,
    };
    match HeaderValue::from_str(&content) {
        Ok(mut header_value) => {
            header_value.set_sensitive(true);
            request.header(header, header_value)
        }
        Err(_) => request.header(header, content),
    }
}

/// Why a tool's credentials are not there, for the agent: the variables the
/// first alternative a tool could send still lacks, and the alternatives
/// that need a TLS client certificate.
fn unmet_message(unmet: &Unmet, env: &dyn Fn(&str) -> Option<String>) -> String {
    let certificate = unmet.certificate_note();
    let Some((variables, scopes)) = unmet.wanted.first() else {
        return format!(
            "this tool cannot be called by tiergen mcp serve: {}",
            certificate.unwrap_or_else(|| "it lists no credential alternative".to_string())
        );
    };
    let missing: Vec<&str> = variables
        .iter()
        .filter(|name| env(name).is_none())
        .map(String::as_str)
        .collect();
    let mut message = format!(
        "missing environment variable(s) for this tool's credentials: {}",
        missing.join(", ")
    );
    if !scopes.is_empty() {
        message.push_str(&format!(
            " (the token needs the scopes {})",
            scopes.join(", ")
        ));
    }
    if let Some(certificate) = certificate {
        message.push_str(&format!("; {certificate}"));
    }
    message
}

/// The body arguments of one call: its fields (with whether each is base64
/// bytes), or the whole body.
#[derive(Default)]
pub(super) struct BodyArguments {
    pub fields: Vec<(String, Value, bool)>,
    pub whole: Option<Value>,
}

/// The body's content type and bytes, encoded as the route says; `None`
/// when the call has no body argument.
pub(super) fn encode_body(
    media_type: Option<String>,
    encoding: Option<BodyEncoding>,
    body: BodyArguments,
) -> Result<Option<(String, Vec<u8>)>, String> {
    if body.fields.is_empty() && body.whole.is_none() {
        return Ok(None);
    }
    let media = media_type.unwrap_or_else(|| "application/json".to_string());
    let encoded = match encoding.unwrap_or(BodyEncoding::Json) {
        BodyEncoding::Json => (media, json_body(body).to_string().into_bytes()),
        BodyEncoding::Form => (media, form_body(body)?.into_bytes()),
        BodyEncoding::Multipart => multipart_body(body)?,
        BodyEncoding::Binary => (media, binary_body(body)?),
        BodyEncoding::Text => (media, text_body(body).into_bytes()),
        BodyEncoding::Unsupported => {
            return Err(format!(
                "refused before sending: this tool's body is {media} (unsupported), which \
                 tiergen mcp serve cannot build from JSON arguments"
            ));
        }
    };
    Ok(Some(encoded))
}

/// The whole-body argument, else the fields as one object.
fn json_body(body: BodyArguments) -> Value {
    body.whole.unwrap_or_else(|| {
        Value::Object(
            body.fields
                .into_iter()
                .map(|(name, value, _)| (name, value))
                .collect(),
        )
    })
}

/// The fields of a body: given one by one, or as the whole-body object.
fn fields_of(body: BodyArguments) -> Result<Vec<(String, Value, bool)>, String> {
    match body.whole {
        None => Ok(body.fields),
        Some(Value::Object(object)) => Ok(object.into_iter().map(|(k, v)| (k, v, false)).collect()),
        Some(_) => Err("refused before sending: `body` must be an object of fields".to_string()),
    }
}

fn form_body(body: BodyArguments) -> Result<String, String> {
    if let Some(Value::String(raw)) = &body.whole {
        return Ok(raw.clone());
    }
    let fields: Vec<(String, Value)> = fields_of(body)?
        .into_iter()
        .map(|(name, value, _)| (name, value))
        .collect();
    Ok(wire::form_encode(&fields))
}

/// `multipart/form-data`: a file part for base64 bytes, a text part for a
/// string, a JSON part for anything else; the boundary appears in no part.
fn multipart_body(body: BodyArguments) -> Result<(String, Vec<u8>), String> {
    let mut parts: Vec<(String, Option<&'static str>, Vec<u8>, bool)> = Vec::new();
    for (name, value, base64) in fields_of(body)? {
        let (content_type, bytes) = match (&value, base64) {
            (Value::String(encoded), true) => (
                Some("application/octet-stream"),
                wire::base64_decode(encoded)
                    .map_err(|e| format!("refused before sending: `{name}`: {e}"))?,
            ),
            (Value::String(text), false) => (None, text.clone().into_bytes()),
            (Value::Null, _) => continue,
            (other, _) => (Some("application/json"), other.to_string().into_bytes()),
        };
        parts.push((name, content_type, bytes, base64));
    }
    let mut boundary = "tiergen-part-boundary".to_string();
    while parts
        .iter()
        .any(|(_, _, bytes, _)| contains(bytes, boundary.as_bytes()))
    {
        boundary.push('x');
    }
    let mut out = Vec::new();
    for (name, content_type, bytes, file) in parts {
        let name = disposition_name(&name);
        out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        let filename = if file {
            format!("; filename=\"{name}\"")
        } else {
            String::new()
        };
        out.extend_from_slice(
            format!("content-disposition: form-data; name=\"{name}\"{filename}\r\n").as_bytes(),
        );
        if let Some(content_type) = content_type {
            out.extend_from_slice(format!("content-type: {content_type}\r\n").as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&bytes);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    Ok((format!("multipart/form-data; boundary={boundary}"), out))
}

/// A field name inside a quoted `content-disposition` parameter: quotes and
/// line breaks percent-encoded, as browsers do.
fn disposition_name(name: &str) -> String {
    name.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn binary_body(body: BodyArguments) -> Result<Vec<u8>, String> {
    match body.whole {
        Some(Value::String(encoded)) => wire::base64_decode(&encoded)
            .map_err(|e| format!("refused before sending: `body` must be base64: {e}")),
        _ => Err("refused before sending: `body` must be the bytes, base64-encoded".to_string()),
    }
}

fn text_body(body: BodyArguments) -> String {
    match body.whole {
        Some(Value::String(text)) => text,
        Some(other) => other.to_string(),
        None => json_body(body).to_string(),
    }
}
