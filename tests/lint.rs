//! Each lint rule fires on its own fixture (and only it), and the management
//! spec is clean.

mod common;

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
