//! Copies the Rust sample of every operation section of `golden/docs/*.md`
//! into `$OUT_DIR/samples.rs`: one async function per sample, in page
//! order, whose client goes to the base URL it is given instead of the
//! API's host. A sample that does not compile fails this crate's build.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../golden/docs");
    println!("cargo:rerun-if-changed={}", docs.display());
    let mut pages: Vec<_> = std::fs::read_dir(&docs)
        .unwrap_or_else(|e| panic!("{}: {e}", docs.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    pages.sort();
    let mut samples: Vec<(String, String)> = Vec::new();
    for page in &pages {
        println!("cargo:rerun-if-changed={}", page.display());
        let text = std::fs::read_to_string(page).unwrap_or_else(|e| panic!("{e}"));
        let mut operation = String::new();
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            if let Some((_, id)) = line.rsplit_once("· operation `") {
                operation = id.trim_end_matches('`').to_string();
            }
            if line == "```rust title=\"Rust\"" {
                let code: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
                samples.push((operation.clone(), code.join("\n")));
            }
        }
    }
    let mut out = String::from("pub const OPERATIONS: &[&str] = &[\n");
    for (op, _) in &samples {
        let _ = writeln!(out, "    {op:?},");
    }
    out.push_str("];\n\n");
    out.push_str(
        "pub async fn run(index: usize, base: &str) -> Result<(), Box<dyn std::error::Error>> {\n    match index {\n",
    );
    for (n, (_, code)) in samples.iter().enumerate() {
        let _ = writeln!(out, "        {n} => {{");
        for line in code.lines() {
            let line = match line.strip_prefix("let client = ") {
                // The client, pointed at the fake API.
                Some(rest) => match rest.split_once("::") {
                    Some((client, _)) => format!("let client = {client}::with_base_url(base);"),
                    None => line.to_string(),
                },
                None => line.to_string(),
            };
            let _ = writeln!(out, "            {line}");
        }
        out.push_str("            let _ = answer;\n            Ok(())\n        }\n");
    }
    out.push_str("        _ => Err(\"no such sample\".into()),\n    }\n}\n");
    let target =
        Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|e| panic!("{e}"))).join("samples.rs");
    std::fs::write(target, out).unwrap_or_else(|e| panic!("{e}"));
}
