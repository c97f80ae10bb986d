//! The CLI route map, `cli/routes.json`: every command path and the HTTP
//! request it sends. Its JSON Schema, `cli/routes.schema.json`, describes
//! the same document for tools outside tiergen; a test holds the two to
//! accepting the same thing.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Credential, Routing, Service};
use crate::ir::{
    BodyEncoding, Effect, Guard, Method, ParamLocation, Requirement, Serialization, ServiceId,
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteMap {
    pub api: String,
    pub version: String,
    pub services: IndexMap<String, Service>,
    pub credentials: IndexMap<String, Credential>,
    pub routing: IndexMap<String, Routing>,
    /// In operation order.
    pub commands: Vec<Command>,
}

/// One command and the request it sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Command {
    /// The words after the binary's name, e.g. `["org", "delete"]`.
    pub command: Vec<String>,
    pub summary: String,
    pub operation: String,
    pub service: ServiceId,
    pub method: Method,
    pub path: String,
    /// The path parameters, in path order.
    pub positionals: Vec<Positional>,
    pub flags: Vec<Flag>,
    pub body: Option<Body>,
    /// Credential alternatives; empty for a public operation.
    pub auth: Vec<Requirement>,
    pub public: bool,
    pub guards: Vec<Guard>,
    pub effects: Vec<Effect>,
    pub destructive: bool,
}

impl Command {
    pub fn body_encoding(&self) -> BodyEncoding {
        self.body
            .as_ref()
            .map_or(BodyEncoding::Json, |b| b.encoding)
    }
}

/// What a value looks like on the command line: its type (scalars as they
/// are, anything structured as `json`), format, allowed values, default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueFacts {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(rename = "enum", default, skip_serializing_if = "Option::is_none")]
    pub allowed: Option<Vec<Value>>,
    #[serde(rename = "type")]
    pub kind: ValueKind,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nullable: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ValueKind {
    String,
    Integer,
    Number,
    Boolean,
    /// Anything structured, given as JSON text.
    Json,
}

/// A path parameter, given as a positional word.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Positional {
    #[serde(flatten)]
    pub value: ValueFacts,
    pub name: String,
    /// Always true: a path cannot leave a parameter out.
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serialization: Option<Serialization>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub json_content: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A query, header or cookie parameter, or a body field, given as `--flag`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flag {
    #[serde(flatten)]
    pub value: ValueFacts,
    pub flag: String,
    #[serde(rename = "in")]
    pub location: FlagLocation,
    /// The wire name (or the body field's).
    pub name: String,
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serialization: Option<Serialization>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub json_content: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(flatten)]
    pub guard: Option<FlagGuard>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FlagLocation {
    Query,
    Header,
    Cookie,
    Body,
}

impl FlagLocation {
    /// The parameter location; `None` for a body field.
    pub fn param(self) -> Option<ParamLocation> {
        match self {
            FlagLocation::Query => Some(ParamLocation::Query),
            FlagLocation::Header => Some(ParamLocation::Header),
            FlagLocation::Cookie => Some(ParamLocation::Cookie),
            FlagLocation::Body => None,
        }
    }
}

/// The guard a flag takes part in, with what the user must know of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "guard", rename_all = "kebab-case")]
pub enum FlagGuard {
    /// `true` validates and echoes without acting.
    DryRun,
    /// This value of the flag is destructive: `destructive` says how.
    DestructiveFlag {
        destructive_value: String,
        destructive: String,
    },
    /// The value must equal the path parameter `must_equal`.
    Confirm { must_equal: String },
    /// `true` lets through what `bypasses` names.
    Force { bypasses: String },
}

/// The request body: `--body` takes it whole (JSON, `@file`, or text), and
/// with `fields_as_flags` its top-level fields are flags too.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    pub flag: String,
    pub media_type: String,
    pub encoding: BodyEncoding,
    pub required: bool,
    pub fields_as_flags: bool,
}
