//! The full app's side of sharing storage with other tabs. Every change is stamped record by
//! record and written; what another tab wrote meanwhile is merged in first, when its
//! `storage` event arrives and again just before each write (an event can arrive after our
//! write has crossed theirs). Lessons that reader tabs noted as read are folded in, then
//! their notes cleared. See `aesop_progress::sync` for the merge itself.

use super::{local_storage, marks_text, memory_note, newer_note, ProgressStore, KEY, MARKS_KEY};
use crate::handover::Handover;
use aesop_progress::sync::{merge, same_records, stamp};
use aesop_progress::{decode, encode, Loaded};
use leptos::prelude::*;

fn now() -> u64 {
    js_sys::Date::now() as u64
}

impl ProgressStore {
    /// One effect writes every change; a failed write (quota, revoked access) moves the app
    /// to memory and says so once, instead of failing the learner's action.
    pub(super) fn persist(self) {
        Effect::new(move |_| {
            let mine = self.progress.with(encode);
            self.save(mine);
        });
    }

    /// Writes progress now rather than when the effect above next runs: for a change that
    /// must be in storage the moment it is on the page (a lab's transcript).
    pub fn save_now(&self) {
        self.save(self.progress.with_untracked(encode));
    }

    /// Another tab changed `key` to `text`.
    pub(super) fn changed_elsewhere(&self, key: Option<&str>, text: Option<String>) {
        match key {
            Some(KEY) => self.absorb(text),
            Some(MARKS_KEY) => {
                let marks = text.unwrap_or_default();
                if self.progress.with_untracked(|p| p.holds_marks(&marks)) {
                    self.clear_marks();
                } else {
                    // Saved (and the notes cleared) by the write this causes.
                    self.progress.update(|p| {
                        p.fold_marks(&marks);
                    });
                }
            }
            _ => {}
        }
    }

    /// Stamps what changed in `mine` (this tab's progress, encoded), takes in what another
    /// tab wrote meanwhile, and writes the result.
    fn save(&self, mine: String) {
        let at = now();
        let mut out = self.saved.with_value(|saved| stamp(saved, &mine, at));
        if !self.persistent.get_untracked() {
            Handover::Progress.keep(Some(&mine));
            self.saved.set_value(out);
            return;
        }
        let written = local_storage()
            .map_err(|why| memory_note(&why))
            .and_then(|s| {
                let stored = s.get_item(KEY).ok().flatten();
                if stored != self.seen.get_value() {
                    let stored = stored.as_deref().unwrap_or_default();
                    if readable(stored)? {
                        out = merge(&out, stored, at);
                    }
                }
                if stored.as_deref() != Some(out.as_str()) {
                    s.set_item(KEY, &out).map_err(|_| {
                        memory_note("the browser's storage is full or refused the write")
                    })?;
                }
                Ok(())
            });
        match written {
            Ok(()) => {
                self.seen.set_value(Some(out.clone()));
                if self.adopt(out, &mine) {
                    return;
                }
                self.clear_marks();
            }
            Err(why) => {
                self.adopt(out, &mine);
                self.to_memory(why);
            }
        }
    }

    /// Another tab wrote `text`: merge its records into this tab's.
    fn absorb(&self, text: Option<String>) {
        if text == self.seen.get_value() {
            return;
        }
        let theirs = text.unwrap_or_default();
        match readable(&theirs) {
            Ok(true) => {}
            Ok(false) => return,
            Err(note) => return self.to_memory(note),
        }
        let at = now();
        let mine = self.progress.with_untracked(encode);
        let ours = self.saved.with_value(|saved| stamp(saved, &mine, at));
        let merged = merge(&ours, &theirs, at);
        let theirs_lacks = !same_records(&merged, &theirs);
        self.seen.set_value(Some(theirs));
        if !self.adopt(merged, &mine) && theirs_lacks {
            // Their write missed records of ours (it crossed one of ours): put them back, or
            // storage would hold less than the two tabs know.
            self.save(mine);
        }
    }

    /// Makes `text` what this tab last saved, and its progress if its records differ from
    /// `mine`; true when they did (the write that follows then carries them).
    fn adopt(&self, text: String, mine: &str) -> bool {
        let changed = !same_records(&text, mine);
        let progress = changed.then(|| decode(Some(&text)).progress);
        // Saved first, so the write this causes finds nothing of its own to stamp.
        self.saved.set_value(text);
        if let Some(progress) = progress {
            self.progress.set(progress);
        }
        changed
    }

    /// Clears the reader tabs' notes of lessons read once progress holds them all.
    fn clear_marks(&self) {
        let marks = marks_text();
        if !marks.is_empty() && self.progress.with_untracked(|p| p.holds_marks(&marks)) {
            if let Ok(s) = local_storage() {
                let _ = s.remove_item(MARKS_KEY);
            }
        }
    }
}

/// Whether another tab's text can be merged: only when this build reads all of it. Damaged
/// or partly unreadable text is left to that tab (merging it could only lose its records);
/// text from a newer AESOP is the one thing that stops this tab writing (`Err`, the note).
fn readable(text: &str) -> Result<bool, String> {
    match decode(Some(text)) {
        Loaded {
            newer: true,
            problem,
            ..
        } => Err(newer_note(&problem.unwrap_or_default())),
        Loaded { problem, .. } => Ok(problem.is_none() && !text.is_empty()),
    }
}
