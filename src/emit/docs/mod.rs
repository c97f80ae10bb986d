//! The docs pages: a folder a Fumadocs or Docusaurus-style site serves as it
//! is, and that reads on GitHub too. Layout lives in `templates/docs/`; this
//! module plans the pages (which there are, their file names and the anchor
//! of every heading a link points at) and gathers the facts from the IR into
//! view structs.
//!
//! Every page opens with YAML frontmatter (`title`, `description`, and the
//! do-not-edit notice in `generated`), never with a `# H1`: the site shows
//! the title itself. Pages link to each other as `./page.md#anchor`, the one
//! form both GitHub and the sites resolve; anchors are github-slugger's, the
//! slugger the sites use, computed here heading by heading ([`slug`]).
//! `meta.json` orders the pages in the site's sidebar.
//!
//! Text that mixes prose with names (a type, a media type, a URL) is handed
//! to the templates as [`Rich`] pieces, never as pre-built markdown: the
//! templates' `rich` filter escapes each piece for its kind, so spec text
//! stays data whatever it holds.

mod example;
mod rich;
mod samples;
mod slug;
mod views;

use std::collections::HashMap;

use minijinja::Value;
use serde::Serialize;
use serde_json::json;

use super::Files;
use super::markdown;
use crate::ir::{Api, Service};
use crate::naming::{self, Names};
use slug::Slugger;
use views::View;

/// The file extension of the pages: what the docs site compiles them as.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Extension {
    /// CommonMark + GFM, read as MDX by sites that compile `.md` that way.
    #[default]
    Md,
    Mdx,
}

impl Extension {
    pub fn as_str(self) -> &'static str {
        match self {
            Extension::Md => "md",
            Extension::Mdx => "mdx",
        }
    }
}

/// How the docs are laid out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    pub extension: Extension,
}

/// Pages every API gets, besides one per operation group. Their stems are
/// never given to a group page.
const INDEX: &str = "index";
const GUARDS_AND_EFFECTS: &str = "guards-and-effects";
const MODELS: &str = "models";
const WEBHOOKS: &str = "webhooks";

const TEMPLATES: [(&str, &str); 6] = [
    ("index", include_str!("../../../templates/docs/index.md.j2")),
    ("group", include_str!("../../../templates/docs/group.md.j2")),
    (
        "guards-and-effects",
        include_str!("../../../templates/docs/guards-and-effects.md.j2"),
    ),
    (
        "models",
        include_str!("../../../templates/docs/models.md.j2"),
    ),
    (
        "webhooks",
        include_str!("../../../templates/docs/webhooks.md.j2"),
    ),
    (
        "docs/macros.md.j2",
        include_str!("../../../templates/docs/macros.md.j2"),
    ),
];

pub fn emit(api: &Api, names: &Names<'_>, options: &Options) -> Result<Files, String> {
    let mut env = markdown::environment();
    for (name, source) in TEMPLATES {
        env.add_template(name, source)
            .map_err(|e| format!("template {name}: {e}"))?;
    }
    let site = Site::plan(api, options.extension);
    let view = View::new(api, names, &site);
    // Turned into a template value once: every page reads the same view.
    let api_value = Value::from(minijinja::value::Serde(&view));
    let mut files = Files::default();
    for page in &site.pages {
        let page_value = Value::from(minijinja::value::Serde(page.view(&view)));
        let body = env
            .get_template(page.template)
            .and_then(|t| {
                t.render(minijinja::context! {
                    api => api_value.clone(),
                    page => page_value,
                })
            })
            .map_err(|e| format!("template {}: {e:#}", page.template))?;
        let text = format!("{}{body}", frontmatter(api, page));
        files.insert(format!("docs/{}", site.file(&page.stem)), text);
    }
    files.insert("docs/meta.json", site.meta(api)?);
    Ok(files)
}

/// The page's YAML frontmatter. Values are double-quoted YAML strings, so
/// spec text in a title is data, never YAML syntax.
fn frontmatter(api: &Api, page: &Page) -> String {
    format!(
        "---\ntitle: {}\ndescription: {}\ngenerated: {}\n---\n\n",
        yaml_string(&page.title),
        yaml_string(&page.description),
        yaml_string(&format!(
            "by tiergen from {} {}; do not edit this page, change the spec and run tiergen generate",
            api.title, api.version
        )),
    )
}

/// A YAML double-quoted scalar on one line: quotes, backslashes and every
/// character YAML will not take raw (controls, and C1 and bidi controls
/// that would reorder the line) escaped as `\uXXXX`.
fn yaml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() || crate::text::is_bidi_control(c) || c == '\u{feff}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One page of the site.
#[derive(Debug, Clone)]
struct Page {
    /// The file name without its extension, unique in the folder.
    stem: String,
    template: &'static str,
    title: String,
    description: String,
    kind: PageKind,
}

#[derive(Debug, Clone)]
enum PageKind {
    Index,
    /// The operations of one tag on one service: indices into
    /// `View::services` and that service's groups.
    Group {
        service: usize,
        group: usize,
    },
    GuardsAndEffects,
    Models,
    Webhooks,
}

impl Page {
    /// What the page's template reads as `page`, beside the whole `api` view.
    fn view(&self, view: &View<'_>) -> serde_json::Value {
        match self.kind {
            PageKind::Group { service, group } => json!({
                "stem": self.stem,
                "service": service,
                "group": group,
                "title": self.title,
                // The site shows the description under the title: the tag's
                // description is repeated only when it says more.
                "show_description": view
                    .group_description(service, group)
                    .is_some_and(|d| flatten(d) != self.description),
            }),
            _ => json!({ "stem": self.stem, "title": self.title }),
        }
    }
}

/// Where a heading lives: its page and its id there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Anchor {
    pub page: String,
    pub id: String,
}

/// The pages and every anchor a link may point at.
#[derive(Debug)]
pub struct Site {
    extension: Extension,
    pages: Vec<Page>,
    operations: HashMap<String, Anchor>,
    models: HashMap<String, Anchor>,
    webhooks: Vec<Anchor>,
    /// The sidebar: page stems, with `---Service---` separators.
    order: Vec<String>,
}

impl Site {
    fn plan(api: &Api, extension: Extension) -> Site {
        let mut site = Site {
            extension,
            pages: Vec::new(),
            operations: HashMap::new(),
            models: HashMap::new(),
            webhooks: Vec::new(),
            order: Vec::new(),
        };
        site.add(Page {
            stem: INDEX.into(),
            template: "index",
            title: "Overview".into(),
            description: overview_description(api),
            kind: PageKind::Index,
        });
        let sectioned = site.plan_groups(api);
        if sectioned {
            site.order.push("---Reference---".into());
        }
        site.add(Page {
            stem: GUARDS_AND_EFFECTS.into(),
            template: "guards-and-effects",
            title: "Guards and effects".into(),
            description: format!(
                "What stands between a caller and each operation of {}, and what follows when it runs.",
                api.title
            ),
            kind: PageKind::GuardsAndEffects,
        });
        site.plan_models(api);
        site.plan_webhooks(api);
        site
    }

    /// A page, last in the sidebar.
    fn add(&mut self, page: Page) {
        self.order.push(page.stem.clone());
        self.pages.push(page);
    }

    /// One page per group of each service, with the anchor of every
    /// operation's heading; returns whether the sidebar has a section per
    /// service (several services, one of them with several pages).
    fn plan_groups(&mut self, api: &Api) -> bool {
        let mut reserved = vec![INDEX, GUARDS_AND_EFFECTS, MODELS, WEBHOOKS, "meta"];
        reserved.extend_from_slice(naming::WINDOWS_RESERVED);
        let mut stems = naming::Scope::new(&reserved, naming::Suffix::Underscore);
        let all_groups: Vec<_> = api
            .services
            .iter()
            .map(|service| views::groups_of(api, service))
            .collect();
        let sectioned = all_groups.iter().filter(|g| !g.is_empty()).count() > 1
            && all_groups.iter().any(|g| g.len() > 1);
        for ((s, service), groups) in api.services.iter().enumerate().zip(&all_groups) {
            if sectioned && !groups.is_empty() {
                self.order
                    .push(format!("---{}---", views::service_title(service)));
            }
            for (g, (tag, ops)) in groups.iter().enumerate() {
                let title = views::group_title(service, tag, groups.len());
                let stem = stems.claim(&page_stem(&all_groups, service, tag, &title, s));
                let mut slugger = Slugger::default();
                for op in ops {
                    let id = slugger.slug(&views::heading_text(op));
                    let page = stem.clone();
                    self.operations.insert(op.id.clone(), Anchor { page, id });
                }
                self.add(Page {
                    stem,
                    template: "group",
                    title,
                    description: group_description(api, service, tag, ops.len()),
                    kind: PageKind::Group {
                        service: s,
                        group: g,
                    },
                });
            }
        }
        sectioned
    }

    /// The models page, when the spec names types, with each type's anchor.
    fn plan_models(&mut self, api: &Api) {
        if api.types.is_empty() {
            return;
        }
        let mut slugger = Slugger::default();
        for named in api.types.iter() {
            let id = slugger.slug(&flatten(&named.name));
            let page = MODELS.to_string();
            self.models.insert(named.name.clone(), Anchor { page, id });
        }
        self.add(Page {
            stem: MODELS.into(),
            template: "models",
            title: "Models".into(),
            description: format!("The named types of {}'s bodies and answers.", api.title),
            kind: PageKind::Models,
        });
    }

    /// The webhooks page, when the spec has webhooks, with each one's anchor.
    fn plan_webhooks(&mut self, api: &Api) {
        if api.webhooks.is_empty() {
            return;
        }
        let mut slugger = Slugger::default();
        for heading in views::webhook_headings(api) {
            let id = slugger.slug(&heading);
            let page = WEBHOOKS.to_string();
            self.webhooks.push(Anchor { page, id });
        }
        self.add(Page {
            stem: WEBHOOKS.into(),
            template: "webhooks",
            title: "Webhooks".into(),
            description: format!("The requests {} sends to endpoints you run.", api.title),
            kind: PageKind::Webhooks,
        });
    }

    fn file(&self, stem: &str) -> String {
        format!("{stem}.{}", self.extension.as_str())
    }

    /// A link to a page, from another page of the folder.
    pub fn page_link(&self, stem: &str) -> String {
        format!("./{}", self.file(stem))
    }

    /// A link to an anchor, from another page of the folder.
    pub fn link(&self, anchor: &Anchor) -> String {
        format!("./{}#{}", self.file(&anchor.page), anchor.id)
    }

    pub fn operation(&self, id: &str) -> Option<&Anchor> {
        self.operations.get(id)
    }

    pub fn model(&self, name: &str) -> Option<&Anchor> {
        self.models.get(name)
    }

    pub fn webhook(&self, index: usize) -> Option<&Anchor> {
        self.webhooks.get(index)
    }

    /// The group pages, in sidebar order: stem and title.
    pub fn group_pages(&self) -> impl Iterator<Item = (&str, &str, usize, usize)> {
        self.pages.iter().filter_map(|p| match p.kind {
            PageKind::Group { service, group } => {
                Some((p.stem.as_str(), p.title.as_str(), service, group))
            }
            _ => None,
        })
    }

    pub fn has_models(&self) -> bool {
        !self.models.is_empty()
    }

    /// `meta.json`: the folder's title and its pages in order, for Fumadocs.
    fn meta(&self, api: &Api) -> Result<String, String> {
        let meta = json!({ "title": api.title, "pages": self.order });
        let mut text =
            serde_json::to_string_pretty(&meta).map_err(|e| format!("meta.json: {e}"))?;
        text.push('\n');
        Ok(text)
    }
}

/// A group page's file stem: the tag, after the service when several
/// services share the folder and the tag alone would not say which; the
/// untagged operations after their service.
fn page_stem(
    all_groups: &[Vec<(&str, Vec<&crate::ir::Operation>)>],
    service: &Service,
    tag: &str,
    title: &str,
    index: usize,
) -> String {
    if tag == views::UNTAGGED {
        return naming::file_stem(&if title == views::service_title(service) {
            service.id.0.clone()
        } else {
            format!("{}-other", service.id.0)
        });
    }
    let shared = all_groups
        .iter()
        .enumerate()
        .any(|(other, groups)| other != index && groups.iter().any(|(t, _)| *t == tag));
    if shared {
        naming::file_stem(&format!("{}-{tag}", service.id.0))
    } else {
        naming::file_stem(tag)
    }
}

fn overview_description(api: &Api) -> String {
    if api.credentials.is_empty() {
        format!("The operations of {} and who may call them.", api.title)
    } else {
        format!(
            "The credential tiers of {}: which credential reaches which operation.",
            api.title
        )
    }
}

fn group_description(api: &Api, service: &Service, tag: &str, count: usize) -> String {
    let tag_description = api
        .tags
        .iter()
        .find(|t| t.name == tag)
        .and_then(|t| t.description.as_deref())
        .map(crate::text::first_sentence);
    match tag_description {
        Some(said) if !said.is_empty() => flatten(&said),
        _ if views::service_title(service) == api.title => format!(
            "{count} operation{} of {}.",
            if count == 1 { "" } else { "s" },
            api.title
        ),
        _ => format!(
            "{count} operation{} of {} on {}.",
            if count == 1 { "" } else { "s" },
            api.title,
            views::service_title(service)
        ),
    }
}

/// Text on one line, whitespace runs as single spaces.
fn flatten(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_strings_are_data() {
        assert_eq!(yaml_string("a \"b\" \\ c"), "\"a \\\"b\\\" \\\\ c\"");
        assert_eq!(yaml_string("x\ny\u{202e}"), "\"x\\u000ay\\u202e\"");
        assert_eq!(
            yaml_string("key: value # no comment"),
            "\"key: value # no comment\""
        );
    }
}
