//! Every Rust sample of the management docs, compiled into this crate's
//! binary (build.rs), run against a fake API on 127.0.0.1 with the
//! environment variables it reads set: the request it sends is the one the
//! page's HTTP sample shows (method, path and query, headers, body).

#[path = "../../common/fake_api.rs"]
mod fake_api;
#[path = "../../common/samples.rs"]
mod samples;

use std::path::Path;
use std::process::Command;

use fake_api::FakeApi;
use samples::{http_sample, secret, sections, variables};

const BINARY: &str = env!("CARGO_BIN_EXE_tiergen-docs-samples");

/// Each operation's (Rust sample, HTTP sample), in the order build.rs read them.
fn pages() -> Vec<(String, String, String)> {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../golden/docs");
    let mut pages: Vec<_> = std::fs::read_dir(&docs)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    pages.sort();
    let mut out = Vec::new();
    for page in pages {
        let text = std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{e}"));
        for section in sections(&text) {
            let rust = section.sample("Rust").map(str::to_string);
            let http = section.sample("HTTP").map(str::to_string);
            if let (Some(rust), Some(http)) = (rust, http) {
                out.push((section.operation.clone(), rust, http));
            }
        }
    }
    out
}

#[test]
fn every_rust_sample_sends_the_request_its_http_sample_shows() {
    let listed = Command::new(BINARY)
        .arg("--list")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let compiled: Vec<String> = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    let pages = pages();
    assert_eq!(
        compiled,
        pages
            .iter()
            .map(|(op, _, _)| op.clone())
            .collect::<Vec<_>>(),
        "the compiled samples are not the pages' (rebuild this crate)"
    );
    assert!(pages.len() >= 50, "only {} Rust samples", pages.len());
    let fake = FakeApi::start();
    for (index, (op, rust, http)) in pages.iter().enumerate() {
        let vars = variables(&format!("{rust}\n{http}"));
        let shown = http_sample(http, &vars);
        let output = Command::new(BINARY)
            .arg(index.to_string())
            .arg(&fake.url)
            .env_clear()
            .envs(vars.iter().map(|v| (v.clone(), secret(v))))
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(output.status.success(), "{op}: {output:?}");
        let answer = String::from_utf8_lossy(&output.stdout);
        let mut taken = fake.taken();
        assert_eq!(
            taken.len(),
            1,
            "{op}: {} requests; the sample said {answer}",
            taken.len()
        );
        let received = taken.remove(0);
        assert_eq!(received.method, shown.method, "{op}");
        assert_eq!(received.path, shown.target, "{op}");
        for (name, value) in &shown.headers {
            let got = received
                .headers
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
                .unwrap_or_default();
            if name == "content-type" {
                let media = |v: &str| v.split(';').next().unwrap_or_default().trim().to_string();
                assert_eq!(media(got), media(value), "{op}: content-type {got}");
            } else {
                assert_eq!(got, value, "{op}: header {name}");
            }
        }
        if let Some(body) = &shown.body {
            let expected: serde_json::Value =
                serde_json::from_str(body).unwrap_or_else(|e| panic!("{op}: {e}"));
            let sent: serde_json::Value = serde_json::from_slice(&received.body)
                .unwrap_or_else(|e| panic!("{op}: body is not JSON: {e}"));
            assert_eq!(sent, expected, "{op}: body");
        }
    }
}
