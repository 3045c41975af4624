//! The current route as a signal fed by `hashchange` (see `aesop_course::route` for why
//! the fragment carries the route).

use aesop_course::Route;
use leptos::prelude::*;

fn current() -> Route {
    Route::parse(&window().location().hash().unwrap_or_default())
}

pub fn route_signal() -> ReadSignal<Route> {
    let (route, set_route) = signal(current());
    let handle = window_event_listener(leptos::ev::hashchange, move |_| {
        set_route.set(current());
        // A new page starts at its top, with focus on it for screen readers and keyboards.
        window().scroll_to_with_x_and_y(0.0, 0.0);
        if let Some(main) = document().get_element_by_id("main") {
            use wasm_bindgen::JsCast;
            if let Ok(main) = main.dyn_into::<web_sys::HtmlElement>() {
                let _ = main.focus();
            }
        }
    });
    on_cleanup(move || handle.remove());
    route
}
