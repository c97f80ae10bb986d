//! Turns a tool call into the HTTP request its route describes: checks the
//! arguments and guards first, takes credentials from the environment, sends,
//! and reads the answer. Secrets go on the wire as sensitive headers and are
//! never part of a message.

use std::collections::BTreeMap;

use std::time::Duration;

use reqwest::header::HeaderValue;
use serde_json::{Map, Value, json};

use super::manifest::{Location, Manifest, Route, Tool};
use super::wire::{self, Alternative, GuardInputs, Placement, text};

/// How long one API call may take before the tool reports a failure.
const TIMEOUT: Duration = Duration::from_secs(60);

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
                let url = overrides
                    .get(id)
                    .cloned()
                    .unwrap_or_else(|| service.base_url(&*env));
                (id.clone(), url.trim_end_matches('/').to_string())
            })
            .collect();
        // A client that cannot be built (no TLS backend) still gets the
        // timeout-less default rather than a panic here.
        let http = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .build()
            .unwrap_or_default();
        Dispatcher {
            http,
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
        match wire::choose(
            alternatives,
            &server.credentials,
            &server.routing,
            &*self.env,
        ) {
            Ok(chosen) => {
                let mut request = request;
                for (entry, value) in chosen.credentials {
                    request =
                        apply_credential(request, entry.placement, entry.name.as_deref(), &value);
                }
                for (entry, value) in chosen.routing {
                    request = request.header(&entry.header, value);
                }
                Ok(request)
            }
            Err(wanted) => {
                let missing: Vec<String> = wanted
                    .first()
                    .into_iter()
                    .flatten()
                    .filter(|name| (self.env)(name).is_none())
                    .cloned()
                    .collect();
                Err(format!(
                    "missing environment variable(s) for this tool's credentials: {}",
                    missing.join(", ")
                ))
            }
        }
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Outcome {
        let response = match request.send().await {
            Ok(response) => response,
            // The URL may carry a credential in its query: leave it out.
            Err(e) => return Outcome::Failure(format!("the request failed: {}", e.without_url())),
        };
        let status = response.status();
        let bytes = match response.bytes().await {
            Ok(bytes) => bytes,
            Err(e) => {
                return Outcome::Failure(format!("reading the answer failed: {}", e.without_url()));
            }
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

/// Confirm and force guards, checked before anything is sent. Body fields
/// are found among the flattened arguments or inside a whole-body argument.
fn check_guards(route: &Route, arguments: &Map<String, Value>) -> Result<(), String> {
    let whole_body = route
        .arguments
        .iter()
        .find(|(_, place)| place.location == Location::Body && place.name.is_none())
        .and_then(|(name, _)| arguments.get(name));
    let body_field = |field: &str| {
        route
            .arguments
            .iter()
            .find(|(_, place)| {
                place.location == Location::Body && place.name.as_deref() == Some(field)
            })
            .and_then(|(name, _)| arguments.get(name))
            .or_else(|| whole_body.and_then(|body| body.get(field)))
            .cloned()
    };
    let path_value = |param: &str| {
        route
            .arguments
            .iter()
            .find(|(_, place)| {
                place.location == Location::Path && place.name.as_deref() == Some(param)
            })
            .and_then(|(name, _)| arguments.get(name))
            .cloned()
    };
    let spelled = |field: &str| field.to_string();
    wire::check_guards(
        &route.guards,
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
        let wire_name = place.name.as_deref().unwrap_or(name);
        let value = arguments
            .get(name)
            .ok_or_else(|| format!("missing path argument `{name}`"))?;
        let segment = wire::path_segment(name, &text(value))?;
        path = path.replace(&format!("{{{wire_name}}}"), &segment);
    }
    Ok(path)
}

fn query_values(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items.iter().map(text).collect(),
        other => vec![text(other)],
    }
}

fn apply_credential(
    request: reqwest::RequestBuilder,
    placement: Placement,
    name: Option<&str>,
    value: &str,
) -> reqwest::RequestBuilder {
    let name = name.unwrap_or_default();
    let (header, content) = match placement {
        Placement::Bearer => ("authorization".to_string(), format!("Bearer {value}")),
        Placement::Basic => {
            let (user, password) = value.split_once(':').unwrap_or((value, ""));
            return request.basic_auth(user, Some(password));
        }
        Placement::Cookie => ("cookie".to_string(), format!("{name}={value}")),
        Placement::Query => return request.query(&[(name, value)]),
        Placement::Header => (name.to_string(), value.to_string()),
    };
    match HeaderValue::from_str(&content) {
        Ok(mut header_value) => {
            header_value.set_sensitive(true);
            request.header(header, header_value)
        }
        Err(_) => request.header(header, content),
    }
}
