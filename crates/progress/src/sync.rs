//! Two tabs, one storage. Each record (a step, a lab's chat, a demo's last run, a
//! prediction) carries the time it last changed; when a tab sees what another wrote, it
//! merges record by record instead of letting the last writer win. A finished step and a best
//! score only ever add up: an older tab never undoes them. A reset or an import is the one
//! deliberate loss, marked by the time of it (`cleared`).
//!
//! The times are kept beside the progress in the stored text, which older builds ignore:
//! `{"version":3,"progress":{…},"stamps":{"s:module-2/lesson-1":1733318400000},"cleared":0}`.
//! Everything here works on stored texts, each record as the JSON it was written as, so the
//! reader (the first download) carries no second copy of the progress types' code; only a
//! step read by two tabs at once is read as a type, to combine the two.
//!
//! `merge` is commutative and idempotent, so two tabs that keep merging what the other wrote
//! settle on the same text, and stop writing once they agree.

use crate::schema::{Envelope, StepProgress, SCHEMA_VERSION};
use crate::score::Score;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Each section's tag in a stamp's key, and its name, in the order `encode` writes them.
const SECTIONS: [(&str, &str); 4] = [
    ("s:", "steps"),
    ("l:", "labs"),
    ("d:", "demos"),
    ("p:", "predictions"),
];
const STEP: &str = "s:";
/// The learner's backend switch: one value, not a section, written after them.
const BACKEND: &str = "b:";

/// A stored text taken apart: each record's JSON under its tagged key, and the times.
#[derive(Default)]
struct Parts<'a> {
    records: BTreeMap<String, Cow<'a, str>>,
    stamps: BTreeMap<String, u64>,
    cleared: u64,
}

fn parts(text: &str) -> Option<Parts<'_>> {
    let envelope = Envelope::read(text)?;
    let records = envelope.records()?;
    let mut all = BTreeMap::new();
    for ((tag, _), section) in SECTIONS.iter().zip([
        records.steps,
        records.labs,
        records.demos,
        records.predictions,
    ]) {
        for (key, raw) in section {
            all.insert(format!("{tag}{key}"), Cow::Borrowed(raw.get()));
        }
    }
    if let Some(raw) = records.backend {
        all.insert(BACKEND.into(), Cow::Borrowed(raw.get()));
    }
    // Times that do not read only make their records count as old.
    let stamps = envelope
        .stamps
        .and_then(|raw| serde_json::from_str(raw.get()).ok())
        .unwrap_or_default();
    let cleared = envelope
        .cleared
        .and_then(|raw| serde_json::from_str(raw.get()).ok())
        .unwrap_or_default();
    Some(Parts {
        records: all,
        stamps,
        cleared,
    })
}

/// Writes the parts back as `encode` would write their records, then the times.
fn write(parts: &Parts) -> String {
    let key = |k: &str| serde_json::to_string(k).unwrap_or_default();
    let mut out = format!("{{\"version\":{SCHEMA_VERSION},\"progress\":{{");
    for (i, (tag, name)) in SECTIONS.iter().enumerate() {
        let mut records = parts
            .records
            .iter()
            .filter(|(k, _)| k.starts_with(tag))
            .peekable();
        // `steps` is always written; the other sections only when they hold something.
        if i > 0 {
            if records.peek().is_none() {
                continue;
            }
            out.push(',');
        }
        out.push_str(&format!("\"{name}\":{{"));
        for (j, (k, record)) in records.enumerate() {
            if j > 0 {
                out.push(',');
            }
            out.push_str(&key(&k[tag.len()..]));
            out.push(':');
            out.push_str(record);
        }
        out.push('}');
    }
    if let Some(backend) = parts.records.get(BACKEND) {
        out.push_str(",\"backend\":");
        out.push_str(backend);
    }
    out.push('}');
    if !parts.stamps.is_empty() {
        out.push_str(",\"stamps\":{");
        for (j, (k, at)) in parts.stamps.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            out.push_str(&format!("{}:{at}", key(k)));
        }
        out.push('}');
    }
    if parts.cleared > 0 {
        out.push_str(&format!(",\"cleared\":{}", parts.cleared));
    }
    out.push('}');
    out
}

/// Stamps `next` (a text from `encode`) against `prev` (the stamped text last saved): a
/// record that changed gets `now`, one that did not keeps its time. A record that
/// disappeared means a reset or an import: everything before `now` is cleared and every
/// record left is stamped `now`.
pub fn stamp(prev: &str, next: &str, now: u64) -> String {
    let Some(next) = parts(next) else {
        return next.to_string();
    };
    let prev = parts(prev).unwrap_or_default();
    let gone = prev.records.keys().any(|k| !next.records.contains_key(k));
    let mut stamped = Parts {
        cleared: if gone { now } else { prev.cleared },
        ..Parts::default()
    };
    for (k, record) in next.records {
        let at = if gone || prev.records.get(&k) != Some(&record) {
            now
        } else {
            prev.stamps.get(&k).copied().unwrap_or(0)
        };
        if at > 0 {
            stamped.stamps.insert(k.clone(), at);
        }
        stamped.records.insert(k, record);
    }
    write(&stamped)
}

/// Both sides' work, as one stamped text. Times later than `now` (a wrong clock, an edited
/// file) count as `now`, so no record can win every merge to come.
pub fn merge(mine: &str, theirs: &str, now: u64) -> String {
    let (Some(a), Some(b)) = (parts(mine), parts(theirs)) else {
        return mine.to_string();
    };
    let cleared = a.cleared.min(now).max(b.cleared.min(now));
    let mut out = Parts {
        cleared,
        ..Parts::default()
    };
    for k in a.records.keys().chain(b.records.keys()) {
        if out.records.contains_key(k) {
            continue;
        }
        let (record, at) = match (side(&a, k, cleared, now), side(&b, k, cleared, now)) {
            (Some(x), Some(y)) => {
                // Newer by time, then (the same millisecond) by text, so both tabs agree.
                let (newer, older) = if (x.1, x.0) >= (y.1, y.0) {
                    (x, y)
                } else {
                    (y, x)
                };
                let record = if k.starts_with(STEP) {
                    combine_steps(newer.0, older.0)
                } else {
                    newer.0.clone()
                };
                (record, newer.1)
            }
            (Some((record, at)), None) | (None, Some((record, at))) => (record.clone(), at),
            (None, None) => continue,
        };
        if at > 0 {
            out.stamps.insert(k.clone(), at);
        }
        out.records.insert(k.clone(), record);
    }
    write(&out)
}

/// One side's version of a record and its time; none when it is from before the last reset
/// (gone, whichever side still has it).
fn side<'p, 'a>(
    p: &'p Parts<'a>,
    k: &str,
    cleared: u64,
    now: u64,
) -> Option<(&'p Cow<'a, str>, u64)> {
    let at = p.stamps.get(k).copied().unwrap_or(0).min(now);
    p.records.get(k).filter(|_| at >= cleared).map(|r| (r, at))
}

/// The newer tab's attempt and last score, but a step finished in either stays finished and
/// the best score is the best of both.
fn combine_steps<'a>(newer: &Cow<'a, str>, older: &Cow<'a, str>) -> Cow<'a, str> {
    let (Ok(n), Ok(o)) = (
        serde_json::from_str::<StepProgress>(newer),
        serde_json::from_str::<StepProgress>(older),
    ) else {
        return newer.clone();
    };
    let combined = StepProgress {
        done: n.done || o.done,
        best: match (n.best, o.best) {
            (Some(a), Some(b)) => Some(Score::best(a, b)),
            (a, b) => a.or(b),
        },
        ..n.clone()
    };
    if combined == n {
        newer.clone()
    } else {
        Cow::Owned(serde_json::to_string(&combined).unwrap_or_else(|_| newer.to_string()))
    }
}

/// Whether two stored texts hold the same records, whatever their times.
pub fn same_records(a: &str, b: &str) -> bool {
    let progress = |t| Envelope::read(t).and_then(|e| e.progress).map(|r| r.get());
    progress(a) == progress(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{decode, encode, Progress, QuizAttempt};

    fn answered(p: &mut Progress, key: &str, q: &str, option: usize) {
        p.step_mut(key)
            .attempt
            .get_or_insert_with(|| QuizAttempt {
                number: 1,
                ..Default::default()
            })
            .answers
            .insert(q.into(), option);
    }

    /// A tab's save: its progress stamped against the text it saved last.
    fn save(prev: &str, next: &Progress, now: u64) -> String {
        stamp(prev, &encode(next), now)
    }

    fn read(text: &str) -> Progress {
        let loaded = decode(Some(text));
        assert_eq!(loaded.problem, None, "{text}");
        loaded.progress
    }

    fn stamps(text: &str) -> BTreeMap<String, u64> {
        parts(text).unwrap().stamps
    }

    #[test]
    fn stamps_only_what_changed_and_reads_back() {
        let mut p = Progress::default();
        p.step_mut("m/lesson-1").done = true;
        let first = save("", &p, 100);
        assert_eq!(stamps(&first)["s:m/lesson-1"], 100);
        p.step_mut("m/lesson-2").done = true;
        p.demos.insert("m/lesson-1/demo".into(), "ran".into());
        let second = save(&first, &p, 200);
        let at = stamps(&second);
        assert_eq!(at["s:m/lesson-1"], 100);
        assert_eq!(at["s:m/lesson-2"], 200);
        assert_eq!(at["d:m/lesson-1/demo"], 200);
        assert_eq!(parts(&second).unwrap().cleared, 0);
        // The stamped text is the progress `encode` writes, with the times beside it.
        assert_eq!(read(&second), p);
        assert!(same_records(&second, &encode(&p)));
        assert!(second.starts_with(&encode(&p)[..encode(&p).len() - 1]));
        // A reset leaves nothing behind, and clears what came before.
        let reset = save(&second, &Progress::default(), 300);
        assert_eq!(parts(&reset).unwrap().cleared, 300);
        assert!(stamps(&reset).is_empty());
        assert_eq!(read(&reset), Progress::default());
    }

    /// Two tabs each change different records: both changes survive, whichever tab merges
    /// first, and merging again changes nothing.
    #[test]
    fn two_tabs_keep_both_changes() {
        let mut base = Progress::default();
        base.step_mut("m/lesson-1").done = true;
        let base_text = save("", &base, 10);

        let mut a = base.clone();
        a.step_mut("m/lesson-2").done = true;
        let a = save(&base_text, &a, 20);
        let mut b = base.clone();
        answered(&mut b, "m/quiz-1", "mse", 2);
        b.demos.insert("m/lesson-1/d".into(), "ran \"fast\"".into());
        let b = save(&base_text, &b, 30);

        let ab = merge(&a, &b, 40);
        assert_eq!(ab, merge(&b, &a, 40), "the same text in either tab");
        let p = read(&ab);
        assert!(p.step("m/lesson-1").unwrap().done);
        assert!(p.step("m/lesson-2").unwrap().done);
        assert_eq!(
            p.step("m/quiz-1")
                .unwrap()
                .attempt
                .as_ref()
                .unwrap()
                .answers["mse"],
            2
        );
        assert_eq!(p.demos["m/lesson-1/d"], "ran \"fast\"");
        assert_eq!(merge(&ab, &ab, 40), ab, "merging again changes nothing");
        assert_eq!(merge(&ab, &a, 40), ab);
        assert!(!same_records(&ab, &a));
    }

    #[test]
    fn an_older_tab_never_undoes_a_pass_or_a_finished_step() {
        let mut base = Progress::default();
        answered(&mut base, "m/test", "q1", 0);
        let base_text = save("", &base, 10);
        // This tab passes the test and finishes a lesson.
        let mut passed = base.clone();
        {
            let s = passed.step_mut("m/test");
            s.best = Some(Score::new(13, 15));
            s.last = s.best;
            s.done = true;
            s.attempt.as_mut().unwrap().finished = true;
        }
        passed.step_mut("m/lesson-1").done = true;
        let passed = save(&base_text, &passed, 20);
        // An older tab, still showing the test unanswered, changes the attempt later on.
        let mut stale = base.clone();
        answered(&mut stale, "m/test", "q2", 1);
        let stale = save(&base_text, &stale, 30);
        let merged = merge(&stale, &passed, 40);
        assert_eq!(merged, merge(&passed, &stale, 40));
        let p = read(&merged);
        let test = p.step("m/test").unwrap();
        assert!(test.done);
        assert_eq!(test.best, Some(Score::new(13, 15)));
        assert_eq!(
            p.status("m/test", crate::schema::Role::Test { pass_percent: 80 }),
            crate::score::StepStatus::Passed(Score::new(13, 15))
        );
        assert!(p.step("m/lesson-1").unwrap().done);
    }

    #[test]
    fn the_newer_version_of_a_record_wins() {
        let mut base = Progress::default();
        answered(&mut base, "m/quiz-1", "q1", 0);
        let base_text = save("", &base, 10);
        let mut older = base.clone();
        answered(&mut older, "m/quiz-1", "q1", 1);
        let older = save(&base_text, &older, 20);
        let mut newer = base.clone();
        answered(&mut newer, "m/quiz-1", "q1", 2);
        let newer = save(&base_text, &newer, 30);
        for merged in [merge(&older, &newer, 40), merge(&newer, &older, 40)] {
            let p = read(&merged);
            assert_eq!(
                p.step("m/quiz-1")
                    .unwrap()
                    .attempt
                    .as_ref()
                    .unwrap()
                    .answers["q1"],
                2
            );
        }
        // The same millisecond: both tabs still pick the same version.
        let mut one = base.clone();
        answered(&mut one, "m/quiz-1", "q1", 1);
        let one = save(&base_text, &one, 50);
        let mut two = base.clone();
        answered(&mut two, "m/quiz-1", "q1", 3);
        let two = save(&base_text, &two, 50);
        assert_eq!(merge(&one, &two, 60), merge(&two, &one, 60));
    }

    #[test]
    fn a_reset_in_one_tab_is_not_undone_by_the_other() {
        let mut base = Progress::default();
        base.step_mut("m/lesson-1").done = true;
        let base_text = save("", &base, 10);
        let reset = save(&base_text, &Progress::default(), 20);
        // The other tab still has the lesson, and finishes another after the reset.
        let mut other = base.clone();
        other.step_mut("m/lesson-2").done = true;
        let other = save(&base_text, &other, 30);
        let merged = merge(&other, &reset, 40);
        assert_eq!(merged, merge(&reset, &other, 40));
        let p = read(&merged);
        assert!(p.step("m/lesson-1").is_none(), "reset before it");
        assert!(p.step("m/lesson-2").is_some(), "changed after the reset");
    }

    #[test]
    fn times_from_the_future_count_as_now() {
        let hostile = r#"{"version":3,"progress":{"steps":{"m/lesson-1":{"done":true}}},"stamps":{"s:m/lesson-1":18446744073709551615},"cleared":18446744073709551615}"#;
        let mut mine = Progress::default();
        mine.step_mut("m/lesson-2").done = true;
        let mine = save("", &mine, 50);
        let merged = merge(&mine, hostile, 50);
        let p = read(&merged);
        assert!(
            p.step("m/lesson-2").is_some(),
            "not cleared by a future reset"
        );
        assert!(p.step("m/lesson-1").is_some());
        assert_eq!(parts(&merged).unwrap().cleared, 50);
    }

    /// The backend switch is a record too: stamped, merged, written where `encode` puts it.
    #[test]
    fn the_backend_switch_survives_a_save_and_a_merge() {
        let mut p = Progress::default();
        p.backend = crate::schema::Backend::Gpu;
        let mine = save("", &p, 10);
        assert_eq!(read(&mine), p);
        let mut other = Progress::default();
        other.step_mut("m/lesson-1").done = true;
        let other = save("", &other, 20);
        let merged = read(&merge(&other, &mine, 30));
        assert_eq!(merged.backend, crate::schema::Backend::Gpu);
        assert!(merged.step("m/lesson-1").unwrap().done);
    }

    /// Texts without times (older builds, imports) merge as old; junk times read as none.
    #[test]
    fn texts_without_times_merge_as_old() {
        let mut old = Progress::default();
        old.step_mut("m/lesson-1").done = true;
        let old = encode(&old);
        let old = format!("{},\"stamps\":\"junk\"}}", &old[..old.len() - 1]);
        let mut mine = Progress::default();
        answered(&mut mine, "m/lesson-1", "q", 0);
        let mine = save("", &mine, 5);
        let p = read(&merge(&mine, &old, 9));
        let step = p.step("m/lesson-1").unwrap();
        assert!(step.done, "a finished step stays finished");
        assert!(step.attempt.is_some(), "the newer record's attempt");
    }
}
