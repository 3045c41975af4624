//! Marks a lesson read once its last line has been on screen: the learner reached the end.

use leptos::html::P;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

pub fn on_visible(callback: impl Fn() + 'static) -> NodeRef<P> {
    let node = NodeRef::<P>::new();
    let callback = std::rc::Rc::new(callback);
    Effect::new(move |_| {
        let Some(el) = node.get() else { return };
        let callback = callback.clone();
        let closure = Closure::<dyn Fn(js_sys::Array)>::new(move |entries: js_sys::Array| {
            if entries.iter().any(|e| {
                e.unchecked_into::<web_sys::IntersectionObserverEntry>()
                    .is_intersecting()
            }) {
                callback();
            }
        });
        if let Ok(observer) = web_sys::IntersectionObserver::new(closure.as_ref().unchecked_ref()) {
            observer.observe(&el);
            let observer = send_wrapper::SendWrapper::new(observer);
            on_cleanup(move || observer.disconnect());
        }
        // The observer holds the callback for as long as the page lives.
        closure.forget();
    });
    node
}
