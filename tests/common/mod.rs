//! Helpers shared by the integration tests: run the real binary, make
//! throwaway folders.

#![allow(dead_code)]

pub mod markdown;
pub mod serve;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures").join(name)
}

/// Every spec in `tests/fixtures/breadth/`, by name, sorted: a new fixture
/// is covered by every test that walks this list without being listed.
pub fn breadth_fixtures() -> Vec<String> {
    let dir = fixture("breadth");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".yaml").map(str::to_string)
        })
        .collect();
    names.sort();
    assert!(names.len() >= 8, "breadth fixtures went missing: {names:?}");
    names
}

/// Runs `tiergen` with `args` in `dir`.
pub fn tiergen_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tiergen"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run tiergen: {e}"))
}

/// Runs `tiergen` with `args` from the repository root.
pub fn tiergen(args: &[&str]) -> Output {
    tiergen_in(&repo_root(), args)
}

/// Runs `tiergen` with `args` from the repository root, with `env` set.
#[allow(dead_code)]
pub fn tiergen_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tiergen"))
        .args(args)
        .envs(env.iter().copied())
        .current_dir(repo_root())
        .output()
        .unwrap_or_else(|e| panic!("cannot run tiergen: {e}"))
}

/// The chosen `fields` (as text) of each change in a `tiergen diff
/// --format json` report, in report order.
pub fn diff_changes<const N: usize>(
    report: &serde_json::Value,
    fields: [&str; N],
) -> Vec<[String; N]> {
    report["changes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|change| fields.map(|k| change[k].as_str().unwrap_or_default().to_string()))
        .collect()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A temporary folder holding `files` (relative path → contents).
pub fn temp_tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    for (path, contents) in files {
        let path = dir.path().join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("mkdir: {e}"));
        }
        std::fs::write(&path, contents).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }
    dir
}

/// A tiny valid 3.1 spec: one tenant-style service, one credential, one GET.
pub const MINIMAL_SPEC: &str = r#"openapi: 3.1.0
info: { title: Mini, version: "1" }
servers:
  - url: https://api.example.com
components:
  securitySchemes:
    key: { type: http, scheme: bearer }
paths:
  /things/{id}:
    parameters:
      - { name: id, in: path, required: true, schema: { type: string } }
    get:
      operationId: getThing
      security: [{ key: [] }]
      responses:
        "200": { description: OK. }
"#;

/// Checks every GFM table in `markdown`: each line has as many cells as its
/// header line. GFM would silently pad or drop cells, so the source is
/// counted, not the parse. Returns the first offending line.
#[allow(dead_code)]
pub fn table_shape_error(markdown: &str) -> Option<String> {
    let mut expected = None;
    for (n, line) in markdown.lines().enumerate() {
        if !line.starts_with('|') {
            expected = None;
            continue;
        }
        let cells = table_cells(line);
        let want = *expected.get_or_insert(cells);
        if cells != want {
            return Some(format!(
                "line {}: {cells} cells, header has {want}: {line}",
                n + 1
            ));
        }
    }
    None
}

/// Cells of a GFM table line: unescaped pipes, minus the outer ones.
fn table_cells(line: &str) -> usize {
    let mut pipes = 0usize;
    let mut escaped = false;
    for c in line.chars() {
        match c {
            '\\' if !escaped => {
                escaped = true;
                continue;
            }
            '|' if !escaped => pipes += 1,
            _ => {}
        }
        escaped = false;
    }
    pipes.saturating_sub(1)
}

/// An older tree in `out` for `files`: every generated file with other
/// contents, and a retired file (`docs/retired.md`) the next run removes.
pub fn older_tree(out: &Path, files: &tiergen::emit::Files) {
    for (path, _) in files.iter() {
        let file = out.join(path);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(file, format!("old {path}\n")).unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::write(out.join("docs/retired.md"), "retired\n").unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        out.join(".tiergen-manifest"),
        "docs/retired.md\ndocs/index.md\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
}
