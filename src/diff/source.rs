//! Where a version of the spec comes from: a file, or `git:REV:path` read
//! with `git show`, each with its own overlay.

use std::path::Path;
use std::process::Command;

use crate::error::{Error, Result};
use crate::findings::{Place, Position};
use crate::frontend::{self, Document, Positions};
use crate::ir::Api;

use super::policy::Policy;

/// One side of a diff, loaded: its IR and the text to place pointers in.
pub struct Side {
    pub label: String,
    /// The spec's path: the file, or the path in a `git:REV:path` source.
    pub file: String,
    pub api: Api,
    text: String,
    /// The positions [`Side::index`] found; empty until it runs.
    positions: Positions,
}

impl Side {
    /// Finds `pointers` in the text, for [`Side::locate`]: only those, since
    /// a diff places a few hundred changes in a spec of a million nodes.
    pub fn index<'p>(&mut self, pointers: impl IntoIterator<Item = &'p str>) {
        self.positions = Positions::of(&self.text, pointers);
    }

    /// Where `pointer` (or its nearest ancestor) is in this side's spec.
    pub fn locate(&self, pointer: &str) -> Place {
        Place {
            file: self.file.clone(),
            position: self
                .positions
                .locate(pointer)
                .map(|(line, column)| Position { line, column }),
        }
    }
}

/// Loads both sides at once, each on its own thread: reading a large spec
/// is most of a diff's time, and the two do not depend on each other. An
/// error of the old side is reported first.
pub fn load_both(old: (&str, Option<&Path>), new: (&str, Option<&Path>)) -> Result<(Side, Side)> {
    std::thread::scope(|scope| {
        let old_side = scope.spawn(|| load(old.0, old.1));
        let new_side = load(new.0, new.1);
        let old_side = old_side
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        Ok((old_side?, new_side?))
    })
}

/// Loads `source` (a path or `git:REV:path`) with `overlay` (default: the
/// `X.overlay.yaml` beside it, in the same revision for a git source).
pub fn load(source: &str, overlay: Option<&Path>) -> Result<Side> {
    let (spec, beside) = match source.strip_prefix("git:") {
        Some(spec) => {
            let (rev, path) = spec.split_once(':').ok_or_else(|| {
                Error::in_file(
                    source,
                    "a git source is `git:REV:path`, e.g. `git:main:spec/api.yaml`",
                )
            })?;
            let text = git_show(rev, path).map_err(|message| Error::in_file(source, message))?;
            let document = frontend::parse_document(Path::new(source), &text)?;
            let overlay_path = frontend::overlay_beside(Path::new(path));
            let beside = git_show(rev, &overlay_path.to_string_lossy())
                .ok()
                .map(|text| {
                    let label = format!("git:{rev}:{}", overlay_path.display());
                    frontend::parse_document(Path::new(&label), &text)
                })
                .transpose()?;
            (document, beside)
        }
        None => {
            let document = frontend::read_document(Path::new(source))?;
            let overlay_path = frontend::overlay_beside(Path::new(source));
            let beside = if overlay_path.is_file() {
                Some(frontend::read_document(&overlay_path)?)
            } else {
                None
            };
            (document, beside)
        }
    };
    let overlay: Option<Document> = match overlay {
        Some(path) => Some(frontend::read_document(path)?),
        None => beside,
    };
    let text = spec.text.clone();
    let api = frontend::build(spec, overlay.as_ref())?;
    let file = match source.strip_prefix("git:").and_then(|s| s.split_once(':')) {
        Some((_, path)) => path.to_string(),
        None => source.to_string(),
    };
    Ok(Side {
        label: source.to_string(),
        file,
        api,
        text,
        positions: Positions::default(),
    })
}

/// The change policy for `source`: `policy` when given, else the
/// `X.diff.yaml` beside it (in the same revision for a git source), if any.
pub fn load_policy(source: &str, policy: Option<&Path>) -> Result<Policy> {
    if let Some(path) = policy {
        return super::policy::load(path);
    }
    match source.strip_prefix("git:").and_then(|s| s.split_once(':')) {
        Some((rev, path)) => {
            let beside = super::policy::beside(Path::new(path));
            match git_show(rev, &beside.to_string_lossy()) {
                Ok(text) => {
                    let label = format!("git:{rev}:{}", beside.display());
                    let mut policy = super::policy::parse(Path::new(&label), &text)?;
                    policy.file = Some(beside);
                    Ok(policy)
                }
                Err(_) => Ok(Policy::default()),
            }
        }
        None => {
            let beside = super::policy::beside(Path::new(source));
            if beside.is_file() {
                super::policy::load(&beside)
            } else {
                Ok(Policy::default())
            }
        }
    }
}

fn git_show(rev: &str, path: &str) -> std::result::Result<String, String> {
    let output = Command::new("git")
        .args(["show", &format!("{rev}:{path}")])
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!(
            "git show {rev}:{path} failed: {}",
            stderr.lines().next().unwrap_or("no output")
        ));
    }
    String::from_utf8(output.stdout).map_err(|_| format!("{rev}:{path} is not UTF-8 text"))
}
