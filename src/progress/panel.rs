//! The learner's own copy of their progress: export to a file, import one back (checked
//! first; a bad file changes nothing), or start over.

use super::use_progress;
use aesop_progress::{encode, import, Progress};
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
        leptos::task::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|t| t.as_string())
                .unwrap_or_default();
            match import(&text) {
                Err(why) => message.set(Some((
                    false,
                    format!("That file was not imported: {why}. Nothing changed."),
                ))),
                Ok(progress) => {
                    if window()
                        .confirm_with_message(
                            "Replace your current progress with the imported file?",
                        )
                        .unwrap_or(false)
                    {
                        store.progress.set(progress);
                        message.set(Some((true, "Progress imported.".into())));
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
