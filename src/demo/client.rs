//! The page's side of the training worker: created when a demo first starts (so lesson pages
//! never download burn), spoken to in JSON, terminated when the demo leaves the page or the
//! worker can no longer be trusted (it crashed, or never started).

use aesop_train::{FromWorker, ToWorker};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};

/// Our loader for the worker binary (assets/worker-loader.js), relative so sub-paths work.
const WORKER_URL: &str = "./worker-loader.js";

/// How long the worker may take to start before the page gives up on it: its wasm is about
/// 1.5 MB, so a minute covers a slow connection; longer means a stalled download.
const START_TIMEOUT_MS: i32 = 60_000;

pub struct TrainClient {
    worker: Worker,
    /// Messages wait here until the worker's wasm has started (it says `Ready`): a dedicated
    /// worker drops messages that arrive before it listens.
    pending: Rc<RefCell<Option<Vec<String>>>>,
    timeout: i32,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
    _on_timeout: Closure<dyn FnMut()>,
}

impl TrainClient {
    /// `on_event` hears every event; a `Crashed` one means this client is finished and the
    /// caller should drop it (a new one starts a fresh worker).
    pub fn spawn(on_event: impl Fn(FromWorker) + 'static) -> Result<Self, String> {
        let worker = Worker::new(WORKER_URL).map_err(|e| format!("{e:?}"))?;
        let on_event = Rc::new(on_event);
        let pending = Rc::new(RefCell::new(Some(Vec::<String>::new())));
        let started = Rc::new(std::cell::Cell::new(false));
        let (queue, target, handler, ready) = (
            pending.clone(),
            worker.clone(),
            on_event.clone(),
            started.clone(),
        );
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            let Some(text) = ev.data().as_string() else {
                return;
            };
            match serde_json::from_str::<FromWorker>(&text) {
                Ok(FromWorker::Ready) => {
                    ready.set(true);
                    for message in queue.borrow_mut().take().unwrap_or_default() {
                        let _ = target.post_message(&JsValue::from_str(&message));
                    }
                }
                Ok(event) => handler(event),
                Err(e) => handler(FromWorker::Error {
                    message: format!("Unreadable message from the training worker: {e}"),
                }),
            }
        });
        let handler = on_event.clone();
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            handler(FromWorker::Crashed {
                message:
                    "The training worker could not be loaded. Check your connection, then retry."
                        .into(),
            })
        });
        let on_timeout = Closure::<dyn FnMut()>::new(move || {
            if !started.get() {
                on_event(FromWorker::Crashed {
                    message: format!(
                        "The training worker did not start within {} seconds: its download may have stalled. Check your connection, then retry.",
                        START_TIMEOUT_MS / 1000
                    ),
                })
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let timeout = web_sys::window()
            .and_then(|w| {
                w.set_timeout_with_callback_and_timeout_and_arguments_0(
                    on_timeout.as_ref().unchecked_ref(),
                    START_TIMEOUT_MS,
                )
                .ok()
            })
            .unwrap_or(0);
        Ok(TrainClient {
            worker,
            pending,
            timeout,
            _on_message: on_message,
            _on_error: on_error,
            _on_timeout: on_timeout,
        })
    }

    pub fn send(&self, command: &ToWorker) {
        let Ok(text) = serde_json::to_string(command) else {
            return;
        };
        if let Some(queue) = self.pending.borrow_mut().as_mut() {
            return queue.push(text);
        }
        let _ = self.worker.post_message(&JsValue::from_str(&text));
    }
}

impl Drop for TrainClient {
    fn drop(&mut self) {
        if let Some(w) = web_sys::window() {
            w.clear_timeout_with_handle(self.timeout);
        }
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}
