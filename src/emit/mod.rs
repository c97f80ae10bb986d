//! Emitters: each turns the IR into files, and nothing else. An emitter reads
//! only [`crate::ir`]; it never parses OpenAPI, never touches the disk and
//! never imports another emitter. Writing and drift checking live in
//! [`crate::output`].

mod cli;
pub mod docs;
mod markdown;
mod mcp;
mod rust;
mod wiring;

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use crate::ir::Api;
use crate::naming::Names;

/// The artifact families tiergen emits, each into its own folder of the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    /// The Rust client crate: `rust/`.
    Rust,
    /// MCP tool manifests, one per credential: `mcp/`.
    Mcp,
    /// The CLI route map: `cli/`.
    Cli,
    /// Markdown tier tables for the docs site: `docs/`.
    Docs,
}

impl Target {
    pub const ALL: [Target; 4] = [Target::Rust, Target::Mcp, Target::Cli, Target::Docs];

    /// The folder under the output directory that this target owns.
    pub fn folder(self) -> &'static str {
        match self {
            Target::Rust => "rust",
            Target::Mcp => "mcp",
            Target::Cli => "cli",
            Target::Docs => "docs",
        }
    }

    /// The target that owns a relative output path, if any.
    pub fn owning(path: &str) -> Option<Target> {
        let folder = path.split('/').next()?;
        Target::ALL.into_iter().find(|t| t.folder() == folder)
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.folder())
    }
}

impl FromStr for Target {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Target::ALL
            .into_iter()
            .find(|t| t.folder() == s)
            .ok_or_else(|| {
                let known: Vec<&str> = Target::ALL.iter().map(|t| t.folder()).collect();
                format!("unknown target {s:?} (known: {})", known.join(", "))
            })
    }
}

/// A set of generated files: relative path (with `/`) → bytes, in path order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Files(BTreeMap<String, Vec<u8>>);

impl Files {
    pub fn insert(&mut self, path: impl Into<String>, contents: impl Into<Vec<u8>>) {
        self.0.insert(path.into(), contents.into());
    }

    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.0.get(path).map(Vec::as_slice)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.0.iter().map(|(p, c)| (p.as_str(), c.as_slice()))
    }

    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The files under `folder`, with paths relative to it.
    pub fn within(self, folder: &str) -> Files {
        let prefix = format!("{folder}/");
        Files(
            self.0
                .into_iter()
                .filter_map(|(path, bytes)| Some((path.strip_prefix(&prefix)?.to_string(), bytes)))
                .collect(),
        )
    }

    /// Adds `other`'s files (a later file wins over one at the same path).
    pub fn extend(&mut self, other: Files) {
        self.0.extend(other.0);
    }
}

/// An emitter failed. Templates are embedded and spec text is only ever data,
/// so this means a bug in tiergen, not in the spec.
#[derive(Debug, thiserror::Error)]
#[error("internal error while emitting {target}: {message}")]
pub struct EmitError {
    pub target: Target,
    pub message: String,
}

/// How the targets that have choices are laid out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    pub docs: docs::Options,
}

/// Renders the chosen targets in memory, laid out as by default.
pub fn emit(api: &Api, targets: &[Target]) -> Result<Files, EmitError> {
    emit_with(api, targets, &Options::default())
}

/// Renders the chosen targets in memory.
pub fn emit_with(api: &Api, targets: &[Target], options: &Options) -> Result<Files, EmitError> {
    emit_observed(api, targets, options, &mut |_, _| {})
}

/// Renders the chosen targets in memory, calling `observe` before each
/// target (`false`) and after it (`true`): for progress and timings.
pub fn emit_observed(
    api: &Api,
    targets: &[Target],
    options: &Options,
    observe: &mut dyn FnMut(Target, bool),
) -> Result<Files, EmitError> {
    let names = Names::new(api);
    let mut files = Files::default();
    for target in targets {
        observe(*target, false);
        let produced = match target {
            Target::Rust => rust::emit(api, &names),
            Target::Mcp => mcp::emit(api, &names),
            Target::Cli => cli::emit(api, &names),
            Target::Docs => docs::emit(api, &names, &options.docs),
        }
        .map_err(|message| EmitError {
            target: *target,
            message,
        })?;
        files.extend(produced);
        observe(*target, true);
    }
    Ok(files)
}
