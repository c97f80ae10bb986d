//! How a request body travels: a fact of the media type and the schema,
//! which every artifact states the same way (the docs, the client, the MCP
//! route, the CLI route map).

use super::{Api, Body, Scalar, Shape, Type};

/// How a request body travels, decided by its media type and shape. Every
/// artifact names it, so a running tool knows how to put arguments on the
/// wire (or that it cannot).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BodyEncoding {
    /// JSON (`application/json`, `*/*+json`): the arguments as they are.
    Json,
    /// `application/x-www-form-urlencoded`: one `name=value` per field.
    Form,
    /// `multipart/*`: one part per field; binary fields are files.
    Multipart,
    /// Raw bytes (`application/octet-stream`, images, a binary string):
    /// given base64-encoded.
    Binary,
    /// Text (`text/*`, or a string schema): sent as it is.
    Text,
    /// Anything else (XML built from an object, say): described, not sent.
    Unsupported,
}

impl BodyEncoding {
    pub fn as_str(self) -> &'static str {
        match self {
            BodyEncoding::Json => "json",
            BodyEncoding::Form => "form",
            BodyEncoding::Multipart => "multipart",
            BodyEncoding::Binary => "binary",
            BodyEncoding::Text => "text",
            BodyEncoding::Unsupported => "unsupported",
        }
    }

    /// True when the body's top-level fields can be separate arguments.
    pub fn has_fields(self) -> bool {
        matches!(
            self,
            BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart
        )
    }
}

impl Api {
    /// The encoding of `body`, looking through one reference for its shape.
    pub fn body_encoding(&self, body: &Body) -> BodyEncoding {
        let media = body
            .media_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let ty = self.resolved(&body.ty);
        if media == "application/json" || media.ends_with("+json") || media.ends_with("/json") {
            BodyEncoding::Json
        } else if media == "application/x-www-form-urlencoded" {
            BodyEncoding::Form
        } else if media.starts_with("multipart/") {
            BodyEncoding::Multipart
        } else if self.is_binary(ty) {
            BodyEncoding::Binary
        } else if media.starts_with("text/") || is_string(ty) {
            BodyEncoding::Text
        } else if media == "*/*" {
            // Any media type will do: JSON is one.
            BodyEncoding::Json
        } else if matches!(ty.shape, Shape::Any) {
            // No schema: whatever bytes the caller has.
            BodyEncoding::Binary
        } else {
            BodyEncoding::Unsupported
        }
    }

    /// True for a string of raw bytes (`format: binary`), through one reference.
    pub fn is_binary(&self, ty: &Type) -> bool {
        matches!(
            &self.resolved(ty).shape,
            Shape::Scalar { scalar: Scalar::String, format: Some(format), .. } if format == "binary"
        )
    }
}

fn is_string(ty: &Type) -> bool {
    matches!(
        ty.shape,
        Shape::Scalar {
            scalar: Scalar::String,
            ..
        }
    )
}
