//! Builds the IR's operations: service, auth, parameters, body, responses,
//! guards and effects — checking every name they mention.

use std::collections::BTreeMap;
use std::path::Path;

use indexmap::IndexMap;
use openapiv3::{
    OpenAPI, Parameter, ParameterData, ParameterSchemaOrContent, PathItem, PathStyle, QueryStyle,
    ReferenceOr, RequestBody, Response as OaResponse, SecurityRequirement, StatusCode,
};
use serde_json::Value;

use super::declarations;
use super::shapes::ShapeBuilder;
use crate::error::{Error, Result, escape_token};
use crate::ir::{
    Api, Approximation, Auth, Body, CredentialId, Date, Lifecycle, Method, Operation, Param,
    ParamLocation, ParamStyle, Placement, Requirement, Response, ResponseHeader, RoutingHeaderId,
    Serialization, ServiceId, Shape, Status, Type, Webhook,
};

/// The operations, and what building them had to approximate.
pub struct Built {
    pub operations: Vec<Operation>,
    pub approximations: Vec<Approximation>,
}

pub fn build_operations(
    openapi: &OpenAPI,
    file: &Path,
    api: &Api,
    shapes: &ShapeBuilder<'_>,
    order: &MethodOrder,
) -> Result<Built> {
    let builder = OperationBuilder {
        openapi,
        file,
        api,
        shapes,
        notes: std::cell::RefCell::new(Vec::new()),
    };
    let mut operations: Vec<Operation> = Vec::new();
    let mut first_seen: BTreeMap<String, String> = BTreeMap::new();
    let mut ids = OperationIds::new(openapi);
    for (path, item) in &openapi.paths.paths {
        let item_at = format!("/paths/{}", escape_token(path));
        let ReferenceOr::Item(item) = item else {
            return Err(Error::at_pointer(
                file,
                &item_at,
                "a path item given as $ref is not supported",
            ));
        };
        for (method, op) in order.sorted(path, methods(item)) {
            let at = format!("{item_at}/{}", method.key());
            let site = Site {
                path,
                item,
                item_at: &item_at,
                op,
                at: &at,
            };
            let id = ids.id_of(op, method, path);
            let operation = builder.operation(&site, method, id)?;
            if let Some(earlier) = first_seen.get(&operation.id) {
                return Err(Error::at_pointer(
                    file,
                    &format!("{at}/operationId"),
                    format!(
                        "duplicate operationId {:?} (first used at {earlier})",
                        operation.id
                    ),
                )
                .with_help(
                    "an operationId names one operation in the whole spec (it becomes a method, \
                     a tool and a command); rename one of them",
                ));
            }
            first_seen.insert(operation.id.clone(), at.clone());
            operations.push(operation);
        }
    }
    Ok(Built {
        operations,
        approximations: builder.notes.into_inner(),
    })
}

/// Reads 3.1 `webhooks`: each path item's operations, keyed by the webhook's name.
pub fn build_webhooks(
    raw: &serde_json::Map<String, Value>,
    openapi: &OpenAPI,
    file: &Path,
    api: &Api,
    shapes: &ShapeBuilder<'_>,
) -> Result<Vec<Webhook>> {
    let builder = OperationBuilder {
        openapi,
        file,
        api,
        shapes,
        notes: std::cell::RefCell::new(Vec::new()),
    };
    let mut webhooks = Vec::new();
    for (name, item) in raw {
        let item_at = format!("/webhooks/{}", escape_token(name));
        let item: PathItem = serde_path_to_error::deserialize(item.clone()).map_err(|e| {
            Error::at_pointer(
                file,
                &format!("{item_at}{}", super::path_to_pointer(e.path())),
                format!("not a valid webhook: {}", e.inner()),
            )
        })?;
        for (method, op) in methods(&item) {
            let at = format!("{item_at}/{}", method.key());
            webhooks.push(Webhook {
                name: name.clone(),
                method,
                summary: op.summary.clone(),
                description: op.description.clone(),
                body: builder.body(op, &at)?,
                responses: builder.responses(op, &at)?,
                pointer: at,
            });
        }
    }
    Ok(webhooks)
}

/// Hands out operation ids: the declared one, else rule 9 of
/// [`crate::naming`], never one already in use.
struct OperationIds {
    taken: std::collections::BTreeSet<String>,
}

impl OperationIds {
    fn new(openapi: &OpenAPI) -> Self {
        let taken = openapi
            .operations()
            .filter_map(|(_, _, op)| op.operation_id.clone())
            .collect();
        OperationIds { taken }
    }

    fn id_of(&mut self, op: &openapiv3::Operation, method: Method, path: &str) -> String {
        if let Some(id) = &op.operation_id {
            return id.clone();
        }
        let base = crate::naming::derived_operation_id(method.key(), path);
        let mut id = base.clone();
        let mut n = 2;
        while self.taken.contains(&id) {
            id = format!("{base}_{n}");
            n += 1;
        }
        self.taken.insert(id.clone());
        id
    }
}

fn methods(item: &PathItem) -> Vec<(Method, &openapiv3::Operation)> {
    let slots = [
        &item.get,
        &item.put,
        &item.post,
        &item.delete,
        &item.options,
        &item.head,
        &item.patch,
        &item.trace,
    ];
    Method::ALL
        .into_iter()
        .zip(slots)
        .filter_map(|(method, op)| op.as_ref().map(|op| (method, op)))
        .collect()
}

/// The order in which each path item lists its methods. `openapiv3` keeps
/// methods in fixed fields, so the spec's own order is read from the raw
/// document beforehand.
pub struct MethodOrder(BTreeMap<String, Vec<String>>);

impl MethodOrder {
    pub fn read(root: &Value) -> Self {
        let mut order = BTreeMap::new();
        if let Some(paths) = root.get("paths").and_then(Value::as_object) {
            for (path, item) in paths {
                let keys = item
                    .as_object()
                    .map(|item| item.keys().cloned().collect())
                    .unwrap_or_default();
                order.insert(path.clone(), keys);
            }
        }
        MethodOrder(order)
    }

    fn sorted<'a>(
        &self,
        path: &str,
        mut methods: Vec<(Method, &'a openapiv3::Operation)>,
    ) -> Vec<(Method, &'a openapiv3::Operation)> {
        if let Some(keys) = self.0.get(path) {
            methods.sort_by_key(|(method, _)| keys.iter().position(|k| k == method.key()));
        }
        methods
    }
}

/// The `{name}` segments of a path template, in order.
pub fn template_params(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

/// The help for a `{name}` no parameter declares: the declared path
/// parameter the path does not use, when it is a slip for `name` (`petid`
/// for `{petId}`), else how to declare one.
fn undeclared_help(error: Error, name: &str, unused: &[String]) -> Error {
    match crate::error::closest(name, unused.iter().map(String::as_str)) {
        Some(near) if near.eq_ignore_ascii_case(name) => error.with_help(format!(
            "did you mean \"{near}\"? (path parameter names are case-sensitive)"
        )),
        Some(near) => error.with_help(format!("did you mean \"{near}\"?")),
        None => error.with_help(format!(
            "declare {name:?} under the operation's or the path item's `parameters`, with `in: path`"
        )),
    }
}

/// Where an operation sits: its path, path item and their pointers.
struct Site<'o> {
    path: &'o str,
    item: &'o PathItem,
    item_at: &'o str,
    op: &'o openapiv3::Operation,
    at: &'o str,
}

struct OperationBuilder<'a> {
    openapi: &'a OpenAPI,
    file: &'a Path,
    api: &'a Api,
    shapes: &'a ShapeBuilder<'a>,
    notes: std::cell::RefCell<Vec<Approximation>>,
}

impl OperationBuilder<'_> {
    fn error(&self, at: &str, message: impl Into<String>) -> Error {
        Error::at_pointer(self.file, at, message)
    }

    fn note(&self, pointer: String, message: impl Into<String>) {
        self.notes.borrow_mut().push(Approximation {
            pointer,
            message: message.into(),
        });
    }

    fn operation(&self, site: &Site<'_>, method: Method, id: String) -> Result<Operation> {
        let Site { path, op, at, .. } = *site;
        let service = self.service(site)?;
        let auth = self.auth(op, at)?;
        let (params, mut routing) = self.params(site)?;
        for requirement in auth.alternatives() {
            for header in &requirement.routing {
                if !routing.contains(header) {
                    routing.push(header.clone());
                }
            }
        }
        let responses = self.responses(op, at)?;
        let lifecycle = declarations::lifecycle(self.file, at, op.deprecated, &op.extensions)?;
        let lifecycle = announced_in_headers(lifecycle, &responses);
        let operation = Operation {
            id,
            service,
            method,
            path: path.to_string(),
            summary: op.summary.clone(),
            description: op.description.clone(),
            tags: op.tags.clone(),
            auth,
            routing,
            params,
            body: self.body(op, at)?,
            responses,
            guards: declarations::guards(self.file, at, &op.extensions)?,
            effects: declarations::effects(self.file, at, &op.extensions)?,
            lifecycle,
            stability: declarations::stability(self.file, at, &op.extensions)?,
            idempotent: declarations::idempotent(self.file, at, &op.extensions)?,
            tool_name: declarations::tool_name(self.file, at, &op.extensions)?,
            command: declarations::command(self.file, at, &op.extensions)?,
            lint_allow: declarations::lint_allow(self.file, at, &op.extensions)?,
            pointer: at.to_string(),
        };
        super::validate::check_declarations(&operation, self.api, self.file)?;
        Ok(operation)
    }

    /// The declared service (`x-tiergen-service` on the operation or path
    /// item), else the one service whose path prefixes own the path.
    fn service(&self, site: &Site<'_>) -> Result<ServiceId> {
        // Servers the operation or its path item names decide first.
        let servers = [&site.op.servers, &site.item.servers];
        if let Some(server) = servers.into_iter().find_map(|list| list.first())
            && let Some(service) = self.api.services.iter().find(|s| s.base_url == server.url)
            && !declares_service(site)
        {
            return Ok(service.id.clone());
        }
        // The operation's own declaration wins over its path item's.
        let declaring = [
            (site.at, &site.op.extensions),
            (site.item_at, &site.item.extensions),
        ];
        for (at, extensions) in declaring {
            let Some(id) =
                declarations::read::<String>(self.file, at, extensions, declarations::SERVICE)?
            else {
                continue;
            };
            return match self.api.services.iter().find(|s| s.id.0 == id) {
                Some(service) => Ok(service.id.clone()),
                None => Err(self.error(
                    &format!("{at}/{}", declarations::SERVICE),
                    format!("unknown service {id:?}"),
                )),
            };
        }
        let (path, at) = (site.path, site.at);
        let owners: Vec<&ServiceId> = self
            .api
            .services
            .iter()
            .filter(|s| s.owns_path(path))
            .map(|s| &s.id)
            .collect();
        match owners.as_slice() {
            [one] => Ok((*one).clone()),
            [] => Err(self.error(
                at,
                format!("no service owns path {path:?}: add its prefix to a server's `x-tiergen-service`"),
            )),
            many => Err(self.error(
                at,
                format!("path {path:?} is owned by several services: {many:?}"),
            )),
        }
    }

    fn auth(&self, op: &openapiv3::Operation, at: &str) -> Result<Auth> {
        // (Scopes are kept per credential; a routing header has none.)
        let (requirements, req_at): (&[SecurityRequirement], String) =
            match (&op.security, &self.openapi.security) {
                (Some(own), _) => (own, format!("{at}/security")),
                (None, Some(global)) => (global, "/security".to_string()),
                (None, None) => (&[], String::new()),
            };
        if requirements.is_empty() {
            return Ok(Auth::Public);
        }
        let mut alternatives = Vec::new();
        for (i, requirement) in requirements.iter().enumerate() {
            let mut alternative = Requirement {
                credentials: Vec::new(),
                routing: Vec::new(),
                scopes: BTreeMap::new(),
            };
            for (name, scopes) in requirement {
                if self.api.credentials.iter().any(|c| &c.id.0 == name) {
                    let id = CredentialId(name.clone());
                    if !scopes.is_empty() {
                        alternative.scopes.insert(id.clone(), scopes.clone());
                    }
                    alternative.credentials.push(id);
                } else if self.api.routing_headers.iter().any(|r| &r.id.0 == name) {
                    alternative.routing.push(RoutingHeaderId(name.clone()));
                } else {
                    let error = self.error(
                        &format!("{req_at}/{i}/{}", escape_token(name)),
                        format!("unknown security scheme {name:?}"),
                    );
                    let known = self.api.credentials.iter().map(|c| c.id.0.as_str());
                    let known =
                        known.chain(self.api.routing_headers.iter().map(|r| r.id.0.as_str()));
                    return Err(match crate::error::closest(name, known) {
                        Some(near) => error.with_help(format!("did you mean \"{near}\"?")),
                        None => error.with_help(
                            "a requirement names a scheme declared under components.securitySchemes",
                        ),
                    });
                }
            }
            alternatives.push(alternative);
        }
        Ok(Auth::AnyOf(alternatives))
    }

    /// Path-item and operation parameters merged (the operation's win), with
    /// header parameters that repeat a routing header folded into `routing`.
    fn params(&self, site: &Site<'_>) -> Result<(Vec<Param>, Vec<RoutingHeaderId>)> {
        let (path, at) = (site.path, site.at);
        let mut merged: IndexMap<(ParamLocation, String), (Param, String)> = IndexMap::new();
        let sources = [
            (
                &site.item.parameters,
                format!("{}/parameters", site.item_at),
            ),
            (&site.op.parameters, format!("{at}/parameters")),
        ];
        for (list, list_at) in sources {
            for (i, param) in list.iter().enumerate() {
                let param_at = format!("{list_at}/{i}");
                let (param, param_at) = self.param(param, &param_at)?;
                merged.insert((param.location, param.name.clone()), (param, param_at));
            }
        }
        let mut routing = Vec::new();
        let mut params = Vec::new();
        let mut unused = Vec::new();
        for ((location, name), (param, param_at)) in merged {
            if location == ParamLocation::Path && !template_params(path).contains(&name.as_str()) {
                unused.push(name.clone());
                self.note(
                    param_at,
                    format!("path parameter {name:?} is absent from the path {path:?}; ignored"),
                );
                continue;
            }
            // OpenAPI: these header parameters "SHALL be ignored"; HTTP sets them.
            if location == ParamLocation::Header
                && ["accept", "content-type", "authorization"]
                    .contains(&name.to_ascii_lowercase().as_str())
            {
                continue;
            }
            // A parameter that repeats an apiKey credential (`api_key` in
            // the query, beside a scheme that puts it there) is that
            // credential: running tools send it from the environment, so it
            // is never an argument a caller (or a model) fills in.
            if self.repeats_credential(location, &name) {
                continue;
            }
            let routing_header = self.api.routing_headers.iter().find(|r| {
                location == ParamLocation::Header && r.header.eq_ignore_ascii_case(&name)
            });
            match routing_header {
                Some(header) if !routing.contains(&header.id) => routing.push(header.id.clone()),
                Some(_) => {}
                None => params.push(param),
            }
        }
        for name in template_params(path) {
            if !params
                .iter()
                .any(|p| p.location == ParamLocation::Path && p.name == name)
            {
                let error = self.error(
                    at,
                    format!("path parameter {{{name}}} is used in the path but not declared"),
                );
                return Err(undeclared_help(error, name, &unused));
            }
        }
        let order = template_params(path);
        params.sort_by_key(|p| match p.location {
            ParamLocation::Path => order
                .iter()
                .position(|n| *n == p.name)
                .unwrap_or(usize::MAX),
            _ => usize::MAX,
        });
        Ok((params, routing))
    }

    /// True when an apiKey credential travels as this parameter does.
    fn repeats_credential(&self, location: ParamLocation, name: &str) -> bool {
        self.api
            .credentials
            .iter()
            .any(|c| match (&c.placement, location) {
                (Placement::Query { name: key }, ParamLocation::Query)
                | (Placement::Cookie { name: key }, ParamLocation::Cookie) => key == name,
                (Placement::Header { name: key }, ParamLocation::Header) => {
                    key.eq_ignore_ascii_case(name)
                }
                _ => false,
            })
    }

    fn param(&self, param: &ReferenceOr<Parameter>, at: &str) -> Result<(Param, String)> {
        let (param, at) = self.resolve_component(param, at, "parameters", |c| &c.parameters)?;
        let (data, location, serialization) = serialization_of(param);
        let json_content = match &data.format {
            ParameterSchemaOrContent::Content(content) => content
                .keys()
                .next()
                .is_some_and(|media| is_json_media(media)),
            ParameterSchemaOrContent::Schema(_) => false,
        };
        let mut ty = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                self.shapes.any(schema, &format!("{at}/schema"))?
            }
            ParameterSchemaOrContent::Content(content) => match content.iter().next() {
                Some((media, m)) => match &m.schema {
                    Some(schema) => self.shapes.any(
                        schema,
                        &format!("{at}/content/{}/schema", escape_token(media)),
                    )?,
                    None => Type::new(Shape::Any),
                },
                None => Type::new(Shape::Any),
            },
        };
        if data.description.is_some() {
            ty.description = data.description.clone();
        }
        if data.extensions.get(super::shapes::SENSITIVE) == Some(&Value::Bool(true)) {
            ty.sensitive = true;
        }
        if !json_content && let Some(why) = undefined_serialization(serialization, &ty) {
            self.note(
                at.clone(),
                format!(
                    "{why} is undefined in OpenAPI's style table; tiergen sends it as exploded `form` would"
                ),
            );
        }
        let required = data.required || location == ParamLocation::Path;
        Ok((
            Param {
                name: data.name.clone(),
                location,
                required,
                ty,
                serialization,
                json_content,
                lifecycle: super::declarations::lifecycle(
                    self.file,
                    &at,
                    data.deprecated.unwrap_or(false),
                    &data.extensions,
                )?,
            },
            at,
        ))
    }

    /// Follows `$ref`s into one kind of component (`parameters`,
    /// `requestBodies`, `responses`), refusing dangling refs and ref loops.
    fn resolve_component<'o, T>(
        &'o self,
        value: &'o ReferenceOr<T>,
        at: &str,
        kind: &str,
        table: impl Fn(&'o openapiv3::Components) -> &'o IndexMap<String, ReferenceOr<T>>,
    ) -> Result<(&'o T, String)> {
        let prefix = format!("#/components/{kind}/");
        let mut current = value;
        let mut here = at.to_string();
        let mut hops = 0;
        loop {
            match current {
                ReferenceOr::Item(item) => return Ok((item, here)),
                ReferenceOr::Reference { reference } => {
                    let ref_at = format!("{here}/$ref");
                    let name = reference.strip_prefix(&prefix).ok_or_else(|| {
                        self.error(
                            &ref_at,
                            format!("$ref {reference:?} must point into {prefix}"),
                        )
                    })?;
                    let name = super::lower::percent_decode(name)
                        .replace("~1", "/")
                        .replace("~0", "~");
                    current = self
                        .openapi
                        .components
                        .as_ref()
                        .and_then(|c| table(c).get(&name))
                        .ok_or_else(|| {
                            self.error(&ref_at, format!("dangling $ref {reference:?}"))
                        })?;
                    here = format!("/components/{kind}/{}", escape_token(&name));
                    hops += 1;
                    if hops > 64 {
                        return Err(
                            self.error(&ref_at, format!("$ref cycle through {reference:?}"))
                        );
                    }
                }
            }
        }
    }

    fn body(&self, op: &openapiv3::Operation, at: &str) -> Result<Option<Body>> {
        let Some(body) = &op.request_body else {
            return Ok(None);
        };
        let (body, body_at): (&RequestBody, String) =
            self.resolve_component(body, &format!("{at}/requestBody"), "requestBodies", |c| {
                &c.request_bodies
            })?;
        let Some((media_type, ty)) = self.content(&body.content, &body_at)? else {
            // `content: {}` names no way to send anything: read as no body.
            self.note(
                format!("{body_at}/content"),
                "a request body with no media type is read as no body",
            );
            return Ok(None);
        };
        Ok(Some(Body {
            required: body.required,
            other_media_types: others(&body.content, &media_type),
            media_type,
            ty: ty.unwrap_or_else(|| Type::new(Shape::Any)),
        }))
    }

    fn response_headers(&self, response: &OaResponse, at: &str) -> Result<Vec<ResponseHeader>> {
        let mut headers = Vec::new();
        for (name, header) in &response.headers {
            let here = format!("{at}/headers/{}", escape_token(name));
            let (header, here) =
                self.resolve_component(header, &here, "headers", |c| &c.headers)?;
            let mut ty = match &header.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    self.shapes.any(schema, &format!("{here}/schema"))?
                }
                ParameterSchemaOrContent::Content(_) => Type::new(Shape::Any),
            };
            if header.description.is_some() {
                ty.description = header.description.clone();
            }
            headers.push(ResponseHeader {
                name: name.clone(),
                required: header.required,
                ty,
            });
        }
        Ok(headers)
    }

    /// The JSON media type if there is one, else the first; with its schema.
    fn content(
        &self,
        content: &IndexMap<String, openapiv3::MediaType>,
        at: &str,
    ) -> Result<Option<(String, Option<Type>)>> {
        let chosen = content
            .iter()
            .find(|(media, _)| media.as_str() == "application/json")
            .or_else(|| content.iter().find(|(media, _)| is_json_media(media)))
            .or_else(|| content.iter().next());
        let Some((media, media_type)) = chosen else {
            return Ok(None);
        };
        let ty = match &media_type.schema {
            Some(schema) => Some(self.shapes.any(
                schema,
                &format!("{at}/content/{}/schema", escape_token(media)),
            )?),
            None => None,
        };
        Ok(Some((media.clone(), ty)))
    }

    fn responses(&self, op: &openapiv3::Operation, at: &str) -> Result<Vec<Response>> {
        let mut out = Vec::new();
        let listed = op.responses.responses.iter().map(|(code, r)| {
            let status = match code {
                StatusCode::Code(n) => Status::Code(*n),
                StatusCode::Range(n) => Status::Range(*n),
            };
            (status, r)
        });
        for (status, response) in
            listed.chain(op.responses.default.iter().map(|r| (Status::Default, r)))
        {
            let key = match status {
                Status::Range(n) => format!("{n}XX"),
                other => other.to_string(),
            };
            let here = format!("{at}/responses/{key}");
            let (response, response_at): (&OaResponse, String) =
                self.resolve_component(response, &here, "responses", |c| &c.responses)?;
            let (media_type, ty) = match self.content(&response.content, &response_at)? {
                Some((media, ty)) => (Some(media), ty),
                None => (None, None),
            };
            out.push(Response {
                status,
                description: response.description.clone(),
                other_media_types: media_type
                    .as_deref()
                    .map(|chosen| others(&response.content, chosen))
                    .unwrap_or_default(),
                media_type,
                ty,
                headers: self.response_headers(response, &response_at)?,
            });
        }
        Ok(out)
    }
}

/// `application/json`, `application/problem+json`, `application/vnd.x+json; charset=utf-8`…
/// A parameter's data, where it goes and how it is written, with OpenAPI's
/// defaults for what the spec leaves out.
fn serialization_of(param: &Parameter) -> (&ParameterData, ParamLocation, Serialization) {
    let (data, location, style, allow_reserved) = match param {
        Parameter::Query {
            parameter_data,
            style,
            allow_reserved,
            ..
        } => {
            let style = match style {
                QueryStyle::Form => ParamStyle::Form,
                QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                QueryStyle::DeepObject => ParamStyle::DeepObject,
            };
            (parameter_data, ParamLocation::Query, style, *allow_reserved)
        }
        Parameter::Path {
            parameter_data,
            style,
        } => {
            let style = match style {
                PathStyle::Matrix => ParamStyle::Matrix,
                PathStyle::Label => ParamStyle::Label,
                PathStyle::Simple => ParamStyle::Simple,
            };
            (parameter_data, ParamLocation::Path, style, false)
        }
        Parameter::Header { parameter_data, .. } => (
            parameter_data,
            ParamLocation::Header,
            ParamStyle::Simple,
            false,
        ),
        Parameter::Cookie { parameter_data, .. } => (
            parameter_data,
            ParamLocation::Cookie,
            ParamStyle::Form,
            false,
        ),
    };
    let serialization = Serialization {
        style,
        explode: data.explode.unwrap_or(style.explodes_by_default()),
        allow_reserved,
    };
    (data, location, serialization)
}

/// What makes a query parameter's serialization one the Style Examples
/// table marks *n/a*, as far as its own schema tells (a `$ref`'s target is
/// not looked through).
fn undefined_serialization(serialization: Serialization, ty: &Type) -> Option<String> {
    let style = serialization.style.as_str();
    let delimited = matches!(
        serialization.style,
        ParamStyle::SpaceDelimited | ParamStyle::PipeDelimited
    );
    let kind = match &ty.shape {
        Shape::Scalar { .. } | Shape::Enum { .. } | Shape::Const { .. } => Some("a scalar"),
        Shape::Array { .. } => Some("an array"),
        Shape::Object { .. } | Shape::Map { .. } => Some("an object"),
        _ => None,
    };
    match (serialization.style, serialization.explode, kind) {
        (_, true, _) if delimited => Some(format!("`style: {style}` with `explode: true`")),
        (ParamStyle::DeepObject, false, _) => {
            Some("`style: deepObject` with `explode: false`".into())
        }
        (ParamStyle::DeepObject, _, Some(kind)) if kind != "an object" => {
            Some(format!("`style: deepObject` for {kind}"))
        }
        (_, _, Some("a scalar")) if delimited => Some(format!("`style: {style}` for a scalar")),
        _ => None,
    }
}

fn is_json_media(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or_default().trim();
    essence == "application/json" || essence.ends_with("+json")
}

/// The media types of `content` other than `chosen`, in spec order.
fn others(content: &IndexMap<String, openapiv3::MediaType>, chosen: &str) -> Vec<String> {
    content
        .keys()
        .filter(|media| media.as_str() != chosen)
        .cloned()
        .collect()
}

/// True when the operation or its path item names its service explicitly.
fn declares_service(site: &Site<'_>) -> bool {
    site.op.extensions.contains_key(declarations::SERVICE)
        || site.item.extensions.contains_key(declarations::SERVICE)
}

/// An operation whose success answers declare a `Deprecation` header
/// (RFC 9745) is deprecated, and a `Sunset` header (RFC 8594) whose value
/// the spec fixes (`const` or `default`, an HTTP date or `YYYY-MM-DD`)
/// gives its sunset date, where `x-sunset` does not.
fn announced_in_headers(mut lifecycle: Lifecycle, responses: &[Response]) -> Lifecycle {
    let headers = responses
        .iter()
        .filter(|r| r.status.is_success())
        .flat_map(|r| &r.headers);
    for header in headers {
        if header.name.eq_ignore_ascii_case("deprecation") {
            lifecycle.deprecated = true;
        }
        if header.name.eq_ignore_ascii_case("sunset") && lifecycle.sunset.is_none() {
            let fixed = match &header.ty.shape {
                Shape::Const { value, .. } => Some(value),
                _ => header.ty.default.as_ref(),
            };
            lifecycle.sunset = fixed
                .and_then(Value::as_str)
                .and_then(|text| Date::parse(text).or_else(|| Date::parse_http(text)));
        }
    }
    lifecycle
}
