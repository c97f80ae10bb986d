//! A name the overlay declares changes in every artifact that shows it, at
//! once: the names are resolved in one place (`tiergen::naming::Names`)
//! and every emitter reads them there. The petstore fixture is generated
//! twice, without and with an overlay that renames the credential's
//! environment variable, one tool, one command, the CLI program and the
//! package; the old names must be gone from every file, the new ones in
//! each artifact that shows that kind of name.

use crate::common;

use tiergen::Generator;
use tiergen::emit::Files;

const OVERLAY: &str = r#"overlay: 1.0.0
info: { title: renames, version: "1" }
actions:
  - target: $.info
    update:
      x-tiergen-package: acme-sdk
      x-tiergen-cli: acmectl
  - target: $.components.securitySchemes.apiKey
    update:
      x-tiergen-env: ACME_PETS_KEY
  - target: $.paths['/pets'].post
    update:
      x-tiergen-tool-name: adopt_a_pet
      x-tiergen-command: [pets, adopt]
"#;

fn text(files: &Files, path: &str) -> String {
    files
        .get(path)
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .unwrap_or_else(|| panic!("no {path}"))
}

/// Every file holding `needle`.
fn holding(files: &Files, needle: &str) -> Vec<String> {
    files
        .iter()
        .filter(|(_, bytes)| String::from_utf8_lossy(bytes).contains(needle))
        .map(|(path, _)| path.to_string())
        .collect()
}

#[test]
fn an_overlay_renames_each_shared_name_in_every_artifact_at_once() {
    let spec = common::fixture("petstore-3.0.yaml");
    let before = Generator::new(&spec)
        .no_overlay()
        .render()
        .unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let overlay = dir.path().join("renames.overlay.yaml");
    std::fs::write(&overlay, OVERLAY).unwrap_or_else(|e| panic!("{e}"));
    let after = Generator::new(&spec)
        .overlay(&overlay)
        .render()
        .unwrap_or_else(|e| panic!("{e}"));

    // The names the rules derive, as the artifacts held them before.
    let old = [
        ("environment variable", "PETSTORE_API_KEY"),
        ("tool", "\"create_pet\""),
        ("command", "petstore pet create"),
        ("package", "petstore-3-0-fixture-client"),
        ("crate path", "petstore_3_0_fixture_client"),
    ];
    for (kind, name) in old {
        assert!(
            !holding(&before, name).is_empty(),
            "the {kind} {name} was never shown: the test no longer tests anything"
        );
        assert_eq!(
            holding(&after, name),
            Vec::<String>::new(),
            "the old {kind} {name} survives the overlay"
        );
    }

    // Each new name, in each artifact that shows its kind.
    let manifest = text(&after, "mcp/api-key.json");
    let routes = text(&after, "cli/routes.json");
    let commands = text(&after, "cli/commands.md");
    let page = holding(&after, "adopt_a_pet")
        .into_iter()
        .find(|p| p.starts_with("docs/"))
        .map(|p| text(&after, &p))
        .unwrap_or_else(|| panic!("no docs page shows the renamed tool"));
    let cargo = text(&after, "rust/Cargo.toml");

    for (artifact, content) in [
        ("the manifest", &manifest),
        ("the route map", &routes),
        ("the docs page", &page),
    ] {
        assert!(
            content.contains("ACME_PETS_KEY"),
            "{artifact} lacks the environment variable"
        );
    }
    assert!(manifest.contains("\"name\": \"adopt_a_pet\""));
    assert!(page.contains("\"name\": \"adopt_a_pet\""));
    let map: serde_json::Value = serde_json::from_str(&routes).unwrap_or_else(|e| panic!("{e}"));
    let commands_of = |op: &str| {
        map["commands"]
            .as_array()
            .and_then(|all| all.iter().find(|c| c["operation"] == op))
            .map(|c| c["command"].clone())
    };
    assert_eq!(
        commands_of("createPet"),
        Some(serde_json::json!(["pets", "adopt"]))
    );
    assert!(commands.contains("acmectl pets adopt"));
    assert!(page.contains("acmectl pets adopt"));
    assert!(cargo.contains("name = \"acme-sdk\""));
    assert!(
        page.contains("use acme_sdk::"),
        "the Rust sample names the crate"
    );
}
