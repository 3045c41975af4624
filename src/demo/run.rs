//! One demo's run: what the worker has reported, and the controls every demo shares
//! (device, Train, Pause, Step, Reset, a progress bar).

use super::client::TrainClient;
use crate::progress::{use_progress, ProgressStore};
use aesop_train::{DevicePref, FromWorker, Job, Metrics, Snapshot, ToWorker, Wants};
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
    /// A race: each racer's path, and why a racer stopped early.
    pub paths: RwSignal<Vec<Vec<[f64; 3]>>>,
    pub stopped: RwSignal<Vec<Option<String>>>,
    /// Backprop: burn's autodiff gradients, in `backprop::PARAMS` order.
    pub gradients: RwSignal<Option<Vec<f64>>>,
    /// Counts runs that reached their end (done, or stopped by the NaN alarm).
    finishes: RwSignal<u32>,
    /// Latest decision regions: x range, y range, grid size, values.
    pub field: RwSignal<Option<([f32; 2], [f32; 2], usize, Vec<f32>)>>,
    /// Latest snapshot (regions, neurons, weights...), as the view's `wants` asked.
    pub snapshot: RwSignal<Option<Snapshot>>,
    /// What this view draws besides the numbers: the worker computes only that.
    wants: StoredValue<Wants>,
    pub progress: RwSignal<(usize, usize)>,
    client: StoredValue<Option<TrainClient>, LocalStorage>,
    last_job: StoredValue<Option<Job>>,
    /// Where a finished run is recorded for the lab's peer (`DemoBlock` provides it).
    record: StoredValue<Option<(ProgressStore, String)>, LocalStorage>,
}

/// What `DemoBlock` tells the views inside it: the demo's name (for shared links), the
/// progress key its runs are recorded under (`module/lesson-step/demo-name`), and whether a
/// shared link's run waits to start.
#[derive(Clone)]
pub struct DemoScope {
    pub name: String,
    pub record: Option<String>,
    pub autostart: StoredValue<bool>,
}

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
            paths: RwSignal::new(Vec::new()),
            stopped: RwSignal::new(Vec::new()),
            gradients: RwSignal::new(None),
            finishes: RwSignal::new(0),
            field: RwSignal::new(None),
            snapshot: RwSignal::new(None),
            wants: StoredValue::new(Wants::default()),
            progress: RwSignal::new((0, 0)),
            client: StoredValue::new_local(None),
            last_job: StoredValue::new(None),
            record: StoredValue::new_local(
                use_context::<DemoScope>()
                    .and_then(|k| k.record)
                    .map(|k| (use_progress(), k)),
            ),
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
            FromWorker::Path {
                points,
                total_steps,
            } => {
                self.progress
                    .set((points.len().saturating_sub(1), total_steps));
                self.path.set(points);
            }
            FromWorker::Paths {
                paths,
                stopped,
                total_steps,
            } => {
                self.progress.set((
                    paths
                        .iter()
                        .map(|p| p.len().saturating_sub(1))
                        .max()
                        .unwrap_or(0),
                    total_steps,
                ));
                self.paths.set(paths);
                self.stopped.set(stopped);
            }
            FromWorker::Gradients { values } => {
                self.gradients.set(Some(values));
                self.progress.set((1, 1));
            }
            FromWorker::Ready => {}
            FromWorker::Snapshot { snapshot } => {
                if let Some(r) = &snapshot.regions {
                    self.field.set(Some((r.x, r.y, r.n, r.values.clone())));
                }
                self.snapshot.set(Some(snapshot));
            }
            FromWorker::Paused => self.status.set(Status::Paused),
            FromWorker::Done { .. } => {
                self.status.set(Status::Done);
                self.remember(None);
                self.finishes.update(|n| *n += 1);
            }
            FromWorker::Alarm { message } => {
                self.remember(Some(&message));
                self.status.set(Status::Alarm(message));
                self.finishes.update(|n| *n += 1);
            }
            FromWorker::Error { message } => self.status.set(Status::Error(message)),
        }
    }

    /// Keeps a sentence about the run with the learner's progress (the lab quotes it).
    fn remember(&self, alarm: Option<&str>) {
        let (Some((store, key)), Some(job)) = (self.record.get_value(), self.last_job.get_value())
        else {
            return;
        };
        let last = self.history.with_untracked(|h| h.last().cloned());
        let end = self.path.with_untracked(|p| p.last().copied());
        let line = aesop_train::protocol::describe_run(&job, last.as_ref(), end, alarm);
        store.progress.update(|p| {
            p.demos.insert(key, line);
        });
    }

    /// Asks every later run for what this view draws (decision regions, neurons, weights).
    pub fn set_wants(self, wants: Wants) {
        self.wants.set_value(wants);
    }

    /// The job of the run under way or last finished.
    pub fn last_job(&self) -> Option<Job> {
        self.last_job.get_value()
    }

    /// Keeps a predict-then-run record with the learner's progress, under this demo's key and
    /// the preset's name.
    pub fn record_prediction(&self, preset: &str, record: aesop_progress::Prediction) {
        let Some((store, key)) = self.record.get_value() else {
            return;
        };
        store.progress.update(|p| {
            p.predictions.insert(format!("{key}/{preset}"), record);
        });
    }

    /// Calls `f` each time a run reaches its end, once per run.
    pub fn on_finish(self, f: impl Fn() + 'static) {
        let finishes = self.finishes;
        Effect::new(move |_| {
            if finishes.get() > 0 {
                untrack(&f);
            }
        });
    }

    /// Starts `job` once the view is on the page (a run opened from a shared link).
    pub fn start_when_shown(self, job: Signal<Job>) {
        request_animation_frame(move || self.start(job.get_untracked()));
    }

    pub fn start(self, job: Job) {
        if self.client.with_value(|c| c.is_none()) {
            match TrainClient::spawn(move |e| self.on_event(e)) {
                Ok(c) => self.client.set_value(Some(c)),
                Err(e) => {
                    return self.status.set(Status::Error(format!(
                        "The training worker could not start: {e}"
                    )))
                }
            }
        }
        self.clear();
        self.status.set(Status::Starting);
        self.last_job.set_value(Some(job.clone()));
        let device = self.pref.get_untracked();
        self.send(&ToWorker::Start {
            job,
            device,
            profile: false,
            wants: self.wants.get_value(),
        });
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
        self.clear();
        self.status.set(Status::Idle);
    }

    fn clear(self) {
        self.history.set(Vec::new());
        self.path.set(Vec::new());
        self.paths.set(Vec::new());
        self.stopped.set(Vec::new());
        self.gradients.set(None);
        self.field.set(None);
        self.snapshot.set(None);
        self.progress.set((0, 0));
    }

    pub fn busy(self) -> bool {
        matches!(
            self.status.get(),
            Status::Starting | Status::Running | Status::Paused
        )
    }
}

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
    // A run opened from a shared link starts by itself, once.
    if let Some(scope) = use_context::<DemoScope>() {
        if scope.autostart.get_value() {
            scope.autostart.set_value(false);
            run.start_when_shown(job);
        }
    }
    let start_label2 = start_label.clone();
    let ready = move || ready.get();
    view! {
        <div class="run-controls">
            <div class="run-buttons">
                {move || match status.get() {
                    Status::Running | Status::Starting => view! { <button type="button" class="button" on:click=move |_| run.pause()>"Pause"</button> }.into_any(),
                    Status::Paused => view! { <button type="button" class="button primary" on:click=move |_| run.resume()>"Resume"</button> }.into_any(),
                    _ => {
                        let label = start_label2.clone();
                        view! {
                            <button type="button" class="button primary" on:click=move |_| run.start(job.get_untracked()) disabled=move || !ready()>{label}</button>
                        }.into_any()
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
            {move || (!ready() && !run.busy()).then(|| view! { <p class="predict-first hint">"Commit to a prediction above, then train."</p> })}
            <progress class="run-progress" max=move || run.progress.get().1.max(1) value=move || run.progress.get().0 aria-label="Training progress"></progress>
            <super::share::ShareLink job=job />
        </div>
    }
}
