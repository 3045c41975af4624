//! One view per lesson block. Bodies are HTML made by the content loader, which already
//! turned raw HTML into text and neutralised unsafe links, so `inner_html` is safe here.

use aesop_course::lesson::LessonBlock;
use leptos::prelude::*;

pub fn render(block: LessonBlock, folder: &str) -> AnyView {
    match block {
        LessonBlock::Markdown(html) => view! { <div class="prose" inner_html=html.as_str().to_string()></div> }.into_any(),
        LessonBlock::Scenario { name, body } => view! {
            <section class="scenario" aria-label=format!("Scenario: {name}")>
                <p class="scenario-label">"Scenario · "<span class="scenario-name">{name.clone()}</span></p>
                <div class="prose" inner_html=body.as_str().to_string()></div>
            </section>
        }
        .into_any(),
        LessonBlock::Term { term, definition } => view! {
            <aside class="term-card" aria-label=format!("Term: {term}")>
                <p class="term-label">"Key term"</p>
                <h3 class="term">{term.clone()}</h3>
                <div class="definition" inner_html=definition.as_str().to_string()></div>
            </aside>
        }
        .into_any(),
        LessonBlock::Callout { kind, body } => view! {
            <aside class=format!("callout callout-{}", kind.title().to_lowercase().replace(' ', "-")) aria-label=kind.title()>
                <p class="callout-title">{kind.title()}</p>
                <div class="prose" inner_html=body.as_str().to_string()></div>
            </aside>
        }
        .into_any(),
        LessonBlock::Pattern { name, signal, body } => view! {
            <section class="pattern-card" aria-label=format!("Loss-curve pattern: {name}")>
                <p class="pattern-signal">{signal}</p>
                <h3 class="pattern-name">{name.clone()}</h3>
                <div class="prose" inner_html=body.as_str().to_string()></div>
            </section>
        }
        .into_any(),
        #[cfg(feature = "full")]
        LessonBlock::Demo { name } => view! { <crate::demo::DemoBlock folder=folder.to_string() name=name /> }.into_any(),
        #[cfg(not(feature = "full"))]
        LessonBlock::Demo { name } => {
            let _ = folder;
            view! { <crate::handover::DemoSlot name=name /> }.into_any()
        }
    }
}
