//! Rustdoc from spec text. Spec prose is markdown written for people, not for
//! rustdoc: brackets would become intra-doc links, `<x>` an HTML tag, an
//! indented line a doctest. Each is neutralised here so `cargo doc` stays
//! warning-free and `cargo test` never compiles a description.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` attributes for each line of `text`.
pub fn attrs(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote! { #(#[doc = #lines])* }
}

/// `#![doc = "..."]` attributes, for a module's own documentation.
pub fn inner_attrs(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote! { #(#![doc = #lines])* }
}

/// Each line as `///` would write it: a space after the slashes unless
/// empty, and nothing rustc refuses in a comment ([`visible`]).
fn doc_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| {
            if line.is_empty() {
                String::new()
            } else {
                format!(" {}", visible(line))
            }
        })
        .collect()
}

/// `text` with every control character and every Unicode bidi control
/// spelled as its Rust escape (`\u{202e}`), so it can stand in a comment
/// or a Cargo.toml string: rustc refuses bidi controls in comments
/// (`text_direction_codepoint_in_comment`) and a bare carriage return in a
/// doc comment, TOML refuses control characters, and a reader sees what is
/// there rather than text reordered by an invisible character.
pub fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() || crate::text::is_bidi_control(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// Spec prose made safe for rustdoc, line by line.
pub fn prose(text: &str) -> String {
    // The column where the current list item's text starts, if in one.
    let mut item: Option<usize> = None;
    // A lone carriage return ends a line in markdown, and rustc refuses one
    // in a doc comment.
    text.trim()
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .lines()
        .map(|line| {
            let line = escape_line(line.trim_start());
            if line.is_empty() {
                item = None;
                line
            } else if let Some(content) = list_item_content(&line) {
                item = Some(content);
                line
            } else if let Some(content) = item {
                // A list item's wrapped line, indented to the item's text so
                // it stays in the item.
                format!("{}{line}", " ".repeat(content))
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Where the text of a list item starts (`- a` → 2, `*   a` → 4, `1. a`
/// → 3), when `line` opens one.
fn list_item_content(line: &str) -> Option<usize> {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let marker = if line.starts_with(['-', '+', '*']) {
        1
    } else if digits > 0 && line[digits..].starts_with('.') {
        digits + 1
    } else {
        return None;
    };
    let spaces = line[marker..].chars().take_while(|&c| c == ' ').count();
    (spaces > 0).then_some(marker + spaces)
}

/// Inline code for rustdoc: a code span long enough to hold any backticks
/// in `text`, on one line: control characters (a line break, say) are
/// spelled as escapes, so a name can never end the span or open a block.
pub fn code(text: &str) -> String {
    if text.is_empty() {
        return "(the empty string)".to_string();
    }
    let text = visible(text);
    let text = text.as_str();
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

fn escape_line(line: &str) -> String {
    // Tabs render differently everywhere (clippy refuses them in docs).
    let line = line.replace('\t', "    ");
    let line = line.as_str();
    let mut out = String::with_capacity(line.len());
    // A line of `=` or `-` alone would make the line above it a heading.
    if !line.is_empty() && line.chars().all(|c| matches!(c, '=' | '-' | ' ')) {
        out.push('\\');
    }
    let mut in_code = false;
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            // A run of three or more would open a fenced block (a doctest).
            let run = rest.chars().take_while(|&c| c == '`').count();
            if run >= 3 {
                out.push_str(&"\\`".repeat(run));
            } else {
                in_code = !in_code;
                out.push_str(&rest[..run]);
            }
            rest = &rest[run..];
            continue;
        }
        if !in_code {
            if let Some(url_len) = url_at(rest) {
                out.push('<');
                out.push_str(&rest[..url_len]);
                out.push('>');
                rest = &rest[url_len..];
                continue;
            }
            match c {
                '#' if out.is_empty() => out.push_str("\\#"),
                // `~~~` opens a fenced block (a doctest) as ``` does.
                '~' if out.is_empty() && rest.starts_with("~~~") => out.push_str("\\~"),
                '[' | ']' | '|' | '\\' => {
                    out.push('\\');
                    out.push(c);
                }
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '&' => out.push_str("&amp;"),
                _ => out.push(c),
            }
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    if in_code {
        // An unclosed span would swallow the next line; close it here.
        out.push('`');
    }
    out
}

/// The length of a bare `http(s)://` URL starting at `text`, if one does.
fn url_at(text: &str) -> Option<usize> {
    if !(text.starts_with("https://") || text.starts_with("http://")) {
        return None;
    }
    let len = text
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '`' | '"' | ')' | ']'))
        .unwrap_or(text.len());
    let len = text[..len].trim_end_matches(['.', ',', ';', ':']).len();
    Some(len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_cannot_open_links_tags_or_doctests() {
        assert_eq!(
            prose("[CP] <slug> a_b **x**"),
            "\\[CP\\] &lt;slug&gt; a_b **x**"
        );
        assert_eq!(prose("# not a heading"), "\\# not a heading");
        assert_eq!(prose("    indented\n```rust"), "indented\n\\`\\`\\`rust");
        assert_eq!(prose("~~~rust\n  ~~~"), "\\~~~rust\n\\~~~");
        assert_eq!(
            prose("Title\n===\nSub\n- - -"),
            "Title\n\\===\nSub\n\\- - -"
        );
        assert_eq!(prose("a\rb\r\nc"), "a\nb\nc");
        assert_eq!(prose("see https://x.io/a."), "see <https://x.io/a>.");
        assert_eq!(
            prose("- item\nwrapped\n\nafter"),
            "- item\n  wrapped\n\nafter"
        );
        assert_eq!(prose("* item\nwrapped"), "* item\n  wrapped");
        assert_eq!(prose("*   item\nwrapped"), "*   item\n    wrapped");
        assert_eq!(prose("10. item\nwrapped"), "10. item\n    wrapped");
        assert_eq!(prose("a\tb `c\td`"), "a    b `c    d`");
    }

    #[test]
    fn code_spans_keep_their_text() {
        assert_eq!(prose("`{slug}` and `a_b`"), "`{slug}` and `a_b`");
        assert_eq!(prose("open `span"), "open `span`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("a\n```b"), "````a\\u{a}```b````");
        assert_eq!(visible("\u{202e}evil\u{7}"), "\\u{202e}evil\\u{7}");
    }
}
