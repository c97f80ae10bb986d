//! SARIF 2.1.0, the log format of code scanning (GitHub's, and every
//! other static-analysis dashboard). Only the part of the object model a
//! report needs is modelled; the output is checked against the SARIF
//! 2.1.0 JSON schema (rtm.5, as Microsoft ships it) by the CI formats test.

use serde::Serialize;

use super::{Finding, Report, Severity, VERSION};

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    /// Tells runs of `lint` and `diff` on the same commit apart, so code
    /// scanning does not let one close the other's alerts.
    automation_details: AutomationDetails,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    semantic_version: &'static str,
    rules: Vec<Descriptor<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor<'a> {
    id: &'static str,
    short_description: Text<'a>,
    help: Text<'a>,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct AutomationDetails {
    id: String,
}

#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
}

pub fn sarif(report: &Report) -> String {
    let rules: Vec<Descriptor<'_>> = report
        .rules
        .iter()
        .map(|rule| Descriptor {
            id: rule.id,
            short_description: Text {
                text: &rule.summary,
            },
            help: Text { text: &rule.help },
            default_configuration: Configuration {
                level: level(rule.default),
            },
        })
        .collect();
    let results = report
        .findings
        .iter()
        .map(|finding| result(report, finding))
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "tiergen",
                    semantic_version: VERSION,
                    rules,
                },
            },
            automation_details: AutomationDetails {
                id: format!("tiergen/{}/", report.command),
            },
            results,
        }],
    };
    // Plain data structs always serialize.
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_else(|_| "{}".to_string());
    text.push('\n');
    text
}

fn result<'a>(report: &Report, finding: &'a Finding) -> SarifResult<'a> {
    let locations = finding
        .place
        .iter()
        .map(|place| Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: uri(&place.file),
                },
                region: place.position.map(|p| Region {
                    start_line: p.line,
                    start_column: p.column,
                }),
            },
        })
        .collect();
    SarifResult {
        rule_id: finding.rule,
        rule_index: report.rules.iter().position(|r| r.id == finding.rule),
        level: level(finding.severity),
        message: Text {
            text: &finding.message,
        },
        locations,
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// A relative path as a URI reference: `/`-separated, and every byte
/// outside RFC 3986's unreserved set (and `/`) percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::new();
    for byte in path.replace('\\', "/").bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_becomes_a_relative_uri() {
        assert_eq!(uri("spec/my api.yaml"), "spec/my%20api.yaml");
        assert_eq!(uri("dir\\ü.yaml"), "dir/%C3%BC.yaml");
    }
}
