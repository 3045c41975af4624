//! Live demos placed in lessons by `:::demo <name>`. The demo file is fetched and validated
//! when the lesson shows it; the training worker only when the learner starts a run.

mod client;
pub mod plot;
mod run;

pub use run::LessonKey;
use run::RecordKey;
mod views;

use aesop_course::demo::{self, DemoView};
use leptos::context::Provider;
use leptos::prelude::*;

#[component]
pub fn DemoBlock(folder: String, name: String) -> impl IntoView {
    let path = demo::path(&folder, &name);
    // Runs are recorded under the lesson's key (LessonPage provides it) and this demo's name;
    // a Provider scopes the key to this demo alone.
    let record = RecordKey(use_context::<LessonKey>().map(|LessonKey(lesson)| format!("{lesson}/{name}")));
    let loaded = LocalResource::new({
        let path = path.clone();
        move || {
            let path = path.clone();
            async move {
                let url = format!("content/{path}");
                let response = gloo_net::http::Request::get(&url).send().await.map_err(|e| format!("{path}: could not be fetched: {e}"))?;
                if !response.ok() {
                    return Err(format!("{path}: could not be fetched (HTTP {})", response.status()));
                }
                let text = response.text().await.map_err(|e| format!("{path}: {e}"))?;
                demo::parse(&path, &text).map_err(|e| e.to_string())
            }
        }
    });
    view! {
        <Provider value=record>
        <section class="demo" data-demo=name.clone() aria-label=format!("Demo: {name}")>
            {move || match loaded.get() {
                None => view! { <p class="demo-loading">"Loading the demo…"</p> }.into_any(),
                Some(Err(problem)) => view! { <p class="content-warning demo-error" role="alert">{format!("This demo could not be shown: {problem}")}</p> }.into_any(),
                Some(Ok(d)) => {
                    let body = match d.view {
                        DemoView::LossExplorer => view! { <views::LossExplorer /> }.into_any(),
                        DemoView::Curves => view! { <views::Curves demo=d.clone() /> }.into_any(),
                        DemoView::Imbalance => view! { <views::Imbalance demo=d.clone() /> }.into_any(),
                        DemoView::Landscape => view! { <views::Landscape demo=d.clone() /> }.into_any(),
                    };
                    view! {
                        <p class="demo-kicker">"Try it"</p>
                        <h3 class="demo-title">{d.title.clone()}</h3>
                        <p class="demo-intro">{d.intro.clone()}</p>
                        {body}
                    }
                    .into_any()
                }
            }}
        </section>
        </Provider>
    }
}
