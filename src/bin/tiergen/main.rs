//! The `tiergen` command line: a thin front over the library.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

mod call;
mod mcp;
mod sending;

use clap::{Args, Parser, Subcommand, ValueEnum};
use tiergen::emit::Target;
use tiergen::frontend::OverlayChoice;
use tiergen::{Fault, Generator, Stage};

// tiergen builds and drops millions of small values (JSON nodes, IR strings,
// tokens) in one burst; mimalloc spends about half the time glibc's malloc
// does on that pattern (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "tiergen",
    version = VERSION,
    about = "Compile an OpenAPI contract with credential tiers, guards and side-effects into \
             its derived artifacts, and check them for drift",
    after_help = "Exit codes: 0 success; 1 drift or findings (check, lint); 2 bad input or usage; \
                  70 an internal error (a bug in tiergen, whatever the input)."
)]
struct Cli {
    /// Print how long each stage took (reading the spec, each emitter, writing) on stderr.
    #[arg(short, long, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

/// `0.1.0 (1a2b3c4d5e6f)`: the package version and the commit it was built from.
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (", env!("TIERGEN_COMMIT"), ")");

#[derive(Subcommand)]
enum Command {
    /// Write every artifact under --out: all files or none; unchanged files are left
    /// alone, files tiergen no longer produces are removed, nothing else is touched.
    Generate {
        #[command(flatten)]
        output: OutputArgs,
        /// Keep running: regenerate whenever the spec or its overlay changes. An invalid
        /// edit prints its error and leaves the artifacts as they were.
        #[arg(long)]
        watch: bool,
    },
    /// Render in memory and compare with --out; print a unified diff per stale, missing
    /// or extra file. Exits 1 on drift. Never writes.
    Check {
        #[command(flatten)]
        output: OutputArgs,
        /// Report format: github (workflow annotations on each stale file), sarif
        /// (code scanning) and junit are for CI.
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
    },
    /// Run the policy rules over the IR; each finding has a rule id, a level and a
    /// location. Exits 1 when any finding is at error level.
    Lint {
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        levels: LevelArgs,
        /// Report format: github (workflow annotations at the spec's lines), sarif
        /// (code scanning) and junit are for CI.
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
        /// The day the lint config's `expires` dates are compared with, `YYYY-MM-DD`
        /// [default: $TIERGEN_TODAY, else today in UTC].
        #[arg(long, value_name = "DATE")]
        today: Option<String>,
    },
    /// Print the intermediate representation (services, credentials, operations with
    /// auth, guards and effects, types) as JSON.
    Ir(InputArgs),
    /// Compare two versions of a spec: breaking, security, effects and non-breaking
    /// changes, each with an id and a location. OLD and NEW are files or `git:REV:path`.
    Diff {
        /// The old spec: a file, or `git:REV:path` (read with `git show`).
        old: String,
        /// The new spec: a file, or `git:REV:path`.
        new: String,
        /// The old spec's overlay [default: `X.overlay.yaml` beside it, same revision].
        #[arg(long, value_name = "FILE")]
        old_overlay: Option<PathBuf>,
        /// The new spec's overlay [default: `X.overlay.yaml` beside it, same revision].
        #[arg(long, value_name = "FILE")]
        new_overlay: Option<PathBuf>,
        /// Report format: markdown fits a pull-request comment; github (workflow
        /// annotations at the changed lines), sarif (code scanning) and junit are for CI.
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
        /// Exit 1 when a change of these classes is reported (comma-separated:
        /// breaking, security, effects, non-breaking), or, with
        /// `breaking-without-major`, when a breaking change comes without a major
        /// step of info.version. An expired acceptance in the policy always fails.
        #[arg(long, value_name = "CLASSES", value_delimiter = ',')]
        fail_on: Vec<tiergen::diff::FailOn>,
        /// The change policy: accepted changes with reasons and expiry dates, and
        /// classes per kind [default: `X.diff.yaml` beside NEW, same revision].
        #[arg(long, value_name = "FILE")]
        policy: Option<PathBuf>,
        /// The day sunset and expiry dates are compared with, `YYYY-MM-DD`
        /// [default: $TIERGEN_TODAY, else today in UTC].
        #[arg(long, value_name = "DATE")]
        today: Option<String>,
    },
    /// Resolve a CLI command against the route map and print the HTTP request it
    /// would send (secrets masked). Sends nothing. tiergen's own options go before
    /// the command words.
    Route {
        /// The route map.
        #[arg(long, value_name = "FILE", default_value = "golden/cli/routes.json")]
        routes: PathBuf,
        /// Where a service lives: `SERVICE=URL` [default: the spec's servers].
        #[arg(long = "base-url", value_name = "SERVICE=URL")]
        base_urls: Vec<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// A credential or routing value as `VARIABLE=VALUE`, taking precedence over the
        /// environment variable of that name (it is masked in the output all the same).
        #[arg(long = "env", value_name = "VARIABLE=VALUE")]
        env_values: Vec<String>,
        /// The command, then its positionals and flags, e.g. `workspace delete <id>`.
        #[arg(
            required = true,
            trailing_var_arg = true,
            allow_hyphen_values = true,
            value_name = "WORDS"
        )]
        words: Vec<String>,
    },
    /// Send a CLI command the route map resolves (as `route` shows it), with credentials
    /// from the environment (never printed). A guarded or irreversible command asks first
    /// at the terminal (a confirm guard: type the slug); without one it needs --yes.
    /// Exit codes: 0 the API answered 2xx/3xx; 2 bad input, nothing sent; 3 not confirmed,
    /// nothing sent; 4 the API answered 4xx; 5 it answered 5xx; 6 no answer (connection
    /// failed or timed out). tiergen's own options go before the command words.
    Call(call::CallArgs),
    /// Run tools from a generated artifact.
    #[command(subcommand)]
    Mcp(mcp::McpCommand),
    /// Print a completion script for SHELL, e.g. `tiergen completions bash >
    /// ~/.local/share/bash-completion/completions/tiergen`.
    Completions {
        /// The shell to complete in.
        shell: clap_complete::Shell,
    },
    /// Print tiergen's manual page (roff), e.g. `tiergen man > ~/.local/share/man/man1/tiergen.1`.
    Man,
}

#[derive(Args)]
struct InputArgs {
    /// The OpenAPI 3.0/3.1 document to read.
    #[arg(long, value_name = "FILE", default_value = DEFAULT_SPEC)]
    spec: PathBuf,
    /// The Overlay 1.0 document to apply [default: SPEC's X.overlay.yaml beside it, if present].
    #[arg(long, value_name = "FILE", conflicts_with = "no_overlay")]
    overlay: Option<PathBuf>,
    /// Apply no overlay, not even the one beside the spec.
    #[arg(long)]
    no_overlay: bool,
}

impl InputArgs {
    fn overlay_choice(&self) -> OverlayChoice {
        match (&self.overlay, self.no_overlay) {
            (Some(path), _) => OverlayChoice::File(path.clone()),
            (None, true) => OverlayChoice::Skip,
            (None, false) => OverlayChoice::Beside,
        }
    }

    fn generator(&self) -> Generator {
        Generator::new(&self.spec).overlay_choice(self.overlay_choice())
    }
}

/// The levels `lint` runs its rules at: the lint config's, then `--rule`'s.
#[derive(Args)]
struct LevelArgs {
    /// Set a rule's level: off, warning or error (repeatable; over the lint config's),
    /// e.g. `--rule destructive-without-guard=warning --rule undeclared-prose=off`.
    #[arg(long = "rule", value_name = "RULE=LEVEL", value_parser = tiergen::lint::parse_assignment)]
    rules: Vec<(String, tiergen::lint::RuleLevel)>,
    /// The lint config, a YAML file of `rules: {RULE: LEVEL}` [default: SPEC's
    /// X.lint.yaml beside it, if present].
    #[arg(long, value_name = "FILE", conflicts_with = "no_lint_config")]
    lint_config: Option<PathBuf>,
    /// Read no lint config, not even the one beside the spec.
    #[arg(long)]
    no_lint_config: bool,
}

impl LevelArgs {
    fn choice(&self) -> tiergen::lint::ConfigChoice {
        use tiergen::lint::ConfigChoice;
        match (&self.lint_config, self.no_lint_config) {
            (Some(path), _) => ConfigChoice::File(path.clone()),
            (None, true) => ConfigChoice::Skip,
            (None, false) => ConfigChoice::Beside,
        }
    }

    /// The level of every rule, and the lint config read, if any. Read
    /// before the spec: a mistake in it is reported without waiting for a
    /// large spec to load.
    fn levels(
        &self,
        spec: &std::path::Path,
    ) -> tiergen::Result<(tiergen::lint::LintConfig, Option<PathBuf>)> {
        let (path, mut config) = match tiergen::lint::load_config(spec, &self.choice())? {
            Some((path, config)) => (Some(path), config),
            None => (None, tiergen::lint::LintConfig::default()),
        };
        let levels = &mut config.levels;
        for (id, level) in &self.rules {
            // clap checked each already; an error here names the flag all the same.
            levels
                .set(id, *level)
                .map_err(|message| tiergen::Error::in_file("--rule", message))?;
        }
        Ok((config, path))
    }
}

#[derive(Args)]
struct OutputArgs {
    #[command(flatten)]
    input: InputArgs,
    /// The folder that holds the artifacts.
    #[arg(long, value_name = "DIR", default_value = "golden")]
    out: PathBuf,
    /// Only these targets, comma-separated [possible values: rust, mcp, cli, docs].
    #[arg(long, value_name = "TARGETS", value_delimiter = ',')]
    only: Vec<Target>,
    /// Only the docs pages, straight into DIR (a docs site's content folder, e.g.
    /// content/docs/api): no docs/ folder inside it, and nothing else in DIR touched.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["out", "only"])]
    docs_out: Option<PathBuf>,
    /// The docs pages' file extension: what the docs site compiles them as.
    #[arg(long, value_enum, value_name = "EXT", default_value_t = DocsExt::Md)]
    docs_ext: DocsExt,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DocsExt {
    Md,
    Mdx,
}

impl OutputArgs {
    /// The folder written or checked.
    fn destination(&self) -> &std::path::Path {
        self.docs_out.as_deref().unwrap_or(&self.out)
    }

    /// What of the destination this run renders.
    fn owned<'a>(&self, targets: &'a [Target]) -> tiergen::output::Owned<'a> {
        if self.docs_out.is_some() {
            tiergen::output::Owned::Whole
        } else {
            tiergen::output::Owned::Targets(targets)
        }
    }

    fn generator(&self) -> Generator {
        let extension = match self.docs_ext {
            DocsExt::Md => tiergen::emit::docs::Extension::Md,
            DocsExt::Mdx => tiergen::emit::docs::Extension::Mdx,
        };
        self.input
            .generator()
            .targets(&self.targets())
            .docs(tiergen::emit::docs::Options { extension })
    }

    fn targets(&self) -> Vec<Target> {
        if self.docs_out.is_some() {
            vec![Target::Docs]
        } else if self.only.is_empty() {
            Target::ALL.to_vec()
        } else {
            let mut targets = self.only.clone();
            targets.sort();
            targets.dedup();
            targets
        }
    }

    fn render(&self, stages: &mut Stages) -> tiergen::Result<tiergen::emit::Files> {
        let generator = self.generator();
        let steps = generator.chosen_targets().len();
        let mut files = generator.render_observed(&mut |stage| match stage {
            Stage::Loaded { operations } => {
                stages.done("read the spec and overlay into the IR");
                stages.show_progress(operations, steps);
            }
            Stage::Emitting(target) => stages.working_on(&format!("emitting {target}")),
            Stage::Emitted(target) => stages.done(&format!("emit {target}")),
        })?;
        if self.docs_out.is_some() {
            files = files.within(Target::Docs.folder());
        }
        Ok(files)
    }

    /// One `generate`: the summary line, or the error as a diagnostic.
    fn generate(&self, stages: &mut Stages) -> tiergen::Result<()> {
        let files = self.render(stages)?;
        stages.working_on("writing");
        let targets = self.targets();
        let summary = tiergen::output::write(self.destination(), &files, self.owned(&targets))?;
        stages.done("write");
        stages.finish();
        println!(
            "tiergen generate: {summary} in {}",
            self.destination().display()
        );
        Ok(())
    }

    /// `generate --watch`: generates, then again after each change to the
    /// spec or overlay, until interrupted. Errors are shown, not fatal.
    fn watch(&self, verbose: bool) -> tiergen::Result<ExitCode> {
        let inputs = self.input.generator().inputs();
        let (events, changes) = std::sync::mpsc::channel();
        let mut watcher = notify::recommended_watcher(events)
            .map_err(|e| tiergen::Error::in_file(&self.input.spec, format!("cannot watch: {e}")))?;
        // The folders, not the files: editors save by writing a new file and
        // renaming it over the old one, which a watch on the file would lose.
        let mut folders: Vec<PathBuf> = inputs.iter().map(|f| folder_of(f)).collect();
        folders.sort();
        folders.dedup();
        for folder in &folders {
            notify::Watcher::watch(&mut watcher, folder, notify::RecursiveMode::NonRecursive)
                .map_err(|e| tiergen::Error::in_file(folder, format!("cannot watch: {e}")))?;
        }
        loop {
            if let Err(error) = self.generate(&mut Stages::new(verbose)) {
                show(&error);
            }
            eprintln!(
                "tiergen: watching {} for changes (Ctrl-C stops)",
                describe(&inputs)
            );
            if !wait_for_change(&changes, &inputs) {
                return Ok(ExitCode::SUCCESS);
            }
        }
    }

    /// The `generate` command that brings this output up to date.
    fn fix_command(&self) -> String {
        let mut command = String::from("tiergen generate");
        if self.input.spec != std::path::Path::new(DEFAULT_SPEC) {
            command.push_str(&format!(" --spec {}", self.input.spec.display()));
        }
        if let Some(overlay) = &self.input.overlay {
            command.push_str(&format!(" --overlay {}", overlay.display()));
        }
        if self.input.no_overlay {
            command.push_str(" --no-overlay");
        }
        if self.out != std::path::Path::new(DEFAULT_OUT) {
            command.push_str(&format!(" --out {}", self.out.display()));
        }
        if !self.only.is_empty() {
            let only: Vec<String> = self.targets().iter().map(|t| t.to_string()).collect();
            command.push_str(&format!(" --only {}", only.join(",")));
        }
        if let Some(dir) = &self.docs_out {
            command.push_str(&format!(" --docs-out {}", dir.display()));
        }
        if self.docs_ext == DocsExt::Mdx {
            command.push_str(" --docs-ext mdx");
        }
        command
    }
}

const DEFAULT_SPEC: &str = "spec/management.yaml";
/// The exit code of a bug in tiergen (sysexits' EX_SOFTWARE), never of bad input.
const INTERNAL_ERROR: u8 = 70;
const DEFAULT_OUT: &str = "golden";

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportFormat {
    Text,
    Json,
    Github,
    Sarif,
    Junit,
}

#[derive(Clone, Copy, ValueEnum)]
enum DiffFormat {
    Text,
    Json,
    Markdown,
    Github,
    Sarif,
    Junit,
}

/// The formats CI systems read, which every report command has.
#[derive(Clone, Copy)]
enum CiFormat {
    Github,
    Sarif,
    Junit,
}

impl CiFormat {
    fn render(self, report: &tiergen::findings::Report) -> String {
        match self {
            CiFormat::Github => tiergen::findings::github(report),
            CiFormat::Sarif => tiergen::findings::sarif(report),
            CiFormat::Junit => tiergen::findings::junit(report),
        }
    }
}

impl ReportFormat {
    fn ci(self) -> Option<CiFormat> {
        match self {
            ReportFormat::Github => Some(CiFormat::Github),
            ReportFormat::Sarif => Some(CiFormat::Sarif),
            ReportFormat::Junit => Some(CiFormat::Junit),
            ReportFormat::Text | ReportFormat::Json => None,
        }
    }
}

/// The day dates are compared with: `--today`, else `$TIERGEN_TODAY`, else
/// the system clock's day in UTC.
fn today(given: Option<&str>) -> tiergen::Result<tiergen::ir::Date> {
    let (text, from) = match given {
        Some(text) => (text.to_string(), "--today"),
        None => match std::env::var("TIERGEN_TODAY") {
            Ok(text) => (text, "TIERGEN_TODAY"),
            Err(_) => return Ok(tiergen::ir::Date::today()),
        },
    };
    tiergen::ir::Date::parse(&text).ok_or_else(|| {
        tiergen::Error::in_file(
            from,
            format!("must be a date like 2027-01-31, not {text:?}"),
        )
    })
}

/// The command line, with `lint --help` listing the rules: their ids are
/// what `--rule` and the lint config name, and they live in the library.
fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
        .mut_subcommand("lint", |lint| lint.after_long_help(lint_rules_help()))
        .mut_subcommand("diff", |diff| diff.after_long_help(diff_kinds_help()))
}

fn lint_rules_help() -> String {
    let mut text = String::from("Rules (id, default level, what it finds):\n");
    for rule in tiergen::lint::rules() {
        text.push_str(&format!(
            "  {:<28} {:<8} {}\n",
            rule.id,
            rule.level.to_string(),
            rule.summary
        ));
    }
    text.push_str(
        "\nThe lint config is X.lint.yaml beside spec X.yaml, e.g.\n  rules:\n    \
         unauthenticated-mutation: warning\n    undeclared-prose: off\n  accept:\n    \
         - rule: unauthenticated-mutation\n      operation: createThing\n      \
         reason: the gateway authenticates it\n      expires: 2027-01-31\n--rule overrides \
         its levels.",
    );
    text
}

fn diff_kinds_help() -> String {
    let mut text = String::from("Kinds of change (id, class, what it means):\n");
    for kind in tiergen::diff::kinds() {
        text.push_str(&format!(
            "  {:<34} {:<13} {}\n",
            kind.id,
            kind.class.to_string(),
            kind.summary
        ));
    }
    text.push_str(
        "\nThe change policy is X.diff.yaml beside spec X.yaml (or --policy FILE), e.g.\n  \
         accept:\n    - change: operation-removed\n      operation: legacyExport\n      \
         reason: announced in the 2026-10 changelog\n      expires: 2027-01-31\n  classes:\n    \
         response-enum-value-added: non-breaking",
    );
    text
}

fn main() -> ExitCode {
    let matches = command().get_matches();
    let cli = match <Cli as clap::FromArgMatches>::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(error) => error.exit(),
    };
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            show(&error);
            match error.fault() {
                Fault::Input => ExitCode::from(2),
                Fault::Tiergen => ExitCode::from(INTERNAL_ERROR),
            }
        }
    }
}

/// An error as a diagnostic on stderr, with the line of its file it points at.
fn show(error: &tiergen::Error) {
    // Read again for the excerpt: an error is rare, and the text is gone by now.
    let source = std::fs::read_to_string(error.file()).ok();
    let style = tiergen::diagnostics::Style::for_stderr();
    eprint!(
        "{}",
        tiergen::diagnostics::error(error, source.as_deref(), style)
    );
}

fn folder_of(file: &std::path::Path) -> PathBuf {
    match file.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn describe(files: &[PathBuf]) -> String {
    let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    names.join(" and ")
}

/// Blocks until one of `inputs` changes, then waits for the burst of
/// events an editor's save makes to end. False when the watcher is gone.
fn wait_for_change(
    changes: &std::sync::mpsc::Receiver<notify::Result<notify::Event>>,
    inputs: &[PathBuf],
) -> bool {
    let names: Vec<&std::ffi::OsStr> = inputs.iter().filter_map(|f| f.file_name()).collect();
    let concerns = |event: &notify::Result<notify::Event>| match event {
        Ok(event) => {
            !event.kind.is_access()
                && event
                    .paths
                    .iter()
                    .any(|p| p.file_name().is_some_and(|n| names.contains(&n)))
        }
        // A watcher error (events lost): regenerate rather than miss an edit.
        Err(_) => true,
    };
    loop {
        match changes.recv() {
            Ok(event) if concerns(&event) => break,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
    while changes
        .recv_timeout(std::time::Duration::from_millis(100))
        .is_ok()
    {}
    true
}

/// Times the stages of a run for `-v`, and shows progress while a large
/// spec is emitted — on a terminal only, never in CI or a pipe.
struct Stages {
    verbose: bool,
    last: std::time::Instant,
    progress: Option<indicatif::ProgressBar>,
}

impl Stages {
    /// Specs with fewer operations finish before a bar is worth drawing.
    const LARGE_SPEC: usize = 500;

    fn new(verbose: bool) -> Self {
        Stages {
            verbose,
            last: std::time::Instant::now(),
            progress: None,
        }
    }

    fn show_progress(&mut self, operations: usize, steps: usize) {
        use std::io::IsTerminal;
        let wanted = operations >= Self::LARGE_SPEC
            && std::io::stderr().is_terminal()
            && std::env::var_os("CI").is_none();
        if wanted {
            let bar = indicatif::ProgressBar::new(steps as u64 + 1);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} [{pos}/{len}] {msg} ({elapsed})",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
            );
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
            self.progress = Some(bar);
        }
    }

    fn working_on(&self, what: &str) {
        if let Some(bar) = &self.progress {
            bar.set_message(what.to_string());
        }
    }

    fn done(&mut self, what: &str) {
        let now = std::time::Instant::now();
        if let Some(bar) = &self.progress {
            bar.inc(1);
        }
        if self.verbose {
            let line = format!(
                "tiergen: {what}: {:.1} ms",
                (now - self.last).as_secs_f64() * 1e3
            );
            match &self.progress {
                Some(bar) => bar.println(line),
                None => eprintln!("{line}"),
            }
        }
        self.last = now;
    }

    fn finish(&mut self) {
        if let Some(bar) = self.progress.take() {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Stages {
    // An error midway must not leave a bar drawn over its diagnostic.
    fn drop(&mut self) {
        self.finish();
    }
}

fn run(cli: Cli) -> tiergen::Result<ExitCode> {
    match cli.command {
        Command::Ir(input) => {
            let api = input.generator().load()?;
            print(&tiergen::ir_json(&api));
            Ok(ExitCode::SUCCESS)
        }
        Command::Generate { output, watch } => {
            if watch {
                return output.watch(cli.verbose);
            }
            output.generate(&mut Stages::new(cli.verbose))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { output, format } => {
            let files = output.render(&mut Stages::new(cli.verbose))?;
            let targets = output.targets();
            let drift =
                tiergen::output::check(output.destination(), &files, output.owned(&targets))?;
            let (out, fix) = (output.destination(), output.fix_command());
            print(&match (format, format.ci()) {
                (_, Some(ci)) => ci.render(&tiergen::output::check_findings(out, &drift, &fix)),
                (ReportFormat::Json, None) => tiergen::output::check_json(out, &drift, &fix),
                _ => tiergen::output::check_text(out, &drift, files.len(), &fix),
            });
            Ok(if drift.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Lint {
            input,
            levels,
            format,
            today: given_today,
        } => {
            let today = today(given_today.as_deref())?;
            let (lint_config, config) = levels.levels(&input.spec)?;
            let api = input.generator().load()?;
            let report = tiergen::lint::lint_with(&api, &lint_config.levels)
                .accept(&lint_config.accept, today);
            let config = config.unwrap_or_else(|| tiergen::lint::config_beside(&input.spec));
            print(&match (format, format.ci()) {
                (_, Some(ci)) => ci.render(&tiergen::lint::findings(&report, &input.spec, &config)),
                (ReportFormat::Json, None) => tiergen::lint::report_json(&report),
                _ => {
                    let style = tiergen::diagnostics::Style::for_stdout();
                    tiergen::diagnostics::lint_report(&input.spec, &config, &report, style)
                }
            });
            Ok(if report.fails() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Diff {
            old,
            new,
            old_overlay,
            new_overlay,
            format,
            fail_on,
            policy,
            today: given_today,
        } => {
            let today = today(given_today.as_deref())?;
            let (mut before, mut after) = tiergen::diff::load_both(
                (&old, old_overlay.as_deref()),
                (&new, new_overlay.as_deref()),
            )?;
            let policy = tiergen::diff::load_policy(&new, policy.as_deref())?;
            let options = tiergen::diff::Options { today };
            let changes = tiergen::diff::diff(&before.api, &after.api, &options);
            let pointers = |in_old: bool| {
                changes
                    .iter()
                    .filter(move |c| c.in_old == in_old)
                    .map(|c| c.pointer.as_str())
            };
            before.index(pointers(true));
            let removals_here = pointers(true).filter(|_| old.starts_with("git:"));
            after.index(
                pointers(false)
                    .chain(removals_here)
                    .chain(["/info/version"]),
            );
            let outcome = tiergen::diff::Outcome {
                applied: policy.apply(changes, today),
                version: tiergen::diff::VersionStep::new(&before.api.version, &after.api.version),
                fail_on,
            };
            // A removal is shown where it was, in the old file, unless the old
            // side is a git revision: an annotation can only point into the
            // files of the checkout, so it goes to the nearest place in the new.
            let old_in_git = old.starts_with("git:");
            let place = |change: &tiergen::diff::Change| {
                if change.in_old && !old_in_git {
                    before.locate(&change.pointer)
                } else {
                    after.locate(&change.pointer)
                }
            };
            let policy_file = policy.file.as_ref().map(|p| p.display().to_string());
            let view = tiergen::diff::View {
                outcome: &outcome,
                place: &place,
                version_place: after.locate("/info/version"),
                policy: policy_file.as_deref(),
            };
            print(&match format {
                DiffFormat::Text => tiergen::diff::text(&view),
                DiffFormat::Json => tiergen::diff::json(&view),
                DiffFormat::Markdown => {
                    tiergen::diff::markdown(&view, tiergen::diff::COMMENT_LIMIT)
                }
                DiffFormat::Github => CiFormat::Github.render(&tiergen::diff::findings(&view)),
                DiffFormat::Sarif => CiFormat::Sarif.render(&tiergen::diff::findings(&view)),
                DiffFormat::Junit => CiFormat::Junit.render(&tiergen::diff::findings(&view)),
            });
            Ok(if outcome.fails() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Route {
            routes,
            base_urls,
            format,
            env_values,
            words,
        } => {
            let given: Vec<(&str, &str)> = env_values
                .iter()
                .filter_map(|pair| pair.split_once('='))
                .collect();
            let env = |name: &str| {
                given
                    .iter()
                    .find(|(variable, _)| *variable == name)
                    .map(|(_, value)| value.to_string())
                    .or_else(|| std::env::var(name).ok())
            };
            let request = tiergen::serve::route(&routes, &words, &base_urls, &env)?;
            match format {
                Format::Text => print(&request.to_text()),
                Format::Json => print(&request.to_json()),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Completions { shell } => {
            let mut command = command();
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut command, "tiergen", &mut script);
            print(&String::from_utf8_lossy(&script));
            Ok(ExitCode::SUCCESS)
        }
        Command::Man => {
            let mut page = Vec::new();
            clap_mangen::Man::new(command())
                .render(&mut page)
                .map_err(|e| {
                    tiergen::Error::in_file("<stdout>", format!("cannot render the manual: {e}"))
                })?;
            print(&String::from_utf8_lossy(&page));
            Ok(ExitCode::SUCCESS)
        }
        Command::Call(args) => call::run(args),
        Command::Mcp(command) => mcp::run(command),
    }
}

/// Prints to stdout; a closed pipe (`tiergen ir | head`) is not an error.
fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
}
