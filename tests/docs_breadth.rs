//! The docs of any spec: every breadth fixture's pages are snapshotted and
//! read back with a real GFM parser. Each credential kind says what it is and
//! how it travels; scopes stand beside the credential wherever an operation's
//! credentials are shown; OAuth2 flows and OpenID Connect providers are
//! listed with their scopes; webhooks have their own page and never pass for
//! operations; a spec without security says so without empty tables; and
//! tables and MDX survive whatever text the spec holds.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use common::markdown::{Table, rows, tables};
use tiergen::emit::{Files, Target, emit};
use tiergen::frontend::{OverlayChoice, load};
use tiergen::ir::Api;

const OPERATIONS_HEADER: [&str; 3] = ["Method · Path", "Purpose", "Tier"];
const DETAILS_HEADER: [&str; 2] = ["Field", "Value"];

fn fixtures() -> Vec<String> {
    common::breadth_fixtures()
}

fn path(name: &str) -> PathBuf {
    common::fixture(&format!("breadth/{name}.yaml"))
}

fn docs(name: &str) -> (Api, Files) {
    let api = load(&path(name), &OverlayChoice::Skip).unwrap_or_else(|e| panic!("{name}: {e}"));
    let files = emit(&api, &[Target::Docs]).unwrap_or_else(|e| panic!("{name}: {e}"));
    (api, files)
}

fn page<'a>(files: &'a Files, path: &str) -> &'a str {
    std::str::from_utf8(files.get(path).unwrap_or_else(|| panic!("no {path}")))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The rows of every table with `header`, wherever it sits.
fn rows_of<'a>(tables: &'a [Table], header: &[&str]) -> Vec<&'a [String]> {
    tables
        .iter()
        .filter(|t| t.header == header)
        .flat_map(|t| t.rows.iter().map(Vec::as_slice))
        .collect()
}

/// The details table of the operation or webhook under heading `heading`,
/// as field → values (a field such as Discriminator may repeat).
fn details(tables: &[Table], heading: &str) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in rows(tables, heading, &DETAILS_HEADER) {
        out.entry(row[0].clone()).or_default().push(row[1].clone());
    }
    assert!(!out.is_empty(), "no details table under {heading:?}");
    out
}

fn field<'a>(details: &'a BTreeMap<String, Vec<String>>, name: &str) -> &'a str {
    match details.get(name).map(Vec::as_slice) {
        Some([one]) => one,
        other => panic!("field {name}: {other:?} in {details:?}"),
    }
}

/// The responses table under `heading`, as status → row.
fn responses(tables: &[Table], heading: &str) -> BTreeMap<String, Vec<String>> {
    tables
        .iter()
        .filter(|t| t.section == heading && t.header.first().is_some_and(|h| h == "Response"))
        .flat_map(|t| &t.rows)
        .map(|r| (r[0].clone(), r.clone()))
        .collect()
}

/// The operations-table row of `request` (`METHOD /path`).
fn tier_row<'a>(tables: &'a [Table], request: &str) -> &'a [String] {
    tables
        .iter()
        .filter(|t| t.header == OPERATIONS_HEADER)
        .flat_map(|t| &t.rows)
        .find(|r| r[0] == request)
        .unwrap_or_else(|| panic!("no operations row for {request}"))
}

/// Outside code spans, every character MDX would read as JSX or an
/// expression is escaped: the docs site compiles these pages as MDX.
fn assert_mdx_safe(name: &str, markdown: &str) {
    for (n, line) in markdown.lines().enumerate() {
        let mut prose = String::new();
        let bytes = line.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'`' {
                let run = bytes[i..].iter().take_while(|b| **b == b'`').count();
                let fence = &line[i..i + run];
                let rest = &line[i + run..];
                // A code span closes on a run of exactly the same length.
                let close = rest.match_indices(fence).find(|(at, _)| {
                    !rest[at + run..].starts_with('`') && !rest[..*at].ends_with('`')
                });
                match close {
                    Some((at, _)) => i += run + at + run,
                    None => {
                        prose.push_str(fence);
                        i += run;
                    }
                }
                continue;
            }
            let c = line[i..].chars().next().unwrap_or_default();
            prose.push(c);
            i += c.len_utf8();
        }
        let mut escaped = false;
        for c in prose.chars() {
            if matches!(c, '{' | '}' | '<') && !escaped {
                panic!("{name}:{}: unescaped {c:?} outside code: {line}", n + 1);
            }
            escaped = c == '\\' && !escaped;
        }
    }
}

#[test]
fn docs_of_every_breadth_fixture() {
    for name in fixtures() {
        let (api, files) = docs(&name);
        let mut paths: Vec<&str> = files.paths().collect();
        let mut expected = vec![
            "docs/guards-and-effects.md",
            "docs/operations.md",
            "docs/tiers.md",
        ];
        if !api.webhooks.is_empty() {
            expected.push("docs/webhooks.md");
        }
        paths.sort();
        assert_eq!(paths, expected, "{name}");
        for (path, bytes) in files.iter() {
            let text = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{e}"));
            let label = format!("{name}/{path}");
            // A page may have no table at all (no credentials, no guards),
            // but never an empty or ragged one.
            if let Some(problem) = common::table_shape_error(text) {
                panic!("{label}: {problem}");
            }
            for table in tables(text) {
                for row in &table.rows {
                    assert_eq!(row.len(), table.header.len(), "{label} § {}", table.section);
                }
                assert!(
                    !table.rows.is_empty(),
                    "{label} § {}: an empty table",
                    table.section
                );
            }
            assert_mdx_safe(&label, text);
            common::markdown::assert_no_block_from_spec_text(&label, text);
            let snapshot = format!("{name}_{}", path.trim_end_matches(".md").replace('/', "_"));
            insta::assert_snapshot!(snapshot, text);
        }
    }
}

#[test]
fn every_operation_is_listed_once_and_every_webhook_only_on_its_page() {
    for name in fixtures() {
        let (api, files) = docs(&name);
        let operations = tables(page(&files, "docs/operations.md"));
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for table in operations.iter().filter(|t| t.header == OPERATIONS_HEADER) {
            for row in &table.rows {
                *seen.entry(row[0].clone()).or_default() += 1;
            }
        }
        for op in &api.operations {
            let key = format!("{} {}", op.method, op.path);
            assert_eq!(seen.remove(&key), Some(1), "{name}: {key} ({})", op.id);
            // Each operation has its details and, when it documents any, its
            // responses, under a heading of its id (on one line: a heading
            // cannot hold a line break).
            let heading = op.id.split_whitespace().collect::<Vec<_>>().join(" ");
            let op_details = details(&operations, &heading);
            assert_eq!(
                field(&op_details, "Request").split(' ').next(),
                Some(op.method.as_str())
            );
            let answered = responses(&operations, &heading);
            let statuses: Vec<String> = op.responses.iter().map(|r| r.status.to_string()).collect();
            assert_eq!(
                answered.keys().cloned().collect::<Vec<_>>(),
                {
                    let mut s = statuses.clone();
                    s.sort();
                    s
                },
                "{name}: {}",
                op.id
            );
        }
        assert!(seen.is_empty(), "{name}: rows for no operation: {seen:?}");

        let operations_text = page(&files, "docs/operations.md");
        if api.webhooks.is_empty() {
            assert!(files.get("docs/webhooks.md").is_none(), "{name}");
            assert!(!operations_text.contains("webhooks.md"), "{name}");
            continue;
        }
        assert!(
            operations_text.contains("[webhooks](webhooks.md)"),
            "{name}"
        );
        let hooks_text = page(&files, "docs/webhooks.md");
        let hooks = tables(hooks_text);
        let listed: Vec<(&str, &str)> = rows_of(&hooks, &["Webhook", "Method", "Purpose"])
            .iter()
            .map(|r| (r[0].as_str(), r[1].as_str()))
            .collect();
        let wanted: Vec<(&str, &str)> = api
            .webhooks
            .iter()
            .map(|w| (w.name.as_str(), w.method.as_str()))
            .collect();
        assert_eq!(listed, wanted, "{name}");
        for hook in &api.webhooks {
            // Webhooks are not operations: no operations row, no details there.
            assert!(
                operations.iter().all(|t| t.section != hook.name),
                "{name}: webhook {} among the operations",
                hook.name
            );
            let heading = hooks
                .iter()
                .map(|t| t.section.as_str())
                .find(|s| *s == hook.name || *s == format!("{} {}", hook.name, hook.method))
                .unwrap_or_else(|| panic!("{name}: no details for webhook {}", hook.name));
            let hook_details = details(&hooks, heading);
            assert!(field(&hook_details, "Request").starts_with(hook.method.as_str()));
            let statuses: Vec<String> = hook
                .responses
                .iter()
                .map(|r| r.status.to_string())
                .collect();
            let answered: Vec<String> = responses(&hooks, heading).into_keys().collect();
            let mut sorted = statuses.clone();
            sorted.sort();
            assert_eq!(answered, sorted, "{name}: {}", hook.name);
        }
    }
}

#[test]
fn webhooks_have_a_page_with_payload_and_expected_responses() {
    let (_, files) = docs("no-security");
    let hooks = tables(page(&files, "docs/webhooks.md"));
    assert_eq!(
        rows_of(&hooks, &["Webhook", "Method", "Purpose"]),
        [["datasetUpdated", "POST", "A dataset changed."]]
    );
    let hook = details(&hooks, "datasetUpdated");
    assert_eq!(
        field(&hook, "Request"),
        "POST to the URL you register for datasetUpdated"
    );
    assert_eq!(field(&hook, "Payload"), "Dataset");
    assert_eq!(
        responses(&hooks, "datasetUpdated")["200"],
        ["200", "Received.", "none"]
    );
    let operations = page(&files, "docs/operations.md");
    assert!(!operations.contains("datasetUpdated"), "{operations}");
}

#[test]
fn every_credential_kind_says_what_it_is_and_how_it_travels() {
    let (_, files) = docs("security");
    let tiers = tables(page(&files, "docs/tiers.md"));
    let matrix: BTreeMap<&str, &str> = rows(
        &tiers,
        "Tier matrix",
        &["Scheme", "What it is", "Where it applies"],
    )
    .iter()
    .map(|r| (r[0].as_str(), r[1].as_str()))
    .collect();
    let expect = [
        (
            "oauth",
            "OAuth2 with two flows. Sent as Authorization: Bearer. The token comes from the OAuth2 flows below, with the scopes an operation names.",
        ),
        (
            "oidc",
            "An OpenID Connect access token. Sent as Authorization: Bearer. The token comes from the OpenID Connect provider below.",
        ),
        (
            "mtls",
            "A client certificate issued by the platform CA. Presented in the TLS handshake; nothing travels in the request.",
        ),
        (
            "digest",
            "HTTP authentication with the Digest scheme. Sent as Authorization: Digest.",
        ),
        (
            "basic",
            "A user name and password (HTTP Basic). Sent as Authorization: Basic.",
        ),
        ("bearer", "A bearer token. Sent as Authorization: Bearer."),
        ("queryKey", "An API key. Sent as query ?api_key=."),
        ("cookieKey", "An API key. Sent as cookie session."),
        ("headerKey", "An API key. Sent as header X-API-Key."),
    ];
    assert_eq!(matrix, BTreeMap::from(expect));
}

#[test]
fn oauth2_flows_and_openid_connect_providers_are_listed_with_their_scopes() {
    let (_, files) = docs("security");
    let tiers = tables(page(&files, "docs/tiers.md"));
    let flows = rows(
        &tiers,
        "oauth: OAuth2",
        &["Flow", "Authorization URL", "Token URL", "Refresh URL"],
    );
    assert_eq!(
        flows,
        [
            [
                "client credentials",
                "none",
                "https://auth.example.com/token",
                "none"
            ],
            [
                "authorization code",
                "https://auth.example.com/authorize",
                "https://auth.example.com/token",
                "https://auth.example.com/refresh"
            ],
        ]
    );
    let scopes = rows(
        &tiers,
        "oauth: OAuth2",
        &["Scope", "What it grants", "Granted by", "Needed by"],
    );
    assert_eq!(
        scopes,
        [
            ["admin", "Everything.", "client credentials", "deleteThing"],
            [
                "read:things",
                "Read things.",
                "authorization code",
                "get_things, createThing"
            ],
            [
                "write:things",
                "Change things.",
                "authorization code",
                "createThing"
            ],
        ]
    );
    let text = page(&files, "docs/tiers.md");
    assert!(text.contains(
        "Discovery document: `https://auth.example.com/.well-known/openid-configuration`."
    ));
    assert_eq!(
        rows(&tiers, "oidc: OpenID Connect", &["Scope", "Needed by"]),
        [["openid", "createThing"], ["things", "createThing"]]
    );
}

#[test]
fn scopes_stand_beside_the_credential_wherever_an_operation_shows_it() {
    let (_, files) = docs("security");
    let operations = tables(page(&files, "docs/operations.md"));
    let cases = [
        ("GET /things", "get_things", "oauth (read:things)"),
        (
            "POST /things",
            "createThing",
            "oauth (read:things, write:things) or oidc (openid, things) or mtls + headerKey",
        ),
        (
            "DELETE /things/{id}",
            "deleteThing",
            "digest or basic or bearer or queryKey or cookieKey or oauth (admin)",
        ),
        ("GET /health", "health", "public (no credential)"),
    ];
    for (request, id, tier) in cases {
        assert_eq!(tier_row(&operations, request)[2], tier, "{request}");
        assert_eq!(field(&details(&operations, id), "Accepts"), tier, "{id}");
    }
    // The reader is told what the parentheses mean.
    assert!(page(&files, "docs/operations.md").contains("Scopes in parentheses"));
    // An empty alternative (`security: [{}, …]`) reads as "no credential".
    let (_, hostile) = docs("hostile-text");
    let hostile_ops = tables(page(&hostile, "docs/operations.md"));
    assert!(
        tier_row(&hostile_ops, "GET /things/{id}")[2].starts_with("no credential or oauth ("),
        "{:?}",
        tier_row(&hostile_ops, "GET /things/{id}")
    );
}

#[test]
fn a_spec_without_security_needs_no_credentials_and_shows_no_credential_tables() {
    let (api, files) = docs("no-security");
    assert!(api.credentials.is_empty());
    let text = page(&files, "docs/tiers.md");
    assert!(
        text.contains("This API declares no credentials: no operation needs one. All 7 operations"),
        "{text}"
    );
    // No tier matrix, no reach matrix: no table at all rather than empty ones.
    assert!(tables(text).is_empty(), "{text}");
    assert!(!text.contains("Tier matrix") && !text.contains("Reach matrix"));
    let operations_text = page(&files, "docs/operations.md");
    assert!(
        operations_text
            .contains("This API declares no credentials: anyone may call every operation.")
    );
    let operations = tables(operations_text);
    for op in &api.operations {
        assert_eq!(
            tier_row(&operations, &format!("{} {}", op.method, op.path))[2],
            "public (no credential)"
        );
    }
    // Without servers, paths are relative to wherever the API is served.
    assert!(operations_text.contains("Base URL `/` on the host that serves the API"));
}

#[test]
fn responses_headers_media_types_and_discriminators_are_in_the_details() {
    let (_, zoo) = docs("polymorphism");
    let operations = tables(page(&zoo, "docs/operations.md"));
    let list = responses(&operations, "listPets");
    assert_eq!(list["200"], ["200", "Pets.", "array of Pet"]);
    assert_eq!(
        list["default"],
        [
            "default",
            "An error.",
            "Problem as application/problem+json"
        ]
    );
    assert_eq!(
        details(&operations, "listPets")["Discriminator"],
        ["Pet: property petType picks the schema: cat → Cat, dog → Dog"]
    );
    let create = responses(&operations, "createPet");
    assert_eq!(
        create["201"],
        [
            "201",
            "Created.",
            "Pet",
            "Location (uri string, required): Where it lives.; X-Rate-Limit (integer)"
        ]
    );
    assert_eq!(
        details(&operations, "createPet")["Discriminator"],
        [
            // No mapping: the value is the schema's name.
            "NewPet: property petType holds the name of the schema: Cat or Dog",
            "Pet: property petType picks the schema: cat → Cat, dog → Dog",
        ]
    );

    let (_, bodies) = docs("bodies");
    let text = page(&bodies, "docs/operations.md");
    let operations = tables(text);
    assert_eq!(
        field(&details(&operations, "login"), "Body"),
        "object as application/json (also application/x-www-form-urlencoded)"
    );
    assert_eq!(
        field(&details(&operations, "putFileBytes"), "Body"),
        "binary string as application/octet-stream"
    );
    assert_eq!(
        field(&details(&operations, "uploadFile"), "Body"),
        "object as multipart/form-data"
    );
    let file = responses(&operations, "getFile");
    assert_eq!(
        file["200"][2],
        "object as application/json (also application/octet-stream)"
    );
    assert_eq!(
        file["default"],
        ["default", "Something went wrong.", "none"]
    );
    assert_eq!(
        responses(&operations, "login")["4XX"],
        ["4XX", "Refused.", "none"]
    );
    // Alternate URLs of a service, and the variables of a templated one.
    assert!(text.contains(
        "Host `https://api.example.com` (also `https://staging.example.com`): Production."
    ));
    assert!(text.contains("- `{region}` (one of `eu`, `us`; default `eu`)"));
}

#[test]
fn hostile_text_in_every_new_place_stays_data() {
    let (_, files) = docs("hostile-text");
    for (path, bytes) in files.iter() {
        let text = std::str::from_utf8(bytes).unwrap_or_default();
        assert!(
            !text.contains("49"),
            "{path}: a template expression was evaluated"
        );
        assert!(
            !text.contains("<script>") && !text.contains("<b>"),
            "{path}: raw HTML"
        );
    }
    let tiers = tables(page(&files, "docs/tiers.md"));
    let scopes = rows(
        &tiers,
        "oauth: OAuth2",
        &["Scope", "What it grants", "Granted by", "Needed by"],
    );
    assert_eq!(
        scopes,
        [
            [
                "read|all",
                "Read <everything> | {{ x }} across lines",
                "implicit",
                "getThing"
            ],
            [
                "write:{things}",
                "Write things and {% if %}",
                "implicit",
                "getThing"
            ],
            [
                "`tick`",
                "A scope name with backticks.",
                "implicit",
                "getThing"
            ],
        ]
    );
    let operations = tables(page(&files, "docs/operations.md"));
    let answers = responses(&operations, "getThing");
    assert_eq!(answers["200"][1], "The thing | {it} <Thing> | row |");
    assert_eq!(
        answers["200"][3],
        "X-Rate|Limit (integer, required): Calls left {{ n }} | <n>; X-{Next} (string)"
    );
    assert_eq!(
        details(&operations, "getThing")["Discriminator"],
        ["Thing: property kind|{type} picks the schema: a|b → Plain, {{ c }} → Fancy"]
    );
    // One webhook name with two methods: two headings, told apart by the method.
    let hooks = tables(page(&files, "docs/webhooks.md"));
    for method in ["PUT", "POST"] {
        details(&hooks, &format!("thing|changed {{{{ x }}}} {method}"));
    }
}
