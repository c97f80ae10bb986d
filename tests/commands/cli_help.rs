//! `tiergen --help` describes every command that exists, and each command
//! has its own help.

use crate::common;

#[test]
fn every_command_is_described() {
    let output = common::tiergen(&["--help"]);
    assert!(output.status.success());
    let help = common::stdout(&output);
    for (command, words) in [
        ("generate", "Write every artifact"),
        ("check", "compare with --out"),
        ("lint", "policy rules"),
        ("ir", "intermediate representation"),
    ] {
        let line = help
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{command} ")))
            .unwrap_or_else(|| panic!("--help does not list {command}:\n{help}"));
        assert!(line.contains(words), "{command}: {line}");
        let own = common::tiergen(&[command, "--help"]);
        assert!(own.status.success(), "{command} --help");
        assert!(
            common::stdout(&own).contains("--spec <FILE>"),
            "{command} --help lacks --spec"
        );
    }
}

/// Every subcommand `--help` lists, by name.
fn subcommands() -> Vec<String> {
    let help = common::stdout(&common::tiergen(&["--help"]));
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

#[test]
fn version_names_the_commit_it_was_built_from() {
    let output = common::tiergen(&["--version"]);
    assert!(output.status.success());
    let version = common::stdout(&output);
    let head = std::process::Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(common::repo_root())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    let Some(head) = head else {
        // Built from a source archive: no commit to name.
        assert!(
            version.contains("(unknown)") || version.contains("("),
            "{version}"
        );
        return;
    };
    assert!(
        version.starts_with(&format!("tiergen {} ({head}", env!("CARGO_PKG_VERSION"))),
        "{version}"
    );
}

#[test]
fn bash_completion_offers_every_subcommand() {
    let names = subcommands();
    for expected in [
        "generate",
        "check",
        "lint",
        "ir",
        "diff",
        "route",
        "mcp",
        "completions",
        "man",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} not in {names:?}"
        );
    }
    let output = common::tiergen(&["completions", "bash"]);
    assert!(output.status.success(), "{}", common::stderr(&output));
    let script = common::stdout(&output);
    // bash completes the first word from this list of the top-level command.
    let top = script
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("tiergen)"))
        .find(|l| l.trim_start().starts_with("opts="))
        .unwrap_or_else(|| panic!("no top-level word list in:\n{script}"));
    for name in &names {
        assert!(
            top.split(|c: char| c.is_whitespace() || c == '"')
                .any(|w| w == name),
            "bash completion does not offer {name}: {top}"
        );
    }
    // And bash itself reads the script and completes `tiergen ge` to `generate`.
    let dir = common::temp_tree(&[("tiergen.bash", script.as_str())]);
    let completed = std::process::Command::new("bash")
        .arg("-c")
        .arg(
            "source ./tiergen.bash; COMP_WORDS=(tiergen ge); COMP_CWORD=1; COMP_LINE='tiergen ge'; \
             COMP_POINT=10; _tiergen tiergen ge tiergen; printf '%s\\n' \"${COMPREPLY[@]}\"",
        )
        .current_dir(dir.path())
        .output()
        .unwrap_or_else(|e| panic!("bash: {e}"));
    assert_eq!(
        common::stdout(&completed),
        "generate\n",
        "{}",
        common::stderr(&completed)
    );
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let output = common::tiergen(&["completions", shell]);
        assert!(output.status.success(), "{shell}");
        assert!(common::stdout(&output).contains("generate"), "{shell}");
    }
}

#[test]
fn the_manual_page_describes_every_subcommand() {
    let output = common::tiergen(&["man"]);
    assert!(output.status.success(), "{}", common::stderr(&output));
    let page = common::stdout(&output);
    assert!(
        page.starts_with(".ie \\n(.g .ds Aq") || page.contains(".TH tiergen 1"),
        "{page}"
    );
    assert!(page.contains(".TH tiergen 1"), "{page}");
    for name in subcommands() {
        assert!(
            page.contains(&format!("tiergen\\-{name}")) || page.contains(&name),
            "{name}"
        );
    }
    // man(1) renders it without complaint, when it is installed.
    let rendered = std::process::Command::new("sh")
        .arg("-c")
        .arg("command -v groff >/dev/null || exit 77; groff -man -Tutf8 -ww -z 2>&1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            if let Some(mut stdin) = child.stdin.take() {
                stdin.write_all(page.as_bytes())?;
            }
            child.wait_with_output()
        })
        .unwrap_or_else(|e| panic!("sh: {e}"));
    if rendered.status.code() != Some(77) {
        assert!(
            rendered.status.success() && rendered.stdout.is_empty(),
            "{}",
            common::stdout(&rendered)
        );
    }
}
