//! Credentials never show: not in what `tiergen route` prints, not in the
//! answers or the log of `tiergen mcp serve` when a call fails (a key in the
//! query string would otherwise ride along in every URL an HTTP error
//! quotes), not in tiergen's own error messages. Each test also proves the
//! secret was really in play, so a test that sees nothing cannot pass by
//! accident. (The generated client's `Debug` is covered in
//! `tests/client/tests/{credentials,models}.rs`.)

use crate::common;

use std::path::Path;
use std::process::{Command, Output};

use crate::common::serve::{FakeApi, Served};
use serde_json::{Value, json};

/// A key that goes in the query string, a bearer token, and a response
/// field that holds a secret.
const SPEC: &str = r##"openapi: 3.1.0
info: { title: Secrets, version: "1" }
servers: [{ url: https://api.example.com }]
components:
  securitySchemes:
    queryKey: { type: apiKey, in: query, name: api_key }
    bearer: { type: http, scheme: bearer }
  schemas:
    Token:
      type: object
      required: [token]
      properties:
        token: { type: string, x-tiergen-sensitive: true }
paths:
  /tokens:
    post:
      operationId: createToken
      security: [{ queryKey: [] }, { bearer: [] }]
      responses:
        "200": { description: OK., content: { application/json: { schema: { $ref: "#/components/schemas/Token" } } } }
"##;

const QUERY_KEY: &str = "qk-S3CRET-query";
const BEARER: &str = "bt-S3CRET-bearer";

fn generated() -> tempfile::TempDir {
    let dir = common::temp_tree(&[("api.yaml", SPEC)]);
    let output = common::tiergen_in(
        dir.path(),
        &["generate", "--spec", "api.yaml", "--out", "out"],
    );
    assert!(output.status.success(), "{}", common::stderr(&output));
    dir
}

fn route(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tiergen"))
        .args(["route", "--routes", "out/cli/routes.json"])
        .args(args)
        .current_dir(dir)
        .env_clear()
        .envs(env.iter().copied())
        .output()
        .unwrap_or_else(|e| panic!("{e}"))
}

fn assert_hidden(label: &str, text: &str) {
    for secret in [QUERY_KEY, BEARER] {
        assert!(!text.contains(secret), "{label} shows a secret:\n{text}");
    }
}

#[test]
fn route_masks_a_key_in_the_query_string_in_text_and_json() {
    let dir = generated();
    let text = route(
        dir.path(),
        &["token", "create"],
        &[("SECRETS_QUERY_KEY", QUERY_KEY)],
    );
    assert!(text.status.success(), "{}", common::stderr(&text));
    assert_eq!(
        common::stdout(&text),
        "POST https://api.example.com/tokens?api_key=****\n"
    );
    let json_output = route(
        dir.path(),
        &["--format", "json", "token", "create"],
        &[("SECRETS_BEARER", BEARER)],
    );
    assert!(
        json_output.status.success(),
        "{}",
        common::stderr(&json_output)
    );
    let request: Value =
        serde_json::from_slice(&json_output.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        request["headers"],
        json!([["authorization", "Bearer ****"]]),
        "{request}"
    );
    for output in [&text, &json_output] {
        assert_hidden("route", &common::stdout(output));
        assert_hidden("route", &common::stderr(output));
    }
}

#[test]
fn tiergen_errors_never_echo_a_secret() {
    let dir = generated();
    let env = [("SECRETS_QUERY_KEY", QUERY_KEY), ("SECRETS_BEARER", BEARER)];
    // A command that does not exist, an option it does not take, and a
    // base URL that is not one: each refused, with both credentials set.
    for args in [
        &["token", "mint"][..],
        &["token", "create", "--api-key", QUERY_KEY][..],
        &["--base-url", "api=not a url", "token", "create"][..],
    ] {
        let output = route(dir.path(), args, &env);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            common::stderr(&output)
        );
        let stderr = common::stderr(&output);
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert_hidden(
            "route's error",
            &stderr.replace(&format!("--api-key {QUERY_KEY}"), ""),
        );
    }
    let serve = Command::new(env!("CARGO_BIN_EXE_tiergen"))
        .args([
            "mcp",
            "serve",
            "--manifest",
            "out/mcp/query-key.json",
            "--base-url",
            "nope=x",
        ])
        .current_dir(dir.path())
        .env_clear()
        .envs(env)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(serve.status.code(), Some(2), "{}", common::stderr(&serve));
    assert_hidden("mcp serve's error", &common::stderr(&serve));
}

/// The key reaches the API, and not the answers: not when the API fails
/// with a status (whose error names the URL it called), not when nothing
/// listens, and not in the server's log.
#[test]
fn mcp_serve_sends_the_key_and_never_shows_it() {
    let dir = generated();
    let manifest = dir.path().join("out/mcp/query-key.json");
    let log = dir.path().join("serve.log");
    let failing = FakeApi::answering("500 Internal Server Error", "{\"error\":\"boom\"}");
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
        let address = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
        drop(listener);
        format!("http://{address}")
    };
    let mut answers = Vec::new();
    for base in [&failing.url, &closed] {
        let mut served = Served::start_logging(
            &manifest,
            &[format!("api={base}")],
            &[("SECRETS_QUERY_KEY", QUERY_KEY)],
            &log,
        );
        let tools = served.request("tools/list", json!({}));
        let name = tools["result"]["tools"][0]["name"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let (is_error, text, structured) = served.call(&name, json!({}));
        assert!(is_error, "{text}");
        answers.push(format!("{text}\n{structured}"));
        drop(served);
        let logged = std::fs::read_to_string(&log).unwrap_or_default();
        assert_hidden("mcp serve's log", &logged);
    }
    let requests = failing.taken();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].path, format!("/tokens?api_key={QUERY_KEY}"));
    assert!(answers[0].contains("500"), "{}", answers[0]);
    assert!(answers[1].contains("the request failed"), "{}", answers[1]);
    for answer in &answers {
        assert_hidden("mcp serve's answer", answer);
    }
}
