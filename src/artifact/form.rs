//! The forms some string fields must have, checked as they are read, so a
//! reader refuses what the route map's schema refuses (its `pattern`s and
//! `const`s) instead of finding out on the wire.

use serde::{Deserialize, Deserializer, de::Error};

fn checked<'de, D: Deserializer<'de>>(
    deserializer: D,
    what: &str,
    holds: impl Fn(&str) -> bool,
) -> Result<String, D::Error> {
    let text = String::deserialize(deserializer)?;
    if holds(&text) {
        Ok(text)
    } else {
        Err(D::Error::custom(format!("{text:?} is not {what}")))
    }
}

/// `^[A-Z][A-Z0-9_]*$`: what a shell takes as a variable name, upper case.
pub fn env<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    checked(
        deserializer,
        "an environment variable (A-Z, 0-9, _)",
        |name| {
            name.starts_with(|c: char| c.is_ascii_uppercase())
                && name
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        },
    )
}

/// `^[a-z][a-z0-9-]*$`: a word of a command, kebab case.
fn is_word(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_lowercase())
        && word
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// `--` and a word: a flag.
pub fn flag<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    checked(
        deserializer,
        "a flag (`--` and a kebab-case word)",
        |flag| flag.strip_prefix("--").is_some_and(is_word),
    )
}

/// `--body`, the one flag of a whole body.
pub fn body_flag<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    checked(deserializer, "`--body`", |flag| flag == "--body")
}

/// `^/`: a path template.
pub fn path<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    checked(deserializer, "a path (starting with `/`)", |path| {
        path.starts_with('/')
    })
}

/// One or more command words.
pub fn words<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    let words = Vec::<String>::deserialize(deserializer)?;
    if !words.is_empty() && words.iter().all(|w| is_word(w)) {
        Ok(words)
    } else {
        Err(D::Error::custom(format!(
            "{words:?} is not a command (kebab-case words, at least one)"
        )))
    }
}

/// A field that must be there, though it may be `null` (serde would take
/// a missing `Option` as `None`).
pub fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer)
}
