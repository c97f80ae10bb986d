//! Prints a synthetic spec of N operations (default 1,000) as JSON:
//! `cargo run --release --example synth-spec -- 10000 > spec.json`.
//! Its shape is described in `benches/synth/mod.rs`.

#[path = "../benches/synth/mod.rs"]
mod synth;

fn main() {
    let operations = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000);
    println!("{}", synth::spec_json(operations));
}
