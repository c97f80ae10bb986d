//! The one place an HTTP request leaves tiergen's servers: each attempt has
//! its own timeout, and a request that may be repeated is sent again, a
//! bounded number of times, when the failure is likely to pass.
//!
//! - **What is retried.** Answers 429 (too many requests), 502, 503 and 504,
//!   and failures of the connection itself: it could not be opened, it broke
//!   before the answer was read whole, or no answer came within the
//!   per-attempt timeout. Any other answer, 500 included, says something
//!   about the request and comes back as it is.
//! - **What may be repeated.** Only a request the caller marks
//!   [`Repeat::Safe`]. A POST or PATCH that timed out or got a 502 may have
//!   taken effect all the same; sending it again could create or charge
//!   twice, so it is sent once ([`Repeat::for_method`]) unless the operation
//!   is known to be idempotent. A call a person confirmed is for the caller
//!   to mark `Never` whatever its method: they confirmed one. A request
//!   whose body is a stream cannot be copied and is sent once too.
//! - **How long between attempts.** Exponential backoff with full jitter: a
//!   uniformly random wait below `backoff * 2^n` for the `n`-th retry, and
//!   never above `max_wait`, so that many clients failing together do not
//!   come back together.
//! - **`Retry-After`.** When a retried answer carries it (delta-seconds or an
//!   HTTP date), the server's wait is used instead of the backoff. When it
//!   asks for more than `max_wait`, the answer comes back at once rather
//!   than holding the caller (an agent, waiting on a tool call) that long.
//!
//! Errors never show the request's URL: a credential can travel in its query.

use std::collections::hash_map::RandomState;
use std::error::Error as _;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};

use crate::ir::Method;

/// How many times, and how patiently, to send one request. Every field is a
/// count or a span, so none can be negative; a `backoff` above `max_wait`
/// simply waits `max_wait` at most. A zero `timeout` is representable and
/// fails every attempt: whoever reads one from a user refuses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Attempts after the first, at most.
    pub retries: u32,
    /// How long one attempt may take, from connecting to the answer's last byte.
    pub timeout: Duration,
    /// The ceiling of the first retry's random wait; it doubles with each retry.
    pub backoff: Duration,
    /// The longest any one wait may be, `Retry-After` included.
    pub max_wait: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            retries: 2,
            timeout: Duration::from_secs(30),
            backoff: Duration::from_millis(250),
            max_wait: Duration::from_secs(10),
        }
    }
}

/// Whether a request may be sent more than once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    /// Sending it twice has the effect of sending it once.
    Safe,
    /// Sent once, whatever happens.
    Never,
}

impl Repeat {
    /// The rule of HTTP's methods: the idempotent ones (GET, HEAD, PUT,
    /// DELETE, OPTIONS, TRACE) may be repeated, POST and PATCH not.
    pub fn for_method(method: Method) -> Repeat {
        if method.is_idempotent() {
            Repeat::Safe
        } else {
            Repeat::Never
        }
    }
}

/// The answer of the last attempt, read whole.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// How many times the request was sent, this answer's attempt included.
    pub attempts: u32,
}

/// No answer: the last attempt's connection failed or timed out.
#[derive(Debug)]
pub struct SendError {
    /// Stripped of its URL when made.
    error: reqwest::Error,
    timeout: Duration,
    attempts: u32,
}

impl SendError {
    fn new(error: reqwest::Error, timeout: Duration, attempts: u32) -> SendError {
        SendError {
            error: error.without_url(),
            timeout,
            attempts,
        }
    }

    /// How many times the request was sent.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// True when the last attempt got no answer within the timeout.
    pub fn is_timeout(&self) -> bool {
        self.error.is_timeout()
    }
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_timeout() {
            write!(f, "timed out: no answer within {:?}", self.timeout)?;
        } else {
            write!(f, "{}", self.error)?;
            write_causes(f, &self.error)?;
        }
        if self.attempts > 1 {
            write!(f, " ({} attempts)", self.attempts)?;
        }
        Ok(())
    }
}

impl std::error::Error for SendError {}

/// The causes of `error`, each after a colon: what the connection actually
/// said (refused, reset, a certificate not trusted). A cause that is itself
/// a reqwest error is left out, as it could carry a URL.
fn write_causes(f: &mut fmt::Formatter<'_>, error: &reqwest::Error) -> fmt::Result {
    let mut cause = error.source();
    while let Some(inner) = cause {
        if !inner.is::<reqwest::Error>() {
            write!(f, ": {inner}")?;
        }
        cause = inner.source();
    }
    Ok(())
}

/// A client for [`send`]: no overall timeout (each attempt sets its own),
/// TLS through rustls with the ring provider.
pub fn client() -> reqwest::Client {
    install_ring_provider();
    // Building fails only without a TLS crypto provider, installed just above.
    reqwest::Client::builder().build().unwrap_or_default()
}

/// reqwest is built without a crypto provider, so that no C crypto library
/// (aws-lc-sys) is compiled; rustls uses ring, installed for the process
/// unless something installed a provider first.
fn install_ring_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Only fails when another thread installed one meanwhile: fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

/// Sends `request` through `client` as the [module rules](self) say, and
/// reads the last answer whole.
pub async fn send(
    client: &reqwest::Client,
    mut request: reqwest::Request,
    repeat: Repeat,
    policy: &Policy,
) -> Result<Answer, SendError> {
    *request.timeout_mut() = Some(policy.timeout);
    let mut attempts: u32 = 0;
    loop {
        attempts = attempts.saturating_add(1);
        // The copy is made before sending, as sending consumes the body.
        let again = match repeat {
            Repeat::Safe if attempts <= policy.retries => request.try_clone(),
            _ => None,
        };
        let result = attempt(client, request).await;
        let retry = match again {
            Some(next) => wait_before_retry(&result, attempts - 1, policy).map(|wait| (next, wait)),
            None => None,
        };
        let Some((next, wait)) = retry else {
            return result
                .map(|answer| Answer { attempts, ..answer })
                .map_err(|error| SendError::new(error, policy.timeout, attempts));
        };
        tokio::time::sleep(wait).await;
        request = next;
    }
}

/// One attempt: the answer read whole, its `attempts` still to be filled.
async fn attempt(
    client: &reqwest::Client,
    request: reqwest::Request,
) -> Result<Answer, reqwest::Error> {
    let response = client.execute(request).await?;
    let status = response.status();
    let headers = response.headers().clone();
    let body = Vec::from(response.bytes().await?);
    Ok(Answer {
        status,
        headers,
        body,
        attempts: 0,
    })
}

/// How long to wait before the next attempt after `result`, the outcome of
/// retry number `retry` (0 for the first attempt); `None` to stop.
fn wait_before_retry(
    result: &Result<Answer, reqwest::Error>,
    retry: u32,
    policy: &Policy,
) -> Option<Duration> {
    match result {
        Ok(answer) if is_passing(answer.status) => {
            match retry_after(&answer.headers, SystemTime::now()) {
                Some(asked) => (asked <= policy.max_wait).then_some(asked),
                None => Some(backoff(policy, retry, random())),
            }
        }
        Ok(_) => None,
        Err(error) if connection_failed(error) => Some(backoff(policy, retry, random())),
        Err(_) => None,
    }
}

/// Answers that say "not now" rather than "not this": overload, rate
/// limits, and a gateway that could not reach or hear from the server.
fn is_passing(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::TOO_MANY_REQUESTS
            | StatusCode::BAD_GATEWAY
            | StatusCode::SERVICE_UNAVAILABLE
            | StatusCode::GATEWAY_TIMEOUT
    )
}

/// The connection failed, from opening it to reading the answer's last
/// byte; a request that could not even be built (a bad URL) is not one.
fn connection_failed(error: &reqwest::Error) -> bool {
    error.is_connect() || error.is_timeout() || error.is_request() || error.is_body()
}

/// The wait a `Retry-After` header asks for, measured from `now`; `None`
/// when there is none or it is neither form.
fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    parse_retry_after(headers.get(RETRY_AFTER)?.to_str().ok()?, now)
}

/// `Retry-After`'s two forms: delta-seconds (`120`) or an HTTP date, a date
/// already past meaning no wait.
fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // More digits than a u64 holds is longer than any cap anyway.
        return Some(value.parse().map_or(Duration::MAX, Duration::from_secs));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// The wait before retry number `retry + 1`: `random`'s share (out of
/// 2^32) of `backoff * 2^retry`, that ceiling held to `max_wait`.
fn backoff(policy: &Policy, retry: u32, random: u32) -> Duration {
    let ceiling = policy
        .backoff
        .saturating_mul(2u32.saturating_pow(retry))
        .min(policy.max_wait);
    // A Duration has fewer than 2^95 nanoseconds: the product fits a u128.
    let nanos = (ceiling.as_nanos() * u128::from(random)) >> 32;
    let seconds = u64::try_from(nanos / 1_000_000_000).unwrap_or(u64::MAX);
    Duration::new(seconds, (nanos % 1_000_000_000) as u32)
}

/// A random u32 without a random-number crate: the standard library seeds
/// each `RandomState` afresh, and the counter keeps two calls apart even
/// should two seeds meet.
fn random() -> u32 {
    static CALLS: AtomicU64 = AtomicU64::new(0);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(CALLS.fetch_add(1, Ordering::Relaxed));
    (hasher.finish() >> 32) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> Policy {
        Policy {
            retries: 5,
            timeout: Duration::from_secs(1),
            backoff: Duration::from_millis(100),
            max_wait: Duration::from_secs(1),
        }
    }

    #[test]
    fn the_backoff_ceiling_doubles_until_the_cap() {
        let most = |retry| backoff(&policy(), retry, u32::MAX);
        assert!(most(0) < Duration::from_millis(100));
        assert!(most(0) > Duration::from_millis(99));
        assert!(most(1) > Duration::from_millis(199) && most(1) < Duration::from_millis(200));
        assert!(most(2) > Duration::from_millis(399) && most(2) < Duration::from_millis(400));
        assert!(most(3) > Duration::from_millis(799) && most(3) < Duration::from_millis(800));
        assert!(most(4) < Duration::from_secs(1) && most(4) > Duration::from_millis(999));
        assert!(most(u32::MAX) < Duration::from_secs(1));
    }

    #[test]
    fn the_backoff_is_the_random_share_of_the_ceiling() {
        assert_eq!(backoff(&policy(), 0, 0), Duration::ZERO);
        assert_eq!(backoff(&policy(), 0, 1 << 31), Duration::from_millis(50));
        assert_eq!(backoff(&policy(), 2, 1 << 30), Duration::from_millis(100));
    }

    #[test]
    fn a_huge_backoff_does_not_overflow() {
        let huge = Policy {
            backoff: Duration::MAX,
            max_wait: Duration::MAX,
            ..policy()
        };
        let most = backoff(&huge, u32::MAX, u32::MAX);
        assert!(most < Duration::MAX && most > Duration::MAX / 2);
    }

    #[test]
    fn retry_after_reads_seconds() {
        let now = SystemTime::now();
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("99999999999999999999999", now),
            Some(Duration::MAX)
        );
        assert_eq!(parse_retry_after("-1", now), None);
        assert_eq!(parse_retry_after("1.5", now), None);
        assert_eq!(parse_retry_after("", now), None);
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn retry_after_reads_an_http_date() {
        let now = httpdate::parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT").unwrap();
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        // The obsolete forms HTTP still asks readers to accept.
        assert_eq!(
            parse_retry_after("Wednesday, 21-Oct-15 07:29:00 GMT", now),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            parse_retry_after("Wed Oct 21 07:28:05 2015", now),
            Some(Duration::from_secs(5))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn retry_after_comes_from_the_header() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers, SystemTime::now()), None);
        headers.insert(RETRY_AFTER, reqwest::header::HeaderValue::from_static("3"));
        assert_eq!(
            retry_after(&headers, SystemTime::now()),
            Some(Duration::from_secs(3))
        );
    }

    #[test]
    fn only_idempotent_methods_repeat() {
        for method in Method::ALL {
            let expected = match method {
                Method::Post | Method::Patch => Repeat::Never,
                Method::Get
                | Method::Head
                | Method::Put
                | Method::Delete
                | Method::Options
                | Method::Trace => Repeat::Safe,
            };
            assert_eq!(Repeat::for_method(method), expected, "{method}");
        }
    }

    #[test]
    fn only_passing_statuses_are_retried() {
        let retried: Vec<u16> = (100..600)
            .filter_map(|code| StatusCode::from_u16(code).ok())
            .filter(|status| is_passing(*status))
            .map(|status| status.as_u16())
            .collect();
        assert_eq!(retried, [429, 502, 503, 504]);
    }

    #[test]
    fn random_numbers_differ() {
        let drawn: std::collections::BTreeSet<u32> = (0..100).map(|_| random()).collect();
        // Two of a hundred u32s meet about once in a million runs.
        assert!(drawn.len() >= 99, "{drawn:?}");
    }
}
