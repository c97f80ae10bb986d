//! Helpers for the wire tests: a mock server on 127.0.0.1 and exact views of
//! what it received.

use std::collections::BTreeMap;

use wiremock::{MockServer, Request};

/// The headers that carry credentials or routing: every test asserts the
/// exact set it expects among these, so a stray or doubled one fails.
pub const AUTH_HEADERS: [&str; 5] = [
    "authorization",
    "cookie",
    "x-molecule-admin-token",
    "x-molecule-org-id",
    "x-molecule-org-slug",
];

/// A fresh mock server on 127.0.0.1.
pub async fn server() -> MockServer {
    MockServer::start().await
}

/// The one request the server received; fails if it got none or several.
pub async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(
        requests.len(),
        1,
        "expected exactly one request, got {}",
        requests.len()
    );
    requests.remove(0)
}

/// Asserts that nothing at all reached the server.
pub async fn assert_nothing_sent(server: &MockServer) {
    let requests = server.received_requests().await.unwrap_or_default();
    assert!(requests.is_empty(), "expected no request, got {requests:?}");
}

/// The credential and routing headers of a request: name → every value sent.
pub fn auth_headers(request: &Request) -> BTreeMap<String, Vec<String>> {
    let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for name in AUTH_HEADERS {
        for value in request.headers.get_all(name) {
            found
                .entry(name.to_string())
                .or_default()
                .push(value.to_str().unwrap_or("<not text>").to_string());
        }
    }
    found
}

/// The expected credential headers, for comparing with [`auth_headers`].
pub fn expect_headers(pairs: &[(&str, &str)]) -> BTreeMap<String, Vec<String>> {
    let mut expected: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, value) in pairs {
        expected
            .entry(name.to_ascii_lowercase())
            .or_default()
            .push(value.to_string());
    }
    expected
}

/// The request's JSON body; `None` when it has no body.
pub fn json_body(request: &Request) -> Option<serde_json::Value> {
    if request.body.is_empty() {
        return None;
    }
    Some(serde_json::from_slice(&request.body).unwrap_or_else(|e| {
        panic!(
            "body is not JSON ({e}): {}",
            String::from_utf8_lossy(&request.body)
        )
    }))
}

/// The path as sent, still percent-encoded.
pub fn raw_path(request: &Request) -> &str {
    request.url.path()
}

/// The query string as sent (`None` when there is none).
pub fn raw_query(request: &Request) -> Option<&str> {
    request.url.query()
}

/// A server on 127.0.0.1 that gives `answer` to exactly one request of any
/// kind; each test then checks what actually arrived.
pub async fn answering_once(answer: wiremock::ResponseTemplate) -> MockServer {
    let server = server().await;
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(answer)
        .expect(1)
        .mount(&server)
        .await;
    server
}

/// A documented error answer with the spec's `Error` body.
pub fn error_answer(status: u16, message: &str) -> wiremock::ResponseTemplate {
    wiremock::ResponseTemplate::new(status).set_body_json(serde_json::json!({ "error": message }))
}

/// The spec's `Error` body with `message`.
pub fn api_message(message: &str) -> molecule_client::models::Error {
    molecule_client::models::Error {
        error: message.to_string(),
    }
}

/// The operation's own documented error; anything else fails the test.
pub fn api_error<T: std::fmt::Debug, E: std::fmt::Debug>(
    result: Result<T, molecule_client::Error<E>>,
) -> E {
    match result {
        Err(molecule_client::Error::Api(error)) => error,
        other => panic!("expected a documented error answer, got {other:?}"),
    }
}

/// `value` as a JSON object; anything else fails the test.
pub fn object(value: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    match value {
        serde_json::Value::Object(map) => map,
        other => panic!("not a JSON object: {other}"),
    }
}
