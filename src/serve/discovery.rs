//! Discovery mode: instead of every tool of a large manifest (GitHub's has
//! 1,223), `tools/list` offers three: find tools by words, describe one
//! (its full input schema), call one. The model's context holds three
//! definitions, not a thousand; a call through `call_tool` takes the same
//! path as a direct one (argument validation, guards, consent, dispatch).

use serde_json::{Map, Value, json};

use super::manifest::Tool;

pub const FIND: &str = "find_tools";
pub const DESCRIBE: &str = "describe_tool";
pub const CALL: &str = "call_tool";

/// Above this many tools, a server starts in discovery mode unless told
/// otherwise (`--discovery off`).
pub const AUTO_ABOVE: usize = 128;

/// How many matches `find_tools` returns unless asked for fewer.
const DEFAULT_LIMIT: u64 = 10;
const MAX_LIMIT: u64 = 50;

/// The three tool definitions discovery mode lists.
pub fn definitions(api: &str, count: usize) -> Vec<Value> {
    vec![
        json!({
            "name": FIND,
            "title": "Find tools",
            "description": format!(
                "Search the {count} tools of {api} by words (what you want to do, a resource, a path). \
                 Answers the best matches with their names and what they do; describe one with \
                 {DESCRIBE} before calling it with {CALL}."
            ),
            "inputSchema": {
                "type": "object",
                "properties": {
                    "query": { "type": "string", "minLength": 1, "description": "Words to look for." },
                    "limit": { "type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "description": "At most this many matches (default 10)." }
                },
                "required": ["query"],
                "additionalProperties": false
            },
            "annotations": { "title": "Find tools", "readOnlyHint": true, "destructiveHint": false, "idempotentHint": true, "openWorldHint": false }
        }),
        json!({
            "name": DESCRIBE,
            "title": "Describe a tool",
            "description": format!("The full definition of one tool of {api}: its input schema, output schema and annotations."),
            "inputSchema": {
                "type": "object",
                "properties": { "name": { "type": "string", "description": "The tool's name, as find_tools gives it." } },
                "required": ["name"],
                "additionalProperties": false
            },
            "annotations": { "title": "Describe a tool", "readOnlyHint": true, "destructiveHint": false, "idempotentHint": true, "openWorldHint": false }
        }),
        json!({
            "name": CALL,
            "title": "Call a tool",
            "description": format!(
                "Call one tool of {api} by name with its arguments (as its input schema, from {DESCRIBE}, \
                 describes them). Guarded and irreversible tools ask the person first, as they would \
                 when called directly."
            ),
            "inputSchema": {
                "type": "object",
                "properties": {
                    "name": { "type": "string", "description": "The tool's name." },
                    "arguments": { "type": "object", "description": "The tool's arguments." }
                },
                "required": ["name"],
                "additionalProperties": false
            },
            "annotations": { "title": "Call a tool", "readOnlyHint": false, "destructiveHint": true, "idempotentHint": false, "openWorldHint": true }
        }),
    ]
}

/// The best matches for `query` among `tools`, as `find_tools` answers.
pub fn find(tools: &[&Tool], arguments: &Map<String, Value>) -> Value {
    let query = arguments.get("query").and_then(Value::as_str).unwrap_or("");
    let limit = arguments
        .get("limit")
        .and_then(Value::as_u64)
        .unwrap_or(DEFAULT_LIMIT)
        .min(MAX_LIMIT) as usize;
    let words = words_of(query);
    let mut scored: Vec<(usize, &Tool)> = tools
        .iter()
        .map(|tool| (score(tool, &words), *tool))
        .filter(|(score, _)| *score > 0)
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.name.cmp(&b.1.name)));
    let matches: Vec<Value> = scored
        .iter()
        .take(limit)
        .map(|(_, tool)| summary(tool))
        .collect();
    json!({ "matches": matches, "of": tools.len() })
}

/// What one match says: enough to choose, not the whole schema.
fn summary(tool: &Tool) -> Value {
    let description = tool
        .definition
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or("");
    let first_sentence = description.split(". ").next().unwrap_or(description);
    json!({
        "name": tool.name,
        "title": tool.title(),
        "description": first_sentence,
        "readOnly": tool.read_only,
        "asksConsent": tool.route.consent.is_some(),
    })
}

/// A word counts twice in the name, once anywhere else it is searched.
fn score(tool: &Tool, words: &[String]) -> usize {
    let name = words_of(&tool.name);
    let mut haystack = String::new();
    for text in [
        tool.title(),
        &tool.route.path,
        &tool.route.operation,
        tool.definition
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or(""),
    ] {
        haystack.push_str(&text.to_lowercase());
        haystack.push(' ');
    }
    for tag in &tool.route.tags {
        haystack.push_str(&tag.to_lowercase());
        haystack.push(' ');
    }
    words
        .iter()
        .map(|word| {
            let in_name = name.iter().any(|n| n == word) as usize * 2;
            let elsewhere = haystack.contains(word.as_str()) as usize;
            in_name + elsewhere
        })
        .sum()
}

/// Lower-case words, split at anything not a letter or digit.
fn words_of(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}
