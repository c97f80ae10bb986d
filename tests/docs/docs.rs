//! The docs pages read well: parsed with a real CommonMark/GFM parser, every
//! table is well-formed, every operation is listed exactly once across the
//! group pages, every page has the site's frontmatter and no H1 of its own,
//! the sidebar lists exactly the pages, every link lands on a page and a
//! heading the site's slugger names, and spec text can break neither a
//! table nor the template.

use crate::common;

use std::collections::BTreeMap;

use crate::common::markdown::{
    self, OPERATIONS_HEADER, Slugger, Table, assert_tables_consistent, docs_pages, rows, sections,
    tables,
};
use tiergen::emit::{Files, Target, emit};
use tiergen::frontend::{OverlayChoice, load};
use tiergen::ir::Api;

const GROUPS_HEADER: [&str; 3] = ["Group", "Operations", "About"];
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

fn docs_of(spec: &str) -> (Api, Files) {
    let api =
        load(&common::fixture(spec), &OverlayChoice::Beside).unwrap_or_else(|e| panic!("{e}"));
    let files = emit(&api, &[Target::Docs]).unwrap_or_else(|e| panic!("{e}"));
    (api, files)
}

fn management_docs() -> (Api, Files) {
    let api = load(
        &common::repo_root().join("spec/management.yaml"),
        &OverlayChoice::Beside,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let files = emit(&api, &[Target::Docs]).unwrap_or_else(|e| panic!("{e}"));
    (api, files)
}

fn page<'a>(files: &'a Files, path: &str) -> &'a str {
    std::str::from_utf8(files.get(path).unwrap_or_else(|| panic!("no {path}")))
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The tables of every group page, in page order.
fn group_tables(files: &Files) -> Vec<Table> {
    let pages = docs_pages(files);
    markdown::group_pages(&pages)
        .into_iter()
        .flat_map(|(_, text)| tables(text))
        .collect()
}

#[test]
fn every_table_of_the_management_docs_is_well_formed() {
    let (_, files) = management_docs();
    let pages = docs_pages(&files);
    assert!(pages.len() > 4, "{:?}", pages.keys());
    for (name, text) in &pages {
        assert_tables_consistent(name, text);
        markdown::assert_no_block_from_spec_text(name, text);
    }
}

#[test]
fn the_management_docs_have_the_pages_the_readme_names() {
    let (_, files) = management_docs();
    let names: Vec<&str> = files.paths().collect();
    assert_eq!(
        names,
        [
            "docs/cp-admin.md",
            "docs/cp-billing.md",
            "docs/cp-orgs.md",
            "docs/cp-provision.md",
            "docs/guards-and-effects.md",
            "docs/index.md",
            "docs/meta.json",
            "docs/models.md",
            "docs/tenant-bundles.md",
            "docs/tenant-org.md",
            "docs/tenant-secrets.md",
            "docs/tenant-workspaces.md",
        ]
    );
}

#[test]
fn every_operation_appears_exactly_once_in_the_operations_tables() {
    let (api, files) = management_docs();
    let pages = docs_pages(&files);
    let mut seen: BTreeMap<String, Vec<markdown::Listed>> = BTreeMap::new();
    for listed in markdown::listed_operations(&pages) {
        seen.entry(listed.id.clone()).or_default().push(listed);
    }
    for op in &api.operations {
        let listed = seen
            .remove(&op.id)
            .unwrap_or_else(|| panic!("{} unlisted", op.id));
        let [one] = listed.as_slice() else {
            panic!("{} listed {} times", op.id, listed.len());
        };
        let request = format!("{} {}", op.method, op.path);
        assert_eq!(one.row[0], request, "{}", op.id);
        assert!(
            one.request.starts_with(&format!("{request} on ")),
            "{}: {}",
            op.id,
            one.request
        );
        // One page per tag of a service: the management spec tags every operation.
        let tag = op
            .tags
            .first()
            .unwrap_or_else(|| panic!("{} untagged", op.id));
        assert_eq!(one.page, format!("{tag}.md"), "{}", op.id);
    }
    assert!(seen.is_empty(), "rows for no operation: {seen:?}");
}

#[test]
fn docs_use_the_docs_site_columns() {
    let (api, files) = management_docs();
    let index = tables(page(&files, "docs/index.md"));
    assert_eq!(index[0].section, "Tier matrix");
    assert_eq!(
        index[0].header,
        ["Scheme", "What it is", "Where it applies"]
    );
    let schemes: Vec<&str> = index[0].rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        schemes,
        [
            "workosSession",
            "cpAdminBearer",
            "provisionSecret",
            "tenantAdminToken",
            "orgApiKey",
            "workspaceToken"
        ]
    );
    let org_key = &index[0].rows[4][2];
    assert!(
        org_key.starts_with("Tenant workspace-server: 27 of 28 operations"),
        "{org_key}"
    );
    assert!(
        !org_key.contains("Control plane"),
        "the org API key reaches no CP route: {org_key}"
    );
    let reach = index
        .iter()
        .find(|t| t.section == "Reach matrix")
        .unwrap_or_else(|| panic!("no reach matrix"));
    assert_eq!(
        reach.header,
        [
            "Credential",
            "Control plane",
            "Tenant workspace-server",
            "Can never call"
        ]
    );
    let org_key_reach = reach
        .rows
        .iter()
        .find(|r| r[0] == "orgApiKey")
        .unwrap_or_else(|| panic!("no orgApiKey row"));
    assert_eq!(
        org_key_reach[1..],
        ["0 of 30", "27 of 28", "any Control plane operation (29)"]
    );
    assert_eq!(
        rows(
            &index,
            "Routing headers",
            &["Header", "What it does", "Operations"]
        )
        .iter()
        .map(|r| r[0].as_str())
        .collect::<Vec<_>>(),
        ["X-Molecule-Org-Id", "X-Molecule-Org-Slug"]
    );

    // Each host with its groups: a link to the group's page and how many
    // operations it holds, which is what that page lists.
    let mut total = 0;
    for (service, groups) in [
        (
            "Control plane",
            &[
                ("cp-orgs", 7),
                ("cp-billing", 4),
                ("cp-admin", 16),
                ("cp-provision", 3),
            ][..],
        ),
        (
            "Tenant workspace-server",
            &[
                ("tenant-workspaces", 15),
                ("tenant-org", 7),
                ("tenant-secrets", 4),
                ("tenant-bundles", 2),
            ][..],
        ),
    ] {
        let table = index
            .iter()
            .find(|t| t.section == service && t.header == GROUPS_HEADER)
            .unwrap_or_else(|| panic!("no groups of {service}"));
        let listed: Vec<(&str, &str, &str)> = table
            .rows
            .iter()
            .zip(&table.links)
            .map(|(r, l)| (r[0].as_str(), l[0].as_str(), r[1].as_str()))
            .collect();
        let wanted: Vec<(String, String, String)> = groups
            .iter()
            .map(|(g, n)| (g.to_string(), format!("./{g}.md"), n.to_string()))
            .collect();
        let wanted: Vec<(&str, &str, &str)> = wanted
            .iter()
            .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
            .collect();
        assert_eq!(listed, wanted, "{service}");
        for (group, count) in groups.iter() {
            let on_page: usize = tables(page(&files, &format!("docs/{group}.md")))
                .iter()
                .filter(|t| t.header == OPERATIONS_HEADER)
                .map(|t| t.rows.len())
                .sum();
            assert_eq!(on_page, *count, "{group}");
            total += count;
        }
    }
    assert_eq!(total, api.operations.len());

    // Every operation section of a group page has the same tables.
    for table in group_tables(&files) {
        let known: [&[&str]; 4] = [
            &OPERATIONS_HEADER,
            &DETAILS_HEADER,
            &PARAMETERS_HEADER,
            &["Response", "Description", "Body"],
        ];
        assert!(
            known.contains(
                &table
                    .header
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .as_slice()
            ),
            "§ {}: {:?}",
            table.section,
            table.header
        );
    }
}

/// The operations-table row whose first cell is `request` (`METHOD /path`).
fn row<'a>(tables: &'a [Table], request: &str) -> &'a [String] {
    let mut found = tables
        .iter()
        .filter(|t| t.header == OPERATIONS_HEADER)
        .flat_map(|t| &t.rows)
        .filter(|r| r[0] == request);
    let first = found
        .next()
        .unwrap_or_else(|| panic!("no row for {request}"));
    assert!(found.next().is_none(), "two rows for {request}");
    first
}

/// The `Field | Value` table of the section with id `anchor`, as field →
/// values (a field such as Guard may repeat).
fn details(tables: &[Table], anchor: &str) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for table in tables
        .iter()
        .filter(|t| t.anchor == anchor && t.header == DETAILS_HEADER)
    {
        for row in &table.rows {
            out.entry(row[0].clone()).or_default().push(row[1].clone());
        }
    }
    assert!(!out.is_empty(), "no details table under #{anchor}");
    out
}

/// The `Parameters` rows of the section with id `anchor`.
fn parameters<'a>(tables: &'a [Table], anchor: &str) -> Vec<&'a [String]> {
    tables
        .iter()
        .filter(|t| t.anchor == anchor && t.header == PARAMETERS_HEADER)
        .flat_map(|t| t.rows.iter().map(Vec::as_slice))
        .collect()
}

#[test]
fn one_look_answers_which_credential_and_what_happens() {
    let (_, files) = management_docs();
    let admin = tables(page(&files, "docs/cp-admin.md"));
    let teardown = row(&admin, "DELETE /api/v1/admin/tenants/{slug}");
    assert!(
        teardown[1].contains("guard: confirm")
            && teardown[1].contains("effect: irreversible-purge"),
        "{teardown:?}"
    );
    assert_eq!(teardown[2], "cpAdminBearer");
    let teardown = details(&admin, "admin-delete-a-tenant-confirm-gated-teardown");
    assert_eq!(teardown["Accepts"], ["cpAdminBearer"]);
    assert_eq!(
        teardown["Guard"],
        ["body confirm must equal the path parameter slug, else the call is refused"]
    );
    assert_eq!(teardown["Effect"].len(), 1, "{teardown:?}");
    assert_eq!(
        parameters(&admin, "admin-delete-a-tenant-confirm-gated-teardown"),
        [[
            "slug",
            "path",
            "string",
            "yes",
            "",
            "matches ^[a-z][a-z0-9-]{2,31}$",
            "Org slug (subdomain segment, ^[a-z][a-z0-9-]{2,31}$)."
        ]]
    );

    let provision = tables(page(&files, "docs/cp-provision.md"));
    let deprovision = row(&provision, "DELETE /api/v1/workspaces/{workspace_id}");
    assert_eq!(deprovision[2], "provisionSecret + tenantAdminToken");
    let anchor = "deprovision-terminate-a-workspace-ec2--dns";
    assert_eq!(
        details(&provision, anchor)["Accepts"],
        ["provisionSecret + tenantAdminToken"]
    );
    let params = parameters(&provision, anchor);
    let shape: Vec<[&str; 4]> = params
        .iter()
        .map(|p| [p[0].as_str(), p[1].as_str(), p[2].as_str(), p[3].as_str()])
        .collect();
    assert_eq!(
        shape,
        [
            ["workspace_id", "path", "uuid string", "yes"],
            ["prune", "query", "boolean", "no"]
        ]
    );
    assert!(params[1][6].contains("PERMANENT data delete"), "{params:?}");

    let workspaces = tables(page(&files, "docs/tenant-workspaces.md"));
    let listing = row(&workspaces, "GET /workspaces");
    assert_eq!(
        listing[2],
        "orgApiKey + X-Molecule-Org-Id or workosSession + X-Molecule-Org-Slug"
    );
    assert_eq!(
        details(&workspaces, "list-workspaces-in-the-org-tenant-admin")["Accepts"],
        ["orgApiKey + X-Molecule-Org-Id or workosSession + X-Molecule-Org-Slug"]
    );
}

#[test]
fn hostile_spec_text_is_data_not_markup_or_template() {
    let (_, files) = docs_of("hostile.yaml");
    assert_eq!(
        files.paths().collect::<Vec<_>>(),
        [
            "docs/api.md",
            "docs/guards-and-effects.md",
            "docs/index.md",
            "docs/meta.json"
        ]
    );
    for (name, text) in &docs_pages(&files) {
        // A page may have no table (no guard declared), never a ragged one.
        if name != "guards-and-effects.md" {
            assert_tables_consistent(name, text);
        }
        markdown::assert_no_block_from_spec_text(name, text);
        // Prose only: the samples' code is another engineer's to check.
        markdown::assert_no_raw_html(name, text);
        let (front, _) = markdown::split_frontmatter(text);
        assert!(
            !front.unwrap_or_default().contains("49"),
            "{name}: frontmatter"
        );
        for (n, line) in markdown::prose_lines(name, text) {
            assert!(
                !line.contains("49"),
                "{name}:{n}: `{{{{ 7*7 }}}}` was evaluated"
            );
            assert!(!line.contains("evaluated{"), "{name}:{n}");
            assert!(
                !line.contains("<script>") && !line.contains("<key>"),
                "{name}:{n}: raw angle brackets"
            );
        }
    }
    assert!(!page(&files, "docs/meta.json").contains("49"));
    let api_page = page(&files, "docs/api.md");
    // The summary stays one cell; the description's lines are escaped.
    let hostile = row(&tables(api_page), "DELETE /things/{id}").to_vec();
    assert_eq!(
        hostile[1],
        "Delete | destroy {everything} <now> second line · effect: cascade-delete"
    );
    assert!(api_page.contains("\\# Not a heading"));
    assert!(api_page.contains("Uses `{{ secret }}` and \\{\\{ 1+1 \\}\\}"));
    // The heading reads back as the summary, and its id is what the row links to.
    let heading = &sections(api_page)[1].heading;
    assert_eq!(
        heading.text,
        "Delete | destroy {everything} <now> second line"
    );
    assert_eq!(heading.anchor, "delete--destroy-everything-now-second-line");
    insta::assert_snapshot!("hostile_api", api_page);
}

#[test]
fn docs_snapshots_of_small_fixtures() {
    let (_, files) = docs_of("petstore-3.0.yaml");
    for (path, bytes) in files.iter() {
        let name = format!("petstore_{}", path.replace(['/', '.'], "_"));
        insta::assert_snapshot!(name, String::from_utf8_lossy(bytes));
    }
}

#[test]
fn every_page_has_frontmatter_with_a_title_and_no_h1_of_its_own() {
    for (label, (api, files)) in [
        ("management", management_docs()),
        ("petstore", docs_of("petstore-3.0.yaml")),
        ("hostile", docs_of("hostile.yaml")),
    ] {
        let pages = docs_pages(&files);
        for (name, text) in &pages {
            let front = markdown::assert_frontmatter_and_no_h1(&format!("{label}/{name}"), text);
            let generated = &front["generated"];
            assert!(
                generated.contains(&format!("{} {}", api.title, api.version)),
                "{label}/{name}: {generated}"
            );
        }
        let front = markdown::assert_frontmatter_and_no_h1(
            &format!("{label}/index.md"),
            &pages["index.md"],
        );
        assert_eq!(front["title"], "Overview", "{label}");
    }
    // A group page is titled by its tag.
    let (_, files) = management_docs();
    for (name, text) in markdown::group_pages(&docs_pages(&files)) {
        let front = markdown::assert_frontmatter_and_no_h1(name, text);
        assert_eq!(
            format!("{}.md", front["title"]),
            name,
            "the title of {name}"
        );
    }
}

#[test]
fn the_sidebar_lists_exactly_the_pages() {
    let (api, files) = management_docs();
    let pages = docs_pages(&files);
    let entries = markdown::assert_meta_lists_the_pages("management", &files, &pages, &api.title);
    assert_eq!(
        entries,
        [
            "index",
            "---Control plane---",
            "cp-orgs",
            "cp-billing",
            "cp-admin",
            "cp-provision",
            "---Tenant workspace-server---",
            "tenant-workspaces",
            "tenant-org",
            "tenant-secrets",
            "tenant-bundles",
            "---Reference---",
            "guards-and-effects",
            "models",
        ]
    );
    for spec in ["petstore-3.0.yaml", "hostile.yaml"] {
        let (api, files) = docs_of(spec);
        let pages = docs_pages(&files);
        markdown::assert_meta_lists_the_pages(spec, &files, &pages, &api.title);
    }
}

#[test]
fn every_link_lands_on_a_page_and_a_heading_the_site_names() {
    for (label, (_, files)) in [
        ("management", management_docs()),
        ("petstore", docs_of("petstore-3.0.yaml")),
        ("hostile", docs_of("hostile.yaml")),
    ] {
        let pages = docs_pages(&files);
        let internal = markdown::assert_links_resolve(label, &pages);
        assert!(internal > pages.len(), "{label}: only {internal} links");
        for (name, text) in &pages {
            let links = markdown::links(text);
            // Links between pages name the page: `./page.md`, not `page.md`.
            for link in &links {
                assert!(
                    link.dest.starts_with("./")
                        || link.dest.starts_with('#')
                        || link.dest.starts_with("https://"),
                    "{label}/{name}: {}",
                    link.dest
                );
            }
        }
    }
}

#[test]
fn the_test_slugger_is_github_slugger() {
    // Cases from github-slugger's README and fixtures.
    let mut s = Slugger::default();
    let cases = [
        ("Foo Bar", "foo-bar"),
        ("Foo Bar", "foo-bar-1"),
        ("foo bar", "foo-bar-2"),
        ("foo-bar", "foo-bar-3"),
        ("Привет non-latin 你好", "привет-non-latin-你好"),
        ("I ♥ unicode", "i--unicode"),
        ("Dash-dash — em dash", "dash-dash--em-dash"),
        ("snake_case and ‿ tie", "snake_case-and-‿-tie"),
        (
            "Deprovision (terminate) a workspace EC2 + DNS",
            "deprovision-terminate-a-workspace-ec2--dns",
        ),
        ("x² ½ ① Ⓐ", "x---ⓐ"),
        ("a\u{202e}b\u{2066}c\u{7}", "abc"),
        ("  lead and trail  ", "--lead-and-trail--"),
        ("tab\tand\u{a0}nbsp", "tabandnbsp"),
        ("Café", "café"),
        ("", ""),
        ("", "-1"),
        ("a", "a"),
        ("a", "a-1"),
        ("a-1", "a-1-1"),
    ];
    for (text, id) in cases {
        assert_eq!(s.slug(text), id, "{text:?}");
    }
}
