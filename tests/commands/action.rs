//! The GitHub Action's step (`scripts/action.sh`, which `action.yml` runs)
//! on a real git repository: a pull request that keeps its artifacts current
//! and changes nothing for callers passes with a report in the job summary; a
//! breaking change fails and says what breaks; a stale artifact fails `check`.

use crate::common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn git(dir: &Path, args: &[&str]) {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .unwrap_or_else(|e| panic!("git: {e}"));
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        common::stderr(&output)
    );
}

/// A repository on branch `main` holding the management spec and its
/// artifacts, with branch `pr` checked out.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = common::repo_root();
    for file in ["spec/management.yaml", "spec/management.overlay.yaml"] {
        let to = dir.path().join(file);
        fs::create_dir_all(to.parent().unwrap_or(dir.path())).unwrap_or_else(|e| panic!("{e}"));
        fs::copy(root.join(file), to).unwrap_or_else(|e| panic!("{e}"));
    }
    regenerate(dir.path());
    git(dir.path(), &["init", "-q", "-b", "main"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-qm", "base"]);
    git(dir.path(), &["checkout", "-qb", "pr"]);
    dir
}

fn regenerate(dir: &Path) {
    let output = common::tiergen_in(dir, &["generate"]);
    assert!(output.status.success(), "{}", common::stderr(&output));
}

fn edit_spec(dir: &Path, edit: impl FnOnce(String) -> String) {
    let path = dir.join("spec/management.yaml");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    let edited = edit(text.clone());
    assert_ne!(edited, text, "the edit changed nothing");
    fs::write(&path, edited).unwrap_or_else(|e| panic!("{e}"));
}

/// The action's step, as the workflow runs it: tiergen on PATH, the base
/// branch named, the job summary a file. Returns its output and the summary.
fn run_step(dir: &Path) -> (Output, String) {
    let bin = Path::new(env!("CARGO_BIN_EXE_tiergen"))
        .parent()
        .unwrap_or_else(|| panic!("no bin dir"));
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let summary = dir.join(".summary.md");
    let output = Command::new(common::repo_root().join("scripts/action.sh"))
        .current_dir(dir)
        .env("PATH", path)
        .env("TIERGEN_BASE_REF", "main")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env_remove("TIERGEN_SPEC")
        .env_remove("TIERGEN_FAIL_ON")
        .env_remove("TIERGEN_LINT_CONFIG")
        .output()
        .unwrap_or_else(|e| panic!("scripts/action.sh: {e}"));
    let text = fs::read_to_string(&summary).unwrap_or_default();
    (output, text)
}

#[test]
fn a_compatible_change_passes_with_its_report_in_the_summary() {
    let dir = repository();
    edit_spec(dir.path(), |text| {
        text.replacen(
            "summary: Import a workspace bundle (tenant-admin)",
            "summary: Import a workspace bundle (tenant admin only)",
            1,
        )
    });
    regenerate(dir.path());
    git(dir.path(), &["commit", "-qam", "reword"]);
    let (output, summary) = run_step(dir.path());
    assert!(
        output.status.success(),
        "{}\n{}",
        common::stdout(&output),
        common::stderr(&output)
    );
    assert!(
        summary.starts_with("### tiergen diff: 0 breaking, 0 security"),
        "{summary}"
    );
}

#[test]
fn a_breaking_change_fails_and_the_summary_says_what_breaks() {
    let dir = repository();
    // The operation moves: every caller of the old path breaks.
    edit_spec(dir.path(), |text| {
        text.replacen("  /bundles/import:", "  /bundles/imports:", 1)
    });
    regenerate(dir.path());
    git(dir.path(), &["commit", "-qam", "move bundle import"]);
    let (output, summary) = run_step(dir.path());
    assert_eq!(output.status.code(), Some(1), "{}", common::stdout(&output));
    assert!(
        common::stderr(&output).contains("tiergen: failed: diff"),
        "{}",
        common::stderr(&output)
    );
    assert!(!summary.contains("0 breaking"), "{summary}");
    assert!(summary.contains("tenantImportBundle"), "{summary}");
    // And an annotation at the operation's line of the pull request's spec.
    let stdout = common::stdout(&output);
    assert!(
        stdout.lines().any(|l| l.starts_with(
            "::error title=operation-moved%3A tenantImportBundle,file=spec/management.yaml,line="
        )),
        "{stdout}"
    );
}

/// A `cargo` that records its arguments in `cargo.log` beside it and
/// "builds" tiergen where `--root` says.
fn fake_cargo(dir: &Path) -> String {
    let bin = dir.join("fake-bin");
    fs::create_dir_all(&bin).unwrap_or_else(|e| panic!("{e}"));
    let script = bin.join("cargo");
    fs::write(
        &script,
        format!(
            "#!/bin/sh\necho \"$@\" >> {log}\nwhile [ \"$1\" != --root ]; do shift; done\n\
             mkdir -p \"$2/bin\" && printf '#!/bin/sh\\n' > \"$2/bin/tiergen\" && chmod +x \"$2/bin/tiergen\"\n",
            log = bin.join("cargo.log").display()
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    Command::new("chmod")
        .arg("+x")
        .arg(&script)
        .status()
        .unwrap_or_else(|e| panic!("{e}"));
    format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

fn install(dir: &Path, path: &str, mode: &str) -> Output {
    Command::new(common::repo_root().join("scripts/action-install.sh"))
        .args([mode, &dir.join("cache").to_string_lossy()])
        .env("PATH", path)
        .output()
        .unwrap_or_else(|e| panic!("scripts/action-install.sh: {e}"))
}

#[test]
fn the_install_step_builds_once_and_then_uses_the_cached_build() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = fake_cargo(dir.path());
    let log = dir.path().join("fake-bin/cargo.log");
    let key = common::stdout(&install(dir.path(), &path, "key-only"));
    assert!(key.starts_with("key=tiergen-0.1.0-"), "{key}");
    assert!(!log.exists(), "key-only builds nothing");
    // A cold cache: it builds, and leaves the key beside the build.
    let first = install(dir.path(), &path, "install");
    assert!(first.status.success(), "{}", common::stderr(&first));
    let calls = fs::read_to_string(&log).unwrap_or_default();
    assert_eq!(calls.lines().count(), 1, "{calls}");
    assert!(calls.starts_with("install --locked --path "), "{calls}");
    let cached = dir.path().join("cache");
    let stored = fs::read_to_string(cached.join("key")).unwrap_or_default();
    assert_eq!(format!("key={stored}"), key);
    // What actions/cache restores: the same sources, so no build.
    let second = install(dir.path(), &path, "install");
    assert!(second.status.success());
    assert!(
        common::stderr(&second).contains("using the cached build"),
        "{}",
        common::stderr(&second)
    );
    assert_eq!(
        fs::read_to_string(&log).unwrap_or_default().lines().count(),
        1
    );
    // A build of other sources (a restored key that no longer matches) is rebuilt.
    fs::write(cached.join("key"), "tiergen-0.0.9-old\n").unwrap_or_else(|e| panic!("{e}"));
    let third = install(dir.path(), &path, "install");
    assert!(third.status.success());
    assert_eq!(
        fs::read_to_string(&log).unwrap_or_default().lines().count(),
        2
    );
}

#[test]
fn a_stale_artifact_fails_check_and_the_rest_still_runs() {
    let dir = repository();
    let page = dir.path().join("golden/docs/index.md");
    let text = fs::read_to_string(&page).unwrap_or_else(|e| panic!("{e}"));
    fs::write(&page, format!("{text}hand edit\n")).unwrap_or_else(|e| panic!("{e}"));
    git(dir.path(), &["commit", "-qam", "hand edit"]);
    let (output, summary) = run_step(dir.path());
    assert_eq!(output.status.code(), Some(1));
    let stdout = common::stdout(&output);
    assert!(stdout.contains("-hand edit"), "{stdout}");
    assert!(
        common::stderr(&output).contains("tiergen: failed: check\n"),
        "{}",
        common::stderr(&output)
    );
    assert!(
        summary.starts_with("### tiergen diff: 0 breaking"),
        "{summary}"
    );
}

/// The action's lint reads the lint config beside the spec, as `tiergen
/// lint` does: a config with a mistake fails the lint step (and only it).
#[test]
fn the_lint_step_reads_the_lint_config_beside_the_spec() {
    let dir = repository();
    fs::write(
        dir.path().join("spec/management.lint.yaml"),
        "rules:\n  undeclared-prose: off\n  destructive-without-gaurd: warning\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-qm", "lint config"]);
    let (output, _) = run_step(dir.path());
    assert_eq!(output.status.code(), Some(1), "{}", common::stdout(&output));
    let stderr = common::stderr(&output);
    assert!(
        stderr.contains("spec/management.lint.yaml:3:3: unknown lint rule")
            && stderr.contains("tiergen: failed: lint\n"),
        "{stderr}"
    );
}
