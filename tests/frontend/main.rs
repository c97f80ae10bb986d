//! The front end: loading a spec (and its overlay) into the IR, the IR of the
//! management spec and of every breadth fixture, what OpenAPI features are
//! read, the spec document itself, diagnostics, bad and hostile input, the
//! names an overlay declares reaching every artifact, and the fuzzer.

#[path = "../common/mod.rs"]
mod common;

mod bad_input;
mod breadth;
mod diagnostics;
mod fuzz;
mod hostile_names;
mod ir;
mod names_everywhere;
mod openapi_support;
mod spec_document;
