//! The markdown tier tables for the docs site: who can call what, and what
//! happens when they do. Layout lives in `templates/docs/`; this module only
//! gathers the facts from the IR into view structs.

use minijinja::Value;
use serde::Serialize;

use super::Files;
use super::markdown;
use crate::ir::{Api, Auth, Credential, Operation, RoutingHeaderId, Service};

const PAGES: [(&str, &str); 3] = [
    (
        "docs/tiers.md",
        include_str!("../../templates/docs/tiers.md.j2"),
    ),
    (
        "docs/operations.md",
        include_str!("../../templates/docs/operations.md.j2"),
    ),
    (
        "docs/guards-and-effects.md",
        include_str!("../../templates/docs/guards-and-effects.md.j2"),
    ),
];

pub fn emit(api: &Api) -> Result<Files, String> {
    let mut env = markdown::environment();
    for (name, source) in PAGES {
        env.add_template(name, source)
            .map_err(|e| format!("template {name}: {e}"))?;
    }
    let view = View::new(api);
    let mut files = Files::default();
    for (name, _) in PAGES {
        let page = env
            .get_template(name)
            .and_then(|t| t.render(Value::from(minijinja::value::Serde(&view))))
            .map_err(|e| format!("template {name}: {e:#}"))?;
        files.insert(name, page);
    }
    Ok(files)
}

#[derive(Serialize)]
struct View<'a> {
    title: &'a str,
    version: &'a str,
    services: Vec<ServiceView<'a>>,
    credentials: Vec<CredentialView<'a>>,
    routing_headers: Vec<RoutingView<'a>>,
    public_operations: Vec<OpRef<'a>>,
    guards: Vec<KindView<'a>>,
    effects: Vec<KindView<'a>>,
}

#[derive(Serialize)]
struct ServiceView<'a> {
    id: &'a str,
    name: &'a str,
    base_url: &'a str,
    description: Option<String>,
    operation_count: usize,
    groups: Vec<GroupView<'a>>,
}

#[derive(Serialize)]
struct GroupView<'a> {
    tag: &'a str,
    description: Option<&'a str>,
    operations: Vec<OperationView<'a>>,
}

#[derive(Serialize)]
struct OperationView<'a> {
    id: &'a str,
    method: &'a str,
    path: &'a str,
    summary: &'a str,
    description: Option<&'a str>,
    /// Each alternative: the credentials and routing headers sent together.
    alternatives: Vec<Vec<String>>,
    public: bool,
    guards: Vec<String>,
    guard_kinds: Vec<&'static str>,
    effects: Vec<String>,
    effect_kinds: Vec<&'static str>,
    params: Vec<ParamView<'a>>,
    body: Option<&'a str>,
}

#[derive(Serialize)]
struct ParamView<'a> {
    name: &'a str,
    location: &'static str,
    required: bool,
    description: Option<&'a str>,
}

#[derive(Serialize)]
struct CredentialView<'a> {
    id: &'a str,
    summary: &'a str,
    wire: String,
    /// Per service it reaches: "Control plane: 11 operations (tags …)".
    applies: Vec<ReachView<'a>>,
    unreachable: Vec<UnreachableView<'a>>,
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
}

impl<'a> View<'a> {
    fn new(api: &'a Api) -> Self {
        View {
            title: &api.title,
            version: &api.version,
            services: api.services.iter().map(|s| service_view(api, s)).collect(),
            credentials: api
                .credentials
                .iter()
                .map(|c| credential_view(api, c))
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
                .filter(|op| op.auth == Auth::Public)
                .map(op_ref)
                .collect(),
            guards: kinds(api, |op| {
                op.guards.iter().map(|g| (g.kind(), g.describe())).collect()
            }),
            effects: kinds(api, |op| {
                op.effects
                    .iter()
                    .map(|e| (e.kind.kind(), e.describe()))
                    .collect()
            }),
        }
    }
}

fn op_ref(op: &Operation) -> OpRef<'_> {
    OpRef {
        id: &op.id,
        method: op.method.as_str(),
        path: &op.path,
    }
}

fn header_name(api: &Api, id: &RoutingHeaderId) -> String {
    api.routing_header(id)
        .map_or_else(|| id.0.clone(), |r| r.header.clone())
}

fn service_view<'a>(api: &'a Api, service: &'a Service) -> ServiceView<'a> {
    let operations: Vec<&Operation> = api.operations_of(&service.id).collect();
    // Tags in the order the spec declares them, then any undeclared ones.
    let mut tags: Vec<&str> = api.tags.iter().map(|t| t.name.as_str()).collect();
    for op in &operations {
        for tag in &op.tags {
            if !tags.contains(&tag.as_str()) {
                tags.push(tag);
            }
        }
    }
    let untagged = "untagged";
    tags.push(untagged);
    let groups = tags
        .into_iter()
        .filter_map(|tag| {
            let members: Vec<OperationView> = operations
                .iter()
                .filter(|op| match op.tags.first() {
                    Some(first) => first == tag,
                    None => tag == untagged,
                })
                .map(|op| operation_view(api, op))
                .collect();
            (!members.is_empty()).then(|| GroupView {
                tag,
                description: api
                    .tags
                    .iter()
                    .find(|t| t.name == tag)
                    .and_then(|t| t.description.as_deref()),
                operations: members,
            })
        })
        .collect();
    ServiceView {
        id: &service.id.0,
        name: &service.name,
        base_url: &service.base_url,
        description: service
            .description
            .as_deref()
            .map(crate::text::first_sentence),
        operation_count: operations.len(),
        groups,
    }
}

fn operation_view<'a>(api: &'a Api, op: &'a Operation) -> OperationView<'a> {
    OperationView {
        id: &op.id,
        method: op.method.as_str(),
        path: &op.path,
        summary: op.summary.as_deref().unwrap_or(&op.id),
        description: op.description.as_deref(),
        alternatives: op
            .auth
            .alternatives()
            .iter()
            .map(|alt| {
                alt.credentials
                    .iter()
                    .map(|c| c.0.clone())
                    .chain(alt.routing.iter().map(|r| header_name(api, r)))
                    .collect()
            })
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
                description: p.ty.description.as_deref(),
            })
            .collect(),
        body: op.body.as_ref().map(|b| match &b.ty.shape {
            crate::ir::Shape::Ref { name } => name.as_str(),
            _ => "inline JSON object",
        }),
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
            .filter(|op| op.auth != Auth::Public)
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
        summary: &credential.summary,
        wire: credential.placement.wire(),
        applies,
        unreachable,
    }
}

fn reach_view<'a>(
    api: &'a Api,
    service: &'a Service,
    credential: &Credential,
    reached: &[&'a Operation],
    of: usize,
) -> ReachView<'a> {
    let mut tags: Vec<&str> = Vec::new();
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
            if !tags.contains(&tag.as_str()) {
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
    let mut groups: Vec<UnreachableGroup<'a>> = Vec::new();
    for op in missed {
        let tag = tag_of(op);
        match groups.iter_mut().find(|g| g.tag == tag) {
            Some(group) => group.operations.push(&op.id),
            None => groups.push(UnreachableGroup {
                tag,
                whole: false,
                count: 0,
                operations: vec![&op.id],
            }),
        }
    }
    for group in &mut groups {
        group.count = group.operations.len();
        let in_tag = all
            .iter()
            .filter(|op| tag_of(op) == group.tag && op.auth != Auth::Public)
            .count();
        group.whole = group.count == in_tag;
    }
    groups
}

/// Every guard or effect kind with the operations that carry it, in order of
/// first appearance.
fn kinds<'a>(
    api: &'a Api,
    of: impl Fn(&'a Operation) -> Vec<(&'static str, String)>,
) -> Vec<KindView<'a>> {
    let mut out: Vec<KindView<'a>> = Vec::new();
    for op in &api.operations {
        for (kind, description) in of(op) {
            let entry = (op_ref(op), description);
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
