//! The names several artifacts must agree on, resolved once beside the
//! naming rules they follow: the CLI
//! command of each operation and the flag of each argument, and which MCP
//! manifest lists which tool under which name with which arguments. The CLI
//! and MCP emitters write them; the docs emitter shows them in each
//! operation's samples, so a sample names exactly what the route map and
//! the manifests hold.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{self as naming, Scope, Suffix};
use crate::ir::{
    Api, BodyEncoding, CredentialId, Direction, Guard, Operation, Param, ParamLocation, Placement,
    Property, Requirement, RoutingHeaderId, Scalar, Shape, Type,
};

/// The longest tool name emitted: what the strictest common MCP hosts accept
/// (`^[A-Za-z0-9_-]{1,64}$`; the MCP specification itself allows 128).
pub const TOOL_NAME_LIMIT: usize = 64;

/// The manifest of what anyone may call, without a credential. Credential
/// file names are kebab case, and a credential whose name is this one gets
/// `public_`, so the two can never collide.
pub const PUBLIC_MANIFEST: &str = "public";

// ------------------------------------------------------------------- CLI

/// Each operation's command path, in operation order: distinct, and none a
/// prefix of another (`repo merge` beside `repo merge foo get` would make a
/// positional `foo` ambiguous): a path another operation already has gets
/// `-2`, `-3`… on its verb; a path that begins another gets its method's
/// verb as a last word (`repo merge create`), numbered the same way if that
/// is taken too.
pub(super) fn command_paths(api: &Api) -> Vec<Vec<String>> {
    let mut taken: BTreeSet<Vec<String>> = BTreeSet::new();
    let per_path = naming::operations_per_path(api);
    let mut commands: Vec<Vec<String>> = api
        .operations
        .iter()
        .map(|op| {
            let command = numbered(&naming::command(api, op, &per_path), &taken);
            taken.insert(command.clone());
            command
        })
        .collect();
    // Each round lengthens every prefix by a word no other command has after
    // it, so it ends; the bound is a guard, not a rule.
    for _ in 0..8 {
        let prefixes = prefixes_of_others(&taken);
        if prefixes.is_empty() {
            break;
        }
        for (command, op) in commands.iter_mut().zip(&api.operations) {
            if !prefixes.contains(command) {
                continue;
            }
            taken.remove(command);
            let mut longer = command.clone();
            // The verb naming rule 8 gives the method, as for a single resource.
            longer.push(naming::method_verb(op.method, false).to_string());
            *command = numbered(&longer, &taken);
            taken.insert(command.clone());
        }
    }
    commands
}

/// `wanted`, or with `-2`, `-3`… on its last word until no command has it.
fn numbered(wanted: &[String], taken: &BTreeSet<Vec<String>>) -> Vec<String> {
    let mut command = wanted.to_vec();
    let mut n = 2;
    while taken.contains(&command) {
        command = wanted.to_vec();
        if let Some(verb) = command.last_mut() {
            *verb = format!("{verb}-{n}");
        }
        n += 1;
    }
    command
}

/// The commands that begin a longer one. In sorted order, a command that
/// begins any other begins the one right after it.
fn prefixes_of_others(commands: &BTreeSet<Vec<String>>) -> BTreeSet<Vec<String>> {
    commands
        .iter()
        .zip(commands.iter().skip(1))
        .filter(|(a, b)| b.len() > a.len() && b.starts_with(a))
        .map(|(a, _)| a.clone())
        .collect()
}

/// What a CLI flag or a tool argument carries.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    Param(&'a Param),
    /// A top-level property of an object body; `body_required` is the
    /// body's own `required`.
    Field {
        property: &'a Property,
        body_required: bool,
    },
    /// The whole body.
    Body,
}

/// One flag of a command: `--name` and what it sets.
#[derive(Debug, Clone)]
pub struct Flag<'a> {
    /// With its leading `--`.
    pub flag: String,
    pub source: Source<'a>,
}

/// The flags of an operation's command, in order: query, header and cookie
/// parameters, then the fields of an object body (one whose flag clashes
/// with a parameter's is `--body-<name>`). `--body` is the whole body, so a
/// parameter called `body` gets `--body2`.
pub(super) fn cli_flags<'a>(api: &'a Api, op: &'a Operation) -> Vec<Flag<'a>> {
    let mut names = Scope::new(&[], Suffix::Plain);
    names.occupy("body");
    let mut flags: Vec<Flag<'a>> = op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .map(|p| Flag {
            flag: format!("--{}", names.claim(&naming::kebab(&p.name))),
            source: Source::Param(p),
        })
        .collect();
    if let Some(body) = &op.body {
        for property in body_fields(api, op).unwrap_or_default() {
            let kebab = naming::kebab(&property.name);
            let wanted = if names.is_taken(&kebab) {
                naming::kebab(&naming::clashing_body_field(&property.name))
            } else {
                kebab
            };
            flags.push(Flag {
                flag: format!("--{}", names.claim(&wanted)),
                source: Source::Field {
                    property,
                    body_required: body.required,
                },
            });
        }
    }
    flags
}

/// The declared properties of an object body (through one reference) that
/// the CLI and the tools take one by one, when the body travels as fields
/// (JSON, a form, multipart). A `readOnly` property is not among them: the
/// server sets it, so a caller has nothing to give.
pub(super) fn body_fields<'a>(api: &'a Api, op: &'a Operation) -> Option<Vec<&'a Property>> {
    let body = op.body.as_ref()?;
    if !api.body_encoding(body).has_fields() {
        return None;
    }
    let properties: Vec<&Property> = api
        .object_properties(&body.ty)
        .iter()
        .filter(|p| p.access.travels(Direction::Request))
        .collect();
    (!properties.is_empty()).then_some(properties)
}

// ------------------------------------------------------------------- MCP

/// One argument of a tool and where it goes on the wire.
#[derive(Debug, Clone)]
pub struct ToolArgument<'a> {
    pub name: String,
    pub source: Source<'a>,
    /// True when the argument is raw bytes given base64-encoded.
    pub base64: bool,
}

impl ToolArgument<'_> {
    /// The name on the wire; `None` for a whole-body argument.
    pub fn wire(&self) -> Option<&str> {
        match self.source {
            Source::Param(p) => Some(&p.name),
            Source::Field { property, .. } => Some(&property.name),
            Source::Body => None,
        }
    }
}

/// A tool's arguments: parameters under their spec names, then the fields
/// of an object body sent as JSON, a form or multipart (one that clashes
/// with a parameter is `body_<name>`, then `_2`…), else one `body`.
pub(super) fn tool_arguments<'a>(api: &'a Api, op: &'a Operation) -> Vec<ToolArgument<'a>> {
    let mut scope = Scope::new(&[], Suffix::Underscore);
    let mut arguments: Vec<ToolArgument<'a>> = op
        .params
        .iter()
        .map(|p| ToolArgument {
            name: scope.claim(&p.name),
            source: Source::Param(p),
            base64: false,
        })
        .collect();
    let Some(body) = &op.body else {
        return arguments;
    };
    let encoding = api.body_encoding(body);
    match body_fields(api, op) {
        Some(properties) => {
            for property in properties {
                let wanted = if scope.is_taken(&property.name) {
                    naming::clashing_body_field(&property.name)
                } else {
                    property.name.clone()
                };
                arguments.push(ToolArgument {
                    name: scope.claim(&wanted),
                    source: Source::Field {
                        property,
                        body_required: body.required,
                    },
                    base64: encoding == BodyEncoding::Multipart && api.is_binary(&property.ty),
                });
            }
        }
        None => arguments.push(ToolArgument {
            name: scope.claim("body"),
            source: Source::Body,
            base64: encoding == BodyEncoding::Binary,
        }),
    }
    arguments
}

/// One MCP manifest: its file stem, its credential (`None` for the public
/// one) and its tools in spec order.
#[derive(Debug, Clone)]
pub struct Manifest<'a> {
    pub stem: String,
    pub credential: Option<CredentialId>,
    pub tools: Vec<Tool<'a>>,
}

/// A tool of a manifest: its operation, its name there, and the credential
/// alternatives that apply (empty for a public operation).
#[derive(Debug, Clone)]
pub struct Tool<'a> {
    pub op: &'a Operation,
    pub name: String,
    pub alternatives: Vec<Requirement>,
}

/// Every manifest tiergen writes: one per credential that can call
/// something, each listing exactly what that credential can call (alone, or
/// with the companions an alternative needs) plus the public operations of
/// its services; and the public one, whenever the spec has a public
/// operation or no other manifest would be written.
pub(super) fn manifests(api: &Api) -> Vec<Manifest<'_>> {
    let mut reserved = vec![PUBLIC_MANIFEST];
    reserved.extend_from_slice(naming::WINDOWS_RESERVED);
    let mut file_names = Scope::new(&reserved, Suffix::Underscore);
    let mut out = Vec::new();
    for credential in manifest_credentials(api) {
        let tools = tools_for(api, &credential);
        if tools.is_empty() {
            continue;
        }
        out.push(Manifest {
            stem: file_names.claim(&naming::file_stem(&credential.0)),
            credential: Some(credential),
            tools: named(api, tools),
        });
    }
    let public = public_tools(api);
    // A spec with no operation at all (only webhooks, say) still gets a
    // manifest: an empty tool list, which a server can load and serve.
    if !public.is_empty() || out.is_empty() {
        out.push(Manifest {
            stem: PUBLIC_MANIFEST.to_string(),
            credential: None,
            tools: named(api, public),
        });
    }
    out
}

/// Tool names claimed in one manifest, in spec order.
fn named<'a>(api: &Api, tools: Vec<(&'a Operation, Vec<Requirement>)>) -> Vec<Tool<'a>> {
    let mut names = Scope::new(&[], Suffix::Underscore);
    tools
        .into_iter()
        .map(|(op, alternatives)| Tool {
            name: claim_tool_name(&mut names, &naming::tool(api, op)),
            op,
            alternatives,
        })
        .collect()
}

/// The tool name claimed in `names`: characters MCP hosts refuse become
/// `_`, and a name longer than [`TOOL_NAME_LIMIT`] (with its collision
/// suffix) is cut and ends in a hash of what was cut, so long names that
/// share a beginning stay distinct and the same spec gives the same names.
fn claim_tool_name(names: &mut Scope, wanted: &str) -> String {
    let sanitized: String = wanted
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let base = naming::within(
        if sanitized.is_empty() {
            "tool"
        } else {
            &sanitized
        },
        TOOL_NAME_LIMIT,
    );
    let mut name = base.clone();
    let mut n = 2;
    while names.is_taken(&name) {
        let suffix = format!("_{n}");
        name = format!(
            "{}{suffix}",
            naming::within(&base, TOOL_NAME_LIMIT - suffix.len())
        );
        n += 1;
    }
    names.occupy(&name);
    name
}

/// Operations anyone may call (`security: []`, or an alternative with no
/// credential), each with its credential-free alternatives (which may still
/// send routing headers).
fn public_tools(api: &Api) -> Vec<(&Operation, Vec<Requirement>)> {
    api.operations
        .iter()
        .filter(|op| op.auth.admits_anonymous())
        .map(|op| {
            let anonymous: Vec<Requirement> = op
                .auth
                .alternatives()
                .iter()
                .filter(|a| a.credentials.is_empty())
                .cloned()
                .collect();
            (op, anonymous)
        })
        .collect()
}

/// Credentials that get a manifest: each one some operation accepts alone;
/// and for an alternative of several where none of them does, the first a
/// running tool can present (a TLS client certificate it cannot), else the
/// first.
fn manifest_credentials(api: &Api) -> Vec<CredentialId> {
    let alternatives: Vec<&Requirement> = api
        .operations
        .iter()
        .flat_map(|op| op.auth.alternatives())
        .collect();
    let alone: BTreeSet<&CredentialId> = alternatives
        .iter()
        .filter(|a| a.credentials.len() == 1)
        .map(|a| &a.credentials[0])
        .collect();
    let presentable = |id: &&CredentialId| {
        api.credential(id)
            .is_some_and(|c| c.placement != Placement::ClientCertificate)
    };
    let mut chosen: BTreeSet<&CredentialId> = alone.clone();
    for alternative in &alternatives {
        if alternative.credentials.iter().any(|c| alone.contains(c)) {
            continue;
        }
        let representative = alternative
            .credentials
            .iter()
            .find(presentable)
            .or_else(|| alternative.credentials.first());
        if let Some(representative) = representative {
            chosen.insert(representative);
        }
    }
    api.credentials
        .iter()
        .map(|c| &c.id)
        .filter(|id| chosen.contains(id))
        .cloned()
        .collect()
}

/// The operations a credential's manifest lists, each with the alternatives
/// that include the credential (empty for a public operation).
fn tools_for<'a>(
    api: &'a Api,
    credential: &CredentialId,
) -> Vec<(&'a Operation, Vec<Requirement>)> {
    let alternatives_with = |op: &Operation| -> Vec<Requirement> {
        op.auth
            .alternatives()
            .iter()
            .filter(|a| a.credentials.contains(credential))
            .cloned()
            .collect()
    };
    let services: BTreeSet<_> = api
        .operations
        .iter()
        .filter(|op| {
            op.auth
                .alternatives()
                .iter()
                .any(|a| a.credentials.contains(credential))
        })
        .map(|op| &op.service)
        .collect();
    // Operations anyone may call (public, or with an empty alternative)
    // belong to every credential of their service. One pass in spec order
    // keeps the tools in the order of the spec.
    api.operations
        .iter()
        .filter_map(|op| {
            let alternatives = alternatives_with(op);
            if !alternatives.is_empty() {
                Some((op, alternatives))
            } else if op.auth.admits_anonymous() && services.contains(&op.service) {
                Some((op, Vec::new()))
            } else {
                None
            }
        })
        .collect()
}

// ------------------------------------------------------------------ Rust

/// Names the crate root uses; credential types re-exported there avoid them.
const RUST_ROOT_NAMES: &[&str] = &[
    "Error",
    "GuardError",
    "InvalidArgument",
    "Credentials",
    "models",
    "credentials",
    // Prelude names the generated code writes unqualified.
    "Box",
    "Default",
    "Err",
    "None",
    "Ok",
    "Option",
    "Result",
    "Some",
    "String",
    "ToString",
    "Vec",
];

/// The crate's own modules, which no service module may be named.
const RUST_CRATE_MODULES: &[&str] = &["credentials", "models", "error", "runtime"];

/// The Rust type name of every credential and routing header.
pub struct CredentialNames {
    credentials: BTreeMap<CredentialId, String>,
    routing: BTreeMap<RoutingHeaderId, String>,
}

impl CredentialNames {
    /// Names avoid `taken` (the crate root's own names, since these are re-exported there).
    pub fn new(api: &Api, taken: &[&str]) -> Self {
        let mut scope = Scope::rust_types();
        for name in taken {
            scope.occupy(name);
        }
        let credentials = api
            .credentials
            .iter()
            .map(|c| (c.id.clone(), scope.claim(&naming::upper_camel(&c.id.0))))
            .collect();
        let routing = api
            .routing_headers
            .iter()
            .map(|r| (r.id.clone(), scope.claim(&naming::upper_camel(&r.id.0))))
            .collect();
        CredentialNames {
            credentials,
            routing,
        }
    }

    pub fn credential(&self, id: &CredentialId) -> String {
        self.credentials
            .get(id)
            .cloned()
            .unwrap_or_else(|| naming::upper_camel(&id.0))
    }

    pub fn routing(&self, id: &RoutingHeaderId) -> String {
        self.routing
            .get(id)
            .cloned()
            .unwrap_or_else(|| naming::upper_camel(&id.0))
    }

    pub fn all(&self) -> impl Iterator<Item = &str> {
        self.credentials
            .values()
            .chain(self.routing.values())
            .map(String::as_str)
    }
}

/// The names of the Rust client crate that its users write: the crate, each
/// service's module and client, each credential's type, each operation's
/// methods.
pub struct RustNames {
    /// The crate as a path (`molecule_client`).
    pub crate_path: String,
    /// Module and client type of every service, in service order.
    pub services: Vec<(String, String)>,
    pub credentials: CredentialNames,
    /// Per operation id: the method of each call, the plain call first,
    /// then a dry run and a destructive flag's call, as the guards come.
    pub methods: HashMap<String, Vec<String>>,
}

impl RustNames {
    pub fn new(api: &Api) -> Self {
        let services = naming::rust_services(api, RUST_CRATE_MODULES);
        let root: Vec<&str> = RUST_ROOT_NAMES
            .iter()
            .copied()
            .chain(services.iter().map(|(_, client)| client.as_str()))
            .collect();
        let credentials = CredentialNames::new(api, &root);
        RustNames {
            crate_path: naming::package(api).replace('-', "_"),
            services,
            credentials,
            methods: rust_methods(api),
        }
    }
}

/// Each operation's method names, claimed service by service in spec order
/// beside the client's own methods.
fn rust_methods(api: &Api) -> HashMap<String, Vec<String>> {
    let mut out = HashMap::new();
    for service in &api.services {
        let mut scope = Scope::new(naming::RUST_KEYWORDS, Suffix::Underscore);
        for taken in ["new", "with_base_url", "with_http_client", "base_url"] {
            scope.occupy(taken);
        }
        for op in api.operations_of(&service.id) {
            let base = naming::operation(api, op);
            let mut calls = vec![base.clone()];
            for guard in &op.guards {
                match guard {
                    Guard::DryRun { .. } => calls.push(naming::dry_run_call(&base)),
                    Guard::DestructiveFlag { param, .. } => {
                        calls.push(naming::flag_call(&base, param));
                    }
                    _ => {}
                }
            }
            let names = calls.iter().map(|call| scope.claim(call)).collect();
            out.insert(op.id.clone(), names);
        }
    }
    out
}

/// How a Rust caller passes a parameter.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// Passed as `&str`.
    Str,
    /// Passed by value (numbers, booleans, UUIDs, dates).
    Copy,
    /// A `chrono::DateTime`, sent as RFC 3339.
    DateTime,
    /// Passed by reference; sent with `Display` (string enums).
    Ref,
    /// Passed by reference; sent as JSON text.
    Json,
    /// A list of scalars: one query pair per item.
    List,
}

pub fn param_kind(api: &Api, ty: &Type) -> ParamKind {
    kind_through(api, ty, &mut Vec::new())
}

/// [`param_kind`], following references; `seen` holds the components on the
/// way, so one that contains itself (`X: {type: array, items: {$ref: X}}`,
/// found by the fuzzer: it overflowed the stack) is sent as JSON.
fn kind_through<'a>(api: &'a Api, ty: &'a Type, seen: &mut Vec<&'a str>) -> ParamKind {
    match &ty.shape {
        Shape::Scalar {
            scalar: Scalar::String,
            format,
            ..
        } if !matches!(format.as_deref(), Some("uuid" | "date" | "date-time")) => ParamKind::Str,
        Shape::Scalar { format, .. } if format.as_deref() == Some("date-time") => {
            ParamKind::DateTime
        }
        Shape::Scalar { .. } => ParamKind::Copy,
        Shape::Enum { scalar, values } => {
            if *scalar == Scalar::String && values.iter().any(|v| v.is_string()) {
                ParamKind::Ref
            } else if *scalar == Scalar::String {
                ParamKind::Str
            } else {
                ParamKind::Copy
            }
        }
        Shape::Ref { name } if seen.contains(&name.as_str()) => ParamKind::Json,
        Shape::Ref { name } => match api.named_type(name) {
            Some(named) if !matches!(named.ty.shape, Shape::Ref { .. }) => {
                seen.push(name);
                let kind = kind_through(api, &named.ty, seen);
                seen.pop();
                match kind {
                    ParamKind::Str | ParamKind::Copy | ParamKind::Ref => ParamKind::Ref,
                    _ => ParamKind::Json,
                }
            }
            _ => ParamKind::Json,
        },
        Shape::Array { items, .. } => match kind_through(api, items, seen) {
            ParamKind::Str | ParamKind::Copy | ParamKind::Ref | ParamKind::DateTime => {
                ParamKind::List
            }
            _ => ParamKind::Json,
        },
        _ => ParamKind::Json,
    }
}
