//! Naming rules shared by every emitter, so that a Rust method, an MCP tool
//! and a CLI command derive from the same facts.
//!
//! The rules, in order:
//! 1. **Words.** A spec name is split into words by [`heck`] (case changes
//!    and every character other than an ASCII letter or digit are
//!    boundaries, so names are always ASCII); each target then joins them in
//!    its own case ([`snake`], [`upper_camel`], [`kebab`],
//!    [`shouty_snake`]).
//! 2. **Empty.** A name with no letters or digits at all (`""`, `"-"`) becomes
//!    the word `empty`.
//! 3. **Leading digit.** Identifiers cannot start with a digit: a snake or
//!    kebab name gets the prefix `n_`/`n-`, a camel name the prefix `N`
//!    (`1h` → `n_1h`, `N1h`).
//! 4. **Reserved words.** A name equal to a reserved word of the target gets a
//!    trailing `_` (`type` → `type_`, `Self` → `Self_`). A name used only as
//!    the beginning of longer ones (an operation's `…Auth`, `…Error` types)
//!    drops that `_` again ([`prefix`]: `Self` → `SelfAuth`).
//! 5. **Collisions.** Within one [`Scope`], names are handed out in spec
//!    order; a name already taken gets `_2`, `_3`, … (camel: `2`, `3`, …), so
//!    `foo-bar`, `foo_bar` and `FooBar` become `foo_bar`, `foo_bar_2` and
//!    `foo_bar_3`, and the same spec always gives the same names. The number
//!    goes on the word itself, not on its rule 4 form: `match` twice is
//!    `match_`, `match_2`; `Self` twice is `Self_`, `Self2` (never `match__2`
//!    or `Self_2`, which Rust's case lints refuse).
//! 6. **Operations.** An operation's base name is its `operationId` in snake
//!    case without a leading word equal to its service id
//!    (`tenantListOrgTokens` on service `tenant` → `list_org_tokens`). Its
//!    tool name (MCP) is `x-tiergen-tool-name` when declared, else the base
//!    name.
//! 7. **Environment variables.** A credential or routing header is read from
//!    `x-tiergen-env` when declared, else from the API's prefix (the first
//!    word of `x-tiergen-package`, else of the title, in SCREAMING_SNAKE_CASE),
//!    then `_` and the scheme id in SCREAMING_SNAKE_CASE
//!    (`MOLECULE_CP_ADMIN_BEARER`). Two schemes never share one: a derived
//!    name that a declared one or an earlier scheme (credentials, then
//!    routing headers, in spec order) already has gets `_2`, `_3`, … (`Org
//!    Key`, `org-key` → `API_ORG_KEY`, `API_ORG_KEY_2`). A server variable is
//!    read from the prefix, `_` and its name the same way (`MOLECULE_SLUG`).
//! 8. **CLI commands** (`x-tiergen-command` when declared). A command is the
//!    service's word (`x-tiergen-service`'s `command`; default: none for a
//!    single service or the one that owns `/`, else the service id), then
//!    the path's literal segments in kebab case — `api` and `v1`-style version segments dropped, nouns
//!    made singular — then a verb. When the path serves one operation and
//!    ends in a literal after at least one other segment, that last literal
//!    is the verb (`POST /workspaces/{id}/restart` → `workspace restart`).
//!    Otherwise the verb comes from the method: GET → `list` on a collection
//!    (a path ending in a plural noun) and `get` otherwise, POST → `create`,
//!    PUT → `set`, PATCH → `update`, DELETE → `delete`.
//! 9. **Derived operation ids.** An operation without `operationId` gets
//!    the method, then each path segment — a literal as its words, a
//!    `{param}` as `by` + its words — in snake case (`GET
//!    /repos/{owner}/issues` → `get_repos_by_owner_issues`, `GET /` →
//!    `get_root`). A derived id that another operation already has (declared
//!    ids first, then derived ones in spec order) gets `_2`, `_3`, ….
//! 10. **Derived services.** A server that a path item or operation names and
//!     that no service has becomes a service whose id is the server URL's host
//!     and path in kebab case, template braces and scheme dropped
//!     (`https://uploads.example.com/v1` → `uploads-example-com-v1`); a taken
//!     id gets `-2`, `-3`, ….
//! 11. **Rust modules and clients.** Each service of the Rust client is a
//!     module named after its id in snake case and a client type named after
//!     it in upper camel case + `Client` (`control-plane` →
//!     `control_plane`, `ControlPlaneClient`); both are claimed (rule 5) in
//!     service order in scopes that already hold the crate's own modules
//!     (`credentials`, `models`, `error`, `runtime`), so a service `error`
//!     gets `error_2`, and ids that meet after case conversion (`foo-bar`,
//!     `foo_bar`) stay apart. A module is the file `src/<module>.rs`, so the
//!     file rules hold too: a Windows-reserved stem gets `_` (`CON` →
//!     `con_`), a long id is cut as [`within`] says, and `lib` and `main`
//!     (the crate's root, and what Cargo would build as a program) get `_`.
//! 12. **Discriminated unions.** A Rust enum for a `oneOf`/`anyOf` with a
//!     discriminator keeps the variant name `Unknown` for values it does not
//!     know, so a variant that would be called `Unknown` becomes `Unknown2`.
//! 13. **Long Rust type names.** rustdoc writes each public type to a file
//!     named after it, so a Rust type name (a model, an operation's
//!     `…Auth`, `…Error`, `…Response` types, a credential) longer than
//!     [`RUST_TYPE_LIMIT`] characters keeps its first 120 and ends in eight
//!     upper-case hex digits of a hash of the whole name ([`within_camel`]);
//!     rule 5's number comes after.
//! 14. **The CLI program.** The route map, its command page and the docs'
//!     CLI samples name the program `x-tiergen-cli` (on `info`) when
//!     declared, else the API's first word (rule 7's, in kebab case):
//!     `Molecule Platform Management API` → `molecule`.

mod names;
pub mod plan;

pub use names::{Names, OperationNames};

use std::collections::{BTreeSet, HashMap};

use heck::{ToKebabCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

use crate::ir::{Api, Operation};

/// Rust's strict and reserved keywords, plus the names that cannot be raw identifiers.
pub const RUST_KEYWORDS: &[&str] = &[
    "Self", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
    "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if",
    "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub",
    "ref", "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// The operation id rule 9 derives for an operation without one (before
/// collisions are settled).
pub fn derived_operation_id(method: &str, path: &str) -> String {
    let words = path.replace('{', " by ").replace('}', " ");
    if ascii_words(&words).trim().is_empty() {
        return snake(&format!("{method} root"));
    }
    snake(&format!("{method} {words}"))
}

/// The service id rule 10 derives from a server URL; `taken` says which ids
/// are already in use.
pub fn service_id(url: &str, taken: impl Fn(&str) -> bool) -> String {
    let without_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let base = non_empty(ascii_words(without_scheme).to_kebab_case(), "api");
    let mut id = base.clone();
    let mut n = 2;
    while taken(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// `snake_case`, e.g. `tenantListOrgTokens` → `tenant_list_org_tokens`.
pub fn snake(name: &str) -> String {
    with_leading_digit_prefix(non_empty(ascii_words(name).to_snake_case(), "empty"), "n_")
}

/// `UpperCamelCase`, e.g. `budget_limits` → `BudgetLimits`.
pub fn upper_camel(name: &str) -> String {
    with_leading_digit_prefix(
        non_empty(ascii_words(name).to_upper_camel_case(), "Empty"),
        "N",
    )
}

/// `kebab-case`, e.g. `dry_run` → `dry-run`.
pub fn kebab(name: &str) -> String {
    with_leading_digit_prefix(non_empty(ascii_words(name).to_kebab_case(), "empty"), "n-")
}

/// Stems Windows refuses as file names whatever the extension (`con.json`
/// included); a name derived from spec text that would be one gets `_`.
pub const WINDOWS_RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// The longest file stem derived from spec text: far under the 255 bytes
/// file systems allow a name, and readable in a listing.
pub const FILE_STEM_LIMIT: usize = 64;

/// A file stem for spec text (a credential id, say): kebab case, so only
/// `[a-z0-9-]`, never empty, never `.` or `..`, at most [`FILE_STEM_LIMIT`]
/// characters. Windows-reserved stems and collisions are the caller's
/// [`Scope`]'s to settle.
pub fn file_stem(name: &str) -> String {
    within(&kebab(name), FILE_STEM_LIMIT)
}

/// `name` if it has at most `limit` (ASCII) characters; else its beginning,
/// `_` and eight hex digits of a hash of the whole name, so long names that
/// share a beginning stay distinct and the same spec gives the same names.
pub fn within(name: &str, limit: usize) -> String {
    if name.len() <= limit {
        return name.to_string();
    }
    let hash = format!("{:016x}", fnv1a(name.as_bytes()));
    let keep = limit.saturating_sub(9);
    let head = name
        .get(..keep)
        .unwrap_or(name)
        .trim_end_matches(['_', '-']);
    format!("{head}_{}", &hash[..8])
}

/// The longest Rust type name derived from spec text (rule 13): rustdoc
/// writes every public struct, enum, trait and alias to a file named after
/// it (`struct.<Name>.html`), and a file name has at most 255 bytes.
pub const RUST_TYPE_LIMIT: usize = 128;

/// [`within`] for an UpperCamelCase name: the beginning, then eight
/// upper-case hex digits of a hash of the whole name (no `_`, which Rust's
/// case lint refuses in a type name).
pub fn within_camel(name: &str, limit: usize) -> String {
    if name.len() <= limit {
        return name.to_string();
    }
    let hash = format!("{:016X}", fnv1a(name.as_bytes()));
    let keep = limit.saturating_sub(8);
    let head = name.get(..keep).unwrap_or(name);
    format!("{head}{}", &hash[..8])
}

/// FNV-1a, 64 bits: a tiny stable hash (the standard library's is seeded per
/// process, and the output must be the same on every run).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// `SHOUTY_SNAKE_CASE`, e.g. `orgApiKey` → `ORG_API_KEY`.
pub fn shouty_snake(name: &str) -> String {
    with_leading_digit_prefix(
        non_empty(ascii_words(name).to_shouty_snake_case(), "EMPTY"),
        "N_",
    )
}

/// Every character that is not an ASCII letter or digit becomes a word boundary.
fn ascii_words(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

fn non_empty(converted: String, fallback: &str) -> String {
    if converted.is_empty() {
        fallback.to_string()
    } else {
        converted
    }
}

fn with_leading_digit_prefix(name: String, prefix: &str) -> String {
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{prefix}{name}")
    } else {
        name
    }
}

/// The base name of an operation, in snake case (rule 6).
pub fn operation(api: &Api, operation: &Operation) -> String {
    let full = snake(&operation.id);
    let Some(service) = api.service(&operation.service) else {
        return full;
    };
    let prefix = format!("{}_", snake(&service.id.0));
    match full.strip_prefix(&prefix) {
        Some(rest) if !rest.is_empty() && !rest.starts_with(|c: char| c.is_ascii_digit()) => {
            rest.to_string()
        }
        _ => full,
    }
}

/// Stems of `src/` files Cargo gives a meaning of their own: the library's
/// root and a program's.
const CARGO_SOURCE_FILES: &[&str] = &["lib", "main"];

/// The Rust module and client type of every service, in service order
/// (rule 11); `modules` are the crate's own modules.
pub fn rust_services(api: &Api, modules: &[&str]) -> Vec<(String, String)> {
    // A module is a file, `src/<module>.rs`: its name follows the file rules
    // too, and is neither the crate's root nor a program's.
    let reserved: Vec<&str> = RUST_KEYWORDS
        .iter()
        .chain(WINDOWS_RESERVED)
        .chain(CARGO_SOURCE_FILES)
        .copied()
        .collect();
    let mut module_scope = Scope::new(&reserved, Suffix::Underscore);
    for module in modules {
        module_scope.occupy(module);
    }
    let mut client_scope = Scope::new(RUST_KEYWORDS, Suffix::Plain);
    api.services
        .iter()
        .map(|service| {
            let module = module_scope.claim(&within(&snake(&service.id.0), FILE_STEM_LIMIT));
            let client = client_scope.claim(&format!("{}Client", upper_camel(&module)));
            (module, client)
        })
        .collect()
}

/// The generated packages' name: `x-tiergen-package`, else the title in
/// kebab case without a trailing `api`, ending in `-client`.
pub(super) fn package(api: &Api) -> String {
    if let Some(package) = &api.package {
        return package.clone();
    }
    let mut name = kebab(&api.title);
    for suffix in ["-api", "-client"] {
        if let Some(stripped) = name.strip_suffix(suffix) {
            name = stripped.to_string();
        }
    }
    format!("{name}-client")
}

/// A name claimed in a [`Scope`], used as the beginning of longer names:
/// without the trailing `_` rule 4 gave it, which only kept the name itself
/// off a reserved word (`Self_` → `Self`, so its types are `SelfAuth`…).
pub fn prefix(claimed: &str) -> &str {
    claimed.strip_suffix('_').unwrap_or(claimed)
}

/// The call that runs an operation's dry run: `<base>_dry_run`.
pub fn dry_run_call(base: &str) -> String {
    format!("{base}_dry_run")
}

/// The call that sets a destructive flag: `<base>_with_<param>`.
pub fn flag_call(base: &str, param: &str) -> String {
    format!("{base}_with_{}", snake(param))
}

/// A body field's argument name when a parameter already has its name.
pub fn clashing_body_field(name: &str) -> String {
    format!("body_{name}")
}

/// The command-line program the route map is for, which the docs' CLI
/// samples and the command page name (rule 14): `x-tiergen-cli` when
/// declared, else the API's first word in kebab case (`molecule`, as
/// molecule-cli is called).
pub(super) fn cli_binary(api: &Api) -> String {
    if let Some(cli) = &api.cli {
        return cli.clone();
    }
    api_word(api).map_or_else(|| "api".to_string(), |word| kebab(&word))
}

/// The first word of `x-tiergen-package`, else of the title: what the
/// environment variables (rule 7) and the CLI program (rule 14) are named after.
fn api_word(api: &Api) -> Option<String> {
    let source = api.package.as_deref().unwrap_or(&api.title);
    ascii_words(source)
        .split_whitespace()
        .next()
        .map(str::to_string)
}

/// The tool name of an operation (rule 6).
pub(super) fn tool(api: &Api, op: &Operation) -> String {
    op.tool_name.clone().unwrap_or_else(|| operation(api, op))
}

/// The environment variable a server variable is read from (rule 7): the
/// API's prefix + `_` + `name`, in SCREAMING_SNAKE_CASE.
pub(super) fn variable_env_var(api: &Api, name: &str) -> String {
    let prefix = api_word(api).map_or_else(|| "API".to_string(), |word| shouty_snake(&word));
    format!("{prefix}_{}", shouty_snake(name))
}

/// How many operations each path has: rule 8 names an operation alone on
/// its path by the path's last word. Counted once per spec, not per operation.
pub fn operations_per_path(api: &Api) -> HashMap<&str, usize> {
    let mut counts = HashMap::new();
    for op in &api.operations {
        *counts.entry(op.path.as_str()).or_insert(0) += 1;
    }
    counts
}

/// The CLI command path of an operation (rule 8), before collisions.
/// `per_path` is [`operations_per_path`] of the same spec.
pub fn command(api: &Api, op: &Operation, per_path: &HashMap<&str, usize>) -> Vec<String> {
    if let Some(declared) = &op.command {
        return declared.clone();
    }
    let mut words: Vec<String> = Vec::new();
    let single_service = api.services.len() == 1;
    let service = api.service(&op.service);
    let owns_everything = service.is_some_and(|s| s.path_prefixes.iter().any(|p| p == "/"));
    match service.and_then(|s| s.command.clone()) {
        Some(word) if word.is_empty() => {}
        Some(word) => words.push(word),
        None if single_service || owns_everything => {}
        None => words.push(kebab(&op.service.0)),
    }
    let segments: Vec<&str> = op
        .path
        .split('/')
        .filter(|s| !s.is_empty())
        .filter(|s| !is_version_segment(s))
        .collect();
    let literals: Vec<&str> = segments
        .iter()
        .copied()
        .filter(|s| !s.starts_with('{'))
        .collect();
    let ends_in_literal = segments.last().is_some_and(|s| !s.starts_with('{'));
    let alone_on_path = per_path.get(op.path.as_str()) == Some(&1);
    let (nouns, verb) = match literals.split_last() {
        Some((last, rest)) if ends_in_literal && alone_on_path && segments.len() > 1 => {
            (rest.to_vec(), kebab(last))
        }
        _ => {
            // A collection is a path ending in a plural noun (`/secrets`);
            // `/budget` is one thing, got rather than listed.
            let collection = ends_in_literal
                && literals
                    .last()
                    .is_some_and(|last| singular(&kebab(last)) != kebab(last));
            (
                literals.clone(),
                method_verb(op.method, collection).to_string(),
            )
        }
    };
    words.extend(nouns.iter().map(|n| singular(&kebab(n))));
    words.push(verb);
    words
}

fn is_version_segment(segment: &str) -> bool {
    segment == "api"
        || (segment.len() > 1
            && segment.starts_with('v')
            && segment[1..].chars().all(|c| c.is_ascii_digit()))
}

/// The verb rule 8 gives a method: `list` for a GET of a collection.
pub fn method_verb(method: crate::ir::Method, collection: bool) -> &'static str {
    use crate::ir::Method;
    match method {
        Method::Get if collection => "list",
        Method::Get => "get",
        Method::Post => "create",
        Method::Put => "set",
        Method::Patch => "update",
        Method::Delete => "delete",
        Method::Head => "head",
        Method::Options => "options",
        Method::Trace => "trace",
    }
}

/// An English plural made singular, for resource nouns (`policies` → `policy`).
fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies") {
        return format!("{stem}y");
    }
    for keep in ["ss", "us", "is"] {
        if word.ends_with(keep) {
            return word.to_string();
        }
    }
    match word.strip_suffix('s') {
        Some(stem) if !stem.is_empty() => stem.to_string(),
        _ => word.to_string(),
    }
}

/// How a [`Scope`] marks a second use of a name (rule 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suffix {
    /// `name_2`
    Underscore,
    /// `Name2`
    Plain,
}

/// A namespace in which every name handed out is distinct (rules 4 and 5).
#[derive(Debug, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
    reserved: BTreeSet<String>,
    suffix: Suffix,
    limit: Option<usize>,
}

impl Scope {
    /// A scope whose names avoid `reserved` words by a trailing `_`.
    pub fn new(reserved: &[&str], suffix: Suffix) -> Self {
        Scope {
            taken: BTreeSet::new(),
            reserved: reserved.iter().map(|w| w.to_string()).collect(),
            suffix,
            limit: None,
        }
    }

    /// The scope of the Rust client's type names (rule 13): keywords
    /// avoided, camel-case numbers, at most [`RUST_TYPE_LIMIT`] characters
    /// before the number.
    pub fn rust_types() -> Self {
        Scope {
            limit: Some(RUST_TYPE_LIMIT),
            ..Scope::new(RUST_KEYWORDS, Suffix::Plain)
        }
    }

    /// Marks `name` as used without handing it out (names the code around
    /// the generated ones already uses).
    pub fn occupy(&mut self, name: &str) {
        self.taken.insert(name.to_string());
    }

    /// True when `name` is already handed out or occupied.
    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// The first free name for `wanted`: itself (a reserved word with a
    /// trailing `_`), or with a number.
    pub fn claim(&mut self, wanted: &str) -> String {
        let bounded = match (self.limit, self.suffix) {
            (Some(limit), Suffix::Plain) => within_camel(wanted, limit),
            (Some(limit), Suffix::Underscore) => within(wanted, limit),
            (None, _) => wanted.to_string(),
        };
        let wanted = bounded.as_str();
        let mut name = if self.reserved.contains(wanted) {
            format!("{wanted}_")
        } else {
            wanted.to_string()
        };
        let mut n = 2;
        while self.taken.contains(&name) || self.reserved.contains(&name) {
            name = match self.suffix {
                Suffix::Underscore => format!("{wanted}_{n}"),
                Suffix::Plain => format!("{wanted}{n}"),
            };
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases() {
        assert_eq!(snake("tenantListOrgTokens"), "tenant_list_org_tokens");
        assert_eq!(snake("X-Molecule-Org-Id"), "x_molecule_org_id");
        assert_eq!(upper_camel("budget_limits"), "BudgetLimits");
        assert_eq!(upper_camel("read_only"), "ReadOnly");
        assert_eq!(kebab("dry_run"), "dry-run");
        assert_eq!(shouty_snake("orgApiKey"), "ORG_API_KEY");
    }

    #[test]
    fn empty_and_leading_digits() {
        assert_eq!(snake(""), "empty");
        assert_eq!(upper_camel("--"), "Empty");
        assert_eq!(snake("1h"), "n_1h");
        assert_eq!(upper_camel("24h"), "N24h");
        assert_eq!(kebab("2fa"), "n-2fa");
        assert_eq!(snake("caf\u{e9}_name"), "caf_name");
        assert_eq!(upper_camel("\u{b2}"), "Empty");
    }

    #[test]
    fn singular_nouns() {
        assert_eq!(singular("workspaces"), "workspace");
        assert_eq!(singular("policies"), "policy");
        assert_eq!(singular("status"), "status");
        assert_eq!(singular("settings"), "setting");
        assert_eq!(singular("billing"), "billing");
    }

    #[test]
    fn rust_modules_and_clients_avoid_the_crate_and_each_other() {
        let service = |id: &str| crate::ir::Service {
            id: crate::ir::ServiceId(id.to_string()),
            name: id.to_string(),
            base_url: "https://example.com".to_string(),
            alternate_urls: Vec::new(),
            description: None,
            variables: Vec::new(),
            path_prefixes: Vec::new(),
            command: None,
        };
        let api = Api {
            title: "t".to_string(),
            version: "1".to_string(),
            description: None,
            package: None,
            cli: None,
            services: [
                "control-plane",
                "error",
                "foo-bar",
                "foo_bar",
                "type",
                "lib",
                "main",
                "CON",
            ]
            .map(service)
            .to_vec(),
            credentials: Vec::new(),
            routing_headers: Vec::new(),
            tags: Vec::new(),
            operations: Vec::new(),
            types: crate::ir::Types::default(),
            webhooks: Vec::new(),
            approximations: Vec::new(),
        };
        let names = rust_services(&api, &["credentials", "models", "error", "runtime"]);
        let (modules, clients): (Vec<String>, Vec<String>) = names.into_iter().unzip();
        assert_eq!(
            modules,
            [
                "control_plane",
                "error_2",
                "foo_bar",
                "foo_bar_2",
                "type_",
                "lib_",
                "main_",
                "con_"
            ]
        );
        assert_eq!(
            clients,
            [
                "ControlPlaneClient",
                "Error2Client",
                "FooBarClient",
                "FooBar2Client",
                "TypeClient",
                "LibClient",
                "MainClient",
                "ConClient"
            ]
        );
    }

    #[test]
    fn collisions_and_keywords() {
        let mut scope = Scope::new(RUST_KEYWORDS, Suffix::Underscore);
        let names: Vec<String> = ["foo-bar", "foo_bar", "FooBar", "type", "type_"]
            .iter()
            .map(|n| scope.claim(&snake(n)))
            .collect();
        assert_eq!(
            names,
            ["foo_bar", "foo_bar_2", "foo_bar_3", "type_", "type_2"]
        );

        let mut types = Scope::new(RUST_KEYWORDS, Suffix::Plain);
        types.occupy("Error");
        assert_eq!(types.claim(&upper_camel("error")), "Error2");
        assert_eq!(types.claim(&upper_camel("Self")), "Self_");
        assert_eq!(types.claim(&upper_camel("self")), "Self2");
        assert_eq!(types.claim(&upper_camel("SELF")), "Self3");
        assert_eq!(prefix("Self_"), "Self");
        assert_eq!(prefix("FooBar"), "FooBar");
    }
}
