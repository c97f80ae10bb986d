//! The CLI route map, `cli/routes.json`: every command path and the HTTP
//! request it sends. Its JSON Schema, `cli/routes.schema.json`, describes
//! the same document for tools outside tiergen; a test holds the two to
//! accepting the same thing.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Credential, Routing, Service};
use crate::ir::{
    BodyEncoding, Consent, Effect, Guard, Method, ParamLocation, Requirement, Serialization,
    ServiceId,
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
    #[serde(deserialize_with = "super::form::words")]
    pub command: Vec<String>,
    pub summary: String,
    pub operation: String,
    pub service: ServiceId,
    pub method: Method,
    #[serde(deserialize_with = "super::form::path")]
    pub path: String,
    /// The path parameters, in path order.
    pub positionals: Vec<Positional>,
    pub flags: Vec<Flag>,
    #[serde(deserialize_with = "super::form::present")]
    pub body: Option<Body>,
    /// Credential alternatives; empty for a public operation.
    pub auth: Vec<Requirement>,
    pub public: bool,
    pub guards: Vec<Guard>,
    pub effects: Vec<Effect>,
    pub destructive: bool,
    /// What the person must agree to before the command is sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<Consent>,
    /// Declared safe to send twice though its method is not idempotent.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub idempotent: bool,
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
#[serde(into = "FlagFields", try_from = "FlagFields")]
pub struct Flag {
    pub value: ValueFacts,
    pub flag: String,
    pub location: FlagLocation,
    /// The wire name (or the body field's).
    pub name: String,
    pub required: bool,
    pub serialization: Option<Serialization>,
    pub json_content: bool,
    pub description: Option<String>,
    pub guard: Option<FlagGuard>,
}

/// A flag as the route map spells it: the guard's facts are fields of the
/// flag itself (`guard`, then what that guard needs).
#[derive(Serialize, Deserialize)]
struct FlagFields {
    #[serde(flatten)]
    value: ValueFacts,
    #[serde(deserialize_with = "super::form::flag")]
    flag: String,
    #[serde(rename = "in")]
    location: FlagLocation,
    name: String,
    required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    serialization: Option<Serialization>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    json_content: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    guard: Option<GuardKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    must_equal: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    bypasses: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    destructive_value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    destructive: Option<String>,
}

#[derive(Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum GuardKind {
    DryRun,
    DestructiveFlag,
    Confirm,
    Force,
}

impl From<Flag> for FlagFields {
    fn from(flag: Flag) -> Self {
        let mut fields = FlagFields {
            value: flag.value,
            flag: flag.flag,
            location: flag.location,
            name: flag.name,
            required: flag.required,
            serialization: flag.serialization,
            json_content: flag.json_content,
            description: flag.description,
            guard: None,
            must_equal: None,
            bypasses: None,
            destructive_value: None,
            destructive: None,
        };
        match flag.guard {
            None => {}
            Some(FlagGuard::DryRun) => fields.guard = Some(GuardKind::DryRun),
            Some(FlagGuard::DestructiveFlag {
                destructive_value,
                destructive,
            }) => {
                fields.guard = Some(GuardKind::DestructiveFlag);
                fields.destructive_value = Some(destructive_value);
                fields.destructive = Some(destructive);
            }
            Some(FlagGuard::Confirm { must_equal }) => {
                fields.guard = Some(GuardKind::Confirm);
                fields.must_equal = Some(must_equal);
            }
            Some(FlagGuard::Force { bypasses }) => {
                fields.guard = Some(GuardKind::Force);
                fields.bypasses = Some(bypasses);
            }
        }
        fields
    }
}

impl TryFrom<FlagFields> for Flag {
    type Error = String;

    fn try_from(fields: FlagFields) -> Result<Self, String> {
        let needs = |value: Option<String>, field: &str| {
            value.ok_or_else(|| format!("flag {}: its guard needs `{field}`", fields.flag))
        };
        let guard = match fields.guard {
            None => None,
            Some(GuardKind::DryRun) => Some(FlagGuard::DryRun),
            Some(GuardKind::DestructiveFlag) => Some(FlagGuard::DestructiveFlag {
                destructive_value: needs(fields.destructive_value.clone(), "destructive_value")?,
                destructive: needs(fields.destructive.clone(), "destructive")?,
            }),
            Some(GuardKind::Confirm) => Some(FlagGuard::Confirm {
                must_equal: needs(fields.must_equal.clone(), "must_equal")?,
            }),
            Some(GuardKind::Force) => Some(FlagGuard::Force {
                bypasses: needs(fields.bypasses.clone(), "bypasses")?,
            }),
        };
        Ok(Flag {
            value: fields.value,
            flag: fields.flag,
            location: fields.location,
            name: fields.name,
            required: fields.required,
            serialization: fields.serialization,
            json_content: fields.json_content,
            description: fields.description,
            guard,
        })
    }
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
#[derive(Debug, Clone, PartialEq, Eq)]
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
    #[serde(deserialize_with = "super::form::body_flag")]
    pub flag: String,
    pub media_type: String,
    pub encoding: BodyEncoding,
    pub required: bool,
    pub fields_as_flags: bool,
}
