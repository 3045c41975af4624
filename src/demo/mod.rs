//! Live demos placed in lessons by `:::demo <name>`. The demo file is fetched and validated
//! when the lesson shows it; the training worker only when the learner starts a run.

mod predict;
mod views;

pub use crate::run::LessonKey;
use crate::run::{share, DemoScope};

use aesop_course::demo::{self, DemoView, Preset};
use leptos::context::Provider;
use leptos::prelude::*;

#[component]
pub fn DemoBlock(folder: String, name: String) -> impl IntoView {
    let path = demo::path(&folder, &name);
    // Runs are recorded under the lesson's key (LessonPage provides it) and this demo's name;
    // a Provider scopes the key to this demo alone.
    let scope = DemoScope {
        name: name.clone(),
        record: use_context::<LessonKey>().map(|LessonKey(lesson)| format!("{lesson}/{name}")),
    };
    let shared = share::shared_run(&name);
    let section = NodeRef::<leptos::html::Section>::new();
    let early = name.clone();
    let loaded = LocalResource::new({
        let path = path.clone();
        move || {
            let path = path.clone();
            async move {
                // boot.js started this fetch when the reader's slot for the demo came near.
                let text = crate::content::fetch_text(&path)
                    .await
                    .map_err(|e| format!("{path} could not be fetched: {e}"))?;
                demo::parse(&path, &text).map_err(|e| e.to_string())
            }
        }
    });
    view! {
        <Provider value=scope>
        <section class="demo" data-demo=name.clone() aria-label=format!("Demo: {name}") node_ref=section>
            {move || match loaded.get() {
                None => view! { <p class="demo-loading">"Loading the demo…"</p> }.into_any(),
                Some(Err(problem)) => {
                    crate::run::discard_early(&early);
                    view! { <p class="content-warning demo-error" role="alert">{format!("This demo could not be shown: {problem}")}</p> }.into_any()
                }
                Some(Ok(mut d)) => {
                    // A shared link's run becomes this demo's first preset, and starts.
                    let mut problem = None;
                    match shared.clone().map(|r| r.and_then(|job| d.check_job(&job).map(|()| job))) {
                        Some(Ok(job)) => {
                            // Selected, not started: a link must not start a long job by itself.
                            d.presets.insert(0, Preset { name: "shared".into(), label: "Shared run".into(), note: "This run came from a link: the same settings and seed as when it was shared, so it reproduces the same numbers. Press Train to run it.".into(), after: String::new(), job });
                            request_animation_frame(move || {
                                if let Some(el) = section.try_get_untracked().flatten() {
                                    el.scroll_into_view();
                                }
                            });
                        }
                        Some(Err(e)) => problem = Some(format!("The shared run in this link could not be used: {e}. The demo's own presets are below.")),
                        None => {}
                    }
                    let body = match d.view {
                        DemoView::LossExplorer => view! { <views::LossExplorer /> }.into_any(),
                        DemoView::OutputGradient => view! { <views::OutputGradient /> }.into_any(),
                        DemoView::ActivationGallery => view! { <views::ActivationGallery /> }.into_any(),
                        DemoView::Curves => view! { <views::Curves demo=d.clone() /> }.into_any(),
                        DemoView::Imbalance => view! { <views::Imbalance demo=d.clone() /> }.into_any(),
                        DemoView::Landscape => view! { <views::Landscape demo=d.clone() /> }.into_any(),
                        DemoView::Backprop => view! { <views::Backprop demo=d.clone() /> }.into_any(),
                        DemoView::GradientMonitor => view! { <views::GradientMonitor demo=d.clone() /> }.into_any(),
                        DemoView::Compare => view! { <views::Compare demo=d.clone() /> }.into_any(),
                        DemoView::Race => view! { <views::Race demo=d.clone() /> }.into_any(),
                        DemoView::Crossover => view! { <views::Crossover demo=d.clone() /> }.into_any(),
                        DemoView::Playground => view! { <crate::playground::Playground demo=d.clone() /> }.into_any(),
                    };
                    view! {
                        <p class="demo-kicker">"Try it"</p>
                        <h3 class="demo-title">{d.title.clone()}</h3>
                        <p class="demo-intro">{d.intro.clone()}</p>
                        {problem.map(|p| view! { <p class="content-warning shared-problem" role="alert">{p}</p> })}
                        {body}
                    }
                    .into_any()
                }
            }}
        </section>
        </Provider>
    }
}
