//! Errors and lint findings as people read them: the one-line summary that
//! editors and CI annotations parse (`file:line:column: message (at
//! #pointer)`), then, when the file can be read, its line with a caret under
//! the offending token, and a help line when there is advice to give — the
//! way compilers show them. Machines read `--format json` instead.

use std::io::IsTerminal;
use std::ops::Range;
use std::path::Path;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::error::{Error, Location};
use crate::lint::{Finding, Level as LintLevel, Report, rules};

/// How diagnostics are drawn: with colour or without.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    color: bool,
}

impl Style {
    /// Colour only when standard error is a terminal and `NO_COLOR` is unset
    /// or empty (<https://no-color.org>).
    pub fn for_stderr() -> Self {
        Self::for_terminal(std::io::stderr().is_terminal())
    }

    /// The same rule for standard output (where `lint` prints its report).
    pub fn for_stdout() -> Self {
        Self::for_terminal(std::io::stdout().is_terminal())
    }

    fn for_terminal(is_terminal: bool) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Style {
            color: is_terminal && !no_color,
        }
    }

    pub fn plain() -> Self {
        Style { color: false }
    }

    fn renderer(self) -> Renderer {
        if self.color {
            Renderer::styled()
        } else {
            Renderer::plain()
        }
    }

    fn headline(self, level: &str, rest: &str) -> String {
        if self.color {
            let bold_red = "\u{1b}[1;91m";
            let bold_yellow = "\u{1b}[1;33m";
            let bold = "\u{1b}[1m";
            let reset = "\u{1b}[0m";
            let tint = if level.starts_with("warning") {
                bold_yellow
            } else {
                bold_red
            };
            format!("{tint}{level}{reset}{bold}: {rest}{reset}")
        } else {
            format!("{level}: {rest}")
        }
    }
}

/// `error: <error>`, then the source line and the help, if any; for an
/// error of several problems, each so in turn, then the line that counts
/// them. `source` is the text of the error's file, when it is at hand.
pub fn error(error: &Error, source: Option<&str>, style: Style) -> String {
    let mut shown = Vec::new();
    for problem in error.problems() {
        // Problems in another file than the first are shown without their line.
        let source = source.filter(|_| problem.file() == error.file());
        shown.push(one_error(problem, source, style));
    }
    if let Some(closing) = error.closing() {
        shown.push(format!("{}\n", style.headline("error", &closing)));
    }
    // A blank line between diagnostics, as compilers do, when there are several.
    shown.join("\n")
}

fn one_error(error: &Error, source: Option<&str>, style: Style) -> String {
    let mut text = style.headline("error", &error.headline());
    let at = match error.location() {
        Location::LineColumn { line, column } | Location::Located { line, column, .. } => {
            Some((*line, *column))
        }
        Location::File | Location::Pointer(_) => None,
    };
    let excerpt = source
        .zip(at)
        .and_then(|(source, (line, column))| excerpt(source, line, column));
    text.push('\n');
    text.push_str(&body(Level::ERROR, excerpt, error.help(), style));
    text
}

/// A lint finding: `<file>:<line>:<column>: <level>[<rule>]: <message> (at
/// #<pointer>)`, then the source line and how to fix or silence it.
pub fn finding(
    finding: &Finding,
    file: &Path,
    source: Option<&str>,
    at: Option<(usize, usize)>,
    style: Style,
) -> String {
    let place = match at {
        Some((line, column)) => format!("{}:{line}:{column}", file.display()),
        None => file.display().to_string(),
    };
    let (word, level) = match finding.level {
        LintLevel::Error => ("error", Level::ERROR),
        LintLevel::Warning => ("warning", Level::WARNING),
    };
    let mut text = format!(
        "{place}: {} (at #{})",
        style.headline(&format!("{word}[{}]", finding.rule), &finding.message),
        finding.pointer
    );
    let excerpt = source
        .zip(at)
        .and_then(|(source, (line, column))| excerpt(source, line, column));
    text.push('\n');
    text.push_str(&body(level, excerpt, Some(&finding.help), style));
    text
}

/// One source line and the span to underline in it.
struct Excerpt<'a> {
    line: usize,
    text: &'a str,
    span: Range<usize>,
}

/// Line `line` of `source` and the node starting at 1-based character
/// `column` (see [`node_length`]).
fn excerpt(source: &str, line: usize, column: usize) -> Option<Excerpt<'_>> {
    let text = source.lines().nth(line.checked_sub(1)?)?;
    // A minified JSON spec is one long line: show none rather than megabytes.
    if text.len() > 1_000 {
        return None;
    }
    let start = text
        .char_indices()
        .nth(column.checked_sub(1)?)
        .map(|(at, _)| at)?;
    // A mark that lands on the `: ` before a value means the value.
    let start = match text[start..].strip_prefix(':') {
        Some(value) => text.len() - value.trim_start().len(),
        None => start,
    };
    let in_flow = text[..start].contains(['{', '[']);
    let length = node_length(&text[start..], in_flow);
    Some(Excerpt {
        line,
        text,
        span: start..start + length.max(1),
    })
}

/// How much of `rest` the node at its start takes: a scalar, or a key with
/// its scalar value (`$ref: "#/x"`, `operationId: getThing`), since a
/// problem with a member is a problem with what it says. A collection value
/// is not underlined, only its key.
fn node_length(rest: &str, in_flow: bool) -> usize {
    let first = scalar_length(rest, in_flow);
    let after = &rest[first..];
    let Some(value) = after
        .strip_prefix(':')
        .or_else(|| after.strip_prefix("\":"))
    else {
        return first;
    };
    let value_at = rest.len() - value.trim_start().len();
    let value = &rest[value_at..];
    if value.is_empty() || value.starts_with(['{', '[', '#', '|', '>']) {
        first
    } else {
        value_at + scalar_length(value, in_flow)
    }
}

/// A quoted scalar to its closing quote; a plain one to where YAML ends it:
/// `: `, the end of the line, or in a flow collection a `,` or bracket.
fn scalar_length(rest: &str, in_flow: bool) -> usize {
    if let Some(quote @ ('"' | '\'')) = rest.chars().next() {
        return rest[1..].find(quote).map_or(rest.len(), |end| end + 2);
    }
    let end = rest
        .char_indices()
        .find(|&(at, c)| {
            let next = rest[at + c.len_utf8()..].chars().next();
            (c == ':' && next.is_none_or(char::is_whitespace))
                || (in_flow && matches!(c, ',' | '{' | '}' | '[' | ']'))
                || (c == '#' && rest[..at].ends_with(char::is_whitespace))
        })
        .map_or(rest.len(), |(at, _)| at);
    rest[..end].trim_end().len()
}

/// The part under the headline: the excerpt and the help, as
/// annotate-snippets draws them; empty when there is neither.
fn body(
    level: Level<'_>,
    excerpt: Option<Excerpt<'_>>,
    help: Option<&str>,
    style: Style,
) -> String {
    if excerpt.is_none() && help.is_none() {
        return String::new();
    }
    let mut group = Group::with_level(level);
    if let Some(excerpt) = excerpt {
        group = group.element(
            Snippet::source(excerpt.text)
                .line_start(excerpt.line)
                .annotation(AnnotationKind::Primary.span(excerpt.span)),
        );
    }
    if let Some(help) = help {
        group = group.element(Level::HELP.message(help));
    }
    let mut rendered = style.renderer().render(&[group]);
    rendered.push('\n');
    rendered
}

/// `tiergen lint`'s report for `spec`, whose lint config is (or would be)
/// `config`: each finding as a diagnostic with the spec's line, the
/// acknowledged ones, and the totals.
pub fn lint_report(spec: &Path, config: &Path, report: &Report, style: Style) -> String {
    // Findings point into the spec; say where in the file, as compilers do. The
    // index costs a scan of the whole file, so a clean report never builds it.
    let source = std::cell::OnceCell::new();
    let source = || source.get_or_init(|| std::fs::read_to_string(spec).ok());
    let positions = std::cell::OnceCell::new();
    let at = |pointer: &str| {
        positions
            .get_or_init(|| {
                source()
                    .as_deref()
                    .map(crate::frontend::Positions::index)
                    .unwrap_or_default()
            })
            .locate(pointer)
    };
    let place = |pointer: &str| match at(pointer) {
        Some((line, column)) => format!("{}:{line}:{column}", spec.display()),
        None => spec.display().to_string(),
    };
    let mut text = String::new();
    for f in &report.findings {
        text.push_str(&finding(
            f,
            spec,
            source().as_deref(),
            at(&f.pointer),
            style,
        ));
    }
    for a in &report.acknowledged {
        let f = &a.finding;
        text.push_str(&format!(
            "{}: acknowledged[{}]: {} — {}\n",
            place(&f.pointer),
            f.rule,
            f.message,
            a.reason
        ));
    }
    let config_place = |acceptance: &crate::acceptance::Acceptance| match acceptance.position {
        Some((line, column)) => format!("{}:{line}:{column}", config.display()),
        None => config.display().to_string(),
    };
    for acceptance in &report.expired {
        text.push_str(&format!(
            "{}: error: {}\n",
            config_place(acceptance),
            acceptance.expired_message()
        ));
    }
    for acceptance in &report.stale {
        text.push_str(&format!(
            "{}: warning: {}\n",
            config_place(acceptance),
            acceptance.stale_message()
        ));
    }
    text.push_str(&summary(config, report));
    text
}

/// Findings from this many on get a count per rule: the way to see which
/// rule a noisy spec trips, and which level to set.
const MANY_FINDINGS: usize = 10;

/// The last lines of a lint report: the counts per rule when there are
/// many, then the totals, and which rules were off.
fn summary(config: &Path, report: &Report) -> String {
    let mut text = String::new();
    if report.findings.len() >= MANY_FINDINGS {
        let counts: Vec<String> = report
            .by_rule()
            .iter()
            .map(|(rule, count)| format!("{rule} {count}"))
            .collect();
        text.push_str(&format!(
            "lint: by rule: {}; set a rule's level with `--rule RULE=LEVEL` or in {}\n",
            counts.join(", "),
            config.display()
        ));
    }
    let off = report.off();
    let checked = rules().len() - off.len();
    let off = if off.is_empty() {
        String::new()
    } else {
        format!(" ({} off: {})", off.len(), off.join(", "))
    };
    text.push_str(&format!(
        "lint: {} error(s), {} warning(s), {} acknowledged; {checked} rules checked{off}\n",
        report.errors(),
        report.warnings(),
        report.acknowledged.len(),
    ));
    text
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn the_underline_covers_the_node_yaml_or_json_delimits() {
        let source = "a: 1\n      security: [{ nokey: [] }]\n  \"$ref\": \"#/x y\", z\n      operationId: get Thing # note\n  - target: $.paths.*[?@.id == 'a b']\n{ $ref: https://x.y/z.json }\n";
        let span = |line, column| excerpt(source, line, column).map(|e| &e.text[e.span]);
        assert_eq!(span(2, 20), Some("nokey"));
        assert_eq!(span(2, 7), Some("security"));
        assert_eq!(span(3, 3), Some("\"$ref\": \"#/x y\""));
        assert_eq!(span(3, 11), Some("\"#/x y\""));
        assert_eq!(span(4, 7), Some("operationId: get Thing"));
        assert_eq!(span(5, 13), Some("$.paths.*[?@.id == 'a b']"));
        assert_eq!(span(6, 3), Some("$ref: https://x.y/z.json"));
        assert_eq!(span(9, 1), None);
    }
}
