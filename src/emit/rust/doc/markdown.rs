//! Spec CommonMark written again for rustdoc. The description is parsed
//! (by pulldown-cmark, the parser rustdoc itself uses) and every piece
//! written back in a form rustdoc renders the same way and cannot misread:
//! text escaped so it stays text, code blocks fenced as ```` ```text ````
//! (never a doctest), links only to absolute URLs (a `[name]` of the spec
//! is no intra-doc link), bare URLs in `<…>`, and HTML only as
//! [`super::html`] allows.

use pulldown_cmark::{
    Alignment, BrokenLink, CodeBlockKind, Event, HeadingLevel, LinkType, Options, Parser, Tag,
    TagEnd,
};

use super::html::{self, Piece, is_absolute_url};

/// What the text becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Blocks: paragraphs, headings, lists, tables, code blocks, quotes.
    /// Headings go `shift` levels deeper (under a heading of the caller's).
    Blocks { shift: usize },
    /// One line of inline markup, to stand inside a sentence or a list
    /// item: block structure becomes spaces, HTML tags that would pass are
    /// left out (the others, such as `<slug>`, are words).
    Inline,
}

/// What the spec's authors write: GitHub-flavoured tables, strikethrough
/// and task lists. Footnotes stay text (rustdoc would want each defined).
fn spec_options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// What rustdoc parses doc comments with.
fn rustdoc_options() -> Options {
    spec_options() | Options::ENABLE_FOOTNOTES | Options::ENABLE_SMART_PUNCTUATION
}

/// `text` (already free of carriage returns) as markdown for rustdoc, or
/// `None` when what was written would not read back as intended (see
/// [`is_safe`]).
pub fn rewrite(text: &str, mode: Mode) -> Option<String> {
    let events = merged_text(Parser::new_ext(text, spec_options()));
    let decisions = if mode == Mode::Inline {
        Vec::new()
    } else {
        html::decisions(events.iter().filter_map(html_of))
    };
    let mut writer = Writer::new(mode, decisions);
    for event in events {
        writer.event(event);
    }
    let out = writer.finish();
    is_safe(&out).then_some(out)
}

/// Whether `markdown` opens with a paragraph (so text may go before it on
/// its first line).
pub fn starts_with_paragraph(markdown: &str) -> bool {
    matches!(
        Parser::new_ext(markdown, rustdoc_options()).next(),
        Some(Event::Start(Tag::Paragraph))
    )
}

/// The events with each run of text as one: the parser cuts text at an
/// escape or an entity, and what starts a line is only seen whole.
fn merged_text<'a>(events: impl Iterator<Item = Event<'a>>) -> Vec<Event<'a>> {
    let mut out: Vec<Event<'a>> = Vec::new();
    for event in events {
        match (out.last_mut(), event) {
            (Some(Event::Text(last)), Event::Text(text)) => {
                *last = format!("{last}{text}").into();
            }
            (_, event) => out.push(event),
        }
    }
    out
}

fn html_of<'a>(event: &'a Event<'_>) -> Option<&'a str> {
    match event {
        Event::Html(text) | Event::InlineHtml(text) => Some(text),
        _ => None,
    }
}

/// Whether rustdoc reads `markdown` as tiergen meant it: every code block
/// a fenced `text` block, every link to an absolute URL, no reference
/// rustdoc would try to resolve as an intra-doc link, no footnote, no bare
/// URL outside a link or code, and only sanitized, balanced HTML.
pub fn is_safe(markdown: &str) -> bool {
    let broken = std::cell::Cell::new(false);
    let mut on_broken = |_: BrokenLink<'_>| {
        broken.set(true);
        None
    };
    let parser =
        Parser::new_with_broken_link_callback(markdown, rustdoc_options(), Some(&mut on_broken));
    let mut html = Vec::new();
    let (mut in_link, mut in_code) = (0usize, false);
    for event in parser {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if &*info == "text" => {
                in_code = true;
            }
            Event::Start(Tag::CodeBlock(_) | Tag::FootnoteDefinition(_))
            | Event::FootnoteReference(_) => return false,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                if !is_absolute_url(&dest_url) {
                    return false;
                }
                in_link += 1;
            }
            Event::End(TagEnd::Link | TagEnd::Image) => in_link = in_link.saturating_sub(1),
            Event::Text(text) if in_link == 0 && !in_code && url_in(&text).is_some() => {
                return false;
            }
            Event::Html(text) | Event::InlineHtml(text) => html.push(text.into_string()),
            _ => {}
        }
    }
    !broken.get() && html::only_sanitized(html.iter().map(String::as_str))
}

/// Where the first bare `http(s)://` URL in `text` starts and ends.
fn url_in(text: &str) -> Option<(usize, usize)> {
    let lower = text.to_ascii_lowercase();
    let start = [lower.find("https://"), lower.find("http://")]
        .into_iter()
        .flatten()
        .min()?;
    let rest = &text[start..];
    let len = rest
        .find(|c: char| {
            c.is_whitespace()
                || c.is_control()
                || matches!(c, '<' | '>' | '`' | '"' | '\'' | ')' | ']' | '|')
        })
        .unwrap_or(rest.len());
    let len = rest[..len]
        .trim_end_matches(['.', ',', ';', ':', '!', '?'])
        .len();
    Some((start, start + len))
}

/// An open block quote or list item: what starts its first line, and what
/// starts every line after it.
struct Container {
    first: String,
    rest: String,
    started: bool,
    /// A list item, not a quote: a paragraph opening right inside one makes
    /// its list loose (blank lines between items).
    item: bool,
}

/// An open list.
struct List {
    /// The next number of an ordered list.
    number: Option<u64>,
    bullet: char,
    items: usize,
    loose: bool,
}

/// What separates the next block from what came before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Gap {
    None,
    Line,
    Blank,
}

struct Writer {
    mode: Mode,
    /// Whether each HTML tag that pairs is kept, in order ([`html::decisions`]).
    decisions: std::collections::VecDeque<bool>,
    out: String,
    containers: Vec<Container>,
    lists: Vec<List>,
    gap: Gap,
    /// A line of inline content is open.
    in_line: bool,
    /// Nothing of the open line's content written yet.
    line_start: bool,
    /// Per open link: its destination when kept (else its text is plain).
    links: Vec<Option<String>>,
    /// Inside an autolink, whose text is the URL, written already.
    autolink: bool,
    /// Inside a table: the next cell's index in its row.
    table_cell: Option<usize>,
    /// The rows of the open table written so far.
    table_rows: usize,
    table_alignments: Vec<Alignment>,
    /// A code block's text, until it ends.
    code: Option<String>,
    /// An HTML block's lines, until it ends.
    html_block: Option<String>,
    /// The bullet of the list that just ended, so one right after it
    /// takes the other (two lists with one bullet would read as one).
    last_bullet: Option<char>,
}

impl Writer {
    fn new(mode: Mode, decisions: Vec<bool>) -> Self {
        Writer {
            mode,
            decisions: decisions.into(),
            out: String::new(),
            containers: Vec::new(),
            lists: Vec::new(),
            gap: Gap::None,
            in_line: false,
            line_start: true,
            links: Vec::new(),
            autolink: false,
            table_cell: None,
            table_rows: 0,
            table_alignments: Vec::new(),
            code: None,
            html_block: None,
            last_bullet: None,
        }
    }

    fn inline(&self) -> bool {
        self.mode == Mode::Inline
    }

    /// `tag` as rustdoc gets it, or `None` when it is shown as text. Each
    /// call takes the next decision for a tag that pairs, so tags are
    /// asked about once each, in order.
    fn kept_tag(&mut self, tag: &html::Tag) -> Option<String> {
        if self.inline() {
            return None;
        }
        let clean = tag.sanitized();
        if !tag.pairs() {
            return clean;
        }
        let kept = self.decisions.pop_front().unwrap_or(false);
        clean.filter(|_| kept)
    }

    fn finish(self) -> String {
        // Clippy refuses tabs in docs, and trailing blanks are noise.
        let lines: Vec<String> = self
            .out
            .lines()
            .map(|line| line.trim_end().replace('\t', "    "))
            .collect();
        lines.join("\n").trim().to_string()
    }

    fn event(&mut self, event: Event<'_>) {
        if let Some(code) = &mut self.code {
            match event {
                Event::Text(text) => code.push_str(&text),
                Event::End(TagEnd::CodeBlock) => self.end_code_block(),
                _ => {}
            }
            return;
        }
        if let Some(block) = &mut self.html_block {
            match event {
                Event::Html(text) | Event::Text(text) => block.push_str(&text),
                Event::End(TagEnd::HtmlBlock) => self.end_html_block(),
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => self.text(&text),
            Event::Code(code) => self.code_span(&code),
            Event::InlineMath(text) | Event::DisplayMath(text) => self.text(&text),
            Event::Html(text) | Event::InlineHtml(text) => self.inline_html(&text),
            Event::FootnoteReference(name) => self.text(&format!("[^{name}]")),
            Event::SoftBreak => self.soft_break(),
            Event::HardBreak => self.hard_break(),
            Event::Rule => self.rule(),
            Event::TaskListMarker(done) => {
                self.open_line();
                // Only at the start of an item is `[x]` a box, not a link.
                let marker = match (done, self.inline()) {
                    (true, false) => "[x] ",
                    (false, false) => "[ ] ",
                    (true, true) => "\\[x\\] ",
                    (false, true) => "\\[ \\] ",
                };
                self.out.push_str(marker);
                self.line_start = false;
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph => {
                if self.containers.last().is_some_and(|c| c.item)
                    && let Some(list) = self.lists.last_mut()
                {
                    list.loose = true;
                }
                self.begin_block(Gap::None);
            }
            Tag::Heading { level, .. } => self.heading(level),
            Tag::BlockQuote(_) => self.push_container("> ", "> ", false),
            Tag::CodeBlock(_) => self.code = Some(String::new()),
            Tag::HtmlBlock => self.html_block = Some(String::new()),
            Tag::List(number) => self.list(number),
            Tag::Item => self.item(),
            Tag::Table(alignments) => {
                self.table_alignments = alignments;
                self.table_cell = Some(0);
                self.table_rows = 0;
            }
            Tag::TableHead | Tag::TableRow => self.table_row(),
            Tag::TableCell => self.table_cell(),
            Tag::Emphasis => self.delimiter("*"),
            Tag::Strong => self.delimiter("**"),
            Tag::Strikethrough => self.delimiter("~~"),
            Tag::Link {
                link_type,
                dest_url,
                ..
            }
            | Tag::Image {
                link_type,
                dest_url,
                ..
            } => self.link(link_type, &dest_url),
            Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::Superscript
            | Tag::Subscript
            | Tag::MetadataBlock(_) => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::Heading(_) => self.end_block(),
            TagEnd::BlockQuote(_) => {
                self.containers.pop();
                self.end_block();
            }
            TagEnd::List(_) => {
                self.last_bullet = self.lists.pop().map(|l| l.bullet);
                self.end_block();
            }
            TagEnd::Item => {
                if self.containers.last().is_some_and(|c| !c.started) {
                    // An empty item: its marker alone.
                    self.begin_block(Gap::None);
                }
                self.containers.pop();
                self.in_line = false;
            }
            TagEnd::TableHead => self.delimiter_row(),
            TagEnd::TableRow if !self.inline() => self.out.push_str(" |"),
            TagEnd::Table => {
                self.table_cell = None;
                self.end_block();
            }
            TagEnd::Emphasis => self.out.push('*'),
            TagEnd::Strong => self.out.push_str("**"),
            TagEnd::Strikethrough => self.out.push_str("~~"),
            TagEnd::Link | TagEnd::Image => self.end_link(),
            _ => {}
        }
    }

    // Blocks and lines.

    /// Starts a block on a new line, after the gap the blocks before it
    /// want (at least `least`).
    fn begin_block(&mut self, least: Gap) {
        if self.in_line {
            // Inline content of a tight list item, then a block inside it.
            self.in_line = false;
            self.gap = self.gap.max(Gap::Line);
        }
        let gap = if self.out.is_empty() {
            Gap::None
        } else {
            self.gap.max(least)
        };
        if self.inline() {
            if gap != Gap::None && !self.out.ends_with(' ') {
                self.out.push(' ');
            }
        } else {
            if gap == Gap::Blank {
                self.blank_line();
            }
            self.new_line();
        }
        self.gap = Gap::None;
        self.in_line = true;
        self.line_start = true;
        self.last_bullet = None;
    }

    fn end_block(&mut self) {
        self.in_line = false;
        self.gap = Gap::Blank;
    }

    /// A new line with the prefixes of the open containers.
    fn new_line(&mut self) {
        if !self.out.is_empty() {
            self.out.push('\n');
        }
        for container in &mut self.containers {
            if container.started {
                self.out.push_str(&container.rest);
            } else {
                self.out.push_str(&container.first);
                container.started = true;
            }
        }
        self.line_start = true;
    }

    /// A blank line inside the started containers (a quote keeps its `>`).
    fn blank_line(&mut self) {
        self.out.push('\n');
        for container in self.containers.iter().filter(|c| c.started) {
            self.out.push_str(container.rest.trim_end());
        }
    }

    /// Inline content is about to be written: the line it goes on.
    fn open_line(&mut self) {
        if !self.in_line {
            self.begin_block(Gap::None);
        }
    }

    fn push_container(&mut self, first: &str, rest: &str, item: bool) {
        if self.inline() {
            return;
        }
        if self.in_line {
            self.in_line = false;
            self.gap = self.gap.max(Gap::Line);
        }
        self.containers.push(Container {
            first: first.to_string(),
            rest: rest.to_string(),
            started: false,
            item,
        });
    }

    fn heading(&mut self, level: HeadingLevel) {
        self.begin_block(Gap::None);
        if let Mode::Blocks { shift } = self.mode {
            let level = (level as usize + shift).min(6);
            self.out.push_str(&"#".repeat(level));
            self.out.push(' ');
        }
    }

    fn rule(&mut self) {
        self.begin_block(Gap::None);
        // `***`, not `---`: never read as the underline of a heading.
        if !self.inline() {
            self.out.push_str("***");
        }
        self.end_block();
    }

    fn list(&mut self, number: Option<u64>) {
        let bullet = match (number, self.last_bullet, self.gap) {
            (Some(_), Some('.'), Gap::Blank) => ')',
            (Some(_), _, _) => '.',
            (None, Some('-'), Gap::Blank) => '*',
            (None, _, _) => '-',
        };
        if self.in_line {
            self.in_line = false;
            self.gap = self.gap.max(Gap::Line);
        }
        self.lists.push(List {
            number,
            bullet,
            items: 0,
            loose: false,
        });
    }

    fn item(&mut self) {
        let Some(list) = self.lists.last_mut() else {
            return;
        };
        if list.items > 0 {
            self.gap = if list.loose { Gap::Blank } else { Gap::Line };
        }
        list.items += 1;
        let marker = match &mut list.number {
            Some(number) => {
                let marker = format!("{number}{} ", list.bullet);
                *number += 1;
                marker
            }
            None => format!("{} ", list.bullet),
        };
        self.in_line = false;
        if self.inline() {
            return;
        }
        let indent = " ".repeat(marker.len());
        self.push_container(&marker, &indent, true);
    }

    fn end_code_block(&mut self) {
        let code = self.code.take().unwrap_or_default();
        let code = code
            .strip_suffix('\n')
            .unwrap_or(&code)
            .replace('\t', "    ");
        if self.inline() {
            self.begin_block(Gap::None);
            self.code_span(&code.split_whitespace().collect::<Vec<_>>().join(" "));
            self.end_block();
            return;
        }
        let longest = longest_run(&code, '`');
        let fence = "`".repeat((longest + 1).max(3));
        self.begin_block(Gap::None);
        self.out.push_str(&fence);
        self.out.push_str("text");
        for line in code.lines() {
            self.new_line();
            self.out.push_str(line);
        }
        self.new_line();
        self.out.push_str(&fence);
        self.end_block();
    }

    fn end_html_block(&mut self) {
        let block = self.html_block.take().unwrap_or_default();
        let mut lines = Vec::new();
        let mut opens_with_tag = None;
        for line in block.lines() {
            let (text, first_kept) = self.html_line(line);
            if !text.trim().is_empty() {
                opens_with_tag.get_or_insert(first_kept);
                lines.push(text);
            }
        }
        // Only a block that still starts with a tag is still an HTML block.
        let kept = !self.inline() && opens_with_tag == Some(true);
        if kept {
            // An HTML block ends at a blank line; the lines before stay one block.
            self.begin_block(Gap::Blank);
            for (i, line) in lines.iter().enumerate() {
                if i > 0 {
                    self.new_line();
                }
                self.out.push_str(line);
            }
            self.end_block();
        } else {
            self.escaped_block(&block);
        }
    }

    /// One line of an HTML block: tags that pass as [`html`] writes them,
    /// comments left out, and the rest as HTML text (`<` as `&lt;`); and
    /// whether its first piece is a tag that passes.
    fn html_line(&mut self, line: &str) -> (String, bool) {
        let mut out = String::new();
        let mut first_kept = None;
        for piece in html::pieces(line.trim()) {
            match piece {
                Piece::Tag(tag) => {
                    let kept = self.kept_tag(&tag);
                    first_kept.get_or_insert(kept.is_some());
                    match kept {
                        Some(clean) => out.push_str(&clean),
                        None => out.push_str(&tag.raw().replace('<', "&lt;").replace('>', "&gt;")),
                    }
                }
                Piece::Comment => {}
                Piece::Text(text) => {
                    if !text.trim().is_empty() {
                        first_kept.get_or_insert(false);
                    }
                    out.push_str(&text.replace('<', "&lt;"));
                }
            }
        }
        (out.replace('\t', "    "), first_kept.unwrap_or(false))
    }

    /// An HTML block shown as text: paragraphs of its lines, comments left out.
    fn escaped_block(&mut self, block: &str) {
        let mut open = false;
        for line in block.lines() {
            let text: String = html::pieces(line.trim())
                .into_iter()
                .map(|piece| match piece {
                    // Inline, the tags that would pass are left out; the
                    // others (`<slug>`) are words.
                    Piece::Tag(tag) if self.inline() && tag.sanitized().is_some() => String::new(),
                    Piece::Tag(tag) => tag.raw().to_string(),
                    Piece::Comment => String::new(),
                    Piece::Text(text) => text.to_string(),
                })
                .collect();
            if text.trim().is_empty() {
                if open {
                    self.end_block();
                    open = false;
                }
                continue;
            }
            if open {
                self.soft_break();
            } else {
                self.begin_block(Gap::None);
                open = true;
            }
            self.text(text.trim());
        }
        if open {
            self.end_block();
        }
    }

    // Tables.

    fn table_row(&mut self) {
        if self.inline() {
            self.open_line();
            if !self.line_start {
                self.out.push_str("; ");
            }
        } else if self.table_rows == 0 {
            self.begin_block(Gap::Blank);
        } else {
            self.new_line();
        }
        self.table_rows += 1;
        self.table_cell = Some(0);
        self.line_start = false;
    }

    fn table_cell(&mut self) {
        let index = self.table_cell.unwrap_or(0);
        self.table_cell = Some(index + 1);
        if self.inline() {
            if index > 0 {
                self.out.push_str(", ");
            }
        } else {
            self.out.push_str(if index == 0 { "| " } else { " | " });
        }
        self.line_start = false;
    }

    fn delimiter_row(&mut self) {
        if self.inline() {
            return;
        }
        self.out.push_str(" |");
        self.new_line();
        let cells: Vec<&str> = self
            .table_alignments
            .iter()
            .map(|alignment| match alignment {
                Alignment::None => "---",
                Alignment::Left => ":---",
                Alignment::Center => ":---:",
                Alignment::Right => "---:",
            })
            .collect();
        self.out.push_str(&format!("| {} |", cells.join(" | ")));
        self.line_start = false;
    }

    // Inline content.

    fn text(&mut self, text: &str) {
        if self.autolink {
            return;
        }
        self.open_line();
        let mut rest = text;
        let in_link = !self.links.is_empty();
        while !rest.is_empty() {
            match url_in(rest).filter(|_| !in_link) {
                Some((start, end)) => {
                    self.escaped(&rest[..start]);
                    // A bare URL is a link in `<…>` (rustdoc's `bare_urls`).
                    self.out.push('<');
                    self.out.push_str(&rest[start..end]);
                    self.out.push('>');
                    self.line_start = false;
                    rest = &rest[end..];
                }
                None => {
                    self.escaped(rest);
                    rest = "";
                }
            }
        }
    }

    /// `text` escaped where it could read as markup; at the start of a line
    /// also what would open a block there.
    fn escaped(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        let at_start = self.line_start;
        let escaped = escape_text(text, at_start);
        self.out.push_str(&escaped);
        self.line_start = false;
    }

    fn code_span(&mut self, code: &str) {
        if code.is_empty() {
            return;
        }
        self.open_line();
        let code = code.replace('\t', "    ");
        // In a table an unescaped `|` ends the cell, even in code.
        let code = if self.table_cell.is_some() && !self.inline() {
            code.replace('|', "\\|")
        } else {
            code
        };
        let fence = "`".repeat(longest_run(&code, '`') + 1);
        if self.line_start && fence.len() >= 3 {
            // A run of three backticks opening a line would open a fenced block.
            self.escaped(&code);
            return;
        }
        let pad = if code.starts_with('`')
            || code.ends_with('`')
            || (code.starts_with(' ') && code.ends_with(' ') && !code.trim().is_empty())
        {
            " "
        } else {
            ""
        };
        self.out
            .push_str(&format!("{fence}{pad}{code}{pad}{fence}"));
        self.line_start = false;
    }

    fn delimiter(&mut self, delimiter: &str) {
        self.open_line();
        self.out.push_str(delimiter);
        self.line_start = false;
    }

    fn link(&mut self, link_type: LinkType, destination: &str) {
        self.open_line();
        let kept = is_absolute_url(destination) && self.links.is_empty();
        if matches!(link_type, LinkType::Autolink | LinkType::Email) {
            if kept {
                self.out.push_str(&format!("<{destination}>"));
                self.line_start = false;
                self.autolink = true;
            }
            self.links.push(None);
            return;
        }
        if kept {
            self.out.push('[');
            self.line_start = false;
            self.links.push(Some(destination.to_string()));
        } else {
            // A link rustdoc cannot follow (relative, or a `[name]` meant
            // for some other renderer): its text alone.
            self.links.push(None);
        }
    }

    fn end_link(&mut self) {
        self.autolink = false;
        if let Some(Some(destination)) = self.links.pop() {
            self.out.push_str(&format!("](<{destination}>)"));
        }
    }

    fn inline_html(&mut self, raw: &str) {
        let raw = raw.replace('\n', " ");
        let mut kept = String::new();
        let mut shown = String::new();
        for piece in html::pieces(&raw) {
            match piece {
                Piece::Tag(tag) => match self.kept_tag(&tag) {
                    Some(clean) => kept.push_str(&clean),
                    // Inline, the tags that would pass are left out; the
                    // others (`<slug>`) are words.
                    None if self.inline() && tag.sanitized().is_some() => {}
                    None => shown.push_str(tag.raw()),
                },
                Piece::Comment => {}
                Piece::Text(text) => shown.push_str(text),
            }
        }
        if !kept.is_empty() {
            self.open_line();
            self.out.push_str(&kept);
            self.line_start = false;
        }
        if !shown.is_empty() {
            self.text(&shown);
        }
    }

    fn soft_break(&mut self) {
        if self.inline() || self.table_cell.is_some() {
            self.out.push(' ');
        } else {
            self.new_line();
        }
    }

    fn hard_break(&mut self) {
        if self.inline() || self.table_cell.is_some() {
            self.out.push(' ');
        } else {
            self.out.push('\\');
            self.new_line();
        }
    }
}

/// The longest run of `c` in `text`.
fn longest_run(text: &str, c: char) -> usize {
    text.split(|x| x != c).map(str::len).max().unwrap_or(0)
}

/// `text` as markdown that shows exactly `text`: every character that could
/// open or close inline markup escaped, and at the start of a line what
/// would open a block (`#`, `>`, `-`, `+`, `=`, `1.`).
fn escape_text(text: &str, at_line_start: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let chars: Vec<char> = text.chars().collect();
    let leading = if at_line_start {
        block_opener(&chars)
    } else {
        None
    };
    for (i, &c) in chars.iter().enumerate() {
        let escape = match c {
            '\\' | '`' | '*' | '[' | ']' | '<' | '|' | '~' => true,
            '_' => underscore_opens(&chars, i),
            // `&amp;` and `&#32;` would be read as the character they name.
            '&' => entity_at(&chars[i + 1..]),
            '\t' => {
                out.push_str("    ");
                continue;
            }
            _ => leading == Some(i),
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether the run of `_` around `chars[i]` could open emphasis (CommonMark's
/// left-flanking rule): `_a` and `(_a` can, `a_b` and `GIT_*` cannot. Only
/// openers need escaping, since tiergen never writes `_` as a delimiter; a
/// neighbour beyond the text could be anything, so an edge counts as one.
fn underscore_opens(chars: &[char], i: usize) -> bool {
    let start = chars[..i]
        .iter()
        .rposition(|&c| c != '_')
        .map_or(0, |p| p + 1);
    let end = chars[i..]
        .iter()
        .position(|&c| c != '_')
        .map_or(chars.len(), |p| i + p);
    let before = start.checked_sub(1).map(|j| chars[j]);
    let Some(after) = chars.get(end).copied() else {
        return true;
    };
    let punctuation = |c: char| !c.is_alphanumeric() && !c.is_whitespace();
    let before_open = before.is_none_or(|c| c.is_whitespace() || punctuation(c));
    let left_flanking = !after.is_whitespace() && (!punctuation(after) || before_open);
    let right_flanking = before.is_some_and(|c| !c.is_whitespace())
        && (before.is_some_and(|c| !punctuation(c)) || after.is_whitespace() || punctuation(after));
    left_flanking && (!right_flanking || before.is_some_and(punctuation))
}

/// `line` with what would make it a block rather than a line of text (a
/// heading, a list item, a quote, a fence, a reference definition)
/// escaped: for text that is one line by nature, such as a summary.
pub fn as_one_line(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let fence = line.starts_with("```") || line.starts_with("~~~");
    let opener = block_opener(&chars).or_else(|| {
        let first = *chars.first()?;
        let starts_item = first == '*' && chars.get(1).is_none_or(|c| c.is_whitespace());
        (fence || starts_item || first == '[').then_some(0)
    });
    match opener {
        Some(at) => {
            let mut out: String = chars[..at].iter().collect();
            out.push('\\');
            out.extend(&chars[at..]);
            out
        }
        None => line.to_string(),
    }
}

/// Where the character is that makes `line` open a block, when it does.
fn block_opener(line: &[char]) -> Option<usize> {
    let first = *line.first()?;
    let second = line.get(1).copied();
    match first {
        '#' | '>' | '=' => Some(0),
        '-' | '+' if second.is_none_or(|c| c == ' ' || c == '\t' || c == first) => Some(0),
        c if c.is_ascii_digit() => {
            let digits = line.iter().take_while(|c| c.is_ascii_digit()).count();
            let after = line.get(digits + 1);
            let marker = matches!(line.get(digits), Some('.' | ')'))
                && after.is_none_or(|c| *c == ' ' || *c == '\t');
            marker.then_some(digits)
        }
        _ => None,
    }
}

/// Whether `rest` (after a `&`) reads as an entity: `name;`, `#123;` or `#x1F;`.
fn entity_at(rest: &[char]) -> bool {
    let body: Vec<&char> = rest
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
        .collect();
    !body.is_empty() && rest.get(body.len()) == Some(&';')
}
