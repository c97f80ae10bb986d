//! The front end: reads a spec (and its overlay), lowers OpenAPI 3.1 to what
//! `openapiv3` reads, and builds the [`crate::ir::Api`].

mod build;
mod declarations;
mod lower;
mod operations;
mod overlay;
mod positions;
mod refs;
mod security;
mod shapes;
mod source;
mod validate;

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use crate::error::{Error, Result, escape_token};
use crate::ir::Api;

pub use positions::Positions;
pub use source::{Document, parse_document, read_document};

/// Which overlay to apply to a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OverlayChoice {
    /// `X.overlay.yaml` beside spec `X.yaml`, when that file exists.
    Beside,
    /// This file.
    File(PathBuf),
    /// None at all.
    Skip,
}

/// The overlay that [`OverlayChoice::Beside`] picks for `spec`.
pub fn overlay_beside(spec: &Path) -> PathBuf {
    beside(spec, "overlay")
}

/// The file of `role` that belongs to `spec`: `X.<role>.yaml` beside spec
/// `X.yaml` (its overlay, lint config, change policy).
pub fn beside(spec: &Path, role: &str) -> PathBuf {
    let stem = spec
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    spec.with_file_name(format!("{stem}.{role}.yaml"))
}

/// True when `text` holds only comments and blank lines: a settings file
/// that sets nothing (YAML reads it as null, which the document reader
/// refuses as a top level).
pub fn sets_nothing(text: &str) -> bool {
    text.lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
}

/// The files [`load`] reads for `spec` and `overlay`: the spec, and the
/// overlay (the one beside the spec whether or not it exists yet, so a
/// watcher notices it appear).
pub fn input_files(spec: &Path, overlay: &OverlayChoice) -> Vec<PathBuf> {
    let mut files = vec![spec.to_path_buf()];
    match overlay {
        OverlayChoice::File(path) => files.push(path.clone()),
        OverlayChoice::Beside => files.push(overlay_beside(spec)),
        OverlayChoice::Skip => {}
    }
    files
}

/// Loads a spec from disk with its overlay and builds the IR.
pub fn load(spec: &Path, overlay: &OverlayChoice) -> Result<Api> {
    let spec = read_document(spec)?;
    let overlay = match overlay {
        OverlayChoice::Skip => None,
        OverlayChoice::File(path) => Some(read_document(path)?),
        OverlayChoice::Beside => {
            let path = overlay_beside(&spec.path);
            if path.is_file() {
                Some(read_document(&path)?)
            } else {
                None
            }
        }
    };
    build(spec, overlay.as_ref())
}

/// Builds the IR from documents already parsed. An error that names a JSON
/// pointer also gets the line and column where that node starts.
pub fn build(mut spec: Document, overlay: Option<&Document>) -> Result<Api> {
    build_unlocated(&mut spec, overlay).map_err(|error| {
        // An error may list several problems: each text is indexed once.
        let mut in_spec = positions::Locator::new(&spec.text);
        let mut in_overlay = overlay.map(|o| (&o.path, positions::Locator::new(&o.text)));
        error.locate_with(|file, pointer| {
            if file == spec.path {
                return in_spec.locate(pointer);
            }
            match &mut in_overlay {
                Some((path, locator)) if *path == file => locator.locate(pointer),
                _ => None,
            }
        })
    })
}

fn build_unlocated(spec: &mut Document, overlay: Option<&Document>) -> Result<Api> {
    let lowered = prepare(spec, overlay)?;
    let order = operations::MethodOrder::read(&spec.root);
    // `openapiv3` reads the document by value, freeing it as it goes. Where
    // it failed is found by reading it again with path tracking, which costs
    // time on every node: only a failure pays for it.
    match openapiv3::OpenAPI::deserialize(std::mem::take(&mut spec.root)) {
        Ok(openapi) => build::build_api(&openapi, lowered, &spec.path, &order),
        Err(_) => Err(where_openapiv3_fails(spec, overlay)),
    }
}

/// Checks the version, applies the overlay and lowers 3.1 to what
/// `openapiv3` reads, in place.
fn prepare(spec: &mut Document, overlay: Option<&Document>) -> Result<lower::Lowered> {
    check_version(spec)?;
    if let Some(overlay) = overlay {
        overlay::apply(spec, overlay)?;
    }
    refuse_external_refs(spec)?;
    refs::refuse_dangling_refs(&spec.root, &spec.path)?;
    lower::lower_document(&mut spec.root, &spec.path)
}

/// tiergen reads the one document it is given: a `$ref` to a URL or to
/// another file is refused, never fetched or opened, so a spec cannot make
/// tiergen reach the network or read `/etc/passwd`.
fn refuse_external_refs(spec: &Document) -> Result<()> {
    match external_ref(&spec.root) {
        None => Ok(()),
        Some((mut reversed_path, reference)) => {
            reversed_path.reverse();
            Err(Error::at_pointer(
                &spec.path,
                &crate::error::pointer(reversed_path),
                format!(
                    "$ref {reference:?} points outside this document; tiergen reads only the \
                     spec it is given and never fetches a URL or opens another file"
                ),
            )
            .with_help("bundle the spec into one document first, e.g. `redocly bundle`"))
        }
    }
}

/// Whether the value of `key` is example or extension data, where a `$ref`
/// member is text, not a reference. (Should `key` be a property that merely
/// bears such a name, a `$ref` in it still meets the resolver, which refuses
/// what it cannot find.)
fn holds_data(key: &str, value: &Value) -> bool {
    key.starts_with("x-")
        || matches!(key, "example" | "default" | "const" | "enum" | "value")
        || (key == "examples" && value.is_array())
}

/// The first `$ref` not starting with `#`, with the tokens of its pointer
/// from the leaf up (built only once found: the walk itself allocates nothing).
fn external_ref(value: &Value) -> Option<(Vec<String>, &str)> {
    let (token, (mut path, reference)) = match value {
        Value::Object(object) => {
            if let Some(Value::String(reference)) = object.get("$ref")
                && !reference.starts_with('#')
            {
                return Some((vec!["$ref".to_string()], reference));
            }
            object
                .iter()
                .filter(|(key, child)| !holds_data(key, child))
                .find_map(|(key, child)| Some((key.clone(), external_ref(child)?)))?
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, child)| Some((i.to_string(), external_ref(child)?)))?,
        _ => return None,
    };
    path.push(token);
    Some((path, reference))
}

/// The error `openapiv3` gives for `spec` (whose root it consumed), with the
/// pointer to the node it stopped at.
fn where_openapiv3_fails(spec: &Document, overlay: Option<&Document>) -> Error {
    let mut again = match parse_document(&spec.path, &spec.text) {
        Ok(document) => document,
        Err(error) => return error,
    };
    if let Err(error) = prepare(&mut again, overlay) {
        return error;
    }
    match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(again.root) {
        Err(e) => Error::at_pointer(
            &spec.path,
            &path_to_pointer(e.path()),
            format!("not a valid OpenAPI document: {}", e.inner()),
        ),
        Ok(_) => Error::in_file(&spec.path, "not a valid OpenAPI document"),
    }
}

fn check_version(spec: &Document) -> Result<()> {
    let file = &spec.path;
    if let Some(swagger) = spec.root.get("swagger") {
        let version = swagger
            .as_str()
            .map_or_else(|| swagger.to_string(), str::to_string);
        return Err(Error::at_pointer(
            file,
            "/swagger",
            format!(
                "Swagger/OpenAPI {version} is not supported; tiergen reads OpenAPI 3.0 and 3.1 \
                 (convert the document to 3.x first)"
            ),
        ));
    }
    match spec.root.get("openapi") {
        None => Err(Error::in_file(
            file,
            "not an OpenAPI document: it has no `openapi` version field",
        )),
        Some(Value::String(v)) if v.starts_with("3.0.") || v.starts_with("3.1.") => Ok(()),
        Some(other) => Err(Error::at_pointer(
            file,
            "/openapi",
            format!("unsupported OpenAPI version {other}; tiergen reads 3.0.x and 3.1.x"),
        )),
    }
}

/// Turns serde_path_to_error's path into a JSON pointer.
pub fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|segment| match segment {
            Segment::Seq { index } => Some(format!("/{index}")),
            Segment::Map { key } => Some(format!("/{}", escape_token(key))),
            Segment::Enum { .. } | Segment::Unknown => None,
        })
        .collect()
}
