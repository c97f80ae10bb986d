//! One module per service: its client, one method per operation (two where a
//! dry-run or destructive flag makes a different call), and per operation the
//! sealed trait of credential sets it accepts, its error enum and, when it
//! has several success answers, its response enum.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::credentials::CredentialNames;
use super::support::Needs;
use super::types::{Presence, TypeTable};
use super::{doc, ident};
use crate::ir::{
    Api, Auth, Body, Guard, Method, Operation, ParamLocation, Response, Scalar, Service, Shape,
    Status, Type,
};
use crate::naming::{self, RUST_KEYWORDS, Scope, Suffix};

/// What a service module needs from the rest of the crate.
pub struct Context<'a> {
    pub api: &'a Api,
    pub credentials: &'a CredentialNames,
}

/// The client type of a service, e.g. `TenantClient`.
pub fn client_name(service: &Service) -> String {
    format!("{}Client", naming::upper_camel(&service.id.0))
}

pub fn module_name(service: &Service) -> String {
    naming::snake(&service.id.0)
}

/// A service's module; records in `needs` the runtime helpers it calls.
pub fn service_file(
    context: &Context<'_>,
    service: &Service,
    table: &mut TypeTable<'_>,
    needs: &mut Needs,
) -> Result<TokenStream, String> {
    let client = client_name(service);
    // Names the module already has: its imports (every credential type comes
    // in through the glob) and its client.
    let mut types = Scope::new(RUST_KEYWORDS, Suffix::Plain);
    for taken in ["Error", "Credentials", "models", client.as_str()] {
        types.occupy(taken);
    }
    for credential in context.credentials.all() {
        types.occupy(credential);
    }
    let mut methods_scope = Scope::new(RUST_KEYWORDS, Suffix::Underscore);
    for taken in ["new", "with_base_url", "with_http_client", "base_url"] {
        methods_scope.occupy(taken);
    }
    let mut methods = Vec::new();
    let mut items = Vec::new();
    for op in context.api.operations_of(&service.id) {
        let base = naming::operation(context.api, op);
        let camel = types.claim(&naming::upper_camel(&base));
        let builder = OperationBuilder {
            context,
            op,
            camel: &camel,
        };
        let plan = builder.plan(table, &mut types, needs)?;
        items.extend(plan.items);
        for call in plan.calls {
            let name = methods_scope.claim(&call.name(&base));
            methods.push(builder.method(&name, &call, &plan.signature));
        }
    }
    let client_item = client_struct(service, &client, &methods);
    let doc_text = format!(
        "The {} service: [`{client}`] and what its operations accept and return.",
        doc::prose(&service.name)
    );
    let module_docs = doc::inner_attrs(&doc_text);
    Ok(quote! {
        #module_docs

        use crate::credentials::*;
        use crate::{models, Error};

        #client_item
        #(#items)*
    })
}

fn client_struct(service: &Service, client: &str, methods: &[TokenStream]) -> TokenStream {
    let client_ident = ident(client);
    let absolute =
        service.base_url.starts_with("https://") || service.base_url.starts_with("http://");
    let mut doc_text = format!(
        "Client for the {} at {}.",
        doc::prose(&service.name),
        doc::code(&service.base_url)
    );
    if let Some(description) = &service.description {
        doc_text.push_str("\n\n");
        doc_text.push_str(&doc::prose(description));
    }
    doc_text.push_str(
        "\n\nEvery method takes the credential set the spec accepts for that operation; \
         any other does not compile.",
    );
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
                    http: reqwest::Client::new(),
                }
            }

            /// Sends through this `reqwest::Client` (timeouts, proxies, middleware).
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
            line.push_str(&format!(": {}", doc::prose(description)));
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

/// One Rust method of an operation.
enum Call<'g> {
    Plain {
        excluded: Option<u16>,
    },
    DryRun {
        param: &'g str,
        status: u16,
    },
    Flag {
        param: &'g str,
        value: &'g str,
        effect: &'g str,
    },
}

impl Call<'_> {
    fn name(&self, base: &str) -> String {
        match self {
            Call::Plain { .. } => base.to_string(),
            Call::DryRun { .. } => naming::dry_run_call(base),
            Call::Flag { param, .. } => naming::flag_call(base, param),
        }
    }

    /// The query parameter this call sets itself, which callers cannot pass.
    fn consumes(&self) -> Option<&str> {
        match self {
            Call::Plain { .. } => None,
            Call::DryRun { param, .. } | Call::Flag { param, .. } => Some(param),
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
}

struct ParamPlan {
    ident: String,
    wire: String,
    location: ParamLocation,
    required: bool,
    kind: ParamKind,
    /// The value type (the item type, for a list).
    ty: TokenStream,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ParamKind {
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

struct BodyPlan {
    ident: String,
    required: bool,
    ty: TokenStream,
    /// The struct the body decodes into, for guards that read its fields.
    struct_name: Option<String>,
    json: bool,
    media_type: String,
}

/// How one documented status is read.
struct Outcome {
    status: Status,
    variant: String,
    payload: Payload,
    doc: String,
}

#[derive(Clone)]
enum Payload {
    Nothing,
    Json(TokenStream),
    Text,
    Bytes,
}

impl Payload {
    fn ty(&self) -> TokenStream {
        match self {
            Payload::Nothing => quote! { () },
            Payload::Json(ty) => ty.clone(),
            Payload::Text => quote! { String },
            Payload::Bytes => quote! { Vec<u8> },
        }
    }
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
                    (Shape::Array { items }, ParamKind::List) => {
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
                });
            }
        }
        if params.iter().any(|p| p.location == ParamLocation::Path) {
            needs.path_segments = true;
        }
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
            .map(|body| self.body_plan(body, &mut scope, table));

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
        let guard_checks = self.guard_checks(&params, body.as_ref(), table)?;
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

    fn body_plan(&self, body: &Body, scope: &mut Scope, table: &mut TypeTable<'_>) -> BodyPlan {
        let json = is_json(&body.media_type);
        let ty = if json {
            let place = format!("the request body of `{}`", self.op.id);
            table.type_of(&body.ty, &format!("{}Request", self.camel), &place)
        } else if body.media_type.starts_with("text/") {
            quote! { str }
        } else {
            quote! { [u8] }
        };
        // Models are written `models::Name`; that name keys the field table.
        let struct_name = ty
            .to_string()
            .strip_prefix("models :: ")
            .map(str::to_string);
        BodyPlan {
            ident: scope.claim("body"),
            required: body.required,
            ty,
            struct_name,
            json,
            media_type: body.media_type.clone(),
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
        let message = format!(
            "`{{Self}}` is not a credential set that `{}` accepts",
            self.op.id
        );
        let label = format!("accepts only {accepted}");
        let note = format!("the spec accepts {accepted}");
        let docs = doc::attrs(&format!(
            "The credential sets `{}` accepts: {accepted}. Sealed.",
            self.op.id
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
            let docs = doc::attrs(&format!("{}: {}", f.status, f.doc));
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
            "The error answers `{}` documents, each with its decoded body.",
            self.op.id
        ));
        quote! {
            #docs
            #[derive(Clone, Debug, PartialEq)]
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
            let docs = doc::attrs(&format!("{}: {}", s.status, s.doc));
            quote! { #docs #variant(#ty), }
        });
        let docs = doc::attrs(&format!("The success answers of `{}`.", self.op.id));
        quote! {
            #docs
            #[derive(Clone, Debug, PartialEq)]
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
        let fixed_query = match call {
            Call::Plain { .. } => None,
            Call::DryRun { param, .. } => {
                Some(quote! { let request = request.query(&[(#param, "true")]); })
            }
            Call::Flag { param, value, .. } => {
                Some(quote! { let request = request.query(&[(#param, #value)]); })
            }
        };
        let params = sig
            .params
            .iter()
            .filter(|p| p.location != ParamLocation::Path)
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
        let docs = doc::attrs(&self.method_doc(call));
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
                let request = self.http.request(#method, url);
                #auth
                #fixed_query
                #(#params)*
                #(#routing)*
                #body
                let answer = crate::runtime::send(request).await?;
                match answer.status {
                    #(#arms)*
                    #fallback
                }
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
                    let p_ident = ident(&p.ident);
                    let text = match p.kind {
                        ParamKind::Str => quote! { #p_ident },
                        kind => {
                            let text = param_text(kind, &quote! { #p_ident });
                            quote! { &#text }
                        }
                    };
                    let wire = &p.wire;
                    pieces.push(quote! { &crate::runtime::path_segment(#wire, #text)? });
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

    /// The confirm and force checks. A guard this client cannot enforce (its
    /// field is not a plain field of the body struct) fails the emit: a
    /// guard the docs promise must never silently vanish.
    fn guard_checks(
        &self,
        params: &[ParamPlan],
        body: Option<&BodyPlan>,
        table: &TypeTable<'_>,
    ) -> Result<TokenStream, String> {
        let unenforceable =
            |what: &str| format!("operation {}: cannot enforce its guard: {what}", self.op.id);
        let field = |wire: &str| -> Result<(String, Presence), String> {
            body.and_then(|b| b.struct_name.as_deref())
                .and_then(|name| table.field(name, wire))
                .map(|(field, presence)| (field.to_string(), presence))
                .ok_or_else(|| unenforceable(&format!("`{wire}` is not a field of its body")))
        };
        let mut checks = Vec::new();
        for guard in &self.op.guards {
            match guard {
                Guard::Confirm {
                    field: confirm,
                    equals_path_param,
                } => {
                    let body = body.ok_or_else(|| unenforceable("it has no body"))?;
                    let param = params
                        .iter()
                        .find(|p| p.location == ParamLocation::Path && &p.wire == equals_path_param)
                        .ok_or_else(|| {
                            unenforceable(&format!("no path parameter `{equals_path_param}`"))
                        })?;
                    let given = confirm_value(body, field(confirm)?);
                    let p_ident = ident(&param.ident);
                    checks.push(quote! {
                        crate::runtime::confirm(#confirm, #given, #equals_path_param, #p_ident.to_string())?;
                    });
                }
                Guard::Force {
                    field: flag,
                    keys_of,
                    pattern,
                } => {
                    let body = body.ok_or_else(|| unenforceable("it has no body"))?;
                    let forced = flag_value(body, field(flag)?);
                    let keys = keys_value(body, field(keys_of)?);
                    checks.push(quote! {
                        crate::runtime::force(#flag, #forced, #keys_of, #keys, #pattern)?;
                    });
                }
                Guard::DryRun { .. }
                | Guard::Precondition { .. }
                | Guard::DestructiveFlag { .. } => {}
            }
        }
        Ok(quote! { #(#checks)* })
    }

    fn method_doc(&self, call: &Call<'_>) -> String {
        let op = self.op;
        let mut parts = Vec::new();
        let mut head = op
            .summary
            .as_deref()
            .map(doc::prose)
            .unwrap_or_else(|| format!("`{}`", op.id));
        match call {
            Call::Plain { .. } => {}
            Call::DryRun { param, status } => head.push_str(&format!(
                " — **dry run**: sends `?{}=true`; validates and echoes ({status}) without acting.",
                doc::prose(param)
            )),
            Call::Flag {
                param,
                value,
                effect,
            } => head.push_str(&format!(
                " — **permanent**: sends {}, which {}.",
                doc::code(&format!("?{param}={value}")),
                doc::prose(effect)
            )),
        }
        parts.push(head);
        parts.push(format!("`{} {}`", op.method, op.path.replace('`', "'")));
        if let Some(description) = &op.description {
            parts.push(doc::prose(description));
        }
        parts.push(self.auth_doc());
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
                format!("- {}.{enforced}", doc::prose(&capitalize(&g.describe())))
            })
            .collect();
        if !guards.is_empty() {
            parts.push(format!("**Guards:**\n{}", guards.join("\n")));
        }
        let effects: Vec<String> = op
            .effects
            .iter()
            .map(|e| format!("- {}", doc::prose(&capitalize(&e.describe()))))
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
        if op.deprecated {
            parts.push("**Deprecated** in the spec.".to_string());
        }
        parts.join("\n\n")
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
                                format!(
                                    "[`{}`] ({})",
                                    self.context.credentials.credential(c),
                                    doc::prose(&wire)
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
                        if names.is_empty() {
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

/// The success answers one call can get: a dry run gets only its echo, the
/// plain call everything else.
fn success_for<'s>(call: &Call<'_>, success: &'s [Outcome]) -> Vec<&'s Outcome> {
    let chosen: Vec<&Outcome> = success
        .iter()
        .filter(|s| match call {
            Call::Plain { excluded } => excluded.is_none_or(|e| s.status != Status::Code(e)),
            Call::DryRun { status, .. } => s.status == Status::Code(*status),
            Call::Flag { .. } => true,
        })
        .collect();
    if chosen.is_empty() {
        success.iter().collect()
    } else {
        chosen
    }
}

fn distinct_payloads(outcomes: &[&Outcome]) -> usize {
    let mut types: Vec<String> = outcomes
        .iter()
        .map(|o| o.payload.ty().to_string())
        .collect();
    types.sort();
    types.dedup();
    types.len()
}

fn payload(response: &Response, table: &mut TypeTable<'_>, hint: &str, place: &str) -> Payload {
    match (&response.media_type, &response.ty) {
        (None, _) => Payload::Nothing,
        (Some(media), ty) if is_json(media) => Payload::Json(match ty {
            Some(ty) => table.type_of(ty, hint, place),
            None => quote! { serde_json::Value },
        }),
        (Some(media), _) if media.starts_with("text/") => Payload::Text,
        (Some(_), _) => Payload::Bytes,
    }
}

fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim();
    essence == "application/json" || essence.ends_with("+json")
}

fn param_kind(api: &Api, ty: &Type) -> ParamKind {
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
        Shape::Ref { name } => match api.named_type(name) {
            Some(named) if !matches!(named.ty.shape, Shape::Ref { .. }) => {
                match param_kind(api, &named.ty) {
                    ParamKind::Str | ParamKind::Copy | ParamKind::Ref => ParamKind::Ref,
                    _ => ParamKind::Json,
                }
            }
            _ => ParamKind::Json,
        },
        Shape::Array { items } => match param_kind(api, items) {
            ParamKind::Str | ParamKind::Copy | ParamKind::Ref | ParamKind::DateTime => {
                ParamKind::List
            }
            _ => ParamKind::Json,
        },
        _ => ParamKind::Json,
    }
}

fn param_type(p: &ParamPlan) -> TokenStream {
    let ty = &p.ty;
    let by = match p.kind {
        ParamKind::Str => quote! { &str },
        ParamKind::Copy | ParamKind::DateTime => quote! { #ty },
        ParamKind::Ref | ParamKind::Json => quote! { &#ty },
        ParamKind::List => quote! { &[#ty] },
    };
    if p.required {
        by
    } else {
        quote! { Option<#by> }
    }
}

/// Puts one query, header or cookie parameter on the request.
fn send_param(p: &ParamPlan) -> TokenStream {
    let put_value = |value: TokenStream| put_param(p, &value);
    let put = put_value(quote! { value });
    let p_ident = ident(&p.ident);
    if p.required {
        let put = put_value(quote! { #p_ident });
        quote! { let request = #put; }
    } else {
        quote! {
            let request = match #p_ident {
                Some(value) => #put,
                None => request,
            };
        }
    }
}

fn put_param(p: &ParamPlan, value: &TokenStream) -> TokenStream {
    let wire = &p.wire;
    let text = param_text(p.kind, value);
    match (p.location, p.kind) {
        (ParamLocation::Query, ParamKind::List) => {
            let item = param_text(ParamKind::Copy, &quote! { item });
            quote! {
                #value.iter().fold(request, |request, item| request.query(&[(#wire, #item)]))
            }
        }
        (ParamLocation::Query, _) => quote! { request.query(&[(#wire, #text)]) },
        (ParamLocation::Cookie, kind) => {
            let shown = match kind {
                ParamKind::Str | ParamKind::Copy | ParamKind::Ref => quote! { #value },
                _ => text,
            };
            quote! { request.header("cookie", format!("{}={}", #wire, #shown)) }
        }
        _ => quote! { request.header(#wire, #text) },
    }
}

/// A parameter's value as the text that goes on the wire.
fn param_text(kind: ParamKind, value: &TokenStream) -> TokenStream {
    match kind {
        ParamKind::Json => quote! { serde_json::to_string(#value).unwrap_or_default() },
        ParamKind::List => quote! {
            #value.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")
        },
        ParamKind::DateTime => quote! {
            #value.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
        },
        ParamKind::Str | ParamKind::Copy | ParamKind::Ref => quote! { #value.to_string() },
    }
}

fn send_body(body: &BodyPlan) -> TokenStream {
    let media = &body.media_type;
    let put = |value: &TokenStream| {
        if body.json && media == "application/json" {
            quote! { request.json(#value) }
        } else if body.json {
            quote! { request.json(#value).header("content-type", #media) }
        } else {
            quote! { request.header("content-type", #media).body(#value.to_owned()) }
        }
    };
    let b_ident = ident(&body.ident);
    if body.required {
        let put = put(&quote! { #b_ident });
        quote! { let request = #put; }
    } else {
        let put = put(&quote! { body });
        quote! {
            let request = match #b_ident {
                Some(body) => #put,
                None => request,
            };
        }
    }
}

/// Match arms go codes first, then ranges, then `default`.
fn arm_rank(status: Status) -> (u8, u16) {
    match status {
        Status::Code(code) => (0, code),
        Status::Range(class) => (1, class),
        Status::Default => (2, 0),
    }
}

fn status_pattern(status: Status) -> TokenStream {
    match status {
        Status::Code(code) => {
            let code = Literal::u16_unsuffixed(code);
            quote! { #code }
        }
        Status::Range(class) => {
            let low = Literal::u16_unsuffixed(class * 100);
            let high = Literal::u16_unsuffixed(class * 100 + 99);
            quote! { #low..=#high }
        }
        Status::Default => quote! { _ },
    }
}

fn success_arm(outcome: &Outcome, wrap: Option<&TokenStream>) -> TokenStream {
    let pattern = status_pattern(outcome.status);
    let value = match &outcome.payload {
        Payload::Nothing => quote! { Ok(()) },
        Payload::Json(_) => quote! { answer.json() },
        Payload::Text => quote! { Ok(answer.text()) },
        Payload::Bytes => quote! { Ok(answer.body) },
    };
    match wrap {
        None => quote! { #pattern => #value, },
        Some(response) => {
            let variant = ident(&outcome.variant);
            quote! { #pattern => #value.map(#response::#variant), }
        }
    }
}

fn failure_arm(outcome: &Outcome, error: &TokenStream) -> TokenStream {
    let pattern = status_pattern(outcome.status);
    let variant = ident(&outcome.variant);
    let exact = matches!(outcome.status, Status::Code(_));
    let value = match (&outcome.payload, exact) {
        (Payload::Nothing, true) => quote! { Err(Error::Api(#error::#variant)) },
        (Payload::Json(_), true) => quote! { answer.error(#error::#variant) },
        (Payload::Text, true) => quote! { Err(Error::Api(#error::#variant(answer.text()))) },
        (Payload::Bytes, true) => quote! { Err(Error::Api(#error::#variant(answer.body))) },
        (Payload::Nothing, false) => quote! {
            Err(Error::Api(#error::#variant { status: answer.status, body: () }))
        },
        (Payload::Json(_), false) => quote! {
            answer.error(|body| #error::#variant { status: answer.status, body })
        },
        (Payload::Text, false) => quote! {
            Err(Error::Api(#error::#variant { status: answer.status, body: answer.text() }))
        },
        (Payload::Bytes, false) => quote! {
            Err(Error::Api(#error::#variant { status: answer.status, body: answer.body }))
        },
    };
    quote! { #pattern => #value, }
}

/// `Some(text)` of the body field a confirm guard reads.
fn confirm_value(body: &BodyPlan, (field, presence): (String, Presence)) -> TokenStream {
    let field = ident(&field);
    let read = |body: &TokenStream| match presence {
        Presence::Required => quote! { Some(#body.#field.to_string()) },
        Presence::Optional | Presence::RequiredNullable => {
            quote! { #body.#field.as_ref().map(|v| v.to_string()) }
        }
        Presence::OptionalNullable => {
            quote! { #body.#field.as_ref().and_then(|v| v.as_ref()).map(|v| v.to_string()) }
        }
    };
    from_body(body, read, quote! { and_then })
}

/// Whether the body's force flag is `true`.
fn flag_value(body: &BodyPlan, (field, presence): (String, Presence)) -> TokenStream {
    let field = ident(&field);
    let read = |body: &TokenStream| match presence {
        Presence::Required => quote! { #body.#field },
        Presence::Optional | Presence::RequiredNullable => quote! { #body.#field == Some(true) },
        Presence::OptionalNullable => quote! { #body.#field == Some(Some(true)) },
    };
    from_body(body, read, quote! { is_some_and })
}

/// The keys of the body map a force guard checks.
fn keys_value(body: &BodyPlan, (field, presence): (String, Presence)) -> TokenStream {
    let field = ident(&field);
    let read = |body: &TokenStream| match presence {
        Presence::Required => quote! { #body.#field.keys() },
        Presence::Optional | Presence::RequiredNullable => {
            quote! { #body.#field.iter().flat_map(|map| map.keys()) }
        }
        Presence::OptionalNullable => {
            quote! { #body.#field.iter().flatten().flat_map(|map| map.keys()) }
        }
    };
    from_body(body, read, quote! { into_iter().flat_map })
}

/// `read` applied to the body argument, through `combinator` when it is optional.
fn from_body(
    body: &BodyPlan,
    read: impl Fn(&TokenStream) -> TokenStream,
    combinator: TokenStream,
) -> TokenStream {
    let b_ident = ident(&body.ident);
    if body.required {
        read(&quote! { #b_ident })
    } else {
        let read = read(&quote! { body });
        quote! { #b_ident.#combinator(|body| #read) }
    }
}

fn http_method(method: Method) -> TokenStream {
    let name = format_ident!("{}", method.as_str());
    quote! { reqwest::Method::#name }
}

/// The reason phrase of a status, as a variant name.
fn reason(code: u16) -> Option<&'static str> {
    Some(match code {
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "LengthRequired",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        415 => "UnsupportedMediaType",
        422 => "UnprocessableEntity",
        423 => "Locked",
        425 => "TooEarly",
        428 => "PreconditionRequired",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritative",
        204 => "NoContent",
        206 => "PartialContent",
        _ => return None,
    })
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
