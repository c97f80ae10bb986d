//! The change policy: the deliberate changes a project lets through, each
//! with a reason and perhaps an expiry date, and the class it gives a kind
//! of change. It lives beside the spec (`X.diff.yaml` for spec `X.yaml`, as
//! the lint config is `X.lint.yaml`) or is named with `--policy`.
//!
//! ```yaml
//! accept:
//!   - change: operation-removed        # a kind id (`tiergen diff --help` lists them)
//!     operation: legacyExport          # the operationId it concerns
//!     pointer: /paths/~1export/get     # optional: the exact place
//!     reason: announced in the 2026-10 changelog; no caller left
//!     expires: 2027-01-31              # optional: after it, the run fails
//! classes:
//!   response-enum-value-added: non-breaking
//!   field-added: off
//! ```
//!
//! An accepted change is reported apart and fails nothing; an acceptance
//! past its expiry fails the run, naming it; one that matches nothing has
//! gone stale and is a warning.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{Change, Class, kinds};
use crate::acceptance::{self, Acceptance};
use crate::error::{Error, Result, closest};
use crate::frontend::Positions;
use crate::ir::Date;

/// What the policy file says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    /// Where it was read from, for reporting its own entries.
    pub file: Option<PathBuf>,
    pub accept: Vec<Acceptance>,
    /// A kind id and the class it has here; `None`: not reported at all.
    pub classes: BTreeMap<&'static str, Option<Class>>,
}

/// The policy file beside `spec`: `X.diff.yaml` for `X.yaml`.
pub fn beside(spec: &Path) -> PathBuf {
    crate::frontend::beside(spec, "diff")
}

/// Reads the policy at `path`.
pub fn load(path: &Path) -> Result<Policy> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::in_file(path, format!("cannot read file: {e}")))?;
    parse(path, &text)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    accept: Vec<Entry>,
    #[serde(default)]
    classes: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    change: String,
    #[serde(default)]
    operation: Option<String>,
    #[serde(default)]
    pointer: Option<String>,
    reason: String,
    #[serde(default)]
    expires: Option<String>,
}

impl Entry {
    fn fields(self) -> acceptance::Fields {
        acceptance::Fields {
            operation: self.operation,
            pointer: self.pointer,
            reason: self.reason,
            expires: self.expires,
        }
    }
}

/// Parses the text of a policy file read from `path`.
pub fn parse(path: &Path, text: &str) -> Result<Policy> {
    if crate::frontend::sets_nothing(text) {
        return Ok(Policy {
            file: Some(path.to_path_buf()),
            ..Policy::default()
        });
    }
    let document = crate::frontend::parse_document(path, text)?;
    let positions = Positions::index(text);
    let fail = |pointer: &str, message: String, help: String| {
        Error::at_pointer(path, pointer, message)
            .with_help(help)
            .locate_with(|_, p| positions.locate(p))
    };
    let file: File = serde_path_to_error::deserialize(document.root.clone()).map_err(|e| {
        let pointer = crate::frontend::path_to_pointer(e.path());
        fail(
            &pointer,
            format!("invalid change policy: {}", e.inner()),
            "the policy has `accept` (a list of {change, operation, reason, expires}) and \
             `classes` (kind id: breaking, security, effects, non-breaking or off)"
                .to_string(),
        )
    })?;
    let kind = |id: &str, pointer: &str| {
        kinds::find(id).ok_or_else(|| {
            let help = match closest(id, kinds::ALL.iter().map(|k| k.id)) {
                Some(near) => format!("did you mean `{near}`?"),
                None => "`tiergen diff --help` lists the kinds of change".to_string(),
            };
            fail(pointer, format!("unknown kind of change `{id}`"), help)
        })
    };
    let accept = file
        .accept
        .into_iter()
        .enumerate()
        .map(|(i, entry)| {
            let at = format!("/accept/{i}");
            let change = kind(&entry.change, &format!("{at}/change"))?.id;
            acceptance::read(change, "change", entry.fields(), &at, &positions, &fail)
        })
        .collect::<Result<Vec<_>>>()?;
    let mut classes = BTreeMap::new();
    for (id, class) in file.classes {
        let at = format!("/classes/{}", crate::error::escape_token(&id));
        let kind = kind(&id, &at)?;
        let class = match class.as_str() {
            "off" => None,
            name => Some(name.parse::<Class>().map_err(|message| {
                fail(
                    &at,
                    message,
                    "`off` leaves the kind out of the report".to_string(),
                )
            })?),
        };
        classes.insert(kind.id, class);
    }
    Ok(Policy {
        file: Some(path.to_path_buf()),
        accept,
        classes,
    })
}

/// The changes after a policy: those still reported, those accepted (with
/// the acceptance), and the acceptances that are past expiry or matched
/// nothing.
#[derive(Debug, Default)]
pub struct Applied<'p> {
    pub reported: Vec<Change>,
    pub accepted: Vec<(Change, &'p Acceptance)>,
    pub expired: Vec<&'p Acceptance>,
    pub stale: Vec<&'p Acceptance>,
}

impl Policy {
    pub fn apply(&self, changes: Vec<Change>, today: Date) -> Applied<'_> {
        let mut applied = Applied::default();
        let mut used = vec![false; self.accept.len()];
        for mut change in changes {
            match self.classes.get(change.id) {
                Some(None) => continue,
                Some(Some(class)) => change.class = *class,
                None => {}
            }
            let found =
                self.accept.iter().enumerate().find(|(_, a)| {
                    a.matches(change.id, &change.operations(), Some(&change.pointer))
                });
            match found {
                Some((i, acceptance)) => {
                    used[i] = true;
                    applied.accepted.push((change, acceptance));
                }
                None => applied.reported.push(change),
            }
        }
        (applied.expired, applied.stale) = acceptance::sort_out(&self.accept, &used, today);
        applied
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Result<Policy> {
        parse(Path::new("api.diff.yaml"), text)
    }

    #[test]
    fn mistakes_are_located_with_advice() {
        let shown = |text: &str| {
            parsed(text)
                .map(|_| ())
                .map_err(|e| (e.to_string(), e.help().map(str::to_string)))
        };
        let typo = shown("accept:\n  - change: operation-remved\n    reason: r\n");
        assert_eq!(
            typo,
            Err((
                "api.diff.yaml:2:5: unknown kind of change `operation-remved` (at #/accept/0/change)"
                    .to_string(),
                Some("did you mean `operation-removed`?".to_string())
            ))
        );
        let no_reason = shown("accept:\n  - change: operation-removed\n    reason: ' '\n");
        assert!(no_reason.is_err_and(|e| e.0.contains("needs a reason")));
        let missing = shown("accept:\n  - change: operation-removed\n");
        assert!(missing.is_err_and(|e| e.0.contains("missing field `reason`")));
        let date = shown("accept:\n  - {change: operation-removed, reason: r, expires: soon}\n");
        assert!(date.is_err_and(|e| e.0.contains("`expires` must be a date")));
        let class = shown("classes:\n  field-added: minor\n");
        assert!(class.is_err_and(|e| e.0.starts_with("api.diff.yaml:2:3: unknown class")));
        assert!(shown("acept: []\n").is_err());
        let extra = shown("accept:\n  - {change: operation-removed, reason: r, reson: typo}\n");
        assert!(extra.is_err_and(|e| e.0.contains("unknown field `reson`")));
    }

    fn change(id: &'static str, operation: &str) -> Change {
        let kind = kinds::find(id).map_or(Class::Breaking, |k| k.class);
        Change {
            class: kind,
            id,
            operation: operation.to_string(),
            reaches: Vec::new(),
            schema: None,
            message: "m".to_string(),
            pointer: "/p".to_string(),
            in_old: false,
        }
    }

    #[test]
    fn acceptances_let_changes_through_until_they_expire() {
        let policy = parsed(
            "accept:\n\
             - {change: operation-removed, operation: a, reason: planned, expires: 2027-01-31}\n\
             - {change: operation-removed, operation: gone, reason: stale}\n\
             classes:\n  field-added: off\n  response-enum-value-added: non-breaking\n",
        )
        .unwrap_or_default();
        let changes = vec![
            change("operation-removed", "a"),
            change("operation-removed", "b"),
            change("field-added", "a"),
            change("response-enum-value-added", "a"),
        ];
        let day = |s: &str| Date::parse(s).unwrap_or_else(Date::today);
        let applied = policy.apply(changes.clone(), day("2027-01-31"));
        let ids = |list: &[Change]| -> Vec<(String, Class)> {
            list.iter()
                .map(|c| (c.operation.clone(), c.class))
                .collect()
        };
        assert_eq!(
            ids(&applied.reported),
            [
                ("b".to_string(), Class::Breaking),
                ("a".to_string(), Class::NonBreaking)
            ]
        );
        assert_eq!(applied.accepted.len(), 1);
        assert!(applied.expired.is_empty());
        assert_eq!(applied.stale.len(), 1);
        assert_eq!(applied.stale[0].describe(), "`operation-removed` on `gone`");
        let later = policy.apply(changes, day("2027-02-01"));
        assert_eq!(later.expired.len(), 1);
        assert_eq!(later.expired[0].describe(), "`operation-removed` on `a`");
    }
}
