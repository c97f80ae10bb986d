//! JUnit XML, the test report every CI system without SARIF support reads
//! (GitLab, Jenkins, Azure Pipelines, CircleCI …). One test suite per rule;
//! each finding is a test case, failed when it is an error; a rule that
//! found nothing is one passing case, so the report shows what was checked.
//! Written with quick-junit (nextest's writer), which gets the XML right.

use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};

use super::{Finding, Report, Rule, Severity};

pub fn junit(report: &Report) -> String {
    let mut junit = quick_junit::Report::new(format!("tiergen {}", report.command));
    for rule in &report.rules {
        junit.add_test_suite(suite(report, rule));
    }
    // A finding of a rule the report did not list still shows.
    let unlisted: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| report.rules.iter().all(|r| r.id != f.rule))
        .collect();
    if !unlisted.is_empty() {
        let mut suite = TestSuite::new(format!("tiergen {}", report.command));
        suite.add_test_cases(unlisted.into_iter().map(case));
        junit.add_test_suite(suite);
    }
    // The writer fails only on an I/O error, which a String cannot give.
    junit.to_string().unwrap_or_default()
}

fn suite(report: &Report, rule: &Rule) -> TestSuite {
    let mut suite = TestSuite::new(rule.id);
    let cases: Vec<TestCase> = report
        .findings
        .iter()
        .filter(|f| f.rule == rule.id)
        .map(case)
        .collect();
    if cases.is_empty() {
        let mut passed = TestCase::new(rule.summary.as_str(), TestCaseStatus::success());
        passed.set_classname(rule.id);
        suite.add_test_case(passed);
    } else {
        suite.add_test_cases(cases);
    }
    suite
}

fn case(finding: &Finding) -> TestCase {
    let status = match finding.severity {
        Severity::Error => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status.set_message(finding.message.as_str());
            status.set_type(finding.rule);
            status.set_description(where_and_what(finding));
            status
        }
        Severity::Warning | Severity::Note => TestCaseStatus::success(),
    };
    let mut case = TestCase::new(finding.title(), status);
    case.set_classname(finding.rule);
    if finding.severity != Severity::Error {
        case.set_system_out(where_and_what(finding));
    }
    case
}

/// `file:line:column: message`, as compilers print it.
fn where_and_what(finding: &Finding) -> String {
    match &finding.place {
        Some(place) => match place.position {
            Some(p) => format!(
                "{}:{}:{}: {}",
                place.file, p.line, p.column, finding.message
            ),
            None => format!("{}: {}", place.file, finding.message),
        },
        None => finding.message.clone(),
    }
}
