//! The reader's side of sharing storage with other tabs. It reads the steps of progress
//! alone and never writes progress; a lesson read is noted under a key of its own
//! (`aesop_progress::marks`), which the full app folds into progress. When another tab
//! writes either key, the reader reads both again.

use super::{local_storage, marks_text, newer_note, ProgressStore, KEY, MARKS_KEY};
use crate::handover::Handover;
use aesop_progress::marks::{keys, note};
use aesop_progress::{decode, encode};
use leptos::prelude::*;

impl ProgressStore {
    /// Without storage the progress lives in memory, handed to the full app when it comes.
    pub(super) fn persist(self) {
        Effect::new(move |_| {
            if !self.persistent.get() {
                Handover::Progress.keep(Some(&self.progress.with(encode)));
            }
        });
    }

    /// Notes `key` as read, in storage when it can be used.
    pub(super) fn note_read(&self, key: &str) {
        self.marked.update_value(|m| m.push(key.to_string()));
        if self.persistent.get_untracked() {
            self.write_marks();
        }
    }

    /// Notes every lesson this tab marked read that storage does not hold yet.
    fn write_marks(&self) {
        let Ok(storage) = local_storage() else {
            return;
        };
        let before = marks_text();
        let after = self
            .marked
            .with_value(|m| m.iter().fold(before.clone(), |text, key| note(&text, key)));
        if after != before && storage.set_item(MARKS_KEY, &after).is_err() {
            self.to_memory(super::memory_note(
                "the browser's storage is full or refused the write",
            ));
        }
    }

    /// Another tab changed progress or its notes: read both again, keeping this tab's marks.
    pub(super) fn changed_elsewhere(&self, key: Option<&str>, _text: Option<String>) {
        if !matches!(key, Some(KEY | MARKS_KEY)) {
            return;
        }
        let stored = local_storage()
            .ok()
            .and_then(|s| s.get_item(KEY).ok().flatten());
        let loaded = decode(stored.as_deref());
        if loaded.newer {
            return self.to_memory(newer_note(&loaded.problem.unwrap_or_default()));
        }
        let marks = marks_text();
        // A note of ours lost to another tab writing the notes at the same moment, and not
        // folded into progress either: note it again.
        let lost = self.marked.with_value(|m| {
            m.iter().any(|k| {
                !keys(&marks).any(|l| l == k) && !loaded.progress.step(k).is_some_and(|s| s.done)
            })
        });
        if lost {
            self.write_marks();
        }
        let mut progress = loaded.progress;
        progress.fold_marks(&marks);
        for key in self.marked.get_value() {
            progress.step_mut(&key).done = true;
        }
        self.progress.set(progress);
    }
}
