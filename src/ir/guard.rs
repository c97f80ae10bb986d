use serde::{Deserialize, Serialize};

/// A check that stands between a caller and an operation's effect. Guards
/// are declared with `x-tiergen-guards` on the operation (directly or by
/// overlay); the front end verifies that every name they mention exists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Guard {
    /// A boolean query flag that makes the call validate and echo only.
    DryRun {
        /// The query parameter, e.g. `dry_run`.
        param: String,
        /// The status the dry run answers with.
        status: u16,
    },
    /// A body field that must repeat a path parameter, else the call is refused.
    Confirm {
        field: String,
        equals_path_param: String,
    },
    /// A body flag that must be `true` when keys of a map field match a pattern.
    Force {
        field: String,
        /// The body field whose keys are checked.
        keys_of: String,
        /// A regular expression over the keys, e.g. `TOKEN|SECRET|KEY|PASSWORD`.
        pattern: String,
    },
    /// A documented refusal: the server answers `status` with a machine code.
    Precondition {
        status: u16,
        code: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        when: Option<String>,
    },
    /// A query parameter whose literal value turns the call destructive.
    DestructiveFlag {
        param: String,
        value: String,
        /// What that value does.
        effect: String,
    },
}

impl Guard {
    /// The kind's name as written in the spec.
    pub fn kind(&self) -> &'static str {
        match self {
            Guard::DryRun { .. } => "dry-run",
            Guard::Confirm { .. } => "confirm",
            Guard::Force { .. } => "force",
            Guard::Precondition { .. } => "precondition",
            Guard::DestructiveFlag { .. } => "destructive-flag",
        }
    }

    /// One sentence for people.
    pub fn describe(&self) -> String {
        match self {
            Guard::DryRun { param, status } => {
                format!("`?{param}=true` validates and echoes without acting (answers {status})")
            }
            Guard::Confirm {
                field,
                equals_path_param,
            } => format!(
                "body `{field}` must equal the path parameter `{equals_path_param}`, else the call is refused"
            ),
            Guard::Force {
                field,
                keys_of,
                pattern,
            } => format!(
                "body `{field}: true` is required when a key of `{keys_of}` matches `{pattern}`"
            ),
            Guard::Precondition { status, code, when } => match when {
                Some(when) => format!("answers {status} `{code}` when {when}"),
                None => format!("answers {status} `{code}` when its precondition fails"),
            },
            Guard::DestructiveFlag {
                param,
                value,
                effect,
            } => format!("`?{param}={value}` {effect}"),
        }
    }
}
