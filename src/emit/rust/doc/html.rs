//! The HTML a spec description may carry into rustdoc: a short list of
//! presentational tags (tables, lists, emphasis, headings, `<details>`),
//! without attributes beyond a link's `href` and a cell's span, and only
//! when every one of them is closed where HTML wants it (rustdoc's
//! `invalid_html_tags` lint refuses an unclosed `<td>` as it does an
//! unclosed `<script>`). Anything else is shown as text.

/// Tags that pass. Not `script`, `style`, `iframe`, `img` (a remote image
/// loads when the docs are read), `pre` or `textarea` (their HTML blocks
/// run across blank lines), nor forms.
const ALLOWED: &[&str] = &[
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Tags that have no closing tag.
const VOID: &[&str] = &["br", "col", "hr", "wbr"];

/// One piece of raw HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'a> {
    Tag(Tag),
    /// `<!-- … -->`: shown to no reader, so dropped.
    Comment,
    Text(&'a str),
}

/// An opening or closing tag, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// Lowercase.
    name: String,
    closing: bool,
    self_closing: bool,
    attributes: Vec<(String, String)>,
    raw: String,
}

impl Tag {
    fn allowed(&self) -> bool {
        ALLOWED.contains(&self.name.as_str())
    }

    fn void(&self) -> bool {
        VOID.contains(&self.name.as_str())
    }

    /// The tag as rustdoc gets it, or `None` when it must be shown as text.
    pub fn sanitized(&self) -> Option<String> {
        if !self.allowed() || (self.self_closing && !self.void()) {
            return None;
        }
        if self.closing {
            return Some(format!("</{}>", self.name));
        }
        let mut out = format!("<{}", self.name);
        for (name, value) in &self.attributes {
            if kept_attribute(&self.name, name, value) {
                out.push_str(&format!(" {name}=\"{value}\""));
            }
        }
        out.push('>');
        Some(out)
    }

    /// The tag as the spec wrote it.
    pub fn raw(&self) -> &str {
        &self.raw
    }
}

/// A link's absolute `href`, a cell's span and alignment, a list's start:
/// attributes that change what a reader sees and cannot run anything.
fn kept_attribute(tag: &str, name: &str, value: &str) -> bool {
    let digits = !value.is_empty() && value.len() <= 4 && value.bytes().all(|b| b.is_ascii_digit());
    match (tag, name) {
        ("a", "href") => is_absolute_url(value),
        ("td" | "th", "colspan" | "rowspan") | ("ol", "start") => digits,
        ("td" | "th", "align") => matches!(value, "left" | "right" | "center"),
        _ => false,
    }
}

/// `html` cut into tags, comments and the text between them.
pub fn pieces(html: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut text_from = 0;
    let mut at = 0;
    while let Some(offset) = html[at..].find('<') {
        let start = at + offset;
        let Some((piece, end)) = piece_at(html, start) else {
            at = start + 1;
            continue;
        };
        if text_from < start {
            out.push(Piece::Text(&html[text_from..start]));
        }
        out.push(piece);
        text_from = end;
        at = end;
    }
    if text_from < html.len() {
        out.push(Piece::Text(&html[text_from..]));
    }
    out
}

/// The comment or tag starting at `start` (a `<`), and where it ends.
fn piece_at(html: &str, start: usize) -> Option<(Piece<'static>, usize)> {
    let rest = &html[start..];
    if let Some(body) = rest.strip_prefix("<!--") {
        let end = body.find("-->")?;
        return Some((Piece::Comment, start + 4 + end + 3));
    }
    let (tag, length) = tag_at(rest)?;
    Some((Piece::Tag(tag), start + length))
}

/// A tag at the start of `text`, and its length: `<name attrs>`, `<name/>`
/// or `</name>`, with attributes quoted, unquoted or bare.
fn tag_at(text: &str) -> Option<(Tag, usize)> {
    let bytes = text.as_bytes();
    let closing = bytes.get(1) == Some(&b'/');
    let mut at = if closing { 2 } else { 1 };
    let name_len = bytes[at..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
        .count();
    if name_len == 0 || !bytes[at].is_ascii_alphabetic() {
        return None;
    }
    let name = text[at..at + name_len].to_ascii_lowercase();
    at += name_len;
    let mut attributes = Vec::new();
    loop {
        at += whitespace(&bytes[at..]);
        match bytes.get(at)? {
            b'>' => break,
            b'/' if bytes.get(at + 1) == Some(&b'>') && !closing => {
                let tag = Tag {
                    name,
                    closing,
                    self_closing: true,
                    attributes,
                    raw: text[..at + 2].to_string(),
                };
                return Some((tag, at + 2));
            }
            _ if closing => return None,
            _ => {
                let (attribute, length) = attribute_at(&text[at..])?;
                attributes.push(attribute);
                at += length;
            }
        }
    }
    let tag = Tag {
        name,
        closing,
        self_closing: false,
        attributes,
        raw: text[..=at].to_string(),
    };
    Some((tag, at + 1))
}

fn whitespace(bytes: &[u8]) -> usize {
    bytes.iter().take_while(|b| b.is_ascii_whitespace()).count()
}

/// One attribute at the start of `text`: its lowercase name, its value
/// (empty when bare), and its length.
fn attribute_at(text: &str) -> Option<((String, String), usize)> {
    let bytes = text.as_bytes();
    let name_len = bytes
        .iter()
        .take_while(|b| {
            !b.is_ascii_whitespace() && !matches!(b, b'"' | b'\'' | b'>' | b'/' | b'=' | b'<')
        })
        .count();
    if name_len == 0 {
        return None;
    }
    let name = text[..name_len].to_ascii_lowercase();
    let mut at = name_len + whitespace(&bytes[name_len..]);
    if bytes.get(at) != Some(&b'=') {
        return Some(((name, String::new()), name_len));
    }
    at += 1;
    at += whitespace(&bytes[at..]);
    let (value, length) = match bytes.get(at)? {
        quote @ (b'"' | b'\'') => {
            let end = text[at + 1..].find(*quote as char)?;
            (&text[at + 1..at + 1 + end], end + 2)
        }
        _ => {
            let len = bytes[at..]
                .iter()
                .take_while(|b| {
                    !b.is_ascii_whitespace()
                        && !matches!(b, b'"' | b'\'' | b'=' | b'<' | b'>' | b'`')
                })
                .count();
            if len == 0 {
                return None;
            }
            (&text[at..at + len], len)
        }
    };
    Some(((name, value.to_string()), at + length))
}

impl Tag {
    /// A tag that must pair with another: one that would pass, not void.
    pub fn pairs(&self) -> bool {
        self.allowed() && !self.void()
    }
}

/// For each tag of `fragments` that [pairs](Tag::pairs), in order, whether
/// it is kept: an opening and a closing tag that match, with every tag
/// between them matched too. The rest — a `<td>` never closed, a `</b>`
/// never opened, a self-closing `<span/>` — are shown as text, so what
/// rustdoc gets balances (its `invalid_html_tags` lint refuses the rest).
pub fn decisions<'a>(fragments: impl IntoIterator<Item = &'a str>) -> Vec<bool> {
    let mut kept = Vec::new();
    // The open tags not yet matched: their name and index in `kept`.
    let mut open: Vec<(String, usize)> = Vec::new();
    for fragment in fragments {
        for piece in pieces(fragment) {
            let Piece::Tag(tag) = piece else { continue };
            if !tag.pairs() {
                continue;
            }
            let index = kept.len();
            kept.push(false);
            if tag.self_closing {
                continue;
            }
            if !tag.closing {
                open.push((tag.name, index));
                continue;
            }
            // Matched with the nearest open tag of its name; those opened
            // after that one stay unmatched.
            if let Some(at) = open.iter().rposition(|(name, _)| *name == tag.name) {
                let (_, opening) = open[at];
                open.truncate(at);
                kept[opening] = true;
                kept[index] = true;
            }
        }
    }
    kept
}

/// Whether the tags that would pass, over all of `fragments` in order, open
/// and close as HTML wants: each tag that pairs is matched.
pub fn balanced<'a>(fragments: impl IntoIterator<Item = &'a str>) -> bool {
    decisions(fragments).iter().all(|kept| *kept)
}

/// Whether every tag in `fragments` is one that passes, written as
/// [`Tag::sanitized`] writes it, and they balance: the check of what
/// tiergen wrote.
pub fn only_sanitized<'a>(fragments: impl IntoIterator<Item = &'a str> + Clone) -> bool {
    let clean = fragments.clone().into_iter().all(|fragment| {
        pieces(fragment).iter().all(|piece| match piece {
            Piece::Tag(tag) => tag.sanitized().as_deref() == Some(tag.raw()),
            Piece::Comment => false,
            Piece::Text(text) => !text.contains('<'),
        })
    });
    clean && balanced(fragments)
}

/// An absolute `http`, `https` or `mailto` URL that needs no escaping in
/// `<…>` or an attribute: what a spec link may point to.
pub fn is_absolute_url(url: &str) -> bool {
    let scheme = ["https://", "http://", "mailto:"].iter().any(|s| {
        url.len() > s.len()
            && url
                .get(..s.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(s))
    });
    scheme
        && !url.chars().any(|c| {
            c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | '\'' | '`')
        })
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_url_with_multibyte_characters_where_a_scheme_would_end_is_no_url() {
        // Byte 7 or 8 inside a character: compared by `get`, never sliced.
        assert!(!is_absolute_url("httpé://example.com"));
        assert!(!is_absolute_url("ma€lto:x"));
        assert!(is_absolute_url("https://example.com/é"));
    }

    use super::*;

    fn sanitized(html: &str) -> Vec<Option<String>> {
        pieces(html)
            .into_iter()
            .filter_map(|p| match p {
                Piece::Tag(tag) => Some(tag.sanitized()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn tags_are_cut_out_and_cleaned() {
        assert_eq!(
            sanitized(
                r#"<TABLE border=1><td colspan="2" onclick='x()'>a</td><a href="javascript:x">b</a><br/><script src=x>"#
            ),
            [
                Some("<table>".to_string()),
                Some("<td colspan=\"2\">".to_string()),
                Some("</td>".to_string()),
                Some("<a>".to_string()),
                Some("</a>".to_string()),
                Some("<br>".to_string()),
                None,
            ]
        );
        assert_eq!(
            pieces("a < b <!-- c --> d"),
            [Piece::Text("a < b "), Piece::Comment, Piece::Text(" d")]
        );
        assert_eq!(pieces("x<y"), [Piece::Text("x<y")]);
    }

    #[test]
    fn tags_must_balance() {
        assert!(balanced(["<table><tr><td>a</td></tr></table>"]));
        assert!(balanced(["<b>", "x", "</b>", "<br>"]));
        assert!(!balanced(["<td>a"]));
        assert!(!balanced(["</b>"]));
        assert!(!balanced(["<b><i></b></i>"]));
        assert!(!balanced(["<span/>"]));
        // Tags shown as text do not count.
        assert!(balanced(["<script>"]));
        // What matches is kept, what does not is not.
        assert_eq!(
            decisions([
                "<table><tr><td>a</td></tr></table>",
                "<b>x",
                "<i>y</i>",
                "</u>"
            ]),
            [true, true, true, true, true, true, false, true, true, false]
        );
        assert_eq!(decisions(["<b><i></b></i>"]), [true, false, true, false]);
    }
}
