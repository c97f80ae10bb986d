//! Choosing the tools a server offers: by name or glob, by tag, read-only
//! only. Applied once at startup, before any `tools/list`, so an agent that
//! should only read is never shown a tool that writes. A name or tag that
//! matches nothing is a mistake in the command line, reported at startup
//! rather than served as a smaller server.

use globset::{Glob, GlobMatcher};

use super::manifest::Tool;

/// What `--tools`, `--exclude`, `--tag` and `--read-only` ask for; empty
/// lists select everything.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub tools: Vec<String>,
    pub exclude: Vec<String>,
    pub tags: Vec<String>,
    pub read_only: bool,
}

/// One `--tools` or `--exclude` entry: an exact name or a glob.
struct Pattern {
    given: String,
    matcher: GlobMatcher,
}

impl Pattern {
    fn new(option: &str, given: &str) -> Result<Pattern, String> {
        let glob = Glob::new(given).map_err(|e| format!("{option} {given}: not a glob ({e})"))?;
        Ok(Pattern {
            given: given.to_string(),
            matcher: glob.compile_matcher(),
        })
    }

    fn matches(&self, tool: &Tool) -> bool {
        self.matcher.is_match(&tool.name)
    }
}

impl Selection {
    /// The indices of the chosen tools, in manifest order.
    pub fn apply(&self, tools: &[Tool]) -> Result<Vec<usize>, String> {
        let include = patterns("--tools", &self.tools)?;
        let exclude = patterns("--exclude", &self.exclude)?;
        for pattern in include.iter().chain(&exclude) {
            if !tools.iter().any(|tool| pattern.matches(tool)) {
                return Err(no_such_tool(&pattern.given, tools));
            }
        }
        for tag in &self.tags {
            if !tools.iter().any(|tool| tool.route.tags.contains(tag)) {
                return Err(no_such_tag(tag, tools));
            }
        }
        let chosen: Vec<usize> = tools
            .iter()
            .enumerate()
            .filter(|(_, tool)| include.is_empty() || include.iter().any(|p| p.matches(tool)))
            .filter(|(_, tool)| !exclude.iter().any(|p| p.matches(tool)))
            .filter(|(_, tool)| {
                self.tags.is_empty() || self.tags.iter().any(|t| tool.route.tags.contains(t))
            })
            .filter(|(_, tool)| !self.read_only || tool.read_only)
            .map(|(index, _)| index)
            .collect();
        if chosen.is_empty() {
            return Err("the options leave no tool to serve".to_string());
        }
        Ok(chosen)
    }
}

fn patterns(option: &str, given: &[String]) -> Result<Vec<Pattern>, String> {
    given.iter().map(|g| Pattern::new(option, g)).collect()
}

fn no_such_tool(given: &str, tools: &[Tool]) -> String {
    let mut names: Vec<(f64, &str)> = tools
        .iter()
        .map(|t| (strsim::jaro_winkler(given, &t.name), t.name.as_str()))
        .collect();
    names.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    let near: Vec<String> = names
        .iter()
        .take(3)
        .map(|(_, n)| format!("`{n}`"))
        .collect();
    format!(
        "no tool matches `{given}` in this manifest; nearest: {}",
        near.join(", ")
    )
}

fn no_such_tag(given: &str, tools: &[Tool]) -> String {
    let mut tags: Vec<&str> = tools
        .iter()
        .flat_map(|t| t.route.tags.iter().map(String::as_str))
        .collect();
    tags.sort_unstable();
    tags.dedup();
    if tags.is_empty() {
        return format!("--tag {given}: this manifest's tools have no tags");
    }
    format!(
        "--tag {given}: no tool has this tag; the tags are {}",
        tags.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::artifact::manifest::Route;
    use crate::ir::{Method, ServiceId};

    fn tool(name: &str, tags: &[&str], read_only: bool) -> Tool {
        Tool {
            name: name.to_string(),
            definition: serde_json::Map::new(),
            route: Route {
                operation: name.to_string(),
                service: ServiceId("api".into()),
                method: Method::Get,
                path: "/".into(),
                tags: tags.iter().map(|t| t.to_string()).collect(),
                arguments: Default::default(),
                body_media_type: None,
                body_encoding: None,
                auth: Vec::new(),
                guards: Vec::new(),
                effects: Vec::new(),
                consent: None,
                idempotent: false,
                success: Vec::new(),
                errors: Vec::new(),
            },
            read_only,
        }
    }

    fn tools() -> Vec<Tool> {
        vec![
            tool("list_orgs", &["orgs"], true),
            tool("delete_org", &["orgs"], false),
            tool("list_workspaces", &["workspaces"], true),
        ]
    }

    #[test]
    fn globs_tags_and_read_only_narrow_in_order() {
        let chosen = |selection: Selection| selection.apply(&tools());
        let globbed = Selection {
            tools: vec!["list_*".into()],
            ..Selection::default()
        };
        assert_eq!(chosen(globbed), Ok(vec![0, 2]));
        let tagged = Selection {
            tags: vec!["orgs".into()],
            read_only: true,
            ..Selection::default()
        };
        assert_eq!(chosen(tagged), Ok(vec![0]));
        let excluded = Selection {
            exclude: vec!["*_org*".into()],
            ..Selection::default()
        };
        assert_eq!(chosen(excluded), Ok(vec![2]));
    }

    #[test]
    fn what_matches_nothing_is_an_error() {
        let typo = Selection {
            tools: vec!["delete_orgs".into()],
            ..Selection::default()
        };
        let message = typo.apply(&tools()).expect_err("no such tool");
        assert!(message.contains("`delete_org`"), "{message}");
        let tag = Selection {
            tags: vec!["billing".into()],
            ..Selection::default()
        };
        assert!(tag.apply(&tools()).is_err());
        let nothing_left = Selection {
            tools: vec!["delete_org".into()],
            read_only: true,
            ..Selection::default()
        };
        assert!(nothing_left.apply(&tools()).is_err());
    }
}
