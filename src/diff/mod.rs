//! `tiergen diff`: what changed between two versions of an API, classed by
//! who it hurts. Operations are matched by operationId, then by method and
//! path (a new operationId on the same route is a rename); then their auth,
//! guards, effects, parameters, bodies and answers are compared.

mod report;
mod shapes;
mod source;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::ir::{Api, Auth, CredentialId, Guard, Operation, ParamLocation, Requirement, Status};
use shapes::{Direction, ShapeDiff};

pub use report::{Located, json, markdown, text};
pub use source::{Side, load};

/// Who a change hurts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// Existing callers or generated clients stop working.
    Breaking,
    /// Who may call what, or what stands in their way, changed.
    Security,
    /// What a call does beyond its answer changed.
    Effects,
    /// Additions.
    NonBreaking,
}

impl Class {
    pub const ALL: [Class; 4] = [
        Class::Breaking,
        Class::Security,
        Class::Effects,
        Class::NonBreaking,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Class::Breaking => "breaking",
            Class::Security => "security",
            Class::Effects => "effects",
            Class::NonBreaking => "non-breaking",
        }
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Class {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Class::ALL
            .into_iter()
            .find(|c| c.name() == s)
            .ok_or_else(|| {
                format!("unknown class {s:?} (known: breaking, security, effects, non-breaking)")
            })
    }
}

/// One change between the two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub class: Class,
    /// A stable id of the kind of change, e.g. `credential-alternative-added`.
    pub id: &'static str,
    /// The operationId (in the new spec when it still exists).
    pub operation: String,
    pub message: String,
    /// Where the operation is: in the new spec, or the old one for a removal.
    pub pointer: String,
    /// True when `pointer` is in the old spec.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub in_old: bool,
}

/// Every change from `old` to `new`, in the new spec's operation order
/// (removals last), each operation's changes by class.
pub fn diff(old: &Api, new: &Api) -> Vec<Change> {
    let mut changes = Vec::new();
    let pairs = match_operations(old, new);
    let matched_old: BTreeSet<&str> = pairs.iter().map(|(o, _)| o.id.as_str()).collect();
    let matched_new: BTreeSet<&str> = pairs.iter().map(|(_, n)| n.id.as_str()).collect();
    for op in &new.operations {
        match pairs.iter().find(|(_, n)| n.id == op.id) {
            Some((before, after)) => {
                let mut found = OperationDiff {
                    old,
                    new,
                    before,
                    after,
                    changes: Vec::new(),
                };
                found.compare();
                found.changes.sort_by_key(|c| c.class);
                changes.extend(found.changes);
            }
            None if !matched_new.contains(op.id.as_str()) => changes.push(Change {
                class: Class::NonBreaking,
                id: "operation-added",
                operation: op.id.clone(),
                message: format!("{} {} was added", op.method, op.path),
                pointer: op.pointer.clone(),
                in_old: false,
            }),
            None => {}
        }
    }
    for op in &old.operations {
        if !matched_old.contains(op.id.as_str()) {
            changes.push(Change {
                class: Class::Breaking,
                id: "operation-removed",
                operation: op.id.clone(),
                message: format!("{} {} was removed", op.method, op.path),
                pointer: op.pointer.clone(),
                in_old: true,
            });
        }
    }
    changes
}

/// Pairs by operationId, then the rest by method and path.
fn match_operations<'a>(old: &'a Api, new: &'a Api) -> Vec<(&'a Operation, &'a Operation)> {
    let mut pairs: Vec<(&Operation, &Operation)> = Vec::new();
    for before in &old.operations {
        if let Some(after) = new.operations.iter().find(|n| n.id == before.id) {
            pairs.push((before, after));
        }
    }
    for before in &old.operations {
        if pairs.iter().any(|(o, _)| o.id == before.id) {
            continue;
        }
        let renamed = new.operations.iter().find(|n| {
            n.method == before.method
                && n.path == before.path
                && !pairs.iter().any(|(_, p)| p.id == n.id)
                && old.operations.iter().all(|o| o.id != n.id)
        });
        if let Some(after) = renamed {
            pairs.push((before, after));
        }
    }
    pairs
}

struct OperationDiff<'a> {
    old: &'a Api,
    new: &'a Api,
    before: &'a Operation,
    after: &'a Operation,
    changes: Vec<Change>,
}

impl OperationDiff<'_> {
    fn push(&mut self, class: Class, id: &'static str, message: String) {
        self.changes.push(Change {
            class,
            id,
            operation: self.after.id.clone(),
            message,
            pointer: self.after.pointer.clone(),
            in_old: false,
        });
    }

    fn compare(&mut self) {
        self.identity();
        self.auth();
        self.guards();
        self.effects();
        self.params();
        self.body();
        self.answers();
    }

    fn identity(&mut self) {
        let (before, after) = (self.before, self.after);
        if before.id != after.id {
            self.push(
                Class::Breaking,
                "operation-renamed",
                format!(
                    "operationId `{}` became `{}` (generated method, tool and command names change)",
                    before.id, after.id
                ),
            );
        }
        if before.method != after.method || before.path != after.path {
            self.push(
                Class::Breaking,
                "operation-moved",
                format!(
                    "{} {} moved to {} {}",
                    before.method, before.path, after.method, after.path
                ),
            );
        }
    }

    fn auth(&mut self) {
        let (before, after) = (&self.before.auth, &self.after.auth);
        if !before.admits_anonymous() && after.admits_anonymous() {
            self.push(
                Class::Security,
                "became-public",
                "can now be called without any credential".to_string(),
            );
        }
        let old_alts = alternatives(before);
        let new_alts = alternatives(after);
        for (credentials, needs) in &new_alts {
            let routing = &needs.routing;
            match old_alts.get(credentials) {
                None if !credentials.is_empty() => {
                    self.push(
                        Class::Security,
                        "credential-alternative-added",
                        format!(
                            "widened: now also accepts {}",
                            alternative_text(credentials, routing)
                        ),
                    );
                    self.outside_service(credentials);
                }
                None => {}
                Some(old) => {
                    self.scopes(credentials, &old.scopes, &needs.scopes);
                    let old_routing = &old.routing;
                    for dropped in old_routing.difference(routing) {
                        self.push(
                            Class::Security,
                            "routing-dropped",
                            format!(
                                "{} no longer requires the routing header `{dropped}`",
                                alternative_text(credentials, &BTreeSet::new())
                            ),
                        );
                    }
                    for added in routing.difference(old_routing) {
                        self.push(
                            Class::Breaking,
                            "routing-required",
                            format!(
                                "{} now also requires the routing header `{added}`",
                                alternative_text(credentials, &BTreeSet::new())
                            ),
                        );
                    }
                }
            }
        }
        // An operation that became public lost no caller: its old
        // alternatives are not "narrowed".
        let became_public = !before.admits_anonymous() && after.admits_anonymous();
        for (credentials, needs) in &old_alts {
            let routing = &needs.routing;
            if !new_alts.contains_key(credentials) && !credentials.is_empty() && !became_public {
                self.push(
                    Class::Security,
                    "credential-alternative-removed",
                    format!(
                        "narrowed: no longer accepts {}",
                        alternative_text(credentials, routing)
                    ),
                );
            }
        }
    }

    /// Fewer scopes let more tokens in (security); more scopes lock callers out (breaking).
    fn scopes(
        &mut self,
        credentials: &BTreeSet<String>,
        old: &BTreeSet<String>,
        new: &BTreeSet<String>,
    ) {
        let alternative = alternative_text(credentials, &BTreeSet::new());
        for dropped in old.difference(new) {
            self.push(
                Class::Security,
                "scope-dropped",
                format!("{alternative} no longer needs the scope `{dropped}`"),
            );
        }
        for added in new.difference(old) {
            self.push(
                Class::Breaking,
                "scope-required",
                format!("{alternative} now also needs the scope `{added}`"),
            );
        }
    }

    /// A newly accepted credential that its declared services do not include.
    fn outside_service(&mut self, credentials: &BTreeSet<String>) {
        for id in credentials {
            let Some(credential) = self.new.credential(&CredentialId(id.clone())) else {
                continue;
            };
            let was_accepted = self.before.auth.accepts(&CredentialId(id.clone()));
            if !was_accepted
                && !credential.services.is_empty()
                && !credential.services.contains(&self.after.service)
            {
                self.push(
                    Class::Security,
                    "credential-outside-service",
                    format!(
                        "`{id}` is now accepted on service `{}`, which it is not declared for",
                        self.after.service
                    ),
                );
            }
        }
    }

    fn guards(&mut self) {
        let before: BTreeMap<String, &Guard> = self
            .before
            .guards
            .iter()
            .map(|g| (guard_key(g), g))
            .collect();
        let after: BTreeMap<String, &Guard> = self
            .after
            .guards
            .iter()
            .map(|g| (guard_key(g), g))
            .collect();
        for (key, guard) in &before {
            match after.get(key) {
                None => self.push(
                    Class::Security,
                    "guard-removed",
                    format!("the {} guard is gone: {}", guard.kind(), guard.describe()),
                ),
                Some(now) if now != guard => self.push(
                    Class::Security,
                    "guard-changed",
                    format!(
                        "the {} guard changed (weaker or not): was {}; now {}",
                        guard.kind(),
                        guard.describe(),
                        now.describe()
                    ),
                ),
                Some(_) => {}
            }
        }
        for (key, guard) in &after {
            if !before.contains_key(key) {
                self.push(
                    Class::NonBreaking,
                    "guard-added",
                    format!("a {} guard was added: {}", guard.kind(), guard.describe()),
                );
            }
        }
    }

    fn effects(&mut self) {
        let before: BTreeSet<String> = self.before.effects.iter().map(|e| e.describe()).collect();
        let after: BTreeSet<String> = self.after.effects.iter().map(|e| e.describe()).collect();
        for effect in after.difference(&before) {
            self.push(Class::Effects, "effect-added", format!("now {effect}"));
        }
        for effect in before.difference(&after) {
            self.push(
                Class::Effects,
                "effect-removed",
                format!("no longer {effect}"),
            );
        }
    }

    fn params(&mut self) {
        let key = |location: ParamLocation, name: &str| {
            format!("{} parameter `{name}`", location.as_str())
        };
        for before in &self.before.params {
            let what = key(before.location, &before.name);
            match self.after.param(before.location, &before.name) {
                None => self.push(
                    Class::Breaking,
                    "parameter-removed",
                    format!("{what} was removed"),
                ),
                Some(after) => {
                    if !before.required && after.required {
                        self.push(
                            Class::Breaking,
                            "parameter-became-required",
                            format!("{what} became required"),
                        );
                    }
                    self.shapes(&what, &before.ty, &after.ty, Direction::Request);
                }
            }
        }
        for after in &self.after.params {
            if self.before.param(after.location, &after.name).is_none() {
                let what = key(after.location, &after.name);
                if after.required {
                    self.push(
                        Class::Breaking,
                        "required-parameter-added",
                        format!("required {what} was added"),
                    );
                } else {
                    self.push(
                        Class::NonBreaking,
                        "parameter-added",
                        format!("optional {what} was added"),
                    );
                }
            }
        }
    }

    fn body(&mut self) {
        match (&self.before.body, &self.after.body) {
            (Some(before), Some(after)) => {
                if !before.required && after.required {
                    self.push(
                        Class::Breaking,
                        "body-became-required",
                        "the request body became required".into(),
                    );
                }
                if before.media_type != after.media_type {
                    self.push(
                        Class::Breaking,
                        "body-media-type-changed",
                        format!(
                            "the request body moved from `{}` to `{}`",
                            before.media_type, after.media_type
                        ),
                    );
                }
                self.shapes(
                    "the request body",
                    &before.ty,
                    &after.ty,
                    Direction::Request,
                );
            }
            (None, Some(after)) if after.required => self.push(
                Class::Breaking,
                "body-added",
                "a required request body was added".into(),
            ),
            (None, Some(_)) => self.push(
                Class::NonBreaking,
                "body-added",
                "an optional request body was added".into(),
            ),
            (Some(_), None) => self.push(
                Class::Breaking,
                "body-removed",
                "the request body was removed".into(),
            ),
            (None, None) => {}
        }
    }

    fn answers(&mut self) {
        for before in &self.before.responses {
            let Some(after) = self.after.response(before.status) else {
                if before.status.is_success() {
                    self.push(
                        Class::Breaking,
                        "success-status-removed",
                        format!("the {} answer was removed", before.status),
                    );
                }
                continue;
            };
            if !before.status.is_success() {
                continue;
            }
            if let (Some(old_ty), Some(new_ty)) = (&before.ty, &after.ty) {
                self.shapes(
                    &format!("the {} answer", before.status),
                    old_ty,
                    new_ty,
                    Direction::Response,
                );
            }
        }
        for after in &self.after.responses {
            if self.before.response(after.status).is_none() && after.status != Status::Default {
                self.push(
                    Class::NonBreaking,
                    "status-added",
                    format!("a {} answer is now documented", after.status),
                );
            }
        }
    }

    fn shapes(
        &mut self,
        what: &str,
        before: &crate::ir::Type,
        after: &crate::ir::Type,
        direction: Direction,
    ) {
        let found = ShapeDiff::new(self.old, self.new, direction).compare(what, before, after);
        for (class, id, message) in found {
            self.push(class, id, message);
        }
    }
}

/// What one alternative needs besides its credentials.
struct Needs {
    routing: BTreeSet<String>,
    /// `credential: scope` pairs.
    scopes: BTreeSet<String>,
}

/// Alternatives keyed by their credential set.
fn alternatives(auth: &Auth) -> BTreeMap<BTreeSet<String>, Needs> {
    auth.alternatives()
        .iter()
        .map(|alternative: &Requirement| {
            let needs = Needs {
                routing: alternative.routing.iter().map(|r| r.0.clone()).collect(),
                scopes: alternative
                    .all_scopes()
                    .map(|(id, scope)| format!("{id}: {scope}"))
                    .collect(),
            };
            let credentials = alternative
                .credentials
                .iter()
                .map(|c| c.0.clone())
                .collect();
            (credentials, needs)
        })
        .collect()
}

fn alternative_text(credentials: &BTreeSet<String>, routing: &BTreeSet<String>) -> String {
    let parts: Vec<String> = credentials
        .iter()
        .chain(routing)
        .map(|p| format!("`{p}`"))
        .collect();
    parts.join(" + ")
}

/// Guards of one kind on one thing are the same guard across versions.
fn guard_key(guard: &Guard) -> String {
    match guard {
        Guard::DryRun { param, .. } => format!("dry-run {param}"),
        Guard::Confirm { field, .. } => format!("confirm {field}"),
        Guard::Force { field, .. } => format!("force {field}"),
        Guard::Precondition { status, code, .. } => format!("precondition {status} {code}"),
        Guard::DestructiveFlag { param, .. } => format!("destructive-flag {param}"),
    }
}
