//! A lab: the scenario, the learner's task, and a chat with the AI peer (or the offline
//! peer when no endpoint is configured).

mod chat;
mod csp;
mod drafts;
pub mod evidence;
mod live;
mod messages;
mod render;
mod send;
pub mod settings;

use crate::progress::use_progress;
use aesop_course::lab::Lab;
use evidence::LessonQuiz;
use leptos::prelude::*;
use std::sync::Arc;

#[component]
pub fn LabPage(
    lab: Lab,
    key: String,
    lesson_quiz: Option<LessonQuiz>,
    /// The lab's lesson as paragraphs, and a link to it: what the offline peer quotes.
    lesson: Option<(Vec<String>, String)>,
) -> impl IntoView {
    let store = use_progress();
    store.mark_done(&key);
    let lab = Arc::new(lab);
    view! {
        <article class="lab">
            <header class="lesson-header">
                <p class="kicker">"Lab"</p>
                <h1>{lab.title.clone()}</h1>
                <p class="subtitle">{lab.subtitle.clone()}</p>
            </header>
            <section class="scenario" aria-labelledby="lab-scenario">
                <h2 id="lab-scenario">"The Scenario"</h2>
                <div class="prose" inner_html=lab.scenario.as_str().to_string()></div>
            </section>
            <section class="lab-task" aria-labelledby="lab-task">
                <h2 id="lab-task">"Your task"</h2>
                <div class="prose" inner_html=lab.task.as_str().to_string()></div>
            </section>
            <settings::SettingsPanel />
            <chat::Chat lab=lab.clone() key=key store=store lesson_quiz=lesson_quiz lesson=lesson />
        </article>
    }
}
