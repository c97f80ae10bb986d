//! The diff as text for people, JSON for machines, markdown for a pull
//! request comment (fitted to GitHub's 65,536 characters), and findings for
//! the CI formats. Each change comes with where it is.

use serde_json::{Value, json};

use super::{Change, Class, Outcome, kinds};
use crate::acceptance::Acceptance;
use crate::findings::{self, Finding, Place, Position, Rule, Severity};

/// The most characters a GitHub pull-request comment holds.
pub const COMMENT_LIMIT: usize = 65_536;

/// What the reports are made of: the outcome and where things are.
pub struct View<'a> {
    pub outcome: &'a Outcome<'a>,
    /// Where a change is.
    pub place: &'a dyn Fn(&Change) -> Place,
    /// Where `info.version` is in the new spec.
    pub version_place: Place,
    /// The policy file, when one was read.
    pub policy: Option<&'a str>,
}

impl View<'_> {
    fn acceptance_place(&self, acceptance: &Acceptance) -> Option<Place> {
        self.policy.map(|file| Place {
            file: file.to_string(),
            position: acceptance
                .position
                .map(|(line, column)| Position { line, column }),
        })
    }
}

fn show(place: &Place) -> String {
    match place.position {
        Some(p) => format!("{}:{}:{}", place.file, p.line, p.column),
        None => place.file.clone(),
    }
}

fn summary(view: &View<'_>) -> String {
    let applied = &view.outcome.applied;
    let mut parts: Vec<String> = Class::ALL
        .iter()
        .map(|class| {
            let count = applied
                .reported
                .iter()
                .filter(|c| c.class == *class)
                .count();
            format!("{count} {class}")
        })
        .collect();
    if !applied.accepted.is_empty() {
        parts.push(format!("{} accepted", applied.accepted.len()));
    }
    parts.join(", ")
}

/// Why the run fails, one line each; empty when it passes.
fn failures(view: &View<'_>) -> Vec<String> {
    let outcome = view.outcome;
    let mut lines = Vec::new();
    let failing = outcome
        .applied
        .reported
        .iter()
        .filter(|c| outcome.fails_on(c))
        .count();
    if failing > 0 {
        lines.push(format!("{failing} change(s) of a class --fail-on names"));
    }
    if outcome.breaking_without_major() {
        lines.push(format!(
            "breaking changes without a major version step ({})",
            outcome.version.describe()
        ));
    }
    for acceptance in &outcome.applied.expired {
        lines.push(acceptance.expired_message());
    }
    lines
}

fn reaches(change: &Change) -> Option<String> {
    (!change.reaches.is_empty()).then(|| {
        format!(
            "reaches {} operations: {}",
            change.reaches.len(),
            change.reaches.join(", ")
        )
    })
}

pub fn text(view: &View<'_>) -> String {
    let applied = &view.outcome.applied;
    let mut out = String::new();
    for class in Class::ALL {
        let of_class: Vec<&Change> = applied
            .reported
            .iter()
            .filter(|c| c.class == class)
            .collect();
        if of_class.is_empty() {
            continue;
        }
        out.push_str(&format!("{class} ({})\n", of_class.len()));
        for change in of_class {
            out.push_str(&format!(
                "  {}: [{}] {}\n      at {}\n",
                subject(change),
                change.id,
                change.message,
                show(&(view.place)(change))
            ));
            if let Some(reaches) = reaches(change) {
                out.push_str(&format!("      {reaches}\n"));
            }
        }
    }
    if !applied.accepted.is_empty() {
        out.push_str(&format!("accepted ({})\n", applied.accepted.len()));
        for (change, acceptance) in &applied.accepted {
            out.push_str(&format!(
                "  {}: [{}] {}\n      accepted: {}\n",
                subject(change),
                change.id,
                change.message,
                acceptance.reason
            ));
        }
    }
    for acceptance in &applied.expired {
        let at = view
            .acceptance_place(acceptance)
            .map(|p| show(&p))
            .unwrap_or_default();
        out.push_str(&format!("{at}: error: {}\n", acceptance.expired_message()));
    }
    for acceptance in &applied.stale {
        let at = view
            .acceptance_place(acceptance)
            .map(|p| show(&p))
            .unwrap_or_default();
        out.push_str(&format!("{at}: warning: {}\n", acceptance.stale_message()));
    }
    let version = &view.outcome.version;
    let gated = view
        .outcome
        .fail_on
        .contains(&super::FailOn::BreakingWithoutMajor);
    if version.old != version.new || gated {
        out.push_str(&format!("{}\n", version.describe()));
    }
    for line in failures(view) {
        out.push_str(&format!("fails: {line}\n"));
    }
    out.push_str(&format!("tiergen diff: {}\n", summary(view)));
    out
}

/// `operation`, or `schema Name` for a change to a named schema.
fn subject(change: &Change) -> String {
    match &change.schema {
        Some(schema) if !change.reaches.is_empty() => format!("schema {schema}"),
        _ => change.operation.clone(),
    }
}

fn change_json(view: &View<'_>, change: &Change) -> Value {
    let mut value = serde_json::to_value(change).unwrap_or_default();
    value["at"] = json!(show(&(view.place)(change)));
    value
}

fn acceptance_json(view: &View<'_>, acceptance: &Acceptance) -> Value {
    json!({
        "change": acceptance.id,
        "operation": acceptance.operation,
        "reason": acceptance.reason,
        "expires": acceptance.expires.map(|d| d.to_string()),
        "at": view.acceptance_place(acceptance).map(|p| show(&p)),
    })
}

pub fn json(view: &View<'_>) -> String {
    let applied = &view.outcome.applied;
    let counts: serde_json::Map<String, Value> = Class::ALL
        .iter()
        .map(|class| {
            let count = applied
                .reported
                .iter()
                .filter(|c| c.class == *class)
                .count();
            (class.name().to_string(), json!(count))
        })
        .collect();
    let version = &view.outcome.version;
    let report = json!({
        "counts": counts,
        "changes": applied.reported.iter().map(|c| change_json(view, c)).collect::<Vec<_>>(),
        "accepted": applied.accepted.iter().map(|(c, a)| {
            let mut value = change_json(view, c);
            value["reason"] = json!(a.reason);
            value
        }).collect::<Vec<_>>(),
        "expired": applied.expired.iter().map(|a| acceptance_json(view, a)).collect::<Vec<_>>(),
        "stale": applied.stale.iter().map(|a| acceptance_json(view, a)).collect::<Vec<_>>(),
        "version": { "old": version.old, "new": version.new, "major": version.major },
        "fails": view.outcome.fails(),
    });
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_else(|_| "{}".to_string());
    text.push('\n');
    text
}

/// Markdown for a pull-request comment: the verdict and counts first, each
/// class folded under `<details>` (breaking open), and rows cut off with a
/// count before the text would pass `limit` characters.
pub fn markdown(view: &View<'_>, limit: usize) -> String {
    let applied = &view.outcome.applied;
    let mut out = format!("### tiergen diff: {}\n", summary(view));
    let failures = failures(view);
    if failures.is_empty() {
        out.push_str("\nPasses.\n");
    } else {
        out.push_str("\n**Fails:**\n");
        for line in &failures {
            out.push_str(&format!("- {}\n", cell(line)));
        }
    }
    out.push_str(&format!("\n{}\n", cell(&view.outcome.version.describe())));
    for acceptance in &applied.stale {
        out.push_str(&format!(
            "\n> warning: {}\n",
            cell(&acceptance.stale_message())
        ));
    }
    if applied.reported.is_empty() && applied.accepted.is_empty() {
        out.push_str("\nNo changes to operations, credentials, guards, effects or shapes.\n");
        return out;
    }
    // What is kept back so that the cut-off note and closing tags fit.
    const RESERVE: usize = 400;
    let mut omitted = 0;
    let sections = Class::ALL.iter().map(|class| {
        let rows: Vec<String> = applied
            .reported
            .iter()
            .filter(|c| c.class == *class)
            .map(|c| row(view, c, None))
            .collect();
        (title(*class), *class == Class::Breaking, rows)
    });
    let accepted_rows: Vec<String> = applied
        .accepted
        .iter()
        .map(|(c, a)| row(view, c, Some(&a.reason)))
        .collect();
    for (title, open, rows) in sections.chain([("Accepted", false, accepted_rows)]) {
        if rows.is_empty() {
            continue;
        }
        let head = format!(
            "\n<details{}>\n<summary>{title} ({})</summary>\n\n| Operation | Change | What | Where |\n|---|---|---|---|\n",
            if open { " open" } else { "" },
            rows.len()
        );
        let tail = "\n</details>\n";
        if out.len() + head.len() + tail.len() + RESERVE > limit {
            omitted += rows.len();
            continue;
        }
        out.push_str(&head);
        for row in rows {
            if out.len() + row.len() + tail.len() + RESERVE > limit {
                omitted += 1;
                continue;
            }
            out.push_str(&row);
        }
        out.push_str(tail);
    }
    if omitted > 0 {
        out.push_str(&format!(
            "\n…and {omitted} more change(s) not shown to fit a comment; `tiergen diff --format json` lists them all.\n"
        ));
    }
    out
}

fn title(class: Class) -> &'static str {
    match class {
        Class::Breaking => "Breaking",
        Class::Security => "Security",
        Class::Effects => "Effects",
        Class::NonBreaking => "Non-breaking",
    }
}

fn row(view: &View<'_>, change: &Change, reason: Option<&str>) -> String {
    let mut what = change.message.clone();
    if let Some(reaches) = reaches(change) {
        what.push_str(&format!(" ({reaches})"));
    }
    if let Some(reason) = reason {
        what.push_str(&format!(" — accepted: {reason}"));
    }
    format!(
        "| `{}` | `{}` | {} | `{}` |\n",
        subject(change),
        change.id,
        cell(&what),
        show(&(view.place)(change)).replace('`', "'")
    )
}

/// Text safe inside a markdown table cell (and MDX).
fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('{', "&#123;")
        .replace('}', "&#125;")
        .replace('\n', " ")
}

/// The outcome as findings for the CI formats: each change of a failing
/// class (or breaking without a major step) is an error, other breaking,
/// security and effects changes warnings, the rest notes; an expired
/// acceptance is an error at its line in the policy, a stale one a warning.
pub fn findings(view: &View<'_>) -> findings::Report {
    let outcome = view.outcome;
    let applied = &outcome.applied;
    let gate = outcome.breaking_without_major();
    let mut found: Vec<Finding> = Vec::new();
    for change in &applied.reported {
        let severity = if outcome.fails_on(change) || (gate && change.class == Class::Breaking) {
            Severity::Error
        } else if change.class == Class::NonBreaking {
            Severity::Note
        } else {
            Severity::Warning
        };
        let mut message = format!("{} ({})", change.message, change.class);
        if let Some(reaches) = reaches(change) {
            message.push_str(&format!("; {reaches}"));
        }
        found.push(Finding {
            rule: change.id,
            severity,
            subject: subject(change),
            message,
            place: Some((view.place)(change)),
        });
    }
    for (change, acceptance) in &applied.accepted {
        found.push(Finding {
            rule: change.id,
            severity: Severity::Note,
            subject: subject(change),
            message: format!("{} (accepted: {})", change.message, acceptance.reason),
            place: Some((view.place)(change)),
        });
    }
    found.extend(crate::acceptance::findings(
        applied.expired.iter().copied(),
        applied.stale.iter().copied(),
        view.policy,
    ));
    if gate {
        found.push(Finding {
            rule: BREAKING_WITHOUT_MAJOR,
            severity: Severity::Error,
            subject: "info.version".to_string(),
            message: format!(
                "breaking changes need a major version step; {}",
                outcome.version.describe()
            ),
            place: Some(view.version_place.clone()),
        });
    }
    findings::Report {
        command: "diff",
        rules: rules_of(&found),
        findings: found,
        summary: summary(view),
    }
}

const BREAKING_WITHOUT_MAJOR: &str = "breaking-without-major";

/// The rule of every kind the findings name, in the kinds' order.
fn rules_of(found: &[Finding]) -> Vec<Rule> {
    let named = |id: &str| found.iter().any(|f| f.rule == id);
    let help = "fix the spec, or let the change through in the change policy (X.diff.yaml) \
                with a reason, or give its kind another class there";
    let mut rules: Vec<Rule> = kinds::ALL
        .iter()
        .filter(|kind| named(kind.id))
        .map(|kind| Rule {
            id: kind.id,
            summary: kind.summary.to_string(),
            help: help.to_string(),
            default: match kind.class {
                Class::NonBreaking => Severity::Note,
                _ => Severity::Warning,
            },
        })
        .collect();
    if named(BREAKING_WITHOUT_MAJOR) {
        rules.push(Rule {
            id: BREAKING_WITHOUT_MAJOR,
            summary: "a breaking change without a major step of info.version".to_string(),
            help: "raise the major version, or make the change compatible".to_string(),
            default: Severity::Error,
        });
    }
    rules.extend(crate::acceptance::rules(found));
    rules
}
