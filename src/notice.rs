//! Content problems as the page shows them: the same `path:line: message` lines that
//! `cargo test` prints, so a host can fix the file either way.

use aesop_course::ContentError;
use leptos::prelude::*;

#[component]
pub fn ContentErrors(errors: Vec<ContentError>, #[prop(into)] title: String) -> impl IntoView {
    view! {
        <section class="content-errors" role="alert">
            <h2>{title}</h2>
            <p>"The course files have a problem. Whoever hosts this course can fix it in the file and line named here:"</p>
            <ul>
                {errors.into_iter().map(|e| view! { <li><code>{e.to_string()}</code></li> }).collect_view()}
            </ul>
        </section>
    }
}
