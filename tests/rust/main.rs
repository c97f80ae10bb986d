//! The Rust side: every fixture spec's client crate snapshotted, built,
//! linted and documented, and what a build compiles (`cargo tree`: no
//! command-line crates under a build script, no C crypto library).

#[path = "../common/mod.rs"]
mod common;

mod light_build;
mod rust_client;
