//! Every kind of change `tiergen diff` knows has a fixture pair under
//! `tests/fixtures/diff/kinds/<id>/` that reports that kind, in its class,
//! and nothing else; the pairs under `clean/` change nothing a caller
//! depends on, and are reported as nothing breaking.

use crate::common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use serde_json::Value;

/// The day the fixtures' sunset dates are read against.
const TODAY: &str = "2026-09-01";

/// `(id, class)` of every change `diff` reports for the pair in `dir`,
/// sorted (a change reported twice shows twice).
fn reported(dir: &Path) -> Vec<(String, String)> {
    let (old, new) = (dir.join("old.yaml"), dir.join("new.yaml"));
    let output = common::tiergen(&[
        "diff",
        &old.to_string_lossy(),
        &new.to_string_lossy(),
        "--today",
        TODAY,
        "--format",
        "json",
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}: {}",
        dir.display(),
        common::stderr(&output)
    );
    let report: Value = serde_json::from_str(&common::stdout(&output))
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let mut changes: Vec<(String, String)> = common::diff_changes(&report, ["id", "class"])
        .into_iter()
        .map(|[id, class]| (id, class))
        .collect();
    changes.sort();
    changes
}

fn fixtures(folder: &str) -> Vec<String> {
    let dir = common::repo_root().join("tests/fixtures/diff").join(folder);
    let mut names: Vec<String> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn each_kind_has_a_fixture_pair_that_reports_it_alone() {
    let root = common::repo_root().join("tests/fixtures/diff/kinds");
    let mut wrong = Vec::new();
    for kind in tiergen::diff::kinds() {
        let dir = root.join(kind.id);
        assert!(dir.is_dir(), "no fixture pair for `{}`", kind.id);
        let found = reported(&dir);
        let mut expected = vec![(kind.id.to_string(), kind.class.to_string())];
        // A credential outside its services is only found when it is newly accepted.
        if kind.id == "credential-outside-service" {
            expected.push(("credential-alternative-added".into(), "security".into()));
        }
        expected.sort();
        if found != expected {
            wrong.push(format!("{}: {found:?}", kind.id));
        }
    }
    assert!(
        wrong.is_empty(),
        "pairs that report otherwise:\n{}",
        wrong.join("\n")
    );
    let known: BTreeSet<&str> = tiergen::diff::kinds().iter().map(|k| k.id).collect();
    for name in fixtures("kinds") {
        assert!(known.contains(name.as_str()), "kinds/{name} names no kind");
    }
}

#[test]
fn clean_pairs_break_nobody() {
    let root = common::repo_root().join("tests/fixtures/diff/clean");
    let names = fixtures("clean");
    assert!(names.len() >= 14, "{names:?}");
    for name in names {
        let found = reported(&root.join(&name));
        let harmful: Vec<_> = found
            .iter()
            .filter(|(_, class)| class != "non-breaking")
            .collect();
        assert!(harmful.is_empty(), "clean/{name} reports {harmful:?}");
    }
}

/// Pairs whose `expect.txt` lists what the diff must report (`id class` a
/// line; empty: nothing), under `folder`.
fn expected_pairs(folder: &str) {
    let root = common::repo_root().join("tests/fixtures/diff").join(folder);
    let mut wrong = Vec::new();
    for name in fixtures(folder) {
        let dir = root.join(&name);
        let mut expected: Vec<(String, String)> = fs::read_to_string(dir.join("expect.txt"))
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .lines()
            .map(|l| match l.split_once(' ') {
                Some((id, class)) => (id.to_string(), class.to_string()),
                None => panic!("{folder}/{name}/expect.txt: `{l}` is not `id class`"),
            })
            .collect();
        expected.sort();
        let found = reported(&dir);
        if found != expected {
            wrong.push(format!("{folder}/{name}: {found:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Changes found diffing consecutive `@octokit/openapi` releases, cut down to
/// a few lines each and checked by hand.
#[test]
fn changes_from_githubs_history_are_classed_as_checked_by_hand() {
    expected_pairs("github");
}

/// Constraint changes each direction reads its own way.
#[test]
fn constraint_cases_are_classed_by_direction() {
    expected_pairs("cases");
}
