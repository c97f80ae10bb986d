//! How a removal relates to what was announced: the same reading for an
//! operation, a parameter and a property.

use super::kinds::Kind;
use crate::ir::{Date, Lifecycle};

/// A removal, by what its lifecycle announced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    /// It was never deprecated: an accident for its callers.
    Unannounced,
    /// Deprecated, but removed before the sunset date it gave.
    BeforeSunset(Date),
    /// Deprecated, and removed on or after its sunset date (or it gave none).
    Planned(Option<Date>),
}

/// The kind of each [`Removal`] for one part of the API.
pub struct Kinds {
    pub unannounced: &'static Kind,
    pub before_sunset: &'static Kind,
    pub planned: &'static Kind,
}

impl Removal {
    pub fn of(lifecycle: &Lifecycle, today: Date) -> Removal {
        match (lifecycle.deprecated, lifecycle.sunset) {
            (false, _) => Removal::Unannounced,
            (true, Some(sunset)) if sunset > today => Removal::BeforeSunset(sunset),
            (true, sunset) => Removal::Planned(sunset),
        }
    }

    pub fn kind(self, kinds: &Kinds) -> &'static Kind {
        match self {
            Removal::Unannounced => kinds.unannounced,
            Removal::BeforeSunset(_) => kinds.before_sunset,
            Removal::Planned(_) => kinds.planned,
        }
    }

    /// `was removed …`, saying which.
    pub fn phrase(self) -> String {
        match self {
            Removal::Unannounced => "was removed without being deprecated first".to_string(),
            Removal::BeforeSunset(date) => format!("was removed before its sunset date {date}"),
            Removal::Planned(Some(date)) => format!("was removed after its sunset date {date}"),
            Removal::Planned(None) => {
                "was removed after being deprecated (it gave no sunset date)".to_string()
            }
        }
    }
}
