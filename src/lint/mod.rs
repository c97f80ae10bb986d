//! Policy rules over the IR. Each rule has an id, a level and a location, and
//! a fixture spec under `tests/fixtures/lint/` that proves it fires.
//!
//! An operation may acknowledge a finding with `x-tiergen-lint-allow:
//! {rule-id: reason}`; acknowledged findings are reported apart and do not
//! fail the run, and an acknowledgment that matches nothing is itself a warning.
//!
//! A user sets a rule's level (`off`, `warning`, `error`) in the lint config
//! file ([`config`]) or with `--rule ID=LEVEL` ([`levels`]); a rule that is
//! off does not run at all.

mod config;
mod levels;
mod rules;

use serde::Serialize;

use crate::acceptance::Acceptance;
use crate::ir::Api;

pub use config::{
    ConfigChoice, LintConfig, config_beside, load as load_config, parse as parse_config,
};
pub use levels::{Levels, RuleLevel, parse_assignment};

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

/// One rule: its id, the level it runs at unless a user sets another, what
/// it protects against, and how to fix what it finds.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Rule {
    pub id: &'static str,
    pub level: Level,
    pub summary: &'static str,
    /// How to fix a finding, before the ways to silence it ([`help`]).
    pub fix: &'static str,
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
    /// How to fix it, or else acknowledge it or change the rule's level.
    pub help: String,
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
    /// Every rule and the level it ran at (`off`: it did not run).
    pub rules: Vec<RuleState>,
    /// Acceptances of the lint config past their date: each fails the run.
    #[serde(skip)]
    pub expired: Vec<Acceptance>,
    /// Acceptances of the lint config that matched no finding.
    #[serde(skip)]
    pub stale: Vec<Acceptance>,
}

/// A rule and the level it ran at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleState {
    pub id: &'static str,
    pub level: RuleLevel,
}

impl Report {
    /// True when the run fails: an error-level finding, or an expired acceptance.
    pub fn fails(&self) -> bool {
        self.errors() > 0 || !self.expired.is_empty()
    }

    /// Lets through the findings the lint config's `accept:` names (as an
    /// operation's `x-tiergen-lint-allow` does), and sorts out the
    /// acceptances past `today` and those that matched nothing.
    pub fn accept(mut self, accept: &[Acceptance], today: crate::ir::Date) -> Report {
        let mut used = vec![false; accept.len()];
        let findings = std::mem::take(&mut self.findings);
        for finding in findings {
            let operations: Vec<&str> = finding.operation.iter().map(String::as_str).collect();
            let found = accept
                .iter()
                .enumerate()
                .find(|(_, a)| a.matches(finding.rule, &operations, Some(&finding.pointer)));
            match found {
                Some((i, acceptance)) => {
                    used[i] = true;
                    let reason = acceptance.reason.clone();
                    self.acknowledged.push(Acknowledged { finding, reason });
                }
                None => self.findings.push(finding),
            }
        }
        let (expired, stale) = crate::acceptance::sort_out(accept, &used, today);
        self.expired = expired.into_iter().cloned().collect();
        self.stale = stale.into_iter().cloned().collect();
        self
    }

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

    /// How many findings each rule gave, most first (then in rule order);
    /// rules that gave none are left out.
    pub fn by_rule(&self) -> Vec<(&'static str, usize)> {
        let mut counts: Vec<(&'static str, usize)> = rules::ALL
            .iter()
            .map(|rule| {
                let count = self.findings.iter().filter(|f| f.rule == rule.id).count();
                (rule.id, count)
            })
            .filter(|(_, count)| *count > 0)
            .collect();
        // A stable sort keeps rule order among equal counts.
        counts.sort_by_key(|&(_, count)| std::cmp::Reverse(count));
        counts
    }

    /// The rules that did not run.
    pub fn off(&self) -> Vec<&'static str> {
        self.rules
            .iter()
            .filter(|r| r.level == RuleLevel::Off)
            .map(|r| r.id)
            .collect()
    }
}

/// Every rule tiergen knows, in the order they run.
pub fn rules() -> &'static [Rule] {
    rules::ALL
}

/// The rule with id `id`.
pub fn rule(id: &str) -> Option<&'static Rule> {
    rules::ALL.iter().find(|rule| rule.id == id)
}

/// What a finding of rule `id` says to do: the rule's fix, then how to
/// acknowledge it on its operation (only a finding on an operation can be:
/// the acknowledgment lives there), then how to change the rule's level.
pub fn help(id: &str, on_operation: bool) -> String {
    let mut help = rule(id).map(|r| r.fix.to_string()).unwrap_or_default();
    if on_operation && id != "unused-lint-allow" {
        help.push_str(&format!(
            "; or acknowledge it with `x-tiergen-lint-allow: {{{id}: <reason>}}` on the operation"
        ));
    }
    help.push_str(&format!(
        "; or set the rule's level: `--rule {id}=off`, or in the lint config"
    ));
    help
}

/// Runs every rule over `api` at its own level.
pub fn lint(api: &Api) -> Report {
    lint_with(api, &Levels::default())
}

/// Runs every rule that is not off over `api`, each finding at the level
/// `levels` gives its rule.
pub fn lint_with(api: &Api, levels: &Levels) -> Report {
    let raw = rules::run_all(api);
    let mut report = Report {
        rules: levels
            .all()
            .into_iter()
            .map(|(id, level)| RuleState { id, level })
            .collect(),
        ..Report::default()
    };
    let mut used_allows = std::collections::BTreeSet::new();
    for mut finding in raw {
        let Some(level) = levels.of(finding.rule).finding_level() else {
            continue;
        };
        finding.level = level;
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
    stale_allows(api, levels, &used_allows, &mut report);
    report
}

/// An `unused-lint-allow` finding for each acknowledgment that matched
/// nothing — except of a rule that is off, which could not have fired.
fn stale_allows(
    api: &Api,
    levels: &Levels,
    used: &std::collections::BTreeSet<(String, String)>,
    report: &mut Report,
) {
    let Some(level) = levels.of("unused-lint-allow").finding_level() else {
        return;
    };
    for op in &api.operations {
        for (rule, _) in &op.lint_allow {
            let off = self::rule(rule).is_some_and(|r| !levels.is_on(r.id));
            if !off && !used.contains(&(op.id.clone(), rule.clone())) {
                let mut finding = rules::stale_allow(op, rule);
                finding.level = level;
                report.findings.push(finding);
            }
        }
    }
}

/// The report as pretty JSON with a trailing newline.
pub fn report_json<'a>(report: &'a Report) -> String {
    #[derive(Serialize)]
    struct Accepted<'a> {
        rule: &'a str,
        operation: Option<&'a str>,
        reason: &'a str,
        expires: Option<String>,
    }
    #[derive(Serialize)]
    struct Out<'a> {
        errors: usize,
        warnings: usize,
        /// Acceptances of the lint config past their date, and unused ones.
        expired: Vec<Accepted<'a>>,
        stale: Vec<Accepted<'a>>,
        /// Findings per rule, most first; only rules that gave some.
        by_rule: Vec<Count>,
        #[serde(flatten)]
        report: &'a Report,
    }
    #[derive(Serialize)]
    struct Count {
        rule: &'static str,
        findings: usize,
    }
    let accepted = |list: &'a [Acceptance]| -> Vec<Accepted<'a>> {
        list.iter()
            .map(|a| Accepted {
                rule: a.id,
                operation: a.operation.as_deref(),
                reason: &a.reason,
                expires: a.expires.map(|d| d.to_string()),
            })
            .collect()
    };
    let out = Out {
        errors: report.errors(),
        warnings: report.warnings(),
        expired: accepted(&report.expired),
        stale: accepted(&report.stale),
        by_rule: report
            .by_rule()
            .into_iter()
            .map(|(rule, findings)| Count { rule, findings })
            .collect(),
        report,
    };
    let mut text = serde_json::to_string_pretty(&out).unwrap_or_else(|_| "{}".to_string());
    text.push('\n');
    text
}

/// The lint report as findings for the CI formats, each at its line in
/// `spec`; acknowledged findings are notes with their reason.
pub fn findings(
    report: &Report,
    spec: &std::path::Path,
    config: &std::path::Path,
) -> crate::findings::Report {
    use crate::findings::{self, Place, Position, Severity};
    let text = std::fs::read_to_string(spec).unwrap_or_default();
    let pointers = report
        .findings
        .iter()
        .chain(report.acknowledged.iter().map(|a| &a.finding))
        .map(|f| f.pointer.as_str());
    let positions = crate::frontend::Positions::of(&text, pointers);
    let file = spec.display().to_string();
    let place = |pointer: &str| Place {
        file: file.clone(),
        position: positions
            .locate(pointer)
            .map(|(line, column)| Position { line, column }),
    };
    let severity = |level: Level| match level {
        Level::Error => Severity::Error,
        Level::Warning => Severity::Warning,
    };
    let finding = |f: &Finding, severity: Severity, message: String| findings::Finding {
        rule: f.rule,
        severity,
        subject: f.operation.clone().unwrap_or_default(),
        message,
        place: Some(place(&f.pointer)),
    };
    let mut found: Vec<findings::Finding> = report
        .findings
        .iter()
        .map(|f| finding(f, severity(f.level), format!("{}\n{}", f.message, f.help)))
        .collect();
    found.extend(report.acknowledged.iter().map(|a| {
        let message = format!("{} (acknowledged: {})", a.finding.message, a.reason);
        finding(&a.finding, Severity::Note, message)
    }));
    let config = config.display().to_string();
    found.extend(crate::acceptance::findings(
        &report.expired,
        &report.stale,
        Some(&config),
    ));
    let rules = report
        .rules
        .iter()
        .filter(|state| state.level != RuleLevel::Off)
        .filter_map(|state| rule(state.id))
        .map(|rule| findings::Rule {
            id: rule.id,
            summary: rule.summary.to_string(),
            help: rule.fix.to_string(),
            default: severity(rule.level),
        })
        .chain(crate::acceptance::rules(&found))
        .collect();
    findings::Report {
        command: "lint",
        rules,
        findings: found,
        summary: format!(
            "{} error(s), {} warning(s), {} acknowledged",
            report.errors(),
            report.warnings(),
            report.acknowledged.len()
        ),
    }
}
