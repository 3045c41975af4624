//! The app's one storage module: progress lives in `localStorage` under a versioned schema
//! (see `aesop_progress::schema`), and falls back to memory when storage is blocked (a
//! third-party iframe), full, or broken, saying so once. Nothing the learner does is lost
//! for the visit either way.

#[cfg(feature = "full")]
pub mod calibrations;
mod panel;

pub use panel::ProgressPanel;

use crate::upgrade::Handover;
use aesop_progress::{decode, encode, schema::Role, Progress, StepStatus};
use leptos::prelude::*;

const KEY: &str = "aesop.progress";
/// Where unreadable progress is set aside instead of being overwritten.
const UNREADABLE_KEY: &str = "aesop.progress.unreadable";

#[derive(Clone, Copy)]
pub struct ProgressStore {
    pub progress: RwSignal<Progress>,
    /// A quiet, one-time note about where progress is (not) kept.
    pub notice: RwSignal<Option<String>>,
    persistent: RwSignal<bool>,
}

pub(crate) fn local_storage() -> Result<web_sys::Storage, String> {
    match window().local_storage() {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err("this browser offers no storage".into()),
        Err(_) => {
            Err("this browser blocks storage here (common inside another site's frame)".into())
        }
    }
}

impl ProgressStore {
    pub fn init() -> Self {
        let (loaded, persistent, notice) = match local_storage() {
            Ok(storage) => match storage.get_item(KEY) {
                Ok(raw) => {
                    let loaded = decode(raw.as_deref());
                    let mut notice = None;
                    if let (Some(problem), Some(raw)) = (&loaded.problem, raw) {
                        let _ = storage.set_item(UNREADABLE_KEY, &raw);
                        notice = Some(format!(
                            "Note: {problem}. The old data was set aside, not deleted."
                        ));
                    }
                    (loaded.progress, true, notice)
                }
                Err(_) => (
                    Progress::default(),
                    false,
                    Some(memory_note("this browser blocks storage here")),
                ),
            },
            Err(why) => (Progress::default(), false, Some(memory_note(&why))),
        };
        // Taking over from the reader: its progress when storage is unusable, and its note.
        let loaded = match (persistent, Handover::Progress.take()) {
            (false, Some(text)) => decode(Some(&text)).progress,
            _ => loaded,
        };
        let notice = notice.or_else(|| Handover::Notice.take());
        let store = ProgressStore {
            progress: RwSignal::new(loaded),
            notice: RwSignal::new(notice),
            persistent: RwSignal::new(persistent),
        };
        Effect::new(move |_| store.notice.with(|n| Handover::Notice.keep(n.as_deref())));
        // One effect writes every change; a failed write (quota, revoked access) moves the
        // app to memory and says so once, instead of failing the learner's action.
        Effect::new(move |_| {
            store.progress.track();
            store.save_now();
        });
        store
    }

    /// Writes progress now rather than when the effect above next runs: for a change that
    /// must be in storage the moment it is on the page (a lab's transcript).
    pub fn save_now(&self) {
        let text = self.progress.with_untracked(encode);
        if !self.persistent.get_untracked() {
            Handover::Progress.keep(Some(&text));
            return;
        }
        if let Err(why) = local_storage().and_then(|s| {
            s.set_item(KEY, &text)
                .map_err(|_| "the browser's storage is full or refused the write".to_string())
        }) {
            self.persistent.set(false);
            self.notice.set(Some(memory_note(&why)));
            Handover::Progress.keep(Some(&text));
        }
    }

    pub fn status(&self, key: &str, role: Role) -> StepStatus {
        self.progress.with(|p| p.status(key, role))
    }

    pub fn mark_done(&self, key: &str) {
        if !self
            .progress
            .with_untracked(|p| p.step(key).is_some_and(|s| s.done))
        {
            self.progress.update(|p| p.step_mut(key).done = true);
        }
    }
}

fn memory_note(why: &str) -> String {
    format!("Your progress won't be kept after you leave: {why}. Everything works for this visit.")
}

pub fn use_progress() -> ProgressStore {
    expect_context::<ProgressStore>()
}

/// The key a step's progress is stored under.
pub fn step_key(module: &str, step: &str) -> String {
    format!("{module}/{step}")
}
