//! What the learner has typed but not sent, kept apart from progress: a keystroke must not
//! rewrite the whole progress record (nor, inside an LMS, its suspend data), and a draft is
//! nothing to report. Each lab's draft has its own `localStorage` key, written once typing
//! pauses and at once when the page is hidden or left; blocked storage only means a
//! draft lasts for the visit.

use leptos::prelude::*;
use std::cell::RefCell;
use std::collections::HashMap;
use std::time::Duration;

const PREFIX: &str = "aesop.lab.draft.";
/// Typing pauses this long before the draft is written.
const PAUSE: Duration = Duration::from_millis(400);

thread_local! {
    /// Drafts typed but not yet written, by lab; and the timer that will write them.
    static PENDING: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
    static TIMER: RefCell<Option<TimeoutHandle>> = const { RefCell::new(None) };
    static HOOKED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// The stored draft of a lab (`key` as in progress: `module/step`).
pub fn load(key: &str) -> Option<String> {
    if let Some(pending) = PENDING.with(|p| p.borrow().get(key).cloned()) {
        return Some(pending);
    }
    storage()?
        .get_item(&format!("{PREFIX}{key}"))
        .ok()
        .flatten()
}

/// Keeps `text` as the lab's draft: written when typing pauses.
pub fn keep(key: &str, text: String) {
    hook_page_hide();
    PENDING.with(|p| p.borrow_mut().insert(key.to_string(), text));
    TIMER.with(|t| {
        if let Some(old) = t.borrow_mut().take() {
            old.clear();
        }
        *t.borrow_mut() = set_timeout_with_handle(flush, PAUSE).ok();
    });
}

/// The draft was sent (or moved into the composer): forget it now.
pub fn clear(key: &str) {
    PENDING.with(|p| p.borrow_mut().remove(key));
    if let Some(s) = storage() {
        let _ = s.remove_item(&format!("{PREFIX}{key}"));
    }
}

/// Writes every pending draft now.
pub fn flush() {
    let pending: Vec<(String, String)> = PENDING.with(|p| p.borrow_mut().drain().collect());
    let Some(s) = storage() else {
        return;
    };
    for (key, text) in pending {
        let item = format!("{PREFIX}{key}");
        let _ = if text.is_empty() {
            s.remove_item(&item)
        } else {
            s.set_item(&item, &text)
        };
    }
}

/// A page being hidden may never come back (a closed tab, a phone freeing memory).
fn hook_page_hide() {
    if HOOKED.replace(true) {
        return;
    }
    std::mem::forget(window_event_listener(leptos::ev::pagehide, |_| flush()));
    let on_hidden = wasm_bindgen::closure::Closure::<dyn Fn()>::new(|| {
        if document().hidden() {
            flush();
        }
    });
    let _ = document().add_event_listener_with_callback(
        "visibilitychange",
        wasm_bindgen::JsCast::unchecked_ref(on_hidden.as_ref()),
    );
    on_hidden.forget();
}
