//! `tiergen::serve::send`, the HTTP dispatch of `mcp serve`: which answers
//! and failures are sent again, how many times, and how far apart, against a
//! scripted API on 127.0.0.1. Times are lower bounds only: the machine is
//! shared, so nothing here says how fast anything must be.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tiergen::ir::Method;
use tiergen::serve::send::{self, Answer, Policy, Repeat, SendError};

/// One request the scripted API read.
#[derive(Debug, Clone)]
struct Arrival {
    method: String,
    path: String,
    at: Instant,
}

/// A fake API on 127.0.0.1, one request per connection, that records each
/// request's arrival.
struct Scripted {
    url: String,
    arrivals: Arc<Mutex<Vec<Arrival>>>,
}

impl Scripted {
    /// Answers the n-th request with `answers[n]` (the last one once they
    /// run out): a status and its headers, e.g. `"503 Service
    /// Unavailable\r\nretry-after: 1"`, with the body `{"answer": n}`.
    fn answering(answers: &[&str]) -> Scripted {
        let answers: Vec<String> = answers.iter().map(|a| a.to_string()).collect();
        Scripted::start(move |n, mut stream| {
            let answer = &answers[n.min(answers.len() - 1)];
            let body = format!("{{\"answer\": {n}}}");
            let _ = write!(
                stream,
                "HTTP/1.1 {answer}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
                 connection: close\r\n\r\n{body}",
                body.len()
            );
        })
    }

    /// Reads every request and never answers, holding each connection open.
    fn silent() -> Scripted {
        let mut held = Vec::new();
        Scripted::start(move |_, stream| held.push(stream))
    }

    fn start(mut respond: impl FnMut(usize, TcpStream) + Send + 'static) -> Scripted {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let arrivals = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&arrivals);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let Some(arrival) = read_request(&stream) else {
                    continue;
                };
                let n = {
                    let mut all = recorded.lock().unwrap();
                    all.push(arrival);
                    all.len() - 1
                };
                respond(n, stream);
            }
        });
        Scripted { url, arrivals }
    }

    fn arrivals(&self) -> Vec<Arrival> {
        self.arrivals.lock().unwrap().clone()
    }

    /// The arrivals once there are `count` of them (or a generous while
    /// has passed): a request the client gave up on may still be in the
    /// server's queue when the client returns.
    fn arrivals_once(&self, count: usize) -> Vec<Arrival> {
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.arrivals().len() < count && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        self.arrivals()
    }
}

/// The request line, headers and body of one request; `None` if the
/// connection closed first.
fn read_request(stream: &TcpStream) -> Option<Arrival> {
    let mut reader = BufReader::new(stream);
    let mut first = String::new();
    reader.read_line(&mut first).ok().filter(|&n| n > 0)?;
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let at = Instant::now();
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    let mut parts = first.split(' ');
    Some(Arrival {
        method: parts.next().unwrap_or_default().to_string(),
        path: parts.next().unwrap_or_default().to_string(),
        at,
    })
}

/// `retries` retries, a backoff too short to slow the tests, and patient
/// attempts.
fn policy(retries: u32) -> Policy {
    Policy {
        retries,
        timeout: Duration::from_secs(10),
        backoff: Duration::from_millis(5),
        max_wait: Duration::from_secs(10),
    }
}

async fn get(url: &str, policy: &Policy) -> Result<Answer, SendError> {
    let client = send::client();
    let request = client.get(url).build().unwrap();
    send::send(&client, request, Repeat::for_method(Method::Get), policy).await
}

async fn get_from(api: &Scripted, policy: &Policy) -> Result<Answer, SendError> {
    get(&format!("{}/things?api_key=SECRET", api.url), policy).await
}

/// Which scripted answer came back: the `n` of its `{"answer": n}`.
fn answer_number(answer: &Answer) -> u64 {
    let body: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
    body["answer"].as_u64().unwrap()
}

fn assert_requests(api: &Scripted, method: &str, count: usize) -> Vec<Arrival> {
    let arrivals = api.arrivals();
    assert_eq!(arrivals.len(), count, "{arrivals:?}");
    for arrival in &arrivals {
        assert_eq!(arrival.method, method);
        assert_eq!(arrival.path, "/things?api_key=SECRET");
    }
    arrivals
}

#[tokio::test]
async fn a_503_with_retry_after_is_sent_again_after_that_wait() {
    let api = Scripted::answering(&["503 Service Unavailable\r\nretry-after: 1", "200 OK"]);
    let answer = get_from(&api, &policy(2)).await.unwrap();
    assert_eq!(answer.status, 200);
    assert_eq!(answer.attempts, 2);
    assert_eq!(answer_number(&answer), 1);
    let arrivals = assert_requests(&api, "GET", 2);
    let waited = arrivals[1].at - arrivals[0].at;
    assert!(waited >= Duration::from_secs(1), "{waited:?}");
}

#[tokio::test]
async fn a_post_is_sent_once_whatever_the_answer() {
    let api = Scripted::answering(&["503 Service Unavailable", "200 OK"]);
    let repeat = Repeat::for_method(Method::Post);
    assert_eq!(repeat, Repeat::Never);
    let client = send::client();
    let request = client
        .post(format!("{}/things?api_key=SECRET", api.url))
        .body("{\"name\": \"x\"}")
        .build()
        .unwrap();
    let answer = send::send(&client, request, repeat, &policy(2))
        .await
        .unwrap();
    assert_eq!(answer.status, 503);
    assert_eq!(answer.attempts, 1);
    assert_requests(&api, "POST", 1);
}

#[tokio::test]
async fn a_repeatable_request_is_sent_at_most_retries_plus_one_times() {
    let api = Scripted::answering(&["503 Service Unavailable"]);
    let answer = get_from(&api, &policy(2)).await.unwrap();
    assert_eq!(answer.status, 503);
    assert_eq!(answer.attempts, 3);
    assert_eq!(answer_number(&answer), 2);
    assert_requests(&api, "GET", 3);
}

#[tokio::test]
async fn no_retries_means_one_request() {
    let api = Scripted::answering(&["503 Service Unavailable"]);
    let answer = get_from(&api, &policy(0)).await.unwrap();
    assert_eq!((answer.status.as_u16(), answer.attempts), (503, 1));
    assert_requests(&api, "GET", 1);
}

#[tokio::test]
async fn a_429_without_retry_after_is_sent_again_after_a_backoff() {
    let api = Scripted::answering(&["429 Too Many Requests", "200 OK"]);
    let answer = get_from(&api, &policy(2)).await.unwrap();
    assert_eq!((answer.status.as_u16(), answer.attempts), (200, 2));
    assert_requests(&api, "GET", 2);
}

#[tokio::test]
async fn the_other_gateway_answers_are_sent_again() {
    for status in ["502 Bad Gateway", "504 Gateway Timeout"] {
        let api = Scripted::answering(&[status, "200 OK"]);
        let answer = get_from(&api, &policy(1)).await.unwrap();
        assert_eq!(
            (answer.status.as_u16(), answer.attempts),
            (200, 2),
            "{status}"
        );
        assert_requests(&api, "GET", 2);
    }
}

#[tokio::test]
async fn a_500_or_a_404_comes_back_at_once() {
    for (status, code) in [("500 Internal Server Error", 500), ("404 Not Found", 404)] {
        let api = Scripted::answering(&[status, "200 OK"]);
        let answer = get_from(&api, &policy(2)).await.unwrap();
        assert_eq!((answer.status.as_u16(), answer.attempts), (code, 1));
        assert_requests(&api, "GET", 1);
    }
}

#[tokio::test]
async fn a_retry_after_beyond_the_longest_wait_is_not_waited_for() {
    for retry_after in ["60", "Fri, 31 Dec 2100 23:59:59 GMT"] {
        let first = format!("503 Service Unavailable\r\nretry-after: {retry_after}");
        let api = Scripted::answering(&[&first, "200 OK"]);
        let answer = get_from(&api, &policy(2)).await.unwrap();
        assert_eq!((answer.status.as_u16(), answer.attempts), (503, 1));
        assert_eq!(answer.headers["retry-after"], retry_after);
        assert_requests(&api, "GET", 1);
    }
}

#[tokio::test]
async fn a_retry_after_date_already_past_is_sent_again_at_once() {
    let api = Scripted::answering(&[
        "429 Too Many Requests\r\nretry-after: Wed, 21 Oct 2015 07:28:00 GMT",
        "200 OK",
    ]);
    let answer = get_from(&api, &policy(2)).await.unwrap();
    assert_eq!((answer.status.as_u16(), answer.attempts), (200, 2));
    assert_requests(&api, "GET", 2);
}

#[tokio::test]
async fn a_refused_connection_is_tried_again_and_reported_without_the_url() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}/things?api_key=SECRET");
    let error = get(&url, &policy(2)).await.unwrap_err();
    assert_eq!(error.attempts(), 3);
    assert!(!error.is_timeout());
    let message = error.to_string();
    assert!(message.contains("onnect"), "{message}");
    assert!(message.contains("(3 attempts)"), "{message}");
    for secret in ["SECRET", "api_key", "/things", &port.to_string()] {
        assert!(!message.contains(secret), "{secret} in {message}");
    }
    assert!(!format!("{error:?}").contains("SECRET"), "{error:?}");
}

#[tokio::test]
async fn a_refused_post_is_tried_once() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = send::client();
    let request = client
        .post(format!("http://127.0.0.1:{port}/things"))
        .build()
        .unwrap();
    let error = send::send(&client, request, Repeat::Never, &policy(2))
        .await
        .unwrap_err();
    assert_eq!(error.attempts(), 1);
}

#[tokio::test]
async fn an_attempt_without_an_answer_times_out() {
    let api = Scripted::silent();
    let quick = Policy {
        timeout: Duration::from_millis(300),
        ..policy(0)
    };
    let started = Instant::now();
    let error = get_from(&api, &quick).await.unwrap_err();
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert!(error.is_timeout());
    assert_eq!(error.attempts(), 1);
    let message = error.to_string();
    assert!(message.contains("timed out"), "{message}");
    assert!(!message.contains("SECRET"), "{message}");
    assert_eq!(api.arrivals_once(1).len(), 1);
}

#[tokio::test]
async fn an_attempt_that_timed_out_is_tried_again() {
    let api = Scripted::silent();
    let quick = Policy {
        timeout: Duration::from_millis(300),
        ..policy(1)
    };
    let error = get_from(&api, &quick).await.unwrap_err();
    assert!(error.is_timeout());
    assert_eq!(error.attempts(), 2);
    let arrivals = api.arrivals_once(2);
    assert_eq!(arrivals.len(), 2, "{arrivals:?}");
}
