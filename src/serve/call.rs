//! `tiergen call`: sends a request the route map resolved, through the
//! same body encoding and the same sender (retries, timeout) as `mcp serve`.

use reqwest::header::{CONTENT_TYPE, HeaderValue};
use serde_json::Value;

use super::dispatch::{BodyArguments, encode_body};
use super::route::Request;
use super::send::{self, Policy, Repeat};
use crate::ir::BodyEncoding;

/// What the API answered.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    reason: Option<&'static str>,
    /// The body, when it is JSON.
    pub json: Option<Value>,
    pub bytes: Vec<u8>,
}

impl Reply {
    /// `404 Not Found`.
    pub fn status_line(&self) -> String {
        match self.reason {
            Some(reason) => format!("{} {reason}", self.status),
            None => self.status.to_string(),
        }
    }

    /// The body as text (bytes that are not UTF-8 replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
}

/// Sends `request` (resolved with its secrets, `Purpose::Send`). A request
/// the person was asked about is sent once, never repeated.
pub async fn send_request(request: &Request, policy: &Policy) -> Result<Reply, String> {
    let client = send::client();
    let method = reqwest::Method::from_bytes(request.method.as_str().as_bytes())
        .map_err(|_| format!("invalid method {:?} in the route map", request.method))?;
    let mut builder = client.request(method, &request.url);
    for (name, value) in &request.headers {
        if name == "content-type" {
            continue;
        }
        let mut value = HeaderValue::from_str(value)
            .map_err(|_| format!("the header `{name}` is not a valid header value"))?;
        if request.secret_headers.contains(name) {
            value.set_sensitive(true);
        }
        builder = builder.header(name, value);
    }
    if let Some((content_type, bytes)) = body(request)? {
        builder = builder.header(CONTENT_TYPE, content_type).body(bytes);
    }
    // The URL can carry a credential (an API key in the query): leave it out.
    let built = builder
        .build()
        .map_err(|e| format!("cannot build the request: {}", e.without_url()))?;
    let repeat = if request.question.is_some() {
        Repeat::Never
    } else if request.idempotent {
        Repeat::Safe
    } else {
        Repeat::for_method(request.method)
    };
    let answer = send::send(&client, built, repeat, policy)
        .await
        .map_err(|e| e.to_string())?;
    Ok(Reply {
        status: answer.status.as_u16(),
        reason: answer.status.canonical_reason(),
        json: serde_json::from_slice(&answer.body).ok(),
        bytes: answer.body,
    })
}

/// The body's content type and bytes, encoded as the route map says.
fn body(request: &Request) -> Result<Option<(String, Vec<u8>)>, String> {
    let Some(body) = &request.body else {
        return Ok(None);
    };
    let media_type = request
        .headers
        .iter()
        .find(|(name, _)| name == "content-type")
        .map(|(_, value)| value.clone());
    let arguments = match (request.body_encoding, body) {
        // Files among the parts were read and base64-encoded (`Purpose::Send`).
        (BodyEncoding::Multipart, Value::Object(parts)) => BodyArguments {
            fields: parts
                .iter()
                .map(|(name, value)| {
                    let file = request.binary_fields.contains(name);
                    (name.clone(), value.clone(), file)
                })
                .collect(),
            whole: None,
        },
        _ => BodyArguments {
            fields: Vec::new(),
            whole: Some(body.clone()),
        },
    };
    encode_body(media_type, Some(request.body_encoding), arguments)
}
