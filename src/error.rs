//! One error type for everything a user can get wrong.
//!
//! Every failure names the file it came from and, where one exists, a location
//! in it: a line and column for syntax errors, a JSON pointer for everything
//! found after parsing. The CLI prints it on one line and exits with code 2.
//! The one exception is [`Error::bug`]: a failure of tiergen itself (an
//! emitter that cannot render what the IR holds), said to be one, exit 70.
//! A pass that can find several problems of one kind at once (every dangling
//! `$ref`) reports them in one [`Error`], so a user fixes them in one round.

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
    /// A boxed `str`, one word smaller than a `String`: every `Result` carries an `Error`.
    help: Option<Box<str>>,
    /// The other problems of [`Error::several`]; boxed, since most errors
    /// have none and every `Result` carries an `Error`'s size.
    more: Option<Box<More>>,
    fault: Fault,
}

/// Whose failure an [`Error`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The input's: the spec, the overlay, a flag, the output folder.
    Input,
    /// tiergen's own: a bug, whatever the input.
    Tiergen,
}

/// What [`Error::several`] adds to its first problem.
#[derive(Debug, Clone, PartialEq, Eq)]
struct More {
    /// The other problems listed, each an error of its own.
    listed: Vec<Error>,
    /// How many were found beyond those listed.
    unlisted: usize,
    /// What the problems are, for the closing line ("dangling $refs").
    kind: String,
}

/// How many problems of one kind are listed; the rest are only counted, so a
/// spec broken everywhere still gives an error a person can read.
pub const LISTED: usize = 20;

impl Error {
    pub fn new(file: impl AsRef<Path>, location: Location, message: impl Into<String>) -> Self {
        Error {
            file: file.as_ref().to_path_buf(),
            location,
            message: message.into(),
            help: None,
            more: None,
            fault: Fault::Input,
        }
    }

    /// A failure of tiergen itself while working on `file`, not a problem
    /// with it: the message says so and asks for a report.
    pub fn bug(file: impl AsRef<Path>, message: impl std::fmt::Display) -> Self {
        let message = format!(
            "internal error, a bug in tiergen (not in your input): {message}; please report it \
             with the spec that caused it"
        );
        Error {
            fault: Fault::Tiergen,
            ..Self::in_file(file, message)
        }
    }

    pub fn fault(&self) -> Fault {
        self.fault
    }

    /// One error for every problem a pass found (`kind` names them, in the
    /// plural): the first [`LISTED`] made into errors by `make`, the rest
    /// counted, so `make` (which may search for a "did you mean") runs at
    /// most [`LISTED`] times. The first problem is the error's own file,
    /// location and message; a single one is a plain error. `None` for none.
    pub fn several<T>(kind: &str, found: &[T], mut make: impl FnMut(&T) -> Error) -> Option<Error> {
        let mut listed = found.iter().take(LISTED).map(&mut make);
        let mut first = listed.next()?;
        if found.len() > 1 {
            first.more = Some(Box::new(More {
                listed: listed.collect(),
                unlisted: found.len().saturating_sub(LISTED),
                kind: kind.to_string(),
            }));
        }
        Some(first)
    }

    /// Each problem listed, this one first; a plain error is its one problem.
    /// Show each with [`Error::headline`], then [`Error::closing`].
    pub fn problems(&self) -> impl Iterator<Item = &Error> {
        let others = self.more.iter().flat_map(|more| &more.listed);
        std::iter::once(self).chain(others)
    }

    /// How many problems were found, listed or not.
    pub fn count(&self) -> usize {
        1 + self
            .more
            .as_ref()
            .map_or(0, |more| more.listed.len() + more.unlisted)
    }

    /// This problem's line alone, without the others [`Error::several`]
    /// attached to it: `file:line:column: message (at #pointer)`.
    pub fn headline(&self) -> String {
        let file = self.file.display();
        match &self.location {
            Location::File => format!("{file}: {}", self.message),
            Location::LineColumn { line, column } => {
                format!("{file}:{line}:{column}: {}", self.message)
            }
            Location::Pointer(p) if p.is_empty() => format!("{file}: {}", self.message),
            Location::Pointer(p) => format!("{file}#{p}: {}", self.message),
            Location::Located {
                line,
                column,
                pointer,
            } => format!("{file}:{line}:{column}: {} (at #{pointer})", self.message),
        }
    }

    /// The line that closes a list of several problems (`api.yaml: 3
    /// dangling $refs`), saying how many were left out; `None` for one.
    pub fn closing(&self) -> Option<String> {
        let more = self.more.as_ref()?;
        let mut line = format!("{}: {} {}", self.file.display(), self.count(), more.kind);
        if more.unlisted > 0 {
            let shown = 1 + more.listed.len();
            line.push_str(&format!(
                " ({shown} shown, {} more not shown)",
                more.unlisted
            ));
        }
        Some(line)
    }

    /// The same error, with advice on what to do about it.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into().into_boxed_str());
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

    /// Adds the line and column to each problem's pointer location, given a
    /// way to find them.
    pub fn locate_with(
        mut self,
        mut find: impl FnMut(&Path, &str) -> Option<(usize, usize)>,
    ) -> Self {
        self.locate_one(&mut find);
        for other in self.more.iter_mut().flat_map(|more| &mut more.listed) {
            other.locate_one(&mut find);
        }
        self
    }

    fn locate_one(&mut self, find: &mut impl FnMut(&Path, &str) -> Option<(usize, usize)>) {
        if let Location::Pointer(pointer) = &self.location
            && let Some((line, column)) = find(&self.file, pointer)
        {
            self.location = Location::Located {
                line,
                column,
                pointer: pointer.clone(),
            };
        }
    }
}

/// Every problem's line, one a line, then the closing line when there are several.
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut lines = self.problems().map(Error::headline);
        if let Some(first) = lines.next() {
            f.write_str(&first)?;
        }
        for line in lines.chain(self.closing()) {
            write!(f, "\n{line}")?;
        }
        Ok(())
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

#[cfg(test)]
mod tests {
    use super::{Error, Fault, LISTED};

    #[test]
    fn a_bug_says_it_is_tiergens_and_every_other_error_is_the_inputs() {
        let bug = Error::bug("api.yaml", "template Cargo.toml: unknown filter");
        assert_eq!(bug.fault(), Fault::Tiergen);
        assert!(
            bug.message()
                .contains("a bug in tiergen (not in your input)")
        );
        assert!(
            bug.message()
                .contains("template Cargo.toml: unknown filter")
        );
        assert_eq!(Error::in_file("api.yaml", "x").fault(), Fault::Input);
        assert_eq!(
            Error::at_pointer("api.yaml", "/a", "x").fault(),
            Fault::Input
        );
    }

    fn dangling(n: usize) -> Vec<String> {
        (0..n)
            .map(|i| format!("/components/schemas/A/properties/p{i}/$ref"))
            .collect()
    }

    #[test]
    fn several_problems_are_one_error_listing_each_then_a_count() {
        let found = dangling(3);
        let error = Error::several("dangling $refs", &found, |at| {
            Error::at_pointer("api.yaml", at, "dangling $ref")
        });
        let Some(error) = error else {
            panic!("three problems gave no error");
        };
        assert_eq!(error.count(), 3);
        assert_eq!(error.problems().count(), 3);
        // The first problem is the error's own.
        assert_eq!(
            error.location(),
            &super::Location::Pointer(found[0].clone())
        );
        assert_eq!(
            error.to_string(),
            "api.yaml#/components/schemas/A/properties/p0/$ref: dangling $ref\n\
             api.yaml#/components/schemas/A/properties/p1/$ref: dangling $ref\n\
             api.yaml#/components/schemas/A/properties/p2/$ref: dangling $ref\n\
             api.yaml: 3 dangling $refs"
        );
    }

    #[test]
    fn only_the_first_twenty_are_made_and_listed() {
        let found = dangling(25);
        let mut made = 0;
        let error = Error::several("dangling $refs", &found, |at| {
            made += 1;
            Error::at_pointer("api.yaml", at, "dangling $ref")
        });
        assert_eq!(made, LISTED);
        let Some(error) = error else {
            panic!("no error");
        };
        assert_eq!(error.count(), 25);
        assert_eq!(error.problems().count(), LISTED);
        assert_eq!(
            error.closing().as_deref(),
            Some("api.yaml: 25 dangling $refs (20 shown, 5 more not shown)")
        );
    }

    #[test]
    fn one_problem_is_a_plain_error_and_none_is_no_error() {
        let found = dangling(1);
        let make = |at: &String| Error::at_pointer("api.yaml", at, "dangling $ref");
        let one = Error::several("dangling $refs", &found, make);
        assert_eq!(
            one,
            Some(Error::at_pointer("api.yaml", &found[0], "dangling $ref"))
        );
        assert_eq!(one.and_then(|e| e.closing()), None);
        assert_eq!(Error::several("dangling $refs", &dangling(0), make), None);
    }

    #[test]
    fn every_problem_is_located() {
        let found = dangling(2);
        let error = Error::several("dangling $refs", &found, |at| {
            Error::at_pointer("api.yaml", at, "dangling $ref")
        })
        .map(|e| e.locate_with(|_, pointer| Some((pointer.len(), 1))));
        let lines: Vec<String> = error
            .iter()
            .flat_map(Error::problems)
            .map(Error::headline)
            .collect();
        assert_eq!(
            lines,
            [
                "api.yaml:40:1: dangling $ref (at #/components/schemas/A/properties/p0/$ref)",
                "api.yaml:40:1: dangling $ref (at #/components/schemas/A/properties/p1/$ref)",
            ]
        );
    }
}
