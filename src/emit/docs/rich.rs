//! Text composed of prose and names, which the templates' `rich` filter
//! escapes piece by piece for its kind.

use serde::Serialize;

/// A piece of composed text: prose, or a name shown as code.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Rich {
    Text(String),
    Code(String),
    /// A name shown as code that links to where it is described.
    Link {
        code: String,
        href: String,
    },
}

pub fn text(s: impl Into<String>) -> Rich {
    Rich::Text(s.into())
}

pub fn code(s: impl Into<String>) -> Rich {
    Rich::Code(s.into())
}
