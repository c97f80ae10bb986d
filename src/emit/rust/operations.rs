//! One module per service: its client, one method per operation (two where a
//! dry-run or destructive flag makes a different call), and per operation the
//! sealed trait of credential sets it accepts, its error enum and, when it
//! has several success answers, its response enum.

use std::collections::HashMap;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::answers::{
    Outcome, Payload, arm_rank, distinct_payloads, failure_arm, failure_value, payload, reason,
    success_arm, success_for, success_value,
};
use super::guards::{self, Call};
use super::params::{
    BodyPlan, ParamKind, ParamPlan, param_kind, param_type, path_text, push_query, send_body,
    send_param,
};
use super::support::Needs;
use super::types::TypeTable;
use super::{doc, ident};
use crate::ir::{
    Api, Auth, Body, BodyEncoding, Guard, Method, Operation, ParamLocation, Response, Service,
    Shape, Status,
};
use crate::naming::plan::CredentialNames;
use crate::naming::{self, RUST_KEYWORDS, Scope, Suffix};

/// What a service module needs from the rest of the crate.
pub struct Context<'a> {
    pub api: &'a Api,
    pub credentials: &'a CredentialNames,
    /// Each operation's method names (the plan's, which the docs show).
    pub methods: &'a HashMap<String, Vec<String>>,
}

/// A service's module; records in `needs` the runtime helpers it calls.
pub fn service_file(
    context: &Context<'_>,
    service: &Service,
    client: &str,
    table: &mut TypeTable<'_>,
    needs: &mut Needs,
) -> Result<ServiceFile, String> {
    // Names the module already has: its imports (every credential type comes
    // in through the glob) and its client.
    let mut types = Scope::rust_types();
    for taken in ["Error", "Credentials", "models", client] {
        types.occupy(taken);
    }
    for credential in context.credentials.all() {
        types.occupy(credential);
    }
    let mut methods = Vec::new();
    let mut method_names = Vec::new();
    let mut items = Vec::new();
    for op in context.api.operations_of(&service.id) {
        let base = naming::operation(context.api, op);
        let claimed = types.claim(&naming::upper_camel(&base));
        // Only ever the start of the operation's type names.
        let camel = naming::prefix(&claimed);
        let builder = OperationBuilder { context, op, camel };
        let plan = builder.plan(table, &mut types, needs)?;
        items.extend(plan.items);
        let names = context.methods.get(&op.id);
        for (i, call) in plan.calls.iter().enumerate() {
            let name = names
                .and_then(|n| n.get(i))
                .cloned()
                .ok_or_else(|| format!("{}: no method name planned for call {i}", op.id))?;
            methods.push(builder.method(&name, call, &plan.signature));
            if i == 0 {
                method_names.push((op.id.clone(), name));
            }
        }
    }
    // Import only what the module uses: a spec without security has no
    // credentials module, and unused imports would fail `-D warnings`.
    let secured = context
        .api
        .operations_of(&service.id)
        .any(|op| matches!(op.auth, Auth::AnyOf(_)) || !op.routing.is_empty());
    let client_item = client_struct(service, client, &methods, secured);
    let doc_text = format!(
        "The {} service: [`{client}`] and what its operations accept and return.",
        doc::inline(&service.name)
    );
    let module_docs = doc::inner_attrs(&doc_text);
    let mut body = vec![client_item];
    body.extend(items);
    let credentials = secured.then(|| quote! { use crate::credentials::*; });
    let imports = if body
        .iter()
        .any(|item| item.to_string().contains("models ::"))
    {
        quote! { use crate::{models, Error}; }
    } else {
        quote! { use crate::Error; }
    };
    Ok(ServiceFile {
        head: quote! {
            #module_docs

            #credentials
            #imports
        },
        items: body,
        method_names,
    })
}

/// A service's module: its docs and imports, then its items (the client,
/// then each operation's types), kept apart so each is laid out on its own
/// and a large service never exists as one syntax tree.
pub struct ServiceFile {
    pub head: TokenStream,
    pub items: Vec<TokenStream>,
    /// Each operation's id and the name of its first method (the plain
    /// call), as claimed among the client's methods.
    pub method_names: Vec<(String, String)>,
}

fn client_struct(
    service: &Service,
    client: &str,
    methods: &[TokenStream],
    secured: bool,
) -> TokenStream {
    let client_ident = ident(client);
    let absolute =
        service.base_url.starts_with("https://") || service.base_url.starts_with("http://");
    let mut doc_text = format!(
        "Client for the {} at {}.",
        doc::inline(&service.name),
        doc::code(&service.base_url)
    );
    if let Some(description) = &service.description {
        doc_text.push_str("\n\n");
        doc_text.push_str(&doc::prose(description));
    }
    if !service.alternate_urls.is_empty() {
        let urls: Vec<String> = service
            .alternate_urls
            .iter()
            .map(|u| doc::code(u))
            .collect();
        doc_text.push_str(&format!(
            "\n\nThe spec also lists {}: reach one with `with_base_url`.",
            urls.join(", ")
        ));
    }
    if secured {
        doc_text.push_str(
            "\n\nEvery method takes the credential set the spec accepts for that operation; \
             any other does not compile.",
        );
    }
    let docs = doc::attrs(&doc_text);
    let constructor = absolute.then(|| default_constructor(service));
    let default_impl = (absolute && service.variables.is_empty()).then(|| {
        quote! {
            impl Default for #client_ident {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    quote! {
        #docs
        #[derive(Clone, Debug)]
        pub struct #client_ident {
            base_url: String,
            http: reqwest::Client,
        }

        impl #client_ident {
            #constructor

            /// A client for any base URL: staging, a proxy, a test server.
            pub fn with_base_url(base_url: impl Into<String>) -> Self {
                let base_url: String = base_url.into();
                Self {
                    base_url: base_url.trim_end_matches('/').to_owned(),
                    http: crate::runtime::http_client(),
                }
            }

            /// Sends through this `reqwest::Client` (timeouts, proxies, middleware).
            /// With the `rustls` feature, a client built by hand needs a rustls
            /// crypto provider installed first (the default one installs ring).
            pub fn with_http_client(mut self, http: reqwest::Client) -> Self {
                self.http = http;
                self
            }

            /// The base URL every path is appended to.
            pub fn base_url(&self) -> &str {
                &self.base_url
            }

            #(#methods)*
        }

        #default_impl
    }
}

/// `new(...)`: the spec's server URL with its variables filled in.
fn default_constructor(service: &Service) -> TokenStream {
    // One parameter per declared variable, in declaration order; each
    // `{name}` in the URL is replaced by its value.
    let mut scope = Scope::new(RUST_KEYWORDS, Suffix::Underscore);
    let mut params = Vec::new();
    let base_url = &service.base_url;
    let mut url = quote! { String::from(#base_url) };
    for variable in &service.variables {
        let arg = ident(&scope.claim(&naming::snake(&variable.name)));
        let placeholder = format!("{{{}}}", variable.name);
        params.push(quote! { #arg: &str });
        url = quote! { #url.replace(#placeholder, #arg) };
    }
    let mut doc_text = format!("A client for {}.", doc::code(&service.base_url));
    for variable in &service.variables {
        let mut line = format!("\n- {}", doc::code(&variable.name));
        line.push_str(&format!(" (e.g. {})", doc::code(&variable.default)));
        if let Some(description) = &variable.description {
            line.push_str(&format!(": {}", doc::inline(description)));
        }
        doc_text.push_str(&line);
    }
    let docs = doc::attrs(&doc_text);
    let url = if service.variables.is_empty() {
        quote! { #base_url }
    } else {
        url
    };
    quote! {
        #docs
        pub fn new(#(#params),*) -> Self {
            Self::with_base_url(#url)
        }
    }
}

/// What every call of one operation shares.
struct Signature {
    auth_trait: Option<String>,
    params: Vec<ParamPlan>,
    body: Option<BodyPlan>,
    error: TokenStream,
    success: Vec<Outcome>,
    failures: Vec<Outcome>,
    response_enum: Option<String>,
    routing_params: Vec<(String, String, String)>,
    /// The confirm and force checks, run before anything is sent.
    guard_checks: TokenStream,
    /// The `Accept` header, when some success answer comes in several media
    /// types: the ones this client reads.
    accept: Option<String>,
}

struct Plan<'g> {
    signature: Signature,
    calls: Vec<Call<'g>>,
    items: Vec<TokenStream>,
}

struct OperationBuilder<'a, 'o> {
    context: &'a Context<'a>,
    op: &'o Operation,
    camel: &'a str,
}

impl<'a, 'o> OperationBuilder<'a, 'o> {
    fn plan(
        &self,
        table: &mut TypeTable<'_>,
        types: &mut Scope,
        needs: &mut Needs,
    ) -> Result<Plan<'o>, String> {
        let op = self.op;
        let calls = self.calls();
        let consumed: Vec<&str> = calls.iter().filter_map(Call::consumes).collect();
        let mut items = Vec::new();

        let auth_trait = match &op.auth {
            Auth::Public => None,
            Auth::AnyOf(_) => {
                let name = types.claim(&format!("{}Auth", self.camel));
                items.push(self.auth_trait(&name));
                Some(name)
            }
        };

        let mut scope = Scope::new(RUST_KEYWORDS, Suffix::Underscore);
        for local in ["url", "request", "answer", "status"] {
            scope.occupy(local);
        }
        if auth_trait.is_some() {
            scope.occupy("auth");
        }
        let mut params = Vec::new();
        for location in [
            ParamLocation::Path,
            ParamLocation::Query,
            ParamLocation::Header,
            ParamLocation::Cookie,
        ] {
            for param in op.params_in(location) {
                if location == ParamLocation::Query && consumed.contains(&param.name.as_str()) {
                    continue;
                }
                let hint = format!("{}{}", self.camel, naming::upper_camel(&param.name));
                let kind = param_kind(self.context.api, &param.ty);
                let place = format!(
                    "the {} parameter `{}` of `{}`",
                    location.as_str(),
                    param.name,
                    op.id
                );
                let ty = match (&param.ty.shape, kind) {
                    (Shape::Array { items, .. }, ParamKind::List) => {
                        table.non_null_type_of(items, &format!("{hint}Item"), &place)
                    }
                    _ => table.non_null_type_of(&param.ty, &hint, &place),
                };
                params.push(ParamPlan {
                    ident: scope.claim(&naming::snake(&param.name)),
                    wire: param.name.clone(),
                    location,
                    required: param.required || location == ParamLocation::Path,
                    kind,
                    ty,
                    serialization: param.serialization,
                    json_content: param.json_content,
                });
            }
        }
        let placed = |location: ParamLocation| params.iter().any(|p| p.location == location);
        needs.path_segments |= placed(ParamLocation::Path);
        needs.header_params |= placed(ParamLocation::Header);
        needs.cookie_params |= placed(ParamLocation::Cookie);
        needs.styled_values |= params.iter().any(|p| !p.json_content);
        needs.json_content |= params.iter().any(|p| p.json_content);
        needs.object_params |= params
            .iter()
            .any(|p| !p.json_content && p.kind == ParamKind::Json);
        let routing_params = if op.auth == Auth::Public {
            op.routing
                .iter()
                .filter_map(|id| {
                    let header = self.context.api.routing_header(id)?;
                    let name = scope.claim(&naming::snake(&id.0));
                    Some((
                        name,
                        self.context.credentials.routing(id),
                        header.header.clone(),
                    ))
                })
                .collect()
        } else {
            Vec::new()
        };
        let body = op
            .body
            .as_ref()
            .map(|body| self.body_plan(body, &mut scope, table, needs));

        let (success, failures) = self.outcomes(table);
        if failures
            .iter()
            .any(|f| matches!(f.payload, Payload::Json(_)))
        {
            needs.decoded_errors = true;
        }
        if success
            .iter()
            .chain(&failures)
            .any(|o| matches!(o.payload, Payload::Text))
        {
            needs.text = true;
        }
        if success
            .iter()
            .chain(&failures)
            .any(|o| matches!(o.payload, Payload::Json(_)))
        {
            needs.json = true;
        }
        // Parameters are written by `crate::style`; reqwest's query builder
        // only adds a dry-run's or a destructive flag's fixed value.
        if calls.iter().any(|call| call.consumes().is_some()) {
            needs.query = true;
        }
        let error = if failures.is_empty() {
            quote! { std::convert::Infallible }
        } else {
            let name = types.claim(&format!("{}Error", self.camel));
            items.push(self.error_enum(&name, &failures));
            let name = ident(&name);
            quote! { #name }
        };
        let needs_enum = calls
            .iter()
            .any(|call| distinct_payloads(&success_for(call, &success)) > 1);
        let response_enum = needs_enum.then(|| {
            let name = types.claim(&format!("{}Response", self.camel));
            items.push(self.response_enum(&name, &success));
            name
        });
        for guard in &op.guards {
            match guard {
                Guard::Confirm { .. } => needs.confirm = true,
                Guard::Force { .. } => needs.force = true,
                _ => {}
            }
        }
        let guard_checks = guards::checks(self.op, &params, body.as_ref(), table)?;
        let accept = op
            .responses
            .iter()
            .any(|r| r.status.is_success() && !r.other_media_types.is_empty())
            .then(|| {
                let mut read: Vec<&str> = Vec::new();
                for response in op.responses.iter().filter(|r| r.status.is_success()) {
                    if let Some(media) = response.media_type.as_deref()
                        && !read.contains(&media)
                    {
                        read.push(media);
                    }
                }
                read.join(", ")
            })
            .filter(|accept| !accept.is_empty());
        Ok(Plan {
            signature: Signature {
                auth_trait,
                params,
                body,
                error,
                success,
                failures,
                response_enum,
                routing_params,
                guard_checks,
                accept,
            },
            calls,
            items,
        })
    }

    fn calls(&self) -> Vec<Call<'o>> {
        let mut calls = Vec::new();
        let mut excluded = None;
        for guard in &self.op.guards {
            match guard {
                Guard::DryRun { param, status } => {
                    excluded = Some(*status);
                    calls.push(Call::DryRun {
                        param,
                        status: *status,
                    });
                }
                Guard::DestructiveFlag {
                    param,
                    value,
                    effect,
                } => calls.push(Call::Flag {
                    param,
                    value,
                    effect,
                }),
                _ => {}
            }
        }
        calls.insert(0, Call::Plain { excluded });
        calls
    }

    fn body_plan(
        &self,
        body: &Body,
        scope: &mut Scope,
        table: &mut TypeTable<'_>,
        needs: &mut Needs,
    ) -> BodyPlan {
        let encoding = self.context.api.body_encoding(body);
        let place = format!("the request body of `{}`", self.op.id);
        let hint = format!("{}Request", self.camel);
        let ty = match encoding {
            BodyEncoding::Json | BodyEncoding::Form => table.type_of(&body.ty, &hint, &place),
            BodyEncoding::Multipart => table.multipart_type_of(&body.ty, &hint, &place),
            BodyEncoding::Text => quote! { str },
            BodyEncoding::Binary | BodyEncoding::Unsupported => quote! { [u8] },
        };
        // Models are written `models::Name`; that name keys the field table.
        let struct_name = ty
            .to_string()
            .strip_prefix("models :: ")
            .map(str::to_string);
        let fields = match encoding {
            BodyEncoding::Form | BodyEncoding::Multipart => struct_name
                .as_deref()
                .and_then(|name| table.struct_fields(name))
                .cloned(),
            _ => None,
        };
        match encoding {
            BodyEncoding::Json => needs.json_body = true,
            BodyEncoding::Form => needs.form = true,
            BodyEncoding::Multipart => needs.multipart = true,
            BodyEncoding::Binary | BodyEncoding::Text | BodyEncoding::Unsupported => {}
        }
        if matches!(encoding, BodyEncoding::Form | BodyEncoding::Multipart) {
            match &fields {
                Some(fields) => {
                    needs.fields_value |= fields.fields.iter().any(|f| !f.bytes);
                    needs.fields_bytes |= fields.fields.iter().any(|f| f.bytes);
                    needs.fields_object |= fields.additional.is_some();
                }
                None => needs.fields_object = true,
            }
        }
        BodyPlan {
            ident: scope.claim("body"),
            required: body.required,
            ty,
            struct_name,
            encoding,
            content_type: content_type(encoding, &body.media_type),
            fields,
        }
    }

    /// Success and failure outcomes, in the spec's order.
    fn outcomes(&self, table: &mut TypeTable<'_>) -> (Vec<Outcome>, Vec<Outcome>) {
        let mut variants = Scope::new(RUST_KEYWORDS, Suffix::Plain);
        let mut success = Vec::new();
        let mut failures = Vec::new();
        for response in &self.op.responses {
            let variant = variants.claim(&self.variant_name(response));
            let hint = if response.status.is_success() {
                format!("{}Response", self.camel)
            } else {
                format!("{}{}", self.camel, variant)
            };
            let outcome = Outcome {
                status: response.status,
                variant,
                payload: payload(
                    response,
                    table,
                    &hint,
                    &format!("the {} answer of `{}`", response.status, self.op.id),
                ),
                doc: doc::prose(&response.description),
            };
            if response.status.is_success() {
                success.push(outcome);
            } else {
                failures.push(outcome);
            }
        }
        (success, failures)
    }

    fn variant_name(&self, response: &Response) -> String {
        if let Status::Code(code) = response.status {
            let precondition = self.op.guards.iter().find_map(|g| match g {
                Guard::Precondition {
                    status, code: name, ..
                } if *status == code => Some(name),
                _ => None,
            });
            if let Some(name) = precondition {
                return naming::upper_camel(name);
            }
        }
        match response.status {
            Status::Code(code) => reason(code)
                .map(str::to_string)
                .unwrap_or_else(|| format!("Status{code}")),
            Status::Range(class) => format!("Status{class}xx"),
            Status::Default => "Default".to_string(),
        }
    }

    fn auth_trait(&self, name: &str) -> TokenStream {
        let trait_ident = ident(name);
        let mut alternatives: Vec<TokenStream> = self
            .op
            .auth
            .alternatives()
            .iter()
            .map(|alternative| {
                let mut types: Vec<TokenStream> = alternative
                    .credentials
                    .iter()
                    .map(|c| {
                        let ident = ident(&self.context.credentials.credential(c));
                        quote! { #ident }
                    })
                    .collect();
                types.extend(alternative.routing.iter().map(|r| {
                    let ident = ident(&self.context.credentials.routing(r));
                    quote! { #ident }
                }));
                match types.as_slice() {
                    [one] => one.clone(),
                    many => quote! { (#(#many),*) },
                }
            })
            .collect();
        // The same alternative twice would be the same impl twice.
        let mut seen = std::collections::BTreeSet::new();
        alternatives.retain(|a| seen.insert(a.to_string()));
        let accepted = alternatives
            .iter()
            .map(|a| format!("`{}`", compact(a)))
            .collect::<Vec<_>>()
            .join(" or ");
        // Braces are the attribute's placeholders: the id's own are doubled.
        let message = format!(
            "`{{Self}}` is not a credential set that `{}` accepts",
            self.op.id.replace('{', "{{").replace('}', "}}")
        );
        let label = format!("accepts only {accepted}");
        let note = format!("the spec accepts {accepted}");
        let docs = doc::attrs(&format!(
            "The credential sets {} accepts: {accepted}. Sealed.",
            doc::code(&self.op.id)
        ));
        let impls = alternatives
            .iter()
            .map(|a| quote! { impl #trait_ident for #a {} });
        quote! {
            #docs
            #[diagnostic::on_unimplemented(message = #message, label = #label, note = #note)]
            pub trait #trait_ident: Credentials {}
            #(#impls)*
        }
    }

    fn error_enum(&self, name: &str, failures: &[Outcome]) -> TokenStream {
        let enum_ident = ident(name);
        let variants = failures.iter().map(|f| {
            let variant = ident(&f.variant);
            let docs = doc::attrs(&doc::after(&format!("{}:", f.status), &f.doc));
            match (&f.payload, f.status) {
                (Payload::Nothing, Status::Code(_)) => quote! { #docs #variant, },
                (payload, Status::Code(_)) => {
                    let ty = payload.ty();
                    quote! { #docs #variant(#ty), }
                }
                (payload, _) => {
                    let ty = payload.ty();
                    quote! { #docs #variant { status: u16, body: #ty }, }
                }
            }
        });
        let statuses = failures.iter().map(|f| {
            let variant = ident(&f.variant);
            match (&f.payload, f.status) {
                (Payload::Nothing, Status::Code(code)) => {
                    let code = Literal::u16_unsuffixed(code);
                    quote! { Self::#variant => #code, }
                }
                (_, Status::Code(code)) => {
                    let code = Literal::u16_unsuffixed(code);
                    quote! { Self::#variant(_) => #code, }
                }
                _ => quote! { Self::#variant { status, .. } => *status, },
            }
        });
        let docs = doc::attrs(&format!(
            "The error answers {} documents, each with its decoded body.",
            doc::code(&self.op.id)
        ));
        // Clippy's size lint fires when one variant outgrows the others,
        // which only variants of different shapes can do; bodies are as
        // large as the spec makes them.
        let shapes: std::collections::BTreeSet<String> = failures
            .iter()
            .map(|f| match f.status {
                Status::Code(_) => f.payload.ty().to_string(),
                _ => format!("{{ status, {} }}", f.payload.ty()),
            })
            .collect();
        let allow = (shapes.len() > 1).then(|| quote! { #[allow(clippy::large_enum_variant)] });
        quote! {
            #docs
            #[derive(Clone, Debug, PartialEq)]
            #allow
            pub enum #enum_ident {
                #(#variants)*
            }

            impl #enum_ident {
                /// The HTTP status of this answer.
                pub fn status(&self) -> u16 {
                    match self {
                        #(#statuses)*
                    }
                }
            }
        }
    }

    fn response_enum(&self, name: &str, success: &[Outcome]) -> TokenStream {
        let enum_ident = ident(name);
        let variants = success.iter().map(|s| {
            let variant = ident(&s.variant);
            let ty = s.payload.ty();
            let docs = doc::attrs(&doc::after(&format!("{}:", s.status), &s.doc));
            quote! { #docs #variant(#ty), }
        });
        let docs = doc::attrs(&format!(
            "The success answers of {}.",
            doc::code(&self.op.id)
        ));
        // Answers are as large as the spec makes them; boxing one would
        // only move the allocation.
        quote! {
            #docs
            #[derive(Clone, Debug, PartialEq)]
            #[allow(clippy::large_enum_variant)]
            pub enum #enum_ident {
                #(#variants)*
            }
        }
    }

    fn method(&self, name: &str, call: &Call<'_>, sig: &Signature) -> TokenStream {
        let op = self.op;
        let method_ident = ident(name);
        let success = success_for(call, &sig.success);
        let (return_ty, wrap): (TokenStream, Option<TokenStream>) =
            if distinct_payloads(&success) > 1 {
                let name = sig.response_enum.as_deref().unwrap_or("Response");
                let name = ident(name);
                (quote! { #name }, Some(quote! { #name }))
            } else {
                let ty = success
                    .first()
                    .map(|s| s.payload.ty())
                    .unwrap_or_else(|| quote! { () });
                (ty, None)
            };
        let error = &sig.error;

        let mut inputs = Vec::new();
        let mut generics = Vec::new();
        if let Some(trait_name) = &sig.auth_trait {
            let trait_ident = ident(trait_name);
            generics.push(quote! { A: #trait_ident + ?Sized });
            inputs.push(quote! { auth: &A });
        }
        for p in &sig.params {
            let p_ident = ident(&p.ident);
            let ty = param_type(p);
            inputs.push(quote! { #p_ident: #ty });
        }
        for (param, ty, _) in &sig.routing_params {
            let p_ident = ident(param);
            let ty = ident(ty);
            inputs.push(quote! { #p_ident: Option<&#ty> });
        }
        if let Some(body) = &sig.body {
            let b_ident = ident(&body.ident);
            let ty = &body.ty;
            if body.required {
                inputs.push(quote! { #b_ident: &#ty });
            } else {
                inputs.push(quote! { #b_ident: Option<&#ty> });
            }
        }

        let guards = &sig.guard_checks;
        let url = self.url(sig);
        let method = http_method(op.method);
        let auth = sig
            .auth_trait
            .as_ref()
            .map(|_| quote! { let request = auth.apply(request); });
        let accept = sig
            .accept
            .as_ref()
            .map(|accept| quote! { let request = request.header("accept", #accept); });
        let fixed_query = match call {
            Call::Plain { .. } => None,
            Call::DryRun { param, .. } => {
                Some(quote! { let request = request.query(&[(#param, "true")]); })
            }
            Call::Flag { param, value, .. } => {
                Some(quote! { let request = request.query(&[(#param, #value)]); })
            }
        };
        let query_params: Vec<_> = sig
            .params
            .iter()
            .filter(|p| p.location == ParamLocation::Query)
            .map(push_query)
            .collect();
        let query = (!query_params.is_empty()).then(|| {
            quote! {
                let mut query = crate::style::Query::default();
                #(#query_params)*
                let url = query.finish(url);
            }
        });
        let params = sig
            .params
            .iter()
            .filter(|p| matches!(p.location, ParamLocation::Header | ParamLocation::Cookie))
            .map(send_param);
        let routing = sig.routing_params.iter().map(|(param, _, _)| {
            let p_ident = ident(param);
            quote! {
                let request = match #p_ident {
                    Some(routing) => routing.apply(request),
                    None => request,
                };
            }
        });
        let body = sig.body.as_ref().map(send_body);
        let mut outcomes: Vec<(&Outcome, bool)> = success.iter().map(|s| (*s, true)).collect();
        outcomes.extend(sig.failures.iter().map(|f| (f, false)));
        outcomes.sort_by_key(|(o, _)| arm_rank(o.status));
        let arms = outcomes.iter().map(|(o, is_success)| {
            if *is_success {
                success_arm(o, wrap.as_ref())
            } else {
                failure_arm(o, error)
            }
        });
        let fallback = (!outcomes.iter().any(|(o, _)| o.status == Status::Default))
            .then(|| quote! { _ => answer.unexpected(), });
        let arms: Vec<TokenStream> = arms.collect();
        // A match whose only arm is `_` is that arm's value (clippy says so).
        let answer = match (outcomes.as_slice(), &fallback) {
            ([], _) => quote! { answer.unexpected() },
            ([(only, is_success)], None) => {
                if *is_success {
                    success_value(only, wrap.as_ref())
                } else {
                    failure_value(only, error)
                }
            }
            _ => quote! {
                match answer.status {
                    #(#arms)*
                    #fallback
                }
            },
        };
        let docs = doc::attrs(&self.method_doc(call, sig));
        let generics = (!generics.is_empty()).then(|| quote! { <#(#generics),*> });
        // Positional arguments mirror the spec's parameters one to one, even when
        // that is more than clippy's default of seven.
        let many = (inputs.len() + 1 > 7).then(|| quote! { #[allow(clippy::too_many_arguments)] });
        quote! {
            #docs
            #many
            pub async fn #method_ident #generics(&self, #(#inputs),*) -> Result<#return_ty, Error<#error>> {
                #guards
                let url = #url;
                #query
                let request = self.http.request(#method, url);
                #auth
                #accept
                #fixed_query
                #(#params)*
                #(#routing)*
                #body
                let answer = crate::runtime::send(request).await?;
                #answer
            }
        }
    }

    /// The request URL: the base URL, the path's literal pieces and its
    /// parameters, each percent-encoded as one segment.
    fn url(&self, sig: &Signature) -> TokenStream {
        let mut pieces = vec![quote! { self.base_url.as_str() }];
        let mut rest = self.op.path.as_str();
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| open + c) else {
                break;
            };
            let name = &rest[open + 1..close];
            let param = sig
                .params
                .iter()
                .find(|p| p.location == ParamLocation::Path && p.wire == name);
            match param {
                Some(p) => {
                    let literal = &rest[..open];
                    if !literal.is_empty() {
                        pieces.push(quote! { #literal });
                    }
                    pieces.push(path_text(p));
                    rest = &rest[close + 1..];
                }
                None => {
                    let literal = &rest[..=close];
                    pieces.push(quote! { #literal });
                    rest = &rest[close + 1..];
                }
            }
        }
        if !rest.is_empty() {
            pieces.push(quote! { #rest });
        }
        quote! { [#(#pieces),*].concat() }
    }

    fn method_doc(&self, call: &Call<'_>, sig: &Signature) -> String {
        let op = self.op;
        let mut parts = Vec::new();
        let mut head = op
            .summary
            .as_deref()
            .map(doc::inline)
            .unwrap_or_else(|| doc::code(&op.id));
        match call {
            Call::Plain { .. } => {}
            Call::DryRun { param, status } => head.push_str(&format!(
                " — **dry run**: sends {}; validates and echoes ({status}) without acting.",
                doc::code(&format!("?{param}=true"))
            )),
            Call::Flag {
                param,
                value,
                effect,
            } => head.push_str(&format!(
                " — **permanent**: sends {}, which {}.",
                doc::code(&format!("?{param}={value}")),
                doc::inline(effect)
            )),
        }
        parts.push(head);
        parts.push(format!("`{} {}`", op.method, op.path.replace('`', "'")));
        if let Some(description) = &op.description {
            parts.push(doc::prose(description));
        }
        parts.push(self.auth_doc());
        if let Some(body) = sig.body.as_ref().and_then(|b| self.body_doc(b)) {
            parts.push(body);
        }
        if let Some(answers) = self.answers_doc(sig) {
            parts.push(answers);
        }
        let guards: Vec<String> = op
            .guards
            .iter()
            .map(|g| {
                let enforced = match g {
                    Guard::Confirm { .. } | Guard::Force { .. } => {
                        " Checked by this client before sending: a mismatch returns `Error::Guard` and sends nothing."
                    }
                    Guard::DryRun { .. } => " This client has a separate `…_dry_run` method for it.",
                    Guard::DestructiveFlag { .. } => {
                        " This client sends it only from the separate `…_with_…` method."
                    }
                    Guard::Precondition { .. } => " Returned as its own error variant.",
                };
                format!("- {}.{enforced}", doc::inline(&capitalize(&g.describe())))
            })
            .collect();
        if !guards.is_empty() {
            parts.push(format!("**Guards:**\n{}", guards.join("\n")));
        }
        let effects: Vec<String> = op
            .effects
            .iter()
            .map(|e| format!("- {}", doc::inline(&capitalize(&e.describe()))))
            .collect();
        if !effects.is_empty() {
            parts.push(format!("**Effects:**\n{}", effects.join("\n")));
        }
        if op.is_destructive() && !matches!(call, Call::DryRun { .. }) {
            parts.push(
                "**Destructive:** what this call deletes cannot be recovered through the API."
                    .to_string(),
            );
        }
        if op.lifecycle.deprecated {
            parts.push("**Deprecated** in the spec.".to_string());
        }
        parts.join("\n\n")
    }

    /// How the body travels, when that is not plain JSON, and the media
    /// types the spec also accepts.
    fn body_doc(&self, plan: &BodyPlan) -> Option<String> {
        let body = self.op.body.as_ref()?;
        let sent = doc::code(&plan.content_type);
        let how = match plan.encoding {
            BodyEncoding::Json if plan.content_type == "application/json" => None,
            BodyEncoding::Json => Some(format!("sent as JSON with `Content-Type` {sent}.")),
            BodyEncoding::Form => Some(format!(
                "sent as {sent}: one `name=value` pair per field (a list repeats its \
                 name, an object is JSON text, `None` is left out)."
            )),
            BodyEncoding::Multipart => {
                let mut text = "sent as `multipart/form-data`: one part per field (binary \
                                fields as file parts, objects as JSON parts, `None` left out)."
                    .to_string();
                if plan.content_type != "multipart/form-data" {
                    text.push_str(&format!(" The spec names {sent}."));
                }
                Some(text)
            }
            BodyEncoding::Binary => Some(format!("the bytes as given, sent as {sent}.")),
            BodyEncoding::Text => Some(format!("the text as given, sent as {sent}.")),
            BodyEncoding::Unsupported => Some(format!(
                "sent as {sent}, which this client cannot build from a type: encode it \
                 yourself and pass the bytes."
            )),
        };
        let others: Vec<String> = body
            .other_media_types
            .iter()
            .map(|m| doc::code(m))
            .collect();
        let also = (!others.is_empty()).then(|| {
            format!(
                "The spec also accepts {}; this client sends {sent}.",
                others.join(", ")
            )
        });
        match (how, also) {
            (None, None) => None,
            (how, also) => Some(
                ["**Body:**".to_string()]
                    .into_iter()
                    .chain(how)
                    .chain(also)
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
        }
    }

    /// The headers answers carry and the media types they also come in.
    fn answers_doc(&self, sig: &Signature) -> Option<String> {
        let lines: Vec<String> = self
            .op
            .responses
            .iter()
            .filter_map(|response| {
                let mut facts = Vec::new();
                if !response.headers.is_empty() {
                    let headers: Vec<String> = response
                        .headers
                        .iter()
                        .map(|h| {
                            let required = if h.required { " (always)" } else { "" };
                            format!("{}{required}", doc::code(&h.name))
                        })
                        .collect();
                    facts.push(format!("headers {}", headers.join(", ")));
                }
                if !response.other_media_types.is_empty() {
                    let others: Vec<String> = response
                        .other_media_types
                        .iter()
                        .map(|m| doc::code(m))
                        .collect();
                    let read = response
                        .media_type
                        .as_deref()
                        .map(doc::code)
                        .unwrap_or_default();
                    facts.push(format!(
                        "also offered as {}; this client reads {read}",
                        others.join(", ")
                    ));
                }
                (!facts.is_empty()).then(|| format!("- {}: {}", response.status, facts.join("; ")))
            })
            .collect();
        if lines.is_empty() {
            return None;
        }
        let mut text = format!("**Answers:**\n{}", lines.join("\n"));
        if let Some(accept) = &sig.accept {
            text.push_str(&format!(
                "\n\nSends `Accept: {}` so the server picks what this client reads.",
                accept.replace('`', "'")
            ));
        }
        Some(text)
    }

    fn auth_doc(&self) -> String {
        let api = self.context.api;
        match &self.op.auth {
            Auth::Public => "**Credentials:** none (public).".to_string(),
            Auth::AnyOf(alternatives) => {
                let lines: Vec<String> = alternatives
                    .iter()
                    .map(|a| {
                        let mut names: Vec<String> = a
                            .credentials
                            .iter()
                            .map(|c| {
                                let wire = api
                                    .credential(c)
                                    .map(|c| c.placement.wire())
                                    .unwrap_or_default();
                                let scopes: Vec<String> =
                                    a.scopes_of(c).iter().map(|s| doc::code(s)).collect();
                                let scopes = if scopes.is_empty() {
                                    String::new()
                                } else {
                                    format!(" with scopes {}", scopes.join(", "))
                                };
                                format!(
                                    "[`{}`] ({}){scopes}",
                                    self.context.credentials.credential(c),
                                    doc::inline(&wire)
                                )
                            })
                            .collect();
                        names.extend(a.routing.iter().map(|r| {
                            let header = api
                                .routing_header(r)
                                .map(|h| h.header.clone())
                                .unwrap_or_default();
                            format!(
                                "[`{}`] ({})",
                                self.context.credentials.routing(r),
                                doc::code(&header)
                            )
                        }));
                        if names.is_empty() && self.context.api.credentials.is_empty() {
                            "- `()`: the spec declares no security (an overlay can add the scheme the API uses)".to_string()
                        } else if names.is_empty() {
                            "- `()`: no credential at all".to_string()
                        } else {
                            format!("- {}", names.join(" + "))
                        }
                    })
                    .collect();
                format!(
                    "**Credentials** (pass one of these as `auth`; a tuple for several):\n{}",
                    lines.join("\n")
                )
            }
        }
    }
}

/// The `Content-Type` a body is sent with: its media type, made concrete
/// where the spec gives a range (`*/*`, `image/*`).
fn content_type(encoding: BodyEncoding, media_type: &str) -> String {
    if !media_type.contains('*') {
        return media_type.to_string();
    }
    match encoding {
        BodyEncoding::Json => "application/json",
        BodyEncoding::Form => "application/x-www-form-urlencoded",
        BodyEncoding::Multipart => "multipart/form-data",
        BodyEncoding::Text => "text/plain",
        BodyEncoding::Binary | BodyEncoding::Unsupported => "application/octet-stream",
    }
    .to_string()
}

fn http_method(method: Method) -> TokenStream {
    let name = format_ident!("{}", method.as_str());
    quote! { reqwest::Method::#name }
}

/// A type as written in docs: `(A, B)`.
fn compact(tokens: &TokenStream) -> String {
    tokens.to_string().replace(" ,", ",")
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
