//! Reading generated markdown the way a renderer does: GFM tables parsed by a
//! real CommonMark parser, each cell as plain text under the heading it sits
//! in, and the source checked for what would break a table or the MDX site.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

/// A parsed table: its header cells and rows, each cell as plain text.
#[derive(Debug)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// The heading the table sits under.
    pub section: String,
}

/// Every table of `markdown`, in order. Raw HTML anywhere is a failure: spec
/// text must never become markup.
pub fn tables(markdown: &str) -> Vec<Table> {
    let mut out = Vec::new();
    let mut section = String::new();
    let mut in_heading = false;
    let mut current: Option<Table> = None;
    let mut row: Vec<String> = Vec::new();
    let mut cell: Option<String> = None;
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                in_heading = true;
                section.clear();
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Start(Tag::Table(_)) => {
                current = Some(Table {
                    header: Vec::new(),
                    rows: Vec::new(),
                    section: section.clone(),
                })
            }
            Event::End(TagEnd::Table) => out.extend(current.take()),
            Event::Start(Tag::TableHead | Tag::TableRow) => row.clear(),
            Event::End(TagEnd::TableHead) => {
                if let Some(t) = current.as_mut() {
                    t.header = std::mem::take(&mut row);
                }
            }
            Event::End(TagEnd::TableRow) => {
                if let Some(t) = current.as_mut() {
                    t.rows.push(std::mem::take(&mut row));
                }
            }
            Event::Start(Tag::TableCell) => cell = Some(String::new()),
            Event::End(TagEnd::TableCell) => row.extend(cell.take()),
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

/// Spec text never opens a block of its own: every heading a renderer sees
/// is a line the template starts with `#`, there is no fenced code block
/// (an unclosed ``` or `~~~` fence would swallow the rest of the page), and
/// no bare carriage return (a line break to a renderer, not to the checks).
pub fn assert_no_block_from_spec_text(name: &str, markdown: &str) {
    assert!(!markdown.contains('\r'), "{name}: a carriage return");
    let written = markdown
        .split('\n')
        .filter(|line| line.starts_with('#'))
        .count();
    let mut headings = 0;
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Heading { .. }) => headings += 1,
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                panic!("{name}: a fenced code block ({info:?})")
            }
            _ => {}
        }
    }
    assert_eq!(headings, written, "{name}: a heading made of spec text");
}
