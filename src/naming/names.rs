//! Every name that more than one artifact shows, decided once per spec
//! before any emitter runs: the package and the CLI program, the
//! environment variable of each credential, routing header and server
//! variable, each operation's command path, flags and tool arguments (the
//! body-argument plan), and which manifest lists which tool under which name.
//! Emitters read this table; none of them derives a shared name itself, so
//! a name the spec or its overlay declares changes in every artifact at once.

use std::collections::{BTreeMap, HashMap};

use super::{self as naming, Scope, Suffix, plan};
use crate::ir::{Api, CredentialId, Operation, Property, RoutingHeaderId};

/// The names of one spec; borrows the IR it was built from.
#[derive(Debug)]
pub struct Names<'a> {
    /// The generated packages' name (rule 13).
    pub package: String,
    /// The command-line program (rule 14).
    pub binary: String,
    credential_env: BTreeMap<&'a CredentialId, String>,
    routing_env: BTreeMap<&'a RoutingHeaderId, String>,
    variable_env: BTreeMap<&'a str, String>,
    operations: HashMap<&'a str, OperationNames<'a>>,
    /// Every MCP manifest, with its tools' names.
    pub manifests: Vec<plan::Manifest<'a>>,
}

/// The names of one operation in every artifact.
#[derive(Debug)]
pub struct OperationNames<'a> {
    /// The CLI command path (rule 8, then made distinct).
    pub command: Vec<String>,
    /// The CLI flags, in order.
    pub flags: Vec<plan::Flag<'a>>,
    /// The MCP tool arguments, in order.
    pub arguments: Vec<plan::ToolArgument<'a>>,
    /// The body's top-level properties taken one by one (as flags and
    /// arguments); empty when the body is taken whole.
    pub body_fields: Vec<&'a Property>,
}

impl<'a> Names<'a> {
    pub fn new(api: &'a Api) -> Self {
        let (credential_env, routing_env) = scheme_env_vars(api);
        let variable_env = api
            .services
            .iter()
            .flat_map(|s| &s.variables)
            .map(|v| (v.name.as_str(), naming::variable_env_var(api, &v.name)))
            .collect();
        let operations = api
            .operations
            .iter()
            .zip(plan::command_paths(api))
            .map(|(op, command)| {
                let names = OperationNames {
                    command,
                    flags: plan::cli_flags(api, op),
                    arguments: plan::tool_arguments(api, op),
                    body_fields: plan::body_fields(api, op).unwrap_or_default(),
                };
                (op.id.as_str(), names)
            })
            .collect();
        Names {
            package: naming::package(api),
            binary: naming::cli_binary(api),
            credential_env,
            routing_env,
            variable_env,
            operations,
            manifests: plan::manifests(api),
        }
    }

    /// The environment variable a credential is read from (rule 7).
    pub fn credential_env(&self, id: &CredentialId) -> Result<&str, String> {
        self.credential_env
            .get(id)
            .map(String::as_str)
            .ok_or_else(|| format!("no environment variable for credential {id}"))
    }

    /// The environment variable a routing header is read from (rule 7).
    pub fn routing_env(&self, id: &RoutingHeaderId) -> Result<&str, String> {
        self.routing_env
            .get(id)
            .map(String::as_str)
            .ok_or_else(|| format!("no environment variable for routing header {id}"))
    }

    /// The environment variable a server variable is read from (rule 7).
    pub fn variable_env(&self, name: &str) -> Result<&str, String> {
        self.variable_env
            .get(name)
            .map(String::as_str)
            .ok_or_else(|| format!("no environment variable for server variable {name}"))
    }

    /// The names of `op`, an operation of the spec these names are of.
    pub fn operation(&self, op: &Operation) -> Result<&OperationNames<'a>, String> {
        self.operations
            .get(op.id.as_str())
            .ok_or_else(|| format!("no names for operation {}", op.id))
    }
}

/// Rule 7 for every scheme at once: a declared variable stands; derived
/// ones are claimed in spec order (credentials, then routing headers) in one
/// scope that holds the declared ones, so no two schemes share a variable.
fn scheme_env_vars(
    api: &Api,
) -> (
    BTreeMap<&CredentialId, String>,
    BTreeMap<&RoutingHeaderId, String>,
) {
    let mut scope = Scope::new(&[], Suffix::Underscore);
    let declared = api
        .credentials
        .iter()
        .filter_map(|c| c.env.as_deref())
        .chain(api.routing_headers.iter().filter_map(|r| r.env.as_deref()));
    for env in declared {
        scope.occupy(env);
    }
    let mut env_of = |id: &str, declared: Option<&str>| match declared {
        Some(env) => env.to_string(),
        None => scope.claim(&naming::variable_env_var(api, id)),
    };
    let credentials = api
        .credentials
        .iter()
        .map(|c| (&c.id, env_of(&c.id.0, c.env.as_deref())))
        .collect();
    let routing = api
        .routing_headers
        .iter()
        .map(|r| (&r.id, env_of(&r.id.0, r.env.as_deref())))
        .collect();
    (credentials, routing)
}
