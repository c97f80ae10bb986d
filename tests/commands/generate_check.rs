//! `tiergen generate` and `tiergen check` end to end: deterministic, atomic,
//! minimal writes, exact drift reports, and golden/ always current.

use crate::common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use tiergen::emit::{Target, emit};
use tiergen::frontend::{OverlayChoice, load};

/// Every file under `dir` with its bytes and modification time.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path.clone());
                out.insert(path, (Vec::new(), SystemTime::UNIX_EPOCH));
            } else {
                let bytes = fs::read(&path).unwrap_or_default();
                let modified = fs::metadata(&path)
                    .and_then(|m| m.modified())
                    .unwrap_or(SystemTime::UNIX_EPOCH);
                out.insert(path, (bytes, modified));
            }
        }
    }
    out
}

fn copy_tree(from: &Path, to: &Path) {
    for (path, (bytes, _)) in snapshot(from) {
        let target = to.join(path.strip_prefix(from).unwrap_or(&path));
        if path.is_dir() {
            fs::create_dir_all(&target).unwrap_or_else(|e| panic!("{e}"));
        } else {
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
            }
            fs::write(&target, bytes).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

/// Lists `path` in the manifest of `out`, as if an earlier tiergen had written it.
fn claim_in_manifest(out: &Path, path: &str) {
    let manifest = out.join(".tiergen-manifest");
    let listed = fs::read_to_string(&manifest).unwrap_or_default();
    fs::write(&manifest, format!("{listed}{path}\n")).unwrap_or_else(|e| panic!("{e}"));
}

fn path_arg(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn management_spec() -> PathBuf {
    common::repo_root().join("spec/management.yaml")
}

#[test]
fn committed_golden_tree_is_exactly_what_generate_writes() {
    let api = load(&management_spec(), &OverlayChoice::Beside).unwrap_or_else(|e| panic!("{e}"));
    let files = emit(&api, &Target::ALL).unwrap_or_else(|e| panic!("{e}"));
    let golden = common::repo_root().join("golden");
    for (path, bytes) in files.iter() {
        let on_disk = fs::read(golden.join(path)).unwrap_or_else(|e| panic!("golden/{path}: {e}"));
        assert!(
            on_disk == bytes,
            "golden/{path} is stale: run `cargo run -- generate`"
        );
    }
    let output = common::tiergen(&["check"]);
    assert_eq!(output.status.code(), Some(0), "{}", common::stdout(&output));
}

#[test]
fn generation_is_deterministic() {
    let (a, b) = (tempfile::tempdir(), tempfile::tempdir());
    let (a, b) = (
        a.unwrap_or_else(|e| panic!("{e}")),
        b.unwrap_or_else(|e| panic!("{e}")),
    );
    for dir in [a.path(), b.path()] {
        let output = common::tiergen(&["generate", "--out", &path_arg(dir)]);
        assert!(output.status.success(), "{}", common::stderr(&output));
    }
    let strip = |dir: &Path| -> BTreeMap<PathBuf, Vec<u8>> {
        snapshot(dir)
            .into_iter()
            .map(|(p, (bytes, _))| (p.strip_prefix(dir).unwrap_or(&p).to_path_buf(), bytes))
            .collect()
    };
    let first = strip(a.path());
    assert!(first.len() > 3, "generated too little: {:?}", first.keys());
    assert_eq!(first, strip(b.path()));
    let text: String = first
        .values()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert!(
        !text.contains(&path_arg(a.path())),
        "output mentions an absolute path"
    );
}

#[test]
fn check_reports_an_edited_golden_file_with_a_diff_and_the_fix() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("golden");
    copy_tree(&common::repo_root().join("golden"), &out);
    let page = out.join("docs/index.md");
    let original = fs::read_to_string(&page).unwrap_or_default();
    fs::write(
        &page,
        original.replace("## Reach matrix", "## Reach matrix (edited by hand)"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let before = snapshot(&out);

    let output = common::tiergen(&["check", "--out", &path_arg(&out)]);
    assert_eq!(output.status.code(), Some(1));
    let text = common::stdout(&output);
    assert!(
        text.contains("--- a/docs/index.md\n+++ b/docs/index.md\n"),
        "{text}"
    );
    assert!(
        text.contains("-## Reach matrix (edited by hand)\n+## Reach matrix\n"),
        "{text}"
    );
    let last = text.lines().last().unwrap_or_default();
    assert!(last.contains("1 changed, 0 missing, 0 extra"), "{last}");
    assert!(
        last.contains(&format!("run `tiergen generate --out {}`", out.display())),
        "{last}"
    );
    assert_eq!(snapshot(&out), before, "check wrote to disk");
}

#[test]
fn check_reports_a_spec_edit() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let spec = dir.path().join("management.yaml");
    let text = fs::read_to_string(management_spec()).unwrap_or_default();
    fs::write(
        &spec,
        text.replace(
            "summary: Revoke an Org API Key",
            "summary: Revoke an Org API Key for good",
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    fs::copy(
        common::repo_root().join("spec/management.overlay.yaml"),
        dir.path().join("management.overlay.yaml"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let output = common::tiergen(&["check", "--spec", &path_arg(&spec)]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = common::stdout(&output);
    // The operation's group page: its row, linked to the renamed heading.
    assert!(
        stdout.contains("--- a/docs/tenant-org.md\n+++ b/docs/tenant-org.md\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "+| `DELETE /org/tokens/{id}` | [Revoke an Org API Key for good](#revoke-an-org-api-key-for-good)"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("-## Revoke an Org API Key\n+## Revoke an Org API Key for good\n"),
        "{stdout}"
    );
}

#[test]
fn check_reports_missing_and_extra_files() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("golden");
    copy_tree(&common::repo_root().join("golden"), &out);
    fs::remove_file(out.join("docs/cp-admin.md")).unwrap_or_else(|e| panic!("{e}"));
    claim_in_manifest(&out, "docs/retired.md");
    fs::write(out.join("docs/retired.md"), "old page\n").unwrap_or_else(|e| panic!("{e}"));

    let output = common::tiergen(&["check", "--out", &path_arg(&out), "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}"));
    let kinds: BTreeMap<String, String> = report["drift"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| {
            (
                d["path"].as_str().unwrap_or_default().to_string(),
                d["kind"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        kinds.get("docs/cp-admin.md").map(String::as_str),
        Some("missing")
    );
    assert_eq!(
        kinds.get("docs/retired.md").map(String::as_str),
        Some("extra")
    );
    assert_eq!(
        kinds.get(".tiergen-manifest").map(String::as_str),
        Some("changed")
    );
    assert_eq!(kinds.len(), 3, "nothing else drifted: {kinds:?}");
}

#[test]
fn generate_rewrites_only_what_changed_and_removes_only_its_own_files() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("out");
    let generate = || common::tiergen(&["generate", "--only", "docs", "--out", &path_arg(&out)]);
    assert!(generate().status.success());

    // Age every file, change one page, retire one file, and add a stranger.
    let old = SystemTime::now() - Duration::from_secs(3600);
    let pages: Vec<String> = fs::read_to_string(out.join(".tiergen-manifest"))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    assert!(
        pages.len() > 4
            && pages.iter().all(|p| p.starts_with("docs/"))
            && pages.iter().any(|p| p == "docs/index.md")
            && pages.iter().any(|p| p == "docs/meta.json"),
        "{pages:?}"
    );
    for page in &pages {
        let file = fs::File::options()
            .write(true)
            .open(out.join(page))
            .unwrap_or_else(|e| panic!("{page}: {e}"));
        file.set_modified(old).unwrap_or_else(|e| panic!("{e}"));
    }
    fs::write(out.join("docs/index.md"), "stale\n").unwrap_or_else(|e| panic!("{e}"));
    claim_in_manifest(&out, "docs/old/retired.md");
    fs::create_dir_all(out.join("docs/old")).unwrap_or_else(|e| panic!("{e}"));
    fs::write(out.join("docs/old/retired.md"), "retired\n").unwrap_or_else(|e| panic!("{e}"));
    fs::write(out.join("docs/hand-written.md"), "mine\n").unwrap_or_else(|e| panic!("{e}"));

    let output = generate();
    assert!(output.status.success(), "{}", common::stderr(&output));
    assert_eq!(
        common::stdout(&output).trim(),
        format!(
            "tiergen generate: 1 written, {} unchanged, 1 removed in {}",
            pages.len() - 1,
            out.display()
        )
    );
    let modified = |page: &str| fs::metadata(out.join(page)).and_then(|m| m.modified()).ok();
    for page in pages.iter().filter(|p| *p != "docs/index.md") {
        assert_eq!(
            modified(page),
            Some(old),
            "{page}: an unchanged file was rewritten"
        );
    }
    assert_ne!(modified("docs/index.md"), Some(old));
    assert!(
        !out.join("docs/old").exists(),
        "retired file (and its emptied folder) removed"
    );
    assert_eq!(
        fs::read_to_string(out.join("docs/hand-written.md"))
            .ok()
            .as_deref(),
        Some("mine\n")
    );
    let leftovers: Vec<_> = snapshot(&out)
        .into_keys()
        .filter(|p| p.to_string_lossy().contains(".tiergen-"))
        .collect();
    assert_eq!(
        leftovers,
        [out.join(".tiergen-manifest")],
        "staging or backup left behind"
    );
}

/// Fails the commit at one chosen step.
struct FailAt(usize);

impl tiergen::output::FailPoint for FailAt {
    fn before_step(&mut self, step: usize) -> std::io::Result<()> {
        if step == self.0 {
            Err(std::io::Error::other("injected failure"))
        } else {
            Ok(())
        }
    }
}

#[test]
fn a_failure_midway_through_writing_leaves_the_tree_exactly_as_it_was() {
    let api = load(&management_spec(), &OverlayChoice::Beside).unwrap_or_else(|e| panic!("{e}"));
    let files = emit(&api, &Target::ALL).unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("golden");
    // An older tree: every page different, plus a retired file to remove.
    common::older_tree(&out, &files);
    let before = snapshot(&out);

    // One removal, then every file and the manifest: each step changes the
    // tree, and a failure before any of them puts it all back.
    let steps = 1 + files.len() + 1;
    for step in 1..=steps {
        let result = tiergen::output::write_with(&out, &files, &Target::ALL, &mut FailAt(step));
        let error = result
            .err()
            .unwrap_or_else(|| panic!("step {step} did not fail"));
        assert!(error.to_string().contains("injected failure"), "{error}");
        assert_eq!(
            snapshot(&out),
            before,
            "tree changed after a failure at step {step}"
        );
    }
    let summary = tiergen::output::write_with(&out, &files, &Target::ALL, &mut FailAt(0))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (summary.written.len(), summary.removed.len()),
        (files.len(), 1)
    );
}

#[test]
fn something_in_the_way_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("golden");
    fs::create_dir_all(out.join("docs/index.md")).unwrap_or_else(|e| panic!("{e}"));
    fs::write(out.join("docs/index.md/keep.txt"), "precious\n").unwrap_or_else(|e| panic!("{e}"));
    let before = snapshot(&out);
    let output = common::tiergen(&["generate", "--out", &path_arg(&out)]);
    assert_eq!(output.status.code(), Some(2));
    assert!(common::stderr(&output).contains("docs/index.md: is in the way of a generated file"));
    assert_eq!(snapshot(&out), before);
}

#[test]
fn bad_input_changes_nothing_on_disk() {
    let dir = common::temp_tree(&[("api.yaml", "openapi: 3.1.0\ninfo: [\n")]);
    let out = dir.path().join("golden");
    let output = common::tiergen_in(dir.path(), &["generate", "--spec", "api.yaml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        !out.exists(),
        "generate created the output folder despite bad input"
    );
}

#[test]
fn only_limits_the_targets() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = path_arg(dir.path());
    let output = common::tiergen(&["generate", "--only", "docs", "--out", &out]);
    assert!(output.status.success(), "{}", common::stderr(&output));
    assert!(dir.path().join("docs/index.md").is_file());
    assert!(dir.path().join("docs/meta.json").is_file());
    let folders: Vec<String> = fs::read_dir(dir.path())
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(folders, ["docs"], "only the docs were written");
    let output = common::tiergen(&["generate", "--only", "pdf", "--out", &out]);
    assert_eq!(output.status.code(), Some(2));
    assert!(common::stderr(&output).contains("unknown target \"pdf\""));
}
