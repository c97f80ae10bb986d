//! `tiergen diff`: what changed between two versions of an API, classed by
//! who it hurts. Operations are matched by operationId, then by method and
//! path (a new operationId on the same route is a rename); then their auth,
//! guards, effects, parameters, bodies and answers are compared.

mod kinds;
pub mod policy;
mod removal;
mod report;
mod shapes;
mod source;
mod version;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::error::escape_token;
use crate::ir::{
    Api, Auth, CredentialId, Date, Direction, Guard, Operation, ParamLocation, Requirement,
    Stability, Status,
};
pub use kinds::Kind;

/// Every kind of change the diff reports, in the README's order.
pub fn kinds() -> &'static [&'static Kind] {
    kinds::ALL
}

/// The kinds as the README's markdown table (a test keeps README equal).
pub fn kinds_table() -> String {
    let mut table = String::from("| id | class | what |\n|---|---|---|\n");
    for kind in kinds::ALL {
        table.push_str(&format!(
            "| `{}` | {} | {} |\n",
            kind.id,
            kind.class,
            kind.summary.replace('|', "\\|")
        ));
    }
    table
}
use removal::Removal;
use shapes::ShapeDiff;

pub use report::{COMMENT_LIMIT, View, findings, json, markdown, text};
pub use source::{Side, load, load_both, load_policy};
pub use version::VersionStep;

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

/// What makes `tiergen diff` exit 1: a change of a class, or a breaking
/// change without a major version step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    Class(Class),
    BreakingWithoutMajor,
}

impl FromStr for FailOn {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == "breaking-without-major" {
            return Ok(FailOn::BreakingWithoutMajor);
        }
        s.parse().map(FailOn::Class).map_err(|_| {
            format!(
                "unknown --fail-on {s:?} (known: breaking, security, effects, non-breaking, \
                 breaking-without-major)"
            )
        })
    }
}

/// A diff after the policy, with the version step: what the reports show.
pub struct Outcome<'p> {
    pub applied: policy::Applied<'p>,
    pub version: VersionStep,
    pub fail_on: Vec<FailOn>,
}

impl Outcome<'_> {
    /// True when the run fails: an acceptance expired, a change of a
    /// failing class is reported, or a breaking change came without a
    /// major version step.
    pub fn fails(&self) -> bool {
        !self.applied.expired.is_empty()
            || self.applied.reported.iter().any(|c| self.fails_on(c))
            || self.breaking_without_major()
    }

    /// True when this change alone fails the run by its class.
    pub fn fails_on(&self, change: &Change) -> bool {
        self.fail_on.contains(&FailOn::Class(change.class))
    }

    /// True when the version gate is asked for and not met.
    pub fn breaking_without_major(&self) -> bool {
        self.fail_on.contains(&FailOn::BreakingWithoutMajor)
            && self.version.major != Some(true)
            && self
                .applied
                .reported
                .iter()
                .any(|c| c.class == Class::Breaking)
    }
}

/// One change between the two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub class: Class,
    /// A stable id of the kind of change, e.g. `credential-alternative-added`
    /// (the table is [`kinds::ALL`]).
    pub id: &'static str,
    /// The operationId (in the new spec when it still exists); for a change
    /// to a schema, the first operation it reaches.
    pub operation: String,
    /// Every operation a change to a schema reaches, when more than one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reaches: Vec<String>,
    /// The component schema the change is in, when it is in one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    pub message: String,
    /// Where the change is: the field that changed in the new spec, or in the
    /// old one for a removal.
    pub pointer: String,
    /// True when `pointer` is in the old spec.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub in_old: bool,
}

/// What a diff needs besides the two versions.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The day sunset dates are compared with.
    pub today: Date,
}

/// Every change from `old` to `new`, in the new spec's operation order
/// (removals last), each operation's changes by class. A change to a named
/// schema is reported once, with every operation it reaches.
pub fn diff(old: &Api, new: &Api, options: &Options) -> Vec<Change> {
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
                    today: options.today,
                    changes: Vec::new(),
                };
                found.compare();
                found.changes.sort_by_key(|c| c.class);
                changes.extend(found.changes);
            }
            None if !matched_new.contains(op.id.as_str()) => changes.push(Change::new(
                kinds::OPERATION_ADDED,
                &op.id,
                format!("{} {} was added", op.method, op.path),
                op.pointer.clone(),
            )),
            None => {}
        }
    }
    for op in &old.operations {
        if !matched_old.contains(op.id.as_str()) {
            let mut change = removal(op, options.today);
            if op.stability.is_some_and(|s| !s.promises_compatibility()) {
                change.exempt(op.stability);
            }
            changes.push(change);
        }
    }
    once_per_schema(changes)
}

impl Change {
    fn new(kind: &'static Kind, operation: &str, message: String, pointer: String) -> Change {
        Change {
            class: kind.class,
            id: kind.id,
            operation: operation.to_string(),
            reaches: Vec::new(),
            schema: None,
            message,
            pointer,
            in_old: false,
        }
    }

    /// The operations this change reaches.
    pub fn operations(&self) -> Vec<&str> {
        if self.reaches.is_empty() {
            vec![self.operation.as_str()]
        } else {
            self.reaches.iter().map(String::as_str).collect()
        }
    }

    /// A change to a draft or alpha operation breaks no promise.
    fn exempt(&mut self, stability: Option<Stability>) {
        if self.class == Class::Breaking {
            self.class = Class::NonBreaking;
            let level = stability.map_or("unstable", Stability::name);
            self.message.push_str(&format!(
                " (the operation is {level}: no compatibility promised)"
            ));
        }
    }
}

/// How an operation's removal is classed: planned when it was deprecated
/// and its sunset has come, an accident otherwise.
fn removal(op: &Operation, today: Date) -> Change {
    let removal = Removal::of(&op.lifecycle, today);
    let kinds = removal::Kinds {
        unannounced: kinds::OPERATION_REMOVED,
        before_sunset: kinds::OPERATION_REMOVED_BEFORE_SUNSET,
        planned: kinds::OPERATION_SUNSET,
    };
    let message = format!("{} {} {}", op.method, op.path, removal.phrase());
    let mut change = Change::new(removal.kind(&kinds), &op.id, message, op.pointer.clone());
    change.in_old = true;
    change
}

/// Merges the copies of one schema change (same kind, place and message)
/// that each operation reaching it found, keeping the first one's position.
fn once_per_schema(changes: Vec<Change>) -> Vec<Change> {
    let mut out: Vec<Change> = Vec::new();
    let mut index: BTreeMap<(&'static str, String, String, Class), usize> = BTreeMap::new();
    for change in changes {
        if change.schema.is_none() {
            out.push(change);
            continue;
        }
        let key = (
            change.id,
            change.pointer.clone(),
            change.message.clone(),
            change.class,
        );
        match index.get(&key) {
            Some(&at) => {
                let first = &mut out[at];
                if first.reaches.is_empty() {
                    first.reaches.push(first.operation.clone());
                }
                if !first.reaches.contains(&change.operation) {
                    first.reaches.push(change.operation);
                }
            }
            None => {
                index.insert(key, out.len());
                out.push(change);
            }
        }
    }
    out
}

/// Pairs by operationId, then the rest by method and path (a path whose
/// parameters were only renamed, `{bookId}` → `{id}`, is the same path).
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
                && template(&n.path) == template(&before.path)
                && !pairs.iter().any(|(_, p)| p.id == n.id)
                && old.operations.iter().all(|o| o.id != n.id)
        });
        if let Some(after) = renamed {
            pairs.push((before, after));
        }
    }
    pairs
}

/// A path with its parameter names blanked: `/books/{}`.
fn template(path: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push_str("{}");
            }
            '}' => inside = false,
            _ if inside => {}
            _ => out.push(c),
        }
    }
    out
}

/// The names of a path's parameters, in order: `/a/{x}/b/{y}` → `[x, y]`.
fn path_names(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

struct OperationDiff<'a> {
    old: &'a Api,
    new: &'a Api,
    before: &'a Operation,
    after: &'a Operation,
    today: Date,
    changes: Vec<Change>,
}

impl OperationDiff<'_> {
    /// A change to the operation as a whole, at its line.
    fn push(&mut self, kind: &'static Kind, message: String) {
        let pointer = self.after.pointer.clone();
        self.push_at(kind, message, pointer);
    }

    /// A change at `pointer` in the new spec.
    fn push_at(&mut self, kind: &'static Kind, message: String, pointer: String) {
        self.changes
            .push(Change::new(kind, &self.after.id, message, pointer));
    }

    fn compare(&mut self) {
        self.identity();
        self.lifecycle();
        self.auth();
        self.guards();
        self.effects();
        self.params();
        self.body();
        self.answers();
        let stability = self.before.stability;
        if stability.is_some_and(|s| !s.promises_compatibility()) {
            for change in &mut self.changes {
                if change.id != kinds::STABILITY_DECREASED.id {
                    change.exempt(stability);
                }
            }
        }
    }

    fn identity(&mut self) {
        let (before, after) = (self.before, self.after);
        if before.id != after.id {
            self.push(
                kinds::OPERATION_RENAMED,
                format!(
                    "operationId `{}` became `{}` (generated method, tool and command names change)",
                    before.id, after.id
                ),
            );
        }
        if before.method != after.method || template(&before.path) != template(&after.path) {
            self.push(
                kinds::OPERATION_MOVED,
                format!(
                    "{} {} moved to {} {}",
                    before.method, before.path, after.method, after.path
                ),
            );
        }
    }

    /// Deprecation, sunset dates and stability levels.
    fn lifecycle(&mut self) {
        let (before, after) = (self.before, self.after);
        if !before.lifecycle.deprecated && after.lifecycle.deprecated {
            let when = after
                .lifecycle
                .sunset
                .map_or_else(String::new, |date| format!(", to be removed from {date}"));
            self.push(
                kinds::OPERATION_DEPRECATED,
                format!("the operation became deprecated{when}"),
            );
        }
        if let (Some(was), Some(is)) = (before.lifecycle.sunset, after.lifecycle.sunset)
            && is < was
        {
            self.push(
                kinds::SUNSET_MOVED_EARLIER,
                format!("its sunset date moved earlier, from {was} to {is}"),
            );
        }
        if let (Some(was), Some(is)) = (before.stability, after.stability)
            && is < was
        {
            self.push(
                kinds::STABILITY_DECREASED,
                format!("its stability level went down from {was} to {is}"),
            );
        }
    }

    fn auth(&mut self) {
        let (before, after) = (&self.before.auth, &self.after.auth);
        if !before.admits_anonymous() && after.admits_anonymous() {
            self.push(
                kinds::BECAME_PUBLIC,
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
                        kinds::CREDENTIAL_ALTERNATIVE_ADDED,
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
                            kinds::ROUTING_DROPPED,
                            format!(
                                "{} no longer requires the routing header `{dropped}`",
                                alternative_text(credentials, &BTreeSet::new())
                            ),
                        );
                    }
                    for added in routing.difference(old_routing) {
                        self.push(
                            kinds::ROUTING_REQUIRED,
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
                    kinds::CREDENTIAL_ALTERNATIVE_REMOVED,
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
                kinds::SCOPE_DROPPED,
                format!("{alternative} no longer needs the scope `{dropped}`"),
            );
        }
        for added in new.difference(old) {
            self.push(
                kinds::SCOPE_REQUIRED,
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
                    kinds::CREDENTIAL_OUTSIDE_SERVICE,
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
                    kinds::GUARD_REMOVED,
                    format!("the {} guard is gone: {}", guard.kind(), guard.describe()),
                ),
                Some(now) if now != guard => self.push(
                    kinds::GUARD_CHANGED,
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
                    kinds::GUARD_ADDED,
                    format!("a {} guard was added: {}", guard.kind(), guard.describe()),
                );
            }
        }
    }

    fn effects(&mut self) {
        let before: BTreeSet<String> = self.before.effects.iter().map(|e| e.describe()).collect();
        let after: BTreeSet<String> = self.after.effects.iter().map(|e| e.describe()).collect();
        for effect in after.difference(&before) {
            self.push(kinds::EFFECT_ADDED, format!("now {effect}"));
        }
        for effect in before.difference(&after) {
            self.push(kinds::EFFECT_REMOVED, format!("no longer {effect}"));
        }
    }

    fn params(&mut self) {
        let key = |location: ParamLocation, name: &str| {
            format!("{} parameter `{name}`", location.as_str())
        };
        let renamed = renamed_path_params(self.before, self.after);
        let at = format!("{}/parameters", self.after.pointer);
        for before in &self.before.params {
            let what = key(before.location, &before.name);
            let name = match before.location {
                ParamLocation::Path => renamed
                    .get(before.name.as_str())
                    .copied()
                    .unwrap_or(&before.name),
                _ => &before.name,
            };
            let Some(after) = self.after.param(before.location, name) else {
                let removal = Removal::of(&before.lifecycle, self.today);
                let kinds = removal::Kinds {
                    unannounced: kinds::PARAMETER_REMOVED,
                    before_sunset: kinds::PARAMETER_REMOVED_BEFORE_SUNSET,
                    planned: kinds::PARAMETER_SUNSET,
                };
                let message = format!("{what} {}", removal.phrase());
                self.push_at(removal.kind(&kinds), message, at.clone());
                continue;
            };
            if !before.lifecycle.deprecated && after.lifecycle.deprecated {
                self.push_at(
                    kinds::PARAMETER_DEPRECATED,
                    format!("{what} became deprecated"),
                    at.clone(),
                );
            }
            if !before.required && after.required {
                self.push_at(
                    kinds::PARAMETER_BECAME_REQUIRED,
                    format!("{what} became required"),
                    at.clone(),
                );
            }
            if !after.required && before.ty.default != after.ty.default {
                let show = |v: &Option<serde_json::Value>| {
                    v.as_ref()
                        .map_or_else(|| "none".to_string(), |v| v.to_string())
                };
                self.push_at(
                    kinds::PARAMETER_DEFAULT_CHANGED,
                    format!(
                        "{what}'s default changed from {} to {}",
                        show(&before.ty.default),
                        show(&after.ty.default)
                    ),
                    at.clone(),
                );
            }
            self.shapes(&what, &at, &before.ty, &after.ty, Direction::Request);
        }
        let renamed_to: BTreeSet<&str> = renamed.values().copied().collect();
        for after in &self.after.params {
            let is_renamed =
                after.location == ParamLocation::Path && renamed_to.contains(after.name.as_str());
            if is_renamed || self.before.param(after.location, &after.name).is_some() {
                continue;
            }
            let what = key(after.location, &after.name);
            if after.required {
                self.push_at(
                    kinds::REQUIRED_PARAMETER_ADDED,
                    format!("required {what} was added"),
                    at.clone(),
                );
            } else {
                self.push_at(
                    kinds::PARAMETER_ADDED,
                    format!("optional {what} was added"),
                    at.clone(),
                );
            }
        }
    }

    fn body(&mut self) {
        let at = format!("{}/requestBody", self.after.pointer);
        match (&self.before.body, &self.after.body) {
            (Some(before), Some(after)) => {
                if !before.required && after.required {
                    self.push_at(
                        kinds::BODY_BECAME_REQUIRED,
                        "the request body became required".into(),
                        at.clone(),
                    );
                }
                let (old, new) = (body_media(before), body_media(after));
                self.media_types(
                    &at,
                    "the request body",
                    &old,
                    &new,
                    (
                        kinds::REQUEST_MEDIA_TYPE_REMOVED,
                        kinds::REQUEST_MEDIA_TYPE_ADDED,
                    ),
                );
                if before.media_type == after.media_type {
                    let schema = format!("{at}/content/{}/schema", escape_token(&after.media_type));
                    self.shapes(
                        "the request body",
                        &schema,
                        &before.ty,
                        &after.ty,
                        Direction::Request,
                    );
                }
            }
            (None, Some(after)) if after.required => self.push_at(
                kinds::REQUIRED_BODY_ADDED,
                "a required request body was added".into(),
                at,
            ),
            (None, Some(_)) => self.push_at(
                kinds::BODY_ADDED,
                "an optional request body was added".into(),
                at,
            ),
            (Some(_), None) => {
                self.push(kinds::BODY_REMOVED, "the request body was removed".into())
            }
            (None, None) => {}
        }
    }

    /// Media types gone from a body or answer, and media types new to it.
    fn media_types(
        &mut self,
        at: &str,
        what: &str,
        before: &[&str],
        after: &[&str],
        (removed, added): (&'static Kind, &'static Kind),
    ) {
        for media in before.iter().filter(|m| !after.contains(m)) {
            self.push_at(
                removed,
                format!("{what} is no longer offered as `{media}`"),
                format!("{at}/content"),
            );
        }
        for media in after.iter().filter(|m| !before.contains(m)) {
            self.push_at(
                added,
                format!("{what} is now also offered as `{media}`"),
                format!("{at}/content/{}", escape_token(media)),
            );
        }
    }

    fn answers(&mut self) {
        for before in &self.before.responses {
            let at = format!("{}/responses/{}", self.after.pointer, before.status);
            let Some(after) = self.after.response(before.status) else {
                if before.status.is_success() {
                    self.push(
                        kinds::SUCCESS_STATUS_REMOVED,
                        format!("the {} answer was removed", before.status),
                    );
                }
                continue;
            };
            if !before.status.is_success() {
                continue;
            }
            let what = format!("the {} answer", before.status);
            self.media_types(
                &at,
                &what,
                &response_media(before),
                &response_media(after),
                (
                    kinds::RESPONSE_MEDIA_TYPE_REMOVED,
                    kinds::RESPONSE_MEDIA_TYPE_ADDED,
                ),
            );
            for header in &before.headers {
                let kept = after
                    .headers
                    .iter()
                    .any(|h| h.name.eq_ignore_ascii_case(&header.name));
                if !kept {
                    self.push_at(
                        kinds::RESPONSE_HEADER_REMOVED,
                        format!("{what} no longer documents the header `{}`", header.name),
                        format!("{at}/headers"),
                    );
                }
            }
            if let (Some(old_ty), Some(new_ty)) = (&before.ty, &after.ty)
                && before.media_type == after.media_type
            {
                let media = after.media_type.as_deref().unwrap_or_default();
                let schema = format!("{at}/content/{}/schema", escape_token(media));
                self.shapes(&what, &schema, old_ty, new_ty, Direction::Response);
            }
        }
        for after in &self.after.responses {
            if self.before.response(after.status).is_none() && after.status != Status::Default {
                self.push_at(
                    kinds::STATUS_ADDED,
                    format!("a {} answer is now documented", after.status),
                    format!("{}/responses/{}", self.after.pointer, after.status),
                );
            }
        }
    }

    fn shapes(
        &mut self,
        what: &str,
        pointer: &str,
        before: &crate::ir::Type,
        after: &crate::ir::Type,
        direction: Direction,
    ) {
        let found = ShapeDiff::new(self.old, self.new, direction, self.today)
            .compare(what, pointer, before, after);
        for found in found {
            let mut change = Change::new(found.kind, &self.after.id, found.message, found.pointer);
            change.schema = found.schema;
            self.changes.push(change);
        }
    }
}

/// The old name of each path parameter that was only renamed.
fn renamed_path_params<'a>(
    before: &'a Operation,
    after: &'a Operation,
) -> BTreeMap<&'a str, &'a str> {
    path_names(&before.path)
        .into_iter()
        .zip(path_names(&after.path))
        .filter(|(old, new)| old != new)
        .collect()
}

fn body_media(body: &crate::ir::Body) -> Vec<&str> {
    std::iter::once(body.media_type.as_str())
        .chain(body.other_media_types.iter().map(String::as_str))
        .collect()
}

fn response_media(response: &crate::ir::Response) -> Vec<&str> {
    response
        .media_type
        .iter()
        .chain(&response.other_media_types)
        .map(String::as_str)
        .collect()
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
