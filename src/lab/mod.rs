//! A lab page: the scenario, the learner's task and the AI peer's opening challenge.

use crate::progress::use_progress;
use aesop_course::lab::Lab;
use leptos::prelude::*;

#[component]
pub fn LabPage(lab: Lab, key: String) -> impl IntoView {
    let store = use_progress();
    store.mark_done(&key);
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
            <section class="peer" aria-label="AI peer">
                <p class="peer-badge"><span class="badge">"AESOP Lab AI"</span>" · "{lab.badge.clone()}</p>
                <div class="peer-message prose" inner_html=lab.opener.html.as_str().to_string()></div>
            </section>
            <p class="coming-soon">
                "Replying to your AI peer comes in the next update: you will argue your answer in a chat, with your "
                "own LLM endpoint or with an offline peer that walks you through the points a strong answer covers."
            </p>
        </article>
    }
}
