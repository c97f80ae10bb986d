//! The diff as text for people, JSON for machines, markdown for a pull
//! request comment. Each change comes with where it is (`file:line:column`
//! when the position is known).

use serde_json::json;

use super::{Change, Class};

/// A change and where it is, ready to print.
pub struct Located<'a> {
    pub change: &'a Change,
    pub place: String,
}

fn summary(changes: &[Located<'_>]) -> String {
    Class::ALL
        .iter()
        .map(|class| {
            let count = changes.iter().filter(|c| c.change.class == *class).count();
            format!("{count} {class}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn text(changes: &[Located<'_>]) -> String {
    let mut out = String::new();
    for class in Class::ALL {
        let of_class: Vec<&Located<'_>> =
            changes.iter().filter(|c| c.change.class == class).collect();
        if of_class.is_empty() {
            continue;
        }
        out.push_str(&format!("{class} ({})\n", of_class.len()));
        for located in of_class {
            let change = located.change;
            out.push_str(&format!(
                "  {}: [{}] {}\n      at {}\n",
                change.operation, change.id, change.message, located.place
            ));
        }
    }
    out.push_str(&format!("tiergen diff: {}\n", summary(changes)));
    out
}

pub fn json(changes: &[Located<'_>]) -> String {
    let list: Vec<serde_json::Value> = changes
        .iter()
        .map(|l| {
            let mut value = serde_json::to_value(l.change).unwrap_or_default();
            value["at"] = json!(l.place);
            value
        })
        .collect();
    let counts: serde_json::Map<String, serde_json::Value> = Class::ALL
        .iter()
        .map(|class| {
            let count = changes.iter().filter(|c| c.change.class == *class).count();
            (class.name().to_string(), json!(count))
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&json!({ "counts": counts, "changes": list }))
        .unwrap_or_else(|_| "{}".to_string());
    text.push('\n');
    text
}

pub fn markdown(changes: &[Located<'_>]) -> String {
    let mut out = format!("### tiergen diff: {}\n", summary(changes));
    if changes.is_empty() {
        out.push_str("\nNo changes to operations, credentials, guards, effects or shapes.\n");
        return out;
    }
    for class in Class::ALL {
        let of_class: Vec<&Located<'_>> =
            changes.iter().filter(|c| c.change.class == class).collect();
        if of_class.is_empty() {
            continue;
        }
        let title = match class {
            Class::Breaking => "Breaking",
            Class::Security => "Security",
            Class::Effects => "Effects",
            Class::NonBreaking => "Non-breaking",
        };
        out.push_str(&format!(
            "\n#### {title} ({})\n\n| Operation | Change | What | Where |\n|---|---|---|---|\n",
            of_class.len()
        ));
        for located in of_class {
            let change = located.change;
            out.push_str(&format!(
                "| `{}` | `{}` | {} | `{}` |\n",
                change.operation,
                change.id,
                cell(&change.message),
                located.place.replace('`', "'")
            ));
        }
    }
    out
}

/// Text safe inside a markdown table cell (and MDX).
fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('{', "&#123;")
        .replace('}', "&#125;")
        .replace('\n', " ")
}
