//! Every kind of change `tiergen diff` reports: its stable id, the class it
//! has unless a policy file changes it, and one line on what it means.
//! The README's table is this list (a test keeps them equal), and each kind
//! has a fixture pair under `tests/fixtures/diff/kinds/<id>/` that shows it.
//!
//! Where the class depends on who sends the value, there is one kind per
//! direction: a request may accept more and demand less, an answer may
//! promise more and deliver nothing less.

use super::Class;

/// One kind of change.
#[derive(Debug, PartialEq, Eq)]
pub struct Kind {
    pub id: &'static str,
    pub class: Class,
    pub summary: &'static str,
}

macro_rules! kinds {
    ($($name:ident = $id:literal, $class:ident, $summary:literal;)*) => {
        $(pub const $name: &Kind = &Kind { id: $id, class: Class::$class, summary: $summary };)*
        /// Every kind, in the order the README lists them.
        pub const ALL: &[&Kind] = &[$($name),*];
    };
}

kinds! {
    OPERATION_ADDED = "operation-added", NonBreaking, "an operation was added";
    OPERATION_REMOVED = "operation-removed", Breaking, "an operation was removed without being deprecated first";
    OPERATION_REMOVED_BEFORE_SUNSET = "operation-removed-before-sunset", Breaking, "a deprecated operation was removed before its `x-sunset` date";
    OPERATION_SUNSET = "operation-sunset", NonBreaking, "a deprecated operation was removed on or after its `x-sunset` date (or it gave none)";
    OPERATION_DEPRECATED = "operation-deprecated", NonBreaking, "an operation became deprecated";
    SUNSET_MOVED_EARLIER = "sunset-moved-earlier", Breaking, "a deprecated operation's `x-sunset` date moved earlier";
    OPERATION_RENAMED = "operation-renamed", Breaking, "the operationId changed (generated method, tool and command names change)";
    OPERATION_MOVED = "operation-moved", Breaking, "the method or path of an operation changed";
    STABILITY_DECREASED = "stability-decreased", Breaking, "the `x-stability-level` went down (stable → beta → alpha → draft)";
    BECAME_PUBLIC = "became-public", Security, "the operation can now be called without a credential";
    CREDENTIAL_ALTERNATIVE_ADDED = "credential-alternative-added", Security, "one more credential (or combination) is accepted";
    CREDENTIAL_ALTERNATIVE_REMOVED = "credential-alternative-removed", Security, "a credential (or combination) is no longer accepted";
    CREDENTIAL_OUTSIDE_SERVICE = "credential-outside-service", Security, "a credential is now accepted on a service it is not declared for";
    ROUTING_DROPPED = "routing-dropped", Security, "a routing header is no longer required";
    ROUTING_REQUIRED = "routing-required", Breaking, "a routing header is now required";
    SCOPE_DROPPED = "scope-dropped", Security, "a scope is no longer needed";
    SCOPE_REQUIRED = "scope-required", Breaking, "a scope is now needed";
    GUARD_REMOVED = "guard-removed", Security, "a guard (dry-run, confirm, force, precondition, destructive flag) is gone";
    GUARD_CHANGED = "guard-changed", Security, "a guard changed";
    GUARD_ADDED = "guard-added", NonBreaking, "a guard was added";
    EFFECT_ADDED = "effect-added", Effects, "the operation now has a side-effect (restart, purge, secret shown once …)";
    EFFECT_REMOVED = "effect-removed", Effects, "a side-effect is gone";
    PARAMETER_REMOVED = "parameter-removed", Breaking, "a parameter was removed without being deprecated first";
    PARAMETER_REMOVED_BEFORE_SUNSET = "parameter-removed-before-sunset", Breaking, "a deprecated parameter was removed before its `x-sunset` date";
    PARAMETER_SUNSET = "parameter-sunset", NonBreaking, "a deprecated parameter was removed on or after its `x-sunset` date (or it gave none)";
    PARAMETER_DEPRECATED = "parameter-deprecated", NonBreaking, "a parameter became deprecated";
    PARAMETER_BECAME_REQUIRED = "parameter-became-required", Breaking, "an optional parameter became required";
    REQUIRED_PARAMETER_ADDED = "required-parameter-added", Breaking, "a required parameter was added";
    PARAMETER_ADDED = "parameter-added", NonBreaking, "an optional parameter was added";
    PARAMETER_DEFAULT_CHANGED = "parameter-default-changed", Breaking, "a parameter's default changed: callers who omit it get other behaviour";
    BODY_BECAME_REQUIRED = "body-became-required", Breaking, "the request body became required";
    REQUIRED_BODY_ADDED = "required-body-added", Breaking, "a required request body was added";
    BODY_ADDED = "body-added", NonBreaking, "an optional request body was added";
    BODY_REMOVED = "body-removed", Breaking, "the request body was removed";
    REQUEST_MEDIA_TYPE_REMOVED = "request-media-type-removed", Breaking, "a media type the request body could be sent as is gone";
    REQUEST_MEDIA_TYPE_ADDED = "request-media-type-added", NonBreaking, "the request body may now be sent as one more media type";
    SUCCESS_STATUS_REMOVED = "success-status-removed", Breaking, "a 2xx answer was removed";
    STATUS_ADDED = "status-added", NonBreaking, "an answer's status is now documented";
    RESPONSE_MEDIA_TYPE_REMOVED = "response-media-type-removed", Breaking, "a media type a success answer came as is gone";
    RESPONSE_MEDIA_TYPE_ADDED = "response-media-type-added", NonBreaking, "a success answer may now come as one more media type (the client asks for the one it wants)";
    RESPONSE_HEADER_REMOVED = "response-header-removed", Breaking, "a header a success answer documented is gone (`ETag`, a rate limit, a `Location`)";
    SENSITIVE_MARK_LOST = "sensitive-mark-lost", Security, "a value is no longer marked sensitive (`format: password`, `x-tiergen-sensitive`), so artifacts stop redacting it";
    REQUEST_NULLABILITY_REMOVED = "request-nullability-removed", Breaking, "a request value can no longer be null";
    RESPONSE_NULLABILITY_REMOVED = "response-nullability-removed", NonBreaking, "an answer's value is no longer null: clients receive less (debatable: a client's null branch goes dead)";
    RESPONSE_BECAME_NULLABLE = "response-became-nullable", Breaking, "an answer's value can now be null";
    REQUEST_NARROWED = "request-narrowed", Breaking, "a request value accepts fewer values (a constraint tightened, a pattern or format added, a value became an enum)";
    REQUEST_WIDENED = "request-widened", NonBreaking, "a request value accepts more values (a constraint loosened or dropped)";
    RESPONSE_NARROWED = "response-narrowed", NonBreaking, "an answer's value takes fewer values (a constraint or format added): clients receive less";
    RESPONSE_WIDENED = "response-widened", Breaking, "an answer's value may take more values (a constraint loosened, an enum opened up): a client that validated breaks (debatable)";
    TYPE_CHANGED = "type-changed", Breaking, "a value's type changed";
    REQUEST_ENUM_VALUE_REMOVED = "request-enum-value-removed", Breaking, "a value a request could send is no longer accepted";
    REQUEST_ENUM_VALUE_ADDED = "request-enum-value-added", NonBreaking, "a request accepts one more enum value";
    RESPONSE_ENUM_VALUE_REMOVED = "response-enum-value-removed", NonBreaking, "an answer no longer sends an enum value";
    RESPONSE_ENUM_VALUE_ADDED = "response-enum-value-added", Breaking, "an answer may send a new enum value clients do not know (not when the enum is `x-extensible-enum`)";
    REQUEST_FIELD_REMOVED = "request-field-removed", Breaking, "a request field is no longer accepted";
    RESPONSE_FIELD_REMOVED = "response-field-removed", Breaking, "an answer's field was removed without being deprecated first";
    FIELD_REMOVED_BEFORE_SUNSET = "field-removed-before-sunset", Breaking, "a deprecated field was removed before its `x-sunset` date";
    FIELD_SUNSET = "field-sunset", NonBreaking, "a deprecated field was removed on or after its `x-sunset` date (or it gave none)";
    FIELD_DEPRECATED = "field-deprecated", NonBreaking, "a field became deprecated";
    FIELD_BECAME_REQUIRED = "field-became-required", Breaking, "a request field became required";
    FIELD_BECAME_OPTIONAL = "field-became-optional", Breaking, "an answer's field may now be absent";
    REQUIRED_FIELD_ADDED = "required-field-added", Breaking, "a required request field was added";
    FIELD_ADDED = "field-added", NonBreaking, "a field was added (optional in requests, or in an answer)";
}

/// The kind with id `id`.
pub fn find(id: &str) -> Option<&'static Kind> {
    ALL.iter().copied().find(|kind| kind.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_is_unique_and_kebab_case() {
        let mut seen = std::collections::BTreeSet::new();
        for kind in ALL {
            assert!(seen.insert(kind.id), "{} twice", kind.id);
            assert!(
                kind.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                kind.id
            );
        }
    }
}
