//! `check`, `lint` and `diff` in the CI formats, run as real processes: each
//! finding is one GitHub workflow command at the line the text report names,
//! SARIF results point at the same lines, and JUnit fails exactly the error
//! findings. (`tests/ci/formats.py` reads the same output with the official
//! SARIF schema, Microsoft's SARIF tools, a JUnit parser and `@actions/core`.)

use crate::common;

use std::fs;

use serde_json::Value;

fn run(args: &[&str]) -> (Option<i32>, String) {
    let output = common::tiergen(args);
    (output.status.code(), common::stdout(&output))
}

const LINTED: &str = "tests/fixtures/lint/unauthenticated-mutation.yaml";

#[test]
fn lint_findings_become_annotations_at_their_spec_line() {
    let (code, text) = run(&["lint", "--spec", LINTED]);
    assert_eq!(code, Some(1));
    let (github_code, github) = run(&["lint", "--spec", LINTED, "--format", "github"]);
    assert_eq!(
        github_code,
        Some(1),
        "the format does not change the verdict"
    );
    let line = github
        .lines()
        .find(|l| l.starts_with("::error "))
        .unwrap_or_else(|| panic!("{github}"));
    assert!(
        line.starts_with(&format!(
            "::error title=unauthenticated-mutation%3A createThing,file={LINTED},line=6,col=5::"
        )),
        "{line}"
    );
    assert!(text.starts_with(&format!("{LINTED}:6:5: error[unauthenticated-mutation]")));
    // A message's newline is escaped: one finding stays one line.
    assert_eq!(github.lines().filter(|l| l.starts_with("::")).count(), 1);
}

#[test]
fn lint_sarif_lists_the_rules_and_places_each_result() {
    let (_, sarif) = run(&["lint", "--spec", LINTED, "--format", "sarif"]);
    let log: Value = serde_json::from_str(&sarif).unwrap_or_else(|e| panic!("{e}: {sarif}"));
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "tiergen");
    assert_eq!(run["automationDetails"]["id"], "tiergen/lint/");
    let rules = run["tool"]["driver"]["rules"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(rules.len() > 3, "every rule that ran is listed");
    let results = run["results"].as_array().cloned().unwrap_or_default();
    assert_eq!(results.len(), 1);
    let result = &results[0];
    assert_eq!(result["ruleId"], "unauthenticated-mutation");
    assert_eq!(result["level"], "error");
    let index = result["ruleIndex"].as_u64().unwrap_or(u64::MAX) as usize;
    assert_eq!(rules[index]["id"], "unauthenticated-mutation");
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], LINTED);
    assert_eq!(location["region"]["startLine"], 6);
    assert_eq!(location["region"]["startColumn"], 5);
}

#[test]
fn lint_junit_fails_the_error_findings_and_passes_the_clean_rules() {
    let (_, xml) = run(&["lint", "--spec", LINTED, "--format", "junit"]);
    assert!(xml.starts_with("<?xml"), "{xml}");
    assert_eq!(xml.matches("<failure ").count(), 1, "{xml}");
    assert!(xml.contains("<testsuite name=\"unauthenticated-mutation\""));
    assert!(xml.contains(&format!("{LINTED}:6:5: createThing POST /things")));
}

#[test]
fn check_annotates_the_first_changed_line_of_a_stale_artifact() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("golden");
    let out_text = out.to_string_lossy().to_string();
    let generate = common::tiergen(&["generate", "--out", &out_text]);
    assert!(generate.status.success(), "{}", common::stderr(&generate));
    let page = out.join("docs/cp-admin.md");
    let text = fs::read_to_string(&page).unwrap_or_else(|e| panic!("{e}"));
    let lines: Vec<&str> = text.lines().collect();
    let mut edited: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    edited[9] = "an edit by hand".to_string();
    fs::write(&page, edited.join("\n") + "\n").unwrap_or_else(|e| panic!("{e}"));
    let (code, github) = run(&["check", "--out", &out_text, "--format", "github"]);
    assert_eq!(code, Some(1), "{github}");
    let file = page.display().to_string();
    assert!(
        github.starts_with(&format!(
            "::error title=artifact-stale%3A docs/cp-admin.md,file={},line=10,col=1::",
            file.replace(':', "%3A").replace(',', "%2C")
        )),
        "{github}"
    );
    assert!(github.contains("run `tiergen generate"), "{github}");
    let (_, junit) = run(&["check", "--out", &out_text, "--format", "junit"]);
    assert_eq!(junit.matches("<failure ").count(), 1, "{junit}");
}

const OLD: &str = "tests/fixtures/diff/old.yaml";
const NEW: &str = "tests/fixtures/diff/new.yaml";

#[test]
fn diff_annotations_are_errors_only_for_the_failing_classes() {
    let (code, github) = run(&[
        "diff",
        OLD,
        NEW,
        "--format",
        "github",
        "--fail-on",
        "security",
    ]);
    assert_eq!(code, Some(1));
    let count = |prefix: &str| github.lines().filter(|l| l.starts_with(prefix)).count();
    assert_eq!(count("::error "), 8, "the 8 security changes\n{github}");
    assert_eq!(
        count("::warning "),
        22 + 2,
        "breaking and effects\n{github}"
    );
    assert_eq!(count("::notice "), 6, "non-breaking\n{github}");
    // A change to a field is at the field's line, not the operation's.
    assert!(
        github.contains("title=sensitive-mark-lost%3A shapesOp,file=tests/fixtures/diff/new.yaml,line=21,col=9::"),
        "{github}"
    );
    let (_, sarif) = run(&["diff", OLD, NEW, "--format", "sarif"]);
    let log: Value = serde_json::from_str(&sarif).unwrap_or_else(|e| panic!("{e}"));
    let results = log["runs"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(results.len(), 38);
    assert!(
        results.iter().all(|r| r["level"] != "error"),
        "no --fail-on: nothing fails"
    );
}
