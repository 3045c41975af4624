//! The learner's own results in this lesson, as short lines the peer can argue from.

use crate::progress::ProgressStore;
use aesop_course::quiz::Quiz;
use leptos::prelude::*;

/// The lesson quiz that goes with a lab: its stored key and questions.
#[derive(Clone)]
pub struct LessonQuiz {
    pub key: String,
    pub quiz: Quiz,
    /// The lesson's own step key: its demos' last runs are stored under it.
    pub lesson_key: Option<String>,
}

pub fn lines(store: &ProgressStore, quiz: Option<&LessonQuiz>) -> Vec<String> {
    let Some(LessonQuiz {
        key,
        quiz,
        lesson_key,
    }) = quiz
    else {
        return vec![];
    };
    // Demo runs first: the most concrete evidence, and the offline peer quotes the first line.
    let mut out: Vec<String> = lesson_key
        .as_ref()
        .map(|lesson| {
            let prefix = format!("{lesson}/");
            store.progress.with_untracked(|p| {
                let runs =
                    p.demos
                        .iter()
                        .filter(|(k, _)| k.starts_with(&prefix))
                        .map(|(k, line)| {
                            format!("Your last \"{}\" demo run: you {line}", &k[prefix.len()..])
                        });
                // Predictions next: where the learner's expectation and the run parted ways.
                let predictions = p
                    .predictions
                    .iter()
                    .filter(|(k, _)| k.starts_with(&prefix))
                    .map(|(k, rec)| {
                        let demo = k[prefix.len()..].split('/').next().unwrap_or_default();
                        format!("In the \"{demo}\" demo you were {}", rec.sentence())
                    });
                runs.chain(predictions).collect()
            })
        })
        .unwrap_or_default();
    out.extend(quiz_lines(store, key, quiz));
    out
}

fn quiz_lines(store: &ProgressStore, key: &str, quiz: &Quiz) -> Vec<String> {
    store.progress.with_untracked(|p| {
        let Some(step) = p.step(key) else {
            return vec!["Lesson quiz: not attempted yet".to_string()];
        };
        let mut out = Vec::new();
        if let Some(last) = step.last {
            let best = step.best.unwrap_or(last);
            out.push(format!(
                "Lesson quiz: last score {} of {}, best {} of {}",
                last.correct, last.total, best.correct, best.total
            ));
        }
        if let Some(attempt) = &step.attempt {
            for q in &quiz.questions {
                // A stored index past the options (an edited file, an option a host
                // removed) is no evidence: left out here, and dropped by `quiz::fit`.
                let chosen = attempt.answers.get(&q.id).copied();
                match chosen.and_then(|c| q.options.get(c)) {
                    Some(option) if chosen != Some(q.correct_index()) => out.push(format!(
                        "Missed on the quiz: \"{}\" — answered \"{}\" instead of \"{}\"",
                        q.prompt.plain_text(),
                        option.label.plain_text(),
                        q.options[q.correct_index()].label.plain_text()
                    )),
                    _ => {}
                }
            }
        }
        if out.is_empty() {
            out.push("Lesson quiz: started, no score yet".into());
        }
        out
    })
}
