//! The docs pages: the management spec's and every breadth fixture's,
//! snapshotted and read back with a real GFM parser, and every sample on
//! them run.

#[path = "../common/mod.rs"]
mod common;

mod docs;
mod docs_breadth;
mod docs_samples;
