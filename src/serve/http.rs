//! `mcp serve --http ADDR`: the MCP endpoint at `/mcp` over Streamable
//! HTTP (rmcp's transport, hosted by axum), for a team to run one server
//! for several agents.
//!
//! The transport rules of both protocol revisions hold: loopback by
//! default; `Host` and `Origin` checked against DNS rebinding (a foreign
//! origin gets 403 before anything is dispatched); sessions (`Mcp-Session-Id`)
//! for handshake-era clients and stateless requests for 2026-07-28 ones.
//! A non-loopback address is refused unless an access token is configured;
//! then every request must carry it as `Authorization: Bearer`, compared in
//! constant time and never logged. That header is the client's credential
//! for this server only: it is removed before the MCP layer sees the
//! request, and the API's credentials still come only from the server's
//! environment (no token passthrough).

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use subtle::ConstantTimeEq;
use tokio_util::sync::CancellationToken;

use super::mcp::McpServer;

/// Where and for whom the HTTP endpoint listens.
#[derive(Clone)]
pub struct HttpOptions {
    pub addr: SocketAddr,
    /// The access token clients must send; `None` only on loopback.
    pub token: Option<AccessToken>,
    /// Browser origins allowed beside the loopback ones, e.g. `https://app.example.com`.
    pub allowed_origins: Vec<String>,
    /// `Host` values allowed beside the loopback ones, for a server behind a
    /// name; without any, a non-loopback server does not check `Host`.
    pub allowed_hosts: Vec<String>,
}

/// The access token, kept out of `Debug` output and logs.
#[derive(Clone)]
pub struct AccessToken(Arc<str>);

impl AccessToken {
    /// The token from the environment variable `name`: `None` when unset, an
    /// error when set but empty (a token nobody can guess is required).
    pub fn from_env(name: &str) -> Result<Option<AccessToken>, String> {
        match std::env::var(name) {
            Ok(value) if value.trim().is_empty() => Err(format!(
                "{name} is set but empty: give it a long random token, or unset it"
            )),
            Ok(value) => Ok(Some(AccessToken(value.into()))),
            Err(_) => Ok(None),
        }
    }

    fn admits(&self, authorization: Option<&HeaderValue>) -> bool {
        let Some(given) = authorization
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim())
        else {
            return false;
        };
        given.as_bytes().ct_eq(self.0.as_bytes()).into()
    }
}

impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AccessToken(****)")
    }
}

/// Origins a browser page on this machine has.
const LOOPBACK_ORIGINS: [&str; 3] = ["http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*"];
const LOOPBACK_HOSTS: [&str; 3] = ["localhost", "127.0.0.1", "::1"];

impl HttpOptions {
    /// Refuses to expose the API's credentials to a network without a token.
    pub fn check(&self) -> Result<(), String> {
        if !self.addr.ip().is_loopback() && self.token.is_none() {
            return Err(format!(
                "refusing to listen on {} without an access token: anyone who can reach it \
                 could act with this server's credentials. Set the token's environment \
                 variable (see --token-env), or listen on 127.0.0.1",
                self.addr
            ));
        }
        Ok(())
    }

    fn transport_config(&self, stop: CancellationToken) -> StreamableHttpServerConfig {
        let origins = LOOPBACK_ORIGINS
            .iter()
            .map(|o| o.to_string())
            .chain(self.allowed_origins.iter().cloned());
        let config = StreamableHttpServerConfig::default()
            .with_allowed_origins(origins)
            .enforce_origin_validation()
            .with_cancellation_token(stop);
        if self.addr.ip().is_loopback() || !self.allowed_hosts.is_empty() {
            let hosts = LOOPBACK_HOSTS
                .iter()
                .map(|h| h.to_string())
                .chain(self.allowed_hosts.iter().cloned());
            config.with_allowed_hosts(hosts)
        } else {
            config.disable_allowed_hosts()
        }
    }
}

/// Serves `server` at `http://ADDR/mcp` until interrupted (Ctrl-C or
/// SIGTERM). `listening` is told the bound address first (the port, when
/// ADDR asked for port 0).
pub async fn serve_http(
    server: McpServer,
    options: HttpOptions,
    listening: impl FnOnce(SocketAddr),
) -> Result<(), String> {
    options.check()?;
    let stop = CancellationToken::new();
    let service = StreamableHttpService::new(
        move || Ok(server.clone()),
        Arc::new(LocalSessionManager::default()),
        options.transport_config(stop.clone()),
    );
    let router =
        axum::Router::new()
            .route_service("/mcp", service)
            .layer(middleware::from_fn_with_state(
                options.token.clone(),
                require_token,
            ));
    let listener = tokio::net::TcpListener::bind(options.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", options.addr))?;
    let bound = listener
        .local_addr()
        .map_err(|e| format!("cannot listen on {}: {e}", options.addr))?;
    listening(bound);
    axum::serve(listener, router)
        .with_graceful_shutdown(async move {
            interrupted().await;
            // Open event streams would hold the shutdown forever: end them.
            stop.cancel();
        })
        .await
        .map_err(|e| format!("the HTTP server stopped: {e}"))
}

/// Admits a request only with the access token, when one is configured,
/// and strips it either way: nothing after this layer sees it.
async fn require_token(
    State(token): State<Option<AccessToken>>,
    mut request: Request,
    next: Next,
) -> Response {
    if let Some(token) = &token
        && !token.admits(request.headers().get(header::AUTHORIZATION))
    {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "a valid access token is required (Authorization: Bearer)",
        )
            .into_response();
    }
    request.headers_mut().remove(header::AUTHORIZATION);
    let ending_session = request.method() == axum::http::Method::DELETE;
    let mut response = next.run(request).await;
    // rmcp answers a session's DELETE with 202, which the official Python
    // SDK logs as a failed termination (it reads 200 and 204): the session
    // is gone either way, so say so with 204.
    if ending_session && response.status() == StatusCode::ACCEPTED {
        *response.status_mut() = StatusCode::NO_CONTENT;
    }
    response
}

async fn interrupted() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    {
        let terminate = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut signal) => {
                    signal.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            _ = ctrl_c => {}
            _ = terminate => {}
        }
    }
    #[cfg(not(unix))]
    ctrl_c.await;
}
