//! Sends one chat request and reads the reply as it streams, through gloo-net. The body is
//! read chunk by chunk from the response's ReadableStream, so text shows as it arrives.

use aesop_llm::{DialectKind, HttpRequest, LlmError, ReplyStream};
use gloo_net::http::{Method, RequestBuilder};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// Seconds to wait for the endpoint to start answering, unless the host sets another.
pub const DEFAULT_TIMEOUT_S: u32 = 45;

pub enum End {
    Complete,
    /// The learner pressed Stop.
    Stopped,
    Failed(LlmError),
}

/// Aborts the request: by the learner (Stop) or by the timeout.
pub struct Abort {
    controller: web_sys::AbortController,
    timed_out: Rc<Cell<bool>>,
}

impl Abort {
    pub fn new() -> Self {
        Abort {
            controller: web_sys::AbortController::new()
                .expect("AbortController exists in every supported browser"),
            timed_out: Rc::new(Cell::new(false)),
        }
    }
    pub fn stop(&self) {
        self.controller.abort();
    }
}

fn origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

pub async fn stream_reply(
    req: HttpRequest,
    dialect: DialectKind,
    timeout_s: u32,
    abort: &Abort,
    mut on_text: impl FnMut(&str),
) -> End {
    let signal = abort.controller.signal();
    let timer = {
        let (controller, flag) = (abort.controller.clone(), abort.timed_out.clone());
        let cb = Closure::once_into_js(move || {
            flag.set(true);
            controller.abort();
        });
        web_sys::window().and_then(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(
                cb.unchecked_ref(),
                (timeout_s * 1000) as i32,
            )
            .ok()
        })
    };
    let clear_timer = || {
        if let (Some(id), Some(w)) = (timer, web_sys::window()) {
            w.clear_timeout_with_handle(id);
        }
    };
    let failed_or_stopped = |e: LlmError| {
        if abort.timed_out.get() {
            End::Failed(LlmError::Timeout { seconds: timeout_s })
        } else if signal.aborted() {
            End::Stopped
        } else {
            End::Failed(e)
        }
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
    let response = match request.send().await {
        Ok(r) => r,
        // The browser reports CORS refusals, DNS failures and offline alike: no status.
        Err(_) => return failed_or_stopped(LlmError::Network { origin: origin() }),
    };
    clear_timer();
    if !response.ok() {
        let retry_after = response.headers().get("retry-after");
        let body = response.text().await.unwrap_or_default();
        return End::Failed(LlmError::from_response(
            response.status(),
            &body,
            retry_after.as_deref(),
        ));
    }
    let Some(body) = response.body() else {
        return End::Failed(LlmError::Cut);
    };
    let reader: web_sys::ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let mut stream = ReplyStream::new(dialect);
    loop {
        let chunk = match JsFuture::from(reader.read()).await {
            Ok(c) => c,
            Err(_) => return failed_or_stopped(LlmError::Cut),
        };
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
    match stream.finish() {
        Ok(()) => End::Complete,
        Err(e) => End::Failed(e),
    }
}
