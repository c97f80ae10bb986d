//! `tiergen mcp serve`: an MCP server (the official Rust SDK, rmcp) for one
//! generated manifest, over stdio or Streamable HTTP (`http.rs` hosts it).
//! `tools/list` answers with the chosen tools as the manifest gives them
//! (or, in discovery mode, three tools to find, describe and call them);
//! `tools/call` validates the arguments against the tool's inputSchema,
//! checks its guards, asks the person when the call is guarded or
//! irreversible, and only then sends the HTTP request its route describes.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, ElicitRequestParams,
    ElicitResult, ElicitationAction, Implementation, InputRequest, InputRequests,
    InputRequiredResult, ListToolsResult, PaginatedRequestParams, ProtocolVersion,
    ServerCapabilities, ServerConfig, Tool as McpTool,
};
use rmcp::service::{RequestContext, ServiceError};
use rmcp::{ErrorData, RoleServer, ServerHandler, ServiceExt};
use serde_json::{Map, Value, json};

use super::consent::{Decision, Question};
use super::discovery;
use super::dispatch::{Dispatcher, Outcome};
use super::manifest::{Manifest, Tool};
use super::select::Selection;
use crate::artifact::manifest::ArgumentLocation;
use crate::ir::TriggerLocation;

/// How the server treats a call that needs a person's agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentMode {
    /// Ask the person through MCP elicitation; a client that cannot be asked
    /// gets a tool error.
    Elicit,
    /// Send once the arguments pass the guards (the confirm value is an
    /// argument the model fills): weaker, for clients without elicitation.
    ArgumentsOnly,
}

/// Whether `tools/list` offers the tools or the three discovery tools.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Discovery {
    /// Discovery above [`discovery::AUTO_ABOVE`] tools.
    Auto,
    On,
    Off,
}

/// How `mcp serve` was asked to behave.
#[derive(Debug, Clone)]
pub struct Options {
    pub selection: Selection,
    pub discovery: Discovery,
    pub consent: ConsentMode,
    /// How long a person has to answer a question.
    pub consent_timeout: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            selection: Selection::default(),
            discovery: Discovery::Auto,
            consent: ConsentMode::Elicit,
            consent_timeout: Duration::from_secs(300),
        }
    }
}

/// The MCP server for one manifest; cheap to clone (each HTTP session gets
/// a clone), every clone the same server.
#[derive(Clone)]
pub struct McpServer {
    inner: Arc<Inner>,
}

struct Inner {
    manifest: Manifest,
    /// The chosen tools, as indices into `manifest.tools`, by name.
    offered: BTreeMap<String, usize>,
    listed: Vec<McpTool>,
    discovery: bool,
    validators: BTreeMap<String, jsonschema::Validator>,
    consent: ConsentMode,
    consent_timeout: Duration,
    /// Questions asked through an `InputRequiredResult` (protocol
    /// 2026-07-28), by the `requestState` handed out; each answers once.
    pending: Mutex<HashMap<String, Pending>>,
    dispatcher: Dispatcher,
}

/// A question asked and not yet answered: the call it is about.
struct Pending {
    tool: String,
    arguments: Map<String, Value>,
    asked: Instant,
}

/// The key of the one elicitation in an `InputRequiredResult`.
const CONSENT_INPUT: &str = "consent";

impl McpServer {
    /// Fails when a tool definition is not a valid MCP tool, its
    /// inputSchema does not compile, or the selection matches nothing.
    pub fn new(
        manifest: Manifest,
        dispatcher: Dispatcher,
        options: Options,
    ) -> Result<Self, String> {
        let chosen = options.selection.apply(&manifest.tools)?;
        let discovery = match options.discovery {
            Discovery::On => true,
            Discovery::Off => false,
            Discovery::Auto => chosen.len() > discovery::AUTO_ABOVE,
        };
        let mut offered = BTreeMap::new();
        let mut validators = BTreeMap::new();
        let mut tools = Vec::new();
        for index in chosen {
            let tool = &manifest.tools[index];
            tools.push(mcp_tool(
                &Value::Object(tool.definition.clone()),
                &tool.name,
            )?);
            validators.insert(tool.name.clone(), validator(tool)?);
            offered.insert(tool.name.clone(), index);
        }
        let listed = if discovery {
            discovery::definitions(&manifest.server.api, offered.len())
                .iter()
                .map(|definition| mcp_tool(definition, "discovery"))
                .collect::<Result<_, _>>()?
        } else {
            tools
        };
        Ok(McpServer {
            inner: Arc::new(Inner {
                manifest,
                offered,
                listed,
                discovery,
                validators,
                consent: options.consent,
                consent_timeout: options.consent_timeout,
                pending: Mutex::new(HashMap::new()),
                dispatcher,
            }),
        })
    }

    /// How many tools `tools/list` answers with, and whether they are the
    /// discovery tools.
    pub fn listing(&self) -> (usize, bool) {
        (self.inner.listed.len(), self.inner.discovery)
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
        let index = *self.inner.offered.get(name)?;
        self.inner.manifest.tools.get(index)
    }

    /// Runs one `tools/call`; discovery's tools lead to the others.
    async fn call(
        &self,
        request: CallToolRequestParams,
        context: &RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let name = request.name.to_string();
        let arguments = request.arguments.clone().unwrap_or_default();
        if self.inner.discovery {
            match name.as_str() {
                discovery::FIND => return Ok(self.find(&arguments).into()),
                discovery::DESCRIBE => return Ok(self.describe(&arguments).into()),
                discovery::CALL => {
                    let Some(inner) = arguments.get("name").and_then(Value::as_str) else {
                        return Ok(failure("call_tool needs the `name` of a tool".into()).into());
                    };
                    let Some(tool) = self.tool(inner) else {
                        return Ok(failure(unknown_tool(inner)).into());
                    };
                    let arguments = match arguments.get("arguments") {
                        None => Map::new(),
                        Some(Value::Object(arguments)) => arguments.clone(),
                        Some(_) => {
                            return Ok(failure("`arguments` must be an object".into()).into());
                        }
                    };
                    return self.call_tool_of(tool, arguments, &request, context).await;
                }
                _ => return Err(ErrorData::invalid_params(unknown_tool(&name), None)),
            }
        }
        let Some(tool) = self.tool(&name) else {
            return Err(ErrorData::invalid_params(unknown_tool(&name), None));
        };
        self.call_tool_of(tool, arguments, &request, context).await
    }

    /// Validates, checks the guards, asks the person if the call needs it,
    /// then sends. Nothing is sent before every one of these has passed.
    async fn call_tool_of(
        &self,
        tool: &Tool,
        arguments: Map<String, Value>,
        request: &CallToolRequestParams,
        context: &RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        if let Some(problems) = self.invalid_arguments(&tool.name, &arguments) {
            return Ok(failure(problems).into());
        }
        let prepared = match self
            .inner
            .dispatcher
            .prepare(&self.inner.manifest, tool, &arguments)
        {
            Ok(prepared) => prepared,
            Err(refusal) => return Ok(failure(refusal).into()),
        };
        let question = match self.inner.consent {
            ConsentMode::Elicit => question_for(tool, &arguments),
            ConsentMode::ArgumentsOnly => None,
        };
        let consented = question.is_some();
        if let Some(question) = question {
            match self
                .ask(&question, tool, &arguments, request, context)
                .await
            {
                Asked::Answered(answer) => {
                    if let Err(refusal) = question.judge(&answer) {
                        return Ok(failure(refusal).into());
                    }
                }
                Asked::Later(input_required) => {
                    return Ok(CallToolResponse::InputRequired(input_required));
                }
                Asked::Impossible(why) => return Ok(failure(why).into()),
            }
        }
        let result = match self.inner.dispatcher.send(prepared, tool, consented).await {
            Outcome::Success(value) => CallToolResult::structured(value),
            Outcome::Failure(message) => failure(message),
        };
        Ok(result.into())
    }

    /// Puts the question to the person: as an elicitation request on a
    /// handshake-era connection, as an `InputRequiredResult` (answered by
    /// the client retrying the call) on protocol 2026-07-28, which has no
    /// server-to-client requests.
    async fn ask(
        &self,
        question: &Question,
        tool: &Tool,
        arguments: &Map<String, Value>,
        request: &CallToolRequestParams,
        context: &RequestContext<RoleServer>,
    ) -> Asked {
        if !client_can_be_asked(context) {
            return Asked::Impossible(format!(
                "`{}` needs a person's agreement before it is sent, asked through MCP \
                 elicitation, and this client did not declare the elicitation capability: \
                 nothing was sent. Use a client that supports elicitation (forms), or start \
                 the server with --no-elicitation to rely on the guard arguments alone.",
                tool.name
            ));
        }
        let params = elicitation(question);
        if is_stateless_era(context) {
            return self.ask_by_retry(question, tool, arguments, request, params);
        }
        let asked = context
            .peer
            .create_elicitation_with_timeout(params, Some(self.inner.consent_timeout))
            .await;
        match asked {
            Ok(result) => Asked::Answered(answer_of(&result, question)),
            Err(ServiceError::Timeout { .. }) => Asked::Answered(Decision::TimedOut),
            Err(e) => {
                Asked::Impossible(format!("asking the person failed ({e}): nothing was sent"))
            }
        }
    }

    /// The 2026-07-28 way: the first call gets the question back with a
    /// one-time `requestState`; the retry carries the answer and that state,
    /// which must belong to this same call and still be fresh.
    fn ask_by_retry(
        &self,
        question: &Question,
        tool: &Tool,
        arguments: &Map<String, Value>,
        request: &CallToolRequestParams,
        params: ElicitRequestParams,
    ) -> Asked {
        let mut pending = match self.inner.pending.lock() {
            Ok(pending) => pending,
            Err(poisoned) => poisoned.into_inner(),
        };
        let timeout = self.inner.consent_timeout;
        pending.retain(|_, p| p.asked.elapsed() < timeout);
        if let (Some(state), Some(responses)) = (&request.request_state, &request.input_responses) {
            let Some(asked) = pending.remove(state) else {
                return Asked::Answered(Decision::TimedOut);
            };
            if asked.tool != tool.name || asked.arguments != *arguments {
                return Asked::Impossible(
                    "the answer given was to a different call: nothing was sent".into(),
                );
            }
            return Asked::Answered(match responses.get(CONSENT_INPUT) {
                Some(response) => match serde_json::from_value::<ElicitResult>(response.clone()) {
                    Ok(result) => answer_of(&result, question),
                    Err(_) => Decision::Cancelled,
                },
                None => Decision::Cancelled,
            });
        }
        let state = uuid::Uuid::new_v4().simple().to_string();
        pending.insert(
            state.clone(),
            Pending {
                tool: tool.name.clone(),
                arguments: arguments.clone(),
                asked: Instant::now(),
            },
        );
        let elicit = serde_json::from_value::<InputRequest>(json!({
            "method": "elicitation/create",
            "params": params,
        }));
        match elicit {
            Ok(elicit) => Asked::Later(InputRequiredResult::new(
                Some(InputRequests::from([(CONSENT_INPUT.to_string(), elicit)])),
                Some(state),
            )),
            Err(e) => {
                Asked::Impossible(format!("cannot build the question ({e}): nothing was sent"))
            }
        }
    }

    fn find(&self, arguments: &Map<String, Value>) -> CallToolResult {
        let tools: Vec<&Tool> = self
            .inner
            .offered
            .values()
            .filter_map(|&index| self.inner.manifest.tools.get(index))
            .collect();
        CallToolResult::structured(discovery::find(&tools, arguments))
    }

    fn describe(&self, arguments: &Map<String, Value>) -> CallToolResult {
        let name = arguments.get("name").and_then(Value::as_str).unwrap_or("");
        match self.tool(name) {
            Some(tool) => CallToolResult::structured(Value::Object(tool.definition.clone())),
            None => failure(unknown_tool(name)),
        }
    }

    /// Every way the arguments break the inputSchema, one per line.
    fn invalid_arguments(&self, name: &str, arguments: &Map<String, Value>) -> Option<String> {
        let validator = self.inner.validators.get(name)?;
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

/// Where asking the person got to.
enum Asked {
    Answered(Decision),
    /// Asked through an `InputRequiredResult`: the answer comes with the retry.
    Later(InputRequiredResult),
    /// The person cannot be asked; why, for the agent.
    Impossible(String),
}

fn mcp_tool(definition: &Value, name: &str) -> Result<McpTool, String> {
    serde_json::from_value(definition.clone())
        .map_err(|e| format!("tool {name:?} is not an MCP tool: {e}"))
}

fn validator(tool: &Tool) -> Result<jsonschema::Validator, String> {
    let schema = tool
        .definition
        .get("inputSchema")
        .cloned()
        .unwrap_or(Value::Null);
    // Formats are asserted too: a `uuid` argument must be a UUID.
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .map_err(|e| format!("tool {:?} has an invalid inputSchema: {e}", tool.name))
}

/// The question a call of `tool` with `arguments` needs, if any.
fn question_for(tool: &Tool, arguments: &Map<String, Value>) -> Option<Question> {
    let consent = tool.route.consent.as_ref()?;
    let path = tool.route.path.clone();
    let filled = tool
        .route
        .arguments
        .iter()
        .filter(|(_, place)| place.location == ArgumentLocation::Path)
        .fold(path, |path, (name, place)| {
            let wire = place.name.as_deref().unwrap_or(name);
            match arguments.get(name) {
                Some(Value::String(value)) => path.replace(&format!("{{{wire}}}"), value),
                Some(value) => path.replace(&format!("{{{wire}}}"), &value.to_string()),
                None => path,
            }
        });
    let call = format!(
        "{} ({}): {} {filled}",
        tool.title(),
        tool.name,
        tool.route.method
    );
    let sent = |location: TriggerLocation, wire: &str| {
        let location = match location {
            TriggerLocation::Query => ArgumentLocation::Query,
            TriggerLocation::Body => ArgumentLocation::Body,
        };
        tool.sent(arguments, location, wire)
    };
    let path_value = |param: &str| tool.sent(arguments, ArgumentLocation::Path, param);
    Question::for_call(consent, call, &sent, &path_value)
}

/// The elicitation form: the question, and a field to type the value in
/// when the guard needs one (else a plain yes or no).
fn elicitation(question: &Question) -> ElicitRequestParams {
    let (properties, required) = match &question.typed {
        Some(typed) => (
            json!({ typed.param.clone(): {
                "type": "string",
                "title": format!("Type the {} to confirm", typed.param),
                "description": format!("`{}`", typed.expected),
            }}),
            json!([typed.param.clone()]),
        ),
        None => (json!({}), json!([])),
    };
    let params = json!({
        "mode": "form",
        "message": question.message(),
        "requestedSchema": { "type": "object", "properties": properties, "required": required },
    });
    // The shape above is the schema's own; a failure is a bug, and then
    // the safe answer is a form nobody can accept without typing.
    serde_json::from_value(params).unwrap_or_else(|_| ElicitRequestParams::FormElicitationParams {
        meta: None,
        message: question.message(),
        requested_schema: rmcp::model::ElicitationSchema::new(BTreeMap::new()),
    })
}

fn answer_of(result: &ElicitResult, question: &Question) -> Decision {
    match result.action {
        ElicitationAction::Accept => Decision::Agreed {
            typed: question.typed.as_ref().and_then(|typed| {
                result
                    .content
                    .as_ref()
                    .and_then(|c| c.get(&typed.param))
                    .and_then(Value::as_str)
                    .map(str::to_string)
            }),
        },
        ElicitationAction::Decline => Decision::Declined,
        // Cancel, and any action a later revision adds: not a yes.
        _ => Decision::Cancelled,
    }
}

fn client_can_be_asked(context: &RequestContext<RoleServer>) -> bool {
    context
        .client_capabilities()
        .and_then(|capabilities| capabilities.elicitation)
        // A bare `elicitation: {}` means forms (the 2025-06-18 reading).
        .is_some_and(|elicitation| elicitation.form.is_some() || elicitation.url.is_none())
}

/// Protocol 2026-07-28 and later forbid server-to-client requests.
fn is_stateless_era(context: &RequestContext<RoleServer>) -> bool {
    context
        .protocol_version()
        .is_some_and(|v| v.as_str() >= ProtocolVersion::V_2026_07_28.as_str())
}

fn unknown_tool(name: &str) -> String {
    format!("unknown tool {name:?}")
}

impl ServerHandler for McpServer {
    fn get_info(&self) -> ServerConfig {
        let server = &self.inner.manifest.server;
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
                "Tools of {} {} {callable}. Destructive tools say so in their annotations; \
                 guarded arguments (confirm, force) are checked before any request is sent, and \
                 a guarded or irreversible call is sent only after the person agrees (a tool's \
                 `_meta[\"tiergen/route\"].consent` says which).",
                server.api, server.version
            ))
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(self.inner.listed.clone()))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        self.call(request, &context).await
    }
}

fn failure(message: String) -> CallToolResult {
    CallToolResult::error(vec![ContentBlock::text(message)])
}
