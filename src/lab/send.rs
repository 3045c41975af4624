//! Sends one chat request and reads the reply as it streams, through gloo-net. The body is
//! read chunk by chunk from the response's ReadableStream, so text shows as it arrives. A
//! watchdog bounds every wait: for the response to start, between chunks, and in all.

use super::csp;
use aesop_llm::{retry_after, DialectKind, Ending, HttpRequest, LlmError, ReplyStream};
use gloo_net::http::{Method, RequestBuilder};
use leptos::prelude::{set_interval_with_handle, IntervalHandle};
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// How long to wait, in seconds. A host may set each in llm-config.json.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    /// For the endpoint to start answering (response headers).
    pub start_s: u32,
    /// Between two pieces of the reply, once it has started.
    pub idle_s: u32,
    /// For the whole reply, from sending to its last piece.
    pub total_s: u32,
}

pub const DEFAULT_LIMITS: Limits = Limits {
    start_s: 45,
    idle_s: 30,
    total_s: 300,
};

pub enum End {
    Complete(Ending),
    /// The learner pressed Stop.
    Stopped,
    Failed(LlmError),
}

/// Why the request was aborted, when it was.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Why {
    Running,
    Stopped,
    NoStart,
    Idle,
    Total,
}

/// Aborts the request: by the learner (Stop), or by the watchdog.
pub struct Abort {
    controller: web_sys::AbortController,
    why: Rc<Cell<Why>>,
}

impl Abort {
    pub fn new() -> Self {
        Abort {
            controller: web_sys::AbortController::new()
                .expect("AbortController exists in every supported browser"),
            why: Rc::new(Cell::new(Why::Running)),
        }
    }

    pub fn stop(&self) {
        if self.why.get() == Why::Running {
            self.why.set(Why::Stopped);
        }
        self.controller.abort();
    }
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Checks four times a second whether a limit has passed; cleared when dropped.
struct Watchdog {
    handle: Option<IntervalHandle>,
    /// When the last piece (or the response's headers) arrived; 0 before the headers.
    last: Rc<Cell<f64>>,
}

impl Watchdog {
    fn start(abort: &Abort, limits: Limits) -> Self {
        let started = now_ms();
        let last = Rc::new(Cell::new(0.0));
        let (controller, why, seen) = (abort.controller.clone(), abort.why.clone(), last.clone());
        let handle = set_interval_with_handle(
            move || {
                if why.get() != Why::Running {
                    return;
                }
                let now = now_ms();
                let over = if now - started > limits.total_s as f64 * 1000.0 {
                    Some(Why::Total)
                } else if seen.get() == 0.0 && now - started > limits.start_s as f64 * 1000.0 {
                    Some(Why::NoStart)
                } else if seen.get() > 0.0 && now - seen.get() > limits.idle_s as f64 * 1000.0 {
                    Some(Why::Idle)
                } else {
                    None
                };
                if let Some(over) = over {
                    why.set(over);
                    controller.abort();
                }
            },
            Duration::from_millis(250),
        )
        .ok();
        Watchdog { handle, last }
    }

    fn alive(&self) {
        self.last.set(now_ms());
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        if let Some(h) = self.handle.take() {
            h.clear();
        }
    }
}

fn page_origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// Sends `req` and hands each new piece of text to `on_text`. `key` is scrubbed from
/// everything the endpoint sends back.
pub async fn stream_reply(
    req: HttpRequest,
    dialect: DialectKind,
    key: &str,
    limits: Limits,
    abort: &Abort,
    mut on_text: impl FnMut(&str),
) -> End {
    let watchdog = Watchdog::start(abort, limits);
    let signal = abort.controller.signal();
    let failed_or_stopped = |e: LlmError| match abort.why.get() {
        Why::Running => End::Failed(e),
        Why::Stopped => End::Stopped,
        Why::NoStart => End::Failed(LlmError::Timeout {
            seconds: limits.start_s,
        }),
        Why::Idle => End::Failed(LlmError::Stalled {
            seconds: limits.idle_s,
        }),
        Why::Total => End::Failed(LlmError::TooSlow {
            seconds: limits.total_s,
        }),
    };

    let mut builder = RequestBuilder::new(&req.url)
        .method(Method::POST)
        .abort_signal(Some(&signal));
    for (k, v) in &req.headers {
        builder = builder.header(k, v);
    }
    let request = match builder.body(req.body) {
        Ok(r) => r,
        Err(_) => {
            return End::Failed(LlmError::BadRequest(
                "the request could not be built".into(),
            ))
        }
    };
    let sent_at = now_ms();
    let response = match request.send().await {
        Ok(r) => r,
        // The browser reports CORS refusals, DNS failures, offline and this page's own
        // policy alike: no status. The policy is the one cause the page can tell apart.
        Err(_) if abort.why.get() == Why::Running => {
            return End::Failed(match csp::blocked_origin(&req.url, sent_at).await {
                Some(endpoint_origin) => LlmError::CspBlocked { endpoint_origin },
                None => LlmError::Network {
                    origin: page_origin(),
                },
            })
        }
        Err(_) => return failed_or_stopped(LlmError::Cut),
    };
    watchdog.alive();
    if !response.ok() {
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| retry_after::parse(&v, now_ms() / 1000.0));
        let body = match response.text().await {
            Ok(body) => body,
            Err(_) if abort.why.get() != Why::Running => return failed_or_stopped(LlmError::Cut),
            Err(_) => String::new(),
        };
        return End::Failed(
            LlmError::from_response(response.status(), &body, retry_after).scrubbed(key),
        );
    }
    let Some(body) = response.body() else {
        return End::Failed(LlmError::Cut);
    };
    let reader: web_sys::ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let mut stream = ReplyStream::new(dialect, key);
    loop {
        let chunk = match JsFuture::from(reader.read()).await {
            Ok(c) => c,
            Err(_) => return failed_or_stopped(LlmError::Cut),
        };
        watchdog.alive();
        let done = js_sys::Reflect::get(&chunk, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if done {
            break;
        }
        let value = js_sys::Reflect::get(&chunk, &"value".into()).unwrap_or(JsValue::UNDEFINED);
        let bytes = js_sys::Uint8Array::new(&value).to_vec();
        match stream.push(&bytes) {
            Ok(text) if !text.is_empty() => on_text(&text),
            Ok(_) => {}
            Err(e) => {
                let _ = reader.cancel();
                return End::Failed(e);
            }
        }
    }
    drop(watchdog);
    match stream.finish() {
        Ok(finished) => {
            if !finished.text.is_empty() {
                on_text(&finished.text);
            }
            End::Complete(finished.ending)
        }
        Err(e) => End::Failed(e),
    }
}
