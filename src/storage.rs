//! The app's one door to the browser's storage: every key it writes, reads and writes that
//! fall back to memory where storage is blocked or full, and one page-hide hook for whatever
//! must be written before the page goes. Progress (`progress`, versioned by
//! `aesop_progress`), lab drafts and replies, the peer's settings, backend calibrations, kept
//! runs and reading positions are its clients.
//!
//! Fallback: a write that storage refuses is kept in memory for the visit, and reads look
//! there first, so a learner with blocked storage loses nothing until the tab closes. A client
//! that must tell the learner (progress) asks `area` why storage is missing.

use leptos::prelude::*;
use std::cell::RefCell;
use std::collections::HashMap;

/// Every key the app writes, so a host clearing a learner's data, or a new client choosing a
/// key, finds them in one place. `…_PREFIX` keys are followed by a step or demo key.
pub mod keys {
    /// The learner's progress (`aesop_progress::Progress`, versioned and encoded there).
    pub const PROGRESS: &str = "aesop.progress";
    /// Where the reader notes lessons read (see `aesop_progress::marks`).
    pub const MARKS: &str = "aesop.progress.read";
    /// Where unreadable progress is set aside instead of being overwritten.
    pub const UNREADABLE: &str = "aesop.progress.unreadable";
    /// Backend speeds measured on this device, and the adapter measured last.
    pub const CALIBRATIONS: &str = "aesop.calibrations";
    pub const ADAPTER: &str = "aesop.calibrations.adapter";
    /// The peer's endpoint, model and dialect; its API key (session unless remembered).
    pub const LLM_SETTINGS: &str = "aesop.llm";
    pub const LLM_KEY: &str = "aesop.llm.key";
    /// A lab's unsent text, and a reply still streaming, by lab.
    pub const DRAFT_PREFIX: &str = "aesop.lab.draft.";
    pub const LIVE_PREFIX: &str = "aesop.lab.live.";
    /// Session: each demo's last run, and the reading position, by lesson.
    pub const KEPT_PREFIX: &str = "aesop.kept.";
    pub const POSITION_PREFIX: &str = "aesop.position.";
}

/// `localStorage` (kept across visits) or `sessionStorage` (the tab's life).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Area {
    Local,
    Session,
}

/// The storage of `area`, or why there is none, in words a learner can read.
pub fn area(area: Area) -> Result<web_sys::Storage, String> {
    let found = match area {
        Area::Local => window().local_storage(),
        Area::Session => window().session_storage(),
    };
    match found {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err("this browser offers no storage".into()),
        Err(_) => {
            Err("this browser blocks storage here (common inside another site's frame)".into())
        }
    }
}

thread_local! {
    /// Writes storage refused this visit: `Some` a value, `None` a removal.
    static MEMORY: RefCell<HashMap<(Area, String), Option<String>>> = RefCell::new(HashMap::new());
    static ON_HIDE: RefCell<Vec<Box<dyn Fn(Leaving)>>> = const { RefCell::new(Vec::new()) };
}

/// The value under `key`: what this visit wrote where storage refused it, else storage's.
pub fn get(at: Area, key: &str) -> Option<String> {
    if let Some(kept) = MEMORY.with(|m| m.borrow().get(&(at, key.to_string())).cloned()) {
        return kept;
    }
    area(at).ok()?.get_item(key).ok().flatten()
}

/// Writes `value` under `key`; where storage refuses (blocked, full), keeps it in memory for
/// the visit and says why.
pub fn set(at: Area, key: &str, value: &str) -> Result<(), String> {
    let written = area(at).and_then(|s| {
        s.set_item(key, value)
            .map_err(|_| "the browser's storage is full".to_string())
    });
    remember(at, key, written.is_err().then(|| Some(value.to_string())));
    written
}

/// Removes `key` (in memory as well).
pub fn remove(at: Area, key: &str) {
    let removed = area(at).is_ok_and(|s| s.remove_item(key).is_ok());
    remember(at, key, (!removed).then_some(None));
}

fn remember(at: Area, key: &str, kept: Option<Option<String>>) {
    MEMORY.with(|m| {
        let mut m = m.borrow_mut();
        match kept {
            Some(value) => m.insert((at, key.to_string()), value),
            None => m.remove(&(at, key.to_string())),
        }
    });
}

/// JSON under `key`, if it is there and still reads as `T`.
pub fn get_json<T: serde::de::DeserializeOwned>(at: Area, key: &str) -> Option<T> {
    serde_json::from_str(&get(at, key)?).ok()
}

/// `value` as JSON under `key` (see `set`).
pub fn set_json<T: serde::Serialize>(at: Area, key: &str, value: &T) -> Result<(), String> {
    let text = serde_json::to_string(value).map_err(|e| e.to_string())?;
    set(at, key, &text)
}

/// Why a page-hide callback runs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Leaving {
    /// Hidden (a tab switch, a phone locked): it may never come back, so write now.
    Hidden,
    /// Going away (`pagehide`): the last chance.
    Gone,
}

/// Calls `f` each time the page is hidden and when it goes away. One pair of listeners for
/// every client, added with the first.
pub fn on_page_hide(f: impl Fn(Leaving) + 'static) {
    let first = ON_HIDE.with(|h| {
        let mut h = h.borrow_mut();
        h.push(Box::new(f));
        h.len() == 1
    });
    if !first {
        return;
    }
    let run = |why: Leaving| ON_HIDE.with(|h| h.borrow().iter().for_each(|f| f(why)));
    std::mem::forget(window_event_listener(leptos::ev::pagehide, move |_| {
        run(Leaving::Gone)
    }));
    std::mem::forget(window_event_listener(
        leptos::ev::visibilitychange,
        move |_| {
            if document().visibility_state() == web_sys::VisibilityState::Hidden {
                run(Leaving::Hidden);
            }
        },
    ));
}
