//! Wire checks of the client generated from `tests/fixtures/rust/wire.yaml`:
//! each call goes to a mock server on 127.0.0.1, and the request it received
//! is compared byte for byte with what the spec says — the Content-Type, the
//! encoded body, where the credential travelled.
//!
//! Not a test of this repository on its own: `tests/rust/rust_client.rs`
//! builds it as a member of the fixture crates' workspace and runs it with
//! `cargo test`.

#![cfg(test)]

use fixture_wire::credentials::{
    Basic, Bearer, CookieKey, Digest, HeaderKey, Mtls, Oauth, Oidc, QueryKey,
};
use fixture_wire::{ApiClient, Error, models};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A server answering `status` with `body` (as `content_type`) to anything.
async fn answering(status: u16, content_type: &str, body: &[u8]) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(
            ResponseTemplate::new(status)
                .insert_header("content-type", content_type)
                .set_body_bytes(body.to_vec()),
        )
        .mount(&server)
        .await;
    server
}

async fn no_content() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

/// The one request `server` received.
async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 1, "expected one request: {requests:?}");
    requests.remove(0)
}

fn header(request: &Request, name: &str) -> Vec<String> {
    request
        .headers
        .get_all(name)
        .iter()
        .map(|v| v.to_str().unwrap_or("<not text>").to_string())
        .collect()
}

fn client(server: &MockServer) -> ApiClient {
    ApiClient::with_base_url(server.uri())
}

#[tokio::test]
async fn a_form_body_is_url_encoded_field_by_field_in_declaration_order() {
    let server = no_content().await;
    let mut extra_fields = std::collections::BTreeMap::new();
    extra_fields.insert("zeta".to_string(), "last & least".to_string());
    let body = models::SendFormRequest {
        user: "ada lovelace".to_string(),
        age: Some(36),
        tags: Some(vec!["a=b".to_string(), "c".to_string()]),
        remember: None,
        extra: Some(models::SendFormRequestExtra { a: Some(1) }),
        additional_properties: extra_fields,
    };
    client(&server)
        .send_form(&Bearer::new("tok"), &body)
        .await
        .expect("204");
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/form");
    assert_eq!(
        header(&request, "content-type"),
        ["application/x-www-form-urlencoded"]
    );
    assert_eq!(header(&request, "authorization"), ["Bearer tok"]);
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        "user=ada+lovelace&age=36&tags=a%3Db&tags=c&extra=%7B%22a%22%3A1%7D&zeta=last+%26+least"
    );
}

#[tokio::test]
async fn a_multipart_body_sends_binary_fields_as_files_and_objects_as_json() {
    let server = no_content().await;
    let body = models::SendMultipartRequest {
        file: vec![0, 1, 2, 255],
        note: Some("hello".to_string()),
        thumbnail: None,
        meta: Some(models::SendMultipartRequestMeta { size: Some(4) }),
    };
    client(&server)
        .send_multipart(&Basic::new("ada", "secret"), &body)
        .await
        .expect("204");
    let request = only_request(&server).await;
    let content_type = header(&request, "content-type").join("");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not multipart: {content_type}"));
    // `ada:secret` in base64.
    assert_eq!(
        header(&request, "authorization"),
        ["Basic YWRhOnNlY3JldA=="]
    );
    let mut expected = Vec::new();
    let mut part = |headers: &str, value: &[u8]| {
        expected.extend_from_slice(format!("--{boundary}\r\n{headers}\r\n\r\n").as_bytes());
        expected.extend_from_slice(value);
        expected.extend_from_slice(b"\r\n");
    };
    part(
        "Content-Disposition: form-data; name=\"file\"; filename=\"file\"\r\nContent-Type: application/octet-stream",
        &[0, 1, 2, 255],
    );
    part("Content-Disposition: form-data; name=\"note\"", b"hello");
    part(
        "Content-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json",
        br#"{"size":4}"#,
    );
    expected.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        String::from_utf8_lossy(&expected)
    );
}

#[tokio::test]
async fn a_binary_body_goes_as_is_with_its_declared_type_and_bytes_come_back() {
    let server = answering(200, "application/octet-stream", &[9, 8, 7]).await;
    let answer = client(&server)
        .send_bytes(&Digest::new("username=\"ada\""), "a b/c", &[0, 159, 255])
        .await
        .expect("200");
    assert_eq!(answer, [9, 8, 7]);
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "PUT");
    assert_eq!(request.url.path(), "/bytes/a%20b%2Fc");
    assert_eq!(header(&request, "content-type"), ["image/png"]);
    assert_eq!(
        header(&request, "authorization"),
        ["Digest username=\"ada\""]
    );
    assert_eq!(request.body, [0, 159, 255]);
}

#[tokio::test]
async fn a_text_body_goes_as_is_and_text_comes_back() {
    let server = answering(200, "text/plain", "échoed".as_bytes()).await;
    let answer = client(&server)
        .send_text(&HeaderKey::new("k-1"), "héllo\nworld")
        .await
        .expect("200");
    assert_eq!(answer, "échoed");
    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-type"), ["text/plain"]);
    assert_eq!(header(&request, "x-api-key"), ["k-1"]);
    assert!(header(&request, "authorization").is_empty());
    assert_eq!(request.body, "héllo\nworld".as_bytes());
}

#[tokio::test]
async fn an_api_key_travels_in_the_query_or_a_cookie_and_nowhere_else() {
    let server = no_content().await;
    client(&server)
        .with_query_key(&QueryKey::new("q&1"), Some(2))
        .await
        .expect("204");
    let request = only_request(&server).await;
    // The parameters are written into the URL first; the credential follows.
    assert_eq!(request.url.query(), Some("page=2&api_key=q%261"));
    assert!(header(&request, "authorization").is_empty());
    assert!(header(&request, "cookie").is_empty());

    let server = no_content().await;
    client(&server)
        .with_cookie_key(&CookieKey::new("c-1"))
        .await
        .expect("204");
    let request = only_request(&server).await;
    assert_eq!(header(&request, "cookie"), ["session=c-1"]);
    assert_eq!(request.url.query(), None);
}

#[tokio::test]
async fn oauth2_and_openid_connect_tokens_are_bearer_tokens() {
    let server = no_content().await;
    client(&server)
        .with_token(&Oauth::new("o-1"))
        .await
        .expect("204");
    assert_eq!(
        header(&only_request(&server).await, "authorization"),
        ["Bearer o-1"]
    );
    let server = no_content().await;
    client(&server)
        .with_token(&Oidc::new("i-1"))
        .await
        .expect("204");
    assert_eq!(
        header(&only_request(&server).await, "authorization"),
        ["Bearer i-1"]
    );
}

#[tokio::test]
async fn a_client_certificate_alternative_sends_only_its_other_credentials() {
    let server = no_content().await;
    client(&server)
        .with_token(&(Mtls::configured(), HeaderKey::new("k-2")))
        .await
        .expect("204");
    let request = only_request(&server).await;
    assert_eq!(header(&request, "x-api-key"), ["k-2"]);
    assert!(header(&request, "authorization").is_empty());
}

/// What the documentation of a `mutualTLS` credential says to do compiles
/// with the crate's own reqwest features (rustls, no OpenSSL).
#[allow(dead_code)]
fn client_with_certificate(pem: &[u8]) -> Result<ApiClient, reqwest::Error> {
    let http = reqwest::Client::builder()
        .identity(reqwest::Identity::from_pem(pem)?)
        .build()?;
    Ok(ApiClient::new().with_http_client(http))
}

#[tokio::test]
async fn a_discriminated_union_decodes_by_its_property_and_keeps_unknown_kinds() {
    let pets = br#"[
        {"kind": "cat", "lives": 9},
        {"kind": "hound", "good": true, "name": null},
        {"kind": "fish", "fins": 2}
    ]"#;
    let server = answering(200, "application/json", pets).await;
    let answer = client(&server).list_pets().await.expect("200");
    assert_eq!(
        answer,
        [
            models::Pet::Cat(models::Cat {
                kind: "cat".to_string(),
                lives: 9
            }),
            models::Pet::Dog(models::Dog {
                kind: "hound".to_string(),
                name: Some(None),
                good: true
            }),
            models::Pet::Unknown(serde_json::json!({"kind": "fish", "fins": 2})),
        ]
    );

    let server = answering(200, "application/json", br#"[{"lives": 1}]"#).await;
    match client(&server).list_pets().await {
        Err(Error::InvalidBody { status: 200, .. }) => {}
        other => panic!("a pet without `kind` must not decode: {other:?}"),
    }
}

#[tokio::test]
async fn an_internally_tagged_union_writes_its_tag_and_asks_for_json() {
    let server = answering(
        200,
        "application/json",
        br#"{"type": "Square", "side": 2.5}"#,
    )
    .await;
    let answer = client(&server)
        .add_shape(&models::Shape::Circle(models::Circle { radius: 1.5 }))
        .await
        .expect("200");
    assert_eq!(answer, models::Shape::Square(models::Square { side: 2.5 }));
    let request = only_request(&server).await;
    assert_eq!(header(&request, "accept"), ["application/json"]);
    assert_eq!(header(&request, "content-type"), ["application/json"]);
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&request.body).expect("JSON"),
        serde_json::json!({"type": "Circle", "radius": 1.5})
    );
}

#[tokio::test]
async fn an_undocumented_answer_is_unexpected_and_keeps_its_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/cookie-key"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    match client(&server)
        .with_query_key(&QueryKey::new("k"), None)
        .await
    {
        Err(Error::UnexpectedStatus { status: 404, body }) => assert!(body.is_empty()),
        other => panic!("expected the undocumented 404: {other:?}"),
    }
}
