//! Stored answers checked against the quizzes as they are now, on every way progress comes
//! in: loaded at start, imported, resumed from an LMS, merged from another tab, or a quiz
//! file arriving. An answer whose option index no longer fits its question (a host removed
//! an option; a file was edited) is left out with a notice, before anything reads it.

use crate::content::CourseFiles;
use crate::progress::{step_key, ProgressStore};
use aesop_course::StepContent;
use leptos::prelude::*;

/// A quiz with stored answers that do not fit: its key, its title, each question's id and
/// number of options, and the numbers of the questions whose answer does not fit.
struct Misfit {
    key: String,
    title: String,
    shape: Vec<(String, usize)>,
    numbers: Vec<String>,
}

pub fn watch(store: ProgressStore, files: CourseFiles) {
    Effect::new(move |_| {
        let found: Vec<Misfit> = files.with(|course| {
            store.progress.with(|p| {
                course
                    .modules
                    .iter()
                    .flat_map(|m| m.steps.iter().map(move |s| (m, s)))
                    .filter_map(|(m, s)| match &s.content {
                        Some(Ok(StepContent::Quiz(quiz))) => Some((step_key(&m.id, &s.id), quiz)),
                        _ => None,
                    })
                    .filter_map(|(key, quiz)| {
                        let answers = &p.step(&key)?.attempt.as_ref()?.answers;
                        let numbers: Vec<String> = quiz
                            .questions
                            .iter()
                            .enumerate()
                            .filter(|(_, q)| {
                                answers
                                    .get(&q.id)
                                    .is_some_and(|&chosen| chosen >= q.options.len())
                            })
                            .map(|(i, _)| (i + 1).to_string())
                            .collect();
                        (!numbers.is_empty()).then(|| Misfit {
                            key,
                            title: quiz.title.clone(),
                            shape: quiz
                                .questions
                                .iter()
                                .map(|q| (q.id.clone(), q.options.len()))
                                .collect(),
                            numbers,
                        })
                    })
                    .collect()
            })
        });
        if found.is_empty() {
            return;
        }
        store.progress.update(|p| {
            for quiz in &found {
                p.fit_answers(
                    &quiz.key,
                    quiz.shape.iter().map(|(id, n)| (id.as_str(), *n)),
                );
            }
        });
        for quiz in found {
            let (s, them) = if quiz.numbers.len() == 1 {
                ("", "it")
            } else {
                ("s", "them")
            };
            store.note(format!(
                "Your saved answer{s} to question{s} {} of “{}” no longer match{} the options (the course was changed, or the progress file edited), so {them} {} left out: answer again. The rest of your progress is kept.",
                quiz.numbers.join(", "),
                quiz.title,
                if s.is_empty() { "es" } else { "" },
                if s.is_empty() { "was" } else { "were" },
            ));
        }
    });
}
