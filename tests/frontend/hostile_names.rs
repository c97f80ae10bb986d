//! Names from the spec that would be dangerous as file names — credential
//! ids, service ids, tags and operationIds such as `../../etc/evil`,
//! `/abs/path`, `a/b`, `..`, `.`, control characters, `CON`, `nul`, `com1`,
//! 300 characters, `Org Key` beside `org-key`, `public`, `lib` and `main`
//! (tests/fixtures/breadth/file-names.yaml) — run through the real binary:
//! every file lands inside `--out` under a portable name, names that meet
//! after sanitizing stay apart, the manifest lists exactly what is on disk,
//! and a second run writes the same bytes.

use crate::common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// Every file under `root`, by its path relative to `root` (with `/`), with
/// its bytes. A symbolic link or anything else that is not a plain file or
/// folder fails the test.
fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let entry = entry.unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
            let path = entry.path();
            let kind = entry
                .file_type()
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let relative = path
                .strip_prefix(root)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
                .to_str()
                .unwrap_or_else(|| panic!("{} is not UTF-8", path.display()))
                .replace('\\', "/");
            if kind.is_dir() {
                walk(root, &path, out);
            } else if kind.is_file() {
                let bytes = fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                out.insert(relative, bytes);
            } else {
                panic!("{relative} is neither a file nor a folder: {kind:?}");
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// A folder holding the fixture as `spec.yaml`, and `tiergen generate` run
/// in it into `out`; returns the folder.
fn generated() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    fs::copy(
        common::fixture("breadth/file-names.yaml"),
        dir.path().join("spec.yaml"),
    )
    .unwrap_or_else(|e| panic!("copy the fixture: {e}"));
    generate(dir.path());
    dir
}

fn generate(dir: &Path) {
    let output = common::tiergen_in(dir, &["generate", "--spec", "spec.yaml", "--out", "out"]);
    assert!(
        output.status.success(),
        "exit {:?}\n{}\n{}",
        output.status.code(),
        common::stdout(&output),
        common::stderr(&output)
    );
}

/// What a file may be called on every file system tiergen's output goes to.
fn assert_portable(path: &str) {
    for segment in path.split('/') {
        assert!(
            !segment.is_empty()
                && segment
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-')),
            "{path}: segment {segment:?} is not [A-Za-z0-9._-]+"
        );
        assert!(segment.len() <= 255, "{path}: {segment:?} is too long");
        assert!(
            segment != "." && segment != "..",
            "{path}: {segment:?} climbs"
        );
        let stem = segment
            .split('.')
            .next()
            .unwrap_or(segment)
            .to_ascii_lowercase();
        assert!(
            !tiergen::naming::WINDOWS_RESERVED.contains(&stem.as_str()),
            "{path}: {segment:?} is a name Windows reserves"
        );
    }
}

fn json(files: &BTreeMap<String, Vec<u8>>, path: &str) -> Value {
    let bytes = files
        .get(path)
        .unwrap_or_else(|| panic!("no {path}: {:?}", files.keys()));
    serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn hostile_names_are_written_inside_out_under_portable_distinct_names() {
    let dir = generated();
    let everything = tree(dir.path());
    let outside: Vec<&String> = everything
        .keys()
        .filter(|p| *p != "spec.yaml" && !p.starts_with("out/"))
        .collect();
    assert!(outside.is_empty(), "written outside out: {outside:?}");
    let out: PathBuf = dir.path().join("out");
    let files = tree(&out);
    for path in files.keys() {
        assert_portable(path);
    }

    let under = |folder: &str| -> Vec<&str> {
        files
            .keys()
            .filter_map(|p| p.strip_prefix(folder))
            .collect()
    };
    // One manifest per credential, in spec order: `..` and `.` are both
    // `empty`, `Org Key` and `org-key` both `org-key`, so the second of each
    // gets `_2`; Windows-reserved stems and `public` (the manifest of public
    // operations) get `_`; 300 characters keep 55 and a hash.
    assert_eq!(
        under("mcp/"),
        [
            "a-b.json",
            "a-very-long-name-01234567890123456789012345678901234567_1414a09d.json",
            "abs-path.json",
            "com1_.json",
            "con_.json",
            "ctl-0m-x.json",
            "empty.json",
            "empty_2.json",
            "etc-evil.json",
            "nul_.json",
            "org-key.json",
            "org-key_2.json",
            "public.json",
            "public_.json",
        ]
    );
    // One module per service, named by the same rules, and never the
    // crate's root (`lib`) or a program (`main`).
    assert_eq!(
        under("rust/src/"),
        [
            "a_b.rs",
            "a_very_long_name_01234567890123456789012345678901234567_e9a9affb.rs",
            "abs_path.rs",
            "com1_.rs",
            "con_.rs",
            "credentials.rs",
            "ctl_0m_x.rs",
            "empty.rs",
            "empty_2.rs",
            "error.rs",
            "etc_evil.rs",
            "lib.rs",
            "lib_.rs",
            "main_.rs",
            "models.rs",
            "nul_.rs",
            "org_key.rs",
            "org_key_2.rs",
            "runtime.rs",
        ]
    );
    let lib = String::from_utf8_lossy(&files["rust/src/lib.rs"]);
    assert!(lib.contains("pub mod lib_;") && lib.contains("pub mod main_;"));
    assert!(lib.contains("pub use lib_::LibClient;"), "{lib}");

    // The colliding credentials: each manifest is its own credential's, and
    // each credential reads its own environment variable.
    for (file, credential, operation) in [
        ("mcp/org-key.json", "Org Key", "Org Key"),
        ("mcp/org-key_2.json", "org-key", "org-key"),
        ("mcp/empty.json", "..", ".."),
        ("mcp/empty_2.json", ".", "."),
        ("mcp/public_.json", "public", "lib"),
        ("mcp/con_.json", "CON", "CON"),
    ] {
        let manifest = json(&files, file);
        let server = &manifest["_meta"]["tiergen/server"];
        let credentials: Vec<&String> = server["credentials"]
            .as_object()
            .map(|c| c.keys().collect())
            .unwrap_or_default();
        assert_eq!(credentials, [credential], "{file}");
        let operations: Vec<&str> = manifest["tools"]
            .as_array()
            .map(|tools| {
                tools
                    .iter()
                    .filter_map(|t| t["_meta"]["tiergen/route"]["operation"].as_str())
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(operations, [operation], "{file}");
    }
    let routes = json(&files, "cli/routes.json");
    let env = |credential: &str| routes["credentials"][credential]["env"].clone();
    assert_eq!(env("Org Key"), "FILE_ORG_KEY");
    assert_eq!(env("org-key"), "FILE_ORG_KEY_2");
    assert_eq!(env(".."), "FILE_EMPTY");
    assert_eq!(env("."), "FILE_EMPTY_2");

    // The manifest lists exactly the files on disk (itself aside).
    let manifest = String::from_utf8_lossy(&files[".tiergen-manifest"]);
    let listed: Vec<&str> = manifest
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let on_disk: Vec<&str> = files
        .keys()
        .map(String::as_str)
        .filter(|p| *p != ".tiergen-manifest")
        .collect();
    assert_eq!(listed, on_disk);
}

#[test]
fn hostile_names_give_the_same_bytes_every_run() {
    let first = generated();
    let second = generated();
    let files = tree(&first.path().join("out"));
    assert_eq!(
        files,
        tree(&second.path().join("out")),
        "two folders differ"
    );
    // Again into the same folder: nothing changes.
    generate(first.path());
    assert_eq!(
        files,
        tree(&first.path().join("out")),
        "a rerun changed files"
    );
}
