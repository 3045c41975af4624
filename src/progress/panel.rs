//! The learner's own copy of their progress: export to a file, import one back (checked
//! first: a bad or oversized file changes nothing; records that do not read are left out
//! and named), or start over. The full app's: the reader shows the panel's place and brings
//! the full app in as it nears the screen, as it does for a demo.

#[cfg(feature = "full")]
pub use full::ProgressPanel;

#[cfg(not(feature = "full"))]
#[leptos::component]
pub fn ProgressPanel() -> impl leptos::IntoView {
    use leptos::prelude::*;
    let section = NodeRef::<leptos::html::Section>::new();
    section.on_load(|el| crate::visible::when_visible(&el, 1.0, crate::handover::load_full));
    // The same text and layout as the full app's panel, so the handover does not move it.
    view! {
        <section class="progress-panel" aria-labelledby="progress-title" node_ref=section>
            <h2 id="progress-title">"Your progress"</h2>
            <p class="settings-note">"Kept in this browser. Save a copy to move it to another device."</p>
            <div class="quiz-actions">
                <button type="button" class="button" disabled>"Export progress"</button>
                <button type="button" class="button" disabled>"Import progress…"</button>
                <button type="button" class="button" disabled>"Reset progress"</button>
            </div>
            <div class="progress-message">{crate::handover::waiting("progress tools", "settings-note")}</div>
        </section>
    }
}

#[cfg(feature = "full")]
mod full {
    use crate::progress::use_progress;
    use aesop_progress::{encode, import, too_large, Progress, MAX_IMPORT_BYTES};
    use leptos::prelude::*;

    #[component]
    pub fn ProgressPanel() -> impl IntoView {
        let store = use_progress();
        let message = RwSignal::new(None::<(bool, String)>);
        let export = move |_| {
            crate::download::download(
                "aesop-progress.json",
                "application/json",
                &store.progress.with_untracked(encode),
            );
            message.set(Some((
                true,
                "Progress exported to aesop-progress.json.".into(),
            )));
        };
        let on_file = move |ev: leptos::ev::Event| {
            let input: web_sys::HtmlInputElement = event_target(&ev);
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            let refuse = move |why: String| {
                message.set(Some((
                    false,
                    format!("That file was not imported: {why}. Nothing changed."),
                )))
            };
            // Refused by its size, before a byte of it is read.
            if file.size() > MAX_IMPORT_BYTES as f64 {
                return refuse(too_large(file.size() as usize));
            }
            leptos::task::spawn_local(async move {
                let text = wasm_bindgen_futures::JsFuture::from(file.text())
                    .await
                    .ok()
                    .and_then(|t| t.as_string())
                    .unwrap_or_default();
                match import(&text) {
                    Err(why) => refuse(why),
                    Ok(loaded) => {
                        if window()
                            .confirm_with_message(
                                "Replace your current progress with the imported file?",
                            )
                            .unwrap_or(false)
                        {
                            store.progress.set(loaded.progress);
                            message.set(Some((
                                true,
                                match loaded.problem {
                                    None => "Progress imported.".into(),
                                    Some(problem) => {
                                        format!("Progress imported, except: {problem}.")
                                    }
                                },
                            )));
                        }
                    }
                }
            });
        };
        let reset = move |_| {
            if window()
            .confirm_with_message(
                "Reset all progress: quiz scores, answers and lab chats? This cannot be undone.",
            )
            .unwrap_or(false)
        {
            store.progress.set(Progress::default());
            message.set(Some((true, "Progress reset.".into())));
        }
        };
        view! {
            <section class="progress-panel" aria-labelledby="progress-title">
                <h2 id="progress-title">"Your progress"</h2>
                <p class="settings-note">"Kept in this browser. Save a copy to move it to another device."</p>
                <div class="quiz-actions">
                    <button type="button" class="button" on:click=export>"Export progress"</button>
                    <label class="button" for="import-progress">"Import progress…"</label>
                    <input id="import-progress" class="visually-hidden" type="file" accept=".json,application/json" on:change=on_file />
                    <button type="button" class="button" on:click=reset>"Reset progress"</button>
                </div>
                <p class="progress-message" role="status">{move || message.get().map(|(ok, text)| view! { <span class:error=!ok>{text}</span> })}</p>
            </section>
        }
    }
}
