//! The page's side of the training worker: created when a demo first starts (so lesson pages
//! never download burn), spoken to in JSON, terminated when the demo leaves the page.

use aesop_train::{FromWorker, ToWorker};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};

/// Trunk's loader for the worker binary (see index.html), relative so sub-paths work.
const WORKER_URL: &str = "./aesop-worker_loader.js";

pub struct TrainClient {
    worker: Worker,
    /// Messages wait here until the worker's wasm has started (it says `Ready`): a dedicated
    /// worker drops messages that arrive before it listens.
    pending: std::rc::Rc<std::cell::RefCell<Option<Vec<String>>>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

impl TrainClient {
    pub fn spawn(on_event: impl Fn(FromWorker) + 'static) -> Result<Self, String> {
        let worker = Worker::new(WORKER_URL).map_err(|e| format!("{e:?}"))?;
        let on_event = std::rc::Rc::new(on_event);
        let handler = on_event.clone();
        let pending = std::rc::Rc::new(std::cell::RefCell::new(Some(Vec::<String>::new())));
        let (queue, target) = (pending.clone(), worker.clone());
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            let Some(text) = ev.data().as_string() else {
                return;
            };
            match serde_json::from_str::<FromWorker>(&text) {
                Ok(FromWorker::Ready) => {
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
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            on_event(FromWorker::Error { message: "The training worker could not be loaded. Check your connection and reload the page.".into() })
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(TrainClient {
            worker,
            pending,
            _on_message: on_message,
            _on_error: on_error,
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
        self.worker.terminate();
    }
}
