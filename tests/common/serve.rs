//! A fake HTTP API on 127.0.0.1 that records what it receives, and
//! `tiergen mcp serve` as a child process spoken to over MCP's stdio
//! transport: what the MCP tests drive the server with.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

/// One request the fake API received; header names in lower case.
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// A fake API on 127.0.0.1: answers every request with `{"ok": true}` and
/// records it.
pub struct FakeApi {
    pub url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl FakeApi {
    pub fn start() -> FakeApi {
        FakeApi::answering("200 OK", "{\"ok\":true}")
    }

    /// A fake API answering every request with `status` (e.g. `500 Internal
    /// Server Error`) and the JSON `answer`.
    pub fn answering(status: &'static str, answer: &'static str) -> FakeApi {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
        let url = format!(
            "http://{}",
            listener.local_addr().unwrap_or_else(|e| panic!("{e}"))
        );
        let requests = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&requests);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let mut reader = BufReader::new(stream);
                let mut head = Vec::new();
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    head.push(line.trim_end().to_string());
                }
                let Some(first) = head.first() else { continue };
                let mut parts = first.split(' ');
                let method = parts.next().unwrap_or_default().to_string();
                let path = parts.next().unwrap_or_default().to_string();
                let headers: Vec<(String, String)> = head[1..]
                    .iter()
                    .filter_map(|h| h.split_once(':'))
                    .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
                    .collect();
                let length = headers
                    .iter()
                    .find(|(k, _)| k == "content-length")
                    .and_then(|(_, v)| v.parse::<usize>().ok())
                    .unwrap_or(0);
                let mut body = vec![0; length];
                let _ = reader.read_exact(&mut body);
                if let Ok(mut all) = recorded.lock() {
                    all.push(Recorded {
                        method,
                        path,
                        headers,
                        body,
                    });
                }
                let mut stream = reader.into_inner();
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
                    answer.len()
                );
            }
        });
        FakeApi { url, requests }
    }

    pub fn taken(&self) -> Vec<Recorded> {
        self.requests
            .lock()
            .map(|mut r| std::mem::take(&mut *r))
            .unwrap_or_default()
    }
}

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
