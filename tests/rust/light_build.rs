//! What a build compiles, read from `cargo tree` (offline: the lock file
//! and the crates this build already fetched): a build script that
//! generates with tiergen's library compiles no command-line or server
//! crate, and neither tiergen nor the generated client builds a C crypto
//! library (aws-lc-sys) by default.

use crate::common;

use std::process::Command;

/// `cargo tree` of `package` over normal and build dependencies, one crate
/// a line with its depth in front (`1tiergen v0.1.0 (…)`).
fn tree(package: &str) -> Vec<(usize, String)> {
    let output = Command::new(env!("CARGO"))
        .current_dir(common::repo_root())
        .args(["tree", "--offline", "--locked", "--prefix", "depth"])
        .args(["--edges", "normal,build", "--package", package])
        .output()
        .unwrap_or_else(|e| panic!("cargo tree: {e}"));
    assert!(
        output.status.success(),
        "cargo tree -p {package}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| {
            let digits = line.chars().take_while(char::is_ascii_digit).count();
            let depth = line[..digits].parse().ok()?;
            let name = line[digits..].split_whitespace().next()?.to_string();
            Some((depth, name))
        })
        .collect()
}

/// The crates below the first `name` at `depth`: its own subtree.
fn subtree(tree: &[(usize, String)], depth: usize, name: &str) -> Vec<String> {
    let start = tree
        .iter()
        .position(|(d, n)| *d == depth && n == name)
        .unwrap_or_else(|| panic!("no {name} at depth {depth}"));
    tree[start + 1..]
        .iter()
        .take_while(|(d, _)| *d > depth)
        .map(|(_, n)| n.clone())
        .collect()
}

const COMMAND_LINE_CRATES: &[&str] = &[
    "axum",
    "clap",
    "clap_complete",
    "clap_mangen",
    "comfy-table",
    "globset",
    "indicatif",
    "jsonschema",
    "mimalloc",
    "notify",
    "reqwest",
    "rmcp",
    "rustls",
    "subtle",
    "tokio",
    "tokio-util",
    "uuid",
];

#[test]
fn a_build_script_compiles_only_what_generation_needs() {
    let tree = tree("tiergen-build-script-example");
    let generator = subtree(&tree, 1, "tiergen");
    for needed in ["openapiv3", "minijinja", "prettyplease", "yaml_serde"] {
        assert!(
            generator.iter().any(|n| n == needed),
            "the build script's tiergen lacks {needed}: is this its tree? {generator:?}"
        );
    }
    let heavy: Vec<&String> = generator
        .iter()
        .filter(|n| COMMAND_LINE_CRATES.contains(&n.as_str()))
        .collect();
    assert!(
        heavy.is_empty(),
        "the build script compiles command-line crates: {heavy:?}"
    );
}

/// C crypto libraries and their bindings (`openssl-probe`, which only
/// finds the system's certificates, is Rust).
const C_CRYPTO: &[&str] = &["aws-lc-rs", "aws-lc-sys", "openssl", "openssl-sys"];

#[test]
fn neither_tiergen_nor_the_client_builds_a_c_crypto_library() {
    for package in ["tiergen", "molecule-client"] {
        let crates: Vec<String> = tree(package).into_iter().map(|(_, n)| n).collect();
        assert!(
            crates.iter().any(|n| n == "ring"),
            "{package} has no ring: no TLS at all?"
        );
        let c_crypto: Vec<&String> = crates
            .iter()
            .filter(|n| C_CRYPTO.contains(&n.as_str()))
            .collect();
        assert!(c_crypto.is_empty(), "{package} builds {c_crypto:?}");
    }
}
