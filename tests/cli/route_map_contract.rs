//! The route map has two descriptions: the serde types every reader in
//! tiergen uses (`tiergen::artifact::routes`) and the JSON Schema shipped
//! for tools outside it (`cli/routes.schema.json`). They must accept the
//! same documents. For every fixture's route map this test reads it back
//! through the types (byte-identical when written again), then mutates it
//! in every way that matters to a contract — each key removed, an unknown
//! key added to each object, each string leaf replaced by a value no enum
//! holds — and asks both descriptions about each mutant: any mutant that
//! one accepts and the other refuses is a disagreement.

use crate::common;

use serde_json::{Map, Value};
use tiergen::artifact::routes::RouteMap;
use tiergen::emit::{Target, emit};
use tiergen::frontend::{OverlayChoice, load};

/// The management spec with its overlay, every breadth fixture, the hostile one.
fn route_maps() -> Vec<(String, String)> {
    let mut specs = vec![(
        "management".to_string(),
        common::repo_root().join("spec/management.yaml"),
        OverlayChoice::Beside,
    )];
    for name in common::breadth_fixtures() {
        let spec = common::fixture(&format!("breadth/{name}.yaml"));
        specs.push((name, spec, OverlayChoice::Skip));
    }
    specs.push((
        "hostile".to_string(),
        common::fixture("hostile.yaml"),
        OverlayChoice::Skip,
    ));
    specs
        .into_iter()
        .map(|(label, spec, overlay)| {
            let api = load(&spec, &overlay).unwrap_or_else(|e| panic!("{label}: {e}"));
            let files = emit(&api, &[Target::Cli]).unwrap_or_else(|e| panic!("{label}: {e}"));
            let text = files
                .get("cli/routes.json")
                .map(|b| String::from_utf8_lossy(b).into_owned())
                .unwrap_or_else(|| panic!("{label}: no cli/routes.json"));
            (label, text)
        })
        .collect()
}

fn schema() -> jsonschema::Validator {
    let text =
        std::fs::read_to_string(common::repo_root().join("templates/cli/routes.schema.json"))
            .unwrap_or_else(|e| panic!("{e}"));
    let schema: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    jsonschema::draft202012::new(&schema).unwrap_or_else(|e| panic!("{e}"))
}

fn types_accept(document: &Value) -> bool {
    serde_json::from_value::<RouteMap>(document.clone()).is_ok()
}

#[test]
fn every_route_map_reads_back_through_the_types_byte_for_byte() {
    for (label, text) in route_maps() {
        let map: RouteMap = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{label}: {e}"));
        let mut again = serde_json::to_string_pretty(&map).unwrap_or_else(|e| panic!("{e}"));
        again.push('\n');
        assert!(
            again == text,
            "{label}: written again, the route map differs"
        );
    }
}

/// The route map cut into small documents that are route maps too (the
/// wiring with one command each, and the wiring with none), so a mutant
/// copies kilobytes, not the whole map.
fn parts(document: &Value) -> Vec<Value> {
    let commands = document["commands"].as_array().cloned().unwrap_or_default();
    let with = |commands: Vec<Value>| {
        let mut part = document.clone();
        part["commands"] = Value::Array(commands);
        part
    };
    let mut parts = vec![with(Vec::new())];
    parts.extend(commands.into_iter().map(|c| with(vec![c])));
    parts
}

/// One mutant: what was done, where, and the document.
struct Mutant {
    what: String,
    document: Value,
}

/// Every mutant of `document`: each key removed, an unknown key added to
/// each object, each string leaf made a value no enum holds.
fn mutants(document: &Value) -> Vec<Mutant> {
    let mut out = Vec::new();
    let mut pointers = Vec::new();
    collect_pointers(document, String::new(), &mut pointers);
    for pointer in pointers {
        let Some(node) = document.pointer(&pointer) else {
            continue;
        };
        match node {
            Value::Object(map) => {
                for key in map.keys() {
                    let mut mutant = document.clone();
                    if let Some(Value::Object(map)) = mutant.pointer_mut(&pointer) {
                        map.remove(key);
                    }
                    out.push(Mutant {
                        what: format!("{pointer}/{key} removed"),
                        document: mutant,
                    });
                }
                let mut mutant = document.clone();
                if let Some(Value::Object(map)) = mutant.pointer_mut(&pointer) {
                    map.insert("zz_unknown".into(), Value::Bool(true));
                }
                out.push(Mutant {
                    what: format!("{pointer}/zz_unknown added"),
                    document: mutant,
                });
            }
            Value::String(_) => {
                let mut mutant = document.clone();
                if let Some(leaf) = mutant.pointer_mut(&pointer) {
                    *leaf = Value::String("zz-not-in-any-enum".into());
                }
                out.push(Mutant {
                    what: format!("{pointer} made \"zz-not-in-any-enum\""),
                    document: mutant,
                });
            }
            _ => {}
        }
    }
    out
}

fn collect_pointers(value: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let token = key.replace('~', "~0").replace('/', "~1");
                collect_pointers(child, format!("{at}/{token}"), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                collect_pointers(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn the_schema_and_the_types_accept_the_same_mutants_of_every_route_map() {
    let schema = schema();
    let mut disagreements: Map<String, Value> = Map::new();
    let mut mutants_checked = 0;
    for (label, text) in route_maps() {
        let document: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            schema.is_valid(&document),
            "{label}: the route map itself is invalid"
        );
        assert!(
            types_accept(&document),
            "{label}: the types refuse the route map"
        );
        for mutant in parts(&document).iter().flat_map(mutants) {
            mutants_checked += 1;
            let by_schema = schema.is_valid(&mutant.document);
            let by_types = types_accept(&mutant.document);
            if by_schema != by_types {
                let verdict = if by_schema {
                    "the schema accepts it, the types refuse it"
                } else {
                    "the types accept it, the schema refuses it"
                };
                disagreements.insert(format!("{label}: {}", mutant.what), verdict.into());
            }
        }
    }
    println!(
        "{mutants_checked} mutants, {} disagreements",
        disagreements.len()
    );
    assert!(mutants_checked > 1000, "only {mutants_checked} mutants");
    let shown: Vec<String> = disagreements
        .iter()
        .take(40)
        .map(|(what, verdict)| format!("{what}: {verdict}"))
        .collect();
    assert!(
        disagreements.is_empty(),
        "{} disagreements over {mutants_checked} mutants, e.g.:\n{}",
        disagreements.len(),
        shown.join("\n")
    );
}
