//! The management client, generated at build time (see build.rs).

include!(concat!(env!("OUT_DIR"), "/tiergen_client.rs"));
