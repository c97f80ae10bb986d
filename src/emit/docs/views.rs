//! The facts each page shows, gathered from the IR into structs the
//! templates read. Links come from the [`Site`] plan, so every one of them
//! names a page and an anchor that exist.

use std::collections::{BTreeSet, HashMap, HashSet};

use indexmap::IndexMap;
use serde::Serialize;

use super::Site;
use super::rich::{Rich, code, text};
use super::samples::{self, SampleNames, Samples};
use crate::ir::{
    Access, Api, Auth, Body, Credential, Discriminator, Grant, Issuer, Operation, Placement,
    Requirement, Response, RoutingHeaderId, Service, Shape, Type,
};
use crate::naming::Names;

#[derive(Serialize)]
pub struct View<'a> {
    title: &'a str,
    version: &'a str,
    /// The first sentence of the API's description.
    description_line: Option<String>,
    pub services: Vec<ServiceView<'a>>,
    credentials: Vec<CredentialView<'a>>,
    /// OAuth2 and OpenID Connect credentials: where their tokens come from.
    issuers: Vec<IssuerView<'a>>,
    routing_headers: Vec<RoutingView<'a>>,
    public_operations: Vec<OpRef<'a>>,
    operation_count: usize,
    /// True when some alternative of some operation names scopes.
    has_scopes: bool,
    guards: Vec<KindView<'a>>,
    effects: Vec<KindView<'a>>,
    webhooks: Vec<WebhookView<'a>>,
    models: Vec<ModelView<'a>>,
    /// Links to the other pages of the folder.
    links: Links,
    /// The operation group pages, in sidebar order.
    pages: Vec<PageRef>,
}

#[derive(Serialize)]
struct Links {
    index: String,
    guards_and_effects: String,
    models: Option<String>,
    webhooks: Option<String>,
}

/// A group page, as the overview lists it.
#[derive(Serialize)]
struct PageRef {
    link: String,
    title: String,
    service: String,
    count: usize,
}

/// A named type of the models page.
#[derive(Serialize)]
struct ModelView<'a> {
    name: &'a str,
    anchor: String,
    /// Its shape in a few words (for what is not an object).
    shape: Vec<Rich>,
    description: Option<&'a str>,
    properties: Vec<PropertyView<'a>>,
    discriminators: Vec<Vec<Rich>>,
}

#[derive(Serialize)]
struct PropertyView<'a> {
    name: &'a str,
    ty: Vec<Rich>,
    required: bool,
    /// `read-only` or `write-only` when it travels one way only.
    access: Option<&'static str>,
    description: Option<&'a str>,
}

#[derive(Serialize)]
pub struct ServiceView<'a> {
    id: &'a str,
    name: &'a str,
    /// Its name for a heading (a URL-derived name without its scheme).
    title: String,
    /// True when its name is more than its URL.
    named: bool,
    base_url: &'a str,
    /// A base URL such as `/` or `/v1`: relative to where the API is served.
    relative: bool,
    variables: Vec<VariableView<'a>>,
    alternate_urls: &'a [String],
    description: Option<String>,
    operation_count: usize,
    groups: Vec<GroupView<'a>>,
}

/// A `{name}` of a templated base URL.
#[derive(Serialize)]
struct VariableView<'a> {
    name: &'a str,
    default: &'a str,
    allowed: &'a [String],
    description: Option<&'a str>,
}

#[derive(Serialize)]
struct GroupView<'a> {
    tag: &'a str,
    title: String,
    description: Option<&'a str>,
    /// Its page.
    link: String,
    operations: Vec<OperationView<'a>>,
}

#[derive(Serialize)]
struct OperationView<'a> {
    id: &'a str,
    /// The heading's text (escaped by the template) and the id the site gives it.
    heading: String,
    anchor: String,
    method: &'a str,
    path: &'a str,
    summary: &'a str,
    description: Option<&'a str>,
    /// Each alternative: the credentials (with their scopes) and routing
    /// headers sent together; an empty one lets a caller in without any.
    alternatives: Vec<Vec<PartView>>,
    public: bool,
    guards: Vec<String>,
    guard_kinds: Vec<&'static str>,
    effects: Vec<String>,
    effect_kinds: Vec<&'static str>,
    params: Vec<ParamView<'a>>,
    body: Option<Vec<Rich>>,
    responses: ResponsesView<'a>,
    discriminators: Vec<Vec<Rich>>,
    /// Every way to call it.
    samples: Samples,
}

/// One credential or routing header of an alternative.
#[derive(Serialize)]
struct PartView {
    name: String,
    /// The OAuth2 / OpenID Connect scopes the token must carry.
    scopes: Vec<String>,
}

#[derive(Serialize)]
struct ParamView<'a> {
    name: &'a str,
    location: &'static str,
    required: bool,
    ty: Vec<Rich>,
    default: Option<String>,
    /// Bounds, lengths and patterns, in words.
    constraints: Vec<Rich>,
    description: Option<&'a str>,
}

#[derive(Serialize)]
struct ResponsesView<'a> {
    /// True when some response documents headers: only then is there a
    /// column for them.
    with_headers: bool,
    rows: Vec<ResponseView<'a>>,
}

#[derive(Serialize)]
struct ResponseView<'a> {
    status: String,
    description: &'a str,
    /// Empty when the response has no body.
    body: Vec<Rich>,
    headers: Vec<HeaderView<'a>>,
}

#[derive(Serialize)]
struct HeaderView<'a> {
    name: &'a str,
    required: bool,
    ty: Vec<Rich>,
    description: Option<&'a str>,
}

#[derive(Serialize)]
struct CredentialView<'a> {
    id: &'a str,
    /// What it is and how it travels, one cell of the tier matrix.
    what: Vec<Rich>,
    /// Per service it reaches: "Control plane: 11 operations (tags …)".
    applies: Vec<ReachView<'a>>,
    unreachable: Vec<UnreachableView<'a>>,
}

#[derive(Serialize)]
struct IssuerView<'a> {
    id: &'a str,
    /// "OAuth2" or "OpenID Connect": with the id, the section's heading.
    kind: &'static str,
    /// The OpenID Connect discovery document.
    discovery_url: Option<&'a str>,
    flows: Vec<FlowView<'a>>,
    scopes: Vec<ScopeView<'a>>,
}

#[derive(Serialize)]
struct FlowView<'a> {
    grant: &'static str,
    authorization_url: Option<&'a str>,
    token_url: Option<&'a str>,
    refresh_url: Option<&'a str>,
}

#[derive(Serialize)]
struct ScopeView<'a> {
    name: &'a str,
    /// The scheme's description of it; `None` when the scheme does not
    /// declare the scope (OpenID Connect never does).
    description: Option<&'a str>,
    /// The OAuth2 flows that can grant it.
    flows: Vec<&'static str>,
    /// Operations with an alternative that needs it.
    needed_by: Vec<&'a str>,
}

#[derive(Serialize)]
struct ReachView<'a> {
    service: &'a str,
    count: usize,
    of: usize,
    tags: Vec<&'a str>,
    /// Routing headers sent with it on this service.
    routing: Vec<String>,
    /// Credentials that must accompany it on some operations.
    companions: Vec<String>,
    /// How many of the reached operations need a companion credential.
    with_companions: usize,
}

#[derive(Serialize)]
struct UnreachableView<'a> {
    service: &'a str,
    count: usize,
    /// True when nothing of the service (bar public operations) is in reach.
    whole: bool,
    /// Otherwise, per tag: the whole tag, or the operations it cannot call.
    groups: Vec<UnreachableGroup<'a>>,
}

#[derive(Serialize)]
struct UnreachableGroup<'a> {
    tag: &'a str,
    whole: bool,
    count: usize,
    operations: Vec<&'a str>,
}

#[derive(Serialize)]
struct RoutingView<'a> {
    id: &'a str,
    header: &'a str,
    summary: &'a str,
    operation_count: usize,
}

#[derive(Serialize)]
struct KindView<'a> {
    kind: &'static str,
    operations: Vec<(OpRef<'a>, String)>,
}

#[derive(Serialize)]
struct OpRef<'a> {
    id: &'a str,
    method: &'a str,
    path: &'a str,
    /// Its section, from another page.
    link: String,
}

#[derive(Serialize)]
struct WebhookView<'a> {
    name: &'a str,
    /// The details heading: the name, with the method when the name is
    /// shared by several methods.
    heading: String,
    anchor: String,
    method: &'static str,
    summary: Option<&'a str>,
    description: Option<&'a str>,
    body: Option<Vec<Rich>>,
    responses: ResponsesView<'a>,
    discriminators: Vec<Vec<Rich>>,
}

impl<'a> View<'a> {
    pub fn new(api: &'a Api, shared: &'a Names<'a>, site: &Site) -> Self {
        let names = SampleNames::new(api, shared);
        let services: Vec<ServiceView<'a>> = api
            .services
            .iter()
            .map(|s| service_view(api, site, &names, s, groups_of(api, s)))
            .collect();
        let pages = site
            .group_pages()
            .map(|(stem, title, s, g)| PageRef {
                link: site.page_link(stem),
                title: title.to_string(),
                service: services[s].name.to_string(),
                count: services[s].groups[g].operations.len(),
            })
            .collect();
        View {
            title: &api.title,
            version: &api.version,
            description_line: api.description.as_deref().map(crate::text::first_sentence),
            services,
            models: model_views(api, site),
            links: Links {
                index: site.page_link(super::INDEX),
                guards_and_effects: site.page_link(super::GUARDS_AND_EFFECTS),
                models: site.has_models().then(|| site.page_link(super::MODELS)),
                webhooks: (!api.webhooks.is_empty()).then(|| site.page_link(super::WEBHOOKS)),
            },
            pages,
            credentials: api
                .credentials
                .iter()
                .map(|c| credential_view(api, c))
                .collect(),
            issuers: api
                .credentials
                .iter()
                .filter_map(|c| issuer_view(api, c))
                .collect(),
            routing_headers: api
                .routing_headers
                .iter()
                .map(|r| RoutingView {
                    id: &r.id.0,
                    header: &r.header,
                    summary: &r.summary,
                    operation_count: api
                        .operations
                        .iter()
                        .filter(|op| op.routing.contains(&r.id))
                        .count(),
                })
                .collect(),
            public_operations: api
                .operations
                .iter()
                .filter(|op| op.auth.admits_anonymous())
                .map(|op| op_ref(site, op))
                .collect(),
            operation_count: api.operations.len(),
            has_scopes: api.operations.iter().any(|op| {
                op.auth
                    .alternatives()
                    .iter()
                    .any(|a| a.all_scopes().next().is_some())
            }),
            guards: kinds(api, site, |op| {
                op.guards.iter().map(|g| (g.kind(), g.describe())).collect()
            }),
            effects: kinds(api, site, |op| {
                op.effects
                    .iter()
                    .map(|e| (e.kind.kind(), e.describe()))
                    .collect()
            }),
            webhooks: webhook_views(api, site),
        }
    }
}

fn op_ref<'a>(site: &Site, op: &'a Operation) -> OpRef<'a> {
    OpRef {
        id: &op.id,
        method: op.method.as_str(),
        path: &op.path,
        link: site
            .operation(&op.id)
            .map(|a| site.link(a))
            .unwrap_or_default(),
    }
}

impl View<'_> {
    /// The spec's description of a group's tag.
    pub fn group_description(&self, service: usize, group: usize) -> Option<&str> {
        self.services.get(service)?.groups.get(group)?.description
    }
}

/// Every named type with its properties, for the models page.
fn model_views<'a>(api: &'a Api, site: &Site) -> Vec<ModelView<'a>> {
    api.types
        .iter()
        .map(|named| {
            let properties = match &named.ty.shape {
                Shape::Object { properties, .. } => properties
                    .iter()
                    .map(|p| PropertyView {
                        name: &p.name,
                        ty: shape_words(site, &p.ty),
                        required: p.required,
                        access: match p.access {
                            Access::ReadWrite => None,
                            Access::ReadOnly => Some("read-only"),
                            Access::WriteOnly => Some("write-only"),
                        },
                        description: p.ty.description.as_deref(),
                    })
                    .collect(),
                _ => Vec::new(),
            };
            let mut seen = BTreeSet::new();
            let mut discriminators = Vec::new();
            if let Some(d) = &named.ty.discriminator {
                seen.insert(named.name.as_str());
                discriminators.push(discriminator_words(api, &named.ty, None, d));
            }
            ModelView {
                name: &named.name,
                anchor: site
                    .model(&named.name)
                    .map(|a| a.id.clone())
                    .unwrap_or_default(),
                shape: shape_words(site, &named.ty),
                description: named.ty.description.as_deref(),
                properties,
                discriminators,
            }
        })
        .collect()
}

fn header_name(api: &Api, id: &RoutingHeaderId) -> String {
    api.routing_header(id)
        .map_or_else(|| id.0.clone(), |r| r.header.clone())
}

/// The operations of a service by group: each under its first tag, groups
/// in the order the spec declares its tags, then undeclared ones by first
/// use, then the untagged ones.
pub fn groups_of<'a>(api: &'a Api, service: &'a Service) -> Vec<(&'a str, Vec<&'a Operation>)> {
    let untagged = UNTAGGED;
    let mut members: IndexMap<&str, Vec<&Operation>> = api
        .tags
        .iter()
        .map(|t| (t.name.as_str(), Vec::new()))
        .collect();
    let operations: Vec<&Operation> = api.operations_of(&service.id).collect();
    for op in &operations {
        for tag in &op.tags {
            members.entry(tag.as_str()).or_default();
        }
    }
    members.entry(untagged).or_default();
    for op in operations {
        let tag = op.tags.first().map_or(untagged, String::as_str);
        members.entry(tag).or_default().push(op);
    }
    members
        .into_iter()
        .filter(|(_, ops)| !ops.is_empty())
        .collect()
}

/// The group of operations without a tag.
pub const UNTAGGED: &str = "untagged";

/// A group's title: its tag; for the operations without one, the service's
/// name when they are all it has, else "Other operations".
pub fn group_title(service: &Service, tag: &str, groups: usize) -> String {
    match tag {
        UNTAGGED if groups == 1 => service_title(service),
        UNTAGGED => "Other operations".to_string(),
        tag if tag.trim().is_empty() => "(unnamed tag)".to_string(),
        tag => tag.split_whitespace().collect::<Vec<_>>().join(" "),
    }
}

/// A service's name for a sidebar: a name the front end took from a server
/// URL loses its scheme (`uploads.example.com/v2`).
pub fn service_title(service: &Service) -> String {
    let name = service.name.as_str();
    name.strip_prefix("https://")
        .or_else(|| name.strip_prefix("http://"))
        .unwrap_or(name)
        .trim_end_matches('/')
        .to_string()
}

/// The text of an operation's heading, on one line: its summary, else its
/// id, else its method and path (the first that gives the heading an id).
pub fn heading_text(op: &Operation) -> String {
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    // A heading the slugger makes nothing of (`..`, a bidi mark) would get
    // an empty id, which no link can name: the next candidate is taken.
    [op.summary.as_deref().unwrap_or_default(), op.id.as_str()]
        .into_iter()
        .map(flat)
        .find(|s| !super::slug::slug(s).is_empty())
        .unwrap_or_else(|| format!("{} {}", op.method.as_str(), op.path))
}

fn service_view<'a>(
    api: &'a Api,
    site: &Site,
    names: &SampleNames<'_>,
    service: &'a Service,
    groups: Vec<(&'a str, Vec<&'a Operation>)>,
) -> ServiceView<'a> {
    let descriptions: HashMap<&str, &str> = api
        .tags
        .iter()
        .filter_map(|t| Some((t.name.as_str(), t.description.as_deref()?)))
        .collect();
    let operation_count = groups.iter().map(|(_, ops)| ops.len()).sum();
    let count = groups.len();
    let groups = groups
        .into_iter()
        .map(|(tag, ops)| GroupView {
            tag,
            title: group_title(service, tag, count),
            description: descriptions.get(tag).copied(),
            link: ops
                .first()
                .and_then(|op| site.operation(&op.id))
                .map(|a| site.page_link(&a.page))
                .unwrap_or_default(),
            operations: ops
                .iter()
                .map(|op| operation_view(api, site, names, op))
                .collect(),
        })
        .collect();
    ServiceView {
        id: &service.id.0,
        name: &service.name,
        title: service_title(service),
        named: !service.name.contains("://"),
        base_url: &service.base_url,
        relative: !service.base_url.contains("://"),
        variables: service
            .variables
            .iter()
            .map(|v| VariableView {
                name: &v.name,
                default: &v.default,
                allowed: &v.allowed,
                description: v.description.as_deref(),
            })
            .collect(),
        alternate_urls: &service.alternate_urls,
        description: service
            .description
            .as_deref()
            .map(crate::text::first_sentence),
        operation_count,
        groups,
    }
}

fn operation_view<'a>(
    api: &'a Api,
    site: &Site,
    names: &SampleNames<'_>,
    op: &'a Operation,
) -> OperationView<'a> {
    OperationView {
        id: &op.id,
        heading: heading_text(op),
        anchor: site
            .operation(&op.id)
            .map(|a| a.id.clone())
            .unwrap_or_default(),
        method: op.method.as_str(),
        path: &op.path,
        summary: op.summary.as_deref().unwrap_or(&op.id),
        description: op.description.as_deref(),
        alternatives: op
            .auth
            .alternatives()
            .iter()
            .map(|alt| alternative(api, alt))
            .collect(),
        public: op.auth == Auth::Public,
        guards: op.guards.iter().map(|g| g.describe()).collect(),
        guard_kinds: op.guards.iter().map(|g| g.kind()).collect(),
        effects: op.effects.iter().map(|e| e.describe()).collect(),
        effect_kinds: op.effects.iter().map(|e| e.kind.kind()).collect(),
        params: op
            .params
            .iter()
            .map(|p| ParamView {
                name: &p.name,
                location: p.location.as_str(),
                required: p.required,
                ty: shape_words(site, &p.ty),
                default: p.ty.default.as_ref().map(|d| d.to_string()),
                constraints: constraint_words(api, &p.ty),
                description: p.ty.description.as_deref(),
            })
            .collect(),
        body: op.body.as_ref().map(|b| body_view(site, b)),
        responses: responses_view(site, &op.responses),
        discriminators: discriminators(api, op.body.as_ref(), &op.responses),
        samples: samples::samples(api, names, op),
    }
}

/// The credentials of one alternative, each with the scopes it must carry,
/// then its routing headers.
fn alternative(api: &Api, alt: &Requirement) -> Vec<PartView> {
    alt.credentials
        .iter()
        .map(|c| PartView {
            name: c.0.clone(),
            scopes: alt.scopes_of(c).to_vec(),
        })
        .chain(alt.routing.iter().map(|r| PartView {
            name: header_name(api, r),
            scopes: Vec::new(),
        }))
        .collect()
}

/// A body: its type, and its media type unless that is plain JSON, the one
/// a reader assumes.
fn body_view(site: &Site, body: &Body) -> Vec<Rich> {
    let mut out = shape_words(site, &body.ty);
    media_words(&mut out, Some(&body.media_type), &body.other_media_types);
    out
}

fn media_words(out: &mut Vec<Rich>, media: Option<&str>, others: &[String]) {
    let plain_json = media == Some("application/json") && others.is_empty();
    if let Some(media) = media.filter(|_| !plain_json) {
        out.push(text(" as "));
        out.push(code(media));
    }
    for (n, other) in others.iter().enumerate() {
        out.push(text(if n == 0 { " (also " } else { ", " }));
        out.push(code(other.as_str()));
    }
    if !others.is_empty() {
        out.push(text(")"));
    }
}

/// A type in a few words: its name when it has one, else its shape.
fn shape_words(site: &Site, ty: &Type) -> Vec<Rich> {
    let mut out = match &ty.shape {
        Shape::Ref { name } => match site.model(name) {
            Some(anchor) => vec![Rich::Link {
                code: name.clone(),
                href: site.link(anchor),
            }],
            None => vec![code(name.as_str())],
        },
        Shape::Scalar { scalar, format, .. } => match format {
            Some(format) => vec![code(format), text(format!(" {}", scalar.json_type()))],
            None => vec![text(scalar.json_type())],
        },
        Shape::Enum { scalar, values } => {
            let mut out = vec![text(format!("{} enum: ", scalar.json_type()))];
            for (n, value) in values.iter().enumerate() {
                if n > 0 {
                    out.push(text(", "));
                }
                out.push(code(value.to_string()));
            }
            out
        }
        Shape::Const { value, .. } => vec![text("the constant "), code(value.to_string())],
        Shape::Object { .. } => vec![text("object")],
        Shape::Map { values, .. } => {
            let mut out = vec![text("map of ")];
            out.extend(shape_words(site, values));
            out
        }
        Shape::Array { items, .. } if matches!(items.shape, Shape::Object { .. }) => {
            vec![text(if items.nullable {
                "array of objects or nulls"
            } else {
                "array of objects"
            })]
        }
        Shape::Array { items, .. } => {
            let mut out = vec![text("array of ")];
            out.extend(shape_words(site, items));
            out
        }
        Shape::OneOf { variants } => variant_words(site, "one of ", variants),
        Shape::AnyOf { variants } => variant_words(site, "any of ", variants),
        Shape::AllOf { parts } => variant_words(site, "all of ", parts),
        Shape::Any => vec![text("any value")],
    };
    if ty.nullable {
        out.push(text(" or null"));
    }
    out
}

fn variant_words(site: &Site, lead: &str, variants: &[Type]) -> Vec<Rich> {
    let mut out = vec![text(lead)];
    for (n, variant) in variants.iter().enumerate() {
        if n > 0 {
            out.push(text(", "));
        }
        out.extend(shape_words(site, variant));
    }
    out
}

fn responses_view<'a>(site: &Site, responses: &'a [Response]) -> ResponsesView<'a> {
    ResponsesView {
        with_headers: responses.iter().any(|r| !r.headers.is_empty()),
        rows: responses
            .iter()
            .map(|r| {
                let mut body =
                    r.ty.as_ref()
                        .map(|t| shape_words(site, t))
                        .unwrap_or_default();
                if !body.is_empty() || r.media_type.is_some() {
                    if body.is_empty() {
                        // Content without a schema: bytes of that media type.
                        body.push(text("content"));
                    }
                    media_words(&mut body, r.media_type.as_deref(), &r.other_media_types);
                }
                ResponseView {
                    status: r.status.to_string(),
                    description: &r.description,
                    body,
                    headers: r
                        .headers
                        .iter()
                        .map(|h| HeaderView {
                            name: &h.name,
                            required: h.required,
                            ty: shape_words(site, &h.ty),
                            description: h.ty.description.as_deref(),
                        })
                        .collect(),
                }
            })
            .collect(),
    }
}

/// The discriminators a reader meets in a body or an answer: on its type,
/// or the named type it is, or that its array or map holds. Each says which
/// property picks the variant and which value picks which schema.
fn discriminators(api: &Api, body: Option<&Body>, responses: &[Response]) -> Vec<Vec<Rich>> {
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut out = Vec::new();
    let types = body
        .map(|b| &b.ty)
        .into_iter()
        .chain(responses.iter().filter_map(|r| r.ty.as_ref()));
    for ty in types {
        discriminators_in(api, ty, None, &mut seen, &mut out);
    }
    out
}

fn discriminators_in<'a>(
    api: &'a Api,
    ty: &'a Type,
    name: Option<&'a str>,
    seen: &mut BTreeSet<&'a str>,
    out: &mut Vec<Vec<Rich>>,
) {
    if let Some(discriminator) = &ty.discriminator {
        out.push(discriminator_words(api, ty, name, discriminator));
    }
    match &ty.shape {
        Shape::Ref { name } => {
            // Each named type is looked into once: that keeps a type that
            // holds itself finite and says each discriminator once.
            if let Some(target) = api.named_type(name)
                && seen.insert(&target.name)
            {
                discriminators_in(api, &target.ty, Some(&target.name), seen, out);
            }
        }
        Shape::Array { items: inner, .. } | Shape::Map { values: inner, .. } => {
            discriminators_in(api, inner, None, seen, out);
        }
        _ => {}
    }
}

/// "`Pet`: property `petType` picks the schema: `cat` → `Cat`, …".
fn discriminator_words(
    api: &Api,
    ty: &Type,
    name: Option<&str>,
    discriminator: &Discriminator,
) -> Vec<Rich> {
    let mut line = Vec::new();
    if let Some(name) = name {
        line.extend([code(name), text(": ")]);
    }
    line.extend([text("property "), code(discriminator.property.as_str())]);
    if discriminator.mapping.is_empty() {
        // OpenAPI's implicit mapping: the value is the schema's name.
        line.push(text(" holds the name of the schema"));
        let names = variant_names(ty);
        for (n, name) in names.iter().enumerate() {
            line.push(text(match n {
                0 => ": ",
                n if n + 1 == names.len() => " or ",
                _ => ", ",
            }));
            line.push(code(*name));
        }
    } else {
        line.push(text(" picks the schema: "));
        for (n, (value, target)) in discriminator.mapping.iter().enumerate() {
            if n > 0 {
                line.push(text(", "));
            }
            line.extend([
                code(value.as_str()),
                text(" → "),
                code(schema_name(api, target)),
            ]);
        }
    }
    line
}

/// The named variants of a `oneOf` or `anyOf`: the values a discriminator
/// without a mapping can hold.
fn variant_names(ty: &Type) -> Vec<&str> {
    match &ty.shape {
        Shape::OneOf { variants } | Shape::AnyOf { variants } => variants
            .iter()
            .filter_map(|v| match &v.shape {
                Shape::Ref { name } => Some(name.as_str()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The named type a mapping target refers to (`#/components/schemas/Cat`
/// or just `Cat`), else the target as the spec wrote it.
fn schema_name(api: &Api, target: &str) -> String {
    let name = target
        .strip_prefix("#/components/schemas/")
        .map(|token| token.replace("~1", "/").replace("~0", "~"));
    match name {
        Some(name) if api.named_type(&name).is_some() => name,
        _ => target.to_string(),
    }
}

fn credential_view<'a>(api: &'a Api, credential: &'a Credential) -> CredentialView<'a> {
    let mut applies = Vec::new();
    let mut unreachable = Vec::new();
    for service in &api.services {
        let all: Vec<&Operation> = api.operations_of(&service.id).collect();
        let (reached, missed): (Vec<&Operation>, Vec<&Operation>) =
            all.iter().partition(|op| op.auth.accepts(&credential.id));
        if !reached.is_empty() {
            applies.push(reach_view(api, service, credential, &reached, all.len()));
        }
        let missed: Vec<&Operation> = missed
            .into_iter()
            .filter(|op| !op.auth.admits_anonymous())
            .collect();
        if !missed.is_empty() {
            unreachable.push(UnreachableView {
                service: &service.name,
                count: missed.len(),
                whole: reached.is_empty(),
                groups: unreachable_groups(&all, &missed),
            });
        }
    }
    CredentialView {
        id: &credential.id.0,
        what: what_it_is(credential),
        applies,
        unreachable,
    }
}

/// `summary` ending as a sentence does, so the "Sent as" sentence after it
/// starts a new one ("A GitHub token. Sent as …", not "A GitHub token Sent as").
fn sentence(summary: &str) -> String {
    let trimmed = summary.trim_end();
    if trimmed.ends_with(['.', '!', '?']) || trimmed.is_empty() {
        trimmed.to_string()
    } else {
        format!("{trimmed}.")
    }
}

/// The tier matrix's "What it is": the spec's summary (or, when the spec
/// says nothing, the kind of credential), then how it travels.
fn what_it_is(credential: &Credential) -> Vec<Rich> {
    // Without a description the front end falls back to the scheme's id,
    // which says nothing the Scheme column does not.
    let said = credential.description.is_some() || credential.summary != credential.id.0;
    let mut out = if said {
        vec![text(sentence(&credential.summary))]
    } else {
        match (&credential.issuer, &credential.placement) {
            (Some(Issuer::OAuth2 { .. }), _) => vec![text("An OAuth2 access token.")],
            (Some(Issuer::OpenIdConnect { .. }), _) => {
                vec![text("An OpenID Connect access token.")]
            }
            (None, Placement::Bearer) => vec![text("A bearer token.")],
            (None, Placement::Basic) => vec![text("A user name and password (HTTP Basic).")],
            (
                None,
                Placement::Header { .. } | Placement::Query { .. } | Placement::Cookie { .. },
            ) => vec![text("An API key.")],
            (None, Placement::Authorization { scheme }) => vec![
                text("HTTP authentication with the "),
                code(scheme.as_str()),
                text(" scheme."),
            ],
            (None, Placement::ClientCertificate) => vec![text("A TLS client certificate.")],
        }
    };
    match &credential.placement {
        Placement::ClientCertificate => out.push(text(
            " Presented in the TLS handshake; nothing travels in the request.",
        )),
        placement => out.extend([text(" Sent as "), code(placement.wire()), text(".")]),
    }
    match &credential.issuer {
        Some(Issuer::OAuth2 { .. }) => out.push(text(
            " The token comes from the OAuth2 flows below, with the scopes an operation names.",
        )),
        Some(Issuer::OpenIdConnect { .. }) => out.push(text(
            " The token comes from the OpenID Connect provider below.",
        )),
        None => {}
    }
    out
}

fn grant_words(grant: Grant) -> &'static str {
    match grant {
        Grant::Implicit => "implicit",
        Grant::Password => "password",
        Grant::ClientCredentials => "client credentials",
        Grant::AuthorizationCode => "authorization code",
    }
}

/// Where an OAuth2 or OpenID Connect credential's token comes from, and the
/// scopes: those the scheme declares (with what they grant and the flows that
/// grant them), then any others an operation asks for; each with the
/// operations that need it.
fn issuer_view<'a>(api: &'a Api, credential: &'a Credential) -> Option<IssuerView<'a>> {
    let issuer = credential.issuer.as_ref()?;
    let mut scopes: Vec<ScopeView<'a>> = Vec::new();
    let (kind, discovery_url, flows) = match issuer {
        Issuer::OAuth2 { flows } => {
            for flow in flows {
                for (name, description) in &flow.scopes {
                    let grant = grant_words(flow.grant);
                    match scopes.iter_mut().find(|s| s.name == name) {
                        Some(scope) => scope.flows.push(grant),
                        None => scopes.push(ScopeView {
                            name,
                            description: Some(description),
                            flows: vec![grant],
                            needed_by: Vec::new(),
                        }),
                    }
                }
            }
            let flows = flows
                .iter()
                .map(|f| FlowView {
                    grant: grant_words(f.grant),
                    authorization_url: f.authorization_url.as_deref(),
                    token_url: f.token_url.as_deref(),
                    refresh_url: f.refresh_url.as_deref(),
                })
                .collect();
            ("OAuth2", None, flows)
        }
        Issuer::OpenIdConnect { url } => ("OpenID Connect", Some(url.as_str()), Vec::new()),
    };
    for op in &api.operations {
        for alt in op.auth.alternatives() {
            for scope in alt.scopes_of(&credential.id) {
                let entry = match scopes.iter().position(|s| s.name == scope) {
                    Some(at) => &mut scopes[at],
                    None => {
                        scopes.push(ScopeView {
                            name: scope,
                            description: None,
                            flows: Vec::new(),
                            needed_by: Vec::new(),
                        });
                        let last = scopes.len() - 1;
                        &mut scopes[last]
                    }
                };
                if !entry.needed_by.contains(&op.id.as_str()) {
                    entry.needed_by.push(&op.id);
                }
            }
        }
    }
    Some(IssuerView {
        id: &credential.id.0,
        kind,
        discovery_url,
        flows,
        scopes,
    })
}

fn reach_view<'a>(
    api: &'a Api,
    service: &'a Service,
    credential: &Credential,
    reached: &[&'a Operation],
    of: usize,
) -> ReachView<'a> {
    // Specs with thousands of tags: membership by hash, order by first use.
    let mut tags: Vec<&str> = Vec::new();
    let mut seen_tags: HashSet<&str> = HashSet::new();
    let mut routing: Vec<String> = Vec::new();
    let mut companions: Vec<String> = Vec::new();
    let mut with_companions = 0;
    for op in reached {
        let alone = op
            .auth
            .alternatives()
            .iter()
            .any(|a| a.credentials.len() == 1 && a.credentials.contains(&credential.id));
        if !alone {
            with_companions += 1;
        }
        for tag in &op.tags {
            if seen_tags.insert(tag.as_str()) {
                tags.push(tag);
            }
        }
        for alt in op
            .auth
            .alternatives()
            .iter()
            .filter(|a| a.credentials.contains(&credential.id))
        {
            for header in &alt.routing {
                let name = header_name(api, header);
                if !routing.contains(&name) {
                    routing.push(name);
                }
            }
            for other in alt.credentials.iter().filter(|c| **c != credential.id) {
                if !companions.contains(&other.0) {
                    companions.push(other.0.clone());
                }
            }
        }
    }
    ReachView {
        service: &service.name,
        count: reached.len(),
        of,
        tags,
        routing,
        companions,
        with_companions,
    }
}

/// Groups the operations a credential misses by their first tag, in the
/// service's order, saying "all of the tag" where that is the case.
fn unreachable_groups<'a>(
    all: &[&'a Operation],
    missed: &[&'a Operation],
) -> Vec<UnreachableGroup<'a>> {
    let tag_of = |op: &'a Operation| op.tags.first().map_or("untagged", String::as_str);
    let mut callable_in_tag: HashMap<&str, usize> = HashMap::new();
    for op in all.iter().filter(|op| !op.auth.admits_anonymous()) {
        *callable_in_tag.entry(tag_of(op)).or_insert(0) += 1;
    }
    let mut by_tag: IndexMap<&str, Vec<&'a str>> = IndexMap::new();
    for op in missed {
        by_tag.entry(tag_of(op)).or_default().push(&op.id);
    }
    by_tag
        .into_iter()
        .map(|(tag, operations)| UnreachableGroup {
            tag,
            whole: callable_in_tag.get(tag) == Some(&operations.len()),
            count: operations.len(),
            operations,
        })
        .collect()
}

/// Every guard or effect kind with the operations that carry it, in order of
/// first appearance.
fn kinds<'a>(
    api: &'a Api,
    site: &Site,
    of: impl Fn(&'a Operation) -> Vec<(&'static str, String)>,
) -> Vec<KindView<'a>> {
    let mut out: Vec<KindView<'a>> = Vec::new();
    for op in &api.operations {
        for (kind, description) in of(op) {
            let entry = (op_ref(site, op), description);
            match out.iter_mut().find(|k| k.kind == kind) {
                Some(existing) => existing.operations.push(entry),
                None => out.push(KindView {
                    kind,
                    operations: vec![entry],
                }),
            }
        }
    }
    out
}

/// The heading of each webhook's section, in spec order: its name, with the
/// method when several methods share the name.
pub fn webhook_headings(api: &Api) -> Vec<String> {
    api.webhooks
        .iter()
        .map(|hook| {
            let shared = api
                .webhooks
                .iter()
                .filter(|other| other.name == hook.name)
                .count()
                > 1;
            let heading = if shared {
                format!("{} {}", hook.name, hook.method)
            } else {
                hook.name.clone()
            };
            heading.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .collect()
}

fn webhook_views<'a>(api: &'a Api, site: &Site) -> Vec<WebhookView<'a>> {
    api.webhooks
        .iter()
        .zip(webhook_headings(api))
        .enumerate()
        .map(|(n, (hook, heading))| WebhookView {
            name: &hook.name,
            heading,
            anchor: site.webhook(n).map(|a| a.id.clone()).unwrap_or_default(),
            method: hook.method.as_str(),
            summary: hook.summary.as_deref(),
            description: hook.description.as_deref(),
            body: hook.body.as_ref().map(|b| body_view(site, b)),
            responses: responses_view(site, &hook.responses),
            discriminators: discriminators(api, hook.body.as_ref(), &hook.responses),
        })
        .collect()
}

/// A parameter's bounds, lengths, pattern and enum values, in words.
fn constraint_words(api: &Api, ty: &Type) -> Vec<Rich> {
    let mut out = Vec::new();
    let shape = &api.resolved(ty).shape;
    let mut said = |words: Vec<Rich>| {
        if !out.is_empty() {
            out.push(text("; "));
        }
        out.extend(words);
    };
    match shape {
        Shape::Scalar { constraints: c, .. } => {
            if let Some(min) = &c.minimum {
                let op = if c.exclusive_minimum { "> " } else { "≥ " };
                said(vec![text(op), code(min.to_string())]);
            }
            if let Some(max) = &c.maximum {
                let op = if c.exclusive_maximum { "< " } else { "≤ " };
                said(vec![text(op), code(max.to_string())]);
            }
            match (c.min_length, c.max_length) {
                (Some(min), Some(max)) => said(vec![text(format!("{min} to {max} characters"))]),
                (Some(min), None) => said(vec![text(format!("at least {min} characters"))]),
                (None, Some(max)) => said(vec![text(format!("at most {max} characters"))]),
                (None, None) => {}
            }
            if let Some(pattern) = &c.pattern {
                said(vec![text("matches "), code(pattern.as_str())]);
            }
        }
        Shape::Enum { values, .. } => {
            let mut words = vec![text("one of ")];
            for (n, value) in values.iter().enumerate() {
                if n > 0 {
                    words.push(text(", "));
                }
                words.push(code(value.to_string()));
            }
            said(words);
        }
        _ => {}
    }
    out
}
