//! The docs of any spec: every breadth fixture's pages are snapshotted and
//! read back with a real GFM parser. Each (service, tag) group has its page
//! and every operation is listed once, on its group's page, with its
//! details, parameters and responses; each credential kind says what it is
//! and how it travels; scopes stand beside the credential wherever an
//! operation's credentials are shown; OAuth2 flows and OpenID Connect
//! providers are listed with their scopes; webhooks have their own page and
//! never pass for operations; a spec without security says so without
//! empty tables; every page has the site's frontmatter, the sidebar lists
//! exactly the pages and every link resolves; and tables and MDX survive
//! whatever text the spec holds.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::common::markdown::{self, Listed, OPERATIONS_HEADER, Table, docs_pages, rows, tables};
use tiergen::emit::{Files, Target, emit};
use tiergen::frontend::{OverlayChoice, load};
use tiergen::ir::{Api, Operation};

const DETAILS_HEADER: [&str; 2] = ["Field", "Value"];
const PARAMETERS_HEADER: [&str; 7] = [
    "Name",
    "In",
    "Type",
    "Required",
    "Default",
    "Constraints",
    "Description",
];

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

/// The tables of every group page, in page order.
fn group_tables(files: &Files) -> Vec<Table> {
    let pages = docs_pages(files);
    markdown::group_pages(&pages)
        .into_iter()
        .flat_map(|(_, text)| tables(text))
        .collect()
}

/// The group an operation belongs to: its service and its first tag.
fn group_of(op: &Operation) -> (String, Option<String>) {
    (op.service.0.clone(), op.tags.first().cloned())
}

/// Where each operation is listed, by id: the page and the id of its section.
fn listed_by_id(files: &Files) -> BTreeMap<String, Listed> {
    let mut out = BTreeMap::new();
    for listed in markdown::listed_operations(&docs_pages(files)) {
        let id = listed.id.clone();
        if let Some(before) = out.insert(id.clone(), listed) {
            panic!("operation {id} listed twice, first on {}", before.page);
        }
    }
    out
}

/// The tables of the page that lists operation `id`, and its section's id.
fn section_of(files: &Files, id: &str) -> (Vec<Table>, String) {
    let listed = listed_by_id(files);
    let listed = listed
        .get(id)
        .unwrap_or_else(|| panic!("operation {id} not listed"));
    let text = page(files, &format!("docs/{}", listed.page));
    (tables(text), listed.anchor.clone())
}

/// The rows of every table with `header`, wherever it sits.
fn rows_of<'a>(tables: &'a [Table], header: &[&str]) -> Vec<&'a [String]> {
    tables
        .iter()
        .filter(|t| t.header == header)
        .flat_map(|t| t.rows.iter().map(Vec::as_slice))
        .collect()
}

/// The details table of a section, as field → values (a field such as
/// Discriminator may repeat); `is_here` picks the section's tables.
fn details_where(
    tables: &[Table],
    what: &str,
    is_here: impl Fn(&Table) -> bool,
) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for table in tables
        .iter()
        .filter(|t| is_here(t) && t.header == DETAILS_HEADER)
    {
        for row in &table.rows {
            out.entry(row[0].clone()).or_default().push(row[1].clone());
        }
    }
    assert!(!out.is_empty(), "no details table under {what}");
    out
}

/// The details of the section with id `anchor`.
fn details(tables: &[Table], anchor: &str) -> BTreeMap<String, Vec<String>> {
    details_where(tables, &format!("#{anchor}"), |t| t.anchor == anchor)
}

/// The details of the webhook under heading `heading`.
fn hook_details(tables: &[Table], heading: &str) -> BTreeMap<String, Vec<String>> {
    details_where(tables, heading, |t| t.section == heading)
}

fn field<'a>(details: &'a BTreeMap<String, Vec<String>>, name: &str) -> &'a str {
    match details.get(name).map(Vec::as_slice) {
        Some([one]) => one,
        other => panic!("field {name}: {other:?} in {details:?}"),
    }
}

/// The responses table of a section, as status → row.
fn responses_where(
    tables: &[Table],
    is_here: impl Fn(&Table) -> bool,
) -> BTreeMap<String, Vec<String>> {
    tables
        .iter()
        .filter(|t| is_here(t) && t.header.first().is_some_and(|h| h == "Response"))
        .flat_map(|t| &t.rows)
        .map(|r| (r[0].clone(), r.clone()))
        .collect()
}

/// The responses of the section with id `anchor`.
fn responses(tables: &[Table], anchor: &str) -> BTreeMap<String, Vec<String>> {
    responses_where(tables, |t| t.anchor == anchor)
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
/// expression is escaped: the docs site compiles these pages as MDX. Only
/// prose is read: frontmatter is YAML to MDX, and a fenced code block's
/// contents are never JSX.
fn assert_mdx_safe(name: &str, markdown: &str) {
    for (n, line) in markdown::prose_lines(name, markdown) {
        let prose = markdown::outside_code_spans(&line);
        let mut escaped = false;
        for c in prose.chars() {
            if matches!(c, '{' | '}' | '<') && !escaped {
                panic!("{name}:{n}: unescaped {c:?} outside code: {line}");
            }
            escaped = c == '\\' && !escaped;
        }
    }
}

#[test]
fn docs_of_every_breadth_fixture() {
    for name in fixtures() {
        let (api, files) = docs(&name);
        let pages = docs_pages(&files);
        // The overview, one page per (service, tag) group, the reference
        // pages the spec calls for, and the sidebar.
        let groups: BTreeSet<_> = api.operations.iter().map(group_of).collect();
        let group_pages = markdown::group_pages(&pages);
        assert_eq!(
            group_pages.len(),
            groups.len(),
            "{name}: {:?} for {groups:?}",
            pages.keys()
        );
        let mut reference: Vec<&str> = pages
            .keys()
            .map(String::as_str)
            .filter(|p| markdown::REFERENCE_PAGES.contains(p))
            .collect();
        reference.sort();
        let mut expected = vec!["guards-and-effects.md", "index.md"];
        if !api.types.is_empty() {
            expected.push("models.md");
        }
        if !api.webhooks.is_empty() {
            expected.push("webhooks.md");
        }
        expected.sort();
        assert_eq!(reference, expected, "{name}");
        assert_eq!(files.len(), pages.len() + 1, "{name}: meta.json");
        for (path, bytes) in files.iter() {
            let text = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{e}"));
            let label = format!("{name}/{path}");
            let stem = path
                .strip_suffix(".md")
                .unwrap_or(path)
                .replace(['/', '.'], "_");
            insta::assert_snapshot!(format!("{name}_{stem}"), text);
            if !path.ends_with(".md") {
                continue;
            }
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
            markdown::assert_no_block_from_spec_text(&label, text);
        }
    }
}

#[test]
fn every_operation_is_listed_once_and_every_webhook_only_on_its_page() {
    for name in fixtures() {
        let (api, files) = docs(&name);
        let pages = docs_pages(&files);
        let mut listed = listed_by_id(&files);
        let mut page_groups: BTreeMap<String, BTreeSet<(String, Option<String>)>> = BTreeMap::new();
        for op in &api.operations {
            let id = markdown::rendered_id(&op.id);
            let one = listed
                .remove(&id)
                .unwrap_or_else(|| panic!("{name}: {} ({id}) unlisted", op.id));
            let request = format!("{} {}", op.method, op.path);
            assert_eq!(one.row[0], request, "{name}: {id}");
            // Its section starts with the request and the host that serves it.
            assert!(
                one.request.starts_with(&format!("{request} on ")),
                "{name}: {id}: {}",
                one.request
            );
            page_groups
                .entry(one.page.clone())
                .or_default()
                .insert(group_of(op));
            // Each operation has its details, its parameters and, when it
            // documents any, its responses, under its section.
            let text = &pages[&one.page];
            let op_tables = tables(text);
            let op_details = details(&op_tables, &one.anchor);
            assert_eq!(
                field(&op_details, "Accepts"),
                one.row[2],
                "{name}: {id}: the tier column and Accepts"
            );
            assert_eq!(
                op_details.contains_key("Body"),
                op.body.is_some(),
                "{name}: {id}: {op_details:?}"
            );
            let params: Vec<[&str; 3]> = op_tables
                .iter()
                .filter(|t| t.anchor == one.anchor && t.header == PARAMETERS_HEADER)
                .flat_map(|t| &t.rows)
                .map(|r| [r[0].as_str(), r[1].as_str(), r[3].as_str()])
                .collect();
            let wanted: Vec<[&str; 3]> = op
                .params
                .iter()
                .map(|p| {
                    [
                        p.name.as_str(),
                        p.location.as_str(),
                        if p.required { "yes" } else { "no" },
                    ]
                })
                .collect();
            assert_eq!(params, wanted, "{name}: {id}: parameters");
            let answered = responses(&op_tables, &one.anchor);
            let mut statuses: Vec<String> =
                op.responses.iter().map(|r| r.status.to_string()).collect();
            statuses.sort();
            assert_eq!(
                answered.keys().cloned().collect::<Vec<_>>(),
                statuses,
                "{name}: {id}"
            );
        }
        assert!(
            listed.is_empty(),
            "{name}: rows for no operation: {listed:?}"
        );
        // A group page holds one group, whole.
        for (page, groups) in &page_groups {
            assert_eq!(groups.len(), 1, "{name}/{page}: {groups:?}");
        }

        let links_to_hooks = pages
            .iter()
            .filter(|(_, text)| {
                markdown::links(text)
                    .iter()
                    .any(|l| l.dest.starts_with("./webhooks.md"))
            })
            .count();
        if api.webhooks.is_empty() {
            assert!(files.get("docs/webhooks.md").is_none(), "{name}");
            assert_eq!(links_to_hooks, 0, "{name}");
            assert!(
                pages.values().all(|text| !text.contains("webhooks.md")),
                "{name}"
            );
            continue;
        }
        assert!(
            markdown::links(&pages["index.md"])
                .iter()
                .any(|l| l.dest == "./webhooks.md" && l.text == "webhooks"),
            "{name}: the overview links to the webhooks"
        );
        let hooks_text = page(&files, "docs/webhooks.md");
        let hooks = tables(hooks_text);
        let listed: Vec<(&str, &str)> = rows_of(&hooks, &["Webhook", "Method", "Purpose"])
            .iter()
            .map(|r| (r[0].as_str(), r[1].as_str()))
            .collect();
        let mut listed = listed;
        listed.sort();
        let mut wanted: Vec<(&str, &str)> = api
            .webhooks
            .iter()
            .map(|w| (w.name.as_str(), w.method.as_str()))
            .collect();
        wanted.sort();
        assert_eq!(listed, wanted, "{name}");
        let operations = group_tables(&files);
        for hook in &api.webhooks {
            let named = [hook.name.clone(), format!("{} {}", hook.name, hook.method)];
            // Webhooks are not operations: no operations row, no details there.
            assert!(
                operations.iter().all(|t| !named.contains(&t.section)),
                "{name}: webhook {} among the operations",
                hook.name
            );
            let heading = hooks
                .iter()
                .map(|t| t.section.as_str())
                .find(|s| named.iter().any(|n| n == s))
                .unwrap_or_else(|| panic!("{name}: no details for webhook {}", hook.name));
            let hook_details = hook_details(&hooks, heading);
            assert!(field(&hook_details, "Request").starts_with(hook.method.as_str()));
            let mut statuses: Vec<String> = hook
                .responses
                .iter()
                .map(|r| r.status.to_string())
                .collect();
            statuses.sort();
            let answered: Vec<String> = responses_where(&hooks, |t| t.section == heading)
                .into_keys()
                .collect();
            assert_eq!(answered, statuses, "{name}: {}", hook.name);
        }
    }
}

#[test]
fn every_page_has_frontmatter_with_a_title_and_no_h1_of_its_own() {
    for name in fixtures() {
        let (api, files) = docs(&name);
        for (page, text) in &docs_pages(&files) {
            let front = markdown::assert_frontmatter_and_no_h1(&format!("{name}/{page}"), text);
            assert!(
                front["generated"].starts_with(&format!("by tiergen from {}", api.title)),
                "{name}/{page}: {front:?}"
            );
        }
    }
}

#[test]
fn the_sidebar_lists_exactly_the_pages() {
    for name in fixtures() {
        let (api, files) = docs(&name);
        let pages = docs_pages(&files);
        let entries = markdown::assert_meta_lists_the_pages(&name, &files, &pages, &api.title);
        // Sections of the sidebar are the services, then the reference pages.
        let separators: Vec<&str> = entries
            .iter()
            .map(String::as_str)
            .filter(|e| e.starts_with("---"))
            .collect();
        if !separators.is_empty() {
            assert_eq!(separators.last(), Some(&"---Reference---"), "{name}");
            let services: BTreeSet<&str> = api
                .operations
                .iter()
                .map(|op| op.service.0.as_str())
                .collect();
            assert_eq!(separators.len(), services.len() + 1, "{name}: {entries:?}");
        }
    }
}

/// Whether an operation declares a guard (or an effect).
type Declares = fn(&Operation) -> bool;

#[test]
fn every_link_lands_on_a_page_and_a_heading_the_site_names() {
    for name in fixtures() {
        let (api, files) = docs(&name);
        let pages = docs_pages(&files);
        let internal = markdown::assert_links_resolve(&name, &pages);
        assert!(internal >= pages.len() - 1, "{name}: only {internal} links");
        // Each row of an operations table links to its operation's heading.
        assert_eq!(
            markdown::listed_operations(&pages).len(),
            api.operations.len(),
            "{name}"
        );
        // The guards and effects page names each operation with a guard or
        // an effect, linked to its heading, and no other.
        let listed = listed_by_id(&files);
        let guards = tables(&pages["guards-and-effects.md"]);
        let kinds: [(&str, Declares); 2] = [
            ("What it does", |op| !op.guards.is_empty()),
            ("What happens", |op| !op.effects.is_empty()),
        ];
        for (header, has) in kinds {
            let linked: BTreeSet<&str> = guards
                .iter()
                .filter(|t| t.header == ["Operation", "Method · Path", header])
                .flat_map(|t| t.links.iter().flatten())
                .map(String::as_str)
                .collect();
            let wanted: BTreeSet<String> = api
                .operations
                .iter()
                .filter(|op| has(op))
                .map(|op| {
                    let at = &listed[&markdown::rendered_id(&op.id)];
                    format!("./{}#{}", at.page, at.anchor)
                })
                .collect();
            let wanted: BTreeSet<&str> = wanted.iter().map(String::as_str).collect();
            assert_eq!(linked, wanted, "{name}: {header}");
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
    let hook = hook_details(&hooks, "datasetUpdated");
    assert_eq!(
        field(&hook, "Request"),
        "POST to the URL you register for datasetUpdated"
    );
    assert_eq!(field(&hook, "Payload"), "Dataset");
    assert_eq!(
        responses_where(&hooks, |t| t.section == "datasetUpdated")["200"],
        ["200", "Received.", "none"]
    );
    for (path, text) in docs_pages(&files) {
        if path != "webhooks.md" {
            assert!(!text.contains("datasetUpdated"), "{path}: {text}");
        }
    }
}

#[test]
fn every_credential_kind_says_what_it_is_and_how_it_travels() {
    let (_, files) = docs("security");
    let index = tables(page(&files, "docs/index.md"));
    let matrix: BTreeMap<&str, &str> = rows(
        &index,
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
    let index = tables(page(&files, "docs/index.md"));
    let flows = rows(
        &index,
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
        &index,
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
    let text = page(&files, "docs/index.md");
    assert!(text.contains(
        "Discovery document: `https://auth.example.com/.well-known/openid-configuration`."
    ));
    assert_eq!(
        rows(&index, "oidc: OpenID Connect", &["Scope", "Needed by"]),
        [["openid", "createThing"], ["things", "createThing"]]
    );
}

#[test]
fn scopes_stand_beside_the_credential_wherever_an_operation_shows_it() {
    let (_, files) = docs("security");
    let operations = group_tables(&files);
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
        let (tables, anchor) = section_of(&files, id);
        assert_eq!(field(&details(&tables, &anchor), "Accepts"), tier, "{id}");
    }
    // The reader is told what the parentheses mean.
    assert!(page(&files, "docs/api.md").contains("Scopes in parentheses"));
    // An empty alternative (`security: [{}, …]`) reads as "no credential".
    let (_, hostile) = docs("hostile-text");
    let hostile_ops = group_tables(&hostile);
    assert!(
        tier_row(&hostile_ops, "GET /things/{id}")[2].starts_with("no credential or oauth ("),
        "{:?}",
        tier_row(&hostile_ops, "GET /things/{id}")
    );
}

#[test]
fn a_spec_without_security_says_so_and_shows_no_credential_tables() {
    let (api, files) = docs("no-security");
    assert!(api.credentials.is_empty());
    let text = page(&files, "docs/index.md");
    assert!(
        text.contains("The spec declares no security: it names no credential for any operation, which does not say the API takes none.")
            && text.contains("All 7 operations"),
        "{text}"
    );
    // No tier matrix, no reach matrix: no credential table at all rather
    // than empty ones; the overview's only table lists the groups.
    let index = tables(text);
    assert_eq!(index.len(), 1, "{text}");
    assert_eq!(index[0].header, ["Group", "Operations", "About"]);
    assert!(!text.contains("Tier matrix") && !text.contains("Reach matrix"));
    // Without servers, paths are relative to wherever the API is served.
    assert!(text.contains("Base URL `/` on the host that serves the API"));
    let group = page(&files, "docs/api.md");
    assert!(
        group.contains("The spec declares no security: it names no credential for any operation"),
        "{group}"
    );
    assert!(group.contains("Served at base URL `/` on the host that serves the API"));
    let operations = tables(group);
    for op in &api.operations {
        assert_eq!(
            tier_row(&operations, &format!("{} {}", op.method, op.path))[2],
            "none declared (the spec declares no security)"
        );
    }
}

#[test]
fn responses_headers_media_types_and_discriminators_are_in_the_details() {
    let (_, zoo) = docs("polymorphism");
    let (operations, list_pets) = section_of(&zoo, "listPets");
    let list = responses(&operations, &list_pets);
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
        details(&operations, &list_pets)["Discriminator"],
        ["Pet: property petType picks the schema: cat → Cat, dog → Dog"]
    );
    let (operations, create_pet) = section_of(&zoo, "createPet");
    let create = responses(&operations, &create_pet);
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
        details(&operations, &create_pet)["Discriminator"],
        [
            // No mapping: the value is the schema's name.
            "NewPet: property petType holds the name of the schema: Cat or Dog",
            "Pet: property petType picks the schema: cat → Cat, dog → Dog",
        ]
    );

    let (_, bodies) = docs("bodies");
    let body = |id: &str| {
        let (tables, anchor) = section_of(&bodies, id);
        field(&details(&tables, &anchor), "Body").to_string()
    };
    assert_eq!(
        body("login"),
        "object as application/json (also application/x-www-form-urlencoded)"
    );
    assert_eq!(
        body("putFileBytes"),
        "binary string as application/octet-stream"
    );
    assert_eq!(body("uploadFile"), "object as multipart/form-data");
    let (tables, get_file) = section_of(&bodies, "getFile");
    let file = responses(&tables, &get_file);
    assert_eq!(
        file["200"][2],
        "object as application/json (also application/octet-stream)"
    );
    assert_eq!(
        file["default"],
        ["default", "Something went wrong.", "none"]
    );
    let (tables, login) = section_of(&bodies, "login");
    assert_eq!(
        responses(&tables, &login)["4XX"],
        ["4XX", "Refused.", "none"]
    );
    // The parameters of a path whose server is another host.
    let (tables, search) = section_of(&bodies, "search");
    let names: Vec<[&str; 3]> = tables
        .iter()
        .filter(|t| t.anchor == search && t.header == PARAMETERS_HEADER)
        .flat_map(|t| &t.rows)
        .map(|r| [r[0].as_str(), r[1].as_str(), r[3].as_str()])
        .collect();
    assert_eq!(names, [["filter", "query", "no"], ["tags", "query", "no"]]);
    // Alternate URLs of a service, and the variables of a templated one.
    let text = page(&bodies, "docs/index.md");
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
        if !path.ends_with(".md") {
            assert!(
                !text.contains("49"),
                "{path}: a template expression was evaluated"
            );
            continue;
        }
        let (front, _) = markdown::split_frontmatter(text);
        assert!(
            !front.unwrap_or_default().contains("49"),
            "{path}: a template expression was evaluated"
        );
        // Prose only: the samples' code is checked by the samples' tests.
        markdown::assert_no_raw_html(path, text);
        for (n, line) in markdown::prose_lines(path, text) {
            assert!(
                !line.contains("49"),
                "{path}:{n}: a template expression was evaluated"
            );
            let prose = markdown::outside_code_spans(&line);
            assert!(
                !prose.contains("<script>") && !prose.contains("<b>"),
                "{path}:{n}: raw HTML"
            );
        }
    }
    let index = tables(page(&files, "docs/index.md"));
    let scopes = rows(
        &index,
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
    let (operations, get_thing) = section_of(&files, "getThing");
    let answers = responses(&operations, &get_thing);
    assert_eq!(answers["200"][1], "The thing | {it} <Thing> | row |");
    assert_eq!(
        answers["200"][3],
        "X-Rate|Limit (integer, required): Calls left {{ n }} | <n>; X-{Next} (string)"
    );
    assert_eq!(
        details(&operations, &get_thing)["Discriminator"],
        ["Thing: property kind|{type} picks the schema: a|b → Plain, {{ c }} → Fancy"]
    );
    // One webhook name with two methods: two headings, told apart by the method.
    let hooks = tables(page(&files, "docs/webhooks.md"));
    for method in ["PUT", "POST"] {
        hook_details(&hooks, &format!("thing|changed {{{{ x }}}} {method}"));
    }
}
