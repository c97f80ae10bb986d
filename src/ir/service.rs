use serde::{Deserialize, Serialize};

/// Names a [`Service`]: declared by the spec's `x-tiergen-service` extension,
/// or derived from a server URL.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ServiceId(pub String);

impl std::fmt::Display for ServiceId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One deployed service: a host (template) that serves a set of paths.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Service {
    pub id: ServiceId,
    pub name: String,
    /// The server URL, possibly a template such as `https://{slug}.example.com`.
    pub base_url: String,
    /// Other URLs the spec lists for the same service (staging, regions…).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternate_urls: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub variables: Vec<ServerVariable>,
    /// Path prefixes that belong to this service (whole segments).
    pub path_prefixes: Vec<String>,
    /// The CLI word its commands start under (`""`: the top level), when declared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServerVariable {
    pub name: String,
    pub default: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub allowed: Vec<String>,
}

impl Service {
    /// True when `path` lies under one of this service's prefixes, compared by
    /// whole segments (`/org` owns `/org/tokens`, not `/organizations`).
    pub fn owns_path(&self, path: &str) -> bool {
        self.path_prefixes.iter().any(|prefix| {
            let prefix = prefix.trim_end_matches('/');
            prefix.is_empty()
                || path == prefix
                || path
                    .strip_prefix(prefix)
                    .is_some_and(|rest| rest.starts_with('/'))
        })
    }
}
