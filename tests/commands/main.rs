//! tiergen's commands run as real processes: `generate` and `check`,
//! `--watch`, `diff`, `lint`, the GitHub Action's step, the safety of the
//! output folder, credentials that never show, and `--help`, completions and
//! the manual page.

#[path = "../common/mod.rs"]
mod common;

mod action;
mod ci_formats;
mod cli_help;
mod diff;
mod diff_kinds;
mod diff_policy;
mod generate_check;
mod lint;
mod output_safety;
mod secrets;
mod watch;
