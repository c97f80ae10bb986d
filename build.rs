//! Records the commit tiergen is built from, for `tiergen --version`: the
//! short hash from git when the source is a git checkout (`-dirty` when it
//! has uncommitted changes), else `TIERGEN_COMMIT` from the environment
//! (for builds from a source archive), else `unknown`.

use std::path::Path;
use std::process::Command;

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let commit = git(&root, &["rev-parse", "--short=12", "HEAD"])
        .map(
            |hash| match git(&root, &["status", "--porcelain", "--untracked-files=no"]) {
                Some(changes) if !changes.is_empty() => format!("{hash}-dirty"),
                _ => hash,
            },
        )
        .or_else(|| std::env::var("TIERGEN_COMMIT").ok())
        .unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=TIERGEN_COMMIT={commit}");
    println!("cargo:rerun-if-env-changed=TIERGEN_COMMIT");
    // A new commit moves HEAD or the branch it names; staging changes the
    // index. Git says where each lives (`--git-path`): in a worktree `.git`
    // is a file, and a branch ref may live in the main checkout's folder.
    let mut watched = vec!["HEAD".to_string(), "index".to_string()];
    if let Some(branch) = git(&root, &["symbolic-ref", "-q", "HEAD"]) {
        watched.push(branch);
    }
    for name in watched {
        if let Some(path) = git(&root, &["rev-parse", "--git-path", &name]) {
            let path = Path::new(&root).join(path);
            if path.exists() {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
    }
}

fn git(root: &str, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(root)
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    Some(String::from_utf8_lossy(&output.stdout).trim().to_string())
}
