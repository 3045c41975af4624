//! The learner's progress: it lives in `localStorage` under a versioned schema
//! (see `aesop_progress::schema`), and falls back to memory when storage is blocked (a
//! third-party iframe), full, or broken, saying so once. Nothing the learner does is lost
//! for the visit either way.
//!
//! Several tabs share the storage. The full app writes progress and merges record by record
//! what another tab wrote (`sync`); the reader never writes it, and notes the lessons it
//! marks read apart, for the full app to fold in (`marks`). A file written by a newer AESOP
//! is never written over: the tab runs in memory and says why.

#[cfg(not(feature = "full"))]
mod marks;
mod panel;
#[cfg(feature = "full")]
mod sync;

pub use panel::ProgressPanel;

use crate::handover::Handover;
use aesop_progress::{decode, schema::Role, Progress, StepStatus};
use leptos::prelude::*;

use crate::storage::keys::{MARKS as MARKS_KEY, PROGRESS as KEY, UNREADABLE as UNREADABLE_KEY};

#[derive(Clone, Copy)]
pub struct ProgressStore {
    pub progress: RwSignal<Progress>,
    /// A quiet note about where progress is (not) kept, or what had to be left out.
    pub notice: RwSignal<Option<String>>,
    persistent: RwSignal<bool>,
    /// The full app: the stamped text this tab last saved or merged (what its changes are
    /// told from), and the stored text as it last wrote or read it (when storage holds
    /// something else, another tab has written).
    #[cfg(feature = "full")]
    saved: StoredValue<String>,
    #[cfg(feature = "full")]
    seen: StoredValue<Option<String>>,
    /// The reader: the lessons this tab marked read, noted again if another tab's note
    /// crossed ours.
    #[cfg(not(feature = "full"))]
    marked: StoredValue<Vec<String>>,
}

/// Progress keeps its own memory copy and says why storage failed, so it reads and writes
/// storage directly rather than through `storage::get` and `set`.
pub(crate) fn local_storage() -> Result<web_sys::Storage, String> {
    crate::storage::area(crate::storage::Area::Local)
}

impl ProgressStore {
    pub fn init() -> Self {
        let mut stored = None;
        let (mut loaded, persistent, notice) = match local_storage() {
            Ok(storage) => match storage.get_item(KEY) {
                Ok(raw) => {
                    let loaded = decode(raw.as_deref());
                    let mut notice = None;
                    let mut persistent = true;
                    match (&loaded.problem, raw) {
                        // Not ours to change: run in memory and leave the file as it is.
                        (Some(problem), _) if loaded.newer => {
                            persistent = false;
                            notice = Some(newer_note(problem));
                        }
                        (Some(problem), Some(raw)) => {
                            let _ = storage.set_item(UNREADABLE_KEY, &raw);
                            notice = Some(format!(
                                "Note: {problem}. The old data was set aside, not deleted."
                            ));
                        }
                        (None, raw) => stored = raw,
                        _ => {}
                    }
                    (loaded.progress, persistent, notice)
                }
                Err(_) => (
                    Progress::default(),
                    false,
                    Some(memory_note("this browser blocks storage here")),
                ),
            },
            Err(why) => (Progress::default(), false, Some(memory_note(&why))),
        };
        if persistent {
            loaded.fold_marks(&marks_text());
        }
        // Taking over from the reader: its progress when storage is unusable, and its note.
        let loaded = match (persistent, Handover::Progress.take()) {
            (false, Some(text)) => decode(Some(&text)).progress,
            _ => loaded,
        };
        let notice = notice.or_else(|| Handover::Notice.take());
        let store = ProgressStore {
            #[cfg(feature = "full")]
            saved: StoredValue::new(
                stored
                    .clone()
                    .unwrap_or_else(|| aesop_progress::encode(&loaded)),
            ),
            #[cfg(feature = "full")]
            seen: StoredValue::new(stored),
            #[cfg(not(feature = "full"))]
            marked: StoredValue::new(Vec::new()),
            progress: RwSignal::new(loaded),
            notice: RwSignal::new(notice),
            persistent: RwSignal::new(persistent),
        };
        #[cfg(not(feature = "full"))]
        let _ = stored;
        Effect::new(move |_| store.notice.with(|n| Handover::Notice.keep(n.as_deref())));
        store.persist();
        if persistent {
            let handle = window_event_listener(leptos::ev::storage, move |ev| {
                if store.persistent.get_untracked() {
                    store.changed_elsewhere(ev.key().as_deref(), ev.new_value());
                }
            });
            on_cleanup(move || handle.remove());
        }
        store
    }

    /// Storage can no longer be used (full, refused, or taken by a newer AESOP): keep
    /// working in memory and say why, once.
    fn to_memory(&self, note: String) {
        self.persistent.set(false);
        self.notice.set(Some(note));
        Handover::Progress.keep(Some(&self.progress.with_untracked(aesop_progress::encode)));
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
            #[cfg(not(feature = "full"))]
            self.note_read(key);
        }
    }

    /// Adds a sentence to the notice, after whatever it already says.
    #[cfg_attr(not(feature = "full"), allow(dead_code))]
    pub fn note(&self, text: String) {
        self.notice.update(|n| {
            *n = Some(match n.take() {
                Some(before) if !before.contains(&text) => format!("{before} {text}"),
                Some(before) => before,
                None => text,
            })
        });
    }
}

/// The reader's notes of lessons read, as stored.
fn marks_text() -> String {
    local_storage()
        .ok()
        .and_then(|s| s.get_item(MARKS_KEY).ok().flatten())
        .unwrap_or_default()
}

fn memory_note(why: &str) -> String {
    format!("Your progress won't be kept after you leave: {why}. Everything works for this visit.")
}

fn newer_note(problem: &str) -> String {
    format!(
        "Note: {problem}. It is kept exactly as it is: this page saves nothing over it, so what you do here lasts for this visit only. Open the course where its newer version runs to carry on with it."
    )
}

pub fn use_progress() -> ProgressStore {
    expect_context::<ProgressStore>()
}

/// The key a step's progress is stored under.
pub fn step_key(module: &str, step: &str) -> String {
    format!("{module}/{step}")
}
