//! A generated MCP manifest as `mcp serve` reads it: the tools, and the
//! dispatch facts tiergen put in their `_meta`. The server knows nothing
//! else about the API: the manifest is its whole contract.

use std::path::Path;

use serde_json::Value;

use super::wire::Styled;
use crate::artifact::manifest::{
    Argument, ArgumentLocation, DocumentMeta, ROUTE_META, Route, SERVER_META, Server, ToolMeta,
};
use crate::error::{Error, Result};
use crate::frontend::path_to_pointer;

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
    /// The annotations say it changes nothing.
    pub read_only: bool,
}

impl Tool {
    /// The tool's title, else its name: what a person is shown.
    pub fn title(&self) -> &str {
        self.definition
            .get("title")
            .and_then(Value::as_str)
            .unwrap_or(&self.name)
    }

    /// The value a call with `arguments` sends at `location` under the wire
    /// name `wire`: a parameter or flattened body field given as its own
    /// argument, or a field inside the whole-body argument.
    pub fn sent(
        &self,
        arguments: &serde_json::Map<String, Value>,
        location: ArgumentLocation,
        wire: &str,
    ) -> Option<Value> {
        let own = self
            .route
            .arguments
            .iter()
            .find(|(_, place)| place.location == location && place.name.as_deref() == Some(wire))
            .and_then(|(name, _)| arguments.get(name));
        if own.is_some() || location != ArgumentLocation::Body {
            return own.cloned();
        }
        self.route
            .arguments
            .iter()
            .find(|(_, place)| place.location == ArgumentLocation::Body && place.name.is_none())
            .and_then(|(name, _)| arguments.get(name))
            .and_then(|body| body.get(wire))
            .cloned()
    }
}

/// The parameter `value` of `argument` as it is written where it goes
/// (`None` for a body argument).
pub(crate) fn styled<'a>(
    place: &'a Argument,
    argument: &'a str,
    value: &'a Value,
) -> Option<Styled<'a>> {
    let location = place.location.param()?;
    Some(Styled::new(
        place.name.as_deref().unwrap_or(argument),
        location,
        place.serialization,
        place.json_content,
        value,
    ))
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
        let meta = document.get("_meta").cloned().ok_or_else(|| {
            Error::at_pointer(
                path,
                "",
                format!("not a tiergen manifest: no `_meta` with `{SERVER_META}`"),
            )
        })?;
        let server = typed::<DocumentMeta>(meta)
            .map_err(|(at, e)| {
                Error::at_pointer(
                    path,
                    &format!("/_meta{at}"),
                    format!("invalid `_meta`: {e}"),
                )
            })?
            .server;
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
    let meta = tool.get("_meta").cloned().ok_or_else(|| {
        Error::at_pointer(path, &at, format!("tool {name:?} has no `{ROUTE_META}`"))
    })?;
    let route = typed::<ToolMeta>(meta)
        .map_err(|(pointer, e)| {
            Error::at_pointer(
                path,
                &format!("{at}/_meta{pointer}"),
                format!("invalid `_meta` of tool {name:?}: {e}"),
            )
        })?
        .route;
    let read_only = definition
        .get("annotations")
        .and_then(|a| a.get("readOnlyHint"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    Ok(Tool {
        name,
        definition,
        route,
        read_only,
    })
}

/// `value` as a `T`; on failure, the JSON Pointer of what was wrong and why.
fn typed<T: serde::de::DeserializeOwned>(value: Value) -> std::result::Result<T, (String, String)> {
    serde_path_to_error::deserialize(value)
        .map_err(|e| (path_to_pointer(e.path()), e.into_inner().to_string()))
}
