//! `tiergen --help` describes every command that exists, and each command
//! has its own help.

mod common;

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
