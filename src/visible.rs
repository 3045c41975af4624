//! "Call me when this element comes into view": an IntersectionObserver owned by the
//! component that asked, disconnected with it.

use wasm_bindgen::prelude::*;

/// `ahead` widens the view downwards, as a fraction of a screen, so work can start before
/// the element is reached (0.0: only once it is on screen).
pub fn when_visible(el: &web_sys::Element, ahead: f32, callback: impl Fn() + 'static) {
    let seen = Closure::<dyn Fn(js_sys::Array)>::new(move |entries: js_sys::Array| {
        if entries.iter().any(|e| {
            e.unchecked_into::<web_sys::IntersectionObserverEntry>()
                .is_intersecting()
        }) {
            callback();
        }
    });
    let options = web_sys::IntersectionObserverInit::new();
    options.set_root_margin(&format!("0px 0px {}% 0px", (ahead * 100.0) as u32));
    if let Ok(observer) =
        web_sys::IntersectionObserver::new_with_options(seen.as_ref().unchecked_ref(), &options)
    {
        observer.observe(el);
        let observer = send_wrapper::SendWrapper::new(observer);
        leptos::prelude::on_cleanup(move || observer.disconnect());
    }
    // The observer holds the callback for as long as the page lives.
    seen.forget();
}
