//! `tiergen call WORDS…`: sends what `tiergen route` resolves, after asking
//! the person at the terminal when the command is guarded or irreversible.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use serde_json::Value;
use tiergen::serve::{Decision, Question, Reply};

use crate::sending::SendArgs;

/// Exit codes of `call`, beyond 0 (the API answered 2xx or 3xx) and 2 (bad
/// input or usage: nothing was sent).
const NOT_CONFIRMED: u8 = 3;
const CLIENT_ERROR: u8 = 4;
const SERVER_ERROR: u8 = 5;
const NO_ANSWER: u8 = 6;

#[derive(Args)]
pub struct CallArgs {
    /// The route map.
    #[arg(long, value_name = "FILE", default_value = "golden/cli/routes.json")]
    routes: PathBuf,
    /// Where a service lives: `SERVICE=URL` [default: the spec's servers].
    #[arg(long = "base-url", value_name = "SERVICE=URL")]
    base_urls: Vec<String>,
    /// How the answer is printed.
    #[arg(long, value_enum, default_value_t = Output::Json)]
    output: Output,
    /// Send a guarded or irreversible command without asking. Without a terminal it is
    /// required; a confirm guard's value must still be given (e.g. `--confirm SLUG`).
    #[arg(long)]
    yes: bool,
    #[command(flatten)]
    sending: SendArgs,
    /// The command, then its positionals and flags, e.g. `workspace delete <id>`.
    #[arg(
        required = true,
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "WORDS"
    )]
    words: Vec<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Output {
    Json,
    Yaml,
    Table,
}

pub fn run(args: CallArgs) -> tiergen::Result<ExitCode> {
    let env = |name: &str| std::env::var(name).ok();
    let request = tiergen::serve::route_to_send(&args.routes, &args.words, &args.base_urls, &env)?;
    if let Some(question) = &request.question
        && let Err(refusal) = agree(question, args.yes)
    {
        eprintln!("tiergen call: {refusal}");
        return Ok(ExitCode::from(NOT_CONFIRMED));
    }
    let failed = |message: String| tiergen::Error::in_file(&args.routes, message);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| failed(format!("cannot start: {e}")))?;
    let reply = match runtime.block_on(tiergen::serve::send_request(
        &request,
        &args.sending.policy(),
    )) {
        Ok(reply) => reply,
        Err(message) => {
            eprintln!("tiergen call: {message}");
            return Ok(ExitCode::from(NO_ANSWER));
        }
    };
    crate::print(&printed(&reply, args.output));
    Ok(exit_code(&reply))
}

/// Asks the person, at a terminal; without one, only `--yes` lets it go.
fn agree(question: &Question, yes: bool) -> Result<(), String> {
    if yes {
        return Ok(());
    }
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Err(format!(
            "{}\nnot sent: no terminal to ask at; pass --yes to send it{}",
            question.message(),
            if question.typed.is_some() {
                " (with the confirm value among its flags)"
            } else {
                ""
            }
        ));
    }
    let mut stderr = std::io::stderr().lock();
    let prompt = match &question.typed {
        Some(typed) => format!("{}\n{}: ", question.message(), typed.param),
        None => format!("{} [y/N] ", question.message()),
    };
    let _ = stderr.write_all(prompt.as_bytes());
    let _ = stderr.flush();
    let mut line = String::new();
    let answer = match std::io::stdin().lock().read_line(&mut line) {
        Ok(0) | Err(_) => Decision::Cancelled,
        Ok(_) if question.typed.is_some() => Decision::Agreed {
            typed: Some(line.trim().to_string()),
        },
        Ok(_) if matches!(line.trim(), "y" | "Y" | "yes" | "YES" | "Yes") => {
            Decision::Agreed { typed: None }
        }
        Ok(_) => Decision::Declined,
    };
    question.judge(&answer)
}

fn exit_code(reply: &Reply) -> ExitCode {
    match reply.status {
        400..=499 => {
            eprintln!("tiergen call: the API answered {}", reply.status_line());
            ExitCode::from(CLIENT_ERROR)
        }
        500..=599 => {
            eprintln!("tiergen call: the API answered {}", reply.status_line());
            ExitCode::from(SERVER_ERROR)
        }
        _ => ExitCode::SUCCESS,
    }
}

/// The answer's body as asked: JSON pretty, YAML, or a table (rows of an
/// array of objects, or the fields of one object); a body that is not JSON
/// as its text.
fn printed(reply: &Reply, output: Output) -> String {
    let Some(body) = &reply.json else {
        let mut text = reply.text();
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        return text;
    };
    let mut text = match output {
        Output::Json => serde_json::to_string_pretty(body).unwrap_or_default(),
        Output::Yaml => yaml_serde::to_string(body).unwrap_or_default(),
        Output::Table => table(body),
    };
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

fn table(body: &Value) -> String {
    let mut table = comfy_table::Table::new();
    table.load_preset(comfy_table::presets::ASCII_MARKDOWN);
    match body {
        Value::Array(rows) if rows.iter().all(Value::is_object) && !rows.is_empty() => {
            let mut columns: Vec<&str> = Vec::new();
            for row in rows.iter().filter_map(Value::as_object) {
                for key in row.keys() {
                    if !columns.contains(&key.as_str()) {
                        columns.push(key);
                    }
                }
            }
            table.set_header(columns.clone());
            for row in rows {
                table.add_row(columns.iter().map(|c| cell(row.get(*c))));
            }
        }
        Value::Object(fields) => {
            table.set_header(["field", "value"]);
            for (key, value) in fields {
                table.add_row([key.clone(), cell(Some(value))]);
            }
        }
        other => return cell(Some(other)),
    }
    table.to_string()
}

fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
    }
}
