//! Policy rules over the IR. Each rule has an id, a level and a location, and
//! a fixture spec under `tests/fixtures/lint/` that proves it fires.
//!
//! An operation may acknowledge a finding with `x-tiergen-lint-allow:
//! {rule-id: reason}`; acknowledged findings are reported apart and do not
//! fail the run, and an acknowledgment that matches nothing is itself a warning.

mod rules;

use serde::Serialize;

use crate::ir::Api;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Warning,
    Error,
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Level::Warning => "warning",
            Level::Error => "error",
        })
    }
}

/// One rule: its id, level and what it protects against.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Rule {
    pub id: &'static str,
    pub level: Level,
    pub summary: &'static str,
}

/// One finding of one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub level: Level,
    /// The operation it concerns, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// A JSON pointer into the spec (after the overlay is applied).
    pub pointer: String,
    pub message: String,
}

/// A finding an operation has acknowledged, with the reason it gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Acknowledged {
    #[serde(flatten)]
    pub finding: Finding,
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub acknowledged: Vec<Acknowledged>,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.level == Level::Error)
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.level == Level::Warning)
            .count()
    }
}

/// Every rule tiergen knows, in the order they run.
pub fn rules() -> &'static [Rule] {
    rules::ALL
}

/// Runs every rule over `api`.
pub fn lint(api: &Api) -> Report {
    let raw = rules::run_all(api);
    let mut report = Report::default();
    let mut used_allows = std::collections::BTreeSet::new();
    for finding in raw {
        let allow = finding.operation.as_ref().and_then(|id| {
            api.operations
                .iter()
                .find(|op| &op.id == id)
                .and_then(|op| op.lint_allow.iter().find(|(rule, _)| rule == finding.rule))
                .map(|(rule, reason)| ((id.clone(), rule.clone()), reason.clone()))
        });
        match allow {
            Some((key, reason)) => {
                used_allows.insert(key);
                report.acknowledged.push(Acknowledged { finding, reason });
            }
            None => report.findings.push(finding),
        }
    }
    for op in &api.operations {
        for (rule, _) in &op.lint_allow {
            if !used_allows.contains(&(op.id.clone(), rule.clone())) {
                report.findings.push(rules::stale_allow(op, rule));
            }
        }
    }
    report
}

/// The report as pretty JSON with a trailing newline.
pub fn report_json(report: &Report) -> String {
    #[derive(Serialize)]
    struct Out<'a> {
        errors: usize,
        warnings: usize,
        #[serde(flatten)]
        report: &'a Report,
    }
    let out = Out {
        errors: report.errors(),
        warnings: report.warnings(),
        report,
    };
    let mut text = serde_json::to_string_pretty(&out).unwrap_or_else(|_| "{}".to_string());
    text.push('\n');
    text
}
