//! The lint config file: the levels a project sets for its rules, kept
//! beside its spec (`X.lint.yaml` for spec `X.yaml`, as the overlay is
//! `X.overlay.yaml`) or named with `--lint-config`.
//!
//! ```yaml
//! rules:
//!   unauthenticated-mutation: warning
//!   undeclared-prose: off
//! accept:                      # for teams that cannot edit the spec
//!   - rule: unauthenticated-mutation
//!     operation: createThing
//!     reason: the endpoint is behind the gateway's own auth
//!     expires: 2027-01-31
//! ```
//!
//! Every key is checked, so a typo is an error rather than a setting that
//! silently does nothing. An acceptance works as `x-tiergen-lint-allow` on
//! the operation does, with an expiry date besides.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::levels::{Levels, RuleLevel, unknown_level, unknown_rule};
use crate::acceptance::{self, Acceptance};
use crate::error::{Error, Result, escape_token};
use crate::frontend::Positions;

/// The keys the file may have at its top level.
const SECTIONS: [&str; 2] = ["rules", "accept"];

/// What the lint config file says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LintConfig {
    /// `rules:`, each rule id with its level.
    pub levels: Levels,
    /// `accept:`, the findings let through with a reason.
    pub accept: Vec<Acceptance>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    rule: String,
    #[serde(default)]
    operation: Option<String>,
    #[serde(default)]
    pointer: Option<String>,
    reason: String,
    #[serde(default)]
    expires: Option<String>,
}

/// Which lint config to read for a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigChoice {
    /// `X.lint.yaml` beside spec `X.yaml`, when that file exists.
    Beside,
    /// This file, which must exist.
    File(PathBuf),
    /// None at all.
    Skip,
}

/// The lint config [`ConfigChoice::Beside`] picks for `spec`.
pub fn config_beside(spec: &Path) -> PathBuf {
    crate::frontend::beside(spec, "lint")
}

/// The lint config `choice` names for `spec`, read, with its path; `None`
/// when there is none to read.
pub fn load(spec: &Path, choice: &ConfigChoice) -> Result<Option<(PathBuf, LintConfig)>> {
    let path = match choice {
        ConfigChoice::Skip => return Ok(None),
        ConfigChoice::File(path) => path.clone(),
        ConfigChoice::Beside => {
            let path = config_beside(spec);
            if !path.is_file() {
                return Ok(None);
            }
            path
        }
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| Error::in_file(&path, format!("cannot read file: {e}")))?;
    let config = parse(&path, &text)?;
    Ok(Some((path, config)))
}

/// Parses the text of a lint config read from `path`.
pub fn parse(path: &Path, text: &str) -> Result<LintConfig> {
    if crate::frontend::sets_nothing(text) {
        return Ok(LintConfig::default());
    }
    // The spec's reader: the same refusals of hostile YAML (tags, alias
    // bombs, deep nesting, keys given twice) and the same line:column.
    let document = crate::frontend::parse_document(path, text)?;
    let fail = |pointer: &str, (message, help): (String, String)| {
        let positions = Positions::index(text);
        Error::at_pointer(path, pointer, message)
            .with_help(help)
            .locate_with(|_, p| positions.locate(p))
    };
    let root = document.root.as_object().cloned().unwrap_or_default();
    for key in root.keys() {
        if !SECTIONS.contains(&key.as_str()) {
            return Err(fail(
                &format!("/{}", escape_token(key)),
                unknown_section(key),
            ));
        }
    }
    let levels = match root.get("rules") {
        None | Some(Value::Null) => Levels::default(),
        Some(Value::Object(rules)) => read_levels(rules).map_err(|(p, advice)| fail(&p, advice))?,
        Some(_) => return Err(fail("/rules", rules_not_a_mapping())),
    };
    let accept = match root.get("accept") {
        None | Some(Value::Null) => Vec::new(),
        Some(value) => read_accept(value, &Positions::index(text), &fail)?,
    };
    Ok(LintConfig { levels, accept })
}

fn read_accept(
    value: &Value,
    positions: &Positions,
    fail: &dyn Fn(&str, (String, String)) -> Error,
) -> Result<Vec<Acceptance>> {
    let entries: Vec<Entry> = serde_path_to_error::deserialize(value.clone()).map_err(|e| {
        let pointer = format!("/accept{}", crate::frontend::path_to_pointer(e.path()));
        fail(
            &pointer,
            (
                format!("invalid `accept`: {}", e.inner()),
                "`accept` is a list of {rule, operation, reason, expires}".to_string(),
            ),
        )
    })?;
    let located = |pointer: &str, message: String, help: String| fail(pointer, (message, help));
    entries
        .into_iter()
        .enumerate()
        .map(|(i, entry)| {
            let at = format!("/accept/{i}");
            let rule = super::rule(&entry.rule)
                .ok_or_else(|| fail(&format!("{at}/rule"), unknown_rule(&entry.rule)))?;
            let fields = acceptance::Fields {
                operation: entry.operation,
                pointer: entry.pointer,
                reason: entry.reason,
                expires: entry.expires,
            };
            acceptance::read(rule.id, "rule", fields, &at, positions, &located)
        })
        .collect()
}

/// A problem with the file: the pointer it is at, and what to say.
type Problem = (String, (String, String));

fn read_levels(rules: &Map<String, Value>) -> std::result::Result<Levels, Problem> {
    let mut levels = Levels::default();
    for (id, value) in rules {
        let pointer = format!("/rules/{}", escape_token(id));
        let Some(rule) = super::rule(id) else {
            return Err((pointer, unknown_rule(id)));
        };
        let level = match value {
            Value::String(name) => RuleLevel::parse(name).ok_or_else(|| unknown_level(name)),
            other => Err(level_not_a_name(id, other)),
        }
        .map_err(|advice| (pointer, advice))?;
        levels.set_rule(rule, level);
    }
    Ok(levels)
}

fn unknown_section(key: &str) -> (String, String) {
    let help = match crate::error::closest(key, SECTIONS) {
        Some(near) => format!("did you mean `{near}`?"),
        None => "the lint config has one section, `rules`: a mapping of rule id to `off`, \
                 `warning` or `error`"
            .to_string(),
    };
    (format!("unknown key `{key}` in the lint config"), help)
}

fn rules_not_a_mapping() -> (String, String) {
    (
        "`rules` must be a mapping of rule id to level".to_string(),
        "e.g. `rules: { undeclared-prose: warning }`".to_string(),
    )
}

fn level_not_a_name(id: &str, value: &Value) -> (String, String) {
    (
        format!("the level of `{id}` is {value}, not a level name"),
        "a level is `off`, `warning` or `error`".to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Result<LintConfig> {
        parse(Path::new("api.lint.yaml"), text)
    }

    #[test]
    fn levels_are_read_and_comments_alone_set_nothing() {
        let config = parsed("# levels\nrules:\n  undeclared-prose: off\n  approximated: error\n");
        let levels = config.map(|c| c.levels).unwrap_or_default();
        assert_eq!(levels.of("undeclared-prose"), RuleLevel::Off);
        assert_eq!(levels.of("approximated"), RuleLevel::Error);
        assert_eq!(parsed("# nothing yet\n\n"), Ok(LintConfig::default()));
        assert_eq!(parsed("rules:\n"), Ok(LintConfig::default()));
    }

    #[test]
    fn mistakes_are_located_with_advice() {
        let shown =
            |text: &str| parsed(text).map_err(|e| (e.to_string(), e.help().map(str::to_string)));
        assert_eq!(
            shown("rules:\n  undeclared-prose: off\n  destructive-without-gaurd: warning\n"),
            Err((
                "api.lint.yaml:3:3: unknown lint rule `destructive-without-gaurd` \
                 (at #/rules/destructive-without-gaurd)"
                    .to_string(),
                Some("did you mean `destructive-without-guard`?".to_string())
            ))
        );
        assert_eq!(
            shown("rules:\n  approximated: warn\n"),
            Err((
                "api.lint.yaml:2:3: unknown level `warn` (at #/rules/approximated)".to_string(),
                Some("did you mean `warning`?".to_string())
            ))
        );
        assert_eq!(
            shown("rule:\n  approximated: off\n").map_err(|e| e.1),
            Err(Some("did you mean `rules`?".to_string()))
        );
        assert!(shown("rules: [approximated]\n").is_err());
        assert!(shown("rules:\n  approximated: false\n").is_err());
        assert!(shown("rules: {a: 1\n").is_err_and(|e| e.0.starts_with("api.lint.yaml:")));
    }
}
