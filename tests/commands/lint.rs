//! Each lint rule fires on its own fixture (and only it), and the management
//! spec is clean.

use crate::common;

use serde_json::Value;

fn lint_json(spec: &std::path::Path) -> (Option<i32>, Value) {
    let spec = spec.to_string_lossy().into_owned();
    let output = common::tiergen(&["lint", "--spec", &spec, "--format", "json"]);
    let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "lint --format json is not JSON ({e}): {}",
            common::stderr(&output)
        )
    });
    (output.status.code(), report)
}

fn rule_ids(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["rule"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn every_rule_has_a_fixture_that_fires_it_alone() {
    for rule in tiergen::lint::rules() {
        let fixture = common::fixture(&format!("lint/{}.yaml", rule.id));
        assert!(fixture.is_file(), "rule {} has no fixture", rule.id);
        let (code, report) = lint_json(&fixture);
        assert_eq!(
            rule_ids(&report),
            [rule.id],
            "fixture of {}: {report:#}",
            rule.id
        );
        let finding = &report["findings"][0];
        assert!(
            finding["pointer"]
                .as_str()
                .is_some_and(|p| p.starts_with('/')),
            "{finding}"
        );
        let expected_code = match rule.level {
            tiergen::lint::Level::Error => 1,
            tiergen::lint::Level::Warning => 0,
        };
        assert_eq!(code, Some(expected_code), "exit code for {}", rule.id);
        assert_eq!(
            finding["level"],
            serde_json::to_value(rule.level).unwrap_or_default()
        );
    }
}

#[test]
fn management_spec_is_clean() {
    let (code, report) = lint_json(&common::repo_root().join("spec/management.yaml"));
    assert_eq!(code, Some(0));
    assert_eq!(rule_ids(&report), Vec::<String>::new(), "{report:#}");
    // The deliberate exceptions are acknowledged, each with a reason.
    let acknowledged = report["acknowledged"].as_array().map_or(0, Vec::len);
    assert_eq!(acknowledged, 5);
}

#[test]
fn the_spec_without_its_overlay_is_caught_by_the_prose_rule() {
    let spec = common::repo_root().join("spec/management.yaml");
    let output = common::tiergen(&["lint", "--spec", &spec.to_string_lossy(), "--no-overlay"]);
    assert_eq!(output.status.code(), Some(1));
    let text = common::stdout(&output);
    for expected in [
        "error[undeclared-prose]: adminDeleteTenant: the description says \"Confirm guard\"",
        "error[undeclared-prose]: adminCreateOrg: the description says \"Dry-run guard\"",
        "error[undeclared-prose]: adminUpdateWorkspaceEnv: the description says \"Force guard\"",
        "error[undeclared-prose]: provisionWorkspace: the description says \"422 RUNTIME_PIN_MISSING\"",
        "error[undeclared-prose]: tenantCreateOrgToken: the description says \"shown once\"",
        "error[undeclared-prose]: deleteOrg: the description says \"Irreversible\"",
        "parameter `prune` is described as permanent",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
}

/// `tiergen lint` on `tests/fixtures/lint/config/noisy.yaml` with `args`:
/// the exit code, the JSON report and stderr.
fn noisy(args: &[&str]) -> (Option<i32>, Value, String) {
    let spec = common::fixture("lint/config/noisy.yaml");
    let spec = spec.to_string_lossy().into_owned();
    let mut all = vec!["lint", "--spec", &spec, "--format", "json"];
    all.extend_from_slice(args);
    let output = common::tiergen(&all);
    let report = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    (output.status.code(), report, common::stderr(&output))
}

/// Each finding as `level[rule]`, in report order.
fn levels(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            format!(
                "{}[{}]",
                f["level"].as_str().unwrap_or("?"),
                f["rule"].as_str().unwrap_or("?")
            )
        })
        .collect()
}

fn config(name: &str) -> String {
    common::fixture(&format!("lint/config/{name}"))
        .to_string_lossy()
        .into_owned()
}

#[test]
fn the_lint_config_beside_the_spec_sets_levels_and_off_rules_do_not_run() {
    // Without it: tiergen's own levels, and the open POST fails the run.
    let (code, report, _) = noisy(&["--no-lint-config"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        levels(&report),
        [
            "error[unauthenticated-mutation]",
            "warning[destructive-without-guard]",
            "warning[unused-security-scheme]",
            "warning[unused-lint-allow]"
        ]
    );
    // noisy.lint.yaml: unauthenticated-mutation is a warning, and
    // unused-security-scheme is off; nothing is left at error level.
    let (code, report, stderr) = noisy(&[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        levels(&report),
        [
            "warning[unauthenticated-mutation]",
            "warning[destructive-without-guard]",
            "warning[unused-lint-allow]"
        ]
    );
    let off: Vec<&Value> = report["rules"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["level"] == "off")
        .map(|r| &r["id"])
        .collect();
    assert_eq!(off, ["unused-security-scheme"]);
}

#[test]
fn the_command_line_overrides_the_lint_config() {
    let (code, report, _) = noisy(&[
        "--rule",
        "unauthenticated-mutation=error",
        "--rule",
        "unused-security-scheme=warning",
        "--rule",
        "destructive-without-guard=off",
    ]);
    assert_eq!(code, Some(1));
    assert_eq!(
        levels(&report),
        [
            "error[unauthenticated-mutation]",
            "warning[unused-security-scheme]",
            "warning[unused-lint-allow]"
        ]
    );
    // The last of two settings of one rule wins.
    let (code, report, _) = noisy(&[
        "--rule",
        "destructive-without-guard=error",
        "--rule",
        "destructive-without-guard=warning",
    ]);
    assert_eq!(code, Some(0));
    assert!(levels(&report).contains(&"warning[destructive-without-guard]".to_string()));
}

#[test]
fn lint_config_names_another_file_instead_of_the_one_beside_the_spec() {
    let (code, report, _) = noisy(&["--lint-config", &config("strict.lint.yaml")]);
    assert_eq!(code, Some(1));
    // strict.lint.yaml alone: noisy.lint.yaml's `unused-security-scheme: off` is not read.
    assert_eq!(
        levels(&report),
        [
            "error[destructive-without-guard]",
            "warning[unused-security-scheme]",
            "warning[unused-lint-allow]"
        ]
    );
}

#[test]
fn a_rule_that_is_off_leaves_no_stale_acknowledgment_of_it() {
    // listThings acknowledges undeclared-prose, which does not fire there:
    // a warning, unless the rule is off (it could not have fired at all).
    let (_, report, _) = noisy(&["--no-lint-config"]);
    assert!(rule_ids(&report).contains(&"unused-lint-allow".to_string()));
    let (_, report, _) = noisy(&["--no-lint-config", "--rule", "undeclared-prose=off"]);
    assert!(!rule_ids(&report).contains(&"unused-lint-allow".to_string()));
    // And unused-lint-allow itself can be off.
    let (_, report, _) = noisy(&["--rule", "unused-lint-allow=off"]);
    assert!(!rule_ids(&report).contains(&"unused-lint-allow".to_string()));
}

#[test]
fn acknowledged_findings_stay_acknowledged_at_any_level() {
    let spec = common::repo_root().join("spec/management.yaml");
    let spec = spec.to_string_lossy();
    for level in ["warning", "error"] {
        let rules: Vec<String> = tiergen::lint::rules()
            .iter()
            .map(|r| format!("--rule={}={level}", r.id))
            .collect();
        let mut args = vec!["lint", "--spec", &spec, "--format", "json"];
        args.extend(rules.iter().map(String::as_str));
        let output = common::tiergen(&args);
        assert_eq!(output.status.code(), Some(0), "{}", common::stdout(&output));
        let report: Value = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
        assert_eq!(report["acknowledged"].as_array().map_or(0, Vec::len), 5);
    }
}

#[test]
fn a_bad_lint_config_is_exit_2_at_its_line_and_column() {
    for (file, expected, help) in [
        (
            "unknown-rule.lint.yaml",
            "unknown-rule.lint.yaml:3:3: unknown lint rule `destructive-without-gaurd` \
             (at #/rules/destructive-without-gaurd)",
            "did you mean `destructive-without-guard`?",
        ),
        (
            "unknown-level.lint.yaml",
            "unknown-level.lint.yaml:2:3: unknown level `warn` (at #/rules/approximated)",
            "did you mean `warning`?",
        ),
        (
            "unknown-key.lint.yaml",
            "unknown-key.lint.yaml:2:1: unknown key `rule` in the lint config (at #/rule)",
            "did you mean `rules`?",
        ),
        (
            "invalid-yaml.lint.yaml",
            "invalid-yaml.lint.yaml:3:20: invalid YAML",
            "",
        ),
    ] {
        let (code, report, stderr) = noisy(&["--lint-config", &config(file)]);
        assert_eq!(code, Some(2), "{file}: {stderr}");
        assert_eq!(report, Value::Null, "{file}: a report despite the error");
        let first = stderr.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("error: ") && first.contains(expected),
            "{file}: {stderr}"
        );
        assert!(stderr.contains(help), "{file}: {stderr}");
    }
    let (code, _, stderr) = noisy(&["--lint-config", &config("missing.lint.yaml")]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("missing.lint.yaml: cannot read file"),
        "{stderr}"
    );
}

#[test]
fn a_bad_rule_flag_is_a_usage_error_with_the_nearest_rule() {
    for (flag, expected) in [
        (
            "destructive-without-gaurd=off",
            "unknown lint rule `destructive-without-gaurd`; did you mean `destructive-without-guard`?",
        ),
        (
            "approximated=warn",
            "unknown level `warn`; did you mean `warning`?",
        ),
        ("approximated", "expected RULE=LEVEL"),
        (
            "no-such-thing=off",
            "the rules are `credential-outside-service`",
        ),
    ] {
        let (code, _, stderr) = noisy(&["--rule", flag]);
        assert_eq!(code, Some(2), "{flag}");
        assert!(stderr.contains(expected), "{flag}: {stderr}");
    }
}

#[test]
fn every_finding_says_how_to_fix_or_silence_it_in_text_and_json() {
    for rule in tiergen::lint::rules() {
        let fixture = common::fixture(&format!("lint/{}.yaml", rule.id));
        let (_, report) = lint_json(&fixture);
        let finding = &report["findings"][0];
        let help = finding["help"].as_str().unwrap_or_default();
        assert!(help.starts_with(rule.fix), "{}: {help}", rule.id);
        assert!(
            help.contains(&format!("`--rule {}=off`", rule.id)),
            "{}: {help}",
            rule.id
        );
        // An operation's finding can be acknowledged there (but an unused
        // acknowledgment is fixed by removing it, not by another).
        let on_operation = finding["operation"].is_string() && rule.id != "unused-lint-allow";
        assert_eq!(
            help.contains(&format!("x-tiergen-lint-allow: {{{}: <reason>}}", rule.id)),
            on_operation,
            "{}: {help}",
            rule.id
        );
        let output = common::tiergen(&["lint", "--spec", &fixture.to_string_lossy()]);
        let text = common::stdout(&output);
        assert!(
            text.contains(&format!("= help: {help}\n")),
            "{}: {text}",
            rule.id
        );
    }
}

#[test]
fn many_findings_are_counted_per_rule_with_the_way_to_set_levels() {
    let mut spec = String::from(
        "openapi: 3.1.0\ninfo: { title: many, version: \"1\" }\ncomponents:\n  securitySchemes:\n    key: { type: http, scheme: bearer }\npaths:\n",
    );
    for i in 0..11 {
        spec.push_str(&format!(
            "  /t{i}:\n    delete:\n      operationId: delete{i}\n      security: [{{ key: [] }}]\n      responses: {{ \"204\": {{ description: Gone. }} }}\n"
        ));
    }
    spec.push_str("  /open:\n    post:\n      operationId: open\n      security: []\n      responses: { \"201\": { description: Made. } }\n");
    let dir = common::temp_tree(&[("api.yaml", &spec)]);
    let output = common::tiergen_in(dir.path(), &["lint", "--spec", "api.yaml"]);
    assert_eq!(output.status.code(), Some(1));
    let text = common::stdout(&output);
    assert!(
        text.ends_with(
            "lint: by rule: destructive-without-guard 11, unauthenticated-mutation 1; set a \
             rule's level with `--rule RULE=LEVEL` or in api.lint.yaml\n\
             lint: 1 error(s), 11 warning(s), 0 acknowledged; 8 rules checked\n"
        ),
        "{text}"
    );
    let output = common::tiergen_in(
        dir.path(),
        &[
            "lint",
            "--spec",
            "api.yaml",
            "--rule",
            "unauthenticated-mutation=warning",
            "--format",
            "json",
        ],
    );
    assert_eq!(output.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    assert_eq!(
        report["by_rule"],
        serde_json::json!([
            { "rule": "destructive-without-guard", "findings": 11 },
            { "rule": "unauthenticated-mutation", "findings": 1 }
        ])
    );
}

/// A lint config of `text` written to a temporary file, for `--lint-config`.
fn config_file(text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("team.lint.yaml");
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    let path = path.to_string_lossy().into_owned();
    (dir, path)
}

#[test]
fn the_lint_config_accepts_a_finding_with_a_reason_until_it_expires() {
    let (_dir, path) = config_file(
        "accept:\n  - rule: unauthenticated-mutation\n    operation: createThing\n    \
         reason: the gateway authenticates it\n    expires: 2027-01-31\n  \
         - { rule: approximated, operation: listThings, reason: no longer fires }\n",
    );
    let (code, report, stderr) = noisy(&["--lint-config", &path, "--today", "2027-01-31"]);
    assert_eq!(
        code,
        Some(0),
        "accepted, so nothing at error level: {stderr}"
    );
    let acknowledged: Vec<&Value> = report["acknowledged"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|a| a["rule"] == "unauthenticated-mutation")
        .collect();
    assert_eq!(acknowledged.len(), 1, "{report}");
    assert_eq!(acknowledged[0]["reason"], "the gateway authenticates it");
    assert_eq!(report["stale"][0]["rule"], "approximated", "{report}");
    // The day after: the acceptance fails the run, at its line in the config.
    let spec = common::fixture("lint/config/noisy.yaml");
    let spec = spec.to_string_lossy();
    let day_after = [
        "lint",
        "--spec",
        &spec,
        "--lint-config",
        &path,
        "--today",
        "2027-02-01",
    ];
    let output = common::tiergen(&day_after);
    assert_eq!(output.status.code(), Some(1));
    let text = common::stdout(&output);
    assert!(
        text.contains(&format!(
            "{path}:2:5: error: the acceptance of `unauthenticated-mutation` on `createThing` expired on 2027-01-31"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{path}:6:7: warning: the acceptance of `approximated` on `listThings` matches nothing"
        )),
        "{text}"
    );
    // And as an annotation at that line.
    let output = common::tiergen(&[&day_after[..], &["--format", "github"]].concat());
    let github = common::stdout(&output);
    let file = path.replace(':', "%3A").replace(',', "%2C");
    assert!(
        github.contains(&format!(
            "::error title=acceptance-expired%3A unauthenticated-mutation on createThing,file={file},line=2,col=5::"
        )),
        "{github}"
    );
}

#[test]
fn a_bad_acceptance_is_exit_2_at_its_line() {
    for (text, expected) in [
        (
            "accept:\n  - { rule: unauthenticated-mutaton, reason: r }\n",
            ":2:7: unknown lint rule `unauthenticated-mutaton`",
        ),
        (
            "accept:\n  - { rule: approximated, reason: '' }\n",
            "an acceptance needs a reason",
        ),
        (
            "accept:\n  - { rule: approximated, reason: r, until: 2027-01-01 }\n",
            "unknown field `until`",
        ),
    ] {
        let (_dir, path) = config_file(text);
        let (code, _, stderr) = noisy(&["--lint-config", &path]);
        assert_eq!(code, Some(2), "{text}: {stderr}");
        assert!(stderr.contains(expected), "{text}: {stderr}");
    }
}
