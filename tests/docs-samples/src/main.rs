//! `tiergen-docs-samples INDEX BASE_URL`: runs one Rust sample of the docs
//! pages against BASE_URL; `tiergen-docs-samples --list` prints the
//! operation of each sample, one a line. The sample's own error (the fake
//! API answers whatever it answers) is printed, not fatal: what the tests
//! check is the request it sent.

#![allow(clippy::all, unused)]

mod samples {
    include!(concat!(env!("OUT_DIR"), "/samples.rs"));
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--list") {
        for op in samples::OPERATIONS {
            println!("{op}");
        }
        return std::process::ExitCode::SUCCESS;
    }
    let (Some(index), Some(base)) = (args.first().and_then(|i| i.parse().ok()), args.get(1)) else {
        eprintln!("usage: tiergen-docs-samples INDEX BASE_URL | --list");
        return std::process::ExitCode::from(2);
    };
    match samples::run(index, base).await {
        Ok(()) => println!("ok"),
        Err(e) => println!("answered: {e}"),
    }
    std::process::ExitCode::SUCCESS
}
