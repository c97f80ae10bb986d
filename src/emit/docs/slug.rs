//! Heading anchors as the docs site makes them. Fumadocs (and GitHub) give
//! each heading the id github-slugger computes from its text: lower-cased,
//! everything but letters, digits, marks, `_`, `-` and spaces dropped,
//! spaces turned into `-`; a slug the page already has gets `-1`, `-2`, …
//! A link is only right when it names the id the site will give, so the
//! pages compute every heading's slug here, in page order, and link to that.

use std::collections::HashMap;

/// The slugs handed out on one page, in the order its headings appear.
#[derive(Debug, Default)]
pub struct Slugger {
    /// For each base slug, how many repeats it has had.
    occurrences: HashMap<String, usize>,
}

impl Slugger {
    /// The id of the next heading whose rendered text is `text`.
    pub fn slug(&mut self, text: &str) -> String {
        let base = slug(text);
        let mut result = base.clone();
        while self.occurrences.contains_key(&result) {
            let count = self.occurrences.entry(base.clone()).or_insert(0);
            *count += 1;
            result = format!("{base}-{count}");
        }
        self.occurrences.insert(result.clone(), 0);
        result
    }
}

/// github-slugger's `slug`: one heading's id, before repeats are numbered.
pub fn slug(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .filter(|c| kept(*c))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The characters github-slugger keeps: letters, numbers and marks of any
/// script, the connector `_`, `-` and the ASCII space (other whitespace goes).
fn kept(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | ' ') || is_mark(c)
}

/// Combining marks in the blocks where spec text meets them (accents
/// written as a letter plus a combining mark).
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Cases from github-slugger's own fixtures.
    #[test]
    fn slugs_match_github_slugger() {
        let mut s = Slugger::default();
        assert_eq!(s.slug("Foo Bar"), "foo-bar");
        assert_eq!(s.slug("Foo Bar"), "foo-bar-1");
        assert_eq!(s.slug("foo bar"), "foo-bar-2");
        assert_eq!(s.slug("foo-bar"), "foo-bar-3");
        assert_eq!(s.slug("Привет non-latin 你好"), "привет-non-latin-你好");
        assert_eq!(s.slug("I ♥ unicode"), "i--unicode");
        assert_eq!(
            s.slug("Create a workspace (tenant)"),
            "create-a-workspace-tenant"
        );
        assert_eq!(s.slug("`GET /x/{id}`"), "get-xid");
        assert_eq!(s.slug("snake_case"), "snake_case");
        assert_eq!(s.slug("---"), "---");
        assert_eq!(s.slug(""), "");
        assert_eq!(s.slug(""), "-1");
    }

    #[test]
    fn a_numbered_slug_that_a_later_heading_has_is_numbered_again() {
        // github-slugger: "a", "a", "a-1" gives "a", "a-1", "a-1-1".
        let mut s = Slugger::default();
        assert_eq!(s.slug("a"), "a");
        assert_eq!(s.slug("a"), "a-1");
        assert_eq!(s.slug("a-1"), "a-1-1");
    }
}
