//! Fuzzing, on the stable toolchain: proptest generates OpenAPI 3.0/3.1
//! documents with realistic structure and hostile content, and mutates the
//! text of `spec/management.yaml` (and its overlay), then feeds each through
//! load → IR → every emitter, in process.
//!
//! The properties, for every input:
//! - nothing panics: a document tiergen cannot read is an `Err` naming the
//!   input file, with a message, and a line within the file when it has one;
//! - when the IR builds, every emitter succeeds (an emit error is a tiergen
//!   bug by contract), every `.rs` file parses with `syn` and holds no
//!   bidirectional-text control (rustc refuses those in comments and
//!   literals), every `.json` file parses, every `Cargo.toml` parses, every
//!   markdown table keeps its column count, and every file is UTF-8;
//! - building and emitting again gives the same IR and the same files.
//!
//! Bounded by default (64 cases per property) so `cargo test` stays quick.
//! A long run takes its case count from proptest's own variable, or runs
//! for a time (`FUZZ_SECONDS`, each property in parallel, in batches of
//! `PROPTEST_CASES` or 64 with fresh seeds):
//!
//! ```text
//! PROPTEST_CASES=100000 cargo test --release --test frontend fuzz:: -- --nocapture
//! FUZZ_SECONDS=600 cargo test --release --test frontend fuzz:: -- --nocapture
//! ```
//!
//! `FUZZ_LAST_INPUT=/tmp/fuzz-input` writes each input before it runs (to
//! `/tmp/fuzz-input.<property>`), so a stack overflow or abort, which
//! proptest cannot catch, leaves the input that caused it.
//!
//! Each property prints how many cases it ran, how many loaded and how long
//! it took. A failure is shrunk to a minimal input, printed as the document
//! text, and its seed saved under `tests/proptest-regressions/`; every
//! finding is kept below as a plain `#[test]` with its minimal input.

use crate::common;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::time::{Duration, Instant};

use proptest::collection::vec;
use proptest::option::{of as maybe, weighted};
use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::strategy::Union;
use proptest::test_runner::{Config, FileFailurePersistence, TestCaseError, TestRunner};
use serde_json::{Map, Value, json};
use tiergen::emit::{Files, Target, emit};
use tiergen::error::Location;
use tiergen::frontend::{build, parse_document};

/// Cases per property when `PROPTEST_CASES` is not set.
const DEFAULT_CASES: u32 = 64;

const MANAGEMENT: &str = include_str!("../../spec/management.yaml");
const MANAGEMENT_OVERLAY: &str = include_str!("../../spec/management.overlay.yaml");

// ------------------------------------------------------------------ inputs

/// One fuzz input: a spec's text (and an overlay's), as files on disk would hold them.
#[derive(Clone)]
struct Input {
    /// `.json` or `.yaml`: decides the parser, as a file name would.
    spec_path: &'static str,
    spec: String,
    overlay: Option<String>,
}

impl fmt::Debug for Input {
    /// The texts themselves, so a failure prints an input that can be pasted
    /// into a regression test.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Input {{ spec_path: {:?},", self.spec_path)?;
        match self.spec_path {
            "api.json" => writeln!(f, "spec: {:?},", self.spec)?,
            _ => writeln!(f, "spec:\n{}\n(as a string: {:?}),", self.spec, self.spec)?,
        }
        writeln!(f, "overlay: {:?} }}", self.overlay.as_deref().map(str::len))
    }
}

const OVERLAY_PATH: &str = "api.overlay.yaml";

/// What happened to an input that passed every property.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    /// The document was refused with a proper error (its message).
    Refused(String),
    /// The IR built and every target emitted.
    Emitted { files: usize, known: Vec<Known> },
}

/// Runs `input` through the whole pipeline and checks every property.
fn check(input: &Input) -> Result<Outcome, String> {
    let (api, ir) = match load(input)? {
        Ok(loaded) => loaded,
        Err(message) => return Ok(Outcome::Refused(message)),
    };
    // Lint reads the IR too: it must not panic either.
    let _ = tiergen::lint::lint(&api);
    let targets: &[Target] = &Target::ALL;
    let files = emit(&api, targets).map_err(|e| format!("emit failed: {e}"))?;
    let known = check_files(&files)?;
    // Every finding the harness knows of is fixed: meeting one again fails.
    if !known.is_empty() {
        return Err(format!("a fixed finding is back: {known:?}"));
    }
    // The same document again: the same IR and the same files.
    let Ok((again, ir_again)) = load(input)? else {
        return Err("the same document loaded once and was refused the second time".into());
    };
    if ir != ir_again {
        return Err("building the same document twice gave different IR".into());
    }
    let files_again = emit(&again, targets).map_err(|e| format!("emit failed: {e}"))?;
    if files != files_again {
        let differ: Vec<&str> = files
            .paths()
            .filter(|p| files.get(p) != files_again.get(p))
            .chain(files_again.paths().filter(|p| files.get(p).is_none()))
            .collect();
        return Err(format!("emitting twice gave different files: {differ:?}"));
    }
    Ok(Outcome::Emitted {
        files: files.len(),
        known,
    })
}

type Loaded = Result<(tiergen::ir::Api, String), String>;

/// Parses and builds: the IR and its JSON, or the message of a proper
/// refusal; `Err` for a broken property.
fn load(input: &Input) -> Result<Loaded, String> {
    let spec_path = Path::new(input.spec_path);
    let spec = match parse_document(spec_path, &input.spec) {
        Ok(spec) => spec,
        Err(error) => return refusal(&error, input),
    };
    let overlay = match &input.overlay {
        None => None,
        Some(text) => match parse_document(Path::new(OVERLAY_PATH), text) {
            Ok(overlay) => Some(overlay),
            Err(error) => return refusal(&error, input),
        },
    };
    match build(spec, overlay.as_ref()) {
        Ok(api) => {
            let ir = tiergen::ir_json(&api);
            Ok(Ok((api, ir)))
        }
        Err(error) => refusal(&error, input),
    }
}

/// A refusal must name one of the input files, say something, and point
/// inside the file it names.
fn refusal(error: &tiergen::Error, input: &Input) -> Result<Loaded, String> {
    let shown = error.to_string();
    let text = if error.file() == Path::new(input.spec_path) {
        &input.spec
    } else if error.file() == Path::new(OVERLAY_PATH) && input.overlay.is_some() {
        input.overlay.as_deref().unwrap_or_default()
    } else {
        return Err(format!("the error names neither input file: {shown}"));
    };
    if error.message().trim().is_empty() {
        return Err(format!("the error has no message: {shown}"));
    }
    let line = match error.location() {
        Location::LineColumn { line, .. } | Location::Located { line, .. } => Some(*line),
        Location::File | Location::Pointer(_) => None,
    };
    // A line past the last one is where a parser stops at the end of the text.
    let lines = text.lines().count() + 1;
    if let Some(line) = line
        && !(1..=lines).contains(&line)
    {
        return Err(format!(
            "the error points at line {line} of a {lines}-line file: {shown}"
        ));
    }
    Ok(Err(error.message().to_string()))
}

/// Rustc refuses these in comments and literals ("trojan source"), though
/// `syn` parses them.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A finding the fuzzer made, now fixed, and still looked for in every
/// generated file: meeting one again fails the property (see [`check`]).
/// Each has a regression test below with its minimal input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Known {
    /// A carriage return not followed by a line feed in a `///` or `//!`
    /// comment: rustc refuses it ("bare CR not allowed in doc-comment").
    BareCrInDocComment,
    /// A bidirectional-text control (U+202A..U+202E, U+2066..U+2069) in a
    /// comment: rustc refuses it ("unicode codepoint changing visible
    /// direction of text present in (doc) comment").
    BidiControlInComment,
    /// A control character JSON leaves unescaped (U+007F) in `Cargo.toml`:
    /// TOML refuses it in comments and strings, so cargo cannot read the crate.
    DeleteCharInCargoToml,
    /// A backslash before a pipe inside a code span of a markdown table
    /// cell: the emitter escapes the pipe (`\\|`), and remark-gfm (the docs
    /// site's parser) reads `\\\\` as an escaped backslash, so the pipe splits
    /// the cell.
    BackslashPipeInTableCell,
}

/// Checks every generated file; returns the known findings it met.
fn check_files(files: &Files) -> Result<Vec<Known>, String> {
    let mut known = Vec::new();
    for (path, bytes) in files.iter() {
        let text = std::str::from_utf8(bytes).map_err(|e| format!("{path} is not UTF-8: {e}"))?;
        if path.ends_with(".rs") {
            let mut rust = std::borrow::Cow::Borrowed(text);
            if has_bare_cr_in_doc_comment(text) {
                known.push(Known::BareCrInDocComment);
                rust = std::borrow::Cow::Owned(without_bare_cr_in_comments(text));
            }
            syn::parse_file(&rust).map_err(|e| format!("{path} does not parse: {e}"))?;
            let bidi = |line: &&str| line.chars().any(is_bidi_control);
            if rust_lines(&rust).filter(bidi).any(is_comment) {
                known.push(Known::BidiControlInComment);
            }
            if let Some((n, line)) = rust_lines(&rust)
                .enumerate()
                .find(|(_, line)| bidi(line) && !is_comment(line))
            {
                return Err(format!(
                    "{path}:{} holds a bidirectional-text control rustc refuses: {line:?}",
                    n + 1
                ));
            }
        } else if path.ends_with(".json") {
            serde_json::from_str::<Value>(text)
                .map_err(|e| format!("{path} is not valid JSON: {e}"))?;
        } else if path.ends_with(".toml") {
            let mut toml_text = std::borrow::Cow::Borrowed(text);
            if text.contains('\u{7f}') {
                known.push(Known::DeleteCharInCargoToml);
                toml_text = std::borrow::Cow::Owned(text.replace('\u{7f}', " "));
            }
            toml::from_str::<toml::Table>(&toml_text)
                .map_err(|e| format!("{path} is not valid TOML: {e}"))?;
        } else if path.ends_with(".md") {
            let mut markdown = std::borrow::Cow::Borrowed(text);
            let patched = escape_exposed_pipes(text);
            if patched != text && common::table_shape_error(text).is_some() {
                known.push(Known::BackslashPipeInTableCell);
                markdown = std::borrow::Cow::Owned(patched);
            }
            if let Some(problem) = common::table_shape_error(&markdown) {
                return Err(format!("{path}: a table lost its shape: {problem}"));
            }
        }
    }
    known.sort();
    known.dedup();
    Ok(known)
}

/// Table lines with each pipe that follows an even run of backslashes (an
/// escaped backslash, so an unescaped pipe) escaped: the table as it would
/// be with [`Known::BackslashPipeInTableCell`] fixed. The emitters never put
/// a backslash right before a cell's closing ` |`.
fn escape_exposed_pipes(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for line in markdown.split_inclusive('\n') {
        if !line.starts_with('|') {
            out.push_str(line);
            continue;
        }
        let mut backslashes = 0;
        for c in line.chars() {
            if c == '|' && backslashes >= 2 && backslashes % 2 == 0 {
                out.push('\\');
            }
            backslashes = if c == '\\' { backslashes + 1 } else { 0 };
            out.push(c);
        }
    }
    out
}

/// Lines of a Rust file split on `\n` only, as rustc splits them.
fn rust_lines(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n')
}

fn is_comment(line: &str) -> bool {
    line.trim_start().starts_with("//")
}

fn is_doc_comment(line: &str) -> bool {
    let line = line.trim_start();
    line.starts_with("///") || line.starts_with("//!")
}

fn has_bare_cr_in_doc_comment(text: &str) -> bool {
    rust_lines(text).any(|line| is_doc_comment(line) && line.trim_end_matches('\r').contains('\r'))
}

fn without_bare_cr_in_comments(text: &str) -> String {
    rust_lines(text)
        .map(|line| match is_doc_comment(line) {
            true => line.replace('\r', " "),
            false => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

// ------------------------------------------------------------------ runner

/// 64 cases, or `PROPTEST_CASES`; failures saved in `file`.
fn config(file: &'static str) -> Config {
    let mut config = if std::env::var_os("PROPTEST_CASES").is_some() {
        // `Config::default()` reads PROPTEST_CASES (and the other PROPTEST_* variables).
        Config::default()
    } else {
        Config::with_cases(DEFAULT_CASES)
    };
    // Shrinking a document takes more steps than proptest's default (4 per case) allows.
    if std::env::var_os("PROPTEST_MAX_SHRINK_ITERS").is_none() {
        config.max_shrink_iters = config.max_shrink_iters().max(4096);
    }
    // PROPTEST_DISABLE_FAILURE_PERSISTENCE leaves it `None`: keep it so.
    if config.failure_persistence.is_some() {
        config.failure_persistence = Some(Box::new(FileFailurePersistence::Direct(file)));
    }
    config
}

#[derive(Default)]
struct Stats {
    cases: u64,
    emitted: u64,
    files: u64,
    slowest: Duration,
    /// How often each kind of refusal came up (its message's first words).
    refusals: BTreeMap<String, u64>,
    known: BTreeMap<Known, u64>,
}

/// Runs `strategy` through [`check`] on a thread with the stack the CLI's
/// main thread has, and prints what it did.
fn fuzz(name: &'static str, file: &'static str, strategy: fn() -> BoxedStrategy<Input>) {
    let run = move || {
        let strategy = strategy();
        let stats = RefCell::new(Stats::default());
        let start = Instant::now();
        let deadline = std::env::var("FUZZ_SECONDS")
            .ok()
            .and_then(|s| s.parse().ok())
            .map(|seconds| start + Duration::from_secs(seconds));
        let last_input = std::env::var_os("FUZZ_LAST_INPUT");
        let case = |input: Input| {
            // A stack overflow or an abort ends the process where proptest
            // cannot report it: keep the input that was running.
            if let Some(path) = &last_input {
                let mut saved = std::path::PathBuf::from(path);
                saved.as_mut_os_string().push(format!(".{name}"));
                let _ = std::fs::write(&saved, &input.spec);
                if let Some(overlay) = &input.overlay {
                    let _ = std::fs::write(saved.with_extension("overlay.yaml"), overlay);
                }
            }
            let case_start = Instant::now();
            let outcome = check(&input).map_err(TestCaseError::fail)?;
            let mut stats = stats.borrow_mut();
            stats.cases += 1;
            stats.slowest = stats.slowest.max(case_start.elapsed());
            match outcome {
                Outcome::Emitted { files, known } => {
                    stats.emitted += 1;
                    stats.files += files as u64;
                    for finding in known {
                        *stats.known.entry(finding).or_default() += 1;
                    }
                }
                Outcome::Refused(message) => {
                    let kind: String = message
                        .split_whitespace()
                        .take(9)
                        .collect::<Vec<_>>()
                        .join(" ");
                    *stats.refusals.entry(kind).or_default() += 1;
                }
            }
            Ok(())
        };
        // One run of the configured cases; with FUZZ_SECONDS, runs with fresh
        // seeds until that time is up.
        let result = loop {
            let result = TestRunner::new(config(file)).run(&strategy, case);
            if result.is_err() || deadline.is_none_or(|d| Instant::now() >= d) {
                break result;
            }
        };
        let stats = stats.into_inner();
        eprintln!(
            "fuzz {name}: {} cases in {:.1?} ({} built and emitted, {} files; slowest case {:.1?})",
            stats.cases,
            start.elapsed(),
            stats.emitted,
            stats.files,
            stats.slowest,
        );
        let mut refusals: Vec<(&String, &u64)> = stats.refusals.iter().collect();
        refusals.sort_by(|a, b| b.1.cmp(a.1));
        for (kind, count) in refusals.into_iter().take(12) {
            eprintln!("    refused {count:>7}: {kind}…");
        }
        for (finding, count) in &stats.known {
            eprintln!("    known   {count:>7}: {finding:?} (a fixed finding is back)");
        }
        if let Err(failure) = result {
            panic!("fuzz {name}: {failure}");
        }
    };
    let thread = std::thread::Builder::new()
        .name(name.to_string())
        .stack_size(8 << 20)
        .spawn(run)
        .unwrap_or_else(|e| panic!("cannot spawn the fuzz thread: {e}"));
    if let Err(panic) = thread.join() {
        std::panic::resume_unwind(panic);
    }
}

#[test]
fn fuzz_generated_documents() {
    fuzz(
        "generated documents",
        "tests/proptest-regressions/fuzz-generated.txt",
        document,
    );
}

#[test]
fn fuzz_mutated_management_spec() {
    fuzz(
        "mutated management spec",
        "tests/proptest-regressions/fuzz-mutated.txt",
        mutated_management,
    );
}

/// The unmutated specs pass every property: the fuzzer's baseline.
#[test]
fn management_spec_passes_every_property() {
    for overlay in [None, Some(MANAGEMENT_OVERLAY.to_string())] {
        let input = Input {
            spec_path: "api.yaml",
            spec: MANAGEMENT.to_string(),
            overlay,
        };
        match check(&input) {
            Ok(Outcome::Emitted { .. }) => {}
            other => panic!("management spec: {other:?}"),
        }
    }
}

// ------------------------------------------------------------ name pools

/// Words that are reserved, or that the emitters use themselves.
const KEYWORDISH: &[&str] = &[
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "fn",
    "async",
    "await",
    "union",
    "dyn",
    "r#type",
    "try",
    "gen",
    "mod",
    "use",
    "match",
    "impl",
    "ref",
    "move",
    "static",
    "Unknown",
    "Error",
    "Result",
    "Option",
    "Vec",
    "String",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Client",
    "models",
    "error",
    "runtime",
    "credentials",
    "std",
    "core",
    "serde",
    "_",
    "__",
    "public",
    "api",
    "default",
    "new",
    "builder",
    "send",
    "request",
    "body",
    "query",
    "headers",
    "id",
    "CON",
    "nul",
    "aux",
    "lib",
    "main",
    "Public",
    "empty",
    "unknown",
    "Unknown2",
    "list",
    "get",
    "create",
    "set",
    "update",
    "delete",
    "help",
    "version",
    "dry_run",
    "force",
    "confirm",
];

/// Names that collide after case conversion, or hold no letters, or worse.
const ODD_NAMES: &[&str] = &[
    "",
    " ",
    "-",
    "--",
    "_1",
    "1abc",
    "123",
    "9",
    "a-b",
    "a_b",
    "aB",
    "AB",
    "a.b",
    "a b",
    "a/b",
    "a~b",
    "~0",
    "~1",
    "%7Bid%7D",
    "%",
    "$ref",
    "x-tiergen-service",
    "ünïcödé",
    "名前",
    "😀",
    "İstanbul",
    "ß",
    "\u{202e}evil",
    "\u{2066}iso\u{2069}",
    "zero\u{200b}width",
    "e\u{0301}",
    "tab\there",
    "new\nline",
    "cr\rhere",
    "quote\"d",
    "apos'trophe",
    "back`tick",
    "pipe|d",
    "{{x}}",
    "{%x%}",
    "*/",
    "/*",
    "<b>",
    "a\\b",
    "FooBar",
    "fooBar",
    "foo_bar",
    "foo-bar",
    "FOO_BAR",
    "HTTPServer",
    "nul\u{0}byte",
];

/// Text that breaks markdown tables, templates, HTML, Rust comments or
/// terminals when passed through unescaped.
const HAZARDS: &[&str] = &[
    "|",
    "||",
    "\\|",
    "\\",
    "`",
    "``",
    "```",
    "```rust\nfn main() {}\n```",
    "{{",
    "}}",
    "{{ x }}",
    "{{ 7*7 }}",
    "{%",
    "%}",
    "{% if true %}",
    "{% raw %}",
    "{#",
    "#}",
    "*/",
    "/*",
    "//",
    "///",
    "//!",
    "\n",
    "\r\n",
    "\r",
    "\n\n",
    "\n| a | b |\n|---|---|\n",
    "\u{202e}",
    "\u{202a}",
    "\u{2066}",
    "\u{2069}",
    "\u{200b}",
    "\u{feff}",
    "\u{2028}",
    "\u{85}",
    "<script>alert(1)</script>",
    "</details>",
    "<details>",
    "<!--",
    "-->",
    "<br>",
    "&amp;",
    "&#124;",
    "\"",
    "'",
    "\"#",
    "r#\"",
    "#",
    "# heading",
    "\n- item",
    "\n* item",
    "\n1. item",
    "\n> quote",
    "[x](javascript:alert(1))",
    "[link]",
    "![i](x)",
    "---",
    "***",
    "_",
    "~~",
    "\t",
    "    indented",
    "\u{0}",
    "\u{7f}",
    "\u{1b}[31m",
    "${X}",
    "$(rm -rf /)",
    "%s",
    "{}",
    "{0}",
    "{slug}",
    "\\n",
    "\\u0000",
    "🦀",
    "<",
    ">",
    "&",
    "]]>",
    "#[doc = \"x\"]",
    "\")] fn evil() {}",
    "*/ fn evil() {} /*",
    "`|`",
    "https://example.com/a_(b)",
    "<https://x.io>",
    "import x from 'y'",
    "export const a = 1",
    "{/* mdx */}",
];

const HEADERS: &[&str] = &[
    "X-Org-Id",
    "X-Request-Id",
    "Accept",
    "Content-Type",
    "authorization",
    "X-API-Key",
    "Idempotency-Key",
    "If-Match",
    "x-org-id",
];

const MEDIA_TYPES: &[&str] = &[
    "application/json",
    "application/json",
    "application/problem+json",
    "application/vnd.api+json; charset=utf-8",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "application/octet-stream",
    "text/plain",
    "text/html",
    "text/csv",
    "image/png",
    "*/*",
    "application/xml",
    "application/json; charset=utf-8",
    "",
];

const FORMATS: &[&str] = &[
    "int32",
    "int64",
    "float",
    "double",
    "date",
    "date-time",
    "uuid",
    "email",
    "uri",
    "binary",
    "byte",
    "password",
    "hostname",
    "ipv4",
    "duration",
    "uint8",
    "",
    "weird format",
];

const PATTERNS: &[&str] = &[
    "^[a-z]+$", "^\\d{3}$", "(", "[", "a{99999}", "^.*$", "\\p{L}+",
];

const SERVER_URLS: &[&str] = &[
    "https://api.example.com",
    "https://api.example.com/v1",
    "https://{slug}.example.com",
    "http://localhost:8080",
    "/",
    "/api",
    "",
    "https://example.com/{version}/x",
    "{scheme}://{host}",
    "ftp://weird.example",
    "https://ex\"ample.com",
    "https://münchen.example",
    "https://uploads.example.com/v1",
];

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

const STATUSES: &[&str] = &[
    "200", "200", "201", "202", "204", "301", "400", "401", "403", "404", "409", "422", "429",
    "500", "2XX", "4XX", "5XX", "default", "default", "299", "600", "1XX", "abc", "20",
];

const SEGMENTS: &[&str] = &[
    "api",
    "v1",
    "v2",
    "workspaces",
    "org",
    "orgs",
    "secrets",
    "items",
    "users",
    "status",
    "restart",
    "admin",
    "a.b",
    "ünï",
    "%20",
    "{",
    "}",
    "",
    "type",
    "self",
    "-",
    "1",
];

// -------------------------------------------------------------- primitives

fn owned(pool: &'static [&'static str]) -> BoxedStrategy<String> {
    select(pool).prop_map(str::to_string).boxed()
}

fn any_chars(max: usize) -> BoxedStrategy<String> {
    vec(any::<char>(), 0..max)
        .prop_map(String::from_iter)
        .boxed()
}

/// An identifier-ish name from a spec: operationIds, parameters, schemas,
/// properties, schemes, tags.
fn name() -> BoxedStrategy<String> {
    prop_oneof![
        8 => "[a-z][a-zA-Z0-9]{0,10}",
        3 => "[a-z]{1,5}([_-][a-z0-9]{1,4}){1,2}",
        1 => "[A-Z][A-Za-z]{0,8}",
        3 => owned(KEYWORDISH),
        3 => owned(ODD_NAMES),
        1 => "\\PC{0,6}",
        1 => any_chars(5),
    ]
    .boxed()
}

/// Prose: descriptions, summaries, titles, guard and effect text.
fn text() -> BoxedStrategy<String> {
    let piece = prop_oneof![
        4 => owned(HAZARDS),
        3 => "[a-z]{1,8}",
        2 => Just(" ".to_string()),
        1 => owned(ODD_NAMES),
    ];
    prop_oneof![
        3 => "[A-Z][a-z ]{0,30}\\.",
        5 => vec(piece, 1..10).prop_map(|p| p.concat()),
        1 => "\\PC{0,20}",
        1 => any_chars(12),
        1 => Just(String::new()),
    ]
    .boxed()
}

/// A name that is valid where tiergen wants a kebab word, or not.
fn word() -> BoxedStrategy<String> {
    prop_oneof![
        6 => "[a-z][a-z0-9-]{0,7}",
        2 => owned(&["workspace", "list", "get", "org", "secret", "set", "cp", "admin"]),
        1 => name(),
    ]
    .boxed()
}

fn scalar() -> BoxedStrategy<Value> {
    prop_oneof![
        text().prop_map(Value::from),
        name().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<bool>().prop_map(Value::from),
        Just(Value::Null),
        (-1e9f64..1e9).prop_map(Value::from),
    ]
    .boxed()
}

/// Placeholder numbers: most pick a name; [`UNESCAPED`] and up write a
/// `$ref` without escaping it, [`DANGLING`] names nothing.
const PLACEHOLDERS: u32 = 1000;
const UNESCAPED: usize = 990;
const DANGLING: usize = 999;

/// A placeholder for a name from one of the document's pools, resolved once
/// the document is assembled: `@S3` is schema 3, `@V0` service 0 (see [`Pools`]).
fn placeholder(kind: char) -> BoxedStrategy<String> {
    (0u32..PLACEHOLDERS)
        .prop_map(move |n| format!("@{kind}{n}"))
        .boxed()
}

fn weighted_text(p: f64) -> BoxedStrategy<Option<String>> {
    weighted(p, text()).boxed()
}

// ---------------------------------------------------------------- schemas

fn schema(v31: bool) -> BoxedStrategy<Value> {
    decorated(v31, leaf_schema(v31))
        .prop_recursive(3, 24, 5, move |inner| {
            decorated(v31, composite_schema(v31, inner))
        })
        .boxed()
}

fn leaf_schema(v31: bool) -> BoxedStrategy<Value> {
    let string = (
        maybe(owned(FORMATS)),
        weighted(0.1, owned(PATTERNS)),
        weighted(0.2, 0u32..10),
    )
        .prop_map(|(format, pattern, min)| {
            let mut s = json!({"type": "string"});
            if let Some(format) = format {
                s["format"] = json!(format);
            }
            if let Some(pattern) = pattern {
                s["pattern"] = json!(pattern);
            }
            if let Some(min) = min {
                s["minLength"] = json!(min);
            }
            s
        });
    let number = (
        select(&["integer", "number"][..]),
        maybe(owned(FORMATS)),
        weighted(0.3, any::<i32>()),
        weighted(0.2, any::<bool>()),
    )
        .prop_map(move |(ty, format, min, exclusive)| {
            let mut s = json!({"type": ty});
            if let Some(format) = format {
                s["format"] = json!(format);
            }
            if let Some(min) = min {
                s["minimum"] = json!(min);
                match exclusive {
                    Some(_) if v31 => s["exclusiveMinimum"] = json!(min),
                    Some(e) => s["exclusiveMinimum"] = json!(e),
                    None => {}
                }
            }
            s
        });
    let string_enum = vec(prop_oneof![name(), text()], 1..5)
        .prop_map(|values| json!({"type": "string", "enum": values}));
    let int_enum = vec(any::<i32>(), 1..4).prop_map(|v| json!({"type": "integer", "enum": v}));
    let mixed_enum = vec(scalar(), 1..4).prop_map(|v| json!({"enum": v}));
    let reference = placeholder('S').prop_map(|r| json!({"$ref": r}));
    let mut arms: Vec<(u32, BoxedStrategy<Value>)> = vec![
        (3, string.boxed()),
        (2, number.boxed()),
        (1, Just(json!({"type": "boolean"})).boxed()),
        (1, Just(json!({})).boxed()),
        (2, string_enum.boxed()),
        (1, int_enum.boxed()),
        (1, mixed_enum.boxed()),
        (5, reference.boxed()),
        (
            1,
            Just(json!({"type": "string", "format": "binary"})).boxed(),
        ),
    ];
    if v31 {
        arms.push((1, scalar().prop_map(|v| json!({"const": v})).boxed()));
        arms.push((1, Just(json!({"type": "null"})).boxed()));
        arms.push((1, Just(json!({"contentMediaType": "image/png"})).boxed()));
    }
    Union::new_weighted(arms).boxed()
}

fn composite_schema(v31: bool, inner: BoxedStrategy<Value>) -> BoxedStrategy<Value> {
    let object = (
        vec((name(), inner.clone()), 0..6),
        vec(any::<Index>(), 0..3),
        weighted(0.1, name()),
        weighted(
            0.3,
            prop_oneof![any::<bool>().prop_map(Value::from), inner.clone()],
        ),
    )
        .prop_map(|(properties, required, stray, additional)| {
            let names: Vec<String> = properties.iter().map(|(n, _)| n.clone()).collect();
            let mut required: Vec<String> = required
                .iter()
                .filter(|_| !names.is_empty())
                .map(|i| i.get(&names).clone())
                .collect();
            required.dedup();
            required.extend(stray);
            let mut s = json!({
                "type": "object",
                "properties": Map::from_iter(properties),
            });
            if !required.is_empty() {
                s["required"] = json!(required);
            }
            if let Some(additional) = additional {
                s["additionalProperties"] = additional;
            }
            s
        });
    let array = (inner.clone(), weighted(0.2, 0u32..3)).prop_map(|(items, min)| {
        let mut s = json!({"type": "array", "items": items});
        if let Some(min) = min {
            s["minItems"] = json!(min);
        }
        s
    });
    let map = inner
        .clone()
        .prop_map(|v| json!({"type": "object", "additionalProperties": v}));
    let composed = (
        select(&["oneOf", "anyOf", "allOf", "oneOf"][..]),
        vec(inner.clone(), 1..4),
        weighted(0.3, (name(), vec((name(), placeholder('S')), 0..3))),
    )
        .prop_map(|(keyword, parts, discriminator)| {
            let mut s = json!({ keyword: parts });
            if let Some((property, mapping)) = discriminator {
                s["discriminator"] = json!({"propertyName": property});
                if !mapping.is_empty() {
                    s["discriminator"]["mapping"] =
                        Value::Object(mapping.into_iter().map(|(k, v)| (k, json!(v))).collect());
                }
            }
            s
        });
    let not = inner.clone().prop_map(|v| json!({"not": v}));
    let mut arms: Vec<(u32, BoxedStrategy<Value>)> = vec![
        (5, object.boxed()),
        (2, array.boxed()),
        (1, map.boxed()),
        (3, composed.boxed()),
        (1, not.boxed()),
    ];
    if v31 {
        let types = vec(
            select(
                &[
                    "string", "integer", "number", "boolean", "null", "array", "object",
                ][..],
            ),
            1..4,
        )
        .prop_map(|types| json!({"type": types}));
        let tuple =
            vec(inner, 1..3).prop_map(|items| json!({"type": "array", "prefixItems": items}));
        arms.push((1, types.boxed()));
        arms.push((1, tuple.boxed()));
    }
    Union::new_weighted(arms).boxed()
}

/// Annotations and nullability on any schema.
fn decorated(v31: bool, inner: BoxedStrategy<Value>) -> BoxedStrategy<Value> {
    (
        inner,
        weighted(0.15, Just(())),
        weighted_text(0.3),
        weighted(0.08, scalar()),
        weighted(0.08, scalar()),
        0u8..32,
    )
        .prop_map(
            move |(mut s, nullable, description, default, example, flags)| {
                if nullable.is_some() {
                    s = nullable_schema(v31, s);
                }
                let Some(object) = s.as_object_mut() else {
                    return s;
                };
                if let Some(description) = description {
                    object.insert("description".into(), json!(description));
                }
                if let Some(default) = default {
                    object.insert("default".into(), default);
                }
                if let Some(example) = example {
                    object.insert("example".into(), example);
                }
                for (bit, key) in [
                    (1, "readOnly"),
                    (2, "writeOnly"),
                    (4, "deprecated"),
                    (8, "x-tiergen-sensitive"),
                ] {
                    if flags & bit != 0 && flags & 16 != 0 {
                        object.insert(key.into(), json!(true));
                    }
                }
                s
            },
        )
        .boxed()
}

fn nullable_schema(v31: bool, mut s: Value) -> Value {
    if !v31 {
        s["nullable"] = json!(true);
        return s;
    }
    match s.get("type").cloned() {
        Some(Value::String(ty)) => {
            s["type"] = json!([ty, "null"]);
            s
        }
        Some(Value::Array(mut types)) => {
            types.push(json!("null"));
            s["type"] = Value::Array(types);
            s
        }
        _ => json!({"anyOf": [s, {"type": "null"}]}),
    }
}

// ------------------------------------------------------- parameters, bodies

fn parameter(v31: bool) -> BoxedStrategy<Value> {
    (
        prop_oneof![4 => name(), 1 => owned(HEADERS)],
        prop_oneof![
            400 => select(&["query", "query", "query", "header", "path", "cookie"][..]),
            1 => Just("body"),
        ],
        maybe(any::<bool>()),
        schema(v31),
        weighted_text(0.3),
        weighted(0.1, owned(MEDIA_TYPES)),
        any::<u16>(),
    )
        .prop_map(
            |(name, location, required, schema, description, content, flags)| {
                let mut p = json!({"name": name, "in": location});
                if let Some(required) = required {
                    p["required"] = json!(required);
                }
                match content {
                    Some(media) => p["content"] = json!({ media: {"schema": schema} }),
                    None => p["schema"] = schema,
                }
                if let Some(description) = description {
                    p["description"] = json!(description);
                }
                if flags & 1 != 0 {
                    p["deprecated"] = json!(true);
                }
                if flags & 2 != 0 {
                    p["x-tiergen-sensitive"] = json!(true);
                }
                if flags & 12 == 12 {
                    // The styles each location allows, and one it does not.
                    let styles: &[&str] = match location {
                        "query" => &["form", "deepObject", "spaceDelimited", "pipeDelimited"],
                        "path" => &["simple", "label", "matrix"],
                        "header" => &["simple"],
                        _ => &["form"],
                    };
                    let style = match flags & 0x7f0 {
                        0x7f0 => "deepObject",
                        n => styles[usize::from(n >> 4) % styles.len()],
                    };
                    p["style"] = json!(style);
                    p["explode"] = json!(flags & 1 != 0);
                }
                p
            },
        )
        .boxed()
}

/// A parameter as an operation lists it: inline, or a `$ref` into components.
fn parameter_use(v31: bool) -> BoxedStrategy<Value> {
    prop_oneof![
        8 => parameter(v31),
        1 => placeholder('P').prop_map(|r| json!({"$ref": r})),
    ]
    .boxed()
}

fn media_entry(v31: bool) -> BoxedStrategy<(String, Value)> {
    let schema_of = |s: Value| json!({ "schema": s });
    prop_oneof![
        6 => (owned(MEDIA_TYPES), weighted(0.85, schema(v31))).prop_map(move |(media, s)| {
            (media, s.map_or_else(|| json!({}), schema_of))
        }),
        2 => (vec((name(), schema(v31)), 0..3), any::<bool>()).prop_map(|(extra, encoding)| {
            let mut properties = Map::from_iter(extra);
            properties.insert("file".into(), json!({"type": "string", "format": "binary"}));
            let mut entry = json!({"schema": {"type": "object", "properties": properties}});
            if encoding {
                entry["encoding"] = json!({"file": {"contentType": "image/png"}});
            }
            ("multipart/form-data".to_string(), entry)
        }),
        1 => Just((
            "application/octet-stream".to_string(),
            json!({"schema": {"type": "string", "format": "binary"}})
        )),
        1 => vec((name(), leaf_schema(v31)), 0..4).prop_map(|fields| (
            "application/x-www-form-urlencoded".to_string(),
            json!({"schema": {"type": "object", "properties": Map::from_iter(fields)}})
        )),
        1 => Just(("text/plain".to_string(), json!({"schema": {"type": "string"}}))),
    ]
    .boxed()
}

fn request_body(v31: bool) -> BoxedStrategy<Value> {
    prop_oneof![
        8 => (vec(media_entry(v31), 0..3), maybe(any::<bool>()), weighted_text(0.3)).prop_map(
            |(content, required, description)| {
                let mut body = json!({"content": Map::from_iter(content)});
                if let Some(required) = required {
                    body["required"] = json!(required);
                }
                if let Some(description) = description {
                    body["description"] = json!(description);
                }
                body
            }
        ),
        1 => placeholder('B').prop_map(|r| json!({"$ref": r})),
    ]
    .boxed()
}

fn response(v31: bool) -> BoxedStrategy<Value> {
    prop_oneof![
        10 => (
            weighted(0.998, text()),
            vec(
                (owned(MEDIA_TYPES), weighted(0.85, schema(v31))),
                0..3
            ),
            vec((prop_oneof![name(), owned(HEADERS)], leaf_schema(v31), any::<bool>()), 0..2),
        )
            .prop_map(|(description, content, headers)| {
                let mut r = json!({});
                if let Some(description) = description {
                    r["description"] = json!(description);
                }
                if !content.is_empty() {
                    r["content"] = Value::Object(
                        content
                            .into_iter()
                            .map(|(media, s)| {
                                (media, s.map_or_else(|| json!({}), |s| json!({"schema": s})))
                            })
                            .collect(),
                    );
                }
                if !headers.is_empty() {
                    r["headers"] = Value::Object(
                        headers
                            .into_iter()
                            .map(|(name, s, required)| {
                                (name, json!({"schema": s, "required": required}))
                            })
                            .collect(),
                    );
                }
                r
            }),
        1 => placeholder('R').prop_map(|r| json!({"$ref": r})),
    ]
    .boxed()
}

// ---------------------------------------------------------------- security

fn security_scheme() -> BoxedStrategy<Value> {
    let api_key = (
        prop_oneof![2 => owned(HEADERS), 1 => name()],
        prop_oneof![
            30 => select(&["header", "header", "query", "cookie"][..]),
            1 => Just("body"),
        ],
        weighted(0.3, Just(())),
    )
        .prop_map(|(name, location, routing)| {
            let mut s = json!({"type": "apiKey", "name": name, "in": location});
            if routing.is_some() && location == "header" {
                s["x-tiergen-routing"] = json!(true);
            }
            s
        });
    let http = (
        select(
            &[
                "bearer",
                "bearer",
                "basic",
                "Bearer",
                "digest",
                "Negotiate",
                "",
                "ho ba",
            ][..],
        ),
        weighted(0.3, name()),
    )
        .prop_map(|(scheme, format)| {
            let mut s = json!({"type": "http", "scheme": scheme});
            if let Some(format) = format {
                s["bearerFormat"] = json!(format);
            }
            s
        });
    let flow = (
        select(
            &[
                "implicit",
                "password",
                "clientCredentials",
                "authorizationCode",
            ][..],
        ),
        maybe(owned(SERVER_URLS)),
        maybe(owned(SERVER_URLS)),
        vec((name(), text()), 0..4),
    )
        .prop_map(|(kind, authorization, token, scopes)| {
            let mut f =
                json!({"scopes": Map::from_iter(scopes.into_iter().map(|(k, v)| (k, json!(v))))});
            if let Some(url) = authorization {
                f["authorizationUrl"] = json!(url);
            }
            if let Some(url) = token {
                f["tokenUrl"] = json!(url);
            }
            (kind.to_string(), f)
        });
    let oauth2 =
        vec(flow, 0..3).prop_map(|flows| json!({"type": "oauth2", "flows": Map::from_iter(flows)}));
    let open_id = owned(SERVER_URLS)
        .prop_map(|url| json!({"type": "openIdConnect", "openIdConnectUrl": url}));
    let weird = prop_oneof![
        Just(json!({"type": "apikey", "name": "k", "in": "header"})),
        Just(json!({"type": "http"})),
        Just(json!({"type": "oauth2"})),
        Just(json!({"type": 7})),
        Just(json!({})),
        Just(json!("bearer")),
    ];
    let base = prop_oneof![
        40 => api_key,
        40 => http,
        20 => oauth2,
        10 => open_id,
        10 => Just(json!({"type": "mutualTLS"})),
        1 => weird,
        3 => placeholder('Q').prop_map(|r| json!({"$ref": r})),
    ];
    let env = prop_oneof![
        3 => "[A-Z][A-Z0-9_]{0,10}",
        1 => name(),
    ];
    (
        base,
        weighted(0.4, vec(placeholder('V'), 0..3)),
        weighted(0.005, any::<bool>()),
        weighted(0.3, env),
        weighted_text(0.2),
        weighted_text(0.5),
    )
        .prop_map(|(mut s, services, routing, env, summary, description)| {
            let Some(object) = s.as_object_mut() else {
                return s;
            };
            if let Some(services) = services {
                object.insert("x-tiergen-services".into(), json!(services));
            }
            if let Some(routing) = routing {
                // Also on schemes that cannot route: slightly wrong.
                object.insert("x-tiergen-routing".into(), json!(routing));
            }
            if let Some(env) = env {
                object.insert("x-tiergen-env".into(), json!(env));
            }
            if let Some(summary) = summary {
                object.insert("x-tiergen-summary".into(), json!(summary));
            }
            if let Some(description) = description {
                object.insert("description".into(), json!(description));
            }
            s
        })
        .boxed()
}

/// Security requirements: alternatives of (scheme number, scopes). Resolved
/// against the schemes once the document is assembled.
type Requirements = Vec<Vec<(u32, Vec<String>)>>;

fn requirements() -> BoxedStrategy<Requirements> {
    vec(vec((0u32..PLACEHOLDERS, vec(name(), 0..2)), 0..3), 0..3).boxed()
}

// -------------------------------------------------------- guards, effects

/// A guard, and whether assembly adds what it names to its operation.
#[derive(Debug, Clone)]
enum GuardPlan {
    DryRun {
        param: String,
        status: u16,
        fix: bool,
    },
    Confirm {
        field: String,
        fix: bool,
    },
    Force {
        field: String,
        keys_of: String,
        pattern: String,
        fix: bool,
    },
    Precondition {
        status: u16,
        code: String,
        when: Option<String>,
        fix: bool,
    },
    DestructiveFlag {
        param: String,
        value: String,
        effect: String,
        fix: bool,
    },
    /// Slightly wrong: not a mapping, an unknown kind, a missing or extra field.
    Raw(Value),
}

fn guard() -> BoxedStrategy<GuardPlan> {
    let fix = || prop::bool::weighted(0.8);
    let status = || select(&[200u16, 200, 201, 202, 204, 400, 409, 422, 0, 999][..]);
    prop_oneof![
        8 => (name(), status(), fix())
            .prop_map(|(param, status, fix)| GuardPlan::DryRun { param, status, fix }),
        8 => (name(), fix()).prop_map(|(field, fix)| GuardPlan::Confirm { field, fix }),
        8 => (name(), name(), prop_oneof![10 => Just("TOKEN|SECRET".to_string()), 1 => Just(String::new()), 10 => "[A-Z|()]{1,12}", 2 => text()], fix())
            .prop_map(|(field, keys_of, pattern, fix)| GuardPlan::Force { field, keys_of, pattern, fix }),
        8 => (status(), prop_oneof![Just("RUNTIME_PIN_MISSING".to_string()), name(), text()], weighted_text(0.5), fix())
            .prop_map(|(status, code, when, fix)| GuardPlan::Precondition { status, code, when, fix }),
        8 => (name(), prop_oneof![Just("true".to_string()), text()], text(), fix())
            .prop_map(|(param, value, effect, fix)| GuardPlan::DestructiveFlag { param, value, effect, fix }),
        // 1 in 40.
        1 => prop_oneof![
            scalar(),
            name().prop_map(|kind| json!({"kind": kind})),
            Just(json!({"kind": "dry-run"})),
            Just(json!({"kind": "confirm", "field": "x", "equals_path_param": "y", "extra": 1})),
            Just(json!({"kind": "dry-run", "param": "x", "status": "200"})),
            Just(json!({"kind": "precondition", "status": 70000, "code": "x"})),
            Just(json!([{"kind": "restarts-workspace"}])),
        ]
        .prop_map(GuardPlan::Raw),
    ]
    .boxed()
}

/// An effect as written, and (for `secret-shown-once`) the response field
/// assembly adds when fixing.
#[derive(Debug, Clone)]
struct EffectPlan {
    value: Value,
    fix_field: Option<String>,
}

fn effect() -> BoxedStrategy<EffectPlan> {
    let kind = prop_oneof![
        10 => Just(json!({"kind": "restarts-workspace"})),
        10 => text().prop_map(|scope| json!({"kind": "restarts-org-workspaces", "scope": scope})),
        10 => vec(text(), 1..3).prop_map(|cascade| json!({"kind": "irreversible-purge", "cascade": cascade})),
        10 => text().prop_map(|what| json!({"kind": "cascade-delete", "what": what})),
        10 => text().prop_map(|event| json!({"kind": "audit-event", "event": event})),
        10 => Just(json!({"kind": "proxied-to-tenant"})),
        10 => text().prop_map(|what| json!({"kind": "redeploys", "what": what})),
        1 => prop_oneof![
            name().prop_map(|kind| json!({"kind": kind})),
            Just(json!({"kind": "redeploys"})),
            Just(json!({"kind": "restarts-workspace", "extra": true})),
            Just(json!("restarts-workspace")),
            Just(json!({"kind": "irreversible-purge", "cascade": []})),
        ],
    ];
    let secret = (name(), prop::bool::weighted(0.8)).prop_map(|(field, fix)| EffectPlan {
        value: json!({"kind": "secret-shown-once", "field": field}),
        fix_field: fix.then_some(field),
    });
    prop_oneof![
        5 => (kind, weighted(0.3, prop_oneof![40 => text().prop_map(Value::from), 1 => scalar()]))
            .prop_map(|(mut value, when)| {
                if let (Some(object), Some(when)) = (value.as_object_mut(), when) {
                    object.insert("when".into(), when);
                }
                EffectPlan { value, fix_field: None }
            }),
        1 => secret,
    ]
    .boxed()
}

// ------------------------------------------------------------- operations

#[derive(Debug, Clone)]
struct OpPlan {
    operation_id: Option<String>,
    summary: Option<String>,
    description: Option<String>,
    /// Tags by number (`@T`), resolved against the document's tags.
    tags: Vec<String>,
    params: Vec<Value>,
    /// Leave the path's template parameters undeclared.
    omit_path_params: bool,
    body: Option<Value>,
    responses: Vec<(String, Value)>,
    /// `Some(vec![])` is `security: []`: explicitly public.
    security: Option<Requirements>,
    guards: Vec<GuardPlan>,
    effects: Vec<EffectPlan>,
    tool_name: Option<String>,
    command: Option<Vec<String>>,
    lint_allow: Option<Vec<(String, String)>>,
    /// `x-tiergen-service` by number (`@V`).
    service: Option<String>,
    servers: Option<String>,
    deprecated: bool,
}

fn operation(v31: bool) -> BoxedStrategy<OpPlan> {
    let id = prop_oneof![
        2 => Just(None),
        6 => name().prop_map(Some),
        1 => owned(&["getThing", "list", "type", "get_thing", "GetThing"]).prop_map(Some),
    ];
    let documentation = (
        id,
        weighted_text(0.5),
        weighted_text(0.4),
        vec(placeholder('T'), 0..2),
    );
    let shape = (
        vec(parameter_use(v31), 0..4),
        prop::bool::weighted(0.05),
        weighted(0.4, request_body(v31)),
        vec((owned(STATUSES), response(v31)), 0..4),
        weighted(0.5, requirements()),
    );
    let tool_name = prop_oneof![
        3 => "[a-z_][a-z0-9_-]{0,20}",
        1 => owned(&["list_things", "get_thing", "x"]),
        1 => name(),
    ];
    let lint_rule = prop_oneof![
        Just("destructive-without-guard".to_string()),
        Just("unknown-rule".to_string()),
        name(),
    ];
    let declarations = (
        vec(guard(), 0..3),
        vec(effect(), 0..3),
        weighted(0.2, tool_name),
        weighted(0.15, vec(word(), 1..4)),
        weighted(0.1, vec((lint_rule, text()), 0..2)),
        weighted(0.1, placeholder('V')),
        weighted(0.05, owned(SERVER_URLS)),
        prop::bool::weighted(0.1),
    );
    (documentation, shape, declarations)
        .prop_map(
            |(
                (operation_id, summary, description, tags),
                (params, omit_path_params, body, responses, security),
                (guards, effects, tool_name, command, lint_allow, service, servers, deprecated),
            )| OpPlan {
                operation_id,
                summary,
                description,
                tags,
                params,
                omit_path_params,
                body,
                responses,
                security,
                guards,
                effects,
                tool_name,
                command,
                lint_allow,
                service,
                servers,
                deprecated,
            },
        )
        .boxed()
}

#[derive(Debug, Clone)]
struct PathPlan {
    /// Literal segments, or `Err(name)` for a `{name}` parameter.
    segments: Vec<Result<String, String>>,
    /// 0: plain; 1: trailing slash; 2: a doubled slash; 3: no leading slash;
    /// 4: two parameters in one segment.
    style: u8,
    params: Vec<Value>,
    operations: Vec<(String, OpPlan)>,
    service: Option<String>,
}

fn path_item(v31: bool) -> BoxedStrategy<PathPlan> {
    let segment = prop_oneof![
        6 => prop_oneof![3 => "[a-z]{1,8}", 1 => owned(SEGMENTS)].prop_map(Ok),
        3 => prop_oneof![4 => "[a-z][a-zA-Z_]{0,6}", 1 => name()].prop_map(Err),
    ];
    let methods = vec(
        (
            prop_oneof![
                300 => owned(METHODS),
                1 => owned(&["GET", "query", "x-method", "parameters", "servers"]),
            ],
            operation(v31),
        ),
        1..4,
    );
    (
        vec(segment, 1..5),
        prop_oneof![12 => Just(0u8), 1 => 1u8..5],
        vec(parameter_use(v31), 0..2),
        methods,
        weighted(0.05, placeholder('V')),
    )
        .prop_map(|(segments, style, params, operations, service)| PathPlan {
            segments,
            style,
            params,
            operations,
            service,
        })
        .boxed()
}

impl PathPlan {
    fn path(&self) -> String {
        let segments: Vec<String> = self
            .segments
            .iter()
            .map(|s| match s {
                Ok(literal) => literal.clone(),
                Err(param) => format!("{{{param}}}"),
            })
            .collect();
        let joined = segments.join("/");
        match self.style {
            1 => format!("/{joined}/"),
            2 => format!("/{}", joined.replacen('/', "//", 1)),
            3 => joined,
            4 => format!("/{joined}/{{a}}{{b}}"),
            _ => format!("/{joined}"),
        }
    }
}

/// The `{name}` segments of a path template, read as tiergen reads them.
fn template_params(path: &str) -> Vec<String> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
        .collect()
}

// --------------------------------------------------------------- document

#[derive(Debug, Clone)]
struct ServicePlan {
    id: String,
    name: String,
    prefixes: Vec<String>,
    command: Option<String>,
    extra_field: bool,
}

#[derive(Debug, Clone)]
struct ServerPlan {
    url: String,
    description: Option<String>,
    service: Option<ServicePlan>,
    variables: bool,
}

fn server() -> BoxedStrategy<ServerPlan> {
    let service = (
        prop_oneof![4 => "[a-z][a-z0-9-]{0,8}", 1 => name()],
        text(),
        vec(
            prop_oneof!["/[a-z]{1,6}", Just("/".to_string()), text()],
            0..2,
        ),
        weighted(0.5, prop_oneof![Just(String::new()), word()]),
        prop::bool::weighted(0.02),
    )
        .prop_map(|(id, name, prefixes, command, extra_field)| ServicePlan {
            id,
            name,
            prefixes,
            command,
            extra_field,
        });
    (
        prop_oneof![8 => owned(SERVER_URLS), 1 => text()],
        weighted_text(0.3),
        weighted(0.35, service),
        prop::bool::weighted(0.8),
    )
        .prop_map(|(url, description, service, variables)| ServerPlan {
            url,
            description,
            service,
            variables,
        })
        .boxed()
}

#[derive(Debug, Clone)]
struct Plan {
    v31: bool,
    json: bool,
    title: String,
    version: String,
    description: Option<String>,
    package: Option<String>,
    servers: Vec<ServerPlan>,
    /// Give each declared service the first segments of some paths, so
    /// every path has one owner.
    partition: bool,
    schemes: Vec<(String, Value)>,
    security: Option<Requirements>,
    tags: Vec<(String, Option<String>)>,
    schemas: Vec<(String, Value)>,
    parameters: Vec<(String, Value)>,
    bodies: Vec<(String, Value)>,
    responses: Vec<(String, Value)>,
    paths: Vec<PathPlan>,
    webhooks: Vec<(String, OpPlan)>,
    /// Data that only looks like structure: an extension holding `$ref`s.
    data_extension: bool,
}

fn plan(v31: bool) -> BoxedStrategy<Plan> {
    let head = (
        prop::bool::weighted(0.6),
        prop_oneof![3 => "[A-Z][a-z]{2,8}( [A-Z][a-z]{2,8}){0,2}", 1 => text()],
        prop_oneof![
            4 => Just("1.0.0".to_string()),
            1 => owned(&["1", "v2", "", "1.0.0-beta+x", "2024-01-01"]),
            1 => text(),
        ],
        weighted_text(0.5),
        weighted(0.3, prop_oneof![3 => "[a-z][a-z0-9_-]{0,12}", 1 => name()]),
        vec(server(), 0..3),
        prop::bool::weighted(0.85),
    );
    let security = (
        vec((name(), security_scheme()), 0..5),
        weighted(0.4, requirements()),
        vec((name(), weighted_text(0.5)), 0..4),
    );
    let components = (
        vec((name(), schema(v31)), 0..8),
        vec((name(), parameter(v31)), 0..2),
        vec((name(), request_body(v31)), 0..2),
        vec((name(), response(v31)), 0..2),
    );
    let webhook = (name(), operation(v31));
    let rest = (
        vec(path_item(v31), 0..6),
        if v31 {
            vec(webhook, 0..2).boxed()
        } else {
            Just(Vec::new()).boxed()
        },
        prop::bool::weighted(0.1),
    );
    (head, security, components, rest)
        .prop_map(
            move |(
                (json, title, version, description, package, servers, partition),
                (schemes, security, tags),
                (schemas, parameters, bodies, responses),
                (paths, webhooks, data_extension),
            )| Plan {
                v31,
                json,
                title,
                version,
                description,
                package,
                servers,
                partition,
                schemes,
                security,
                tags,
                schemas,
                parameters,
                bodies,
                responses,
                paths,
                webhooks,
                data_extension,
            },
        )
        .boxed()
}

/// A generated document, as JSON or YAML text.
fn document() -> BoxedStrategy<Input> {
    any::<bool>()
        .prop_flat_map(plan)
        .prop_map(|plan| {
            let json = plan.json;
            let document = assemble(plan);
            if json {
                Input {
                    spec_path: "api.json",
                    spec: serde_json::to_string_pretty(&document).unwrap_or_default(),
                    overlay: None,
                }
            } else {
                Input {
                    spec_path: "api.yaml",
                    spec: yaml_serde::to_string(&document).unwrap_or_default(),
                    overlay: None,
                }
            }
        })
        .boxed()
}

/// The names a document's placeholders resolve to.
#[derive(Default)]
struct Pools {
    schemas: Vec<String>,
    parameters: Vec<String>,
    bodies: Vec<String>,
    responses: Vec<String>,
    schemes: Vec<String>,
    services: Vec<String>,
    tags: Vec<String>,
}

impl Pools {
    /// Placeholder `@Kn` as the document says it: a `$ref` for components,
    /// a plain name otherwise. Most resolve; some dangle or go unescaped.
    fn resolve(&self, placeholder: &str) -> Option<String> {
        let mut rest = placeholder.strip_prefix('@')?.chars();
        let kind = rest.next()?;
        let n: usize = rest.as_str().parse().ok()?;
        let (pool, prefix) = match kind {
            'S' => (&self.schemas, "#/components/schemas/"),
            'P' => (&self.parameters, "#/components/parameters/"),
            'B' => (&self.bodies, "#/components/requestBodies/"),
            'R' => (&self.responses, "#/components/responses/"),
            'Q' => (&self.schemes, "#/components/securitySchemes/"),
            'V' => (&self.services, ""),
            'T' => (&self.tags, ""),
            _ => return None,
        };
        let name = match pool.is_empty() || n >= DANGLING {
            true => "NoSuchThing".to_string(),
            false => pool[n % pool.len()].clone(),
        };
        if prefix.is_empty() {
            return Some(name);
        }
        if n >= UNESCAPED {
            return Some(format!("{prefix}{name}"));
        }
        let escaped = name
            .replace('~', "~0")
            .replace('/', "~1")
            .replace('%', "%25");
        Some(format!("{prefix}{escaped}"))
    }

    /// A scheme name for a security requirement.
    fn scheme(&self, n: u32) -> String {
        let n = n as usize;
        match self.schemes.is_empty() || n >= DANGLING {
            true => "noSuchScheme".to_string(),
            false => self.schemes[n % self.schemes.len()].clone(),
        }
    }

    fn requirements(&self, requirements: &Requirements) -> Value {
        Value::Array(
            requirements
                .iter()
                .map(|alternative| {
                    Value::Object(
                        alternative
                            .iter()
                            .filter(|(n, _)| !self.schemes.is_empty() || *n as usize >= DANGLING)
                            .map(|(n, scopes)| (self.scheme(*n), json!(scopes)))
                            .collect(),
                    )
                })
                .collect(),
        )
    }

    /// What stands for a reference into an empty pool (which has nothing to
    /// name, and dangling references are [`DANGLING`]'s business).
    fn stand_in(&self, placeholder: &str) -> Option<Value> {
        let mut rest = placeholder.strip_prefix('@')?.chars();
        let kind = rest.next()?;
        let n: usize = rest.as_str().parse().ok()?;
        let (empty, stand_in) = match kind {
            'S' => (self.schemas.is_empty(), json!({"type": "string"})),
            'P' => (
                self.parameters.is_empty(),
                json!({"name": "q", "in": "query", "schema": {"type": "string"}}),
            ),
            'B' => (
                self.bodies.is_empty(),
                json!({"content": {"application/json": {"schema": {}}}}),
            ),
            'R' => (self.responses.is_empty(), json!({"description": "OK."})),
            'Q' => (
                self.schemes.is_empty(),
                json!({"type": "http", "scheme": "bearer"}),
            ),
            _ => return None,
        };
        (empty && n < DANGLING).then_some(stand_in)
    }

    fn replace_all(&self, value: &mut Value) {
        if let Some(Value::String(reference)) = value.get("$ref")
            && let Some(stand_in) = self.stand_in(reference)
        {
            *value = stand_in;
            return;
        }
        match value {
            Value::String(s) if s.starts_with('@') => {
                if let Some(resolved) = self.resolve(s) {
                    *s = resolved;
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| self.replace_all(v)),
            Value::Object(object) => object.values_mut().for_each(|v| self.replace_all(v)),
            _ => {}
        }
    }
}

fn keyed(entries: Vec<(String, Value)>) -> Map<String, Value> {
    entries.into_iter().collect()
}

/// Turns a plan into the document: names resolved, path parameters
/// declared, guards given what they name (when the plan says so).
fn assemble(plan: Plan) -> Value {
    let schemas = keyed(plan.schemas);
    let schemes = keyed(plan.schemes);
    let parameters = keyed(plan.parameters);
    let bodies = keyed(plan.bodies);
    let responses = keyed(plan.responses);
    let declared: Vec<String> = plan
        .servers
        .iter()
        .filter_map(|s| s.service.as_ref().map(|d| d.id.clone()))
        .collect();
    let pools = Pools {
        schemas: schemas.keys().cloned().collect(),
        parameters: parameters.keys().cloned().collect(),
        bodies: bodies.keys().cloned().collect(),
        responses: responses.keys().cloned().collect(),
        schemes: schemes.keys().cloned().collect(),
        services: if declared.is_empty() {
            vec!["api".to_string()]
        } else {
            declared.clone()
        },
        tags: plan.tags.iter().map(|(n, _)| n.clone()).collect(),
    };

    let mut paths = Map::new();
    for item in &plan.paths {
        let path = item.path();
        let mut object = Map::new();
        if !item.params.is_empty() {
            object.insert("parameters".into(), json!(item.params));
        }
        if let Some(service) = &item.service {
            object.insert("x-tiergen-service".into(), json!(service));
        }
        for (method, op) in &item.operations {
            object.insert(method.clone(), operation_object(op, &path, &pools));
        }
        paths.insert(path, Value::Object(object));
    }

    let mut servers = Vec::new();
    // Each declared service gets whole first segments, round robin.
    let mut owned_prefixes: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    if plan.partition && !declared.is_empty() {
        let mut firsts: Vec<String> = paths
            .keys()
            .filter_map(|p| p.split('/').nth(1).filter(|s| !s.is_empty()))
            .map(|s| format!("/{s}"))
            .collect();
        firsts.dedup();
        for (i, first) in firsts.into_iter().enumerate() {
            owned_prefixes
                .entry(i % declared.len())
                .or_default()
                .push(first);
        }
    }
    let mut service_number = 0;
    for server in &plan.servers {
        let mut s = json!({"url": server.url});
        if let Some(description) = &server.description {
            s["description"] = json!(description);
        }
        let variables = template_params(&server.url);
        if server.variables && !variables.is_empty() {
            s["variables"] = Value::Object(
                variables
                    .into_iter()
                    .map(|v| (v, json!({"default": "acme", "enum": ["acme", "x|y"]})))
                    .collect(),
            );
        }
        if let Some(service) = &server.service {
            let prefixes = match plan.partition {
                true => owned_prefixes.remove(&service_number).unwrap_or_default(),
                false => service.prefixes.clone(),
            };
            service_number += 1;
            let mut declaration =
                json!({"id": service.id, "name": service.name, "path_prefixes": prefixes});
            if let Some(command) = &service.command {
                declaration["command"] = json!(command);
            }
            if service.extra_field {
                declaration["prefix"] = json!("/");
            }
            s["x-tiergen-service"] = declaration;
        }
        servers.push(s);
    }

    let mut info = json!({"title": plan.title, "version": plan.version});
    if let Some(description) = &plan.description {
        info["description"] = json!(description);
    }
    if let Some(package) = &plan.package {
        info["x-tiergen-package"] = json!(package);
    }
    let mut document = json!({
        "openapi": if plan.v31 { "3.1.0" } else { "3.0.3" },
        "info": info,
    });
    if !servers.is_empty() {
        document["servers"] = json!(servers);
    }
    if let Some(security) = &plan.security {
        document["security"] = pools.requirements(security);
    }
    if !plan.tags.is_empty() {
        document["tags"] = Value::Array(
            plan.tags
                .iter()
                .map(|(name, description)| match description {
                    Some(d) => json!({"name": name, "description": d}),
                    None => json!({"name": name}),
                })
                .collect(),
        );
    }
    document["paths"] = Value::Object(paths);
    let mut components = Map::new();
    for (key, map) in [
        ("schemas", schemas),
        ("securitySchemes", schemes),
        ("parameters", parameters),
        ("requestBodies", bodies),
        ("responses", responses),
    ] {
        if !map.is_empty() {
            components.insert(key.into(), Value::Object(map));
        }
    }
    if !components.is_empty() {
        document["components"] = Value::Object(components);
    }
    if !plan.webhooks.is_empty() {
        document["webhooks"] = Value::Object(
            plan.webhooks
                .iter()
                .map(|(name, op)| {
                    (
                        name.clone(),
                        json!({"post": operation_object(op, "", &pools)}),
                    )
                })
                .collect(),
        );
    }
    if plan.data_extension {
        document["x-examples"] =
            json!({"$ref": "https://example.com/not-fetched", "nested": {"$ref": "@S1"}});
    }
    pools.replace_all(&mut document);
    document
}

fn operation_object(op: &OpPlan, path: &str, pools: &Pools) -> Value {
    let mut o = Map::new();
    let mut put = |key: &str, value: Value| {
        o.insert(key.to_string(), value);
    };
    if let Some(id) = &op.operation_id {
        put("operationId", json!(id));
    }
    if let Some(summary) = &op.summary {
        put("summary", json!(summary));
    }
    if let Some(description) = &op.description {
        put("description", json!(description));
    }
    if !op.tags.is_empty() {
        put("tags", json!(op.tags));
    }
    let mut params = op.params.clone();
    if !op.omit_path_params {
        for name in template_params(path) {
            params.push(
                json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}),
            );
        }
    }
    put("parameters", Value::Array(params));
    if let Some(body) = &op.body {
        put("requestBody", body.clone());
    }
    let mut responses: Map<String, Value> = op.responses.iter().cloned().collect();
    if responses.is_empty() {
        responses.insert("200".into(), json!({"description": "OK."}));
    }
    put("responses", Value::Object(responses));
    if let Some(security) = &op.security {
        put("security", pools.requirements(security));
    }
    if op.deprecated {
        put("deprecated", json!(true));
    }
    if let Some(tool_name) = &op.tool_name {
        put("x-tiergen-tool-name", json!(tool_name));
    }
    if let Some(command) = &op.command {
        put("x-tiergen-command", json!(command));
    }
    if let Some(allow) = &op.lint_allow {
        put(
            "x-tiergen-lint-allow",
            Value::Object(allow.iter().map(|(k, v)| (k.clone(), json!(v))).collect()),
        );
    }
    if let Some(service) = &op.service {
        put("x-tiergen-service", json!(service));
    }
    if let Some(url) = &op.servers {
        put("servers", json!([{"url": url}]));
    }
    let mut op_value = Value::Object(o);
    let path_params = template_params(path);
    let mut guards = Vec::new();
    for guard in &op.guards {
        guards.push(guard_value(guard, &path_params, &mut op_value));
    }
    if !guards.is_empty() {
        op_value["x-tiergen-guards"] = Value::Array(guards);
    }
    let mut effects = Vec::new();
    for effect in &op.effects {
        if let Some(field) = &effect.fix_field {
            add_response_field(&mut op_value, field);
        }
        effects.push(effect.value.clone());
    }
    if !effects.is_empty() {
        op_value["x-tiergen-effects"] = Value::Array(effects);
    }
    op_value
}

/// A guard's value; when it is to be fixed, its operation gets the
/// parameters, body fields and responses it names.
fn guard_value(guard: &GuardPlan, path_params: &[String], op: &mut Value) -> Value {
    match guard {
        GuardPlan::DryRun { param, status, fix } => {
            if *fix {
                add_query_param(op, param, json!({"type": "boolean"}));
                add_response(op, *status);
            }
            json!({"kind": "dry-run", "param": param, "status": status})
        }
        GuardPlan::Confirm { field, fix } => {
            let path_param = path_params
                .first()
                .cloned()
                .unwrap_or_else(|| field.clone());
            if *fix {
                add_body_fields(op, &[(field, json!({"type": "string"}))]);
            }
            json!({"kind": "confirm", "field": field, "equals_path_param": path_param})
        }
        GuardPlan::Force {
            field,
            keys_of,
            pattern,
            fix,
        } => {
            if *fix {
                add_body_fields(
                    op,
                    &[
                        (field, json!({"type": "boolean"})),
                        (
                            keys_of,
                            json!({"type": "object", "additionalProperties": {"type": "string"}}),
                        ),
                    ],
                );
            }
            json!({"kind": "force", "field": field, "keys_of": keys_of, "pattern": pattern})
        }
        GuardPlan::Precondition {
            status,
            code,
            when,
            fix,
        } => {
            if *fix {
                add_response(op, *status);
            }
            let mut g = json!({"kind": "precondition", "status": status, "code": code});
            if let Some(when) = when {
                g["when"] = json!(when);
            }
            g
        }
        GuardPlan::DestructiveFlag {
            param,
            value,
            effect,
            fix,
        } => {
            if *fix {
                add_query_param(op, param, json!({"type": "string"}));
            }
            json!({"kind": "destructive-flag", "param": param, "value": value, "effect": effect})
        }
        GuardPlan::Raw(value) => value.clone(),
    }
}

fn add_query_param(op: &mut Value, name: &str, schema: Value) {
    if let Some(params) = op["parameters"].as_array_mut() {
        params.push(json!({"name": name, "in": "query", "schema": schema}));
    }
}

fn add_response(op: &mut Value, status: u16) {
    if let Some(responses) = op["responses"].as_object_mut() {
        responses
            .entry(status.to_string())
            .or_insert_with(|| json!({"description": "Answered."}));
    }
}

/// Puts `fields` in the JSON body's object schema, making one if the body
/// is not an inline JSON object.
fn add_body_fields(op: &mut Value, fields: &[(&String, Value)]) {
    let schema = &mut op["requestBody"]["content"]["application/json"]["schema"];
    if !schema.is_object() || schema.get("$ref").is_some() || schema.get("properties").is_none() {
        *schema = json!({"type": "object", "properties": {}});
    }
    if let Some(properties) = schema["properties"].as_object_mut() {
        for (name, field) in fields {
            properties.insert((*name).clone(), field.clone());
        }
    }
}

/// Puts a string field in the JSON schema of the 200 response.
fn add_response_field(op: &mut Value, field: &str) {
    let response = &mut op["responses"]["200"];
    if !response.is_object() || response.get("$ref").is_some() {
        *response = json!({"description": "OK."});
    }
    if response.get("description").is_none() {
        response["description"] = json!("OK.");
    }
    let schema = &mut response["content"]["application/json"]["schema"];
    if schema.get("properties").is_none() || schema.get("$ref").is_some() {
        *schema = json!({"type": "object", "properties": {}});
    }
    if let Some(properties) = schema["properties"].as_object_mut() {
        properties.insert(field.to_string(), json!({"type": "string"}));
    }
}

// --------------------------------------------------------------- mutation

#[derive(Debug, Clone)]
enum Mutation {
    DeleteLines {
        at: Index,
        count: usize,
    },
    DuplicateLine {
        at: Index,
    },
    SwapLines {
        a: Index,
        b: Index,
    },
    InsertLine {
        at: Index,
        line: String,
    },
    /// The value after `key: ` (or `- `) of a line.
    ReplaceValue {
        at: Index,
        value: String,
    },
    ReplaceKey {
        at: Index,
        key: String,
    },
    /// Another line's value for the same key (an operationId, a `$ref`, a type).
    CopyValue {
        to: Index,
        from: Index,
    },
    Reindent {
        at: Index,
        by: i8,
    },
    FlipByte {
        at: Index,
        bit: u8,
    },
    InsertText {
        at: Index,
        text: String,
    },
    Truncate {
        at: Index,
    },
}

/// `text` as a YAML double-quoted scalar (JSON's escapes are YAML's too).
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

/// A scalar or small structure as YAML text, well-formed or not.
fn yaml_value() -> BoxedStrategy<String> {
    prop_oneof![
        8 => text().prop_map(|t| quoted(&t)),
        6 => name().prop_map(|n| quoted(&n)),
        1 => name(),
        3 => owned(&[
            "", "~", "null", "true", "[]", "{}", "[a, b]", "{a: 1}", "'quoted'", "\"x\"", "0",
            "-1", "1e309", "18446744073709551616", "*ref", "&a x", "!!str x", "!custom x", "|",
            ">", "- x", "#comment", ": x", "string", "integer", "object", "array", "boolean",
            "[string, 'null']", "'#/components/schemas/Org'", "'#/components/schemas/'",
            "'#/nowhere'", "https://example.com/x.yaml", "{kind: dry-run}", "[{kind: confirm}]",
        ]),
        1 => any::<i64>().prop_map(|n| n.to_string()),
    ]
    .boxed()
}

fn mutation() -> BoxedStrategy<Mutation> {
    prop_oneof![
        2 => (any::<Index>(), 1usize..4).prop_map(|(at, count)| Mutation::DeleteLines { at, count }),
        1 => any::<Index>().prop_map(|at| Mutation::DuplicateLine { at }),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::SwapLines { a, b }),
        2 => (any::<Index>(), prop_oneof![
            (name(), yaml_value()).prop_map(|(k, v)| format!("{}: {v}", quoted(&k))),
            owned(&[
                "x-tiergen-guards: [{kind: dry-run, param: dry_run, status: 200}]",
                "x-tiergen-effects: [{kind: restarts-workspace}]",
                "x-tiergen-tool-name: list_workspaces",
                "x-tiergen-command: [workspace, list]",
                "x-tiergen-service: tenant",
                "x-tiergen-sensitive: true",
                "x-tiergen-routing: true",
                "$ref: '#/components/schemas/Org'",
                "nullable: true",
                "type: [string, 'null']",
                "- $ref: '#/components/schemas/Org'",
                "security: []",
                "deprecated: true",
            ]),
            text(),
        ]).prop_map(|(at, line)| Mutation::InsertLine { at, line }),
        6 => (any::<Index>(), yaml_value()).prop_map(|(at, value)| Mutation::ReplaceValue { at, value }),
        1 => (any::<Index>(), prop_oneof![name(), owned(&[
            "operationId", "type", "$ref", "required", "items", "properties", "oneOf", "allOf",
            "enum", "in", "name", "schema", "security", "x-tiergen-guards", "description",
        ])]).prop_map(|(at, key)| Mutation::ReplaceKey { at, key }),
        4 => (any::<Index>(), any::<Index>()).prop_map(|(to, from)| Mutation::CopyValue { to, from }),
        1 => (any::<Index>(), -4i8..5).prop_map(|(at, by)| Mutation::Reindent { at, by }),
        1 => (any::<Index>(), 0u8..8).prop_map(|(at, bit)| Mutation::FlipByte { at, bit }),
        1 => (any::<Index>(), text()).prop_map(|(at, text)| Mutation::InsertText { at, text }),
        1 => any::<Index>().prop_map(|at| Mutation::Truncate { at }),
    ]
    .boxed()
}

/// Whether line `i` is `key: value` with a one-line value (not a block
/// scalar, not followed by lines indented under it).
fn holds_scalar(lines: &[String], i: usize) -> bool {
    let Some((_, at)) = split_line(&lines[i]) else {
        return false;
    };
    let indent = |line: &str| line.len() - line.trim_start().len();
    let value = lines[i][at..].trim_start();
    !value.starts_with(['|', '>'])
        && lines
            .get(i + 1)
            .is_none_or(|next| next.trim().is_empty() || indent(next) <= indent(&lines[i]))
}

/// The key of a `key: value` line (after any `- `), and where its value starts.
fn split_line(line: &str) -> Option<(&str, usize)> {
    let start = line.len() - line.trim_start().len();
    let body = line[start..].strip_prefix("- ").unwrap_or(&line[start..]);
    let offset = line.len() - body.len();
    let colon = body.find(": ")?;
    Some((body[..colon].trim(), offset + colon + 2))
}

fn apply(text: &str, mutations: &[Mutation]) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut bytes_mutations = Vec::new();
    for mutation in mutations {
        if lines.is_empty() {
            break;
        }
        let n = lines.len();
        match mutation {
            Mutation::DeleteLines { at, count } => {
                let start = at.index(n);
                lines.drain(start..(start + count).min(n));
            }
            Mutation::DuplicateLine { at } => {
                let i = at.index(n);
                lines.insert(i, lines[i].clone());
            }
            Mutation::SwapLines { a, b } => lines.swap(a.index(n), b.index(n)),
            Mutation::InsertLine { at, line } => {
                let i = at.index(n);
                let indent = lines[i].len() - lines[i].trim_start().len();
                lines.insert(i, format!("{}{line}", " ".repeat(indent)));
            }
            Mutation::ReplaceValue { at, value } => {
                // The first `key: value` line from there on (a key that
                // opens a block keeps its block).
                let start = at.index(n);
                let found = (start..n)
                    .chain(0..start)
                    .filter(|&i| holds_scalar(&lines, i))
                    .find_map(|i| split_line(&lines[i]).map(|(_, at)| (i, at)));
                if let Some((i, at)) = found {
                    lines[i] = format!("{}{value}", &lines[i][..at]);
                }
            }
            Mutation::ReplaceKey { at, key } => {
                let i = at.index(n);
                if let Some((old, start)) = split_line(&lines[i]) {
                    let key_start = start - 2 - old.len();
                    let line = &lines[i];
                    lines[i] = format!("{}{key}{}", &line[..key_start], &line[start - 2..]);
                }
            }
            Mutation::CopyValue { to, from } => {
                let start = to.index(n);
                let Some(i) = (start..n)
                    .chain(0..start)
                    .find(|&i| split_line(&lines[i]).is_some())
                else {
                    continue;
                };
                let Some((key, _)) = split_line(&lines[i]) else {
                    continue;
                };
                let key = key.to_string();
                let same: Vec<usize> = (0..n)
                    .filter(|&j| split_line(&lines[j]).is_some_and(|(k, _)| k == key))
                    .collect();
                let j = same[from.index(same.len())];
                if let (Some((_, start_i)), Some((_, start_j))) =
                    (split_line(&lines[i]), split_line(&lines[j]))
                {
                    let value = lines[j][start_j..].to_string();
                    lines[i] = format!("{}{value}", &lines[i][..start_i]);
                }
            }
            Mutation::Reindent { at, by } => {
                let i = at.index(n);
                let line = &lines[i];
                let indent = line.len() - line.trim_start().len();
                let wanted = (indent as i64 + i64::from(*by)).max(0) as usize;
                lines[i] = format!("{}{}", " ".repeat(wanted), line.trim_start());
            }
            Mutation::FlipByte { .. } | Mutation::InsertText { .. } | Mutation::Truncate { .. } => {
                bytes_mutations.push(mutation)
            }
        }
    }
    let mut text = lines.join("\n");
    text.push('\n');
    let mut bytes = text.into_bytes();
    for mutation in bytes_mutations {
        if bytes.is_empty() {
            break;
        }
        match mutation {
            Mutation::FlipByte { at, bit } => {
                let i = at.index(bytes.len());
                bytes[i] ^= 1 << bit;
            }
            Mutation::InsertText { at, text } => {
                let i = at.index(bytes.len());
                bytes.splice(i..i, text.bytes());
            }
            Mutation::Truncate { at } => bytes.truncate(at.index(bytes.len())),
            _ => {}
        }
    }
    // Invalid UTF-8 cannot be read at all (a read error, not the parser's
    // business): the fuzzer keeps what it can of the text instead.
    String::from_utf8_lossy(&bytes).into_owned()
}

/// `spec/management.yaml` mutated line- and byte-wise, with its overlay (itself
/// mutated now and then) or without.
fn mutated_management() -> BoxedStrategy<Input> {
    (
        prop_oneof![3 => vec(mutation(), 1..3), 1 => vec(mutation(), 3..8)],
        prop::bool::weighted(0.5),
        prop::bool::weighted(0.2),
    )
        .prop_map(|(mutations, with_overlay, mutate_overlay)| {
            let (spec, overlay) = if with_overlay && mutate_overlay {
                (
                    MANAGEMENT.to_string(),
                    Some(apply(MANAGEMENT_OVERLAY, &mutations)),
                )
            } else {
                (
                    apply(MANAGEMENT, &mutations),
                    with_overlay.then(|| MANAGEMENT_OVERLAY.to_string()),
                )
            };
            Input {
                spec_path: "api.yaml",
                spec,
                overlay,
            }
        })
        .boxed()
}

// ------------------------------------------------------------ regressions
//
// Every finding of a fuzz run, as its minimal input.

fn yaml(spec: &str) -> Input {
    Input {
        spec_path: "api.yaml",
        spec: spec.to_string(),
        overlay: None,
    }
}

/// Builds, emits and passes every property, with no known finding.
fn assert_clean(spec: &str) {
    match check(&yaml(spec)) {
        Ok(Outcome::Emitted { known, .. }) if known.is_empty() => {}
        other => panic!("{other:?}"),
    }
}

/// Refused, with a message containing `expected`.
fn assert_refused(spec: &str, expected: &str) {
    match check(&yaml(spec)) {
        Ok(Outcome::Refused(message)) if message.contains(expected) => {}
        other => panic!("wanted a refusal saying {expected:?}, got {other:?}"),
    }
}

/// An enum value holding a lone `\r` is shown in a `///` line of
/// `models.rs`, where rustc refuses a bare CR. Needs a fix in
/// `src/emit/rust/doc.rs` (`doc_lines` splits on `\n` only).
const BARE_CR_ENUM: &str = r#"openapi: 3.1.0
info: { title: Aaa, version: 1.0.0 }
paths: {}
components:
  schemas:
    a: { type: string, enum: ["x\ry"] }
"#;

/// A description holding U+202E lands in a `///` line; rustc refuses
/// bidirectional-text controls in comments. Needs a fix in `src/emit/rust/doc.rs`.
const BIDI_DESCRIPTION: &str = "openapi: 3.1.0
info: { title: Aaa, version: 1.0.0 }
paths: {}
components:
  schemas:
    a: { type: object, properties: { b: { type: string, description: \"x \\u202E y\" } } }
";

/// A title holding U+202E lands in every file's `// Generated by tiergen
/// from …` line. Needs a fix in `src/emit/rust/mod.rs` (`generated_header`).
const BIDI_TITLE: &str = "openapi: 3.1.0
info: { title: \"\\u202E\", version: 1.0.0 }
paths: {}
";

/// A title holding U+007F: `tojson` leaves it as it is in the `Cargo.toml`
/// comment and `description`, and TOML refuses it there. Needs a fix in
/// `templates/rust/Cargo.toml.j2` or `src/emit/rust/mod.rs` (`cargo_toml`).
const DELETE_TITLE: &str = "openapi: 3.1.0
info: { title: \"\\x7F\", version: 1.0.0 }
paths: {}
";

/// A precondition code `\\|` becomes the code span `` `\\\\|` `` in a table
/// of `guards-and-effects.md`: remark-gfm reads `\\\\` as an escaped
/// backslash, so the pipe opens a fourth cell. Needs a fix in
/// `src/emit/markdown.rs` (`code_span` and `inline` escape `|` only).
const BACKSLASH_PIPE_CODE: &str = r#"openapi: 3.1.0
info: { title: Aaa, version: 1.0.0 }
paths:
  /a:
    get:
      responses:
        "200": { description: OK. }
      x-tiergen-guards:
        - { kind: precondition, status: 200, code: "\\|" }
"#;

#[test]
fn regression_bare_cr_in_enum_value() {
    assert_clean(BARE_CR_ENUM);
}

#[test]
fn regression_bidi_control_in_description() {
    assert_clean(BIDI_DESCRIPTION);
}

#[test]
fn regression_bidi_control_in_title() {
    assert_clean(BIDI_TITLE);
}

#[test]
fn regression_delete_character_in_title() {
    assert_clean(DELETE_TITLE);
}

#[test]
fn regression_backslash_pipe_in_precondition_code() {
    assert_clean(BACKSLASH_PIPE_CODE);
}

/// A force guard on a nullable body passed the front end, then failed the
/// Rust emitter ("cannot enforce its guard"), an internal error. Fixed in
/// `src/frontend/validate.rs`: a guard that reads body fields needs a body
/// that is never null.
#[test]
fn regression_force_guard_on_nullable_body() {
    let spec = "openapi: 3.0.3
info: { title: Aaa, version: 1.0.0 }
paths:
  /a:
    get:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              nullable: true
              properties:
                a: { type: boolean }
                aA: { type: object, additionalProperties: { type: string } }
      responses:
        '200': { description: OK. }
      x-tiergen-guards:
        - { kind: force, field: a, keys_of: aA, pattern: A }
";
    assert_refused(spec, "may be null");
    // The same body, not nullable: enforced.
    assert_clean(&spec.replace("              nullable: true\n", ""));
}

/// The same gap for a body sent as text or bytes: its schema's fields are
/// not fields the client can read. Fixed with the above.
#[test]
fn regression_confirm_guard_on_text_body() {
    let spec = "openapi: 3.1.0
info: { title: Aaa, version: 1.0.0 }
paths:
  /a/{slug}:
    parameters:
      - { name: slug, in: path, required: true, schema: { type: string } }
    delete:
      requestBody:
        content:
          text/plain:
            schema: { type: object, properties: { confirm: { type: string } } }
      responses:
        '204': { description: Gone. }
      x-tiergen-guards:
        - { kind: confirm, field: confirm, equals_path_param: slug }
";
    assert_refused(spec, "which has no fields");
    assert_clean(&spec.replace("text/plain", "application/json"));
}

/// `A.p: allOf[A, B]`: the Rust emitter recursed without end
/// (define_struct → define_all_of → non_null_type → define_struct …) and
/// `tiergen generate` aborted with a stack overflow. Now the inline struct
/// refers back to itself (`src/emit/rust/types.rs`, `defined_above`).
const INLINE_ALL_OF_RECURSION: &str = r#"openapi: 3.0.3
info: { title: T, version: 1.0.0 }
paths: {}
components:
  schemas:
    A:
      type: object
      properties:
        p:
          allOf:
            - $ref: '#/components/schemas/A'
            - $ref: '#/components/schemas/B'
    B:
      type: object
      properties:
        q: { type: string }
"#;

#[test]
fn regression_inline_all_of_recursion() {
    let input = yaml(INLINE_ALL_OF_RECURSION);
    let Ok(Ok((api, _))) = load(&input) else {
        panic!("the document must load");
    };
    let emitted = emit(&api, &[Target::Rust]).map_err(|e| e.to_string());
    assert!(emitted.is_ok(), "{emitted:?}");
}

/// The harness's own patch for [`Known::BackslashPipeInTableCell`] once
/// turned a correct `\\\\\\|` (escaped backslash, escaped pipe) into a broken
/// one; found by the fuzzer.
#[test]
fn escape_exposed_pipes_touches_only_exposed_pipes() {
    let table = "| a | b |\n|---|---|\n| `\\\\|` | \\\\\\| |\n";
    assert_eq!(
        escape_exposed_pipes(table),
        "| a | b |\n|---|---|\n| `\\\\\\|` | \\\\\\| |\n"
    );
    assert_eq!(
        common::table_shape_error(&escape_exposed_pipes(table)),
        None
    );
}

/// `X: {type: array, items: {$ref: X}}` as a query parameter's schema: the
/// Rust emitter's `param_kind` followed `X` → its items → `X` … without end
/// and `tiergen generate` aborted with a stack overflow. Now such a
/// parameter is sent as JSON (`src/emit/rust/params.rs`, `kind_through`).
const ARRAY_OF_ITSELF: &str = r#"openapi: 3.0.3
info: { title: T, version: 1.0.0 }
paths:
  /a:
    get:
      parameters:
        - { name: x, in: query, schema: { $ref: '#/components/schemas/X' } }
      responses:
        "200": { description: OK. }
components:
  schemas:
    X: { type: array, items: { $ref: '#/components/schemas/X' } }
"#;

#[test]
fn regression_array_of_itself_as_parameter() {
    let input = yaml(ARRAY_OF_ITSELF);
    let Ok(Ok((api, _))) = load(&input) else {
        panic!("the document must load");
    };
    let emitted = emit(&api, &[Target::Rust]).map_err(|e| e.to_string());
    assert!(emitted.is_ok(), "{emitted:?}");
}
