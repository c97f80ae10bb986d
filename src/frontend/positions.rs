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

impl Positions {
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

#[cfg(test)]
mod tests {
    use super::Positions;

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
