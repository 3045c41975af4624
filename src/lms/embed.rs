//! Embed mode, for a course inside another page (an LMS, a blog): compact chrome, the
//! content height posted to the parent whenever it changes, and learning events posted as
//! they happen. Message formats (documented in README.md):
//! - `{type: "aesop:resize", height}` plus the two formats common resizers understand:
//!   H5P's `{context: "h5p", action: "resize", scrollHeight}` (Moodle) and
//!   `{subject: "lti.frameResize", height}` (Canvas);
//! - `{type: "aesop:event", event, module, step, correct?, total?}` with `event` one of
//!   `lesson-read`, `quiz-scored`, `test-passed`, `test-failed`;
//! - `{type: "aesop:scroll-top"}` when the learner moves to another page, so the host scrolls
//!   its page to the frame's top (the new page starts there, far above a long lesson's end).
//!
//! The height is the content's own (the body's box), not `documentElement.scrollHeight`:
//! that never drops below the frame's height, so a frame sized by it could only grow.

use serde::Serialize;
use wasm_bindgen::prelude::*;

pub fn is_embedded() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let query = window.location().search().unwrap_or_default();
    if query
        .trim_start_matches('?')
        .split('&')
        .any(|p| p == "embed=1")
    {
        return true;
    }
    match window.top() {
        Ok(Some(top)) => !js_sys::Object::is(&top, &window),
        // A cross-origin top we cannot even name: we are framed.
        _ => true,
    }
}

fn post(message: &impl Serialize) {
    if let Ok(value) = serde_wasm_json(message) {
        send(&value);
    }
}

fn send(value: &JsValue) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(Some(parent)) = window.parent() else {
        return;
    };
    if js_sys::Object::is(&parent, &window) {
        return;
    }
    // Heights and progress events are not secrets: any embedding page may read them.
    let _ = parent.post_message(value, "*");
}

fn serde_wasm_json(message: &impl Serialize) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(message).map_err(|e| JsValue::from_str(&e.to_string()))?;
    js_sys::JSON::parse(&text)
}

/// A flat message built as a JS object directly: the resize formats are fixed, and going
/// through `serde_json::json!` would pull its `Value` serializer into the reader.
fn message(fields: &[(&str, JsValue)]) -> JsValue {
    let object = js_sys::Object::new();
    for (key, value) in fields {
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object.into()
}

#[derive(Serialize)]
pub struct Event<'a> {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub event: &'a str,
    pub module: &'a str,
    pub step: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correct: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<u32>,
}

pub fn post_event(event: &Event) {
    post(event);
}

fn post_height(height: i32) {
    let height = JsValue::from(height);
    send(&message(&[
        ("type", "aesop:resize".into()),
        ("height", height.clone()),
    ]));
    send(&message(&[
        ("context", "h5p".into()),
        ("action", "resize".into()),
        ("scrollHeight", height.clone()),
    ]));
    send(&message(&[
        ("subject", "lti.frameResize".into()),
        ("height", height),
    ]));
}

/// Compact chrome and height messages; the observer lives as long as the page.
pub fn start() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(root) = document.document_element() else {
        return;
    };
    let _ = root.class_list().add_1("embed");
    // `nav=0`: the host links each page itself, so the course's step strip goes too.
    let query = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    if query
        .trim_start_matches('?')
        .split('&')
        .any(|p| p == "nav=0")
    {
        let _ = root.class_list().add_1("embed-bare");
    }
    send(&message(&[
        ("context", "h5p".into()),
        ("action", "hello".into()),
    ]));
    let last = std::rc::Rc::new(std::cell::Cell::new(0));
    let measure = {
        let last = last.clone();
        move || {
            let height = content_height();
            if height > 0 && height != last.get() {
                last.set(height);
                post_height(height);
            }
        }
    };
    let callback = Closure::<dyn Fn()>::new(measure.clone());
    if let Ok(observer) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
        if let Some(body) = document.body() {
            observer.observe(&body);
        }
        std::mem::forget(observer);
    }
    callback.forget();
    // A new page: ask the host to bring the frame's top into view, and send the new height
    // even when it is the same as some earlier page's.
    let on_route = Closure::<dyn Fn()>::new(move || {
        send(&message(&[("type", "aesop:scroll-top".into())]));
        last.set(0);
        measure();
    });
    if let Some(window) = web_sys::window() {
        let _ = window
            .add_event_listener_with_callback("hashchange", on_route.as_ref().unchecked_ref());
    }
    on_route.forget();
}

/// The content's height in CSS pixels: down to the body's bottom edge, rounded up. (The
/// body has no bottom margin; reading computed styles would pull float parsing into the
/// reader for nothing.)
fn content_height() -> i32 {
    let Some(window) = web_sys::window() else {
        return 0;
    };
    let Some(body) = window.document().and_then(|d| d.body()) else {
        return 0;
    };
    let scrolled = window.scroll_y().unwrap_or(0.0);
    (body.get_bounding_client_rect().bottom() + scrolled).ceil() as i32
}
