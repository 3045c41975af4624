//! Lessons read in the reader. The reader reads only the steps of progress and cannot merge
//! what another tab wrote (`sync` is the full app's), so it never writes progress: it notes
//! each lesson read as a line of its own text, under a key of its own, and the full app
//! folds those lines into progress (stamped, merged) and clears them. Another reader tab
//! adds its lines to the same text; a line lost to two tabs writing at once is noted again.

use crate::schema::Progress;

/// The step keys noted in a marks text.
pub fn keys(text: &str) -> impl Iterator<Item = &str> {
    text.lines().filter(|l| !l.trim().is_empty())
}

/// `text` with `key` noted, once.
pub fn note(text: &str, key: &str) -> String {
    if keys(text).any(|k| k == key) {
        text.to_string()
    } else {
        format!("{text}{key}\n")
    }
}

impl Progress {
    /// Marks every step noted in `text` done; true when that changed anything.
    pub fn fold_marks(&mut self, text: &str) -> bool {
        let mut changed = false;
        for key in keys(text) {
            let step = self.step_mut(key);
            changed |= !step.done;
            step.done = true;
        }
        changed
    }

    /// Whether every step noted in `text` is done here.
    pub fn holds_marks(&self, text: &str) -> bool {
        keys(text).all(|k| self.step(k).is_some_and(|s| s.done))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_note_once_and_fold_into_progress() {
        let text = note(&note("", "m/lesson-1"), "m/lesson-2");
        assert_eq!(note(&text, "m/lesson-1"), text);
        assert_eq!(
            keys(&text).collect::<Vec<_>>(),
            ["m/lesson-1", "m/lesson-2"]
        );
        let mut p = Progress::default();
        p.step_mut("m/lesson-1").done = true;
        assert!(!p.holds_marks(&text));
        assert!(p.fold_marks(&text));
        assert!(p.holds_marks(&text));
        assert!(!p.fold_marks(&text), "folding again changes nothing");
        assert!(p.holds_marks(""));
    }
}
