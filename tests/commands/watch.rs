//! `tiergen generate --watch` and `-v`, driven with real file edits: each
//! save regenerates and prints the summary line; an invalid edit prints its
//! diagnostic, keeps running and leaves the artifacts alone; fixing the spec
//! regenerates again. Each wait is bounded (a hang fails, it never stalls the
//! suite); no timing is asserted.

use crate::common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use crate::common::MINIMAL_SPEC;

/// Far above what a regeneration takes: only a hang reaches it.
const BOUND: Duration = Duration::from_secs(60);

struct Watching {
    child: Child,
    lines: Receiver<String>,
    /// Lines read but not yet waited for: stdout and stderr arrive on two
    /// threads, so a later line of one may come before an earlier one of the other.
    backlog: std::cell::RefCell<Vec<String>>,
}

impl Watching {
    /// The first line of stdout or stderr not waited for yet that contains
    /// `wanted`; panics with everything seen when none does within [`BOUND`].
    fn wait_for(&self, wanted: &str) -> String {
        let mut backlog = self.backlog.borrow_mut();
        if let Some(at) = backlog.iter().position(|line| line.contains(wanted)) {
            return backlog.remove(at);
        }
        loop {
            match self.lines.recv_timeout(BOUND) {
                Ok(line) if line.contains(wanted) => return line,
                Ok(line) => backlog.push(line),
                Err(e) => panic!(
                    "no line with {wanted:?} ({e}); saw:\n{}",
                    backlog.join("\n")
                ),
            }
        }
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn watch(dir: &std::path::Path) -> Watching {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tiergen"))
        .args([
            "generate", "--watch", "--spec", "api.yaml", "--out", "out", "--only", "docs",
        ])
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let (sender, lines) = channel();
    for stream in [
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
    ]
    .into_iter()
    .flatten()
    {
        let sender = sender.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
    }
    Watching {
        child,
        lines,
        backlog: std::cell::RefCell::new(Vec::new()),
    }
}

/// Saves `text` the way editors do: a new file renamed over the old one.
fn save(dir: &std::path::Path, text: &str) {
    let temporary = dir.join(".api.yaml.swp");
    std::fs::write(&temporary, text).unwrap_or_else(|e| panic!("{e}"));
    std::fs::rename(&temporary, dir.join("api.yaml")).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn watch_regenerates_on_each_save_and_survives_an_invalid_one() {
    let dir = common::temp_tree(&[("api.yaml", MINIMAL_SPEC)]);
    let watching = watch(dir.path());
    let first = watching.wait_for("tiergen generate:");
    assert!(first.contains("written, 0 unchanged"), "{first}");
    watching.wait_for("watching api.yaml and api.overlay.yaml");
    let page = dir.path().join("out/docs/index.md");
    let before = std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{e}"));

    save(
        dir.path(),
        &MINIMAL_SPEC.replace("title: Mini", "title: Renamed"),
    );
    let second = watching.wait_for("tiergen generate:");
    assert!(!second.contains(" 0 written"), "{second}");
    let renamed = std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{e}"));
    assert_ne!(renamed, before);

    // An edit that breaks the spec: its diagnostic, and nothing written.
    save(
        dir.path(),
        &MINIMAL_SPEC.replace("security: [{ key: [] }]", "security: [{ kye: [] }]"),
    );
    watching.wait_for("error: api.yaml:14:20: unknown security scheme \"kye\"");
    watching.wait_for("did you mean \"key\"?");
    watching.wait_for("watching api.yaml");
    assert_eq!(
        std::fs::read_to_string(&page).ok().as_deref(),
        Some(renamed.as_str())
    );

    // Fixed: back to the first spec's pages.
    save(dir.path(), MINIMAL_SPEC);
    watching.wait_for("tiergen generate:");
    assert_eq!(
        std::fs::read_to_string(&page).ok().as_deref(),
        Some(before.as_str())
    );
}

#[test]
fn verbose_prints_the_time_of_each_stage() {
    let dir = common::temp_tree(&[("api.yaml", MINIMAL_SPEC)]);
    let output = common::tiergen_in(
        dir.path(),
        &["generate", "-v", "--spec", "api.yaml", "--out", "out"],
    );
    assert!(output.status.success(), "{}", common::stderr(&output));
    let stderr = common::stderr(&output);
    let stages: Vec<&str> = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("tiergen: "))
        .filter_map(|l| l.rsplit_once(": ").map(|(stage, _)| stage))
        .collect();
    assert_eq!(
        stages,
        [
            "read the spec and overlay into the IR",
            "emit rust",
            "emit mcp",
            "emit cli",
            "emit docs",
            "write"
        ],
        "{stderr}"
    );
    assert!(stderr.lines().all(|l| l.ends_with(" ms")), "{stderr}");
    // Without -v, and in a pipe (no terminal, so no progress), nothing on stderr.
    let quiet = common::tiergen_in(
        dir.path(),
        &["generate", "--spec", "api.yaml", "--out", "out"],
    );
    assert_eq!(common::stderr(&quiet), "");
}

/// A spec of `n` trivial operations.
fn large_spec(n: usize) -> String {
    let mut text = MINIMAL_SPEC.to_string();
    for i in 0..n {
        text.push_str(&format!(
            "  /items{i}:\n    get:\n      operationId: getItem{i}\n      security: [{{ key: [] }}]\n      responses: {{ \"200\": {{ description: OK. }} }}\n"
        ));
    }
    text
}

/// `tiergen ARGS` on a pseudo-terminal (util-linux `script`), with `env`.
fn on_a_terminal(dir: &std::path::Path, env: &[(&str, &str)], args: &str) -> Option<String> {
    let output = Command::new("script")
        .args([
            "-qec",
            &format!("{} {args}", env!("CARGO_BIN_EXE_tiergen")),
            "/dev/null",
        ])
        .current_dir(dir)
        .env_remove("CI")
        .envs(env.iter().copied())
        .output()
        .ok()?;
    Some(String::from_utf8_lossy(&output.stdout).into_owned())
}

#[test]
fn progress_shows_on_a_terminal_for_a_large_spec_only_and_never_in_ci() {
    let dir = common::temp_tree(&[("big.yaml", &large_spec(600)), ("small.yaml", MINIMAL_SPEC)]);
    let Some(big) = on_a_terminal(dir.path(), &[], "generate --spec big.yaml --out out") else {
        eprintln!("skipped: util-linux `script` is not installed");
        return;
    };
    assert!(
        big.contains("emitting rust"),
        "no progress on a terminal:\n{big}"
    );
    assert!(big.contains("tiergen generate:"), "{big}");
    let small = on_a_terminal(dir.path(), &[], "generate --spec small.yaml --out small")
        .unwrap_or_default();
    assert!(!small.contains("emitting"), "{small}");
    let ci = on_a_terminal(
        dir.path(),
        &[("CI", "true")],
        "generate --spec big.yaml --out ci",
    )
    .unwrap_or_default();
    assert!(!ci.contains("emitting"), "progress in CI:\n{ci}");
    assert!(ci.contains("tiergen generate:"), "{ci}");
}
