//! `tiergen mcp serve`: its options and how they become a running server.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Subcommand, ValueEnum};
use tiergen::serve::{ConsentMode, Discovery, HttpOptions, McpServer, Options, Selection};

use crate::sending::SendArgs;

#[derive(Subcommand)]
pub enum McpCommand {
    /// Serve one generated MCP manifest, over stdio until stdin closes or over
    /// Streamable HTTP (--http). Tool calls are validated against their inputSchema,
    /// guarded, confirmed by the person when guarded or irreversible (MCP
    /// elicitation), and sent as HTTP requests with credentials read from the
    /// environment variables the manifest names.
    Serve(ServeArgs),
}

#[derive(Args)]
pub struct ServeArgs {
    /// The manifest, e.g. golden/mcp/org-api-key.json.
    #[arg(long, value_name = "FILE")]
    manifest: PathBuf,
    /// Where a service lives: `SERVICE=URL`, or a bare URL for a single-service
    /// manifest [default: the spec's servers, variables from the environment].
    #[arg(long = "base-url", value_name = "[SERVICE=]URL")]
    base_urls: Vec<String>,
    #[command(flatten)]
    http: HttpArgs,
    #[command(flatten)]
    selection: SelectionArgs,
    /// Do not ask the person before a guarded or irreversible call: send it once its
    /// guard arguments check out. Weaker: the model can fill a confirm value itself.
    /// For clients without elicitation.
    #[arg(long)]
    no_elicitation: bool,
    /// How long the person has to answer before the call is refused.
    #[arg(long, value_name = "SECONDS", default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..))]
    consent_timeout: u64,
    #[command(flatten)]
    sending: SendArgs,
}

#[derive(Args)]
struct HttpArgs {
    /// Serve MCP over Streamable HTTP at ADDR (the endpoint is `/mcp`) instead of stdio,
    /// e.g. 127.0.0.1:8080 (port 0 picks a free port; the address is printed on stderr).
    #[arg(long, value_name = "ADDR")]
    http: Option<SocketAddr>,
    /// The environment variable holding the access token HTTP clients must send as
    /// `Authorization: Bearer`. Required to listen on a non-loopback address; when set,
    /// required on every request.
    #[arg(long, value_name = "VARIABLE", default_value = "TIERGEN_MCP_TOKEN")]
    token_env: String,
    /// A browser origin allowed beside the loopback ones, e.g. `https://console.example.com`
    /// (repeatable). Any other `Origin` is answered 403.
    #[arg(long = "allow-origin", value_name = "ORIGIN", requires = "http")]
    allow_origins: Vec<String>,
    /// A `Host` allowed beside the loopback ones, e.g. `mcp.example.com` (repeatable). On a
    /// non-loopback address without any, `Host` is not checked (the token is).
    #[arg(long = "allow-host", value_name = "HOST", requires = "http")]
    allow_hosts: Vec<String>,
}

#[derive(Args)]
struct SelectionArgs {
    /// Offer only these tools: names or globs (`admin_*`), comma-separated or repeated.
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    tools: Vec<String>,
    /// Leave out these tools: names or globs, comma-separated or repeated.
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    exclude: Vec<String>,
    /// Offer only tools of these tags (the spec's operation tags), comma-separated or repeated.
    #[arg(long = "tag", value_name = "TAGS", value_delimiter = ',')]
    tags: Vec<String>,
    /// Offer only the tools whose annotations say they change nothing.
    #[arg(long)]
    read_only: bool,
    /// List three tools that find, describe and call the others, instead of every tool.
    /// `auto` does so above 128 tools.
    #[arg(long, value_enum, default_value_t = DiscoveryArg::Auto)]
    discovery: DiscoveryArg,
}

#[derive(Clone, Copy, ValueEnum)]
enum DiscoveryArg {
    Auto,
    On,
    Off,
}

impl ServeArgs {
    fn options(&self) -> Options {
        let selection = &self.selection;
        Options {
            selection: Selection {
                tools: selection.tools.clone(),
                exclude: selection.exclude.clone(),
                tags: selection.tags.clone(),
                read_only: selection.read_only,
            },
            discovery: match selection.discovery {
                DiscoveryArg::Auto => Discovery::Auto,
                DiscoveryArg::On => Discovery::On,
                DiscoveryArg::Off => Discovery::Off,
            },
            consent: if self.no_elicitation {
                ConsentMode::ArgumentsOnly
            } else {
                ConsentMode::Elicit
            },
            consent_timeout: Duration::from_secs(self.consent_timeout),
        }
    }

    fn http_options(&self, addr: SocketAddr) -> tiergen::Result<HttpOptions> {
        let in_manifest = |message: String| tiergen::Error::in_file(&self.manifest, message);
        let token =
            tiergen::serve::AccessToken::from_env(&self.http.token_env).map_err(in_manifest)?;
        let options = HttpOptions {
            addr,
            token,
            allowed_origins: self.http.allow_origins.clone(),
            allowed_hosts: self.http.allow_hosts.clone(),
        };
        options.check().map_err(in_manifest)?;
        Ok(options)
    }
}

pub fn run(command: McpCommand) -> tiergen::Result<ExitCode> {
    let McpCommand::Serve(args) = command;
    let http = args
        .http
        .http
        .map(|addr| args.http_options(addr))
        .transpose()?;
    let server = tiergen::serve::mcp_server(
        &args.manifest,
        &args.base_urls,
        args.options(),
        args.sending.policy(),
    )?;
    let failed = |message: String| tiergen::Error::in_file(&args.manifest, message);
    match http {
        None => runtime(false)
            .map_err(failed)?
            .block_on(server.serve_stdio())
            .map_err(failed)?,
        Some(options) => runtime(true)
            .map_err(failed)?
            .block_on(serve_http(server, options))
            .map_err(failed)?,
    }
    Ok(ExitCode::SUCCESS)
}

async fn serve_http(server: McpServer, options: HttpOptions) -> Result<(), String> {
    let (tools, discovery) = server.listing();
    tiergen::serve::serve_http(server, options, |bound| {
        let offered = if discovery {
            format!("{tools} discovery tools")
        } else {
            format!("{tools} tools")
        };
        eprintln!("tiergen mcp serve: {offered} at http://{bound}/mcp");
    })
    .await
}

/// One thread is plenty for stdio's one client; HTTP serves many at once.
fn runtime(many_clients: bool) -> Result<tokio::runtime::Runtime, String> {
    let mut builder = if many_clients {
        tokio::runtime::Builder::new_multi_thread()
    } else {
        tokio::runtime::Builder::new_current_thread()
    };
    builder
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start: {e}"))
}
