//! An MCP manifest, `mcp/<credential>.json`: a `tools/list` result whose
//! `_meta` says where the services live and how each credential travels
//! ([`Server`]), and whose every tool's `_meta` says how to dispatch it
//! ([`Route`]).

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Credential, Routing, Service};
use crate::ir::{
    BodyEncoding, Consent, CredentialId, Effect, Guard, Method, ParamLocation, Requirement,
    Serialization, ServiceId,
};

/// The `_meta` key of a tool's dispatch facts.
pub const ROUTE_META: &str = "tiergen/route";
/// The `_meta` key of a manifest's server facts.
pub const SERVER_META: &str = "tiergen/server";

/// The whole file as tiergen writes it.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// What the 2026-07-28 revision requires of a `tools/list` result (the
    /// 2025-11-25 one ignores it): complete, the same for every caller (the
    /// list is fixed by the file, not by who asks), and no caching promised.
    #[serde(rename = "resultType")]
    pub result_type: &'static str,
    #[serde(rename = "cacheScope")]
    pub cache_scope: &'static str,
    #[serde(rename = "ttlMs")]
    pub ttl_ms: u64,
    /// Sorted by name.
    pub tools: Vec<Tool>,
    #[serde(rename = "_meta")]
    pub meta: DocumentMeta,
}

impl Document {
    pub fn new(mut tools: Vec<Tool>, server: Server) -> Self {
        tools.sort_by(|a, b| a.name.cmp(&b.name));
        Document {
            result_type: "complete",
            cache_scope: "public",
            ttl_ms: 0,
            tools,
            meta: DocumentMeta { server },
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DocumentMeta {
    #[serde(rename = "tiergen/server")]
    pub server: Server,
}

/// One tool definition. The schemas are JSON Schema documents, kept as JSON.
#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    pub name: String,
    pub title: String,
    pub description: String,
    #[serde(rename = "inputSchema")]
    pub input_schema: Map<String, Value>,
    #[serde(rename = "outputSchema", skip_serializing_if = "Option::is_none")]
    pub output_schema: Option<Map<String, Value>>,
    pub annotations: Annotations,
    #[serde(rename = "_meta")]
    pub meta: ToolMeta,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Annotations {
    pub title: String,
    pub read_only_hint: bool,
    pub destructive_hint: bool,
    pub idempotent_hint: bool,
    pub open_world_hint: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ToolMeta {
    #[serde(rename = "tiergen/route")]
    pub route: Route,
}

/// Where a manifest's services live and how each credential and routing
/// header its tools use travels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Server {
    pub api: String,
    pub version: String,
    /// The credential the manifest is for; `None` in the public one.
    pub credential: Option<CredentialId>,
    pub services: IndexMap<String, Service>,
    pub credentials: IndexMap<String, Credential>,
    pub routing: IndexMap<String, Routing>,
}

/// What a server needs to dispatch one tool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Route {
    pub operation: String,
    pub service: ServiceId,
    pub method: Method,
    pub path: String,
    /// The operation's tags, for choosing the tools a server offers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Where each argument goes, in the order of the input schema.
    pub arguments: IndexMap<String, Argument>,
    pub body_media_type: Option<String>,
    /// `None` for an operation without a body.
    pub body_encoding: Option<BodyEncoding>,
    /// Credential alternatives; empty for a public operation.
    pub auth: Vec<Requirement>,
    #[serde(default)]
    pub guards: Vec<Guard>,
    #[serde(default)]
    pub effects: Vec<Effect>,
    /// What the person must agree to before a call is sent (elicitation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<Consent>,
    /// Declared safe to send twice though its method is not idempotent.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub idempotent: bool,
    /// The documented success statuses.
    #[serde(default)]
    pub success: Vec<String>,
    /// The documented error statuses (not `default`) with their descriptions.
    #[serde(default)]
    pub errors: Vec<ErrorAnswer>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorAnswer {
    pub status: String,
    pub description: String,
}

/// Where one argument goes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Argument {
    #[serde(rename = "in")]
    pub location: ArgumentLocation,
    /// The wire name; absent for an argument that is the whole body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A parameter's `style`, `explode`, `allowReserved`, when not the
    /// default for where it goes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serialization: Option<Serialization>,
    /// The parameter is JSON `content`: its value travels as JSON text.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub json_content: bool,
    /// `base64` for raw bytes given as a base64 string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<ArgumentEncoding>,
}

impl Argument {
    /// True for raw bytes given as a base64 string.
    pub fn is_base64(&self) -> bool {
        self.encoding == Some(ArgumentEncoding::Base64)
    }
}

/// A parameter location, or the body (a field of it, or all of it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ArgumentLocation {
    Path,
    Query,
    Header,
    Cookie,
    Body,
}

impl ArgumentLocation {
    /// The parameter location; `None` for the body.
    pub fn param(self) -> Option<ParamLocation> {
        match self {
            ArgumentLocation::Path => Some(ParamLocation::Path),
            ArgumentLocation::Query => Some(ParamLocation::Query),
            ArgumentLocation::Header => Some(ParamLocation::Header),
            ArgumentLocation::Cookie => Some(ParamLocation::Cookie),
            ArgumentLocation::Body => None,
        }
    }
}

impl From<ParamLocation> for ArgumentLocation {
    fn from(location: ParamLocation) -> Self {
        match location {
            ParamLocation::Path => ArgumentLocation::Path,
            ParamLocation::Query => ArgumentLocation::Query,
            ParamLocation::Header => ArgumentLocation::Header,
            ParamLocation::Cookie => ArgumentLocation::Cookie,
        }
    }
}

/// How an argument's JSON value stands for what is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ArgumentEncoding {
    /// Raw bytes, given as a base64 string.
    Base64,
}
