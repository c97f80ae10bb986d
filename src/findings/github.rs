//! GitHub Actions workflow commands: one `::error`, `::warning` or
//! `::notice` line per finding, which the runner turns into an annotation
//! on that line of the pull request. Escaping follows the runner's own
//! toolkit (`@actions/core`): `%`, CR and LF in the message; also `:` and
//! `,` in a property value.

use super::{Report, Severity};

pub fn github(report: &Report) -> String {
    let mut out = String::new();
    for finding in &report.findings {
        let command = match finding.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        // The order `@actions/core` writes them in: title, file, line, col.
        let mut properties = vec![format!("title={}", property(&finding.title()))];
        if let Some(place) = &finding.place {
            properties.push(format!("file={}", property(&place.file)));
            if let Some(position) = place.position {
                properties.push(format!("line={}", position.line));
                properties.push(format!("col={}", position.column));
            }
        }
        out.push_str(&format!(
            "::{command} {}::{}\n",
            properties.join(","),
            data(&finding.message)
        ));
    }
    out.push_str(&format!("tiergen {}: {}\n", report.command, report.summary));
    out
}

fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::{Finding, Place, Position};

    fn report(message: &str, place: Option<Place>) -> Report {
        Report {
            command: "lint",
            rules: Vec::new(),
            findings: vec![Finding {
                rule: "some-rule",
                severity: Severity::Warning,
                subject: "op, with: colon".into(),
                message: message.into(),
                place,
            }],
            summary: "1 warning".into(),
        }
    }

    #[test]
    fn a_finding_is_one_command_line_with_its_place() {
        let place = Place {
            file: "spec/a.yaml".into(),
            position: Some(Position { line: 3, column: 7 }),
        };
        let text = github(&report("100% sure\nsecond line", Some(place)));
        assert_eq!(
            text,
            "::warning title=some-rule%3A op%2C with%3A colon,file=spec/a.yaml,line=3,col=7\
             ::100%25 sure%0Asecond line\ntiergen lint: 1 warning\n"
        );
    }

    #[test]
    fn a_finding_without_a_place_has_only_a_title() {
        let text = github(&report("m", None));
        assert!(text.starts_with("::warning title=some-rule%3A op%2C with%3A colon::m\n"));
    }
}
