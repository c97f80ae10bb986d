//! A lint report as people read it: each finding as a diagnostic with the
//! spec's line, the acknowledged ones, and the totals.

use std::path::Path;

use super::{Report, rules};

/// The report for `spec`, whose lint config is (or would be) `config`.
pub fn report_text(
    spec: &Path,
    config: &Path,
    report: &Report,
    style: crate::diagnostics::Style,
) -> String {
    // Findings point into the spec; say where in the file, as compilers do. The
    // index costs a scan of the whole file, so a clean report never builds it.
    let source = std::cell::OnceCell::new();
    let source = || source.get_or_init(|| std::fs::read_to_string(spec).ok());
    let positions = std::cell::OnceCell::new();
    let at = |pointer: &str| {
        positions
            .get_or_init(|| {
                source()
                    .as_deref()
                    .map(crate::frontend::Positions::index)
                    .unwrap_or_default()
            })
            .locate(pointer)
    };
    let place = |pointer: &str| match at(pointer) {
        Some((line, column)) => format!("{}:{line}:{column}", spec.display()),
        None => spec.display().to_string(),
    };
    let mut text = String::new();
    for f in &report.findings {
        text.push_str(&crate::diagnostics::finding(
            f,
            spec,
            source().as_deref(),
            at(&f.pointer),
            style,
        ));
    }
    for a in &report.acknowledged {
        let f = &a.finding;
        text.push_str(&format!(
            "{}: acknowledged[{}]: {} — {}\n",
            place(&f.pointer),
            f.rule,
            f.message,
            a.reason
        ));
    }
    text.push_str(&summary(config, report));
    text
}

/// Findings from this many on get a count per rule: the way to see which
/// rule a noisy spec trips, and which level to set.
const MANY_FINDINGS: usize = 10;

/// The last lines of a lint report: the counts per rule when there are
/// many, then the totals, and which rules were off.
fn summary(config: &Path, report: &Report) -> String {
    let mut text = String::new();
    if report.findings.len() >= MANY_FINDINGS {
        let counts: Vec<String> = report
            .by_rule()
            .iter()
            .map(|(rule, count)| format!("{rule} {count}"))
            .collect();
        text.push_str(&format!(
            "lint: by rule: {}; set a rule's level with `--rule RULE=LEVEL` or in {}\n",
            counts.join(", "),
            config.display()
        ));
    }
    let off = report.off();
    let checked = rules().len() - off.len();
    let off = if off.is_empty() {
        String::new()
    } else {
        format!(" ({} off: {})", off.len(), off.join(", "))
    };
    text.push_str(&format!(
        "lint: {} error(s), {} warning(s), {} acknowledged; {checked} rules checked{off}\n",
        report.errors(),
        report.warnings(),
        report.acknowledged.len(),
    ));
    text
}
