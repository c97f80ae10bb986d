//! Where a part of the API is in its life: deprecated (`deprecated: true`),
//! with a date after which it may be removed (`x-sunset`, the convention
//! oasdiff reads), and how settled an operation is (`x-stability-level`).
//! `tiergen diff` reads these to tell a planned removal from an accident.

use std::fmt;

use serde::{Serialize, Serializer};

/// A calendar date, `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(jiff::civil::Date);

impl Date {
    /// Reads `2027-01-01`, or the date of an RFC 3339 date-time
    /// (`2027-01-01T00:00:00Z`), as `x-sunset` values are written.
    pub fn parse(text: &str) -> Option<Date> {
        if text.contains('T') {
            let instant = text.parse::<jiff::Timestamp>().ok()?;
            return Some(Date(instant.to_zoned(jiff::tz::TimeZone::UTC).date()));
        }
        if text.len() != 10 {
            return None;
        }
        text.parse::<jiff::civil::Date>().ok().map(Date)
    }

    /// Reads an HTTP date (`Sun, 31 Jan 2027 23:59:59 GMT`), as the `Sunset`
    /// header carries it.
    pub fn parse_http(text: &str) -> Option<Date> {
        jiff::fmt::rfc2822::parse(text)
            .ok()
            .map(|zoned| Date(zoned.date()))
    }

    /// Today in UTC, by the system clock.
    pub fn today() -> Date {
        Date(
            jiff::Timestamp::now()
                .to_zoned(jiff::tz::TimeZone::UTC)
                .date(),
        )
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Deprecation and sunset of an operation, a parameter or a property.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Lifecycle {
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub deprecated: bool,
    /// The date from which it may be removed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sunset: Option<Date>,
}

impl Lifecycle {
    pub fn is_current(&self) -> bool {
        *self == Lifecycle::default()
    }
}

/// How settled an operation is, least first: changes to a draft or alpha
/// operation break no promise; its level may only go up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stability {
    Draft,
    Alpha,
    Beta,
    Stable,
}

impl Stability {
    pub const ALL: [Stability; 4] = [
        Stability::Draft,
        Stability::Alpha,
        Stability::Beta,
        Stability::Stable,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Stability::Draft => "draft",
            Stability::Alpha => "alpha",
            Stability::Beta => "beta",
            Stability::Stable => "stable",
        }
    }

    /// Draft and alpha operations make no promise of compatibility.
    pub fn promises_compatibility(self) -> bool {
        self >= Stability::Beta
    }
}

impl fmt::Display for Stability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_reads_as_a_day_or_the_day_of_a_date_time() {
        let day = Date::parse("2027-01-31").map(|d| d.to_string());
        assert_eq!(day.as_deref(), Some("2027-01-31"));
        let time = Date::parse("2027-01-31T12:00:00Z").map(|d| d.to_string());
        assert_eq!(time.as_deref(), Some("2027-01-31"));
        assert_eq!(Date::parse("2027-02-30"), None);
        assert_eq!(Date::parse("2027-01-31Tgarbage"), None);
        assert_eq!(Date::parse("soon"), None);
        assert!(Date::parse("2026-12-31") < Date::parse("2027-01-01"));
        let http = Date::parse_http("Sun, 31 Jan 2027 23:59:59 GMT").map(|d| d.to_string());
        assert_eq!(http.as_deref(), Some("2027-01-31"));
    }
}
