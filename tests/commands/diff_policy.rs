//! `tiergen diff` and the life of an API: deprecation and sunset dates, the
//! version gate, stability levels, the change policy file, one report per
//! changed schema, and a markdown report that fits a pull-request comment.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// A spec of `version` with `paths` (YAML, indented under `paths:`) and
/// a `Book` schema with `fields` (YAML under `properties:`).
fn spec(version: &str, paths: &str, fields: &str) -> String {
    format!(
        "openapi: 3.1.0\ninfo: {{ title: Books, version: \"{version}\" }}\n\
         servers: [{{ url: https://api.example.com }}]\n\
         components:\n  schemas:\n    Book:\n      type: object\n      properties:\n{fields}\n\
         paths:\n{paths}"
    )
}

const FIELDS: &str = "        id: { type: string }\n        title: { type: string }";

fn get(path: &str, id: &str, extra: &str) -> String {
    format!(
        "  {path}:\n    get:\n      operationId: {id}\n{extra}      responses:\n        \"200\":\n          description: ok\n          content:\n            application/json:\n              schema: {{ $ref: \"#/components/schemas/Book\" }}\n"
    )
}

struct Pair {
    dir: tempfile::TempDir,
}

impl Pair {
    fn new(old: &str, new: &str) -> Pair {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        fs::write(dir.path().join("old.yaml"), old).unwrap_or_else(|e| panic!("{e}"));
        fs::write(dir.path().join("new.yaml"), new).unwrap_or_else(|e| panic!("{e}"));
        Pair { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, text: &str) {
        fs::write(self.path(name), text).unwrap_or_else(|e| panic!("{e}"));
    }

    /// `tiergen diff old new ARGS --format json`: the exit code and report.
    fn json(&self, args: &[&str]) -> (Option<i32>, Value) {
        let (code, out) = self.run(&[args, &["--format", "json"]].concat());
        let report = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
        (code, report)
    }

    fn run(&self, args: &[&str]) -> (Option<i32>, String) {
        let (old, new) = (self.path("old.yaml"), self.path("new.yaml"));
        let mut all = vec![
            "diff",
            old.to_str().unwrap_or(""),
            new.to_str().unwrap_or(""),
        ];
        all.extend_from_slice(args);
        let output = common::tiergen(&all);
        let err = common::stderr(&output);
        (output.status.code(), common::stdout(&output) + &err)
    }
}

fn ids(report: &Value) -> Vec<(String, String)> {
    common::diff_changes(report, ["id", "class"])
        .into_iter()
        .map(|[id, class]| (id, class))
        .collect()
}

fn pair(s: &str) -> (String, String) {
    let (id, class) = s.split_once(' ').unwrap_or((s, ""));
    (id.to_string(), class.to_string())
}

fn removal_of(lifecycle: &str) -> Pair {
    let old = spec(
        "1.0.0",
        &(get("/books", "listBooks", "") + &get("/old", "oldBooks", lifecycle)),
        FIELDS,
    );
    let new = spec("1.0.0", &get("/books", "listBooks", ""), FIELDS);
    Pair::new(&old, &new)
}

#[test]
fn a_removal_after_the_sunset_is_planned_before_it_breaks_and_undeprecated_is_an_accident() {
    let sunset = "      deprecated: true\n      x-sunset: \"2026-06-01\"\n";
    let pair_ = removal_of(sunset);
    let (code, report) = pair_.json(&["--fail-on", "breaking", "--today", "2026-09-01"]);
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(ids(&report), [pair("operation-sunset non-breaking")]);
    let (code, report) = pair_.json(&["--fail-on", "breaking", "--today", "2026-05-31"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        ids(&report),
        [pair("operation-removed-before-sunset breaking")]
    );
    assert!(
        report["changes"][0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("before its sunset date 2026-06-01")
    );
    // TIERGEN_TODAY stands in for --today.
    let (old, new) = (pair_.path("old.yaml"), pair_.path("new.yaml"));
    let output = common::tiergen_env(
        &[
            "diff",
            &old.to_string_lossy(),
            &new.to_string_lossy(),
            "--fail-on",
            "breaking",
        ],
        &[("TIERGEN_TODAY", "2026-09-01")],
    );
    assert_eq!(output.status.code(), Some(0), "{}", common::stdout(&output));
    let (code, report) = removal_of("").json(&["--today", "2026-09-01"]);
    assert_eq!(code, Some(0));
    assert_eq!(ids(&report), [pair("operation-removed breaking")]);
    let (code, out) = pair_.run(&["--today", "next week"]);
    assert_eq!(code, Some(2), "{out}");
    assert!(out.contains("--today: must be a date"), "{out}");
}

#[test]
fn deprecating_is_reported_and_an_earlier_sunset_breaks() {
    let old = spec(
        "1.0.0",
        &get(
            "/books",
            "listBooks",
            "      deprecated: true\n      x-sunset: \"2027-06-01\"\n",
        ),
        FIELDS,
    );
    let new = spec(
        "1.0.0",
        &get(
            "/books",
            "listBooks",
            "      deprecated: true\n      x-sunset: \"2027-01-01\"\n",
        ),
        FIELDS,
    );
    let (_, report) = Pair::new(&old, &new).json(&[]);
    assert_eq!(ids(&report), [pair("sunset-moved-earlier breaking")]);
    let plain = spec("1.0.0", &get("/books", "listBooks", ""), FIELDS);
    let (_, report) = Pair::new(&plain, &new).json(&[]);
    assert_eq!(ids(&report), [pair("operation-deprecated non-breaking")]);
    assert!(
        report["changes"][0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("to be removed from 2027-01-01")
    );
}

#[test]
fn a_breaking_change_needs_a_major_version_step_when_asked() {
    let change = |from: &str, to: &str| {
        let old = spec(
            from,
            &(get("/books", "listBooks", "") + &get("/x", "x", "")),
            FIELDS,
        );
        let new = spec(to, &get("/books", "listBooks", ""), FIELDS);
        Pair::new(&old, &new).run(&["--fail-on", "breaking-without-major"])
    };
    let (code, out) = change("1.2.0", "1.3.0");
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("fails: breaking changes without a major version step (info.version 1.2.0 → 1.3.0: not a major step)"), "{out}");
    assert_eq!(change("1.2.0", "2.0.0").0, Some(0));
    assert_eq!(
        change("v0.3", "v0.4").0,
        Some(0),
        "0.y: the minor is the major"
    );
    let (code, out) = change("2026-01", "2026-02");
    assert_eq!(code, Some(1));
    assert!(out.contains("not semantic versions"), "{out}");
    // No breaking change: no version step needed.
    let same = spec("1.2.0", &get("/books", "listBooks", ""), FIELDS);
    let added = spec(
        "1.2.1",
        &(get("/books", "listBooks", "") + &get("/y", "y", "")),
        FIELDS,
    );
    let (code, out) = Pair::new(&same, &added).run(&["--fail-on", "breaking-without-major"]);
    assert_eq!(code, Some(0), "{out}");
}

#[test]
fn an_alpha_operation_may_change_and_a_level_may_only_go_up() {
    let alpha = "      x-stability-level: alpha\n";
    let old = spec("1.0.0", &get("/books", "listBooks", alpha), FIELDS);
    let new = spec(
        "1.0.0",
        &get("/books", "listBooks", alpha),
        "        id: { type: integer }",
    );
    let (code, report) = Pair::new(&old, &new).json(&["--fail-on", "breaking"]);
    assert_eq!(code, Some(0), "{report}");
    let changes = ids(&report);
    assert!(
        changes.contains(&pair("type-changed non-breaking")),
        "{report}"
    );
    assert!(
        changes.contains(&pair("response-field-removed non-breaking")),
        "{report}"
    );
    let message = report["changes"][0]["message"].as_str().unwrap_or("");
    assert!(
        message.ends_with("(the operation is alpha: no compatibility promised)"),
        "{message}"
    );
    let stable = spec(
        "1.0.0",
        &get("/books", "listBooks", "      x-stability-level: stable\n"),
        FIELDS,
    );
    let beta = spec(
        "1.0.0",
        &get("/books", "listBooks", "      x-stability-level: beta\n"),
        FIELDS,
    );
    let (code, report) = Pair::new(&stable, &beta).json(&["--fail-on", "breaking"]);
    assert_eq!(code, Some(1));
    assert_eq!(ids(&report), [pair("stability-decreased breaking")]);
    let (code, report) = Pair::new(&beta, &stable).json(&["--fail-on", "breaking"]);
    assert_eq!((code, ids(&report)), (Some(0), vec![]));
    let wrong = spec(
        "1.0.0",
        &get("/books", "listBooks", "      x-stability-level: gamma\n"),
        FIELDS,
    );
    let (code, out) = Pair::new(&stable, &wrong).run(&[]);
    assert_eq!(code, Some(2), "{out}");
    assert!(
        out.contains("new.yaml:")
            && out.contains("`x-stability-level` is one of draft, alpha, beta, stable"),
        "{out}"
    );
}

#[test]
fn the_policy_lets_a_change_through_with_its_reason_until_it_expires() {
    let pair_ = removal_of("");
    let policy = "accept:\n  - change: operation-removed\n    operation: oldBooks\n    reason: nobody called it in 90 days\n    expires: 2026-12-31\n";
    pair_.write("new.diff.yaml", policy);
    let (code, report) = pair_.json(&["--fail-on", "breaking", "--today", "2026-12-31"]);
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(ids(&report), vec![]);
    assert_eq!(report["accepted"][0]["id"], "operation-removed");
    assert_eq!(
        report["accepted"][0]["reason"],
        "nobody called it in 90 days"
    );
    let (code, out) = pair_.run(&["--fail-on", "breaking", "--today", "2027-01-01"]);
    assert_eq!(code, Some(1), "an expired acceptance fails\n{out}");
    assert!(
        out.contains("new.diff.yaml:2:5: error: the acceptance of `operation-removed` on `oldBooks` expired on 2026-12-31"),
        "{out}"
    );
    // Even without --fail-on.
    assert_eq!(pair_.run(&["--today", "2027-01-01"]).0, Some(1));
}

#[test]
fn a_stale_acceptance_warns_and_a_kind_can_change_class() {
    let pair_ = removal_of("");
    let elsewhere = pair_.path("policy.yaml");
    fs::write(
        &elsewhere,
        "accept:\n  - { change: parameter-removed, operation: listBooks, reason: gone }\nclasses:\n  operation-removed: effects\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let policy = elsewhere.to_string_lossy().to_string();
    let (code, out) = pair_.run(&["--policy", &policy, "--fail-on", "breaking"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("effects (1)\n  oldBooks: [operation-removed]"),
        "{out}"
    );
    assert!(
        out.contains(&format!("{policy}:2:7: warning: the acceptance of `parameter-removed` on `listBooks` matches nothing")),
        "{out}"
    );
    fs::write(&elsewhere, "classes:\n  operation-removd: off\n").unwrap_or_else(|e| panic!("{e}"));
    let (code, out) = pair_.run(&["--policy", &policy]);
    assert_eq!(code, Some(2), "{out}");
    assert!(
        out.contains(&format!(
            "{policy}:2:3: unknown kind of change `operation-removd`"
        )),
        "{out}"
    );
    assert!(out.contains("did you mean `operation-removed`?"), "{out}");
}

#[test]
fn a_schema_change_is_reported_once_at_its_field_with_every_operation_it_reaches() {
    let paths = get("/a", "a", "") + &get("/b", "b", "") + &get("/c", "c", "");
    let old = spec("1.0.0", &paths, FIELDS);
    let new = spec(
        "1.0.0",
        &paths,
        "        id: { type: integer }\n        title: { type: string }",
    );
    let pair_ = Pair::new(&old, &new);
    let (_, report) = pair_.json(&[]);
    let changes = report["changes"].as_array().cloned().unwrap_or_default();
    assert_eq!(changes.len(), 1, "{report}");
    let change = &changes[0];
    assert_eq!(change["schema"], "Book");
    assert_eq!(change["reaches"], serde_json::json!(["a", "b", "c"]));
    assert_eq!(change["pointer"], "/components/schemas/Book/properties/id");
    let at = change["at"].as_str().unwrap_or("");
    assert!(
        at.ends_with("new.yaml:9:9"),
        "the line of `id:` itself: {at}"
    );
    assert_eq!(
        change["message"],
        "schema `Book` field `id` changed from string to integer"
    );
}

#[test]
fn the_markdown_report_fits_a_comment_and_says_what_it_left_out() {
    // Three hundred operations removed: far more rows than a small limit holds.
    let many: String = (0..300)
        .map(|i| get(&format!("/r{i}"), &format!("removed{i}"), ""))
        .collect();
    let old = spec("1.0.0", &(get("/books", "listBooks", "") + &many), FIELDS);
    let new = spec("1.0.0", &get("/books", "listBooks", ""), FIELDS);
    let (_, md) = Pair::new(&old, &new).run(&["--format", "markdown", "--fail-on", "breaking"]);
    assert!(md.len() <= 65_536, "{}", md.len());
    assert!(md.starts_with("### tiergen diff: 300 breaking, 0 security, 0 effects, 0 non-breaking\n\n**Fails:**\n- 300 change(s) of a class --fail-on names\n"), "{md}");
    assert!(
        md.contains("<details open>\n<summary>Breaking (300)</summary>"),
        "{md}"
    );
    assert!(!md.contains("not shown"), "300 rows fit in 64 KiB");
    // The cut-off, through the library with a small limit.
    let side = |name: &str| tiergen::diff::load(&Path::new(&name).to_string_lossy(), None);
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (o, n) = (dir.path().join("o.yaml"), dir.path().join("n.yaml"));
    fs::write(&o, &old).unwrap_or_else(|e| panic!("{e}"));
    fs::write(&n, &new).unwrap_or_else(|e| panic!("{e}"));
    let (before, after) = match (side(&o.to_string_lossy()), side(&n.to_string_lossy())) {
        (Ok(b), Ok(a)) => (b, a),
        _ => panic!("the pair loads"),
    };
    let today = tiergen::ir::Date::today();
    let changes = tiergen::diff::diff(&before.api, &after.api, &tiergen::diff::Options { today });
    let policy = tiergen::diff::policy::Policy::default();
    let outcome = tiergen::diff::Outcome {
        applied: policy.apply(changes, today),
        version: tiergen::diff::VersionStep::new("1", "1"),
        fail_on: Vec::new(),
    };
    let place = |c: &tiergen::diff::Change| before.locate(&c.pointer);
    let view = tiergen::diff::View {
        outcome: &outcome,
        place: &place,
        version_place: after.locate("/info/version"),
        policy: None,
    };
    let small = tiergen::diff::markdown(&view, 4_000);
    assert!(small.len() <= 4_000, "{}", small.len());
    let shown = small.matches("| `removed").count();
    assert!(shown > 5 && shown < 300, "{shown}");
    assert!(
        small.contains(&format!(
            "…and {} more change(s) not shown to fit a comment",
            300 - shown
        )),
        "{small}"
    );
    assert!(small.contains("</details>"), "the fold is closed: {small}");
}
