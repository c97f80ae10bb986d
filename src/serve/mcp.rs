//! `tiergen mcp serve`: an MCP server over stdio (the official Rust SDK,
//! rmcp) for one generated manifest. `tools/list` answers with the manifest's
//! tools as they are; `tools/call` validates the arguments against the
//! tool's inputSchema, enforces its guards, and sends the HTTP request its
//! route describes.

use std::collections::BTreeMap;
use std::sync::Arc;

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool as McpTool,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, ServiceExt};
use serde_json::{Map, Value};

use super::dispatch::{Dispatcher, Outcome};
use super::manifest::{Manifest, Tool};

/// The MCP server for one manifest.
pub struct McpServer {
    manifest: Arc<Manifest>,
    listed: Vec<McpTool>,
    validators: BTreeMap<String, jsonschema::Validator>,
    dispatcher: Dispatcher,
}

impl McpServer {
    /// Fails when a tool definition is not a valid MCP tool or its
    /// inputSchema does not compile: the manifest is broken, not a call.
    pub fn new(manifest: Manifest, dispatcher: Dispatcher) -> Result<Self, String> {
        let mut listed = Vec::new();
        let mut validators = BTreeMap::new();
        for tool in &manifest.tools {
            let definition: McpTool =
                serde_json::from_value(Value::Object(tool.definition.clone()))
                    .map_err(|e| format!("tool {:?} is not an MCP tool: {e}", tool.name))?;
            let schema = tool
                .definition
                .get("inputSchema")
                .cloned()
                .unwrap_or(Value::Null);
            // Formats are asserted too: a `uuid` argument must be a UUID.
            let validator = jsonschema::options()
                .should_validate_formats(true)
                .build(&schema)
                .map_err(|e| format!("tool {:?} has an invalid inputSchema: {e}", tool.name))?;
            listed.push(definition);
            validators.insert(tool.name.clone(), validator);
        }
        Ok(McpServer {
            manifest: Arc::new(manifest),
            listed,
            validators,
            dispatcher,
        })
    }

    /// Serves on stdin/stdout until the client closes them.
    pub async fn serve_stdio(self) -> Result<(), String> {
        let running = self
            .serve(rmcp::transport::stdio())
            .await
            .map_err(|e| format!("MCP initialization failed: {e}"))?;
        running
            .waiting()
            .await
            .map(|_| ())
            .map_err(|e| format!("MCP server stopped: {e}"))
    }

    fn tool(&self, name: &str) -> Option<&Tool> {
        self.manifest.tools.iter().find(|t| t.name == name)
    }

    /// Every way the arguments break the inputSchema, one per line.
    fn invalid_arguments(&self, name: &str, arguments: &Map<String, Value>) -> Option<String> {
        let validator = self.validators.get(name)?;
        let instance = Value::Object(arguments.clone());
        let problems: Vec<String> = validator
            .iter_errors(&instance)
            .map(|e| {
                let at = e.instance_path().to_string();
                let at = if at.is_empty() {
                    "arguments".to_string()
                } else {
                    at
                };
                format!("{at}: {e}")
            })
            .collect();
        (!problems.is_empty()).then(|| format!("invalid arguments:\n{}", problems.join("\n")))
    }
}

impl ServerHandler for McpServer {
    fn get_info(&self) -> ServerConfig {
        let server = &self.manifest.server;
        let (who, callable) = match &server.credential {
            Some(credential) => (
                credential.0.clone(),
                format!("callable with the {credential} credential"),
            ),
            None => (
                "public".to_string(),
                "callable without any credential".to_string(),
            ),
        };
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(
                Implementation::new(format!("tiergen-{who}"), env!("CARGO_PKG_VERSION"))
                    .with_title(format!("{} ({who})", server.api)),
            )
            .with_instructions(format!(
                "Tools of {} {} {callable}. Destructive tools say so in \
                 their annotations; guarded arguments (confirm, force) are checked before any \
                 request is sent.",
                server.api, server.version
            ))
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(self.listed.clone()))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let Some(tool) = self.tool(&request.name) else {
            return Err(ErrorData::invalid_params(
                format!("unknown tool {:?}", request.name),
                None,
            ));
        };
        let arguments = request.arguments.unwrap_or_default();
        if let Some(problems) = self.invalid_arguments(&tool.name, &arguments) {
            return Ok(failure(problems).into());
        }
        let result = match self.dispatcher.call(&self.manifest, tool, &arguments).await {
            Outcome::Success(value) => CallToolResult::structured(value),
            Outcome::Failure(message) => failure(message),
        };
        Ok(result.into())
    }
}

fn failure(message: String) -> CallToolResult {
    CallToolResult::error(vec![ContentBlock::text(message)])
}
