//! The generated artifacts a running tool reads, as types: the `_meta` of
//! the MCP manifests ([`manifest`]) and the CLI route map ([`routes`]).
//!
//! The MCP and CLI emitters build these values from the IR and serialize
//! them; `serve` (`mcp serve`, `route`) deserializes the same types, so the
//! writer and the reader of a field cannot disagree on its name or its
//! values. Wherever an artifact states a fact the IR's way — a guard, an
//! effect, a credential alternative, where a credential travels, a method,
//! a parameter location, a body encoding, a serialization — the field is
//! the IR's own type. The route map's JSON Schema
//! (`templates/cli/routes.schema.json`) is tested to accept exactly what
//! these types accept.
//!
//! Field order is the order of the JSON: serde writes fields as declared.

mod form;
pub mod manifest;
pub mod routes;
mod wiring;

pub use wiring::{Credential, Flow, Routing, Service, TokenIssuer, Variable};
