//! The stored shape of progress, versioned. Every older version migrates forward; data that
//! cannot be read (corrupt, or written by a newer AESOP) never crashes the app: it starts
//! fresh and says why, and the caller keeps the unreadable text aside.
//!
//! History:
//! - v1 `{"version":1,"done":["module-2/lesson-1", …]}`: which steps were finished.
//! - v2 `{"version":2,"progress":{"steps":{"module-2/quiz-1":{…}}}}`: per-step records,
//!   with quiz attempts and scores.
//! - v3 adds `labs`: each lab's chat transcript, keyed like steps.

use crate::score::{Score, StepStatus};
use serde::{Deserialize, Serialize};
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

/// A lab's chat transcript, unread: the reader never opens a lab, so it keeps each record as
/// the JSON it found and writes it back unchanged (one parser less in the first download).
#[cfg(not(feature = "labs"))]
pub type LabRecord = Unread;

/// JSON carried through untouched.
#[cfg(not(feature = "labs"))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Unread(Box<serde_json::value::RawValue>);

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

#[derive(Serialize, Deserialize)]
struct Envelope {
    version: u32,
    #[serde(default)]
    progress: Option<Progress>,
    /// v1 only.
    #[serde(default)]
    done: Option<Vec<String>>,
}

/// Decoded progress and, when the stored text could not be used, why.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub progress: Progress,
    pub problem: Option<String>,
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

/// A progress file the learner chose to import: accepted only if it reads cleanly.
pub fn import(text: &str) -> Result<Progress, String> {
    if text.trim().is_empty() {
        return Err("the file is empty".into());
    }
    let loaded = decode(Some(text));
    match loaded.problem {
        None => Ok(loaded.progress),
        Some(_) if serde_json::from_str::<serde::de::IgnoredAny>(text).is_err() => {
            Err("the file is not an AESOP progress file (it is not JSON)".into())
        }
        Some(problem) => Err(problem
            .replace(", so this visit starts fresh", "")
            .replace("; this visit starts fresh and leaves it untouched", "")),
    }
}

/// Progress small enough for an LMS's suspend data (SCORM 1.2 allows 4,096 characters):
/// chat transcripts and demo runs are left out, then quiz attempts in progress if still too long.
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
    };
    let Some(text) = stored else {
        return Loaded {
            progress: Progress::default(),
            problem: None,
        };
    };
    let envelope: Envelope =
        match serde_json::from_str(text) {
            Ok(e) => e,
            Err(_) => return fresh(
                "the saved progress was damaged and could not be read, so this visit starts fresh",
            ),
        };
    match envelope.version {
        1 => {
            let mut progress = Progress::default();
            for key in envelope.done.unwrap_or_default() {
                progress.step_mut(&key).done = true;
            }
            Loaded { progress, problem: None }
        }
        // v2 lacks `labs`, which defaults to none: the same shape otherwise.
        2 | SCHEMA_VERSION => match envelope.progress {
            Some(progress) => Loaded { progress, problem: None },
            None => fresh("the saved progress was incomplete, so this visit starts fresh"),
        },
        v if v > SCHEMA_VERSION => fresh("the saved progress comes from a newer version of AESOP; this visit starts fresh and leaves it untouched"),
        _ => fresh("the saved progress uses an unknown format, so this visit starts fresh"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
                problem: None
            }
        );
    }

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

    /// Both builds keep a lab's transcript through a load and a save: the full app reads it,
    /// the reader (`--no-default-features`) carries it through as JSON.
    #[test]
    fn lab_transcripts_survive_a_save() {
        let lab = r#"{"entries":[{"speaker":"learner","text":"Weighted CE?","state":{"state":"cut"}}],"draft":"half a tho"}"#;
        let stored = format!(
            r#"{{"version":3,"progress":{{"steps":{{"m/lesson-1":{{"done":true}}}},"labs":{{"m/lab-1":{lab}}}}}}}"#
        );
        let loaded = decode(Some(&stored));
        assert_eq!(loaded.problem, None);
        let saved = encode(&loaded.progress);
        assert!(saved.contains(lab), "{saved}");
        assert_eq!(decode(Some(&saved)), loaded);
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
    fn corrupt_or_newer_data_starts_fresh_with_a_reason() {
        for text in [
            "{not json",
            r#"{"version":3}"#,
            r#"{"version":99,"progress":{}}"#,
            r#"[1,2]"#,
            r#"{"version":3,"progress":{"steps":{"a":{"done":"yes"}}}}"#,
        ] {
            let loaded = decode(Some(text));
            assert_eq!(loaded.progress, Progress::default(), "{text}");
            assert!(loaded.problem.is_some(), "{text}");
        }
        assert_eq!(decode(None).problem, None);
    }

    #[test]
    fn import_refuses_bad_files_with_a_reason() {
        assert!(import("").unwrap_err().contains("empty"));
        assert!(import("hello").unwrap_err().contains("not JSON"));
        assert!(import(r#"{"version":99,"progress":{}}"#)
            .unwrap_err()
            .contains("newer version"));
        let mut p = Progress::default();
        p.step_mut("m/lesson-1").done = true;
        assert_eq!(import(&encode(&p)), Ok(p));
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

#[cfg(test)]
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
