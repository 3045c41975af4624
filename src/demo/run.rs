//! One demo's run: what the worker has reported, and the controls every demo shares
//! (device, Train, Pause, Step, Reset, a progress bar).

use super::client::TrainClient;
use crate::progress::{use_progress, ProgressStore};
use aesop_train::{DevicePref, FromWorker, Job, Metrics, ToWorker};
use leptos::prelude::*;

#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    Idle,
    Starting,
    Running,
    Paused,
    Done,
    /// NaN/Inf: the run stopped, with the explanation.
    Alarm(String),
    Error(String),
}

#[derive(Clone, Copy)]
pub struct Run {
    pub status: RwSignal<Status>,
    pub device: RwSignal<Option<(String, Option<String>)>>,
    pub pref: RwSignal<DevicePref>,
    pub history: RwSignal<Vec<Metrics>>,
    pub path: RwSignal<Vec<[f64; 3]>>,
    /// Latest decision regions: x range, y range, grid size, values.
    pub field: RwSignal<Option<([f32; 2], [f32; 2], usize, Vec<f32>)>>,
    pub progress: RwSignal<(usize, usize)>,
    client: StoredValue<Option<TrainClient>, LocalStorage>,
    last_job: StoredValue<Option<Job>>,
    /// Where a finished run is recorded for the lab's peer (`DemoBlock` provides it).
    record: StoredValue<Option<(ProgressStore, String)>, LocalStorage>,
}

/// The progress key a demo records its last run under: `module/lesson-step/demo-name`.
#[derive(Clone)]
pub struct RecordKey(pub Option<String>);

/// The lesson step's key, provided by the lesson page.
#[derive(Clone)]
pub struct LessonKey(pub String);

impl Run {
    pub fn new() -> Self {
        let run = Run {
            status: RwSignal::new(Status::Idle),
            device: RwSignal::new(None),
            pref: RwSignal::new(DevicePref::Auto),
            history: RwSignal::new(Vec::new()),
            path: RwSignal::new(Vec::new()),
            field: RwSignal::new(None),
            progress: RwSignal::new((0, 0)),
            client: StoredValue::new_local(None),
            last_job: StoredValue::new(None),
            record: StoredValue::new_local(use_context::<RecordKey>().and_then(|k| k.0).map(|k| (use_progress(), k))),
        };
        // Leaving the page ends the worker (and its GPU memory) with it.
        on_cleanup(move || run.client.update_value(|c| *c = None));
        run
    }

    fn on_event(self, event: FromWorker) {
        // After Reset, reports already on their way from the worker are stale.
        if self.status.get_untracked() == Status::Idle {
            return;
        }
        match event {
            FromWorker::Device { label, note, .. } => {
                self.device.set(Some((label, note)));
                // A Pause pressed while the worker was starting still holds.
                if self.status.get_untracked() == Status::Starting {
                    self.status.set(Status::Running);
                }
            }
            FromWorker::Metrics { metrics } => {
                self.progress.set((metrics.step, metrics.total_steps));
                self.history.update(|h| h.push(metrics));
            }
            FromWorker::Path { points, total_steps } => {
                self.progress.set((points.len().saturating_sub(1), total_steps));
                self.path.set(points);
            }
            FromWorker::Ready => {}
            FromWorker::Field { x, y, n, values } => self.field.set(Some((x, y, n, values))),
            FromWorker::Paused => self.status.set(Status::Paused),
            FromWorker::Done => {
                self.status.set(Status::Done);
                self.remember(None);
            }
            FromWorker::Alarm { message } => {
                self.remember(Some(&message));
                self.status.set(Status::Alarm(message));
            }
            FromWorker::Error { message } => self.status.set(Status::Error(message)),
        }
    }

    /// Keeps a sentence about the run with the learner's progress (the lab quotes it).
    fn remember(&self, alarm: Option<&str>) {
        let (Some((store, key)), Some(job)) = (self.record.get_value(), self.last_job.get_value()) else { return };
        let last = self.history.with_untracked(|h| h.last().cloned());
        let end = self.path.with_untracked(|p| p.last().copied());
        let line = aesop_train::protocol::describe_run(&job, last.as_ref(), end, alarm);
        store.progress.update(|p| {
            p.demos.insert(key, line);
        });
    }

    pub fn start(self, job: Job) {
        if self.client.with_value(|c| c.is_none()) {
            match TrainClient::spawn(move |e| self.on_event(e)) {
                Ok(c) => self.client.set_value(Some(c)),
                Err(e) => return self.status.set(Status::Error(format!("The training worker could not start: {e}"))),
            }
        }
        self.history.set(Vec::new());
        self.path.set(Vec::new());
        self.field.set(None);
        self.progress.set((0, 0));
        self.status.set(Status::Starting);
        self.last_job.set_value(Some(job.clone()));
        let device = self.pref.get_untracked();
        self.send(&ToWorker::Start { job, device });
    }

    pub fn send(self, command: &ToWorker) {
        self.client.with_value(|c| {
            if let Some(c) = c {
                c.send(command)
            }
        });
    }

    pub fn pause(self) {
        self.send(&ToWorker::Pause);
        self.status.set(Status::Paused);
    }
    pub fn resume(self) {
        self.send(&ToWorker::Resume);
        self.status.set(Status::Running);
    }
    pub fn step(self) {
        self.send(&ToWorker::Step);
        self.status.set(Status::Paused);
    }
    pub fn reset(self) {
        self.send(&ToWorker::Reset);
        self.history.set(Vec::new());
        self.path.set(Vec::new());
        self.progress.set((0, 0));
        self.status.set(Status::Idle);
    }

    pub fn busy(self) -> bool {
        matches!(self.status.get(), Status::Starting | Status::Running | Status::Paused)
    }
}

/// Train / Pause / Step / Reset, the device choice and the progress bar.
#[component]
pub fn RunControls(run: Run, #[prop(into)] job: Signal<Job>, #[prop(into, default = "Train".into())] start_label: String) -> impl IntoView {
    let status = run.status;
    let start_label2 = start_label.clone();
    view! {
        <div class="run-controls">
            <div class="run-buttons">
                {move || match status.get() {
                    Status::Running | Status::Starting => view! { <button type="button" class="button" on:click=move |_| run.pause()>"Pause"</button> }.into_any(),
                    Status::Paused => view! { <button type="button" class="button primary" on:click=move |_| run.resume()>"Resume"</button> }.into_any(),
                    _ => {
                        let label = start_label2.clone();
                        view! { <button type="button" class="button primary" on:click=move |_| run.start(job.get_untracked())>{label}</button> }.into_any()
                    }
                }}
                <button type="button" class="button" on:click=move |_| run.step() disabled=move || !matches!(status.get(), Status::Running | Status::Paused)>"Step"</button>
                <button type="button" class="button" on:click=move |_| run.reset() disabled=move || status.get() == Status::Idle>"Reset"</button>
                <label class="device-choice">
                    "Device "
                    <select on:change=move |ev| {
                        run.pref.set(match event_target_value(&ev).as_str() { "cpu" => DevicePref::Cpu, _ => DevicePref::Auto });
                        if run.busy() { run.start(job.get_untracked()); }
                    }>
                        <option value="auto" selected=move || run.pref.get() == DevicePref::Auto>"GPU when available"</option>
                        <option value="cpu" selected=move || run.pref.get() == DevicePref::Cpu>"CPU"</option>
                    </select>
                </label>
            </div>
            <div class="run-status" role="status" aria-live="polite">
                {move || run.device.get().map(|(label, note)| view! {
                    <p class="device-label">{label}</p>
                    {note.map(|n| view! { <p class="device-note">{n}</p> })}
                })}
                {move || match status.get() {
                    Status::Starting => Some(view! { <p class="run-state">"Starting the training worker…"</p> }.into_any()),
                    Status::Done => Some(view! { <p class="run-state">"Done."</p> }.into_any()),
                    Status::Paused => Some(view! { <p class="run-state">"Paused."</p> }.into_any()),
                    Status::Alarm(m) => Some(view! { <p class="run-alarm" role="alert"><strong>"Stopped: "</strong>{m}</p> }.into_any()),
                    Status::Error(m) => Some(view! { <p class="run-alarm" role="alert">{m}</p> }.into_any()),
                    _ => None,
                }}
            </div>
            <progress class="run-progress" max=move || run.progress.get().1.max(1) value=move || run.progress.get().0 aria-label="Training progress"></progress>
        </div>
    }
}
