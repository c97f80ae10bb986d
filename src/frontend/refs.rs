//! Every local `$ref` whose target is missing, found in one walk over the
//! document as written, before anything reads it. The readers further on
//! stop at the first dangling `$ref` they meet; found here first, all of
//! them are reported in one run (bounded by [`crate::error::LISTED`]), each
//! at its own pointer, so a user does not fix them one run at a time.

use std::path::Path;

use serde_json::Value;

use super::lower::percent_decode;
use crate::error::{Error, Result, closest, escape_token};

/// What each section of `components` holds, for the message ("no such parameter").
const SECTIONS: &[(&str, &str)] = &[
    ("schemas", "schema"),
    ("responses", "response"),
    ("parameters", "parameter"),
    ("examples", "example"),
    ("requestBodies", "request body"),
    ("headers", "header"),
    ("securitySchemes", "security scheme"),
    ("links", "link"),
    ("callbacks", "callback"),
    ("pathItems", "path item"),
];

/// Refuses the document when a `$ref` in it points at nothing.
pub fn refuse_dangling_refs(root: &Value, file: &Path) -> Result<()> {
    let mut found = Vec::new();
    collect(root, root, &mut Vec::new(), &mut found);
    match Error::several("dangling $refs", &found, |d| d.error(root, file)) {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

/// One `$ref` that points at nothing.
struct Dangling<'a> {
    /// The pointer of the `$ref` member itself.
    at: String,
    reference: &'a str,
}

/// A step of the walk's path, borrowed: the path is spelled out only for a
/// `$ref` that dangles, so a large spec pays nothing for the rest.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

fn collect<'a>(
    root: &Value,
    value: &'a Value,
    path: &mut Vec<Step<'a>>,
    found: &mut Vec<Dangling<'a>>,
) {
    match value {
        Value::Object(object) => {
            if let Some(Value::String(reference)) = object.get("$ref")
                && !resolves(root, reference)
            {
                found.push(Dangling {
                    at: format!("{}/$ref", spell(path)),
                    reference,
                });
            }
            // Examples and extensions are data: a `$ref` member there is text.
            for (key, child) in object.iter().filter(|(k, c)| !super::holds_data(k, c)) {
                path.push(Step::Key(key));
                collect(root, child, path, found);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                path.push(Step::Index(i));
                collect(root, child, path, found);
                path.pop();
            }
        }
        _ => {}
    }
}

fn spell(path: &[Step<'_>]) -> String {
    path.iter()
        .map(|step| match step {
            Step::Key(key) => format!("/{}", escape_token(key)),
            Step::Index(i) => format!("/{i}"),
        })
        .collect()
}

/// Whether a `$ref` finds its target. Only a JSON-pointer fragment of this
/// document is judged here: a `$ref` to another file or URL is refused
/// before this runs, and a 3.1 anchor (`#name`) is left to the readers.
fn resolves(root: &Value, reference: &str) -> bool {
    let Some(fragment) = reference.strip_prefix('#') else {
        return true;
    };
    if !fragment.starts_with('/') {
        return true;
    }
    // A `$ref` is a URI, so its fragment may be percent-encoded (`%7B` for `{`).
    root.pointer(&percent_decode(fragment)).is_some() || root.pointer(fragment).is_some()
}

impl Dangling<'_> {
    fn error(&self, root: &Value, file: &Path) -> Error {
        let tokens = tokens(self.reference);
        let noun = component_noun(&tokens);
        let message = match noun {
            Some(noun) => format!("dangling $ref {:?}: no such {noun}", self.reference),
            None => format!("dangling $ref {:?}", self.reference),
        };
        let error = Error::at_pointer(file, &self.at, message);
        if let Some(near) = correction(root, &tokens) {
            return error.with_help(format!("did you mean \"{near}\"?"));
        }
        match (noun, tokens.get(1)) {
            (Some(noun), Some(section)) => error.with_help(format!(
                "declare the {noun} under components.{section}, or fix the reference"
            )),
            _ => {
                let depth = depth_found(root, &tokens);
                let reached = crate::error::pointer(&tokens[..depth]);
                let missing = tokens.get(depth).map_or("", String::as_str);
                error.with_help(format!("\"#{reached}\" has no member {missing:?}"))
            }
        }
    }
}

/// The unescaped tokens of a `$ref`'s pointer fragment.
fn tokens(reference: &str) -> Vec<String> {
    let fragment = reference.strip_prefix("#/").unwrap_or_default();
    percent_decode(fragment)
        .split('/')
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// "parameter" for `#/components/parameters/<name>`.
fn component_noun(tokens: &[String]) -> Option<&'static str> {
    match tokens {
        [components, section, _] if components == "components" => SECTIONS
            .iter()
            .find(|(name, _)| name == section)
            .map(|(_, noun)| *noun),
        _ => None,
    }
}

/// How many leading tokens lead somewhere in the document.
fn depth_found(root: &Value, tokens: &[String]) -> usize {
    let mut node = root;
    for (depth, token) in tokens.iter().enumerate() {
        match child(node, token) {
            Some(next) => node = next,
            None => return depth,
        }
    }
    tokens.len()
}

fn child<'v>(node: &'v Value, token: &str) -> Option<&'v Value> {
    match node {
        Value::Object(object) => object.get(token),
        Value::Array(items) => items.get(token.parse::<usize>().ok()?),
        _ => None,
    }
}

/// The `$ref` meant, when one token is a slip for a member that is there
/// (`Thnig` for `Thing`, `responess` for `responses`) and the corrected
/// `$ref` resolves.
fn correction(root: &Value, tokens: &[String]) -> Option<String> {
    let depth = depth_found(root, tokens);
    let parent = tokens[..depth]
        .iter()
        .try_fold(root, |node, token| child(node, token))?;
    let Value::Object(members) = parent else {
        return None;
    };
    let near = closest(tokens.get(depth)?, members.keys().map(String::as_str))?;
    let mut corrected = tokens.to_vec();
    corrected[depth] = near.to_string();
    depth_found(root, &corrected)
        .eq(&corrected.len())
        .then(|| format!("#{}", crate::error::pointer(&corrected)))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use serde_json::json;

    use super::refuse_dangling_refs;

    fn problems(root: &serde_json::Value) -> Vec<(String, Option<String>)> {
        match refuse_dangling_refs(root, Path::new("api.yaml")) {
            Ok(()) => Vec::new(),
            Err(error) => error
                .problems()
                .map(|p| (p.headline(), p.help().map(str::to_string)))
                .collect(),
        }
    }

    #[test]
    fn refs_that_resolve_pass() {
        let root = json!({
            "paths": {"/a/{id}": {"get": {"responses": {"200": {"description": "x"}}}}},
            "components": {"schemas": {
                "A": {"$ref": "#/components/schemas/B"},
                "B": {"properties": {"c": {"$ref": "#/paths/~1a~1%7Bid%7D/get/responses/200"}}},
                "Self": {"$ref": "#"},
                // A 3.1 anchor is the readers' business.
                "Anchored": {"$ref": "#thing"},
            }},
            // Examples and extensions are data.
            "x-data": {"$ref": "#/nowhere"},
        });
        assert_eq!(problems(&root), []);
    }

    #[test]
    fn each_dangling_ref_is_found_with_what_was_meant() {
        let root = json!({
            "paths": {"/a": {"get": {"responses": {"200": {"$ref": "#/components/responses/Ok"}}}}},
            "components": {
                "responses": {"OK": {"description": "x"}},
                "schemas": {
                    "A": {"$ref": "#/components/schemas/Missing"},
                    "B": {"items": {"$ref": "#/paths/~1a/get/responsess/200"}},
                    "C": {"items": {"$ref": "#/paths/~1elsewhere"}},
                },
            },
        });
        let found = problems(&root);
        let expected = [
            (
                "api.yaml#/paths/~1a/get/responses/200/$ref: dangling $ref \"#/components/responses/Ok\": no such response",
                "did you mean \"#/components/responses/OK\"?",
            ),
            (
                "api.yaml#/components/schemas/A/$ref: dangling $ref \"#/components/schemas/Missing\": no such schema",
                "declare the schema under components.schemas, or fix the reference",
            ),
            (
                "api.yaml#/components/schemas/B/items/$ref: dangling $ref \"#/paths/~1a/get/responsess/200\"",
                "did you mean \"#/paths/~1a/get/responses/200\"?",
            ),
            (
                "api.yaml#/components/schemas/C/items/$ref: dangling $ref \"#/paths/~1elsewhere\"",
                "\"#/paths\" has no member \"/elsewhere\"",
            ),
        ];
        let expected: Vec<(String, Option<String>)> = expected
            .iter()
            .map(|(line, help)| (line.to_string(), Some(help.to_string())))
            .collect();
        assert_eq!(found, expected);
    }
}
