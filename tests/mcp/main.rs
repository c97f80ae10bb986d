//! The MCP manifests and `tiergen mcp serve`, for the management spec and
//! every breadth fixture (`mcp_cli_breadth` checks the CLI route map of the
//! same fixtures beside the manifests). The Python scripts beside this file
//! are run by `.ci/run`, not by `cargo test`.

#[path = "../common/mod.rs"]
mod common;

mod mcp_cli_breadth;
mod mcp_manifests;
mod mcp_serve;
mod retries;
