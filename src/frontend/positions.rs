//! Maps JSON pointers back to lines and columns of the YAML source, so an
//! error found after parsing can still say `file:line:column` — what editors
//! and CI annotations jump to.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::error::escape_token;

/// Where each node of a YAML document starts (for a mapping value: where its key is).
#[derive(Debug, Default)]
pub struct Positions(HashMap<String, (usize, usize)>);

/// Where one node of `text` (YAML or JSON) starts, or its nearest ancestor
/// that is in the text — for a single error, without indexing every node.
/// A JSON document is walked along the pointer only, skipping the rest:
/// on a 60 MB spec that is the difference between milliseconds and seconds.
pub fn locate_one(text: &str, pointer: &str) -> Option<(usize, usize)> {
    if is_json(text) {
        let offset = json::locate(text, pointer)?;
        Some(line_column(text, offset))
    } else {
        Positions::index(text).locate(pointer)
    }
}

/// Locates pointers in one text, one after another: [`locate_one`] for
/// each in JSON, a YAML text indexed once for all of them.
pub struct Locator<'t> {
    text: &'t str,
    index: Option<Positions>,
}

impl<'t> Locator<'t> {
    pub fn new(text: &'t str) -> Self {
        Locator { text, index: None }
    }

    pub fn locate(&mut self, pointer: &str) -> Option<(usize, usize)> {
        if is_json(self.text) {
            return locate_one(self.text, pointer);
        }
        let text = self.text;
        self.index
            .get_or_insert_with(|| Positions::index(text))
            .locate(pointer)
    }
}

fn is_json(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{')
}

/// The 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |n| n + 1);
    (line, before[line_start..].chars().count() + 1)
}

impl Positions {
    /// Indexes only `pointers` (and their ancestors) in `text`. In JSON that
    /// is one walk that skips every subtree no pointer enters: on GitHub's
    /// 13 MB spec, milliseconds, where indexing every node takes a second.
    /// A YAML text is indexed whole.
    pub fn of<'p>(text: &str, pointers: impl IntoIterator<Item = &'p str>) -> Self {
        if !is_json(text) {
            return Positions::index(text);
        }
        let mut wanted = json::Trie::default();
        for pointer in pointers {
            wanted.insert(pointer);
        }
        let mut offsets = json::offsets(text, &wanted);
        offsets.sort_by_key(|(_, offset)| *offset);
        Positions(with_lines(text, offsets))
    }

    /// Indexes `text`; a document that does not parse yields an empty index.
    pub fn index(text: &str) -> Self {
        let mut builder = Builder::default();
        let mut parser = Parser::new_from_str(text);
        if parser.load(&mut builder, false).is_err() {
            return Positions::default();
        }
        Positions(builder.positions)
    }

    /// The line and column (both 1-based) of `pointer`, or of its nearest
    /// ancestor that is in the source (an overlay may have added the rest).
    pub fn locate(&self, pointer: &str) -> Option<(usize, usize)> {
        let mut current = pointer;
        loop {
            if let Some(position) = self.0.get(current) {
                return Some(*position);
            }
            let (parent, _) = current.rsplit_once('/')?;
            current = parent;
        }
    }
}

enum Frame {
    Mapping {
        pointer: String,
        key: Option<String>,
    },
    Sequence {
        pointer: String,
        next: usize,
    },
}

#[derive(Default)]
struct Builder {
    positions: HashMap<String, (usize, usize)>,
    stack: Vec<Frame>,
}

impl Builder {
    fn record(&mut self, pointer: &str, mark: Marker) {
        self.positions
            .entry(pointer.to_string())
            .or_insert((mark.line(), mark.col() + 1));
    }

    /// The pointer of a node starting now, or `None` when the node is a
    /// mapping key (which it records as the position of the value to come).
    fn node_pointer(&mut self, scalar: Option<&str>, mark: Marker) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Sequence { pointer, next }) => {
                let here = format!("{pointer}/{next}");
                *next += 1;
                Some(here)
            }
            Some(Frame::Mapping { pointer, key }) => match key.take() {
                Some(key) => Some(format!("{pointer}/{}", escape_token(&key))),
                None => {
                    let name = scalar.unwrap_or_default().to_string();
                    let here = format!("{pointer}/{}", escape_token(&name));
                    *key = Some(name);
                    self.record(&here, mark);
                    None
                }
            },
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(value, ..) => {
                if let Some(here) = self.node_pointer(Some(&value), mark) {
                    self.record(&here, mark);
                }
            }
            Event::Alias(_) => {
                if let Some(here) = self.node_pointer(Some(""), mark) {
                    self.record(&here, mark);
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let is_mapping = matches!(event, Event::MappingStart(..));
                // A complex (non-scalar) key: index it as an empty name.
                let here = self.node_pointer(None, mark).unwrap_or_default();
                self.record(&here, mark);
                self.stack.push(if is_mapping {
                    Frame::Mapping {
                        pointer: here,
                        key: None,
                    }
                } else {
                    Frame::Sequence {
                        pointer: here,
                        next: 0,
                    }
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

/// Line and column of each `(pointer, offset)`, offsets in ascending order:
/// one sweep through the text for all of them.
fn with_lines(text: &str, offsets: Vec<(String, usize)>) -> HashMap<String, (usize, usize)> {
    let mut found = HashMap::with_capacity(offsets.len());
    let (mut line, mut line_start, mut scanned) = (1, 0, 0);
    for (pointer, offset) in offsets {
        let Some(between) = text.get(scanned..offset) else {
            continue;
        };
        for (i, byte) in between.bytes().enumerate() {
            if byte == b'\n' {
                line += 1;
                line_start = scanned + i + 1;
            }
        }
        scanned = offset;
        let column = text
            .get(line_start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        found.entry(pointer).or_insert((line, column));
    }
    found
}

/// A walk through JSON text along one pointer. The text has parsed already,
/// so the walk trusts its shape and gives up (`None`) rather than erring.
mod json {
    use std::collections::BTreeMap;

    use crate::frontend::positions::{string_end, unescape_token};

    /// The pointers a walk looks for, token by token.
    #[derive(Default)]
    pub struct Trie {
        children: BTreeMap<String, Trie>,
    }

    impl Trie {
        pub fn insert(&mut self, pointer: &str) {
            let mut node = self;
            for token in pointer.split('/').skip(1).map(unescape_token) {
                node = node.children.entry(token).or_default();
            }
        }
    }

    /// The byte offset of every node the trie names that is in the text
    /// (a member: its key), with its pointer.
    pub fn offsets(text: &str, wanted: &Trie) -> Vec<(String, usize)> {
        let bytes = text.as_bytes();
        let start = skip_blanks(
            bytes,
            text.len() - text.trim_start_matches('\u{feff}').len(),
        );
        let mut found = vec![(String::new(), start)];
        walk(text, start, wanted, "", &mut found);
        found
    }

    fn walk(text: &str, at: usize, wanted: &Trie, pointer: &str, found: &mut Vec<(String, usize)>) {
        if wanted.children.is_empty() {
            return;
        }
        let bytes = text.as_bytes();
        match bytes.get(at) {
            Some(b'{') => {
                let mut at = skip_blanks(bytes, at + 1);
                while bytes.get(at) == Some(&b'"') {
                    let key_at = at;
                    let key_end = string_end(bytes, at + 1);
                    let key = text.get(key_at..key_end).and_then(|raw| {
                        if raw.contains('\\') {
                            serde_json::from_str::<String>(raw).ok()
                        } else {
                            raw.get(1..raw.len() - 1).map(str::to_string)
                        }
                    });
                    at = skip_blanks(bytes, key_end);
                    at = skip_blanks(bytes, at + 1); // the colon
                    if let Some(child) = key.as_ref().and_then(|k| wanted.children.get(k)) {
                        let here = format!(
                            "{pointer}/{}",
                            crate::error::escape_token(key.as_deref().unwrap_or_default())
                        );
                        found.push((here.clone(), key_at));
                        walk(text, at, child, &here, found);
                    }
                    at = skip_blanks(bytes, value_end(bytes, at));
                    if bytes.get(at) == Some(&b',') {
                        at = skip_blanks(bytes, at + 1);
                    }
                }
            }
            Some(b'[') => {
                let mut at = skip_blanks(bytes, at + 1);
                let mut index = 0usize;
                while at < bytes.len() && bytes[at] != b']' {
                    if let Some(child) = wanted.children.get(&index.to_string()) {
                        let here = format!("{pointer}/{index}");
                        found.push((here.clone(), at));
                        walk(text, at, child, &here, found);
                    }
                    at = skip_blanks(bytes, value_end(bytes, at));
                    if bytes.get(at) != Some(&b',') {
                        break;
                    }
                    at = skip_blanks(bytes, at + 1);
                    index += 1;
                }
            }
            _ => {}
        }
    }

    /// The byte offset of the node at `pointer` (a member: its key), or of
    /// the deepest ancestor found.
    pub fn locate(text: &str, pointer: &str) -> Option<usize> {
        let bytes = text.as_bytes();
        let mut at = skip_blanks(
            bytes,
            text.len() - text.trim_start_matches('\u{feff}').len(),
        );
        let mut found = at;
        for token in pointer.split('/').skip(1).map(unescape_token) {
            match bytes.get(at)? {
                b'{' => {
                    let Some((key_at, value_at)) = member(text, at, &token) else {
                        break;
                    };
                    found = key_at;
                    at = value_at;
                }
                b'[' => {
                    let Some(item_at) = token.parse().ok().and_then(|i| item(bytes, at, i)) else {
                        break;
                    };
                    found = item_at;
                    at = item_at;
                }
                _ => break,
            }
        }
        Some(found)
    }

    /// In the object opening at `at`: where the member `name` starts, and
    /// where its value starts.
    fn member(text: &str, mut at: usize, name: &str) -> Option<(usize, usize)> {
        let bytes = text.as_bytes();
        at = skip_blanks(bytes, at + 1);
        while bytes.get(at)? == &b'"' {
            let key_at = at;
            let key_end = string_end(bytes, at + 1);
            let raw = text.get(key_at..key_end)?;
            let matches = if raw.contains('\\') {
                serde_json::from_str::<String>(raw).ok()? == name
            } else {
                raw.get(1..raw.len() - 1)? == name
            };
            at = skip_blanks(bytes, key_end);
            at = skip_blanks(bytes, at + 1); // the colon
            if matches {
                return Some((key_at, at));
            }
            at = skip_blanks(bytes, value_end(bytes, at));
            if bytes.get(at)? == &b',' {
                at = skip_blanks(bytes, at + 1);
            }
        }
        None
    }

    /// In the array opening at `at`: where item `index` starts.
    fn item(bytes: &[u8], at: usize, index: usize) -> Option<usize> {
        let mut at = skip_blanks(bytes, at + 1);
        for _ in 0..index {
            if bytes.get(at)? == &b']' {
                return None;
            }
            at = skip_blanks(bytes, value_end(bytes, at));
            if bytes.get(at)? != &b',' {
                return None;
            }
            at = skip_blanks(bytes, at + 1);
        }
        (bytes.get(at)? != &b']').then_some(at)
    }

    /// Just past the value starting at `at`.
    fn value_end(bytes: &[u8], at: usize) -> usize {
        match bytes.get(at) {
            Some(b'"') => string_end(bytes, at + 1),
            Some(b'{' | b'[') => {
                let mut depth = 0usize;
                let mut i = at;
                while i < bytes.len() {
                    match bytes[i] {
                        b'"' => {
                            i = string_end(bytes, i + 1);
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                return i + 1;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                i
            }
            _ => {
                let rest = &bytes[at.min(bytes.len())..];
                at + rest
                    .iter()
                    .position(|b| matches!(b, b',' | b'}' | b']') || b.is_ascii_whitespace())
                    .unwrap_or(rest.len())
            }
        }
    }

    fn skip_blanks(bytes: &[u8], mut i: usize) -> usize {
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        i
    }
}

/// Just past the JSON (or YAML double-quoted) string whose contents start
/// at byte `i`: its closing quote, escapes skipped.
pub(super) fn string_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// A JSON pointer token with `~1` and `~0` undone.
fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use super::{Positions, locate_one};

    #[test]
    fn an_index_of_some_pointers_agrees_with_the_whole_index() {
        let text = "{\n  \"openapi\": \"3.1.0\",\n  \"paths\": {\n    \"/a/b\": { \"get\": { \"tags\": [\"x\", {\"k\": [1, 2]}, \"y\"] } },\n    \"we\\\"ird~\": 1\n  }\n}\n";
        let pointers = [
            "/openapi",
            "/paths/~1a~1b/get/tags/1/k/1",
            "/paths/we\"ird~0",
            "/paths/~1a~1b/post",
            "/nothing/here",
        ];
        let some = Positions::of(text, pointers);
        let all = Positions::index(text);
        for pointer in pointers {
            assert_eq!(some.locate(pointer), all.locate(pointer), "{pointer}");
        }
        assert_eq!(some.locate("/paths/~1a~1b/get/tags/1/k/1"), Some((4, 48)));
    }

    #[test]
    fn json_pointers_map_to_keys_and_items() {
        let text = "{\n  \"openapi\": \"3.1.0\",\n  \"paths\": {\n    \"/a/b\": { \"get\": { \"tags\": [\"x\", {\"k\": [1, 2]}, \"y\"] } },\n    \"we\\\"ird~\": 1\n  }\n}\n";
        assert_eq!(locate_one(text, "/openapi"), Some((2, 3)));
        assert_eq!(locate_one(text, "/paths/~1a~1b/get"), Some((4, 15)));
        assert_eq!(locate_one(text, "/paths/~1a~1b/get/tags/2"), Some((4, 53)));
        assert_eq!(locate_one(text, "/paths/we\"ird~0"), Some((5, 5)));
        // Not in the text: the nearest ancestor.
        assert_eq!(locate_one(text, "/paths/~1a~1b/post"), Some((4, 5)));
        assert_eq!(locate_one(text, "/paths/~1a~1b/get/tags/9"), Some((4, 24)));
        assert_eq!(locate_one(text, ""), Some((1, 1)));
    }

    #[test]
    fn pointers_map_to_keys_and_items() {
        let text = "openapi: 3.1.0\npaths:\n  /a/b:\n    get:\n      tags: [x, y]\n      security:\n        - { key: [] }\n";
        let positions = Positions::index(text);
        assert_eq!(positions.locate("/openapi"), Some((1, 1)));
        assert_eq!(positions.locate("/paths/~1a~1b/get"), Some((4, 5)));
        assert_eq!(positions.locate("/paths/~1a~1b/get/tags/1"), Some((5, 17)));
        assert_eq!(
            positions.locate("/paths/~1a~1b/get/security/0/key"),
            Some((7, 13))
        );
        // Added by an overlay: the nearest ancestor in the source.
        assert_eq!(
            positions.locate("/paths/~1a~1b/get/x-tiergen-guards/0"),
            Some((4, 5))
        );
    }
}
