//! The floor of `benches/compare.sh`: a process that only reads and parses its
//! inputs with tiergen's own parser (the spec, and the overlay when given) and
//! writes as many bytes, in as many files, as `tiergen generate` wrote for them.
//! Nothing is lowered, built or rendered, so `tiergen generate` cannot be faster.
//!
//! `cargo run --release --example parse-floor -- OUT_DIR FILES BYTES SPEC [OVERLAY]`

use std::path::{Path, PathBuf};
use std::process::ExitCode;

// The same allocator as the tiergen binary, so the comparison is of the work done.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 4 {
        eprintln!("usage: parse-floor OUT_DIR FILES BYTES SPEC [OVERLAY]");
        return ExitCode::from(2);
    }
    let out = PathBuf::from(&args[0]);
    let (Ok(files), Ok(bytes)) = (args[1].parse::<usize>(), args[2].parse::<usize>()) else {
        eprintln!("parse-floor: FILES and BYTES must be numbers");
        return ExitCode::from(2);
    };
    let mut text = String::new();
    let mut nodes = 0;
    for input in &args[3..] {
        let path = Path::new(input);
        let read = match std::fs::read_to_string(path) {
            Ok(read) => read,
            Err(e) => {
                eprintln!("parse-floor: {input}: {e}");
                return ExitCode::from(2);
            }
        };
        match tiergen::frontend::parse_document(path, &read) {
            Ok(document) => nodes += count(&document.root),
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        }
        text.push_str(&read);
    }
    if let Err(e) = write(&out, files.max(1), bytes, text.as_bytes()) {
        eprintln!("parse-floor: {}: {e}", out.display());
        return ExitCode::from(2);
    }
    println!("parse-floor: {nodes} JSON nodes read; {bytes} bytes written in {files} files");
    ExitCode::SUCCESS
}

/// Counts the parsed nodes, so the parse cannot be optimised away.
fn count(value: &serde_json::Value) -> usize {
    1 + match value {
        serde_json::Value::Array(items) => items.iter().map(count).sum(),
        serde_json::Value::Object(map) => map.values().map(count).sum(),
        _ => 0,
    }
}

/// Writes `bytes` bytes of `source` (cycled) into `files` files of about equal size.
fn write(out: &Path, files: usize, bytes: usize, source: &[u8]) -> std::io::Result<()> {
    std::fs::create_dir_all(out)?;
    let source = if source.is_empty() {
        b" ".as_slice()
    } else {
        source
    };
    let mut written = 0;
    for i in 0..files {
        let size = bytes / files + usize::from(i < bytes % files);
        let mut content = Vec::with_capacity(size);
        while content.len() < size {
            let start = (written + content.len()) % source.len();
            let take = (size - content.len()).min(source.len() - start);
            content.extend_from_slice(&source[start..start + take]);
        }
        written += size;
        std::fs::write(out.join(format!("out-{i}")), &content)?;
    }
    Ok(())
}
