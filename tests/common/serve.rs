//! A fake HTTP API on 127.0.0.1 that records what it receives, and
//! `tiergen mcp serve` as a child process spoken to over MCP's stdio
//! transport: what the MCP tests drive the server with.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use serde_json::{Value, json};

#[path = "fake_api.rs"]
mod fake_api;
#[allow(unused_imports)]
pub use fake_api::{FakeApi, Recorded};

/// `tiergen mcp serve` as a child speaking MCP over its stdin and stdout.
pub struct Served {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
    next_id: u64,
}

impl Served {
    pub fn start(manifest: &Path, base_urls: &[String], env: &[(&str, &str)]) -> Served {
        Served::spawn(manifest, base_urls, env, Stdio::inherit())
    }

    /// Like [`Served::start`], its standard error (its log) going to `log`.
    pub fn start_logging(
        manifest: &Path,
        base_urls: &[String],
        env: &[(&str, &str)],
        log: &Path,
    ) -> Served {
        let file = std::fs::File::create(log).unwrap_or_else(|e| panic!("{e}"));
        Served::spawn(manifest, base_urls, env, Stdio::from(file))
    }

    fn spawn(manifest: &Path, base_urls: &[String], env: &[(&str, &str)], stderr: Stdio) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tiergen"))
            .args(["mcp", "serve", "--manifest"])
            .arg(manifest)
            .args(base_urls.iter().flat_map(|u| ["--base-url", u.as_str()]))
            .env_clear()
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"));
        let stdin = child.stdin.take().unwrap_or_else(|| panic!("no stdin"));
        let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
        let (sender, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let mut served = Served {
            child,
            stdin,
            lines,
            next_id: 1,
        };
        let info = served.request(
            "initialize",
            json!({"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "breadth-test", "version": "1"}}),
        );
        assert!(info["result"]["serverInfo"]["name"].is_string(), "{info}");
        served.send(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
        served
    }

    pub fn send(&mut self, message: &Value) {
        writeln!(self.stdin, "{message}").unwrap_or_else(|e| panic!("{e}"));
        self.stdin.flush().unwrap_or_else(|e| panic!("{e}"));
    }

    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let line = self
                .lines
                .recv_timeout(Duration::from_secs(60))
                .unwrap_or_else(|e| panic!("no answer to {method}: {e}"));
            let message: Value =
                serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
            if message["id"] == id {
                return message;
            }
        }
    }

    /// `tools/call`: the result's text (for errors) and structured content.
    pub fn call(&mut self, tool: &str, arguments: Value) -> (bool, String, Value) {
        let answer = self.request("tools/call", json!({"name": tool, "arguments": arguments}));
        let result = &answer["result"];
        let text = result["content"][0]["text"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        (
            result["isError"] == true,
            text,
            result["structuredContent"].clone(),
        )
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
