//! The page's side of a training worker: created when a demo first starts (so lesson pages
//! never download burn), spoken to in JSON, terminated when the demo leaves the page or the
//! worker can no longer be trusted (it crashed, or never started). Its engine's wasm is
//! compiled once per page (boot.js, `aesopEngine`) and handed to every worker of that engine.

use aesop_train::backend::Engine;
use aesop_train::{FromWorker, ToWorker};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};

/// What the loader (assets/worker-loader.js) is to start, as the worker's name: `engine=cpu`
/// or `engine=gpu`, and `&shared` when the page sends the compiled module.
fn worker_choice(engine: Engine, shared: bool) -> String {
    let name = match engine {
        Engine::Cpu => "cpu",
        Engine::Gpu => "gpu",
    };
    format!("engine={name}{}", if shared { "&shared" } else { "" })
}

/// How long the worker may take to start before the page gives up on it: a minute covers the
/// GPU engine's megabytes on a slow connection; longer means a stalled download.
const START_TIMEOUT_MS: i32 = 60_000;

/// The page's compiled module for `engine`, fetched and compiled once (boot.js); `None` where
/// boot.js is not the page's loader, and the worker then loads the engine itself.
fn engine_module(engine: Engine) -> Option<js_sys::Promise> {
    let f = js_sys::Reflect::get(&js_sys::global(), &"aesopEngine".into()).ok()?;
    let f = f.dyn_into::<js_sys::Function>().ok()?;
    f.call1(&JsValue::NULL, &JsValue::from_bool(engine == Engine::Gpu))
        .ok()?
        .dyn_into()
        .ok()
}

/// Starts fetching and compiling `engine` ahead of the first Train.
pub fn prefetch(engine: Engine) {
    thread_local! {
        /// A failure here is reported by the worker that needs the engine, not twice.
        static IGNORE: Closure<dyn FnMut(JsValue)> = Closure::new(|_: JsValue| {});
    }
    if let Some(p) = engine_module(engine) {
        IGNORE.with(|ignore| drop(p.catch(ignore)));
    }
}

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
    pub fn spawn(engine: Engine, on_event: impl Fn(FromWorker) + 'static) -> Result<Self, String> {
        let module = engine_module(engine);
        let choice = worker_choice(engine, module.is_some());
        let options = web_sys::WorkerOptions::new();
        options.set_name(&choice);
        // Relative, so sub-paths work; the query names the worker in devtools.
        let worker = Worker::new_with_options(&format!("./worker-loader.js?{choice}"), &options)
            .map_err(|e| format!("{e:?}"))?;
        let on_event: Rc<dyn Fn(FromWorker)> = Rc::new(on_event);
        if let Some(module) = module {
            let (target, handler) = (worker.clone(), on_event.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match wasm_bindgen_futures::JsFuture::from(module).await {
                    Ok(m) => {
                        let _ = target.post_message(&m);
                    }
                    Err(e) => handler(FromWorker::Crashed {
                        message: format!(
                            "The training engine could not be loaded ({}). Check your connection, then retry.",
                            js_sys::Error::from(e).message()
                        ),
                    }),
                }
            });
        }
        Ok(Self::listen(worker, false, on_event))
    }

    /// Takes over a worker the reader started before the full app arrived (assets/early-demo.js),
    /// already `ready` or not: from now on its events go to `on_event`.
    pub fn adopt(worker: Worker, ready: bool, on_event: impl Fn(FromWorker) + 'static) -> Self {
        Self::listen(worker, ready, Rc::new(on_event))
    }

    fn listen(worker: Worker, ready: bool, on_event: Rc<dyn Fn(FromWorker)>) -> Self {
        let pending = Rc::new(RefCell::new((!ready).then(Vec::<String>::new)));
        let started = Rc::new(std::cell::Cell::new(ready));
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
        TrainClient {
            worker,
            pending,
            timeout,
            _on_message: on_message,
            _on_error: on_error,
            _on_timeout: on_timeout,
        }
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

thread_local! {
    /// Whether this page found a WebGPU adapter, asked once: `Err` says why not.
    static WEBGPU: RefCell<Option<Result<(), String>>> = const { RefCell::new(None) };
}

/// Whether the browser offers a WebGPU adapter, asked on the page so that the GPU engine's
/// megabytes are fetched only where they can run. Whether the adapter has everything burn's
/// WebGPU engine needs is the GPU worker's to find out (it answers `NoGpu`).
pub async fn webgpu() -> Result<(), String> {
    if let Some(known) = WEBGPU.with(|w| w.borrow().clone()) {
        return known;
    }
    let found = probe().await;
    WEBGPU.with(|w| *w.borrow_mut() = Some(found.clone()));
    found
}

async fn probe() -> Result<(), String> {
    let get = |target: &JsValue, name: &str| {
        js_sys::Reflect::get(target, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
    };
    let Some(window) = web_sys::window() else {
        return Err("this page has no window".into());
    };
    let gpu = get(&window.navigator(), "gpu");
    let request = get(&gpu, "requestAdapter");
    let Some(request) = request.dyn_ref::<js_sys::Function>() else {
        return Err("this browser has no WebGPU".into());
    };
    let adapter = match request
        .call0(&gpu)
        .and_then(|p| p.dyn_into::<js_sys::Promise>())
    {
        Ok(p) => wasm_bindgen_futures::JsFuture::from(p)
            .await
            .unwrap_or(JsValue::NULL),
        Err(_) => JsValue::NULL,
    };
    if adapter.is_null() || adapter.is_undefined() {
        return Err("this browser offers no WebGPU adapter".into());
    }
    Ok(())
}
