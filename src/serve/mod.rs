//! Running tools over a generated artifact: `mcp serve` reads an MCP
//! manifest and dispatches tool calls as HTTP requests; `route` reads the
//! CLI route map and describes the request a command would send. Credentials
//! come only from environment variables, never from arguments, and are
//! never printed.

mod call;
mod consent;
mod discovery;
mod dispatch;
mod http;
mod manifest;
mod mcp;
mod route;
mod select;
pub mod send;
mod wire;

use std::collections::BTreeMap;
use std::path::Path;

pub use call::{Reply, send_request};
pub use consent::{Decision, Question};
pub use dispatch::{Dispatcher, Outcome};
pub use http::{AccessToken, HttpOptions, serve_http};
pub use manifest::Manifest;
pub use mcp::{ConsentMode, Discovery, McpServer, Options};
pub use route::{Purpose, Request};
pub use select::Selection;
pub use send::{Answer, Policy, Repeat, SendError};

use crate::error::{Error, Result};

/// Reads `manifest` and builds the server; `base_urls` are `SERVICE=URL` or,
/// for a single-service manifest, a bare `URL`.
pub fn mcp_server(
    manifest_path: &Path,
    base_urls: &[String],
    options: Options,
    policy: Policy,
) -> Result<McpServer> {
    let manifest = Manifest::read(manifest_path)?;
    let overrides = base_url_overrides(&manifest, manifest_path, base_urls)?;
    let dispatcher = Dispatcher::new(
        &manifest,
        &overrides,
        Box::new(|name| std::env::var(name).ok()),
        policy,
    );
    McpServer::new(manifest, dispatcher, options)
        .map_err(|message| Error::in_file(manifest_path, message))
}

fn base_url_overrides(
    manifest: &Manifest,
    path: &Path,
    base_urls: &[String],
) -> Result<BTreeMap<String, String>> {
    let services: Vec<&String> = manifest.server.services.keys().collect();
    let mut overrides = BTreeMap::new();
    for given in base_urls {
        let (service, url) = match given.split_once('=') {
            Some((service, url)) if !service.contains("://") => {
                (service.to_string(), url.to_string())
            }
            _ => match services.as_slice() {
                [only] => ((*only).clone(), given.clone()),
                _ => {
                    return Err(Error::in_file(
                        path,
                        format!(
                            "--base-url {given}: this manifest has several services ({}); use SERVICE=URL",
                            services
                                .iter()
                                .map(|s| s.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ));
                }
            },
        };
        if !manifest.server.services.contains_key(&service) {
            return Err(Error::in_file(
                path,
                format!("--base-url {given}: no service {service:?} in this manifest"),
            ));
        }
        let url = absolute_http_url(given, &url).map_err(|m| Error::in_file(path, m))?;
        overrides.insert(service, url);
    }
    Ok(overrides)
}

/// `url` as given, when it is an absolute `http` or `https` URL.
fn absolute_http_url(given: &str, url: &str) -> std::result::Result<String, String> {
    match reqwest::Url::parse(url) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && parsed.has_host() => {
            Ok(url.to_string())
        }
        Ok(_) => Err(format!(
            "--base-url {given}: only http and https URLs are served"
        )),
        Err(e) => Err(format!("--base-url {given}: not a URL ({e})")),
    }
}

/// Resolves a command against the route map at `routes` to show it,
/// secrets masked; `base_urls` are `SERVICE=URL` pairs. Every failure
/// names the route map file.
pub fn route(
    routes: &Path,
    words: &[String],
    base_urls: &[String],
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Request> {
    resolve(routes, words, base_urls, env, Purpose::Show)
}

/// Resolves a command to send it: credentials and file contents in.
pub fn route_to_send(
    routes: &Path,
    words: &[String],
    base_urls: &[String],
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Request> {
    resolve(routes, words, base_urls, env, Purpose::Send)
}

fn resolve(
    routes: &Path,
    words: &[String],
    base_urls: &[String],
    env: &dyn Fn(&str) -> Option<String>,
    purpose: Purpose,
) -> Result<Request> {
    let map = route::read(routes).map_err(|message| Error::in_file(routes, message))?;
    let mut overrides = BTreeMap::new();
    for given in base_urls {
        let Some((service, url)) = given.split_once('=') else {
            return Err(Error::in_file(
                routes,
                format!("--base-url {given}: use SERVICE=URL"),
            ));
        };
        let url = absolute_http_url(given, url).map_err(|m| Error::in_file(routes, m))?;
        overrides.insert(service.to_string(), url);
    }
    route::resolve(&map, words, &overrides, env, purpose)
        .map_err(|message| Error::in_file(routes, message))
}
