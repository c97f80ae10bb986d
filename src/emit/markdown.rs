//! Markdown that survives both a GFM renderer and the MDX compiler of the
//! docs site. Spec text reaches a template only as data: every `{{ value }}`
//! is escaped by the environment's formatter unless a filter here has
//! already made it safe.

use minijinja::value::Value;
use minijinja::{AutoEscape, Environment, Error, ErrorKind, Output, State};

const MARKDOWN: &str = "markdown";

/// A template environment whose output is escaped for markdown table cells.
pub fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    if let Ok(syntax) = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build()
    {
        env.set_syntax(syntax);
    }
    env.set_auto_escape_callback(|_| AutoEscape::Custom(MARKDOWN.into()));
    env.set_formatter(format_value);
    env.add_filter("code", code);
    env.add_filter("rich", rich);
    env.add_filter("paragraphs", paragraphs);
    env.add_filter("anchor", anchor);
    env.add_filter("heading", heading);
    env.add_filter("href", |v: Value| {
        Value::from_safe_string(link_destination(v.as_str().unwrap_or_default()))
    });
    env
}

fn format_value(out: &mut Output, state: &mut State, value: &Value) -> Result<(), Error> {
    let text = if value.is_none() || value.is_undefined() {
        String::new()
    } else if let Some(s) = value.as_str() {
        s.to_string()
    } else {
        value.to_string()
    };
    let rendered = match state.auto_escape() {
        AutoEscape::Custom(name) if name == MARKDOWN && !value.is_safe() => cell(&text),
        _ => text,
    };
    out.write_str(&rendered)
        .map_err(|e| Error::new(ErrorKind::WriteFailure, e.to_string()))
}

/// A piece of text split into code spans and the prose between them.
enum Piece<'a> {
    Prose(&'a str),
    Code(&'a str),
}

/// Splits on CommonMark code spans: a run of N backticks up to the next run
/// of exactly N. An unmatched run is prose.
fn pieces(text: &str) -> Vec<Piece<'_>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        if bytes[i] != b'`' {
            i += 1;
            continue;
        }
        let open = run_len(bytes, i);
        let mut j = i + open;
        let mut close = None;
        while j < bytes.len() {
            if bytes[j] == b'`' {
                let len = run_len(bytes, j);
                if len == open {
                    close = Some(j);
                    break;
                }
                j += len;
            } else {
                j += 1;
            }
        }
        match close {
            Some(end) => {
                if start < i {
                    out.push(Piece::Prose(&text[start..i]));
                }
                out.push(Piece::Code(&text[i..end + open]));
                i = end + open;
                start = i;
            }
            None => i += open,
        }
    }
    if start < text.len() {
        out.push(Piece::Prose(&text[start..]));
    }
    out
}

fn run_len(bytes: &[u8], at: usize) -> usize {
    bytes[at..].iter().take_while(|b| **b == b'`').count()
}

/// Escapes prose so markdown and MDX read it as text: no JSX (`<`), no
/// expressions (`{`), no table breaks (`|`), no stray backticks.
fn escape_prose(text: &str, out: &mut String) {
    for c in text.chars() {
        if matches!(c, '\\' | '|' | '<' | '>' | '{' | '}' | '`' | '[' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
}

/// Text for one table cell: one line, pipes escaped even inside code spans
/// (GFM splits cells before it reads code).
pub fn cell(text: &str) -> String {
    inline(&text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// One line of text escaped for a table cell, code spans kept.
fn inline(flat: &str) -> String {
    let mut out = String::with_capacity(flat.len() + 8);
    for piece in pieces(flat) {
        match piece {
            Piece::Prose(prose) => escape_prose(prose, &mut out),
            Piece::Code(code) if code.contains("\\|") => {
                let content = code.trim_matches('`');
                let content = match content.strip_prefix(' ').and_then(|c| c.strip_suffix(' ')) {
                    Some(unpadded) if !unpadded.is_empty() => unpadded,
                    _ => content,
                };
                escape_code_as_prose(content, &mut out);
            }
            Piece::Code(code) => out.push_str(&code.replace('|', "\\|")),
        }
    }
    out
}

/// Whitespace runs as single spaces, one kept at either end: a piece of rich
/// text is glued to its neighbours, so its edges matter.
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    if space {
        out.push(' ');
    }
    out
}

/// `value` as a code span that is safe in a table cell.
fn code(value: Value) -> Value {
    let text = value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_string);
    Value::from_safe_string(code_span(&text))
}

/// `text` on one line as a code span that is safe in a table cell: the fence
/// outgrows any backtick run inside, and pipes are escaped (GFM splits cells
/// before it reads code). Empty text is said in words: `(empty)`.
fn code_span(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    // `` is no code span but two backticks, which the next `` would close.
    if text.is_empty() {
        return "(empty)".to_string();
    }
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    if text.contains("\\|") {
        let mut out = String::new();
        escape_code_as_prose(&text, &mut out);
        return out;
    }
    format!("{fence}{pad}{}{pad}{fence}", text.replace('|', "\\|"))
}

/// Code holding `\|`, which no code span in a GFM table cell can show: the
/// cell splitter takes `\\|` for a backslash and a column break (remark-gfm
/// does; found by the fuzzer), and a code span cannot escape its backslash.
/// It is written as escaped prose instead: the same characters, not in
/// monospace.
fn escape_code_as_prose(code: &str, out: &mut String) {
    escape_prose(code, out);
}

/// Text an emitter composed from prose and names, as a list of one-key maps
/// `{"text": …}` or `{"code": …}`, rendered for a table cell. Each piece is
/// escaped on its own, so a backtick in spec prose can never pair with the
/// fence of a name beside it.
fn rich(value: Value) -> Result<Value, Error> {
    let mut out = String::new();
    for piece in value.try_iter()? {
        if let Some(text) = piece.get_attr("text").ok().filter(|v| !v.is_undefined()) {
            out.push_str(&inline(&collapse(text.as_str().unwrap_or_default())));
        } else if let Some(name) = piece.get_attr("code").ok().filter(|v| !v.is_undefined()) {
            out.push_str(&code_span(name.as_str().unwrap_or_default()));
        } else if let Some(link) = piece.get_attr("link").ok().filter(|v| !v.is_undefined()) {
            let (Some(name), Some(href)) = (
                link.get_attr("code").ok().filter(|v| v.as_str().is_some()),
                link.get_attr("href").ok().filter(|v| v.as_str().is_some()),
            ) else {
                return Err(Error::new(
                    ErrorKind::InvalidOperation,
                    format!("rich text link {link} needs a code and an href"),
                ));
            };
            out.push('[');
            out.push_str(&code_span(name.as_str().unwrap_or_default()));
            out.push_str("](");
            out.push_str(&link_destination(href.as_str().unwrap_or_default()));
            out.push(')');
        } else {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                format!("rich text piece {piece} is neither text nor code"),
            ));
        }
    }
    Ok(Value::from_safe_string(out))
}

/// A link destination tiergen composed (`./page.md#anchor`): written in
/// angle brackets when it holds anything a bare destination cannot.
fn link_destination(href: &str) -> String {
    if href
        .chars()
        .any(|c| c.is_whitespace() || matches!(c, '(' | ')' | '<' | '>' | '\\'))
    {
        format!("<{}>", href.replace('<', "%3C").replace('>', "%3E"))
    } else {
        href.to_string()
    }
}

/// A heading's text: a table cell's escaping, plus `_` and `&`, so the text
/// the site renders (and slugs) is exactly the spec's, never emphasis or an
/// entity it decoded.
fn heading(value: Value) -> Value {
    let text = value.as_str().unwrap_or_default();
    let mut out = String::new();
    for piece in pieces(&cell(text)) {
        match piece {
            Piece::Prose(prose) => {
                for c in prose.chars() {
                    if matches!(c, '_' | '&' | '*' | '~') {
                        out.push('\\');
                    }
                    out.push(c);
                }
            }
            Piece::Code(code) => out.push_str(code),
        }
    }
    Value::from_safe_string(out)
}

/// Multi-line prose (a description) as markdown paragraphs: line breaks and
/// the spec's own inline markdown kept, everything MDX would read as code
/// escaped, and nothing that would open a block of the page's own: no
/// heading (`#`, or a `===`/`---` line under text) and no `~~~` code fence
/// (a ``` one is escaped with the rest of the prose).
fn paragraphs(value: Value) -> Value {
    let text = value.as_str().unwrap_or_default();
    // A lone carriage return ends a line in markdown too.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len() + 16);
    for (n, line) in text.trim_end().lines().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let line = line.trim_end();
        let body = line.trim_start();
        out.push_str(&line[..line.len() - body.len()]);
        // `>` is escaped with the rest of the prose; these only matter here.
        let underline =
            !body.is_empty() && body.chars().all(|c| matches!(c, '=' | '-' | ' ' | '\t'));
        if body.starts_with('#') || body.starts_with("~~~") || underline {
            out.push('\\');
        }
        for piece in pieces(body) {
            match piece {
                Piece::Prose(prose) => escape_prose(prose, &mut out),
                Piece::Code(code) => out.push_str(code),
            }
        }
    }
    Value::from_safe_string(out)
}

/// The anchor GitHub and Fumadocs give a heading made of `text` alone:
/// lower-cased, punctuation dropped, spaces to hyphens.
fn anchor(value: Value) -> Value {
    let text = value.as_str().unwrap_or_default();
    let slug: String = text
        .chars()
        .filter_map(|c| match c {
            c if c.is_alphanumeric() => Some(c.to_lowercase().next().unwrap_or(c)),
            ' ' | '-' => Some('-'),
            '_' => Some('_'),
            _ => None,
        })
        .collect();
    Value::from_safe_string(slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_escape_everything_that_breaks_a_table_or_mdx() {
        assert_eq!(cell("a | b"), "a \\| b");
        assert_eq!(
            cell("Bearer <key>\nnext line"),
            "Bearer \\<key\\> next line"
        );
        assert_eq!(
            cell("{{ 7*7 }} and {% if %}"),
            "\\{\\{ 7*7 \\}\\} and \\{% if %\\}"
        );
        assert_eq!(cell("keep `a|b` and `{slug}`"), "keep `a\\|b` and `{slug}`");
        assert_eq!(cell("a stray ` backtick"), "a stray \\` backtick");
    }

    #[test]
    fn a_backslash_before_a_pipe_leaves_the_code_span() {
        // `\\\|`: an escaped backslash, then an escaped pipe, for every GFM parser.
        assert_eq!(code(Value::from("a\\|b")).to_string(), "a\\\\\\|b");
        assert_eq!(cell("x `a\\|b` y"), "x a\\\\\\|b y");
        assert_eq!(cell("x `a|b` y"), "x `a\\|b` y");
    }

    #[test]
    fn code_spans_outgrow_backticks_inside() {
        assert_eq!(code(Value::from("a`b")).to_string(), "``a`b``");
        assert_eq!(code(Value::from("/x/{id}")).to_string(), "`/x/{id}`");
        assert_eq!(code(Value::from(" \n")).to_string(), "(empty)");
    }

    #[test]
    fn rich_text_escapes_each_piece_for_its_kind() {
        let pieces = Value::from(minijinja::value::Serde(serde_json::json!([
            {"text": "a stray ` and {x} "},
            {"code": "Pet|`Cat`"},
            {"text": "\n| next <b> "},
        ])));
        let rendered = rich(pieces).map(|v| v.to_string()).ok();
        assert_eq!(
            rendered.as_deref(),
            // The stray backtick cannot pair with the name's fence.
            Some("a stray \\` and \\{x\\} `` Pet\\|`Cat` `` \\| next \\<b\\> ")
        );
        let odd = Value::from(minijinja::value::Serde(serde_json::json!([{"link": "x"}])));
        assert!(rich(odd).is_err());
    }

    #[test]
    fn paragraphs_keep_lines_and_spec_markdown() {
        let text = "**Bold:** use `{slug}`\n- item <b>\n# not a heading";
        assert_eq!(
            paragraphs(Value::from(text)).to_string(),
            "**Bold:** use `{slug}`\n- item \\<b\\>\n\\# not a heading"
        );
    }

    #[test]
    fn paragraphs_never_open_a_heading_or_a_code_block() {
        let text = "a\r# not a heading\r\nText\n===\nText\n---\n~~~rust\n```\n  ~~~";
        assert_eq!(
            paragraphs(Value::from(text)).to_string(),
            "a\n\\# not a heading\nText\n\\===\nText\n\\---\n\\~~~rust\n\\`\\`\\`\n  \\~~~"
        );
    }

    #[test]
    fn anchors_follow_github_slugs() {
        assert_eq!(
            anchor(Value::from("adminDeleteTenant")).to_string(),
            "admindeletetenant"
        );
        assert_eq!(
            anchor(Value::from("Control plane")).to_string(),
            "control-plane"
        );
    }
}
