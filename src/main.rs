//! The `tiergen` command line: a thin front over the library.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use tiergen::frontend::OverlayChoice;

#[derive(Parser)]
#[command(
    name = "tiergen",
    version,
    about = "Compile an OpenAPI contract with credential tiers, guards and side-effects into \
             its derived artifacts, and check them for drift",
    after_help = "Exit codes: 0 success; 1 drift or findings (check, lint); 2 bad input or usage."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the intermediate representation (services, credentials, operations with
    /// auth, guards and effects, types) as JSON.
    Ir(InputArgs),
    /// Run the policy rules over the IR; each finding has a rule id, a level and a
    /// location. Exits 1 when any finding is at error level.
    Lint {
        #[command(flatten)]
        input: InputArgs,
        /// Report format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Args)]
struct InputArgs {
    /// The OpenAPI 3.0/3.1 document to read.
    #[arg(long, value_name = "FILE", default_value = "spec/management.yaml")]
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

    fn load(&self) -> tiergen::Result<tiergen::ir::Api> {
        tiergen::frontend::load(&self.spec, &self.overlay_choice())
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> tiergen::Result<ExitCode> {
    match cli.command {
        Command::Ir(input) => {
            let api = input.load()?;
            print(&tiergen::ir_json(&api));
            Ok(ExitCode::SUCCESS)
        }
        Command::Lint { input, format } => {
            let api = input.load()?;
            let report = tiergen::lint::lint(&api);
            match format {
                Format::Text => print(&lint_text(&input.spec, &report)),
                Format::Json => print(&tiergen::lint::report_json(&report)),
            }
            Ok(if report.errors() > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}

/// Prints to stdout; a closed pipe (`tiergen ir | head`) is not an error.
fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
}

fn lint_text(spec: &std::path::Path, report: &tiergen::lint::Report) -> String {
    let mut text = String::new();
    for f in &report.findings {
        text.push_str(&format!("{}#{}: {}[{}]: {}\n", spec.display(), f.pointer, f.level, f.rule, f.message));
    }
    for a in &report.acknowledged {
        let f = &a.finding;
        text.push_str(&format!(
            "{}#{}: acknowledged[{}]: {} — {}\n",
            spec.display(),
            f.pointer,
            f.rule,
            f.message,
            a.reason
        ));
    }
    text.push_str(&format!(
        "lint: {} error(s), {} warning(s), {} acknowledged; {} rules checked\n",
        report.errors(),
        report.warnings(),
        report.acknowledged.len(),
        tiergen::lint::rules().len()
    ));
    text
}
