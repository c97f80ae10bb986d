//! Rustdoc from spec text. Spec prose is CommonMark written for people, not
//! for rustdoc: brackets would become intra-doc links, `<x>` an HTML tag, an
//! indented or fenced block a doctest. [`prose`] keeps the markdown — headings,
//! lists, tables, emphasis, code, links, safe HTML — and writes it again so
//! rustdoc renders it and none of that can happen ([`markdown`]); `cargo doc`
//! stays warning-free and `cargo test` never compiles a description.

mod html;
mod markdown;

use proc_macro2::TokenStream;
use quote::quote;

use markdown::Mode;

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

/// Spec prose as rustdoc markdown: its own blocks (paragraphs, headings,
/// lists, tables, code as ```` ```text ````), for a place of its own in the docs.
pub fn prose(text: &str) -> String {
    rewrite(text, Mode::Blocks { shift: 0 })
}

/// [`prose`] under a heading of its own: the spec's headings one level deeper.
pub fn prose_under_heading(text: &str) -> String {
    rewrite(text, Mode::Blocks { shift: 1 })
}

/// Spec text on one line, with its inline markup (emphasis, code, links):
/// for a name, a summary or a short description inside a sentence or a
/// list item, where a block would break what surrounds it.
pub fn inline(text: &str) -> String {
    // One line, read as one: a summary that starts with `# ` or `1. ` is
    // no heading or list.
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    rewrite(&markdown::as_one_line(&line), Mode::Inline)
}

/// `label` (e.g. `404:`) and then `markdown` (what [`prose`] wrote): on one
/// line when it starts with a paragraph, else with the blocks below it — a
/// table or a code fence after a label would not be one.
pub fn after(label: &str, markdown: &str) -> String {
    if markdown.is_empty() {
        label.to_string()
    } else if markdown::starts_with_paragraph(markdown) {
        format!("{label} {markdown}")
    } else {
        format!("{label}\n\n{markdown}")
    }
}

fn rewrite(text: &str, mode: Mode) -> String {
    let text = normalize(text);
    if let Some(markdown) = markdown::rewrite(&text, mode) {
        return markdown;
    }
    // What the rewrite wrote would not read back as meant (a construct it
    // does not foresee): every line escaped instead, as plain text.
    let plain = escaped(&text);
    let plain = if mode == Mode::Inline {
        plain.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        plain
    };
    match (markdown::is_safe(&plain), mode) {
        (true, _) => plain,
        (false, Mode::Inline) => code(&text),
        (false, Mode::Blocks { .. }) => text_block(&text),
    }
}

/// Line ends as `\n` (a lone carriage return ends a line in markdown, and
/// rustc refuses one in a doc comment), without the blank lines around.
fn normalize(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let start = text
        .char_indices()
        .take_while(|(_, c)| c.is_whitespace())
        .filter(|(_, c)| *c == '\n')
        .last()
        .map_or(0, |(at, _)| at + 1);
    text[start..].trim_end().to_string()
}

/// The last resort: `text` verbatim in a ```` ```text ```` block.
fn text_block(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat((longest + 1).max(3));
    format!("{fence}text\n{}\n{fence}", text.replace('\t', "    "))
}

/// Spec prose with everything markdown could read as markup escaped, line by
/// line: the fallback of [`prose`].
fn escaped(text: &str) -> String {
    // The column where the current list item's text starts, if in one.
    let mut item: Option<usize> = None;
    text.trim()
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
    fn prose_keeps_the_markdown_and_neutralises_what_rustdoc_would_misread() {
        // Text stays text: no intra-doc link, no HTML tag, no emphasis from a lone star.
        assert_eq!(
            prose("[CP] <slug> a_b **x** 5 * 3 | c"),
            "\\[CP\\] \\<slug> a_b **x** 5 \\* 3 \\| c"
        );
        // Headings (setext ones as ATX), lists, quotes and rules are kept.
        assert_eq!(
            prose("# Title\n\nTokens\n---\n\n- one\n- two\n  wrapped\n\n> said\n\n***"),
            "# Title\n\n## Tokens\n\n- one\n- two\n  wrapped\n\n> said\n\n***"
        );
        assert_eq!(prose_under_heading("# Title"), "## Title");
        // Every code block is a fenced `text` block: never a doctest.
        assert_eq!(
            prose("```rust\nfn x() {}\n```\n\n    indented [x]\n\n~~~\n``` inside\n~~~"),
            "```text\nfn x() {}\n```\n\n```text\nindented [x]\n```\n\n````text\n``` inside\n````"
        );
        // Tables, with their alignment.
        assert_eq!(
            prose("| a | b |\n|:--|--:|\n| `c` | [d] |"),
            "| a | b |\n| :--- | ---: |\n| `c` | \\[d\\] |"
        );
        // What would open a block at the start of a line stays text.
        assert_eq!(prose("\\# no\n\\- no\n1\\. no"), "\\# no\n\\- no\n1\\. no");
        assert_eq!(prose("a\rb\r\nc"), "a\nb\nc");
        // `_` is escaped only where it could open emphasis.
        assert_eq!(
            prose("a_b GIT_HTTP_* snake_ and _x, _y_"),
            "a_b GIT_HTTP_\\* snake_ and \\_x, *y*"
        );
        assert_eq!(prose("a\tb `c\td`"), "a    b `c    d`");
    }

    #[test]
    fn links_go_only_to_absolute_urls() {
        assert_eq!(
            prose(
                "see https://x.io/a. [doc](https://y.io) [rel](/docs) [ref][1] [gone]\n\n[1]: https://r.io"
            ),
            "see <https://x.io/a>. [doc](<https://y.io>) rel [ref](<https://r.io>) \\[gone\\]"
        );
        assert_eq!(
            prose("![logo](https://i.io/l.png)"),
            "[logo](<https://i.io/l.png>)"
        );
    }

    #[test]
    fn html_passes_only_when_safe_and_balanced() {
        assert_eq!(
            prose("<table><tr><td colspan=2 class=x>a [b]</td></tr></table>\n\nafter"),
            "<table><tr><td colspan=\"2\">a [b]</td></tr></table>\n\nafter"
        );
        assert_eq!(
            prose("a <b onclick=\"x()\">b</b> <a href=\"javascript:x\">c</a>"),
            "a <b>b</b> <a>c</a>"
        );
        // A script, an unclosed tag or a comment is never HTML rustdoc sees.
        assert_eq!(
            prose("<script>x()</script> [y]"),
            "\\<script>x()\\</script> \\[y\\]"
        );
        // Only the tags that match pass.
        assert_eq!(prose("<b>open and <i>x</i>"), "\\<b>open and <i>x</i>");
        assert_eq!(prose("<!-- note --> shown"), "shown");
    }

    #[test]
    fn inline_is_one_line() {
        assert_eq!(
            inline("# Title\n\n- *one*\n- `two`\n\n<b>three</b> <slug>"),
            "\\# Title - *one* - `two` three \\<slug>"
        );
        assert_eq!(inline("- [x] done"), "\\- \\[x\\] done");
        // A summary is one line, never a heading, a list or a fence.
        assert_eq!(inline("# not\n1. a heading"), "\\# not 1. a heading");
        assert_eq!(inline("1. first"), "1\\. first");
        assert_eq!(inline("```"), "\\`\\`\\`");
        assert_eq!(inline("*emphasis* stays"), "*emphasis* stays");
        assert_eq!(after("404:", &prose("Not *found*.")), "404: Not *found*.");
        assert_eq!(
            after("404:", &prose("| a |\n|---|\n| b |")),
            "404:\n\n| a |\n| --- |\n| b |"
        );
    }

    #[test]
    fn code_spans_keep_their_text() {
        assert_eq!(prose("`{slug}` and `a_b`"), "`{slug}` and `a_b`");
        assert_eq!(prose("open `span"), "open \\`span");
        assert_eq!(prose("`` a`b ``"), "``a`b``");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("a\n```b"), "````a\\u{a}```b````");
        assert_eq!(visible("\u{202e}evil\u{7}"), "\\u{202e}evil\\u{7}");
    }

    #[test]
    fn what_the_rewrite_cannot_place_falls_back_to_escaped_text() {
        // Every output is what rustdoc reads as meant.
        for text in [
            "[a]: https://x\n[a]",
            "<td>x",
            "```\n[x]\n",
            "* * *\n- - -\n===",
            "[^1]\n\n[^1]: note",
            "<https://x.io/a b>",
            "x<y>z</y>",
            // A control character ends a bare URL (an autolink cannot hold one).
            "~https://x\0io/",
        ] {
            assert!(
                markdown::is_safe(&prose(text)),
                "{text:?} → {:?}",
                prose(text)
            );
            assert!(
                markdown::is_safe(&inline(text)),
                "{text:?} → {:?}",
                inline(text)
            );
        }
    }

    proptest::proptest! {
        /// Whatever the text, what rustdoc gets reads back as meant: no
        /// doctest, no link it would resolve, no bare URL, only balanced
        /// safe HTML; and an inline rendering is one line.
        #[test]
        fn any_text_is_safe_for_rustdoc(text in "([-#>*_`~|\\[\\]()<>/!&;:.=+ \n\ta1]|<b>|</b>|<td>|</td>|<script>|https://x[.]io/|\\[x\\]: https://y|    |```|~~~|1\\. |- ){0,40}") {
            proptest::prop_assert!(markdown::is_safe(&prose(&text)), "{:?} → {:?}", text, prose(&text));
            let line = inline(&text);
            proptest::prop_assert!(markdown::is_safe(&line) && !line.contains('\n'), "{:?} → {:?}", text, line);
        }
    }
}
