//! The CLI route map and `tiergen route` run as a real process.

#[path = "../common/mod.rs"]
mod common;

mod cli_routes;
mod styles_route;
