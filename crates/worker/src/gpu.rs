//! The browser's GPU, as this worker finds it: whether an adapter exists and can run burn's
//! WebGPU engine, its name for remembered calibrations, and the device once started. The CPU
//! build (no `gpu` feature) has no GPU engine at all: the page sends it only CPU runs.

#![cfg_attr(not(feature = "gpu"), allow(dead_code, unused_imports))]
use crate::{scope, Shared};
use aesop_train::backend::Adapter;
use burn::prelude::Device;
use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

fn get(target: &JsValue, name: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

fn text(target: &JsValue, name: &str) -> String {
    get(target, name).as_string().unwrap_or_default()
}

#[cfg(feature = "gpu")]
/// Asks the browser for an adapter and checks what the engine needs of it. cubecl's WebGPU
/// stream panics when the adapter lacks `timestamp-query` (it cannot time kernels on the web
/// without it), so such an adapter counts as unusable, with a message, instead of a crash.
async fn probe() -> Adapter {
    let gpu = get(&scope().navigator(), "gpu");
    if gpu.is_undefined() || gpu.is_null() {
        return Adapter::Unusable("this browser has no WebGPU".into());
    }
    let request = get(&gpu, "requestAdapter");
    let Some(request) = request.dyn_ref::<Function>() else {
        return Adapter::Unusable("this browser has no WebGPU".into());
    };
    let adapter = match request.call0(&gpu).map(|p| p.unchecked_into::<Promise>()) {
        Ok(p) => JsFuture::from(p).await.unwrap_or(JsValue::NULL),
        Err(_) => JsValue::NULL,
    };
    if adapter.is_null() || adapter.is_undefined() {
        return Adapter::Unusable("this browser offers no WebGPU adapter".into());
    }
    let features = get(&adapter, "features");
    let has = get(&features, "has")
        .dyn_ref::<Function>()
        .and_then(|f| {
            f.call1(&features, &JsValue::from_str("timestamp-query"))
                .ok()
        })
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    if !has {
        return Adapter::Unusable(
            "this GPU does not offer timestamp queries, which the WebGPU engine needs".into(),
        );
    }
    let info = get(&adapter, "info");
    let key = ["vendor", "architecture", "device", "description"]
        .map(|k| text(&info, k).replace('|', "/"))
        .join("/");
    Adapter::Usable {
        key: if key.chars().all(|c| c == '/') {
            "webgpu".into()
        } else {
            key
        },
    }
}

/// The adapter, probed once per worker; a GPU that failed since counts as unusable.
pub async fn adapter(state: &Shared) -> Adapter {
    if let Some(why) = state.borrow().gpu_failed.clone() {
        return Adapter::Unusable(why);
    }
    if let Some(a) = state.borrow().adapter.clone() {
        return a;
    }
    let a = probe().await;
    state.borrow_mut().adapter = Some(a.clone());
    a
}

#[cfg(not(feature = "gpu"))]
async fn probe() -> Adapter {
    Adapter::Unusable("this worker is the CPU engine".into())
}

/// The WebGPU device, started on first use and kept for the worker's life (its compiled
/// kernels with it).
pub async fn device(state: &Shared) -> Result<Device, String> {
    if let Some(d) = state.borrow().gpu.clone() {
        return Ok(d);
    }
    if let Adapter::Unusable(why) = adapter(state).await {
        return Err(why);
    }
    #[cfg(not(feature = "gpu"))]
    return Err("this worker is the CPU engine".into());
    #[cfg(feature = "gpu")]
    match Device::wgpu_options().init_async().await {
        Ok(d) => {
            state.borrow_mut().gpu = Some(d.clone());
            Ok(d)
        }
        Err(e) => {
            let why = format!("WebGPU could not start ({e:?})");
            failed(state, &why);
            Err(why)
        }
    }
}

/// Marks the GPU failed for this worker's life: every later run uses the CPU and says why.
pub fn failed(state: &Shared, why: &str) {
    let mut s = state.borrow_mut();
    s.gpu = None;
    s.gpu_failed = Some(format!("the GPU failed earlier on this page ({why})"));
}
