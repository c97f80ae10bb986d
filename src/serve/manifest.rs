//! A generated MCP manifest as `mcp serve` reads it: the tools, and the
//! dispatch facts tiergen put in their `_meta`. The server knows nothing
//! else about the API: the manifest is its whole contract.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use super::wire::{
    Alternative, CredentialEntry, ParamPlace, RoutingEntry, SerializationEntry, ServiceEntry,
    Styled,
};
use crate::emit::mcp::{ROUTE_META, SERVER_META};
use crate::error::{Error, Result};
use crate::ir::Guard;

/// One manifest file.
#[derive(Debug, Clone)]
pub struct Manifest {
    pub tools: Vec<Tool>,
    pub server: Server,
}

/// A tool: its definition as listed, and how to dispatch it.
#[derive(Debug, Clone)]
pub struct Tool {
    pub name: String,
    /// The tool definition exactly as the manifest gives it.
    pub definition: serde_json::Map<String, Value>,
    pub route: Route,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Route {
    pub operation: String,
    pub service: String,
    pub method: String,
    pub path: String,
    pub arguments: BTreeMap<String, ArgumentPlace>,
    #[serde(default)]
    pub body_media_type: Option<String>,
    /// How the body travels: `json` (also when absent, as in manifests
    /// older than the field), `form`, `multipart`, `binary`, `text`, or
    /// `unsupported`.
    #[serde(default)]
    pub body_encoding: Option<String>,
    /// Credential alternatives; empty for a public operation.
    pub auth: Vec<Alternative>,
    #[serde(default)]
    pub guards: Vec<Guard>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ArgumentPlace {
    #[serde(rename = "in")]
    pub location: Location,
    /// The wire name; absent for an argument that is the whole body.
    #[serde(default)]
    pub name: Option<String>,
    /// `base64` for raw bytes given as a base64 string.
    #[serde(default)]
    pub encoding: Option<String>,
    /// A parameter's `style`, `explode`, `allowReserved`, when not the
    /// default for where it goes.
    #[serde(default)]
    pub(crate) serialization: Option<SerializationEntry>,
    /// The parameter is JSON `content`: its value travels as JSON text.
    #[serde(default)]
    pub json_content: bool,
}

impl ArgumentPlace {
    /// The parameter `value` as it is written where it goes (`None` for a
    /// body argument).
    pub(crate) fn styled<'a>(&'a self, argument: &'a str, value: &'a Value) -> Option<Styled<'a>> {
        let place = match self.location {
            Location::Path => ParamPlace::Path,
            Location::Query => ParamPlace::Query,
            Location::Header => ParamPlace::Header,
            Location::Cookie => ParamPlace::Cookie,
            Location::Body => return None,
        };
        Some(Styled::new(
            self.name.as_deref().unwrap_or(argument),
            place,
            self.serialization,
            self.json_content,
            value,
        ))
    }

    pub fn is_base64(&self) -> bool {
        self.encoding.as_deref() == Some("base64")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Location {
    Path,
    Query,
    Header,
    Cookie,
    Body,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Server {
    pub api: String,
    pub version: String,
    /// The credential the manifest is for; `None` for the public one.
    pub credential: Option<String>,
    pub services: BTreeMap<String, ServiceEntry>,
    pub credentials: BTreeMap<String, CredentialEntry>,
    pub routing: BTreeMap<String, RoutingEntry>,
}

impl Manifest {
    pub fn read(path: &Path) -> Result<Manifest> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::in_file(path, format!("cannot read the manifest: {e}")))?;
        let document: Value = serde_json::from_str(&text).map_err(|e| {
            Error::in_file(
                path,
                format!("not JSON at line {}, column {}: {e}", e.line(), e.column()),
            )
        })?;
        let server = document
            .pointer(&format!("/_meta/{}", pointer_token(SERVER_META)))
            .cloned()
            .ok_or_else(|| {
                Error::at_pointer(
                    path,
                    "/_meta",
                    format!("not a tiergen manifest: no `{SERVER_META}`"),
                )
            })?;
        let server: Server = serde_json::from_value(server).map_err(|e| {
            Error::at_pointer(path, "/_meta", format!("invalid `{SERVER_META}`: {e}"))
        })?;
        let tools = document
            .get("tools")
            .and_then(Value::as_array)
            .ok_or_else(|| Error::in_file(path, "not a tools/list document: no `tools` array"))?;
        let tools = tools
            .iter()
            .enumerate()
            .map(|(i, tool)| read_tool(path, i, tool))
            .collect::<Result<Vec<_>>>()?;
        let mut names = std::collections::BTreeSet::new();
        for (i, tool) in tools.iter().enumerate() {
            if !names.insert(tool.name.as_str()) {
                return Err(Error::at_pointer(
                    path,
                    &format!("/tools/{i}/name"),
                    format!("tool name {:?} is listed twice", tool.name),
                ));
            }
        }
        Ok(Manifest { tools, server })
    }
}

fn read_tool(path: &Path, index: usize, tool: &Value) -> Result<Tool> {
    let at = format!("/tools/{index}");
    let definition = tool
        .as_object()
        .cloned()
        .ok_or_else(|| Error::at_pointer(path, &at, "a tool must be an object"))?;
    let name = definition
        .get("name")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::at_pointer(path, &at, "a tool needs a `name`"))?
        .to_string();
    let route = tool
        .pointer(&format!("/_meta/{}", pointer_token(ROUTE_META)))
        .cloned()
        .ok_or_else(|| {
            Error::at_pointer(path, &at, format!("tool {name:?} has no `{ROUTE_META}`"))
        })?;
    let route: Route = serde_json::from_value(route).map_err(|e| {
        Error::at_pointer(
            path,
            &format!("{at}/_meta"),
            format!("invalid `{ROUTE_META}`: {e}"),
        )
    })?;
    Ok(Tool {
        name,
        definition,
        route,
    })
}

fn pointer_token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}
