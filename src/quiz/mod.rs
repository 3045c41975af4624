//! Lesson quizzes (check each answer, feedback at once, a score at the end) and the module
//! test (no feedback until submitted, then a results page). Attempts live in the progress
//! store, so a reload mid-quiz keeps every answer; a retry reshuffles options with a seed.

mod fit;
mod question;
mod results;

pub use fit::watch;

use crate::progress::{use_progress, ProgressStore};
use aesop_course::quiz::Quiz;
use aesop_progress::{score_answers, QuizAttempt, Score};
use leptos::prelude::*;
use question::QuestionView;

/// The quiz plus where its attempt is stored; cheap to copy into closures.
#[derive(Clone)]
pub struct QuizCtx {
    pub store: ProgressStore,
    pub quiz: std::sync::Arc<Quiz>,
    pub key: String,
    pub is_test: bool,
    /// Set once the learner checks or moves: from then on each new screen takes focus, so
    /// keyboard and screen-reader users are not dropped at the top of the page.
    pub interacted: RwSignal<bool>,
}

impl QuizCtx {
    pub fn attempt(&self) -> QuizAttempt {
        self.store
            .progress
            .with_untracked(|p| p.step(&self.key).and_then(|s| s.attempt.clone()))
            .unwrap_or(QuizAttempt {
                number: 1,
                ..Default::default()
            })
    }

    /// Changes the attempt in place, creating it on first use.
    pub fn update(&self, f: impl FnOnce(&mut QuizAttempt)) {
        self.interacted.set(true);
        self.store.progress.update(|p| {
            let step = p.step_mut(&self.key);
            let attempt = step.attempt.get_or_insert_with(|| QuizAttempt {
                number: 1,
                ..Default::default()
            });
            f(attempt);
        });
    }

    pub fn score(&self, attempt: &QuizAttempt) -> Score {
        score_answers(
            &attempt.answers,
            self.quiz
                .questions
                .iter()
                .map(|q| (q.id.as_str(), q.correct_index())),
        )
    }

    /// Ends the attempt: its score becomes the last one and, if better, the best.
    pub fn finish(&self) {
        let score = self.score(&self.attempt());
        self.store
            .progress
            .update(|p| p.step_mut(&self.key).finish_attempt(score));
    }

    /// A fresh attempt with the next seed: options reshuffle, best and last scores stay.
    pub fn retry(&self) {
        self.store
            .progress
            .update(|p| p.step_mut(&self.key).next_attempt());
    }
}

#[component]
pub fn QuizPage(quiz: Quiz, key: String, is_test: bool) -> impl IntoView {
    let store = use_progress();
    let ctx = QuizCtx {
        store,
        quiz: std::sync::Arc::new(quiz),
        key: key.clone(),
        is_test,
        interacted: RwSignal::new(false),
    };
    let total = ctx.quiz.questions.len();
    // The page is rebuilt only when what is on screen changes (question, check, finish,
    // retry), not on every choice: rebuilding would take keyboard focus from the options.
    let screen = {
        let key = key.clone();
        Memo::new(move |_| {
            // No attempt yet reads as attempt 1 at question 1, so the first choice (which
            // creates the attempt) does not rebuild the screen under the learner's focus.
            store.progress.with(|p| {
                p.step(&key)
                    .and_then(|s| s.attempt.as_ref())
                    .map_or((1, 0, 0, false), |a| {
                        (a.number, a.current, a.checked.len(), a.finished)
                    })
            })
        })
    };
    let scores = Memo::new(move |_| {
        store
            .progress
            .with(|p| p.step(&key).map(|s| (s.best, s.last)).unwrap_or_default())
    });
    let pass = ctx.quiz.pass_percent;
    let header_ctx = ctx.clone();
    let body_ctx = ctx.clone();
    let body = move || {
        let _on_screen = screen.get();
        let ctx = body_ctx.clone();
        let a = ctx.attempt();
        if a.finished {
            view! { <results::Results ctx=ctx attempt=a /> }.into_any()
        } else {
            let index = a.current.min(total.saturating_sub(1));
            view! { <QuestionView ctx=ctx index=index attempt=a /> }.into_any()
        }
    };
    let record = move || {
        let (best, last) = scores.get();
        best.map(|b| {
            let last = last.unwrap_or(b);
            let verdict = pass.map(|p| if b.passes(p) { " · passed" } else { " · not passed yet" }).unwrap_or_default();
            view! { <p class="score-record">{format!("Best score {} of {} · last {} of {}{verdict}", b.correct, b.total, last.correct, last.total)}</p> }
        })
    };
    view! {
        <article class="quiz" class:module-test=is_test>
            <header class="lesson-header">
                <p class="kicker">{if is_test { "Module test" } else { "Quiz" }}</p>
                <h1>{header_ctx.quiz.title.clone()}</h1>
                <p class="subtitle">{header_ctx.quiz.subtitle.clone()}</p>
                {record}
            </header>
            {body}
        </article>
    }
}
