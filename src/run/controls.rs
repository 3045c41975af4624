//! The run bar every demo and the playground share: Train (or Pause and Resume), Step,
//! Reset, the link to the run, the backend choice and the run's state in words.

use super::share::ShareLink;
use super::{Run, Status};
use aesop_progress::Backend;
use aesop_train::Job;
use leptos::prelude::*;

/// Train / Pause / Step / Reset, the device choice and the progress bar.
#[component]
pub fn RunControls(
    run: Run,
    #[prop(into)] job: Signal<Job>,
    #[prop(into, default = "Train".into())] start_label: String,
    /// False while a prediction is still owed: Train waits for it.
    #[prop(into, default = Signal::derive(|| true))]
    ready: Signal<bool>,
) -> impl IntoView {
    let status = run.status;
    let start_label2 = start_label.clone();
    let ready = move || ready.get();
    view! {
        <div class="run-controls">
            <div class="run-buttons">
                {move || match status.get() {
                    Status::Running | Status::Starting => view! { <button type="button" class="button" on:click=move |_| run.pause()>"Pause"</button> }.into_any(),
                    Status::Paused => view! { <button type="button" class="button primary" on:click=move |_| run.resume()>"Resume"</button> }.into_any(),
                    Status::Crashed(_) => view! {
                        <button type="button" class="button primary retry" on:click=move |_| run.start(job.get_untracked())>"Retry"</button>
                    }.into_any(),
                    _ => {
                        let label = start_label2.clone();
                        view! {
                            <button type="button" class="button primary" on:click=move |_| run.start(job.get_untracked()) disabled=move || !ready()>{label}</button>
                        }.into_any()
                    }
                }}
                <button type="button" class="button" on:click=move |_| run.step() disabled=move || !matches!(status.get(), Status::Running | Status::Paused)>"Step"</button>
                <button type="button" class="button" on:click=move |_| run.reset() disabled=move || status.get() == Status::Idle>"Reset"</button>
                <BackendChoice run=run restart=Callback::new(move |()| run.start(job.get_untracked())) />
                <label class="inline-check pace">
                    <input type="checkbox" prop:checked=move || run.watch.get() on:change=move |ev| run.watch.set(event_target_checked(&ev)) />
                    " Slow down to watch"
                </label>
            </div>
            <RunStatus run=run />
            {move || (!ready() && !run.busy()).then(|| view! { <p class="predict-first hint">"Commit to a prediction above, then train."</p> })}
            <progress class="run-progress" max=move || run.progress.get().1.max(1) value=move || run.progress.get().0 aria-label="Training progress"></progress>
            <ShareLink job=job />
        </div>
    }
}

/// The backend switch (fastest measured, CPU, GPU), kept with progress; a change during a run
/// restarts it through `restart` on the new backend.
#[component]
pub fn BackendChoice(run: Run, restart: Callback<()>) -> impl IntoView {
    view! {
        <label class="device-choice">
            "Backend "
            <select class="backend-choice" on:change=move |ev| {
                let choice = match event_target_value(&ev).as_str() { "cpu" => Backend::Cpu, "gpu" => Backend::Gpu, _ => Backend::Auto };
                run.set_backend(choice);
                if run.busy() { restart.run(()); }
            }>
                <option value="auto" selected=move || run.backend() == Backend::Auto>"Fastest here (measured)"</option>
                <option value="cpu" selected=move || run.backend() == Backend::Cpu>"CPU"</option>
                <option value="gpu" selected=move || run.backend() == Backend::Gpu>"GPU (WebGPU)"</option>
            </select>
        </label>
    }
}

/// Which backend trains and why, and what the run is doing, announced politely; `children`
/// adds a view's own lines.
#[component]
pub fn RunStatus(run: Run, #[prop(optional)] children: Option<Children>) -> impl IntoView {
    let status = run.status;
    view! {
        <div class="run-status" role="status" aria-live="polite">
            {move || run.device.get().map(|(label, note)| view! {
                <p class="device-label">{label}</p>
                {note.map(|n| view! { <p class="device-note">{n}</p> })}
            })}
            {move || match status.get() {
                Status::Starting => Some(view! { <p class="run-state">{move || run.stage.get().unwrap_or_else(|| "Starting the training worker…".into())}</p> }.into_any()),
                Status::Crashed(m) => Some(view! { <p class="run-alarm" role="alert">{m}</p> }.into_any()),
                Status::Done => Some(view! { <p class="run-state">"Done."</p> }.into_any()),
                Status::Paused => Some(view! { <p class="run-state">"Paused."</p> }.into_any()),
                Status::Alarm(m) => Some(view! { <p class="run-alarm" role="alert"><strong>"Stopped: "</strong>{m}</p> }.into_any()),
                Status::Error(m) => Some(view! { <p class="run-alarm" role="alert">{m}</p> }.into_any()),
                _ => None,
            }}
            {children.map(|c| c())}
        </div>
    }
}
