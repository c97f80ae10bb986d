//! The rules themselves: each a function from the IR to findings.

use std::sync::LazyLock;

use regex::Regex;

use super::{Finding, Level, Rule};
use crate::ir::{Api, EffectKind, Guard, Operation};

pub const ALL: &[Rule] = &[
    Rule {
        id: "credential-outside-service",
        level: Level::Error,
        summary: "a credential is accepted on a service it is not declared for \
                  (e.g. the org API key on a control-plane route)",
        fix: "accept here only credentials meant for this service, or add the service to the \
              scheme's `x-tiergen-services`",
    },
    Rule {
        id: "unauthenticated-mutation",
        level: Level::Error,
        summary: "an operation that changes state can be called without any credential",
        fix: "require a credential in the operation's `security` (or the document's)",
    },
    Rule {
        id: "missing-routing-header",
        level: Level::Error,
        summary: "an operation of a per-tenant service needs a credential but no routing header",
        fix: "add a routing header (an apiKey header scheme with `x-tiergen-routing: true`) to \
              each alternative of the operation's `security`",
    },
    Rule {
        id: "destructive-without-guard",
        level: Level::Warning,
        summary: "a DELETE or irreversible operation has neither a guard nor a second credential",
        fix: "declare a confirm or dry-run guard with `x-tiergen-guards`, or require a second \
              credential",
    },
    Rule {
        id: "undeclared-prose",
        level: Level::Error,
        summary: "a description states a guard or effect that no declaration backs",
        fix: "declare what the description says with `x-tiergen-guards` or `x-tiergen-effects` \
              (in the spec or its overlay), or reword the description",
    },
    Rule {
        id: "unused-security-scheme",
        level: Level::Warning,
        summary: "a security scheme no operation uses",
        fix: "name the scheme in an operation's `security`, or remove it from \
              `components.securitySchemes`",
    },
    Rule {
        id: "approximated",
        level: Level::Warning,
        summary: "part of the spec the IR holds only approximately: a keyword not applied, \
                  a type union read as oneOf, a `not` not enforced (the artifacts accept more \
                  than the spec allows, never less)",
        fix: "the artifacts accept more than the spec allows here; say it in terms tiergen \
              holds exactly if the checks matter",
    },
    Rule {
        id: "unused-lint-allow",
        level: Level::Warning,
        summary: "an x-tiergen-lint-allow entry that acknowledges nothing",
        fix: "remove the entry from the operation's `x-tiergen-lint-allow`",
    },
];

fn level_of(id: &str) -> Level {
    ALL.iter()
        .find(|r| r.id == id)
        .map_or(Level::Error, |r| r.level)
}

fn finding(rule: &'static str, op: Option<&Operation>, pointer: &str, message: String) -> Finding {
    Finding {
        rule,
        level: level_of(rule),
        operation: op.map(|o| o.id.clone()),
        pointer: pointer.to_string(),
        message,
        help: super::help(rule, op.is_some()),
    }
}

pub fn run_all(api: &Api) -> Vec<Finding> {
    let mut out = Vec::new();
    for op in &api.operations {
        credential_outside_service(api, op, &mut out);
        unauthenticated_mutation(op, &mut out);
        missing_routing_header(api, op, &mut out);
        destructive_without_guard(op, &mut out);
        undeclared_prose(op, &mut out);
    }
    unused_security_schemes(api, &mut out);
    approximated(api, &mut out);
    out
}

fn approximated(api: &Api, out: &mut Vec<Finding>) {
    for approximation in &api.approximations {
        out.push(finding(
            "approximated",
            None,
            &approximation.pointer,
            approximation.message.clone(),
        ));
    }
}

pub fn stale_allow(op: &Operation, rule: &str) -> Finding {
    finding(
        "unused-lint-allow",
        Some(op),
        &format!("{}/x-tiergen-lint-allow", op.pointer),
        format!("{} acknowledges `{rule}`, which does not fire on it", op.id),
    )
}

fn credential_outside_service(api: &Api, op: &Operation, out: &mut Vec<Finding>) {
    for (i, alternative) in op.auth.alternatives().iter().enumerate() {
        for id in &alternative.credentials {
            let Some(credential) = api.credential(id) else {
                continue;
            };
            if credential.services.is_empty() || credential.services.contains(&op.service) {
                continue;
            }
            out.push(finding(
                "credential-outside-service",
                Some(op),
                &format!("{}/security/{i}", op.pointer),
                format!(
                    "{} accepts `{id}` on service `{}`, but `{id}` is declared for {}",
                    op.id,
                    op.service,
                    credential
                        .services
                        .iter()
                        .map(|s| format!("`{s}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
}

fn unauthenticated_mutation(op: &Operation, out: &mut Vec<Finding>) {
    if op.method.is_safe() || !op.auth.admits_anonymous() {
        return;
    }
    out.push(finding(
        "unauthenticated-mutation",
        Some(op),
        &op.pointer,
        format!(
            "{} {} {} changes state but can be called with no credential",
            op.id, op.method, op.path
        ),
    ));
}

fn missing_routing_header(api: &Api, op: &Operation, out: &mut Vec<Finding>) {
    let per_tenant = api
        .service(&op.service)
        .is_some_and(|s| !s.variables.is_empty());
    if !per_tenant || api.routing_headers.is_empty() {
        return;
    }
    for (i, alternative) in op.auth.alternatives().iter().enumerate() {
        if !alternative.credentials.is_empty() && alternative.routing.is_empty() {
            out.push(finding(
                "missing-routing-header",
                Some(op),
                &format!("{}/security/{i}", op.pointer),
                format!(
                    "{}: alternative {} ({}) sends no routing header, so the edge cannot route it",
                    op.id,
                    i + 1,
                    alternative
                        .credentials
                        .iter()
                        .map(|c| c.0.as_str())
                        .collect::<Vec<_>>()
                        .join(" + ")
                ),
            ));
        }
    }
}

fn destructive_without_guard(op: &Operation, out: &mut Vec<Finding>) {
    let irreversible = op
        .effects
        .iter()
        .any(|e| matches!(e.kind, EffectKind::IrreversiblePurge { .. }));
    if op.method != crate::ir::Method::Delete && !irreversible {
        return;
    }
    let second_credential = op
        .auth
        .alternatives()
        .iter()
        .any(|a| a.credentials.len() >= 2);
    if !op.guards.is_empty() || second_credential {
        return;
    }
    out.push(finding(
        "destructive-without-guard",
        Some(op),
        &op.pointer,
        format!(
            "{} {} {} {} with no guard and no second credential",
            op.id,
            op.method,
            op.path,
            if irreversible {
                "is irreversible"
            } else {
                "deletes"
            }
        ),
    ));
}

/// A phrase in prose and the declaration that must back it.
struct Marker {
    pattern: &'static LazyLock<Regex>,
    declared: fn(&Operation, &regex::Captures<'_>) -> bool,
    what: &'static str,
}

macro_rules! pattern {
    ($name:ident, $re:literal) => {
        static $name: LazyLock<Regex> = LazyLock::new(|| match Regex::new($re) {
            Ok(re) => re,
            Err(e) => unreachable!("built-in pattern {} is invalid: {e}", $re),
        });
    };
}

pattern!(CONFIRM, r"(?i)confirm guard");
pattern!(DRY_RUN, r"(?i)dry-run guard");
pattern!(FORCE, r"(?i)force guard");
pattern!(PRECONDITION, r"\b(4\d\d) ([A-Z][A-Z0-9]*_[A-Z0-9_]+)\b");
pattern!(RESTART, r"(?i)auto-restart");
pattern!(IRREVERSIBLE, r"(?i)\birreversible\b");
pattern!(SHOWN_ONCE, r"(?i)shown once|exactly once");
pattern!(PERMANENT, r"(?i)\bpermanent(ly)?\b");
pattern!(PROXY, r"(?i)\bprox(y|ies)\b");
pattern!(CASCADE, r"(?i)\bcascade");

fn has_guard(op: &Operation, kind: &str) -> bool {
    op.guards.iter().any(|g| g.kind() == kind)
}

fn has_effect(op: &Operation, test: fn(&EffectKind) -> bool) -> bool {
    op.effects.iter().any(|e| test(&e.kind))
}

static MARKERS: &[Marker] = &[
    Marker {
        pattern: &CONFIRM,
        declared: |op, _| has_guard(op, "confirm"),
        what: "a confirm guard",
    },
    Marker {
        pattern: &DRY_RUN,
        declared: |op, _| has_guard(op, "dry-run"),
        what: "a dry-run guard",
    },
    Marker {
        pattern: &FORCE,
        declared: |op, _| has_guard(op, "force"),
        what: "a force guard",
    },
    Marker {
        pattern: &PRECONDITION,
        declared: |op, caps| {
            op.guards.iter().any(|g| match g {
                Guard::Precondition { status, code, .. } => {
                    caps.get(1)
                        .is_some_and(|s| s.as_str() == status.to_string())
                        && caps.get(2).is_some_and(|c| c.as_str() == code)
                }
                _ => false,
            })
        },
        what: "a precondition guard",
    },
    Marker {
        pattern: &RESTART,
        declared: |op, _| {
            has_effect(op, |k| {
                matches!(
                    k,
                    EffectKind::RestartsWorkspace {} | EffectKind::RestartsOrgWorkspaces { .. }
                )
            })
        },
        what: "a restart effect",
    },
    Marker {
        pattern: &IRREVERSIBLE,
        declared: |op, _| has_effect(op, |k| matches!(k, EffectKind::IrreversiblePurge { .. })),
        what: "an irreversible-purge effect",
    },
    Marker {
        pattern: &SHOWN_ONCE,
        declared: |op, _| has_effect(op, |k| matches!(k, EffectKind::SecretShownOnce { .. })),
        what: "a secret-shown-once effect",
    },
    Marker {
        pattern: &PROXY,
        declared: |op, _| has_effect(op, |k| matches!(k, EffectKind::ProxiedToTenant {})),
        what: "a proxied-to-tenant effect",
    },
    Marker {
        pattern: &CASCADE,
        declared: |op, _| has_effect(op, EffectKind::is_destructive),
        what: "a purge or cascade-delete effect",
    },
];

fn undeclared_prose(op: &Operation, out: &mut Vec<Finding>) {
    let prose = [op.summary.as_deref(), op.description.as_deref()];
    for marker in MARKERS {
        let unbacked = prose
            .iter()
            .flatten()
            .flat_map(|text| marker.pattern.captures_iter(text))
            .find(|caps| !(marker.declared)(op, caps));
        if let Some(caps) = unbacked {
            let phrase = caps.get(0).map_or("", |m| m.as_str());
            out.push(finding(
                "undeclared-prose",
                Some(op),
                &op.pointer,
                format!(
                    "{}: the description says {phrase:?}, but {} is not declared",
                    op.id, marker.what
                ),
            ));
        }
    }
    for param in &op.params {
        let Some(text) = param.ty.description.as_deref() else {
            continue;
        };
        let flagged = op
            .guards
            .iter()
            .any(|g| matches!(g, Guard::DestructiveFlag { param: p, .. } if p == &param.name));
        if PERMANENT.is_match(text) && !flagged {
            out.push(finding(
                "undeclared-prose",
                Some(op),
                &op.pointer,
                format!(
                    "{}: parameter `{}` is described as permanent/destructive but declares no destructive-flag guard",
                    op.id, param.name
                ),
            ));
        }
    }
}

fn unused_security_schemes(api: &Api, out: &mut Vec<Finding>) {
    let used_credential =
        |id: &crate::ir::CredentialId| api.operations.iter().any(|op| op.auth.accepts(id));
    for credential in &api.credentials {
        if !used_credential(&credential.id) {
            out.push(finding(
                "unused-security-scheme",
                None,
                &format!(
                    "/components/securitySchemes/{}",
                    crate::error::escape_token(&credential.id.0)
                ),
                format!(
                    "security scheme `{}` is used by no operation",
                    credential.id
                ),
            ));
        }
    }
    for header in &api.routing_headers {
        if !api
            .operations
            .iter()
            .any(|op| op.routing.contains(&header.id))
        {
            out.push(finding(
                "unused-security-scheme",
                None,
                &format!(
                    "/components/securitySchemes/{}",
                    crate::error::escape_token(&header.id.0)
                ),
                format!("routing header `{}` is used by no operation", header.id),
            ));
        }
    }
}
