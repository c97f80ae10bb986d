//! The Rust client: the golden crate, every fixture spec's crate built,
//! linted and documented, and the breadth fixtures' crates snapshotted.

#[path = "../common/mod.rs"]
mod common;

mod rust_client;
