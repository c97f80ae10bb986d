//! Findings in the formats CI systems read: GitHub workflow commands
//! (annotations on the pull request's changed lines), SARIF 2.1.0 (code
//! scanning) and JUnit XML (every other CI). `check`, `lint` and `diff`
//! each turn what they found into one [`Report`]; the renderers know
//! nothing of which command made it.

mod github;
#[cfg(feature = "cli")]
mod junit;
mod sarif;

pub use github::github;
#[cfg(feature = "cli")]
pub use junit::junit;
pub use sarif::sarif;

/// How much a finding matters, in the three levels every CI format has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Fails the run.
    Error,
    /// Shown, does not fail the run.
    Warning,
    /// For information (an addition, an acknowledged finding).
    Note,
}

/// A kind of finding: a lint rule, a kind of change, a kind of drift.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub id: &'static str,
    /// One line: what it finds.
    pub summary: String,
    /// What to do about it.
    pub help: String,
    /// The severity its findings have unless a setting changes it.
    pub default: Severity,
}

/// A line and column in a file, both 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Where a finding is: a file (as the user named it, relative to where
/// tiergen runs) and, when known, the position in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    pub position: Option<Position>,
}

/// One finding of one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    /// What it concerns: an operation, a schema, a file.
    pub subject: String,
    pub message: String,
    pub place: Option<Place>,
}

impl Finding {
    /// A one-line title: the rule and its subject.
    pub fn title(&self) -> String {
        if self.subject.is_empty() {
            self.rule.to_string()
        } else {
            format!("{}: {}", self.rule, self.subject)
        }
    }
}

/// What one command found, with the rules it ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The command: `check`, `lint` or `diff`.
    pub command: &'static str,
    /// Every rule a finding names, and any others the command ran.
    pub rules: Vec<Rule>,
    pub findings: Vec<Finding>,
    /// One line saying what the run found, for the formats that have room.
    pub summary: String,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }
}

/// The version tiergen reports itself as in SARIF and JUnit.
const VERSION: &str = env!("CARGO_PKG_VERSION");
