//! tiergen as a library: the whole pipeline behind one builder, for tools
//! and for build scripts that would rather generate the client at build time
//! than commit it.
//!
//! ```no_run
//! // build.rs of a crate that depends on the client's dependencies
//! // (reqwest, serde, serde_json, chrono, uuid, regex-lite: see the
//! // generated Cargo.toml) and has tiergen as a build-dependency.
//! fn main() -> Result<(), tiergen::Error> {
//!     tiergen::Generator::new("spec/management.yaml").build_script()?;
//!     Ok(())
//! }
//! ```
//!
//! and at the root of that crate (`src/lib.rs`), the client's items (the
//! generated code names its modules from the crate root, `crate::models`):
//!
//! ```text
//! include!(concat!(env!("OUT_DIR"), "/tiergen_client.rs"));
//! ```
//!
//! `tests/build-script/` is such a crate, built and run by the test suite.

use std::path::{Path, PathBuf};

use crate::emit::{Files, Target};
use crate::error::{Error, Result};
use crate::frontend::OverlayChoice;
use crate::ir::Api;
use crate::output::Summary;

/// How far a render has come: for progress bars and timings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The spec and overlay are read into the IR.
    Loaded { operations: usize },
    /// One target is being emitted.
    Emitting(Target),
    /// One target's files are made.
    Emitted(Target),
}

/// The file [`Generator::build_script`] writes into `OUT_DIR`.
pub const BUILD_SCRIPT_FILE: &str = "tiergen_client.rs";

/// What to read and which artifacts to make of it.
///
/// ```
/// use tiergen::{Generator, emit::Target};
///
/// let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/spec/management.yaml");
/// let files = Generator::new(spec).targets(&[Target::Docs]).render()?;
/// assert!(files.get("docs/index.md").is_some());
/// # Ok::<(), tiergen::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Generator {
    spec: PathBuf,
    overlay: OverlayChoice,
    targets: Vec<Target>,
    options: crate::emit::Options,
}

impl Generator {
    /// Reads `spec` with the overlay beside it (`X.overlay.yaml` for
    /// `X.yaml`) when there is one, and makes every artifact.
    pub fn new(spec: impl Into<PathBuf>) -> Self {
        Generator {
            spec: spec.into(),
            overlay: OverlayChoice::Beside,
            targets: Target::ALL.to_vec(),
            options: crate::emit::Options::default(),
        }
    }

    /// Applies this overlay instead of the one beside the spec.
    pub fn overlay(mut self, overlay: impl Into<PathBuf>) -> Self {
        self.overlay = OverlayChoice::File(overlay.into());
        self
    }

    /// Applies no overlay at all.
    pub fn no_overlay(mut self) -> Self {
        self.overlay = OverlayChoice::Skip;
        self
    }

    /// Which overlay to apply, as a value.
    pub fn overlay_choice(mut self, overlay: OverlayChoice) -> Self {
        self.overlay = overlay;
        self
    }

    /// How the docs pages are laid out (their file extension).
    pub fn docs(mut self, options: crate::emit::docs::Options) -> Self {
        self.options.docs = options;
        self
    }

    /// Makes only these artifacts.
    pub fn targets(mut self, targets: &[Target]) -> Self {
        let mut targets = targets.to_vec();
        targets.sort();
        targets.dedup();
        self.targets = targets;
        self
    }

    /// The spec with its overlay, as the IR.
    pub fn load(&self) -> Result<Api> {
        crate::frontend::load(&self.spec, &self.overlay)
    }

    /// The targets made, in order.
    pub fn chosen_targets(&self) -> &[Target] {
        &self.targets
    }

    /// The artifacts, in memory: path under the output folder → bytes.
    pub fn render(&self) -> Result<Files> {
        self.render_observed(&mut |_| {})
    }

    /// [`Generator::render`], telling `observe` each [`Stage`] as it comes.
    /// An emitter that fails is a bug in tiergen ([`Error::bug`]), whatever
    /// the spec: the front end accepted it, so every emitter must render it.
    pub fn render_observed(&self, observe: &mut dyn FnMut(Stage)) -> Result<Files> {
        let api = self.load()?;
        observe(Stage::Loaded {
            operations: api.operations.len(),
        });
        crate::emit::emit_observed(&api, &self.targets, &self.options, &mut |target, done| {
            observe(if done {
                Stage::Emitted(target)
            } else {
                Stage::Emitting(target)
            })
        })
        .map_err(|e| Error::bug(&self.spec, e))
    }

    /// Writes the artifacts under `out` as `tiergen generate` does: every
    /// file or none, unchanged files untouched.
    pub fn write(&self, out: &Path) -> Result<Summary> {
        crate::output::write(out, &self.render()?, &self.targets)
    }

    /// The Rust client as one source file, for `include!` at the root of a
    /// crate: each module the client crate keeps in its own file is inlined,
    /// and the crate-level attributes and docs (which `include!` cannot
    /// take) are left out.
    pub fn rust_client_file(&self) -> Result<String> {
        let files = self.clone().targets(&[Target::Rust]).render()?;
        one_file(&files).map_err(|message| Error::bug(&self.spec, message))
    }

    /// For `build.rs`: writes [`Generator::rust_client_file`] to
    /// `$OUT_DIR/tiergen_client.rs` (only when it changed, so an unchanged
    /// spec rebuilds nothing) and prints the `cargo:rerun-if-changed` lines
    /// for the spec and its overlay. Returns the file written.
    pub fn build_script(&self) -> Result<PathBuf> {
        let out_dir = std::env::var_os("OUT_DIR")
            .map(PathBuf::from)
            .ok_or_else(|| {
                Error::in_file(
                    &self.spec,
                    "OUT_DIR is not set: call build_script from a build script",
                )
            })?;
        for input in self.inputs() {
            println!("cargo:rerun-if-changed={}", input.display());
        }
        let text = self.rust_client_file()?;
        let path = out_dir.join(BUILD_SCRIPT_FILE);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            std::fs::write(&path, text)
                .map_err(|e| Error::in_file(&path, format!("cannot write: {e}")))?;
        }
        Ok(path)
    }

    /// The files this generator reads: the spec, and the overlay when there
    /// is one (the one beside the spec is watched even while it does not
    /// exist, so creating it reruns the build script).
    pub fn inputs(&self) -> Vec<PathBuf> {
        crate::frontend::input_files(&self.spec, &self.overlay)
    }
}

/// The client crate's `src/lib.rs` with every `mod x;` replaced by the
/// contents of `src/x.rs`, laid out by prettyplease.
fn one_file(files: &Files) -> std::result::Result<String, String> {
    let source = |name: &str| -> std::result::Result<syn::File, String> {
        let path = format!("rust/src/{name}.rs");
        let bytes = files
            .get(&path)
            .ok_or_else(|| format!("the Rust client has no {path}"))?;
        let text = std::str::from_utf8(bytes).map_err(|e| format!("{path}: {e}"))?;
        syn::parse_file(text).map_err(|e| format!("{path} does not parse: {e}"))
    };
    let mut root = source("lib")?;
    root.shebang = None;
    root.attrs
        .retain(|a| matches!(a.style, syn::AttrStyle::Outer));
    for item in &mut root.items {
        if let syn::Item::Mod(module) = item
            && module.content.is_none()
        {
            let mut inner = source(&module.ident.to_string())?;
            // A module's own `//!` docs and `#![...]` go on its `mod` item.
            let (inner_attrs, _): (Vec<_>, Vec<_>) = inner
                .attrs
                .drain(..)
                .partition(|a| matches!(a.style, syn::AttrStyle::Inner(_)));
            module.attrs.extend(inner_attrs.into_iter().map(|mut a| {
                a.style = syn::AttrStyle::Outer;
                a
            }));
            module.content = Some((syn::token::Brace::default(), inner.items));
            module.semi = None;
        }
    }
    Ok(format!(
        "// Generated by tiergen for `include!`. Do not edit: change the spec.\n\n{}",
        prettyplease::unparse(&root)
    ))
}
