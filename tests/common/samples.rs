//! Reading the samples back from a docs page: each operation's section,
//! its titled code blocks, and the request its HTTP sample shows. Shared by
//! tests/docs/docs_samples.rs and the docs-samples crate (by path).

#![allow(dead_code)]

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Parser, Tag, TagEnd};

/// One operation's section of a group page.
#[derive(Debug, Default)]
pub struct Section {
    pub heading: String,
    pub operation: String,
    /// (title, code) of each sample.
    pub samples: Vec<(String, String)>,
}

impl Section {
    pub fn sample(&self, title: &str) -> Option<&str> {
        self.samples
            .iter()
            .find(|(t, _)| t == title)
            .map(|(_, code)| code.as_str())
    }
}

/// The operation sections of a page: each `##` heading, the operation id
/// its first paragraph names (its last code span), its titled code blocks.
pub fn sections(markdown: &str) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    let mut in_heading = false;
    let mut first_paragraph = false;
    let mut block: Option<(String, String)> = None;
    for event in Parser::new_ext(markdown, pulldown_cmark::Options::all()) {
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H2,
                ..
            }) => {
                out.push(Section::default());
                in_heading = true;
            }
            Event::End(TagEnd::Heading(HeadingLevel::H2)) => {
                in_heading = false;
                first_paragraph = true;
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let title = info
                    .split_once("title=\"")
                    .and_then(|(_, rest)| rest.strip_suffix('"'))
                    .unwrap_or_default()
                    .to_string();
                block = Some((title, String::new()));
            }
            Event::End(TagEnd::CodeBlock) => {
                if let (Some((title, code)), Some(section)) = (block.take(), out.last_mut())
                    && !title.is_empty()
                {
                    section.samples.push((title, code.trim_end().to_string()));
                }
            }
            Event::End(TagEnd::Paragraph) => first_paragraph = false,
            Event::Text(text) => {
                if let Some((_, code)) = block.as_mut() {
                    code.push_str(&text);
                } else if in_heading && let Some(section) = out.last_mut() {
                    section.heading.push_str(&text);
                } else if first_paragraph
                    && text.ends_with("operation (empty)")
                    && let Some(section) = out.last_mut()
                {
                    // An empty operationId is said in words, not as code.
                    section.operation = String::new();
                }
            }
            Event::Code(code) => {
                if in_heading && let Some(section) = out.last_mut() {
                    section.heading.push_str(&code);
                } else if first_paragraph && let Some(section) = out.last_mut() {
                    section.operation = code.to_string();
                }
            }
            _ => {}
        }
    }
    out.retain(|s| !s.samples.is_empty());
    out
}

pub fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The value each `$VAR` of a sample takes in these tests: `user:password`
/// shaped, so it serves as a token, a routing value and HTTP Basic alike.
pub fn secret(var: &str) -> String {
    format!("id-{}:secret", var.to_ascii_lowercase())
}

/// The `$VAR` names a sample reads.
pub fn variables(sample: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let bytes = sample.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b != b'$' {
            continue;
        }
        let name: String = sample[i + 1..]
            .chars()
            .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
            .collect();
        if !name.is_empty() && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

pub fn substituted(text: &str, vars: &[String]) -> String {
    let mut sorted = vars.to_vec();
    // Longest first, so `$A_B` is not read as `$A` + `_B`.
    sorted.sort_by_key(|v| std::cmp::Reverse(v.len()));
    let mut out = text.to_string();
    for var in sorted {
        out = out.replace(&format!("${var}"), &secret(&var));
    }
    out
}

/// The request an HTTP sample shows.
#[derive(Debug)]
pub struct HttpSample {
    pub method: String,
    pub target: String,
    pub host: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
}

pub fn http_sample(code: &str, vars: &[String]) -> HttpSample {
    let (head, body) = match code.split_once("\n\n") {
        Some((head, body)) => (head, Some(body.to_string())),
        None => (code, None),
    };
    let mut lines = head.lines();
    let first = lines.next().unwrap_or_default();
    let mut words = first.split(' ');
    let method = words.next().unwrap_or_default().to_string();
    let target = substituted(words.next().unwrap_or_default(), vars);
    let mut host = String::new();
    let mut headers = Vec::new();
    for line in lines.filter(|l| !l.starts_with('#')) {
        let (name, value) = line
            .split_once(": ")
            .unwrap_or_else(|| panic!("header line {line:?}"));
        if name == "Host" {
            host = value.to_string();
        } else if let Some(var) = value
            .strip_prefix("Basic <base64 of $")
            .and_then(|v| v.strip_suffix('>'))
        {
            headers.push((
                name.to_ascii_lowercase(),
                format!("Basic {}", base64(&secret(var))),
            ));
        } else {
            headers.push((name.to_ascii_lowercase(), substituted(value, vars)));
        }
    }
    HttpSample {
        method,
        target,
        host,
        headers,
        body,
    }
}

pub fn base64(text: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in text.as_bytes().chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            out.push(if i <= chunk.len() {
                ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char
            } else {
                '='
            });
        }
    }
    out
}
