//! The options every command that sends requests shares (`mcp serve`,
//! `call`): how often to retry and how long to wait.

use std::time::Duration;

use clap::Args;
use tiergen::serve::Policy;

#[derive(Args)]
pub struct SendArgs {
    /// Retries of a request that is safe to repeat (GET, HEAD, PUT, DELETE, or declared
    /// idempotent) on 429, 502, 503, 504 or a connection error, with exponential backoff
    /// and jitter, honouring `Retry-After`. A request a person confirmed is never repeated.
    #[arg(long, value_name = "N", default_value_t = 2)]
    retries: u32,
    /// How long one attempt may take.
    #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    timeout: u64,
}

impl SendArgs {
    pub fn policy(&self) -> Policy {
        Policy {
            retries: self.retries,
            timeout: Duration::from_secs(self.timeout),
            ..Policy::default()
        }
    }
}
