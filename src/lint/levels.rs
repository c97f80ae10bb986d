//! The level a user sets for a rule: `off`, `warning` or `error`, from the
//! command line (`--rule ID=LEVEL`) or the lint config file. A rule nobody
//! sets keeps the level tiergen gives it.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Level, Rule, rule as find, rules};

/// What a user can set a rule to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleLevel {
    /// The rule does not run: no findings, and no `unused-lint-allow`
    /// warning for an acknowledgment of it.
    Off,
    Warning,
    Error,
}

impl RuleLevel {
    /// Every level, by the name a user writes.
    pub const NAMES: [(&'static str, RuleLevel); 3] = [
        ("off", RuleLevel::Off),
        ("warning", RuleLevel::Warning),
        ("error", RuleLevel::Error),
    ];

    /// The level named `name`, exactly as written (`off`, `warning`, `error`).
    pub fn parse(name: &str) -> Option<RuleLevel> {
        Self::NAMES
            .iter()
            .find(|(known, _)| *known == name)
            .map(|(_, level)| *level)
    }

    /// The level a finding gets, or `None` when the rule is off.
    pub fn finding_level(self) -> Option<Level> {
        match self {
            RuleLevel::Off => None,
            RuleLevel::Warning => Some(Level::Warning),
            RuleLevel::Error => Some(Level::Error),
        }
    }
}

impl From<Level> for RuleLevel {
    fn from(level: Level) -> Self {
        match level {
            Level::Warning => RuleLevel::Warning,
            Level::Error => RuleLevel::Error,
        }
    }
}

impl std::fmt::Display for RuleLevel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            RuleLevel::Off => "off",
            RuleLevel::Warning => "warning",
            RuleLevel::Error => "error",
        })
    }
}

/// The level of every rule for one run: each rule's own, except where a
/// user set another. Setting a rule again replaces what was set before, so
/// applying the file and then the command line makes the command line win.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Levels {
    set: BTreeMap<&'static str, RuleLevel>,
}

impl Levels {
    /// Sets rule `id` to `level`. `Err` when no rule has that id, with the
    /// advice [`unknown_rule`] gives.
    pub fn set(&mut self, id: &str, level: RuleLevel) -> Result<(), String> {
        let rule = find(id).ok_or_else(|| joined(unknown_rule(id)))?;
        self.set_rule(rule, level);
        Ok(())
    }

    /// Sets `rule` to `level`.
    pub fn set_rule(&mut self, rule: &'static Rule, level: RuleLevel) {
        self.set.insert(rule.id, level);
    }

    /// Every setting of `other` over this one's.
    pub fn extend(&mut self, other: &Levels) {
        self.set.extend(other.set.iter().map(|(id, l)| (*id, *l)));
    }

    /// The level rule `id` runs at; an id tiergen does not know is an error,
    /// as a rule without a table entry is.
    pub fn of(&self, id: &str) -> RuleLevel {
        match self.set.get(id) {
            Some(level) => *level,
            None => find(id).map_or(RuleLevel::Error, |rule| rule.level.into()),
        }
    }

    /// Whether rule `id` runs.
    pub fn is_on(&self, id: &str) -> bool {
        self.of(id) != RuleLevel::Off
    }

    /// Every rule and its level, in rule order.
    pub fn all(&self) -> Vec<(&'static str, RuleLevel)> {
        rules::ALL.iter().map(|r| (r.id, self.of(r.id))).collect()
    }
}

/// What to say about a rule id tiergen does not know: the problem, then
/// the nearest known id, or the whole list when none is near.
pub fn unknown_rule(id: &str) -> (String, String) {
    let ids = rules::ALL.iter().map(|rule| rule.id);
    let help = match suggest(id, ids.clone()) {
        Some(near) => format!("did you mean `{near}`?"),
        None => format!(
            "the rules are {}",
            ids.map(|id| format!("`{id}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    (format!("unknown lint rule `{id}`"), help)
}

/// What to say about a level that is not `off`, `warning` or `error`.
pub fn unknown_level(level: &str) -> (String, String) {
    let names = RuleLevel::NAMES.iter().map(|(name, _)| *name);
    let help = match suggest(level, names) {
        Some(near) => format!("did you mean `{near}`?"),
        None => "a level is `off`, `warning` or `error`".to_string(),
    };
    (format!("unknown level `{level}`"), help)
}

fn joined((message, help): (String, String)) -> String {
    format!("{message}; {help}")
}

/// The candidate `wanted` was likely meant to be: a near spelling, or the
/// one candidate it begins (`warn` → `warning`, `destructive` →
/// `destructive-without-guard`), which edit distance alone would miss.
fn suggest<'a>(wanted: &str, candidates: impl Iterator<Item = &'a str> + Clone) -> Option<&'a str> {
    crate::error::closest(wanted, candidates.clone()).or_else(|| {
        let wanted = wanted.to_lowercase();
        let mut starting = candidates.filter(|c| !wanted.is_empty() && c.starts_with(&wanted));
        match (starting.next(), starting.next()) {
            (Some(only), None) => Some(only),
            _ => None,
        }
    })
}

/// One `--rule ID=LEVEL` of the command line, checked: the rule exists and
/// the level is one of the three. The message is what clap shows.
pub fn parse_assignment(text: &str) -> Result<(String, RuleLevel), String> {
    let Some((id, level)) = text.split_once('=') else {
        return Err(format!(
            "expected RULE=LEVEL, e.g. `destructive-without-guard=warning`, not `{text}`"
        ));
    };
    let (id, level) = (id.trim(), level.trim());
    find(id).ok_or_else(|| joined(unknown_rule(id)))?;
    let level = RuleLevel::parse(level).ok_or_else(|| joined(unknown_level(level)))?;
    Ok((id.to_string(), level))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_settings_win_and_unset_rules_keep_their_own_level() {
        let mut levels = Levels::default();
        assert_eq!(levels.of("undeclared-prose"), RuleLevel::Error);
        assert_eq!(levels.of("approximated"), RuleLevel::Warning);
        levels.set("undeclared-prose", RuleLevel::Off).ok();
        let mut command_line = Levels::default();
        command_line
            .set("undeclared-prose", RuleLevel::Warning)
            .ok();
        levels.extend(&command_line);
        assert_eq!(levels.of("undeclared-prose"), RuleLevel::Warning);
        assert!(levels.set("no-such-rule", RuleLevel::Off).is_err());
    }

    #[test]
    fn assignments_are_checked_with_advice() {
        assert_eq!(
            parse_assignment("approximated=off"),
            Ok(("approximated".to_string(), RuleLevel::Off))
        );
        assert_eq!(
            parse_assignment("destructive-without-gaurd=off"),
            Err(
                "unknown lint rule `destructive-without-gaurd`; did you mean \
                 `destructive-without-guard`?"
                    .to_string()
            )
        );
        assert_eq!(
            parse_assignment("approximated=warn"),
            Err("unknown level `warn`; did you mean `warning`?".to_string())
        );
        assert!(parse_assignment("approximated").is_err());
        assert!(parse_assignment("zzz=off").is_err_and(|e| e.contains("the rules are")));
    }
}
