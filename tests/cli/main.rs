//! The CLI route map (its JSON Schema and its serde types accept the same
//! documents) and `tiergen route` run as a real process.

#[path = "../common/mod.rs"]
mod common;

mod cli_routes;
mod route_map_contract;
mod styles_route;
