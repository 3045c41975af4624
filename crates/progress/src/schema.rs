//! The stored shape of progress, versioned. Every older version migrates forward; data that
//! cannot be read never crashes the app. Each record is read on its own, as its own type, so
//! one damaged record (a hand-edited file, a transcript from a broken build) is left out with
//! a reason and the rest is kept. Both builds read steps with the same code; the reader reads
//! nothing else (`Records`). A file written by a newer AESOP is not read at all, and
//! `Loaded::newer` tells the app to leave it as it is.
//!
//! History:
//! - v1 `{"version":1,"done":["module-2/lesson-1", …]}`: which steps were finished.
//! - v2 `{"version":2,"progress":{"steps":{"module-2/quiz-1":{…}}}}`: per-step records,
//!   with quiz attempts and scores.
//! - v3 adds `labs`: each lab's chat transcript, keyed like steps. Later additions that
//!   older v3 readers ignore: `demos` and `predictions` in `progress`, and beside it
//!   `stamps` and `cleared` (see `sync`).

use crate::score::{Score, StepStatus};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::collections::BTreeMap;

pub const SCHEMA_VERSION: u32 = 3;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// Keyed by `module-id/step-id`.
    #[serde(default)]
    pub steps: BTreeMap<String, StepProgress>,
    /// Lab transcripts, keyed by `module-id/step-id`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labs: BTreeMap<String, LabRecord>,
    /// The last run of each demo, as a sentence the lab's peer can argue from, keyed
    /// `module-id/lesson-step-id/demo-name`. Optional in v3 files, so no migration.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub demos: BTreeMap<String, String>,
    /// Predict-then-run records, keyed `module-id/lesson-step-id/demo-name/preset`. Optional
    /// in v3 files, so no migration.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub predictions: BTreeMap<String, Prediction>,
    /// Which backend trains the demos: the learner's switch, kept with their progress.
    /// Optional in v3 files (absent means `Auto`), so no migration.
    #[serde(default, skip_serializing_if = "Backend::is_auto")]
    pub backend: Backend,
}

/// The learner's backend switch for every demo.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Backend {
    /// Whichever this device measured faster for the demo's network.
    #[default]
    Auto,
    Cpu,
    Gpu,
}

impl Backend {
    pub fn is_auto(&self) -> bool {
        *self == Backend::Auto
    }
}

/// A lab's chat transcript, as the full app reads and writes it.
#[cfg(feature = "labs")]
pub type LabRecord = aesop_llm::Transcript;

/// The reader never reads a lab's transcript (see `Records`); the type only holds the place.
#[cfg(not(feature = "labs"))]
pub type LabRecord = Unread;

/// JSON carried through untouched.
#[cfg(not(feature = "labs"))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Unread(Box<RawValue>);

#[cfg(not(feature = "labs"))]
impl PartialEq for Unread {
    fn eq(&self, other: &Self) -> bool {
        self.0.get() == other.0.get()
    }
}

/// What the learner predicted before a demo ran, and what the run showed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    pub question: String,
    /// The option chosen; `None` when the run came from a shared link without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predicted: Option<String>,
    /// The option the run's evidence supports; `None` when the run settled nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed: Option<String>,
}

impl Prediction {
    pub fn agreed(&self) -> Option<bool> {
        Some(self.predicted.as_ref()? == self.observed.as_ref()?)
    }

    /// One line for the lab's peer.
    pub fn sentence(&self) -> String {
        match (&self.predicted, &self.observed) {
            (Some(p), Some(o)) if p == o => format!(
                "asked \"{}\", you predicted \"{p}\", and the run agreed",
                self.question
            ),
            (Some(p), Some(o)) => format!(
                "asked \"{}\", you predicted \"{p}\", but the run showed \"{o}\"",
                self.question
            ),
            (Some(p), None) => format!(
                "asked \"{}\", you predicted \"{p}\"; the run did not settle it",
                self.question
            ),
            (None, Some(o)) => format!(
                "asked \"{}\", you made no prediction; the run showed \"{o}\"",
                self.question
            ),
            (None, None) => format!(
                "asked \"{}\", no prediction and no answer from the run",
                self.question
            ),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StepProgress {
    #[serde(default)]
    pub done: bool,
    /// The quiz attempt under way or last finished.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempt: Option<QuizAttempt>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub best: Option<Score>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<Score>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QuizAttempt {
    /// 1 for the first try; seeds the option order.
    pub number: u32,
    /// Question id → the original index of the option chosen.
    #[serde(default)]
    pub answers: BTreeMap<String, usize>,
    /// Lesson quizzes: questions whose answer was checked (and is now fixed).
    #[serde(default)]
    pub checked: Vec<String>,
    /// The question on screen.
    #[serde(default)]
    pub current: usize,
    /// Finished (lesson quiz) or submitted (module test).
    #[serde(default)]
    pub finished: bool,
}

impl StepProgress {
    /// Ends the attempt under way with `score`: it becomes the last score and, if better, the
    /// best, and the step counts as done.
    pub fn finish_attempt(&mut self, score: Score) {
        if let Some(a) = self.attempt.as_mut() {
            a.finished = true;
        }
        self.last = Some(score);
        self.best = Some(self.best.map_or(score, |b| b.best(score)));
        self.done = true;
    }

    /// A fresh attempt, numbered after the last (its number reseeds the option order); the
    /// best and last scores stay.
    pub fn next_attempt(&mut self) {
        let number = self.attempt.as_ref().map_or(1, |a| a.number) + 1;
        self.attempt = Some(QuizAttempt {
            number,
            ..Default::default()
        });
    }
}

/// How a step counts toward its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Reading,
    Quiz,
    Test { pass_percent: u32 },
}

impl Progress {
    pub fn step(&self, key: &str) -> Option<&StepProgress> {
        self.steps.get(key)
    }

    pub fn step_mut(&mut self, key: &str) -> &mut StepProgress {
        self.steps.entry(key.to_string()).or_default()
    }

    pub fn status(&self, key: &str, role: Role) -> StepStatus {
        let Some(step) = self.steps.get(key) else {
            return StepStatus::NotStarted;
        };
        match (role, step.best) {
            (Role::Test { pass_percent }, Some(best)) if best.passes(pass_percent) => {
                StepStatus::Passed(best)
            }
            (Role::Test { .. }, Some(_)) if step.attempt.as_ref().is_some_and(|a| !a.finished) => {
                StepStatus::InProgress
            }
            (Role::Test { .. }, Some(best)) => StepStatus::Failed(step.last.unwrap_or(best)),
            (Role::Quiz, Some(best)) => StepStatus::Done(Some(best)),
            _ if step.done => StepStatus::Done(None),
            _ if step.attempt.as_ref().is_some_and(|a| !a.answers.is_empty()) => {
                StepStatus::InProgress
            }
            _ => StepStatus::NotStarted,
        }
    }
}

/// The outside of a stored file. `progress` is read record by record (`Records`), after the
/// version says it is a shape this build knows. `sync` reads the same envelope for its stamps.
#[derive(Deserialize)]
pub(crate) struct Envelope<'a> {
    pub version: u32,
    #[serde(default, borrow)]
    pub progress: Option<&'a RawValue>,
    /// v1 only.
    #[serde(default)]
    done: Option<Vec<String>>,
    #[cfg(feature = "labs")]
    #[serde(default, borrow)]
    pub stamps: Option<&'a RawValue>,
    #[cfg(feature = "labs")]
    #[serde(default, borrow)]
    pub cleared: Option<&'a RawValue>,
}

impl<'a> Envelope<'a> {
    /// Only an object: serde would also read a struct from an array (`[1, 2]`).
    pub fn read(text: &'a str) -> Option<Self> {
        text.trim_start()
            .starts_with('{')
            .then(|| serde_json::from_str(text).ok())
            .flatten()
    }

    /// The records of a v2/v3 file, each still unread.
    pub fn records(&self) -> Option<Records<'a>> {
        matches!(self.version, 2 | SCHEMA_VERSION)
            .then(|| serde_json::from_str(self.progress?.get()).ok())
            .flatten()
    }
}

/// `Progress` with every record still unread, so each can fail on its own. The reader
/// (without `labs`) reads the steps alone: it shows nothing else, and never writes progress
/// (see `read_marks`), so what it does not read it cannot damage.
#[derive(Deserialize, Default)]
pub(crate) struct Records<'a> {
    #[serde(default, borrow)]
    pub steps: BTreeMap<String, &'a RawValue>,
    #[cfg(feature = "labs")]
    #[serde(default, borrow)]
    pub labs: BTreeMap<String, &'a RawValue>,
    #[cfg(feature = "labs")]
    #[serde(default, borrow)]
    pub demos: BTreeMap<String, &'a RawValue>,
    #[cfg(feature = "labs")]
    #[serde(default, borrow)]
    pub predictions: BTreeMap<String, &'a RawValue>,
    #[cfg(feature = "labs")]
    #[serde(default, borrow)]
    pub backend: Option<&'a RawValue>,
}

/// Decoded progress and, when some or all of the stored text could not be used, why.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub progress: Progress,
    pub problem: Option<String>,
    /// Written by a newer AESOP: this build cannot read it, so it must not write over it.
    pub newer: bool,
}

/// What `encode` writes: the current version's envelope, borrowing the progress (no
/// `serde_json::Value` built on the way, which keeps its serializer out of the reader).
#[derive(Serialize)]
struct Current<'a> {
    version: u32,
    progress: &'a Progress,
}

pub fn encode(progress: &Progress) -> String {
    serde_json::to_string(&Current {
        version: SCHEMA_VERSION,
        progress,
    })
    .expect("progress serializes")
}

/// The largest progress file an import reads. Real files are a few kilobytes (transcripts
/// make them tens); anything near this is not one, and parsing it could stall the page.
pub const MAX_IMPORT_BYTES: usize = 1_000_000;

/// A progress file the learner chose to import. Refused (with a reason) when it cannot be
/// read as a whole; accepted with `problem` set when some records had to be left out.
pub fn import(text: &str) -> Result<Loaded, String> {
    if text.len() > MAX_IMPORT_BYTES {
        return Err(too_large(text.len()));
    }
    if text.trim().is_empty() {
        return Err("the file is empty".into());
    }
    let loaded = decode(Some(text));
    if loaded.newer {
        return Err("it comes from a newer version of AESOP, which this page cannot read".into());
    }
    match &loaded.problem {
        Some(_) if loaded.progress == Progress::default() => {
            if serde_json::from_str::<serde::de::IgnoredAny>(text).is_err() {
                Err("the file is not an AESOP progress file (it is not JSON)".into())
            } else {
                Err("the file is not an AESOP progress file, or it is damaged".into())
            }
        }
        _ => Ok(loaded),
    }
}

/// Why a file of `bytes` bytes is refused before it is read.
pub fn too_large(bytes: usize) -> String {
    // Tenths of a megabyte in integers: float formatting would cost the reader kilobytes.
    let tenths = bytes.div_ceil(100_000);
    format!(
        "the file is {}.{} MB, more than the {} MB a progress file can be",
        tenths / 10,
        tenths % 10,
        MAX_IMPORT_BYTES / 1_000_000
    )
}

/// Progress small enough for an LMS's suspend data (SCORM 1.2 allows 4,096 characters):
/// chat transcripts and demo runs are left out, then quiz attempts in progress if still too
/// long.
pub fn encode_compact(progress: &Progress, limit: usize) -> String {
    let mut p = Progress {
        steps: progress.steps.clone(),
        ..Default::default()
    };
    let text = encode(&p);
    if text.len() <= limit {
        return text;
    }
    for step in p.steps.values_mut() {
        step.attempt = None;
    }
    encode(&p)
}

pub fn decode(stored: Option<&str>) -> Loaded {
    let fresh = |problem: &str| Loaded {
        progress: Progress::default(),
        problem: Some(problem.to_string()),
        newer: false,
    };
    let Some(text) = stored else {
        return Loaded {
            progress: Progress::default(),
            problem: None,
            newer: false,
        };
    };
    let envelope =
        match Envelope::read(text) {
            Some(e) => e,
            None => return fresh(
                "the saved progress was damaged and could not be read, so this visit starts fresh",
            ),
        };
    match envelope.version {
        1 => {
            let mut progress = Progress::default();
            for key in envelope.done.unwrap_or_default() {
                progress.step_mut(&key).done = true;
            }
            Loaded {
                progress,
                problem: None,
                newer: false,
            }
        }
        // v2 lacks `labs`, which defaults to none: the same shape otherwise.
        2 | SCHEMA_VERSION => {
            match envelope.records() {
                Some(records) => read_records(records),
                None => fresh("the saved progress was incomplete, so this visit starts fresh"),
            }
        }
        v if v > SCHEMA_VERSION => Loaded {
            newer: true,
            ..fresh(&format!(
                "your saved progress was written by a newer version of AESOP (format {v}; this page reads up to {SCHEMA_VERSION})"
            ))
        },
        _ => fresh("the saved progress uses an unknown format, so this visit starts fresh"),
    }
}

/// Reads each record on its own; one that does not fit its type is left out and named.
fn read_records(records: Records) -> Loaded {
    let mut progress = Progress::default();
    let mut left_out = Vec::new();
    read_map(
        records.steps,
        &mut progress.steps,
        &mut left_out,
        "",
        |raw| serde_json::from_str(raw.get()).ok(),
    );
    #[cfg(feature = "labs")]
    {
        read_map(
            records.labs,
            &mut progress.labs,
            &mut left_out,
            "the chat of ",
            |raw| serde_json::from_str(raw.get()).ok(),
        );
        read_map(
            records.demos,
            &mut progress.demos,
            &mut left_out,
            "the last run of ",
            |raw| serde_json::from_str(raw.get()).ok(),
        );
        read_map(
            records.predictions,
            &mut progress.predictions,
            &mut left_out,
            "the prediction of ",
            |raw| serde_json::from_str(raw.get()).ok(),
        );
        if let Some(raw) = records.backend {
            match serde_json::from_str(raw.get()) {
                Ok(backend) => progress.backend = backend,
                Err(_) => left_out.push("the backend choice".into()),
            }
        }
    }
    let problem = (!left_out.is_empty()).then(|| {
        format!(
            "part of your saved progress could not be read and was left out ({}); the rest is kept",
            left_out.join(", ")
        )
    });
    Loaded {
        progress,
        problem,
        newer: false,
    }
}

fn read_map<T>(
    raw: BTreeMap<String, &RawValue>,
    into: &mut BTreeMap<String, T>,
    left_out: &mut Vec<String>,
    what: &str,
    read: impl Fn(&RawValue) -> Option<T>,
) {
    for (key, value) in raw {
        match read(value) {
            Some(record) => {
                into.insert(key, record);
            }
            None => left_out.push(format!("{what}{key}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finishing_keeps_the_best_score_and_the_last_and_a_retry_keeps_both() {
        let mut step = StepProgress {
            attempt: Some(QuizAttempt {
                number: 1,
                ..Default::default()
            }),
            ..Default::default()
        };
        step.finish_attempt(Score::new(4, 5));
        assert!(step.done && step.attempt.as_ref().unwrap().finished);
        assert_eq!(
            (step.best, step.last),
            (Some(Score::new(4, 5)), Some(Score::new(4, 5)))
        );
        step.next_attempt();
        let attempt = step.attempt.clone().unwrap();
        assert_eq!((attempt.number, attempt.finished), (2, false));
        assert!(attempt.answers.is_empty());
        step.finish_attempt(Score::new(2, 5));
        assert_eq!(
            step.best,
            Some(Score::new(4, 5)),
            "a worse try keeps the best"
        );
        assert_eq!(step.last, Some(Score::new(2, 5)), "and shows the last");
        step.next_attempt();
        step.finish_attempt(Score::new(5, 5));
        assert_eq!(step.best, Some(Score::new(5, 5)));
        assert_eq!(step.attempt.unwrap().number, 3);
    }

    #[cfg(feature = "labs")]
    #[test]
    fn round_trips() {
        let mut p = Progress::default();
        p.step_mut("m/lesson-1").done = true;
        let q = p.step_mut("m/quiz-1");
        q.attempt = Some(QuizAttempt {
            number: 2,
            answers: [("mse".to_string(), 1)].into(),
            checked: vec!["mse".into()],
            current: 1,
            finished: false,
        });
        q.best = Some(Score::new(4, 5));
        p.labs
            .entry("m/lab-1".into())
            .or_default()
            .entries
            .push(aesop_llm::Entry::new(
                aesop_llm::Speaker::Learner,
                "Weighted CE",
            ));
        assert_eq!(
            decode(Some(&encode(&p))),
            Loaded {
                progress: p,
                problem: None,
                newer: false,
            }
        );
    }

    /// The full app's (the reader runs no demo and reads steps alone).
    #[cfg(feature = "labs")]
    #[test]
    fn the_backend_switch_is_kept_and_absent_means_auto() {
        let mut p = Progress::default();
        assert!(
            !encode(&p).contains("backend"),
            "auto is the default, not stored"
        );
        p.backend = Backend::Gpu;
        let text = encode(&p);
        assert!(text.contains(r#""backend":"gpu""#), "{text}");
        assert_eq!(decode(Some(&text)).progress.backend, Backend::Gpu);
    }

    /// The full app keeps a lab's transcript through a load and a save; the reader, which
    /// shows none and never writes progress, reads the steps alone and reports nothing else.
    #[test]
    fn lab_transcripts_survive_a_save_in_the_full_app_and_are_not_read_by_the_reader() {
        let lab = r#"{"entries":[{"speaker":"learner","text":"Weighted CE?","state":{"state":"cut"}}],"draft":"half a tho"}"#;
        let stored = format!(
            r#"{{"version":3,"progress":{{"steps":{{"m/lesson-1":{{"done":true}}}},"labs":{{"m/lab-1":{lab},"m/lab-2":7}},"demos":{{"a":5}}}}}}"#
        );
        let loaded = decode(Some(&stored));
        assert!(loaded.progress.step("m/lesson-1").unwrap().done);
        if cfg!(feature = "labs") {
            assert!(loaded.problem.unwrap().contains("the chat of m/lab-2"));
            let saved = encode(&loaded.progress);
            assert!(saved.contains(lab), "{saved}");
            assert_eq!(decode(Some(&saved)).progress, loaded.progress);
        } else {
            assert_eq!(loaded.problem, None);
            assert!(loaded.progress.labs.is_empty() && loaded.progress.demos.is_empty());
        }
    }

    #[test]
    fn migrates_version_1() {
        let loaded = decode(Some(
            r#"{"version":1,"done":["module-2/lesson-1","module-2/lab-1"]}"#,
        ));
        assert_eq!(loaded.problem, None);
        assert!(loaded.progress.step("module-2/lesson-1").unwrap().done);
        assert!(loaded.progress.step("module-2/lab-1").unwrap().done);
        assert_eq!(
            loaded.progress.status("module-2/lesson-1", Role::Reading),
            StepStatus::Done(None)
        );
    }

    #[test]
    fn migrates_version_2() {
        let loaded = decode(Some(
            r#"{"version":2,"progress":{"steps":{"m/quiz-1":{"done":true,"best":{"correct":4,"total":5}}}}}"#,
        ));
        assert_eq!(loaded.problem, None);
        assert_eq!(
            loaded.progress.step("m/quiz-1").unwrap().best,
            Some(Score::new(4, 5))
        );
        assert!(loaded.progress.labs.is_empty());
        assert!(
            encode(&loaded.progress).contains(r#""version":3"#),
            "saved back in the current version"
        );
    }

    #[test]
    fn corrupt_data_starts_fresh_with_a_reason() {
        for text in [
            "{not json",
            r#"{"version":3}"#,
            r#"[1,2]"#,
            r#"{"version":3,"progress":{"steps":[]}}"#,
        ] {
            let loaded = decode(Some(text));
            assert_eq!(loaded.progress, Progress::default(), "{text}");
            assert!(loaded.problem.is_some(), "{text}");
            assert!(!loaded.newer, "{text}");
        }
        assert_eq!(decode(None).problem, None);
    }

    /// A newer AESOP's file is not read, and is marked so the app leaves it untouched.
    #[test]
    fn a_newer_file_is_marked_not_read() {
        let loaded = decode(Some(
            r#"{"version":4,"progress":{"steps":{"m/a":{"done":true}}},"more":1}"#,
        ));
        assert!(loaded.newer);
        assert_eq!(loaded.progress, Progress::default());
        let why = loaded.problem.unwrap();
        assert!(
            why.contains("newer version") && why.contains("format 4"),
            "{why}"
        );
    }

    /// A step that does not read costs that step alone, with the same code in both builds.
    #[test]
    fn a_bad_step_is_left_out_in_both_builds() {
        let loaded = decode(Some(
            r#"{"version":3,"progress":{"steps":{"m/lesson-1":{"done":true},"m/quiz-1":{"attempt":{"number":1,"answers":{"q":-1}}}}}}"#,
        ));
        assert!(loaded.progress.step("m/lesson-1").unwrap().done);
        assert!(loaded.progress.step("m/quiz-1").is_none());
        let why = loaded.problem.unwrap();
        assert!(
            why.contains("left out (m/quiz-1)") && why.contains("the rest is kept"),
            "{why}"
        );
    }

    /// One record that does not read costs that record alone.
    #[cfg(feature = "labs")]
    #[test]
    fn a_bad_record_is_left_out_and_named_the_rest_kept() {
        let stored = r#"{"version":3,"progress":{"steps":{"m/lesson-1":{"done":true},"m/quiz-1":{"done":"yes"}},
            "labs":{"m/lab-1":{"entries":[{"speaker":"learner","text":"kept","state":{"state":"complete"}}]},"m/lab-2":{"entries":"junk"}},
            "demos":{"m/lesson-1/a":"ran","m/lesson-1/b":7},
            "predictions":{"m/lesson-1/a/p":{"question":"q"},"m/lesson-1/a/q":[]},
            "stamps":"junk"},"stamps":[1]}"#;
        let loaded = decode(Some(stored));
        assert!(!loaded.newer);
        let p = &loaded.progress;
        assert!(p.step("m/lesson-1").unwrap().done);
        assert!(p.step("m/quiz-1").is_none());
        assert_eq!(p.labs.keys().collect::<Vec<_>>(), ["m/lab-1"]);
        assert_eq!(p.demos.keys().collect::<Vec<_>>(), ["m/lesson-1/a"]);
        assert_eq!(p.predictions.keys().collect::<Vec<_>>(), ["m/lesson-1/a/p"]);
        let why = loaded.problem.unwrap();
        for named in [
            "m/quiz-1",
            "the chat of m/lab-2",
            "m/lesson-1/b",
            "m/lesson-1/a/q",
        ] {
            assert!(why.contains(named), "{named} in {why}");
        }
        assert!(why.contains("the rest is kept"), "{why}");
        // Saved again, it reads cleanly.
        assert_eq!(decode(Some(&encode(p))).problem, None);
        // An import of the same file is accepted, with the same note.
        let imported = import(stored).unwrap();
        assert_eq!(&imported.progress, p);
        assert!(imported.problem.is_some());
    }

    #[test]
    fn import_refuses_bad_files_with_a_reason() {
        assert!(import("").unwrap_err().contains("empty"));
        assert!(import("hello").unwrap_err().contains("not JSON"));
        assert!(import(r#"{"version":99,"progress":{}}"#)
            .unwrap_err()
            .contains("newer version"));
        assert!(
            import(r#"{"version":3,"progress":{"steps":{"a":{"done":"yes"}}}}"#)
                .unwrap_err()
                .contains("not an AESOP progress file")
        );
        let mut p = Progress::default();
        p.step_mut("m/lesson-1").done = true;
        assert_eq!(import(&encode(&p)).map(|l| l.progress), Ok(p));
    }

    /// Refused by size alone: a megabyte of valid progress is still not read.
    #[test]
    fn import_refuses_a_file_over_the_limit() {
        let mut p = Progress::default();
        p.step_mut("m/lesson-1").done = true;
        p.demos
            .insert("m/lesson-1/d".into(), "x".repeat(MAX_IMPORT_BYTES));
        let text = encode(&p);
        assert!(
            decode(Some(&text)).problem.is_none(),
            "the file itself reads"
        );
        let why = import(&text).unwrap_err();
        assert!(why.contains("is 1.1 MB, more than the 1 MB"), "{why}");
        assert_eq!(
            too_large(1_000_001),
            "the file is 1.1 MB, more than the 1 MB a progress file can be"
        );
        assert!(too_large(23_456_789).contains("is 23.5 MB"));
    }

    #[cfg(feature = "labs")]
    #[test]
    fn compact_encoding_fits_suspend_data() {
        let mut p = Progress::default();
        p.labs.entry("m/lab-1".into()).or_default().draft = "x".repeat(10_000);
        for i in 0..40 {
            let s = p.step_mut(&format!("module-2/quiz-{i}"));
            s.best = Some(Score::new(4, 5));
            s.attempt = Some(QuizAttempt {
                number: 3,
                answers: (0..15)
                    .map(|q| (format!("question-number-{q}"), 2))
                    .collect(),
                ..Default::default()
            });
        }
        let text = encode_compact(&p, 4096);
        assert!(text.len() <= 4096, "{} characters", text.len());
        let back = decode(Some(&text)).progress;
        assert!(back.labs.is_empty());
        assert_eq!(
            back.step("module-2/quiz-7").unwrap().best,
            Some(Score::new(4, 5))
        );
    }

    #[test]
    fn statuses() {
        let mut p = Progress::default();
        let test = Role::Test { pass_percent: 80 };
        assert_eq!(p.status("m/test", test), StepStatus::NotStarted);
        p.step_mut("m/test").attempt = Some(QuizAttempt {
            number: 1,
            answers: [("a".into(), 0)].into(),
            ..Default::default()
        });
        assert_eq!(p.status("m/test", test), StepStatus::InProgress);
        let s = p.step_mut("m/test");
        s.best = Some(Score::new(11, 15));
        s.last = s.best;
        s.attempt.as_mut().unwrap().finished = true;
        assert_eq!(
            p.status("m/test", test),
            StepStatus::Failed(Score::new(11, 15))
        );
        p.step_mut("m/test").best = Some(Score::new(12, 15));
        assert_eq!(
            p.status("m/test", test),
            StepStatus::Passed(Score::new(12, 15))
        );
        p.step_mut("m/quiz-1").best = Some(Score::new(3, 5));
        assert_eq!(
            p.status("m/quiz-1", Role::Quiz),
            StepStatus::Done(Some(Score::new(3, 5)))
        );
    }
}

#[cfg(all(test, feature = "labs"))]
mod prediction_tests {
    use super::*;

    #[test]
    fn predictions_round_trip_and_read_as_sentences() {
        let mut p = Progress::default();
        let rec = Prediction {
            question: "Which optimizer arrives first?".into(),
            predicted: Some("SGD".into()),
            observed: Some("Adam".into()),
        };
        p.predictions
            .insert("module-2/lesson-4/optimizer-race/bowl".into(), rec.clone());
        let back = decode(Some(&encode(&p))).progress;
        assert_eq!(
            back.predictions["module-2/lesson-4/optimizer-race/bowl"],
            rec
        );
        assert_eq!(rec.agreed(), Some(false));
        assert_eq!(rec.sentence(), "asked \"Which optimizer arrives first?\", you predicted \"SGD\", but the run showed \"Adam\"");
        let none = Prediction {
            question: "q".into(),
            predicted: None,
            observed: Some("x".into()),
        };
        assert_eq!(none.agreed(), None);
        // A v3 file written before predictions existed still reads.
        assert!(decode(Some(r#"{"version":3,"progress":{"steps":{}}}"#))
            .problem
            .is_none());
    }
}
