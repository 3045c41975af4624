//! One app, two builds. A first visit loads the reader: lessons, home, navigation and
//! progress, without the `full` feature, so the first page stays small. When the learner
//! reaches a demo, a quiz, the test or a lab (or the site runs inside an LMS), the reader
//! asks `boot.js` for the full build. The full app renders the same route hidden; once its
//! content is ready it stops the reader and takes its place at the same scroll position
//! (`handover`). Progress passes through storage, or through `Handover` when storage is blocked.
//! This file only mounts: the reader, or the full app beside it.

use crate::handover::{root, READER_ROOT};
use leptos::prelude::*;

#[cfg(not(feature = "full"))]
pub fn mount() {
    use std::cell::RefCell;
    thread_local! {
        static MOUNTED: RefCell<Option<Box<dyn std::any::Any>>> = const { RefCell::new(None) };
    }
    let handle = leptos::mount::mount_to(root(READER_ROOT), crate::app::App);
    MOUNTED.with(|m| *m.borrow_mut() = Some(Box::new(handle)));
    // The full app calls this once it has taken over: dropping the handle unmounts the
    // reader and disposes its listeners, so only one app writes progress from then on.
    let stop = wasm_bindgen::closure::Closure::once_into_js(|| {
        MOUNTED.with(|m| m.borrow_mut().take());
    });
    let _ = js_sys::Reflect::set(&window(), &"aesopReaderStop".into(), &stop);
}

#[cfg(feature = "full")]
pub fn mount() {
    use crate::handover::{APP_ROOT, PENDING};
    let el = root(APP_ROOT);
    if document().get_element_by_id(READER_ROOT).is_some() {
        let _ = el.class_list().add_1(PENDING);
    }
    leptos::mount::mount_to(el, crate::app::App).forget();
}
