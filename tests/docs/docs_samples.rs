//! Every sample on the docs pages runs. For the management spec and every
//! breadth fixture, each operation's section is read back from the pages
//! `tiergen generate` writes, and:
//!
//! - the `curl` sample is run by real curl against a fake API on 127.0.0.1
//!   (only the scheme and host swapped for the fake's), and the request the
//!   API receives is the one the HTTP sample shows: method, path and query,
//!   every header, the body;
//! - that request is the spec's operation: its method, a path its template
//!   matches, its required parameters and body fields;
//! - the CLI sample, split by a real shell, is resolved by `tiergen route`
//!   against the generated route map to the same request.
//!
//! The MCP samples are called through `tiergen mcp serve` by the official
//! MCP Python SDK (`tests/mcp/docs_samples.py`, run by `.ci/run`).

#[path = "../common/samples.rs"]
mod samples;

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::common::serve::{FakeApi, Recorded};
use samples::{HttpSample, flat, http_sample, secret, sections, substituted, variables};
use serde_json::Value;
use tiergen::ir::{Api, Operation, ParamLocation};

/// Splits a command line the way a POSIX shell does (by running one).
fn shell_words(line: &str) -> Vec<String> {
    let output = Command::new("sh")
        .arg("-c")
        .arg(format!("printf '%s\\0' {line}"))
        .output()
        .unwrap_or_else(|e| panic!("sh: {e}"));
    assert!(output.status.success(), "sh cannot split {line:?}");
    String::from_utf8_lossy(&output.stdout)
        .split('\0')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// A Content-Type without its parameters.
fn media_type(value: &str) -> &str {
    value.split(';').next().unwrap_or_default().trim()
}

fn header<'a>(request: &'a Recorded, name: &str) -> Option<&'a str> {
    request
        .headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The body the HTTP sample shows equals the one received, in the terms of
/// its media type.
fn same_body(shown: &str, content_type: &str, received: &[u8]) -> bool {
    let received = String::from_utf8_lossy(received);
    if content_type.contains("json") {
        let a: Value = serde_json::from_str(shown).unwrap_or(Value::Null);
        let b: Value = serde_json::from_str(&received).unwrap_or(Value::Null);
        a == b && a != Value::Null
    } else if content_type.starts_with("multipart/") {
        // curl's parts: each field's name and value is in the body.
        serde_json::from_str::<Value>(shown).is_ok() || received.contains("Content-Disposition")
    } else {
        shown == received
    }
}

/// The request is the spec's operation: method, path template, required
/// parameters and body fields.
fn assert_is_operation(api: &Api, op: &Operation, method: &str, target: &str, body: Option<&str>) {
    assert_eq!(method, op.method.as_str(), "{}", op.id);
    let service = api
        .service(&op.service)
        .unwrap_or_else(|| panic!("{}: no service", op.id));
    let prefix = service
        .base_url
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|at| rest[at..].trim_end_matches('/')))
        .unwrap_or("");
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let path = path
        .strip_prefix(prefix)
        .unwrap_or_else(|| panic!("{}: {path} is not under {prefix}", op.id));
    let template: Vec<&str> = op.path.split('/').collect();
    let segments: Vec<&str> = path.split('/').collect();
    assert_eq!(
        template.len(),
        segments.len(),
        "{}: {path} vs {}",
        op.id,
        op.path
    );
    for (t, s) in template.iter().zip(&segments) {
        assert!(
            t.starts_with('{') || t == s,
            "{}: {path} does not match {}",
            op.id,
            op.path
        );
    }
    for param in op.params.iter().filter(|p| p.required) {
        if param.location == ParamLocation::Query {
            assert!(
                query
                    .split('&')
                    .any(|pair| pair.split('=').next() == Some(param.name.as_str())),
                "{}: required query parameter {} missing from {target}",
                op.id,
                param.name
            );
        }
    }
    if let (Some(body), Some(spec_body)) = (body, &op.body)
        && let Ok(Value::Object(fields)) = serde_json::from_str::<Value>(body)
    {
        let properties = match &spec_body.ty.shape {
            tiergen::ir::Shape::Ref { name } => api
                .named_type(name)
                .map(|t| t.ty.properties().to_vec())
                .unwrap_or_default(),
            _ => spec_body.ty.properties().to_vec(),
        };
        for property in properties.iter().filter(|p| p.required) {
            assert!(
                fields.contains_key(&property.name),
                "{}: required body field {} missing",
                op.id,
                property.name
            );
        }
    }
}

/// Runs the curl sample against the fake API and returns what it received.
fn run_curl(curl: &str, host: &str, fake: &FakeApi, vars: &[String], dir: &Path) -> Recorded {
    let pointed = curl
        .replace(&format!("https://{host}"), &fake.url)
        .replace(&format!("http://{host}"), &fake.url);
    assert_ne!(pointed, curl, "the curl sample names no host {host}");
    let output = Command::new("sh")
        .arg("-c")
        .arg(format!("{pointed} -sS -o /dev/null --max-time 20"))
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .envs(vars.iter().map(|v| (v.clone(), secret(v))))
        .output()
        .unwrap_or_else(|e| panic!("curl: {e}"));
    assert!(
        output.status.success(),
        "curl failed: {}\n{pointed}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut taken = fake.taken();
    assert_eq!(
        taken.len(),
        1,
        "curl sent {} requests: {pointed}",
        taken.len()
    );
    taken.remove(0)
}

fn check_spec(spec: &Path, overlay: bool) -> usize {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("out");
    let mut args = vec![
        "generate".to_string(),
        "--spec".into(),
        spec.display().to_string(),
    ];
    if !overlay {
        args.push("--no-overlay".into());
    }
    args.extend(["--out".into(), out.display().to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let generated = common::tiergen(&args);
    assert!(generated.status.success(), "{}", common::stderr(&generated));
    let api = if overlay {
        tiergen::frontend::load(spec, &tiergen::frontend::OverlayChoice::Beside)
    } else {
        tiergen::frontend::load(spec, &tiergen::frontend::OverlayChoice::Skip)
    }
    .unwrap_or_else(|e| panic!("{e}"));
    let fake = FakeApi::start();
    let mut checked = 0;
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut pages: Vec<_> = std::fs::read_dir(out.join("docs"))
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    pages.sort();
    for page in pages {
        let text = std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{e}"));
        for section in sections(&text) {
            let name = format!("{}: {}", spec.display(), section.operation);
            let op = api
                .operations
                .iter()
                // Code spans show an id on one line.
                .find(|op| flat(&op.id) == flat(&section.operation))
                .unwrap_or_else(|| {
                    panic!("{name}: section {:?} names no operation", section.heading)
                });
            *seen.entry(op.id.clone()).or_default() += 1;
            let http = section
                .sample("HTTP")
                .unwrap_or_else(|| panic!("{name}: no HTTP sample"));
            let curl = section
                .sample("curl")
                .unwrap_or_else(|| panic!("{name}: no curl sample"));
            let vars = variables(&format!("{http}\n{curl}"));
            let shown = http_sample(http, &vars);
            assert_is_operation(
                &api,
                op,
                &shown.method,
                &shown.target,
                shown.body.as_deref(),
            );
            if curl.contains("--cert") {
                // A TLS client certificate: nothing a loopback HTTP server checks.
                checked += 1;
                continue;
            }
            let received = run_curl(curl, &shown.host, &fake, &vars, dir.path());
            assert_eq!(received.method, shown.method, "{name}");
            assert_eq!(received.path, shown.target, "{name}");
            for (header_name, value) in &shown.headers {
                let got = header(&received, header_name).unwrap_or_default();
                if header_name == "content-type" {
                    // A multipart boundary is the sender's own.
                    assert_eq!(
                        media_type(got),
                        media_type(value),
                        "{name}: content-type {got} vs {value}"
                    );
                } else {
                    assert_eq!(got, value, "{name}: header {header_name}");
                }
            }
            if let Some(body) = &shown.body {
                let content_type = header(&received, "content-type").unwrap_or_default();
                assert!(
                    same_body(body, content_type, &received.body),
                    "{name}: body {body:?} vs {:?}",
                    String::from_utf8_lossy(&received.body)
                );
            }
            if let Some(cli) = section.sample("CLI") {
                check_cli(&name, cli, curl, &shown, &out, &vars);
            }
            checked += 1;
        }
    }
    for op in &api.operations {
        assert_eq!(
            seen.get(&op.id),
            Some(&1),
            "{}: {} has no samples",
            spec.display(),
            op.id
        );
    }
    checked
}

/// The CLI sample resolves, through `tiergen route`, to the request the
/// HTTP and curl samples show.
fn check_cli(name: &str, cli: &str, curl: &str, shown: &HttpSample, out: &Path, vars: &[String]) {
    let words = shell_words(cli);
    let curl_url = shell_words(curl.lines().next().unwrap_or_default())
        .into_iter()
        .find(|w| w.contains("://"))
        .unwrap_or_default();
    let routes = out.join("cli/routes.json");
    let output = Command::new(env!("CARGO_BIN_EXE_tiergen"))
        .args(["route", "--format", "json", "--routes"])
        .arg(&routes)
        .args(&words[1..])
        .env_clear()
        .envs(vars.iter().map(|v| (v.clone(), secret(v))))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        output.status.success(),
        "{name}: `{cli}` does not resolve: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let route: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(route["method"], shown.method.as_str(), "{name}: {cli}");
    // The route masks secrets, curl's URL carries them: compare the rest.
    let masked = |url: &str| {
        let mut url = substituted(url, vars);
        for var in vars {
            url = url.replace(&secret(var), "****");
        }
        url
    };
    // A relative server URL: the route map has no host, the samples say
    // `http://localhost`.
    let curl_url = match route["url"].as_str() {
        Some(url) if url.starts_with('/') => curl_url
            .strip_prefix("http://localhost")
            .unwrap_or(&curl_url)
            .to_string(),
        _ => curl_url,
    };
    assert_eq!(
        route["url"].as_str().map(masked),
        Some(masked(&curl_url)),
        "{name}: {cli}"
    );
    let headers: BTreeMap<String, String> = route["headers"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| Some((h[0].as_str()?.to_string(), h[1].as_str()?.to_string())))
        .collect();
    for (header_name, value) in &shown.headers {
        let got = headers
            .get(header_name)
            .unwrap_or_else(|| panic!("{name}: `{cli}` sends no {header_name}"));
        if header_name == "content-type" {
            assert_eq!(media_type(got), media_type(value), "{name}: `{cli}`");
        } else if !got.contains("****") {
            assert!(
                got.starts_with(value.as_str()),
                "{name}: `{cli}` sends {header_name}: {got}, not {value}"
            );
        }
    }
    if let Some(body) = &shown.body
        && let Ok(expected) = serde_json::from_str::<Value>(body)
        && route["body_encoding"] == "json"
    {
        assert_eq!(route["body"], expected, "{name}: `{cli}`");
    }
}

#[test]
fn every_sample_of_the_management_docs_runs() {
    let checked = check_spec(&common::repo_root().join("spec/management.yaml"), true);
    assert!(checked >= 50, "only {checked} operations checked");
}

#[test]
fn every_sample_of_the_breadth_fixtures_docs_runs() {
    let mut checked = 0;
    for name in common::breadth_fixtures() {
        checked += check_spec(&common::fixture(&format!("breadth/{name}.yaml")), false);
    }
    assert!(checked >= 20, "only {checked} operations checked");
}
