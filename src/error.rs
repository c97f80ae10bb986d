//! One error type for everything a user can get wrong.
//!
//! Every failure names the file it came from and, where one exists, a location
//! in it: a line and column for syntax errors, a JSON pointer for everything
//! found after parsing. The CLI prints it on one line and exits with code 2.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where in a file a problem sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// The file as a whole (it could not be read, say).
    File,
    /// A 1-based line and column, for syntax errors.
    LineColumn { line: usize, column: usize },
    /// An RFC 6901 JSON pointer into the parsed document.
    Pointer(String),
    /// A JSON pointer together with where its node starts in the source.
    Located {
        line: usize,
        column: usize,
        pointer: String,
    },
}

/// A problem with an input: the spec, its overlay, or the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    file: PathBuf,
    location: Location,
    message: String,
    /// Advice on what to do about it, shown under the source line.
    help: Option<String>,
}

impl Error {
    pub fn new(file: impl AsRef<Path>, location: Location, message: impl Into<String>) -> Self {
        Error {
            file: file.as_ref().to_path_buf(),
            location,
            message: message.into(),
            help: None,
        }
    }

    /// The same error, with advice on what to do about it.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn at_pointer(file: impl AsRef<Path>, pointer: &str, message: impl Into<String>) -> Self {
        Self::new(file, Location::Pointer(pointer.to_string()), message)
    }

    pub fn in_file(file: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Self::new(file, Location::File, message)
    }

    pub fn file(&self) -> &Path {
        &self.file
    }

    pub fn location(&self) -> &Location {
        &self.location
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn help(&self) -> Option<&str> {
        self.help.as_deref()
    }

    /// Adds the line and column to a pointer location, given a way to find them.
    pub fn locate_with(mut self, find: impl FnOnce(&Path, &str) -> Option<(usize, usize)>) -> Self {
        if let Location::Pointer(pointer) = &self.location
            && let Some((line, column)) = find(&self.file, pointer)
        {
            self.location = Location::Located {
                line,
                column,
                pointer: pointer.clone(),
            };
        }
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.file.display();
        match &self.location {
            Location::File => write!(f, "{file}: {}", self.message),
            Location::LineColumn { line, column } => {
                write!(f, "{file}:{line}:{column}: {}", self.message)
            }
            Location::Pointer(p) if p.is_empty() => write!(f, "{file}: {}", self.message),
            Location::Pointer(p) => write!(f, "{file}#{p}: {}", self.message),
            Location::Located {
                line,
                column,
                pointer,
            } => {
                write!(
                    f,
                    "{file}:{line}:{column}: {} (at #{pointer})",
                    self.message
                )
            }
        }
    }
}

impl std::error::Error for Error {}

/// The candidate most like `wanted`, when one is alike enough to be what
/// was meant (a typo, a case slip): for "did you mean" help.
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted = wanted.to_lowercase();
    // A slip of about one key in three is still the word that was meant.
    let allowed = (wanted.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|candidate| {
            (
                strsim::damerau_levenshtein(&wanted, &candidate.to_lowercase()),
                candidate,
            )
        })
        .filter(|(distance, _)| *distance <= allowed)
        // The nearest; among equals, the first in name order, so the help is stable.
        .min()
        .map(|(_, candidate)| candidate)
}

/// Escapes one reference token for a JSON pointer (RFC 6901 §3).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Builds a JSON pointer from its unescaped tokens.
pub fn pointer<I, S>(tokens: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    tokens
        .into_iter()
        .map(|t| format!("/{}", escape_token(t.as_ref())))
        .collect()
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
