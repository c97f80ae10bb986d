//! Every way to call an operation, from the same facts: the HTTP request,
//! `curl` for it, the CLI command of the route map and the MCP tool call of
//! each manifest that lists it. One example request is built per operation
//! (its first credential alternative, path parameters, required query,
//! header and cookie parameters, a body from the schema, a confirm guard's
//! field set to the value it must equal), and each sample says exactly that
//! request in its own form. Secrets are never written: each credential is
//! the environment variable the tools read it from (`$MOLECULE_ORG_API_KEY`).

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{Map, Value};

use super::example;
use super::rich::{Rich, code, text};
use crate::ir::{
    Api, BodyEncoding, Guard, Operation, Param, ParamLocation, Placement, Requirement, Service,
    Shape, Type,
};
use crate::naming::{self, Names, OperationNames, plan};
use crate::style::{self, Style};

/// The samples of one operation, ready for the page.
#[derive(Debug, Serialize)]
pub struct Samples {
    /// What the guards change in each form, one line each (markdown).
    pub notes: Vec<Vec<Rich>>,
    pub blocks: Vec<Block>,
}

/// One fenced code block: ```` ```lang title="…" ````.
#[derive(Debug, Serialize)]
pub struct Block {
    pub lang: &'static str,
    pub title: String,
    /// Backticks enough that nothing inside closes the block.
    pub fence: String,
    pub code: String,
}

impl Block {
    fn new(lang: &'static str, title: impl Into<String>, code: String) -> Block {
        let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
        Block {
            lang,
            title: title.into(),
            fence: "`".repeat(longest.max(2) + 1),
            code,
        }
    }
}

/// The multipart boundary the HTTP samples show (a client picks its own).
const BOUNDARY: &str = "tiergen-boundary";

/// Where the samples send a request whose server URL is relative: the
/// host serving the API, which the spec does not name.
const RELATIVE_HOST: &str = "http://localhost";

/// The names the samples show, as the other artifacts have them: the
/// shared table, each operation's tools by manifest, and the Rust client's.
pub struct SampleNames<'a> {
    shared: &'a Names<'a>,
    /// Per operation: each manifest that lists it, with the tool's name there.
    tools: HashMap<&'a str, Vec<(String, &'a str)>>,
    rust: plan::RustNames,
}

impl<'a> SampleNames<'a> {
    pub fn new(api: &'a Api, shared: &'a Names<'a>) -> Self {
        let mut tools: HashMap<&str, Vec<(String, &str)>> = HashMap::new();
        for manifest in &shared.manifests {
            for tool in &manifest.tools {
                tools
                    .entry(tool.op.id.as_str())
                    .or_default()
                    .push((format!("{}.json", manifest.stem), tool.name.as_str()));
            }
        }
        SampleNames {
            shared,
            tools,
            rust: plan::RustNames::new(api),
        }
    }
}

/// The example request of an operation, in parts every form is built from.
struct Request<'a> {
    op: &'a Operation,
    service: Option<&'a Service>,
    /// Path parameters and the values they take.
    path: Vec<(&'a Param, Value)>,
    /// Query, header and cookie parameters sent.
    params: Vec<(&'a Param, Value)>,
    body: Option<Value>,
    /// The credentials and routing headers sent, as (where, environment variable).
    auth: Vec<(Sent, String)>,
}

/// Where a credential or routing header travels.
enum Sent {
    Header(String),
    /// `Authorization: <prefix> $VAR`.
    Authorization(String),
    /// `$VAR` holds `user:password`.
    Basic,
    Cookie(String),
    Query(String),
    Certificate,
}

pub fn samples(api: &Api, names: &SampleNames<'_>, op: &Operation) -> Samples {
    let request = Request::new(api, names.shared, op);
    // Every operation of the spec has its names: the table is built from it.
    let op_names = names.shared.operation(op).ok();
    let mut blocks = vec![
        Block::new("http", "HTTP", request.http(api)),
        Block::new("sh", "curl", request.curl(api)),
    ];
    if let Some(rust) = request.rust(api, names) {
        blocks.push(Block::new("rust", "Rust", rust));
    }
    if let Some(op_names) = op_names {
        blocks.push(Block::new(
            "sh",
            "CLI",
            request.cli(api, &names.shared.binary, op_names),
        ));
    }
    for (manifest, tool) in names.tools.get(op.id.as_str()).into_iter().flatten() {
        if let Some(op_names) = op_names {
            blocks.push(Block::new(
                "json",
                format!("MCP: {manifest}"),
                request.mcp(tool, op_names),
            ));
        }
    }
    let mut notes = guard_notes(op, &names.rust, op_names);
    if request.service.is_none_or(|s| !s.base_url.contains("://")) {
        notes.push(vec![
            text("The spec gives this service a relative URL: "),
            code(RELATIVE_HOST),
            text(" stands for the host that serves the API."),
        ]);
    }
    Samples { notes, blocks }
}

impl<'a> Request<'a> {
    fn new(api: &'a Api, names: &Names<'_>, op: &'a Operation) -> Self {
        let path: Vec<(&Param, Value)> = op
            .params_in(ParamLocation::Path)
            .map(|p| (p, example::value(api, &p.ty)))
            .collect();
        let params = op
            .params
            .iter()
            .filter(|p| p.location != ParamLocation::Path && p.required)
            .map(|p| (p, example::value(api, &p.ty)))
            .collect();
        let mut body = op.body.as_ref().map(|b| example::value(api, &b.ty));
        for guard in &op.guards {
            if let Guard::Confirm {
                field,
                equals_path_param,
            } = guard
                && let Some(Value::Object(fields)) = body.as_mut()
                && let Some((_, value)) = path.iter().find(|(p, _)| p.name == *equals_path_param)
            {
                fields.insert(field.clone(), value.clone());
            }
        }
        Request {
            op,
            service: api.service(&op.service),
            path,
            params,
            body,
            auth: op
                .auth
                .alternatives()
                .first()
                .map(|alt| sent(api, names, alt))
                .unwrap_or_default(),
        }
    }

    /// The base URL with each server variable at its default; a relative
    /// one (`/v1`) on [`RELATIVE_HOST`].
    fn base_url(&self) -> String {
        let Some(service) = self.service else {
            return RELATIVE_HOST.to_string();
        };
        let mut url = service.base_url.clone();
        if !url.contains("://") {
            url = format!("{RELATIVE_HOST}{url}");
        }
        for variable in &service.variables {
            url = url.replace(&format!("{{{}}}", variable.name), &variable.default);
        }
        url.trim_end_matches('/').to_string()
    }

    /// The path with its parameters filled in, and the query string, each
    /// parameter written by its `style` (the serializer the clients use).
    fn target(&self) -> String {
        let mut path = self.op.path.clone();
        for (param, value) in &self.path {
            let (style, explode, _) = style_of(param);
            let segment = style::path(&param.name, style, explode, &wire_value(param, value))
                .unwrap_or_default();
            path = path.replace(&format!("{{{}}}", param.name), &segment);
        }
        let mut query: Vec<String> = self
            .params
            .iter()
            .filter(|(p, _)| p.location == ParamLocation::Query)
            .filter_map(|(p, v)| {
                let (style, explode, reserved) = style_of(p);
                style::query(&p.name, style, explode, reserved, &wire_value(p, v))
            })
            .collect();
        for (sent, var) in &self.auth {
            if let Sent::Query(name) = sent {
                query.push(format!("{}=${var}", encode(name)));
            }
        }
        if query.is_empty() {
            path
        } else {
            format!("{path}?{}", query.join("&"))
        }
    }

    /// Headers other than the body's content type: parameters, then
    /// credentials and routing headers (values may hold `$VAR`).
    fn headers(&self) -> Vec<(String, String)> {
        let mut headers: Vec<(String, String)> = self
            .params
            .iter()
            .filter(|(p, _)| p.location == ParamLocation::Header)
            .filter_map(|(p, v)| {
                let (_, explode, _) = style_of(p);
                style::header(explode, &wire_value(p, v)).map(|text| (p.name.clone(), text))
            })
            .collect();
        let cookies: Vec<String> = self
            .params
            .iter()
            .filter(|(p, _)| p.location == ParamLocation::Cookie)
            .filter_map(|(p, v)| {
                let (_, explode, _) = style_of(p);
                style::cookie(&p.name, explode, &wire_value(p, v))
            })
            .chain(self.auth.iter().filter_map(|(sent, var)| match sent {
                Sent::Cookie(name) => Some(format!("{name}=${var}")),
                _ => None,
            }))
            .collect();
        for (sent, var) in &self.auth {
            match sent {
                Sent::Header(name) => headers.push((name.clone(), format!("${var}"))),
                Sent::Authorization(prefix) => {
                    headers.push(("Authorization".into(), format!("{prefix} ${var}")))
                }
                Sent::Basic => {
                    headers.push(("Authorization".into(), format!("Basic <base64 of ${var}>")))
                }
                Sent::Cookie(_) | Sent::Query(_) | Sent::Certificate => {}
            }
        }
        if !cookies.is_empty() {
            headers.push(("Cookie".into(), cookies.join("; ")));
        }
        headers
    }

    fn encoding(&self, api: &Api) -> Option<BodyEncoding> {
        self.op.body.as_ref().map(|b| api.body_encoding(b))
    }

    fn media_type(&self) -> Option<&str> {
        self.op.body.as_ref().map(|b| b.media_type.as_str())
    }

    fn http(&self, api: &Api) -> String {
        let base = self.base_url();
        let (host, prefix) = split_url(&base);
        let mut out = format!(
            "{} {prefix}{} HTTP/1.1\nHost: {host}\n",
            self.op.method.as_str(),
            self.target()
        );
        for (name, value) in self.headers() {
            out.push_str(&format!("{name}: {value}\n"));
        }
        if self
            .auth
            .iter()
            .any(|(s, _)| matches!(s, Sent::Certificate))
        {
            out.push_str("# plus the TLS client certificate in the handshake\n");
        }
        if let (Some(body), Some(media)) = (&self.body, self.media_type()) {
            match self.encoding(api) {
                Some(BodyEncoding::Multipart) => {
                    out.push_str(&format!("Content-Type: {media}; boundary={BOUNDARY}\n\n"));
                    for (name, value) in fields(body) {
                        out.push_str(&format!(
                            "--{BOUNDARY}\nContent-Disposition: form-data; name=\"{name}\"\n\n{value}\n"
                        ));
                    }
                    out.push_str(&format!("--{BOUNDARY}--\n"));
                }
                encoding => {
                    out.push_str(&format!("Content-Type: {media}\n\n"));
                    out.push_str(&match encoding {
                        Some(BodyEncoding::Form) => form_text(body),
                        Some(BodyEncoding::Json) | None => pretty(body),
                        _ => scalar_text(body),
                    });
                    out.push('\n');
                }
            }
        }
        out.trim_end().to_string()
    }

    fn curl(&self, api: &Api) -> String {
        let url = format!("{}{}", self.base_url(), self.target());
        // curl reads `{a,b}` and `[1-9]` in a URL as globs unless told not to.
        let globoff = if url.contains(['{', '}', '[', ']']) {
            " --globoff"
        } else {
            ""
        };
        let mut lines = vec![format!(
            "curl{globoff} -X {} {}",
            self.op.method.as_str(),
            shell_word(&url)
        )];
        for (name, value) in self.headers() {
            match self.auth.iter().find(|(s, _)| matches!(s, Sent::Basic)) {
                Some((_, var)) if value.starts_with("Basic <base64") => {
                    lines.push(format!("-u \"${var}\""));
                }
                _ => lines.push(format!("-H {}", shell_word(&format!("{name}: {value}")))),
            }
        }
        for (sent, var) in &self.auth {
            if matches!(sent, Sent::Certificate) {
                lines.push(format!("--cert \"${var}\""));
            }
        }
        if let (Some(body), Some(media)) = (&self.body, self.media_type()) {
            match self.encoding(api) {
                Some(BodyEncoding::Form) => {
                    for (name, value) in fields(body) {
                        lines.push(format!(
                            "--data-urlencode {}",
                            shell_word(&format!("{name}={value}"))
                        ));
                    }
                }
                Some(BodyEncoding::Multipart) => {
                    for (name, value) in fields(body) {
                        lines.push(format!("-F {}", shell_word(&format!("{name}={value}"))));
                    }
                }
                Some(BodyEncoding::Json) | None => {
                    lines.push(format!(
                        "-H {}",
                        shell_word(&format!("Content-Type: {media}"))
                    ));
                    lines.push(format!("--data {}", shell_word(&compact(body))));
                }
                Some(_) => {
                    lines.push(format!(
                        "-H {}",
                        shell_word(&format!("Content-Type: {media}"))
                    ));
                    lines.push(format!("--data-binary {}", shell_word(&scalar_text(body))));
                }
            }
        }
        lines.join(" \\\n  ")
    }

    fn cli(&self, api: &Api, binary: &str, names: &OperationNames<'_>) -> String {
        let mut words: Vec<String> = vec![binary.to_string()];
        words.extend(names.command.iter().cloned());
        for (_, value) in &self.path {
            words.push(shell_word(&scalar_text(value)));
        }
        let sent: Vec<&str> = self.params.iter().map(|(p, _)| p.name.as_str()).collect();
        let body_fields = self.body.as_ref().and_then(Value::as_object);
        let mut whole_body = self.body.is_some();
        for flag in &names.flags {
            match flag.source {
                plan::Source::Param(param) if sent.contains(&param.name.as_str()) => {
                    if let Some((_, value)) = self.params.iter().find(|(p, _)| p.name == param.name)
                    {
                        words.push(flag.flag.clone());
                        words.push(shell_word(&flag_text(api, &param.ty, value)));
                    }
                }
                plan::Source::Field { property, .. } => {
                    whole_body = false;
                    if let Some(value) = body_fields.and_then(|f| f.get(&property.name)) {
                        words.push(flag.flag.clone());
                        words.push(shell_word(&flag_text(api, &property.ty, value)));
                    }
                }
                _ => {}
            }
        }
        if whole_body && let Some(body) = &self.body {
            words.push("--body".into());
            words.push(shell_word(&match self.encoding(api) {
                Some(BodyEncoding::Json) | None => compact(body),
                _ => scalar_text(body),
            }));
        }
        words.join(" ")
    }

    /// The Rust client call: the client, the credential set read from the
    /// environment, the arguments in the method's order.
    fn rust(&self, api: &Api, sample_names: &SampleNames<'_>) -> Option<String> {
        let names = &sample_names.rust;
        let shared = sample_names.shared;
        let service = self.service?;
        let at = api.services.iter().position(|s| s.id == service.id)?;
        let (_, client) = names.services.get(at)?;
        let method = names.methods.get(&self.op.id)?.first()?;
        let krate = &names.crate_path;
        let mut lines = Vec::new();
        let mut imports = vec![client.clone()];
        let alternative = self.op.auth.alternatives().first();
        let mut auth_parts = Vec::new();
        if let Some(alt) = alternative {
            for id in &alt.credentials {
                let credential = api.credential(id)?;
                let ty = names.credentials.credential(id);
                imports.push(ty.clone());
                let var = shared.credential_env(id).ok()?;
                auth_parts.push(match credential.placement {
                    Placement::Basic => {
                        lines.push(format!("let secret = std::env::var({var:?})?; // user:password"));
                        lines.push(
                            "let (user, password) = secret.split_once(':').unwrap_or((&secret, \"\"));"
                                .to_string(),
                        );
                        format!("{ty}::new(user, password)")
                    }
                    Placement::ClientCertificate => format!("{ty}::configured()"),
                    _ => format!("{ty}::new(std::env::var({var:?})?)"),
                });
            }
            for id in &alt.routing {
                let ty = names.credentials.routing(id);
                imports.push(ty.clone());
                let var = shared.routing_env(id).ok()?;
                auth_parts.push(format!("{ty}::new(std::env::var({var:?})?)"));
            }
        }
        imports.sort();
        imports.dedup();
        let constructor = if service.base_url.contains("://") {
            let defaults: Vec<String> = service
                .variables
                .iter()
                .map(|v| format!("{:?}", v.default))
                .collect();
            format!("{client}::new({})", defaults.join(", "))
        } else {
            format!("{client}::with_base_url({RELATIVE_HOST:?})")
        };
        let imported = match imports.as_slice() {
            [one] => one.clone(),
            many => format!("{{{}}}", many.join(", ")),
        };
        let mut out = vec![format!("use {krate}::{imported};"), String::new()];
        out.push(format!("let client = {constructor};"));
        out.extend(lines);
        let mut args = Vec::new();
        if self.op.auth != crate::ir::Auth::Public {
            match auth_parts.len() {
                0 => args.push("&()".to_string()),
                1 => {
                    out.push(format!("let auth = {};", auth_parts[0]));
                    args.push("&auth".to_string());
                }
                _ => {
                    out.push(format!("let auth = ({});", auth_parts.join(", ")));
                    args.push("&auth".to_string());
                }
            }
        }
        // The query parameters a guard's own call sets are no argument.
        let consumed: Vec<&str> = self
            .op
            .guards
            .iter()
            .filter_map(|g| match g {
                Guard::DryRun { param, .. } | Guard::DestructiveFlag { param, .. } => {
                    Some(param.as_str())
                }
                _ => None,
            })
            .collect();
        for location in [
            ParamLocation::Path,
            ParamLocation::Query,
            ParamLocation::Header,
            ParamLocation::Cookie,
        ] {
            for param in self.op.params_in(location) {
                if location == ParamLocation::Query && consumed.contains(&param.name.as_str()) {
                    continue;
                }
                let value = self
                    .path
                    .iter()
                    .chain(&self.params)
                    .find(|(p, _)| p.name == param.name)
                    .map(|(_, v)| v);
                args.push(match value {
                    Some(value) => rust_param(api, param, value),
                    None => "None".to_string(),
                });
            }
        }
        if self.op.auth == crate::ir::Auth::Public {
            args.extend(self.op.routing.iter().map(|_| "None".to_string()));
        }
        if let (Some(body), Some(value)) = (&self.op.body, &self.body) {
            let expression = match api.body_encoding(body) {
                BodyEncoding::Text => format!("{:?}", scalar_text(value)),
                BodyEncoding::Binary | BodyEncoding::Unsupported => {
                    format!("{:?}.as_bytes()", scalar_text(value))
                }
                encoding => {
                    let value = if encoding == BodyEncoding::Multipart {
                        with_bytes(api, shared.operation(self.op).ok()?, value)
                    } else {
                        value.clone()
                    };
                    out.push(format!(
                        "let body = serde_json::json!({});",
                        rust_json(&value)
                    ));
                    "&serde_json::from_value(body)?".to_string()
                }
            };
            args.push(if body.required {
                expression
            } else {
                format!("Some({expression})")
            });
        }
        out.push(format!(
            "let answer = client.{method}({}).await?;",
            args.join(", ")
        ));
        Some(out.join("\n"))
    }

    fn mcp(&self, tool: &str, names: &OperationNames<'_>) -> String {
        let mut arguments = Map::new();
        let body_fields = self.body.as_ref().and_then(Value::as_object);
        for argument in &names.arguments {
            let value = match argument.source {
                plan::Source::Param(param) => self
                    .path
                    .iter()
                    .chain(&self.params)
                    .find(|(p, _)| p.name == param.name)
                    .map(|(_, v)| v.clone()),
                plan::Source::Field { property, .. } => {
                    body_fields.and_then(|f| f.get(&property.name)).cloned()
                }
                plan::Source::Body => self.body.clone(),
            };
            if let Some(value) = value {
                let value = if argument.base64 {
                    Value::String(base64(scalar_text(&value).as_bytes()))
                } else {
                    value
                };
                arguments.insert(argument.name.clone(), value);
            }
        }
        let call = serde_json::json!({ "name": tool, "arguments": arguments });
        pretty(&call)
    }
}

/// A multipart body for the Rust client's part struct: a binary field
/// (`Vec<u8>` there) as the array of its bytes.
fn with_bytes(api: &Api, names: &OperationNames<'_>, body: &Value) -> Value {
    let mut body = body.clone();
    if let Value::Object(fields) = &mut body {
        for property in &names.body_fields {
            if api.is_binary(&property.ty)
                && let Some(value) = fields.get_mut(&property.name)
            {
                let bytes = scalar_text(value).into_bytes();
                *value = Value::Array(bytes.into_iter().map(Value::from).collect());
            }
        }
    }
    body
}

/// A parameter's value as the Rust client takes it.
fn rust_param(api: &Api, param: &Param, value: &Value) -> String {
    let resolved = api.resolved(&param.ty);
    let literal = match plan::param_kind(api, &param.ty) {
        plan::ParamKind::Str => format!("{:?}", scalar_text(value)),
        plan::ParamKind::DateTime => format!("{:?}.parse()?", scalar_text(value)),
        plan::ParamKind::Copy => match (&resolved.shape, value) {
            (_, Value::Bool(b)) => b.to_string(),
            (
                Shape::Scalar {
                    scalar: crate::ir::Scalar::Number,
                    ..
                },
                Value::Number(n),
            ) => {
                format!("{:?}", n.as_f64().unwrap_or(0.0))
            }
            (_, Value::Number(n)) => n.to_string(),
            (_, other) => format!("{:?}.parse()?", scalar_text(other)),
        },
        plan::ParamKind::Ref | plan::ParamKind::Json => format!(
            "&serde_json::from_value(serde_json::json!({}))?",
            rust_json(value)
        ),
        // A slice: one element each, as a slice of the item type.
        plan::ParamKind::List => {
            let items: Vec<String> = value
                .as_array()
                .into_iter()
                .flatten()
                .map(|item| match item {
                    Value::Number(_) | Value::Bool(_) => item.to_string(),
                    other => format!(
                        "serde_json::from_value(serde_json::json!({}))?",
                        rust_json(other)
                    ),
                })
                .collect();
            format!("&[{}][..]", items.join(", "))
        }
    };
    if param.required || param.location == ParamLocation::Path {
        literal
    } else {
        format!("Some({literal})")
    }
}

/// A JSON value as the tokens of `serde_json::json!`: JSON itself, with
/// every string a Rust string literal.
fn rust_json(value: &Value) -> String {
    match value {
        Value::String(s) => format!("{s:?}"),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(rust_json).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(fields) => format!(
            "{{{}}}",
            fields
                .iter()
                .map(|(k, v)| format!("{k:?}: {}", rust_json(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.to_string(),
    }
}

/// Where each credential and routing header of an alternative travels, with
/// the environment variable the tools read it from.
fn sent(api: &Api, names: &Names<'_>, alt: &Requirement) -> Vec<(Sent, String)> {
    let mut out = Vec::new();
    for id in &alt.credentials {
        let (Some(credential), Ok(var)) = (api.credential(id), names.credential_env(id)) else {
            continue;
        };
        let var = var.to_string();
        let place = match &credential.placement {
            Placement::Bearer => Sent::Authorization("Bearer".into()),
            Placement::Authorization { scheme } => Sent::Authorization(scheme.clone()),
            Placement::Basic => Sent::Basic,
            Placement::Header { name } => Sent::Header(name.clone()),
            Placement::Cookie { name } => Sent::Cookie(name.clone()),
            Placement::Query { name } => Sent::Query(name.clone()),
            Placement::ClientCertificate => Sent::Certificate,
        };
        out.push((place, var));
    }
    for id in &alt.routing {
        if let (Some(header), Ok(var)) = (api.routing_header(id), names.routing_env(id)) {
            out.push((Sent::Header(header.header.clone()), var.to_string()));
        }
    }
    out
}

/// What each guard asks of a caller, in every form.
fn guard_notes(
    op: &Operation,
    rust: &plan::RustNames,
    names: Option<&OperationNames<'_>>,
) -> Vec<Vec<Rich>> {
    // The calls after the plain one, in the order of the guards that make them.
    let mut calls = rust.methods.get(&op.id).into_iter().flatten().skip(1);
    let flag_of = |name: &str| {
        names
            .into_iter()
            .flat_map(|n| &n.flags)
            .find(|f| match f.source {
                plan::Source::Param(p) => p.name == name,
                plan::Source::Field { property, .. } => property.name == name,
                plan::Source::Body => false,
            })
            .map(|f| f.flag.clone())
            .unwrap_or_else(|| format!("--{}", naming::kebab(name)))
    };
    op.guards
        .iter()
        .map(|guard| match guard {
            Guard::DryRun { param, status } => {
                let mut words = vec![
                    text("Dry run (answers "),
                    code(status.to_string()),
                    text(", changes nothing): add "),
                    code(format!("?{param}=true")),
                    text(" to the URL, "),
                    code(format!("{} true", flag_of(param))),
                    text(" to the command, or "),
                    code(format!("\"{param}\": true")),
                    text(" to the tool's arguments"),
                ];
                if let Some(call) = calls.next() {
                    words.extend([text("; in Rust, call "), code(call.as_str())]);
                }
                words.push(text("."));
                words
            }
            Guard::Confirm {
                field,
                equals_path_param,
            } => vec![
                text("Confirm: the body field "),
                code(field.as_str()),
                text(" repeats the path parameter "),
                code(equals_path_param.as_str()),
                text(" (as below); any other value is refused before anything happens, by the CLI and the MCP server as by the API."),
            ],
            Guard::Force { field, keys_of, .. } => vec![
                text("Force: keys of "),
                code(keys_of.as_str()),
                text(" that name a secret are refused unless the body has "),
                code(format!("\"{field}\": true")),
                text(" ("),
                code(format!("{} true", flag_of(field))),
                text(")."),
            ],
            Guard::DestructiveFlag { param, value, .. } => {
                let mut words = vec![
                    text("Destructive flag: "),
                    code(format!("?{param}={value}")),
                    text(" ("),
                    code(format!("{} {value}", flag_of(param))),
                ];
                if let Some(call) = calls.next() {
                    words.extend([text("; in Rust "), code(call.as_str())]);
                }
                words.push(text(") deletes for good; the samples leave it out."));
                words
            }
            Guard::Precondition { status, code: machine, .. } => vec![
                text("Precondition: the API answers "),
                code(status.to_string()),
                text(" with "),
                code(machine.as_str()),
                text(" when it does not hold, and changes nothing."),
            ],
        })
        .collect()
}

/// A scheme and host, and the path prefix after them.
fn split_url(url: &str) -> (&str, &str) {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    match rest.find('/') {
        Some(at) => (&rest[..at], &rest[at..]),
        None => (rest, ""),
    }
}

/// The serializer's style, `explode` and `allowReserved` of a parameter.
fn style_of(param: &Param) -> (Style, bool, bool) {
    let s = param.serialization;
    let style = Style::parse(s.style.as_str()).unwrap_or(Style::Form);
    (style, s.explode, s.allow_reserved)
}

/// A parameter's value as the serializer takes it: a JSON `content`
/// parameter as its JSON text.
fn wire_value(param: &Param, value: &Value) -> Value {
    if param.json_content {
        style::json_content(value).into_owned()
    } else {
        value.clone()
    }
}

/// A value as it travels in a path, query, header or flag.
fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A flag's value as the route map takes it: a scalar, enum or constant
/// type as text, any other type as JSON.
fn flag_text(api: &Api, ty: &Type, value: &Value) -> String {
    let resolved = api.resolved(ty);
    match resolved.shape {
        Shape::Scalar { .. } | Shape::Enum { .. } | Shape::Const { .. } if !value.is_null() => {
            scalar_text(value)
        }
        _ => compact(value),
    }
}

/// A form or multipart field's value: scalars as they are, anything
/// structured as JSON.
fn field_text(value: &Value) -> String {
    match value {
        Value::Object(_) | Value::Array(_) => compact(value),
        other => scalar_text(other),
    }
}

fn compact(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// The fields of an object body as `name=value` pairs.
fn fields(body: &Value) -> Vec<(String, String)> {
    body.as_object()
        .map(|o| o.iter().map(|(k, v)| (k.clone(), field_text(v))).collect())
        .unwrap_or_default()
}

fn form_text(body: &Value) -> String {
    fields(body)
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encoding of everything but RFC 3986's unreserved characters.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A word for a POSIX shell: single-quoted unless it is plain, except that
/// `$VAR` references stay expandable (the word is then double-quoted, with
/// everything else that a double quote would expand escaped).
fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=,@%+".contains(c));
    if plain {
        return word.to_string();
    }
    if word.contains('$') && is_env_reference_only(word) {
        let mut out = String::from("\"");
        for c in word.chars() {
            if matches!(c, '"' | '\\' | '`') {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('"');
        return out;
    }
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// True when every `$` in `word` starts an environment variable name that
/// tiergen wrote (upper case, digits and `_`).
fn is_env_reference_only(word: &str) -> bool {
    let bytes = word.as_bytes();
    bytes.iter().enumerate().all(|(i, b)| {
        *b != b'$'
            || bytes
                .get(i + 1)
                .is_some_and(|n| n.is_ascii_uppercase() || *n == b'_')
    })
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_quote_what_a_shell_would_read() {
        assert_eq!(shell_word("acme"), "acme");
        assert_eq!(shell_word("{\"a\":\"it's\"}"), r#"'{"a":"it'\''s"}'"#);
        assert_eq!(
            shell_word("Authorization: Bearer $MOLECULE_KEY"),
            "\"Authorization: Bearer $MOLECULE_KEY\""
        );
        // A `$` from spec text is never expanded.
        assert_eq!(shell_word("price $5"), "'price $5'");
        assert_eq!(shell_word(""), "''");
    }

    #[test]
    fn base64_pads() {
        assert_eq!(base64(b"example"), "ZXhhbXBsZQ==");
        assert_eq!(base64(b"abc"), "YWJj");
    }
}
