//! A lesson page: kicker, title, subtitle, the opening question, then the lesson's blocks.

mod blocks;
pub(crate) mod position;
mod read_marker;

use crate::progress::use_progress;
use aesop_course::lesson::Lesson;
use leptos::prelude::*;

#[component]
pub fn LessonPage(lesson: Lesson, key: String, folder: String) -> impl IntoView {
    let store = use_progress();
    #[cfg(feature = "full")]
    provide_context(crate::demo::LessonKey(key.clone()));
    let article = position::keep(key.clone());
    let end = read_marker::on_visible(move || store.mark_done(&key));
    view! {
        <article class="lesson" node_ref=article>
            <header class="lesson-header">
                <p class="kicker">{lesson.kicker.clone()}</p>
                <h1>{lesson.title.clone()}</h1>
                <p class="subtitle">{lesson.subtitle.clone()}</p>
            </header>
            <aside class="opening-question" aria-label="Opening question">
                <p>{lesson.question.clone()}</p>
            </aside>
            {lesson.blocks.into_iter().map(|b| blocks::render(b, &folder)).collect_view()}
            <p class="lesson-end" node_ref=end>"End of lesson — the quiz is next."</p>
        </article>
    }
}
