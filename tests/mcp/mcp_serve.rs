//! `tiergen mcp serve` refuses a bad manifest or a bad `--base-url` before
//! serving: exit 2, one line naming the file. (Serving itself is tested end
//! to end with the official Python SDK: tests/mcp/official_client.py.)

use crate::common;

fn refused(args: &[&str], expected: &str) {
    let output = common::tiergen(args);
    let stderr = common::stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains(expected), "{stderr}");
    assert!(common::stdout(&output).is_empty());
}

#[test]
fn a_missing_manifest_is_refused() {
    refused(
        &["mcp", "serve", "--manifest", "golden/mcp/nope.json"],
        "golden/mcp/nope.json: cannot read the manifest",
    );
}

#[test]
fn a_file_that_is_not_a_tiergen_manifest_is_refused() {
    let dir = common::temp_tree(&[("m.json", "{\"tools\": []}"), ("bad.json", "{ nope")]);
    let path = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    refused(
        &["mcp", "serve", "--manifest", &path("m.json")],
        "not a tiergen manifest",
    );
    refused(
        &["mcp", "serve", "--manifest", &path("bad.json")],
        "not JSON at line 1",
    );
}

#[test]
fn a_base_url_must_name_a_service_of_the_manifest() {
    refused(
        &[
            "mcp",
            "serve",
            "--manifest",
            "golden/mcp/org-api-key.json",
            "--base-url",
            "control-plane=http://127.0.0.1:9",
        ],
        "no service \"control-plane\" in this manifest",
    );
}
