//! Reading generated markdown the way a renderer does: the frontmatter set
//! apart, GFM tables parsed by a real CommonMark parser, each cell as plain
//! text under the heading it sits in, every heading with the id the docs
//! site's slugger (github-slugger) gives it, and the source checked for what
//! would break a table or the MDX site.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::LazyLock;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use regex::Regex;

/// A parsed table: its header cells and rows, each cell as plain text.
#[derive(Debug)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Per row, the destination of every link in it, in order.
    pub links: Vec<Vec<String>>,
    /// The heading the table sits under.
    pub section: String,
    /// That heading's id (github-slugger), "" before the first heading.
    pub anchor: String,
}

/// A page split at its YAML frontmatter: `(Some(yaml), body)` when the page
/// opens with a `---` block closed by a `---` line, else `(None, page)`.
pub fn split_frontmatter(page: &str) -> (Option<&str>, &str) {
    let Some(rest) = page.strip_prefix("---\n") else {
        return (None, page);
    };
    match rest.find("\n---\n") {
        Some(end) => (Some(&rest[..end]), &rest[end + "\n---\n".len()..]),
        None => (None, page),
    }
}

fn parser(body: &str) -> Parser<'_> {
    Parser::new_ext(body, Options::ENABLE_TABLES)
}

/// Every table of `markdown` (a whole page: the frontmatter is skipped), in
/// order. Raw HTML anywhere is a failure: spec text must never become markup.
pub fn tables(markdown: &str) -> Vec<Table> {
    let (_, body) = split_frontmatter(markdown);
    let mut out = Vec::new();
    let mut slugger = Slugger::default();
    let mut section = String::new();
    let mut anchor = String::new();
    let mut in_heading = false;
    let mut current: Option<Table> = None;
    let mut row: Vec<String> = Vec::new();
    let mut row_links: Vec<String> = Vec::new();
    let mut cell: Option<String> = None;
    for event in parser(body) {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                in_heading = true;
                section.clear();
            }
            Event::End(TagEnd::Heading(_)) => {
                in_heading = false;
                anchor = slugger.slug(&section);
            }
            Event::Start(Tag::Table(_)) => {
                current = Some(Table {
                    header: Vec::new(),
                    rows: Vec::new(),
                    links: Vec::new(),
                    section: section.clone(),
                    anchor: anchor.clone(),
                })
            }
            Event::End(TagEnd::Table) => out.extend(current.take()),
            Event::Start(Tag::TableHead | Tag::TableRow) => {
                row.clear();
                row_links.clear();
            }
            Event::End(TagEnd::TableHead) => {
                if let Some(t) = current.as_mut() {
                    t.header = std::mem::take(&mut row);
                }
            }
            Event::End(TagEnd::TableRow) => {
                if let Some(t) = current.as_mut() {
                    t.rows.push(std::mem::take(&mut row));
                    t.links.push(std::mem::take(&mut row_links));
                }
            }
            Event::Start(Tag::TableCell) => cell = Some(String::new()),
            Event::End(TagEnd::TableCell) => row.extend(cell.take()),
            Event::Start(Tag::Link { dest_url, .. }) if cell.is_some() => {
                row_links.push(dest_url.to_string());
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some(c) = cell.as_mut() {
                    c.push_str(&text);
                } else if in_heading {
                    section.push_str(&text);
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => panic!("raw HTML in the docs: {html:?}"),
            _ => {}
        }
    }
    out
}

/// Every table is well-formed: parsed, each row has as many cells as its
/// header; and in the source, every table line has as many cells as its
/// header line (GFM would silently pad or drop cells, so count them there).
pub fn assert_tables_consistent(name: &str, markdown: &str) {
    let parsed = tables(markdown);
    assert!(!parsed.is_empty(), "{name} has no tables");
    for table in &parsed {
        for row in &table.rows {
            assert_eq!(
                row.len(),
                table.header.len(),
                "{name} § {}: row {row:?}",
                table.section
            );
        }
    }
    if let Some(problem) = super::table_shape_error(markdown) {
        panic!("{name}: {problem}");
    }
}

/// The rows of every table under heading `section` whose header is `header`.
pub fn rows<'a>(tables: &'a [Table], section: &str, header: &[&str]) -> Vec<&'a [String]> {
    tables
        .iter()
        .filter(|t| t.section == section && t.header == header)
        .flat_map(|t| t.rows.iter().map(Vec::as_slice))
        .collect()
}

/// A heading as the site renders it: level, plain text, and its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub anchor: String,
}

/// A heading and what sits under it up to the next heading: the plain text
/// of each paragraph (code spans as their content, line breaks as `\n`).
#[derive(Debug)]
pub struct Section {
    pub heading: Heading,
    pub paragraphs: Vec<String>,
}

fn level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The sections of a page (frontmatter skipped), in order. The first has
/// level 0 and no text: what comes before the first heading.
pub fn sections(markdown: &str) -> Vec<Section> {
    let (_, body) = split_frontmatter(markdown);
    let mut slugger = Slugger::default();
    let mut out = vec![Section {
        heading: Heading {
            level: 0,
            text: String::new(),
            anchor: String::new(),
        },
        paragraphs: Vec::new(),
    }];
    let mut heading: Option<(u8, String)> = None;
    let mut paragraph: Option<String> = None;
    for event in parser(body) {
        match event {
            Event::Start(Tag::Heading { level: l, .. }) => {
                heading = Some((level(l), String::new()))
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, text)) = heading.take() {
                    let anchor = slugger.slug(&text);
                    out.push(Section {
                        heading: Heading {
                            level,
                            text,
                            anchor,
                        },
                        paragraphs: Vec::new(),
                    });
                }
            }
            Event::Start(Tag::Paragraph) => paragraph = Some(String::new()),
            Event::End(TagEnd::Paragraph) => {
                if let (Some(text), Some(section)) = (paragraph.take(), out.last_mut()) {
                    section.paragraphs.push(text);
                }
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, h)) = heading.as_mut() {
                    h.push_str(&text);
                } else if let Some(p) = paragraph.as_mut() {
                    p.push_str(&text);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(p) = paragraph.as_mut() {
                    p.push('\n');
                }
            }
            _ => {}
        }
    }
    out
}

/// Every heading of a page with its id, in page order.
pub fn headings(markdown: &str) -> Vec<Heading> {
    sections(markdown)
        .into_iter()
        .skip(1)
        .map(|s| s.heading)
        .collect()
}

/// A link: where it points and its visible text.
#[derive(Debug)]
pub struct Link {
    pub dest: String,
    pub text: String,
}

/// Every link of a page (frontmatter skipped), in order.
pub fn links(markdown: &str) -> Vec<Link> {
    let (_, body) = split_frontmatter(markdown);
    let mut out = Vec::new();
    let mut open: Vec<Link> = Vec::new();
    for event in parser(body) {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => open.push(Link {
                dest: dest_url.to_string(),
                text: String::new(),
            }),
            Event::End(TagEnd::Link) => out.extend(open.pop()),
            Event::Text(text) | Event::Code(text) => {
                for link in &mut open {
                    link.text.push_str(&text);
                }
            }
            _ => {}
        }
    }
    out
}

/// github-slugger (v2) removes these before it turns spaces into `-`: other
/// numbers, punctuation but connectors and the ASCII `-`, symbols, controls,
/// format and private-use characters, unassigned code points, separators
/// but the ASCII space; anything alphabetic stays. (Its table is Unicode
/// 13; the regex crate's is newer, which only matters for later letters.)
static SLUG_REMOVED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"[[\p{No}\p{Ps}\p{Pe}\p{Pi}\p{Pf}\p{Po}\p{Pd}\p{S}\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Z}]--[\p{Alphabetic}\x20\-]]",
    )
    .unwrap_or_else(|e| panic!("{e}"))
});

/// github-slugger's `slug()`: lower-cased, the characters above dropped,
/// every space a `-`. Nothing is trimmed.
pub fn slug(text: &str) -> String {
    SLUG_REMOVED
        .replace_all(&text.to_lowercase(), "")
        .replace(' ', "-")
}

/// github-slugger's `Slugger`: the ids of one page, in heading order; an id
/// already handed out gets `-1`, `-2`, … (counted per original slug).
#[derive(Debug, Default)]
pub struct Slugger {
    occurrences: HashMap<String, usize>,
}

impl Slugger {
    pub fn slug(&mut self, text: &str) -> String {
        let original = slug(text);
        let mut result = original.clone();
        while self.occurrences.contains_key(&result) {
            let count = self.occurrences.entry(original.clone()).or_default();
            *count += 1;
            result = format!("{original}-{count}");
        }
        self.occurrences.insert(result.clone(), 0);
        result
    }
}

/// The fences of a page's fenced code blocks, read from the source the way
/// CommonMark does (a backtick or tilde run of 3 or more, indented at most 3
/// spaces, closed by a run of the same character at least as long): for
/// each line, whether it is a fence line or inside a block. Panics on a
/// block left open, which would swallow the rest of the page.
fn code_lines(name: &str, body: &str) -> Vec<bool> {
    let mut out = Vec::new();
    let mut open: Option<(char, usize)> = None;
    for line in body.split('\n') {
        let trimmed = line.trim_start_matches(' ');
        let indent = line.len() - trimmed.len();
        let fence = trimmed
            .chars()
            .next()
            .filter(|c| matches!(c, '`' | '~') && indent <= 3)
            .map(|c| (c, trimmed.chars().take_while(|x| *x == c).count()))
            .filter(|(_, run)| *run >= 3);
        match (open, fence) {
            (None, Some((c, run))) => {
                // A backtick fence's info string holds no backtick.
                if c == '`' && trimmed[run..].contains('`') {
                    out.push(false);
                } else {
                    open = Some((c, run));
                    out.push(true);
                }
            }
            (Some((c, run)), Some((d, closing)))
                if c == d && closing >= run && trimmed[closing..].trim().is_empty() =>
            {
                open = None;
                out.push(true);
            }
            (Some(_), _) => out.push(true),
            (None, None) => out.push(false),
        }
    }
    assert!(
        open.is_none(),
        "{name}: a fenced code block is never closed"
    );
    out
}

/// The lines of a page's body that are prose: not in a fenced code block.
pub fn prose_lines(name: &str, markdown: &str) -> Vec<(usize, String)> {
    let (front, body) = split_frontmatter(markdown);
    let offset = front.map_or(0, |f| f.split('\n').count() + 2);
    let code = code_lines(name, body);
    body.split('\n')
        .zip(code)
        .enumerate()
        .filter(|(_, (_, in_code))| !in_code)
        .map(|(n, (line, _))| (n + 1 + offset, line.to_string()))
        .collect()
}

/// The fenced code blocks the templates write: the samples under **Call
/// it**, each a language and a title (`http title="HTTP"`).
static SAMPLE_FENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^(http|sh|rust|json) title="[^"\n]+"$"#).unwrap_or_else(|e| panic!("{e}"))
});

/// Spec text never opens a block of its own: every heading a renderer sees
/// is a line the template starts with `#` (outside code blocks), no bare
/// carriage return (a line break to a renderer, not to the checks), no
/// indented code block, and the only fenced code blocks are the samples the
/// template writes under **Call it**, each closed (an unclosed ``` or `~~~`
/// fence would swallow the rest of the page). Their contents are not read.
pub fn assert_no_block_from_spec_text(name: &str, markdown: &str) {
    assert!(!markdown.contains('\r'), "{name}: a carriage return");
    let prose = prose_lines(name, markdown);
    let written = prose
        .iter()
        .filter(|(_, line)| line.starts_with('#'))
        .count();
    let (_, body) = split_frontmatter(markdown);
    let fence_lines = code_lines(name, body)
        .iter()
        .zip(body.split('\n'))
        .filter(|(in_code, line)| {
            **in_code && {
                let t = line.trim_start_matches(' ');
                t.starts_with("```") || t.starts_with("~~~")
            }
        })
        .count();
    let mut headings = 0;
    let mut blocks = 0;
    let mut paragraph: Option<String> = None;
    let mut call_it = false;
    for event in parser(body) {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                headings += 1;
                call_it = false;
            }
            Event::Start(Tag::Paragraph) => paragraph = Some(String::new()),
            Event::Text(text) => {
                if let Some(p) = paragraph.as_mut() {
                    p.push_str(&text);
                }
            }
            Event::End(TagEnd::Paragraph) => {
                call_it |= paragraph.take().as_deref() == Some("Call it");
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                blocks += 1;
                assert!(
                    call_it,
                    "{name}: a fenced code block ({info:?}) outside a **Call it** part"
                );
                assert!(
                    SAMPLE_FENCE.is_match(&info),
                    "{name}: a fenced code block the template does not write ({info:?})"
                );
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => {
                panic!("{name}: an indented code block")
            }
            _ => {}
        }
    }
    assert_eq!(headings, written, "{name}: a heading made of spec text");
    // Each block has an opening and a closing fence line.
    assert_eq!(fence_lines, 2 * blocks, "{name}: fences and code blocks");
}

/// The frontmatter of a page, each key with its value.
pub type Frontmatter = BTreeMap<String, String>;

/// Every page opens with YAML frontmatter holding exactly `title`,
/// `description` and `generated`, each a double-quoted string, the title not
/// empty; and no heading of its own at level 1 (the site shows the title as
/// the page's only H1): no body line outside code starts with `# `, and the
/// parser sees no H1 (setext ones included).
pub fn assert_frontmatter_and_no_h1(name: &str, page: &str) -> Frontmatter {
    let (front, body) = split_frontmatter(page);
    let front = front.unwrap_or_else(|| panic!("{name}: no frontmatter"));
    let mut keys = Vec::new();
    for line in front.split('\n') {
        let (key, value) = line
            .split_once(": ")
            .unwrap_or_else(|| panic!("{name}: frontmatter line {line:?}"));
        assert!(
            value.len() >= 2 && value.starts_with('"') && value.ends_with('"'),
            "{name}: {key} is not a double-quoted string: {value}"
        );
        keys.push(key.to_string());
    }
    assert_eq!(keys, ["title", "description", "generated"], "{name}");
    let parsed: Frontmatter =
        yaml_serde::from_str(front).unwrap_or_else(|e| panic!("{name}: frontmatter: {e}"));
    let title = &parsed["title"];
    assert!(!title.trim().is_empty(), "{name}: an empty title {title:?}");
    assert!(
        parsed["generated"].contains("do not edit this page"),
        "{name}: {parsed:?}"
    );
    for (n, line) in prose_lines(name, page) {
        assert!(!line.starts_with("# "), "{name}:{n}: an H1: {line}");
    }
    for event in parser(body) {
        if let Event::Start(Tag::Heading {
            level: HeadingLevel::H1,
            ..
        }) = event
        {
            panic!("{name}: an H1 heading");
        }
    }
    parsed
}

/// Every link of every page (`pages`: file name → text, all of one docs
/// folder) resolves: `./page.md` names a page of the folder, `#frag` (on
/// its own or after a page) names the (non-empty) id of one of that page's
/// headings,
/// and nothing else is linked but absolute `http(s)` URLs. Every link has
/// visible text. Returns how many links point into the folder.
pub fn assert_links_resolve(name: &str, pages: &BTreeMap<String, String>) -> usize {
    let anchors: BTreeMap<&str, BTreeSet<String>> = pages
        .iter()
        .map(|(page, text)| {
            let ids = headings(text).into_iter().map(|h| h.anchor).collect();
            (page.as_str(), ids)
        })
        .collect();
    let mut internal = 0;
    for (page, text) in pages {
        for link in links(text) {
            let dest = link.dest.as_str();
            assert!(
                !link.text.trim().is_empty(),
                "{name}/{page}: a link without visible text to {dest}"
            );
            if dest.starts_with("https://") || dest.starts_with("http://") {
                continue;
            }
            let (target, fragment) = match dest.split_once('#') {
                Some((target, fragment)) => (target, Some(fragment)),
                None => (dest, None),
            };
            let target = if target.is_empty() {
                page.as_str()
            } else {
                target.strip_prefix("./").unwrap_or_else(|| {
                    panic!("{name}/{page}: link {dest:?} is neither ./page nor #anchor")
                })
            };
            let ids = anchors
                .get(target)
                .unwrap_or_else(|| panic!("{name}/{page}: link {dest:?} to no page of the folder"));
            if let Some(fragment) = fragment {
                // An empty id is no id: `#` leads to the top of the page.
                assert!(
                    !fragment.is_empty(),
                    "{name}/{page}: link {dest:?} to an empty id"
                );
                assert!(
                    ids.contains(fragment),
                    "{name}/{page}: link {dest:?}: {target} has no heading #{fragment}; it has {ids:?}"
                );
            }
            internal += 1;
        }
    }
    internal
}

/// The pages of a docs tree that are not one group of operations.
pub const REFERENCE_PAGES: [&str; 4] = [
    "index.md",
    "guards-and-effects.md",
    "models.md",
    "webhooks.md",
];

/// The header of a group page's table of its operations.
pub const OPERATIONS_HEADER: [&str; 3] = ["Method · Path", "Purpose", "Tier"];

/// The markdown pages of a docs tree (`docs/…` in `files`): file name
/// (`index.md`) → text. Panics on a file that is neither a page nor
/// `meta.json`, or a page in a subfolder.
pub fn docs_pages(files: &tiergen::emit::Files) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (path, bytes) in files.iter() {
        let Some(name) = path.strip_prefix("docs/") else {
            continue;
        };
        if name == "meta.json" {
            continue;
        }
        assert!(
            name.ends_with(".md") && !name.contains('/'),
            "docs/{name}: not a page of the folder"
        );
        let text = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{path}: {e}"));
        out.insert(name.to_string(), text.to_string());
    }
    out
}

/// The group pages among `pages`: every page but the overview and the
/// reference pages.
pub fn group_pages(pages: &BTreeMap<String, String>) -> Vec<(&str, &str)> {
    pages
        .iter()
        .filter(|(name, _)| !REFERENCE_PAGES.contains(&name.as_str()))
        .map(|(name, text)| (name.as_str(), text.as_str()))
        .collect()
}

/// One row of a group page's operations table, followed to its section.
#[derive(Debug)]
pub struct Listed {
    /// The group page (`cp-admin.md`).
    pub page: String,
    /// The row's cells: `METHOD /path`, purpose, tier.
    pub row: Vec<String>,
    /// The id of the section the purpose links to.
    pub anchor: String,
    /// The section's request line up to ` · operation `: `METHOD /path on Service`.
    pub request: String,
    /// The operation id the request line names, as rendered (`(empty)` for
    /// an empty id).
    pub id: String,
}

/// Every row of every operations table of the group pages, each followed
/// through its purpose link (`#anchor`) to the section on the same page
/// whose heading has that id, and that section's request line
/// (`` `METHOD /path` on Service · operation `id` ``). Panics when a row has
/// no such link, section or line.
pub fn listed_operations(pages: &BTreeMap<String, String>) -> Vec<Listed> {
    let mut out = Vec::new();
    for (page, text) in group_pages(pages) {
        let sections = sections(text);
        for table in tables(text) {
            if table.header != OPERATIONS_HEADER {
                continue;
            }
            for (row, links) in table.rows.iter().zip(&table.links) {
                let anchor = links
                    .iter()
                    .find_map(|l| l.strip_prefix('#'))
                    .unwrap_or_else(|| panic!("{page}: row {row:?} links to no section"));
                let section = sections
                    .iter()
                    .find(|s| s.heading.level > 0 && s.heading.anchor == anchor)
                    .unwrap_or_else(|| panic!("{page}: row {row:?}: no heading #{anchor}"));
                let line = section
                    .paragraphs
                    .iter()
                    .find_map(|p| p.rsplit_once(" · operation "))
                    .unwrap_or_else(|| panic!("{page} #{anchor}: no request line"));
                out.push(Listed {
                    page: page.to_string(),
                    row: row.clone(),
                    anchor: anchor.to_string(),
                    request: line.0.to_string(),
                    id: line.1.to_string(),
                });
            }
        }
        assert!(
            out.iter().any(|l| l.page == page),
            "{page}: a group page listing no operation"
        );
    }
    out
}

/// How an operation id reads in its request line: on one line (each run
/// of whitespace one space, as a heading or a code span shows it), or
/// `(empty)`.
pub fn rendered_id(id: &str) -> String {
    let flat = id.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.is_empty() {
        "(empty)".into()
    } else {
        flat
    }
}

/// `line` without its code spans (a run of backticks closed by a run of
/// the same length): the text a renderer reads as markup.
pub fn outside_code_spans(line: &str) -> String {
    let mut prose = String::new();
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let run = bytes[i..].iter().take_while(|b| **b == b'`').count();
            let fence = &line[i..i + run];
            let rest = &line[i + run..];
            let close = rest
                .match_indices(fence)
                .find(|(at, _)| !rest[at + run..].starts_with('`') && !rest[..*at].ends_with('`'));
            match close {
                Some((at, _)) => i += run + at + run,
                None => {
                    prose.push_str(fence);
                    i += run;
                }
            }
            continue;
        }
        let c = line[i..].chars().next().unwrap_or_default();
        prose.push(c);
        i += c.len_utf8();
    }
    prose
}

/// No raw HTML reaches a renderer: the parser sees no HTML block or inline
/// HTML, and no prose line holds `<` followed by a letter, `/` or `!`
/// outside a code span unless it is escaped.
pub fn assert_no_raw_html(name: &str, markdown: &str) {
    let (_, body) = split_frontmatter(markdown);
    for event in parser(body) {
        if let Event::Html(html) | Event::InlineHtml(html) = event {
            panic!("{name}: raw HTML {html:?}");
        }
    }
    for (n, line) in prose_lines(name, markdown) {
        let prose = outside_code_spans(&line);
        let mut escaped = false;
        let mut chars = prose.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '<' && !escaped {
                let next = chars.peek().copied().unwrap_or(' ');
                assert!(
                    !(next.is_ascii_alphabetic() || matches!(next, '/' | '!' | '?')),
                    "{name}:{n}: raw HTML in {line}"
                );
            }
            escaped = c == '\\' && !escaped;
        }
    }
}

/// `meta.json` (the sidebar) holds the folder's `title` and, in `pages`,
/// `index` first and then exactly the stems of the other pages of `pages`,
/// each once, with `---Section---` separators between them, none empty.
/// Returns the entries.
pub fn assert_meta_lists_the_pages(
    name: &str,
    files: &tiergen::emit::Files,
    pages: &BTreeMap<String, String>,
    title: &str,
) -> Vec<String> {
    let bytes = files
        .get("docs/meta.json")
        .unwrap_or_else(|| panic!("{name}: no docs/meta.json"));
    let meta: serde_json::Value =
        serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("{name}: meta.json: {e}"));
    let keys: Vec<&str> = meta
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    assert_eq!(keys, ["title", "pages"], "{name}: meta.json");
    assert_eq!(
        meta["title"].as_str(),
        Some(title),
        "{name}: meta.json title"
    );
    let entries: Vec<String> = meta["pages"]
        .as_array()
        .unwrap_or_else(|| panic!("{name}: meta.json pages"))
        .iter()
        .map(|v| {
            v.as_str()
                .unwrap_or_else(|| panic!("{name}: meta.json entry {v}"))
                .to_string()
        })
        .collect();
    assert_eq!(entries.first().map(String::as_str), Some("index"), "{name}");
    let separator = |e: &str| e.len() > 6 && e.starts_with("---") && e.ends_with("---");
    let listed: Vec<&str> = entries
        .iter()
        .map(String::as_str)
        .filter(|e| !separator(e))
        .collect();
    let unique: BTreeSet<&str> = listed.iter().copied().collect();
    assert_eq!(
        unique.len(),
        listed.len(),
        "{name}: a page listed twice: {entries:?}"
    );
    let stems: BTreeSet<&str> = pages
        .keys()
        .map(|p| p.strip_suffix(".md").unwrap_or(p))
        .collect();
    assert_eq!(
        unique, stems,
        "{name}: meta.json pages and the folder's pages"
    );
    for pair in entries.windows(2) {
        assert!(
            !(separator(&pair[0]) && separator(&pair[1])),
            "{name}: an empty sidebar section: {entries:?}"
        );
    }
    assert!(
        !entries.last().is_some_and(|e| separator(e)),
        "{name}: an empty last sidebar section: {entries:?}"
    );
    entries
}
