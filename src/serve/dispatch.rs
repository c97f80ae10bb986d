//! Turns a tool call into the HTTP request its route describes: checks the
//! arguments and guards first, takes credentials from the environment, sends,
//! and reads the answer. Secrets go on the wire as sensitive headers and are
//! never part of a message.

use std::collections::BTreeMap;

use regex::Regex;
use reqwest::header::HeaderValue;
use serde_json::{Map, Value, json};

use super::manifest::{Alternative, Location, Manifest, Route, Tool};
use crate::ir::Guard;

/// Reads one environment variable (a closure, so tests can supply their own).
pub type Environment = Box<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// Where to send each service's requests, and how to read the environment.
pub struct Dispatcher {
    http: reqwest::Client,
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
    /// manifest, server variables filled from the environment.
    pub fn new(
        manifest: &Manifest,
        overrides: &BTreeMap<String, String>,
        env: Environment,
    ) -> Self {
        let base_urls = manifest
            .server
            .services
            .iter()
            .map(|(id, service)| {
                let url = overrides.get(id).cloned().unwrap_or_else(|| {
                    service
                        .variables
                        .iter()
                        .fold(service.base_url.clone(), |url, (name, var)| {
                            let value = env(&var.env).unwrap_or_else(|| var.default.clone());
                            url.replace(&format!("{{{name}}}"), &value)
                        })
                });
                (id.clone(), url.trim_end_matches('/').to_string())
            })
            .collect();
        Dispatcher {
            http: reqwest::Client::new(),
            base_urls,
            env,
        }
    }

    pub async fn call(
        &self,
        manifest: &Manifest,
        tool: &Tool,
        arguments: &Map<String, Value>,
    ) -> Outcome {
        match self.request(manifest, tool, arguments) {
            Ok(request) => self.send(request).await,
            Err(refusal) => Outcome::Failure(refusal),
        }
    }

    fn request(
        &self,
        manifest: &Manifest,
        tool: &Tool,
        arguments: &Map<String, Value>,
    ) -> Result<reqwest::RequestBuilder, String> {
        let route = &tool.route;
        check_guards(route, arguments)?;
        let base = self.base_urls.get(&route.service).ok_or_else(|| {
            format!(
                "the manifest has no base URL for service {:?}",
                route.service
            )
        })?;
        let url = format!("{base}{}", fill_path(route, arguments)?);
        let method = reqwest::Method::from_bytes(route.method.as_bytes())
            .map_err(|_| format!("invalid method {:?} in the manifest", route.method))?;
        let mut request = self.http.request(method, url);
        request = self.authorize(manifest, &route.auth, request)?;
        let mut body = Map::new();
        let mut whole_body = None;
        for (name, value) in arguments {
            let Some(place) = route.arguments.get(name) else {
                continue;
            };
            let wire = place.name.as_deref().unwrap_or(name);
            match place.location {
                Location::Path => {}
                Location::Query => {
                    for item in query_values(value) {
                        request = request.query(&[(wire, item)]);
                    }
                }
                Location::Header => request = request.header(wire, text(value)),
                Location::Cookie => {
                    request = request.header("cookie", format!("{wire}={}", text(value)))
                }
                Location::Body => match &place.name {
                    Some(field) => {
                        body.insert(field.clone(), value.clone());
                    }
                    None => whole_body = Some(value.clone()),
                },
            }
        }
        let body = whole_body.or_else(|| (!body.is_empty()).then_some(Value::Object(body)));
        if let Some(body) = body {
            let media = route
                .body_media_type
                .as_deref()
                .unwrap_or("application/json");
            request = request.header("content-type", media).body(body.to_string());
        }
        Ok(request)
    }

    /// Puts on the first alternative whose every credential and routing
    /// value is in the environment; names what is missing otherwise.
    fn authorize(
        &self,
        manifest: &Manifest,
        alternatives: &[Alternative],
        request: reqwest::RequestBuilder,
    ) -> Result<reqwest::RequestBuilder, String> {
        if alternatives.is_empty() {
            return Ok(request);
        }
        let server = &manifest.server;
        let mut missing_first: Option<Vec<String>> = None;
        for alternative in alternatives {
            let mut missing = Vec::new();
            let mut values = Vec::new();
            for id in &alternative.credentials {
                match server.credentials.get(id) {
                    Some(entry) => match (self.env)(&entry.env) {
                        Some(value) => values.push((entry, value)),
                        None => missing.push(entry.env.clone()),
                    },
                    None => missing.push(format!("(credential {id} is not in the manifest)")),
                }
            }
            let mut routing = Vec::new();
            for id in &alternative.routing {
                match server.routing.get(id) {
                    Some(entry) => match (self.env)(&entry.env) {
                        Some(value) => routing.push((entry.header.clone(), value)),
                        None => missing.push(entry.env.clone()),
                    },
                    None => missing.push(format!("(routing header {id} is not in the manifest)")),
                }
            }
            if missing.is_empty() {
                let mut request = request;
                for (entry, value) in values {
                    request =
                        apply_credential(request, &entry.placement, entry.name.as_deref(), &value);
                }
                for (header, value) in routing {
                    request = request.header(header, value);
                }
                return Ok(request);
            }
            missing_first.get_or_insert(missing);
        }
        Err(format!(
            "missing environment variable(s) for this tool's credentials: {}",
            missing_first.unwrap_or_default().join(", ")
        ))
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Outcome {
        let response = match request.send().await {
            Ok(response) => response,
            Err(e) => return Outcome::Failure(format!("the request failed: {e}")),
        };
        let status = response.status();
        let bytes = match response.bytes().await {
            Ok(bytes) => bytes,
            Err(e) => return Outcome::Failure(format!("reading the answer failed: {e}")),
        };
        let body: Option<Value> = serde_json::from_slice(&bytes).ok();
        if status.is_success() {
            return Outcome::Success(match body {
                Some(Value::Object(object)) => Value::Object(object),
                Some(other) => json!({ "result": other }),
                None if bytes.is_empty() => json!({ "status": status.as_u16() }),
                None => json!({ "result": String::from_utf8_lossy(&bytes) }),
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
}

/// Confirm and force guards, checked before anything is sent.
fn check_guards(route: &Route, arguments: &Map<String, Value>) -> Result<(), String> {
    let body_argument = |field: &str| {
        route
            .arguments
            .iter()
            .find(|(_, place)| {
                place.location == Location::Body && place.name.as_deref() == Some(field)
            })
            .and_then(|(name, _)| arguments.get(name))
    };
    let path_argument = |param: &str| {
        route
            .arguments
            .iter()
            .find(|(_, place)| {
                place.location == Location::Path && place.name.as_deref() == Some(param)
            })
            .and_then(|(name, _)| arguments.get(name))
    };
    for guard in &route.guards {
        match guard {
            Guard::Confirm {
                field,
                equals_path_param,
            } => {
                let given = body_argument(field).map(text);
                let expected = path_argument(equals_path_param).map(text);
                if given.is_none() || given != expected {
                    return Err(format!(
                        "refused before sending: `{field}` must equal `{equals_path_param}` ({}), got {}",
                        expected.as_deref().unwrap_or("absent"),
                        given.as_deref().unwrap_or("nothing")
                    ));
                }
            }
            Guard::Force {
                field,
                keys_of,
                pattern,
            } => {
                let forced = body_argument(field).and_then(Value::as_bool) == Some(true);
                let keys: Vec<&String> = body_argument(keys_of)
                    .and_then(Value::as_object)
                    .map(|map| map.keys().collect())
                    .unwrap_or_default();
                // A pattern that does not compile counts every key as matching.
                let regex = Regex::new(pattern).ok();
                let matching: Vec<&str> = keys
                    .into_iter()
                    .filter(|k| regex.as_ref().is_none_or(|r| r.is_match(k)))
                    .map(String::as_str)
                    .collect();
                if !forced && !matching.is_empty() {
                    return Err(format!(
                        "refused before sending: keys of `{keys_of}` look like secrets ({}); set `{field}: true` to send them",
                        matching.join(", ")
                    ));
                }
            }
            Guard::DryRun { .. } | Guard::Precondition { .. } | Guard::DestructiveFlag { .. } => {}
        }
    }
    Ok(())
}

/// The path template with each `{param}` replaced by its percent-encoded argument.
fn fill_path(route: &Route, arguments: &Map<String, Value>) -> Result<String, String> {
    let mut path = route.path.clone();
    for (name, place) in &route.arguments {
        if place.location != Location::Path {
            continue;
        }
        let wire = place.name.as_deref().unwrap_or(name);
        let value = arguments
            .get(name)
            .ok_or_else(|| format!("missing path argument `{name}`"))?;
        path = path.replace(&format!("{{{wire}}}"), &encode_segment(&text(value)));
    }
    Ok(path)
}

fn encode_segment(value: &str) -> String {
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

fn query_values(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items.iter().map(text).collect(),
        other => vec![text(other)],
    }
}

/// A scalar as text on the wire (strings without quotes).
fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn apply_credential(
    request: reqwest::RequestBuilder,
    placement: &str,
    name: Option<&str>,
    value: &str,
) -> reqwest::RequestBuilder {
    let (header, content) = match (placement, name) {
        ("bearer", _) => ("authorization".to_string(), format!("Bearer {value}")),
        ("basic", _) => {
            let (user, password) = value.split_once(':').unwrap_or((value, ""));
            return request.basic_auth(user, Some(password));
        }
        ("cookie", Some(name)) => ("cookie".to_string(), format!("{name}={value}")),
        ("query", Some(name)) => return request.query(&[(name, value)]),
        (_, Some(name)) => (name.to_string(), value.to_string()),
        (_, None) => ("authorization".to_string(), value.to_string()),
    };
    match HeaderValue::from_str(&content) {
        Ok(mut header_value) => {
            header_value.set_sensitive(true);
            request.header(header, header_value)
        }
        Err(_) => request.header(header, content),
    }
}
