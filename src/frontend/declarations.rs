//! The `x-tiergen-*` extensions: what the spec states only in prose, declared
//! so the IR can carry it. They may be written in the spec itself or added by
//! an overlay; both read the same.

use std::path::Path;

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::ir::{Date, Effect, Guard, Lifecycle, Stability};

pub const SERVICE: &str = "x-tiergen-service";
pub const SERVICES: &str = "x-tiergen-services";
pub const ROUTING: &str = "x-tiergen-routing";
pub const SUMMARY: &str = "x-tiergen-summary";
pub const GUARDS: &str = "x-tiergen-guards";
pub const EFFECTS: &str = "x-tiergen-effects";
pub const LINT_ALLOW: &str = "x-tiergen-lint-allow";
pub const PACKAGE: &str = "x-tiergen-package";
pub const CLI: &str = "x-tiergen-cli";
pub const TOOL_NAME: &str = "x-tiergen-tool-name";
pub const ENV: &str = "x-tiergen-env";
pub const COMMAND: &str = "x-tiergen-command";
pub const IDEMPOTENT: &str = "x-tiergen-idempotent";
/// The date after which a deprecated part may be removed (oasdiff's name).
pub const SUNSET: &str = "x-sunset";
/// How settled an operation is (the name oasdiff and Zalando's rules use).
pub const STABILITY: &str = "x-stability-level";

/// `x-tiergen-service` on a Server Object.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceDeclaration {
    pub id: String,
    pub name: String,
    pub path_prefixes: Vec<String>,
    /// The CLI word its commands start with; `""` puts them at the top level.
    #[serde(default)]
    pub command: Option<String>,
}

/// Reads one extension value as `T`, naming the exact spot of a mistake.
pub fn read<T: for<'de> Deserialize<'de>>(
    file: &Path,
    at: &str,
    extensions: &IndexMap<String, Value>,
    key: &str,
) -> Result<Option<T>> {
    let Some(value) = extensions.get(key) else {
        return Ok(None);
    };
    let here = format!("{at}/{key}");
    serde_path_to_error::deserialize(value.clone())
        .map(Some)
        .map_err(|e| {
            let inner = super::path_to_pointer(e.path());
            Error::at_pointer(
                file,
                &format!("{here}{inner}"),
                format!("invalid `{key}`: {}", e.inner()),
            )
        })
}

/// `x-tiergen-package` on `info`: a package name, letters, digits, `-` and `_`.
pub fn package(file: &Path, extensions: &IndexMap<String, Value>) -> Result<Option<String>> {
    checked_name(
        file,
        "/info",
        extensions,
        PACKAGE,
        "an ASCII letter, then letters, digits, `-` or `_`",
        |name| {
            name.starts_with(|c: char| c.is_ascii_alphabetic())
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        },
    )
}

/// `x-tiergen-cli` on `info`: the command-line program's name.
pub fn cli(file: &Path, extensions: &IndexMap<String, Value>) -> Result<Option<String>> {
    checked_name(
        file,
        "/info",
        extensions,
        CLI,
        "an ASCII letter, then letters, digits, `-` or `_`",
        |name| {
            name.starts_with(|c: char| c.is_ascii_alphabetic())
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        },
    )
}

/// `x-tiergen-tool-name` on an operation: what agents call it (MCP's limits).
pub fn tool_name(
    file: &Path,
    at: &str,
    extensions: &IndexMap<String, Value>,
) -> Result<Option<String>> {
    checked_name(
        file,
        at,
        extensions,
        TOOL_NAME,
        "1 to 64 of `A-Z a-z 0-9 _ -`",
        |name| {
            (1..=64).contains(&name.len())
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        },
    )
}

/// `x-tiergen-env` on a security scheme: the environment variable a running
/// tool reads the credential or routing value from.
pub fn env_var(
    file: &Path,
    at: &str,
    extensions: &IndexMap<String, Value>,
) -> Result<Option<String>> {
    checked_name(
        file,
        at,
        extensions,
        ENV,
        "an upper-case letter, then `A-Z 0-9 _`",
        |name| {
            name.starts_with(|c: char| c.is_ascii_uppercase())
                && name
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        },
    )
}

/// `x-tiergen-idempotent` on an operation: `true` when sending it twice
/// does what sending it once does, so a runner may retry it.
pub fn idempotent(file: &Path, at: &str, extensions: &IndexMap<String, Value>) -> Result<bool> {
    Ok(read::<bool>(file, at, extensions, IDEMPOTENT)?.unwrap_or(false))
}

/// `deprecated` with `x-sunset` (a `YYYY-MM-DD` date, or an RFC 3339
/// date-time whose date is used) on an operation, parameter or schema.
pub fn lifecycle(
    file: &Path,
    at: &str,
    deprecated: bool,
    extensions: &IndexMap<String, Value>,
) -> Result<Lifecycle> {
    let sunset = match read::<String>(file, at, extensions, SUNSET)? {
        None => None,
        Some(text) => Some(Date::parse(&text).ok_or_else(|| {
            Error::at_pointer(
                file,
                &format!("{at}/{SUNSET}"),
                format!("`{SUNSET}` must be a date like `2027-01-31`, not {text:?}"),
            )
        })?),
    };
    Ok(Lifecycle { deprecated, sunset })
}

/// `x-stability-level` on an operation: `draft`, `alpha`, `beta` or `stable`.
pub fn stability(
    file: &Path,
    at: &str,
    extensions: &IndexMap<String, Value>,
) -> Result<Option<Stability>> {
    let Some(text) = read::<String>(file, at, extensions, STABILITY)? else {
        return Ok(None);
    };
    Stability::ALL
        .into_iter()
        .find(|level| level.name() == text)
        .map(Some)
        .ok_or_else(|| {
            Error::at_pointer(
                file,
                &format!("{at}/{STABILITY}"),
                format!("`{STABILITY}` is one of draft, alpha, beta, stable, not {text:?}"),
            )
        })
}

/// `x-tiergen-command` on an operation: its CLI command path, words in kebab case.
pub fn command(
    file: &Path,
    at: &str,
    extensions: &IndexMap<String, Value>,
) -> Result<Option<Vec<String>>> {
    let Some(words) = read::<Vec<String>>(file, at, extensions, COMMAND)? else {
        return Ok(None);
    };
    if words.is_empty() || !words.iter().all(|w| is_command_word(w)) {
        return Err(Error::at_pointer(
            file,
            &format!("{at}/{COMMAND}"),
            format!(
                "invalid `{COMMAND}` {words:?}: use one or more words of `a-z 0-9 -`, each starting with a letter"
            ),
        ));
    }
    Ok(Some(words))
}

/// A CLI word: a lower-case letter, then lower-case letters, digits or `-`.
pub fn is_command_word(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_lowercase())
        && word
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn checked_name(
    file: &Path,
    at: &str,
    extensions: &IndexMap<String, Value>,
    key: &str,
    rule: &str,
    valid: impl Fn(&str) -> bool,
) -> Result<Option<String>> {
    let Some(name) = read::<String>(file, at, extensions, key)? else {
        return Ok(None);
    };
    if !valid(&name) {
        return Err(Error::at_pointer(
            file,
            &format!("{at}/{key}"),
            format!("invalid `{key}` {name:?}: use {rule}"),
        ));
    }
    Ok(Some(name))
}

pub fn guards(file: &Path, at: &str, extensions: &IndexMap<String, Value>) -> Result<Vec<Guard>> {
    Ok(read(file, at, extensions, GUARDS)?.unwrap_or_default())
}

pub fn effects(file: &Path, at: &str, extensions: &IndexMap<String, Value>) -> Result<Vec<Effect>> {
    let Some(value) = extensions.get(EFFECTS) else {
        return Ok(Vec::new());
    };
    let here = format!("{at}/{EFFECTS}");
    let items = value
        .as_array()
        .ok_or_else(|| Error::at_pointer(file, &here, format!("`{EFFECTS}` must be a list")))?;
    items
        .iter()
        .enumerate()
        .map(|(i, item)| effect(file, &format!("{here}/{i}"), item))
        .collect()
}

fn effect(file: &Path, at: &str, item: &Value) -> Result<Effect> {
    let fields = item
        .as_object()
        .cloned()
        .ok_or_else(|| Error::at_pointer(file, at, "an effect must be a mapping with a `kind`"))?;
    Effect::from_fields(fields).map_err(|(key, reason)| match key {
        Some(key) => Error::at_pointer(file, &format!("{at}/{key}"), reason),
        None => Error::at_pointer(file, at, reason),
    })
}

/// `x-tiergen-lint-allow: {rule-id: reason}`.
pub fn lint_allow(
    file: &Path,
    at: &str,
    extensions: &IndexMap<String, Value>,
) -> Result<Vec<(String, String)>> {
    let allowed: Option<IndexMap<String, String>> = read(file, at, extensions, LINT_ALLOW)?;
    Ok(allowed.map(|a| a.into_iter().collect()).unwrap_or_default())
}
