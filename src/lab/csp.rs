//! The page's own Content-Security-Policy, as it concerns the endpoint. A request the
//! policy's `connect-src` refuses fails like a CORS refusal; the browser also fires a
//! `securitypolicyviolation` event, which is what tells them apart. The policy in the
//! page's `<meta>` (scripts/csp.mjs) lets Settings warn before anything is sent.

use aesop_llm::csp::{allowed, origin_of};
use leptos::prelude::*;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    /// `connect-src` violations seen: (time in ms, blocked URL or origin).
    static BLOCKED: RefCell<Vec<(f64, String)>> = const { RefCell::new(Vec::new()) };
    static LISTENING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Starts recording the page's `connect-src` violations (once per page).
pub fn listen() {
    if LISTENING.replace(true) {
        return;
    }
    let on_violation = Closure::<dyn Fn(web_sys::Event)>::new(|ev: web_sys::Event| {
        let get = |name: &str| {
            js_sys::Reflect::get(&ev, &name.into())
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default()
        };
        if get("effectiveDirective") == "connect-src"
            || get("violatedDirective").starts_with("connect-src")
        {
            let blocked = get("blockedURI");
            BLOCKED.with(|b| b.borrow_mut().push((js_sys::Date::now(), blocked)));
        }
    });
    let _ = document().add_event_listener_with_callback(
        "securitypolicyviolation",
        on_violation.as_ref().unchecked_ref(),
    );
    on_violation.forget();
}

/// Every Content-Security-Policy the page's `<meta>` elements set.
pub fn page_policies() -> Vec<String> {
    let Ok(list) = document().query_selector_all("meta[http-equiv]") else {
        return vec![];
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<web_sys::Element>().ok())
        .filter(|m| {
            m.get_attribute("http-equiv")
                .is_some_and(|h| h.eq_ignore_ascii_case("content-security-policy"))
        })
        .filter_map(|m| m.get_attribute("content"))
        .collect()
}

fn page_origin() -> String {
    window().location().origin().unwrap_or_default()
}

/// The endpoint's origin when the page's policy does not allow connecting to `url`.
pub fn outside_policy(url: &str) -> Option<String> {
    (!allowed(&page_policies(), &page_origin(), url)).then(|| origin_of(url))?
}

/// After a request to `url` (sent at `sent_at`) failed with no response: the endpoint's
/// origin if the page's policy blocked it. The violation event may come a moment after the
/// failure, so it is given one short wait.
pub async fn blocked_origin(url: &str, sent_at: f64) -> Option<String> {
    let target = origin_of(url)?;
    let seen = || {
        BLOCKED.with(|b| {
            b.borrow().iter().any(|(at, blocked)| {
                *at >= sent_at - 1.0
                    && (origin_of(blocked).as_deref() == Some(&target) || blocked == &target)
            })
        })
    };
    if !seen() {
        sleep_ms(100).await;
    }
    if seen() {
        return Some(target);
    }
    // A browser that sends no event (or a policy set by header only, which the meta check
    // cannot see either) falls back to the meta policy's own verdict.
    outside_policy(url)
}

async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
