//! The version gate: a breaking change needs a major version bump of
//! `info.version`. Versions are read as semver (a leading `v`, and a
//! missing minor or patch of a plain `1` or `1.2`, are allowed); as Cargo
//! does, for `0.y.z` the leftmost non-zero part is the major one.

use semver::Version;

/// How `info.version` moved between the two specs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionStep {
    pub old: String,
    pub new: String,
    /// `Some(true)` when the new version is a major step up from the old
    /// one; `None` when either is not a semantic version.
    pub major: Option<bool>,
}

impl VersionStep {
    pub fn new(old: &str, new: &str) -> VersionStep {
        let major = match (read(old), read(new)) {
            (Some(a), Some(b)) => Some(is_major_step(&a, &b)),
            _ => None,
        };
        VersionStep {
            old: old.to_string(),
            new: new.to_string(),
            major,
        }
    }

    /// One line for the report.
    pub fn describe(&self) -> String {
        match self.major {
            Some(true) => format!("info.version {} → {}: a major step", self.old, self.new),
            Some(false) => format!("info.version {} → {}: not a major step", self.old, self.new),
            None => format!(
                "info.version {} → {}: not semantic versions, so no major step can be read",
                self.old, self.new
            ),
        }
    }
}

fn read(text: &str) -> Option<Version> {
    let text = text.trim().trim_start_matches('v');
    // `1` and `1.2` are read as `1.0.0` and `1.2.0`; anything with a
    // pre-release or build part must be whole semver (`2026-01-01` is not).
    let short = text.chars().all(|c| c.is_ascii_digit() || c == '.');
    let padded = match (short, text.matches('.').count()) {
        (true, 0) => format!("{text}.0.0"),
        (true, 1) => format!("{text}.0"),
        _ => text.to_string(),
    };
    Version::parse(&padded).ok()
}

fn is_major_step(old: &Version, new: &Version) -> bool {
    let key = |v: &Version| match (v.major, v.minor) {
        (0, 0) => (0, 0, v.patch),
        (0, minor) => (0, minor, 0),
        (major, _) => (major, 0, 0),
    };
    key(new) > key(old)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_major_step_is_read_as_cargo_reads_one() {
        let major = |a: &str, b: &str| VersionStep::new(a, b).major;
        assert_eq!(major("1.4.2", "2.0.0"), Some(true));
        assert_eq!(major("1.4.2", "1.5.0"), Some(false));
        assert_eq!(major("v1", "v2"), Some(true));
        assert_eq!(major("0.3.1", "0.4.0"), Some(true));
        assert_eq!(major("0.3.1", "0.3.2"), Some(false));
        assert_eq!(major("2.0.0", "1.9.0"), Some(false));
        assert_eq!(major("2026-01-01", "2026-06-01"), None);
        assert_eq!(major("1.0.0-beta.1", "2.0.0-rc.1"), Some(true));
    }
}
