//! tiergen compiles an OpenAPI contract with credential tiers, guards and
//! side-effects into the artifacts that derive from it.
//!
//! The pipeline is `frontend` (spec + overlay → [`ir::Api`]) → `emit` (IR →
//! files) → `output` (write atomically, or compare for drift). `lint` reads
//! the IR too. Each stage knows only the one before it.

pub mod acceptance;
pub mod artifact;
pub mod diagnostics;
pub mod diff;
pub mod emit;
pub mod error;
pub mod findings;
pub mod frontend;
pub mod generator;
pub mod ir;
pub mod lint;
pub mod naming;
pub mod output;
// The servers behind the command line (`mcp serve`, `route`): their network
// and MCP crates are compiled only with the `cli` feature.
#[cfg(feature = "cli")]
pub mod serve;
// OpenAPI parameter serialization: the file every generated client carries
// as `src/style.rs`, compiled here too, so that `mcp serve`, `route`, the
// docs' samples and the clients write parameters with one serializer.
// Without `cli`, only the docs' samples use it, and not all of it.
#[path = "../templates/rust/style.rs"]
#[cfg_attr(not(feature = "cli"), allow(dead_code))]
pub(crate) mod style;
pub mod text;

pub use error::{Error, Fault, Location, Result};
pub use generator::{Generator, Stage};

/// The IR as stable, pretty JSON with a trailing newline.
pub fn ir_json(api: &ir::Api) -> String {
    // Serializing plain data structs cannot fail; fall back to an empty object
    // rather than panic should that ever change.
    let mut text = serde_json::to_string_pretty(api).unwrap_or_else(|_| "{}".to_string());
    text.push('\n');
    text
}
