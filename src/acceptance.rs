//! An acceptance: a finding or change a project lets through on purpose,
//! with a reason and perhaps an expiry date. The change policy of `diff`
//! (`X.diff.yaml`) and the lint config (`X.lint.yaml`) both hold a list of
//! them under `accept:`; an acceptance past its date fails the run, one that
//! matches nothing has gone stale and is a warning.

use crate::error::{Error, Result};
use crate::findings::{Finding, Place, Position, Rule, Severity};
use crate::frontend::Positions;
use crate::ir::Date;

/// One thing let through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acceptance {
    /// The kind of change or the lint rule it lets through.
    pub id: &'static str,
    /// The operation it concerns; `None`: any.
    pub operation: Option<String>,
    /// The exact place (a JSON pointer into the spec); `None`: anywhere.
    pub pointer: Option<String>,
    pub reason: String,
    pub expires: Option<Date>,
    /// Its line and column in the file it was read from.
    pub position: Option<(usize, usize)>,
}

/// The fields of an entry besides its id, as the file writes them. (Each
/// file's entry type lists them again, with its id key: serde refuses
/// unknown keys only in a struct without flattened parts.)
#[derive(Debug)]
pub struct Fields {
    pub operation: Option<String>,
    pub pointer: Option<String>,
    pub reason: String,
    pub expires: Option<String>,
}

/// Checks and reads one entry at `at` (its pointer in the file), whose id
/// is under `id_key`: the reason must say something, the expiry must be a
/// date.
pub fn read(
    id: &'static str,
    id_key: &str,
    fields: Fields,
    at: &str,
    positions: &Positions,
    fail: &dyn Fn(&str, String, String) -> Error,
) -> Result<Acceptance> {
    if fields.reason.trim().is_empty() {
        return Err(fail(
            &format!("{at}/reason"),
            "an acceptance needs a reason".to_string(),
            "say why it is deliberate, for the reviewer who finds it later".to_string(),
        ));
    }
    let expires = match fields.expires {
        None => None,
        Some(text) => Some(Date::parse(&text).ok_or_else(|| {
            fail(
                &format!("{at}/expires"),
                format!("`expires` must be a date like `2027-01-31`, not {text:?}"),
                "after that day the acceptance fails the run".to_string(),
            )
        })?),
    };
    Ok(Acceptance {
        id,
        operation: fields.operation,
        pointer: fields.pointer,
        reason: fields.reason,
        expires,
        // The line of its id: where a reader's eye lands.
        position: positions.locate(&format!("{at}/{id_key}")),
    })
}

impl Acceptance {
    /// True when it lets through `id` on one of `operations` at `pointer`.
    pub fn matches(&self, id: &str, operations: &[&str], pointer: Option<&str>) -> bool {
        self.id == id
            && self
                .operation
                .as_ref()
                .is_none_or(|op| operations.contains(&op.as_str()))
            && self.pointer.as_deref().is_none_or(|p| Some(p) == pointer)
    }

    /// How it is named in messages: `` `operation-removed` on `legacyExport` ``.
    pub fn describe(&self) -> String {
        match &self.operation {
            Some(op) => format!("`{}` on `{op}`", self.id),
            None => format!("`{}`", self.id),
        }
    }

    /// What to say of it once it has expired.
    pub fn expired_message(&self) -> String {
        format!(
            "the acceptance of {} expired on {}: deal with it, or accept it again with a new \
             date and reason",
            self.describe(),
            self.expires.map(|d| d.to_string()).unwrap_or_default()
        )
    }

    /// What to say of it when it matched nothing.
    pub fn stale_message(&self) -> String {
        format!(
            "the acceptance of {} matches nothing: it has gone stale; remove it",
            self.describe()
        )
    }

    pub fn has_expired(&self, today: Date) -> bool {
        self.expires.is_some_and(|date| date < today)
    }
}

/// The acceptances past their date, and those unused (`used[i]` false) that
/// are not: the ones to fail on, and the ones to warn of.
pub fn sort_out<'a>(
    accept: &'a [Acceptance],
    used: &[bool],
    today: Date,
) -> (Vec<&'a Acceptance>, Vec<&'a Acceptance>) {
    let mut expired = Vec::new();
    let mut stale = Vec::new();
    for (acceptance, used) in accept.iter().zip(used) {
        if acceptance.has_expired(today) {
            expired.push(acceptance);
        } else if !used {
            stale.push(acceptance);
        }
    }
    (expired, stale)
}

/// The rule of an acceptance past its date.
pub const EXPIRED: &str = "acceptance-expired";
/// The rule of an acceptance that matched nothing.
pub const STALE: &str = "acceptance-stale";

/// The expired acceptances as errors and the stale ones as warnings, each
/// at its line in `file`, for the CI formats.
pub fn findings<'a>(
    expired: impl IntoIterator<Item = &'a Acceptance>,
    stale: impl IntoIterator<Item = &'a Acceptance>,
    file: Option<&str>,
) -> Vec<Finding> {
    let place = |acceptance: &Acceptance| {
        file.map(|file| Place {
            file: file.to_string(),
            position: acceptance
                .position
                .map(|(line, column)| Position { line, column }),
        })
    };
    let finding = |acceptance: &Acceptance, rule, severity, message| Finding {
        rule,
        severity,
        subject: acceptance.describe().replace('`', ""),
        message,
        place: place(acceptance),
    };
    let expired = expired
        .into_iter()
        .map(|a| finding(a, EXPIRED, Severity::Error, a.expired_message()));
    let stale = stale
        .into_iter()
        .map(|a| finding(a, STALE, Severity::Warning, a.stale_message()));
    expired.chain(stale).collect()
}

/// The rules of the acceptance findings among `found`.
pub fn rules(found: &[Finding]) -> Vec<Rule> {
    let own = [
        (
            EXPIRED,
            "an acceptance is past its expiry date",
            "deal with what it let through, or accept it again with a new date and reason",
            Severity::Error,
        ),
        (
            STALE,
            "an acceptance matches nothing",
            "remove it",
            Severity::Warning,
        ),
    ];
    own.into_iter()
        .filter(|(id, ..)| found.iter().any(|f| f.rule == *id))
        .map(|(id, summary, help, default)| Rule {
            id,
            summary: summary.to_string(),
            help: help.to_string(),
            default,
        })
        .collect()
}
