use serde::{Deserialize, Serialize};

use super::{Auth, Effect, Guard, Lifecycle, RoutingHeaderId, ServiceId, Stability, Type};

/// One HTTP operation of the API.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Operation {
    /// The spec's `operationId`, unique across the API.
    pub id: String,
    pub service: ServiceId,
    pub method: Method,
    /// The path template, e.g. `/workspaces/{id}`.
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub auth: Auth,
    /// Routing headers the operation accepts, whether the spec lists them as
    /// security requirements, as header parameters, or both.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub routing: Vec<RoutingHeaderId>,
    /// Path, query, header and cookie parameters, path ones first in template order.
    pub params: Vec<Param>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<Body>,
    pub responses: Vec<Response>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub guards: Vec<Guard>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub effects: Vec<Effect>,
    /// `deprecated` and `x-sunset` of the operation.
    #[serde(flatten, skip_serializing_if = "Lifecycle::is_current")]
    pub lifecycle: Lifecycle,
    /// `x-stability-level`, when declared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stability: Option<Stability>,
    /// Declared safe to send twice (`x-tiergen-idempotent`), for a method
    /// HTTP does not make idempotent (a POST with an idempotency key).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub idempotent: bool,
    /// What agents call the operation (`x-tiergen-tool-name`), when declared;
    /// otherwise the naming rules derive it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool_name: Option<String>,
    /// Its CLI command path (`x-tiergen-command`), when declared; otherwise
    /// the naming rules derive it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    /// Lint rules this operation is acknowledged to break, each with the reason.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lint_allow: Vec<(String, String)>,
    /// Where the operation sits in the source, as a JSON pointer.
    pub pointer: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    pub const ALL: [Method; 8] = [
        Method::Get,
        Method::Put,
        Method::Post,
        Method::Delete,
        Method::Options,
        Method::Head,
        Method::Patch,
        Method::Trace,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }

    /// The key used for this method in an OpenAPI path item.
    pub fn key(self) -> &'static str {
        match self {
            Method::Get => "get",
            Method::Put => "put",
            Method::Post => "post",
            Method::Delete => "delete",
            Method::Options => "options",
            Method::Head => "head",
            Method::Patch => "patch",
            Method::Trace => "trace",
        }
    }

    /// True for methods that HTTP defines as safe (no state change).
    pub fn is_safe(self) -> bool {
        matches!(
            self,
            Method::Get | Method::Head | Method::Options | Method::Trace
        )
    }

    /// True for methods that HTTP defines as idempotent.
    pub fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post | Method::Patch)
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Param {
    pub name: String,
    #[serde(rename = "in")]
    pub location: ParamLocation,
    pub required: bool,
    #[serde(rename = "type")]
    pub ty: Type,
    /// How the value is written on the wire, with the spec's defaults filled in.
    #[serde(flatten)]
    pub serialization: Serialization,
    /// True when the spec gives the parameter as JSON `content` rather than
    /// a `schema`: its value travels as its JSON text, not by `style`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub json_content: bool,
    /// `deprecated` and `x-sunset` of the parameter.
    #[serde(flatten, skip_serializing_if = "Lifecycle::is_current")]
    pub lifecycle: Lifecycle,
}

/// OpenAPI's `style`, `explode` and `allowReserved` of one parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Serialization {
    pub style: ParamStyle,
    pub explode: bool,
    /// Reserved characters go unencoded (query parameters only).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_reserved: bool,
}

impl Serialization {
    /// What a parameter in `location` gets when the spec says nothing:
    /// `form` (exploded) for query and cookie, `simple` for path and header.
    pub fn default_for(location: ParamLocation) -> Self {
        let style = match location {
            ParamLocation::Query | ParamLocation::Cookie => ParamStyle::Form,
            ParamLocation::Path | ParamLocation::Header => ParamStyle::Simple,
        };
        Serialization {
            style,
            explode: style.explodes_by_default(),
            allow_reserved: false,
        }
    }

    /// Itself, unless it is what `location` gets by default: artifacts
    /// spell out only what a reader could not assume.
    pub fn unless_default(self, location: ParamLocation) -> Option<Self> {
        (self != Serialization::default_for(location)).then_some(self)
    }
}

/// A parameter `style`: how a value, list or object becomes text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ParamStyle {
    Matrix,
    Label,
    Form,
    Simple,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

impl ParamStyle {
    /// The style's name as OpenAPI spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            ParamStyle::Matrix => "matrix",
            ParamStyle::Label => "label",
            ParamStyle::Form => "form",
            ParamStyle::Simple => "simple",
            ParamStyle::SpaceDelimited => "spaceDelimited",
            ParamStyle::PipeDelimited => "pipeDelimited",
            ParamStyle::DeepObject => "deepObject",
        }
    }

    /// OpenAPI: `explode` defaults to true for `form` and false otherwise.
    pub fn explodes_by_default(self) -> bool {
        self == ParamStyle::Form
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

impl ParamLocation {
    pub fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Body {
    pub required: bool,
    /// The media type the body is sent as: JSON when the spec offers it, else its first.
    pub media_type: String,
    #[serde(rename = "type")]
    pub ty: Type,
    /// The other media types the spec offers for this body, in its order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_media_types: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Response {
    pub status: Status,
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub ty: Option<Type>,
    /// The other media types the spec lists for this response, in its order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_media_types: Vec<String>,
    /// Headers the response carries, in spec order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<ResponseHeader>,
}

/// A header a response documents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponseHeader {
    pub name: String,
    pub required: bool,
    #[serde(rename = "type")]
    pub ty: Type,
}

/// A request the API sends to its callers (an OpenAPI 3.1 webhook): listed
/// in the docs, never turned into a client method or a tool.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Webhook {
    /// The webhook's key under `webhooks`.
    pub name: String,
    pub method: Method,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<Body>,
    pub responses: Vec<Response>,
    pub pointer: String,
}

/// A response key: one code, a class such as `4XX`, or `default`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Code(u16),
    /// The leading digit of a `NXX` range.
    Range(u16),
    Default,
}

impl Status {
    pub fn is_success(self) -> bool {
        match self {
            Status::Code(code) => (200..300).contains(&code),
            Status::Range(class) => class == 2,
            Status::Default => false,
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Status::Code(code) => write!(f, "{code}"),
            Status::Range(class) => write!(f, "{class}XX"),
            Status::Default => f.write_str("default"),
        }
    }
}

impl Serialize for Status {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl Operation {
    pub fn params_in(&self, location: ParamLocation) -> impl Iterator<Item = &Param> {
        self.params.iter().filter(move |p| p.location == location)
    }

    pub fn param(&self, location: ParamLocation, name: &str) -> Option<&Param> {
        self.params_in(location).find(|p| p.name == name)
    }

    pub fn response(&self, status: Status) -> Option<&Response> {
        self.responses.iter().find(|r| r.status == status)
    }

    /// What a person must agree to before a call is sent, if anything.
    pub fn consent(&self) -> Option<super::Consent> {
        super::Consent::of(&self.guards, &self.effects)
    }

    /// True when the operation destroys data or can be made to.
    pub fn is_destructive(&self) -> bool {
        self.method == Method::Delete
            || self.effects.iter().any(|e| e.kind.is_destructive())
            || self
                .guards
                .iter()
                .any(|g| matches!(g, Guard::DestructiveFlag { .. }))
    }
}
