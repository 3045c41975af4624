//! Living inside an LMS or another page: SCORM reporting and resume, embed mode, and the
//! learning events both are built from.

// The reader only asks whether a host is there; the rest is the full app's.
#[cfg_attr(not(feature = "full"), allow(dead_code))]
mod embed;
#[cfg(feature = "full")]
mod report;
#[cfg_attr(not(feature = "full"), allow(dead_code))]
mod scorm;

#[cfg(feature = "full")]
pub use report::start;

use leptos::prelude::*;

/// The reader leaves LMS work to the full app: inside a host page it loads it at once.
#[cfg(not(feature = "full"))]
pub fn start_reader() {
    if embed::is_embedded() || scorm::find().is_some() {
        crate::handover::load_full();
    } else {
        register_offline_worker();
    }
}

/// Offline after the first visit on a normal site. Not inside an LMS or another page,
/// where the host owns caching. A missing `sw.js` (the dev server) is not an error.
pub(crate) fn register_offline_worker() {
    let navigator = window().navigator();
    if js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false) {
        let registration = navigator.service_worker().register("sw.js");
        // Swallow a failed registration (no sw.js, private mode): the site still works online.
        wasm_bindgen_futures::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(registration).await;
        });
    }
}
