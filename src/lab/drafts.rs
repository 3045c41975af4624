//! What the learner has typed but not sent, kept apart from progress: a keystroke must not
//! rewrite the whole progress record (nor, inside an LMS, its suspend data), and a draft is
//! nothing to report. Each lab's draft has its own `localStorage` key, written once typing
//! pauses and at once when the page is hidden or left; blocked storage only means a
//! draft lasts for the visit (`storage` keeps it in memory).

use leptos::prelude::*;
use std::cell::RefCell;
use std::collections::HashMap;
use std::time::Duration;

use crate::storage::{self, keys::DRAFT_PREFIX as PREFIX, Area};

/// Typing pauses this long before the draft is written.
const PAUSE: Duration = Duration::from_millis(400);

thread_local! {
    /// Drafts typed but not yet written, by lab; and the timer that will write them.
    static PENDING: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
    static TIMER: RefCell<Option<TimeoutHandle>> = const { RefCell::new(None) };
    static HOOKED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The stored draft of a lab (`key` as in progress: `module/step`).
pub fn load(key: &str) -> Option<String> {
    if let Some(pending) = PENDING.with(|p| p.borrow().get(key).cloned()) {
        return Some(pending);
    }
    storage::get(Area::Local, &format!("{PREFIX}{key}"))
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
    storage::remove(Area::Local, &format!("{PREFIX}{key}"));
}

/// Writes every pending draft now.
pub fn flush() {
    let pending: Vec<(String, String)> = PENDING.with(|p| p.borrow_mut().drain().collect());
    for (key, text) in pending {
        let item = format!("{PREFIX}{key}");
        if text.is_empty() {
            storage::remove(Area::Local, &item);
        } else {
            let _ = storage::set(Area::Local, &item, &text);
        }
    }
}

/// A page being hidden may never come back (a closed tab, a phone freeing memory).
fn hook_page_hide() {
    if !HOOKED.replace(true) {
        storage::on_page_hide(|_| flush());
    }
}
