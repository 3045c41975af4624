//! One run of a demo or the playground: starting it on the engine `backend::route` picks,
//! the worker's reports paced for watching, and the state the views draw. The worker clients
//! (`client`), the kept runs (`kept`), links to a run (`share`) and the run bar (`controls`)
//! live beside it.

mod calibrations;
pub(crate) mod client;
mod controls;
mod kept;
pub(crate) mod share;

pub use controls::{BackendChoice, RunControls, RunStatus};

use crate::progress::{use_progress, ProgressStore};
use aesop_course::demo::Preset;
use aesop_progress::Backend;
use aesop_train::backend::{self, Adapter, Engine, Measure};
use aesop_train::{DevicePref, FromWorker, Job, Metrics, Snapshot, ToWorker, Wants};
use client::TrainClient;
use kept::KeptRun;
use leptos::prelude::*;
use std::collections::HashSet;
use wasm_bindgen::JsCast;

/// After the page's first trained demo, the service worker may fetch the offline copy
/// (boot.js, `aesopPrecache`): the learner is no longer waiting on the network.
fn precache_once() {
    thread_local!(static ASKED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) });
    if ASKED.with(|a| a.replace(true)) {
        return;
    }
    let precache = js_sys::Reflect::get(&js_sys::global(), &"aesopPrecache".into());
    if let Ok(f) = precache.and_then(|f| f.dyn_into::<js_sys::Function>()) {
        let _ = f.call0(&wasm_bindgen::JsValue::NULL);
    }
}

/// The reader's run of demo `name`, begun before the full app arrived (assets/early-demo.js,
/// on `window.aesopEarlyRuns`), if there is one. Either way the demo's slot is closed to the
/// reader from now on: a Train pressed there during the handover would start a run no one sees.
fn take_early(name: &str) -> Option<wasm_bindgen::JsValue> {
    use wasm_bindgen::JsValue;
    let window: JsValue = web_sys::window()?.into();
    let key = JsValue::from_str("aesopEarlyRuns");
    let runs = js_sys::Reflect::get(&window, &key)
        .ok()
        .filter(|r| r.is_object())
        .unwrap_or_else(|| {
            let runs: JsValue = js_sys::Object::new().into();
            let _ = js_sys::Reflect::set(&window, &key, &runs);
            runs
        });
    let name = JsValue::from_str(name);
    let early = js_sys::Reflect::get(&runs, &name)
        .ok()
        .filter(|r| r.is_object());
    let _ = js_sys::Reflect::set(&runs, &name, &JsValue::NULL);
    early
}

/// Ends the reader's early run of a demo the full app cannot show (its file is broken).
pub(crate) fn discard_early(name: &str) {
    let worker = take_early(name)
        .and_then(|run| js_sys::Reflect::get(&run, &"worker".into()).ok())
        .and_then(|w| w.dyn_into::<web_sys::Worker>().ok());
    if let Some(worker) = worker {
        worker.terminate();
    }
}

/// One crossover size timed on one backend.
#[derive(Clone, Debug, PartialEq)]
pub struct Timing {
    pub index: usize,
    pub gpu: bool,
    pub ms_per_step: Option<f64>,
    pub note: Option<String>,
}

thread_local! {
    /// Why the GPU is no longer used on this page: a worker crashed while it trained there.
    /// Later workers hear it and keep to the CPU.
    static GPU_FAILED: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

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
    /// The worker could not start or crashed; Retry starts a fresh one.
    Crashed(String),
}

#[derive(Clone, Copy)]
pub struct Run {
    pub status: RwSignal<Status>,
    pub device: RwSignal<Option<(String, Option<String>)>>,
    /// Whether the run under way trains on the GPU.
    pub on_gpu: RwSignal<bool>,
    /// A slow step before training, named (the GPU's first compile).
    pub stage: RwSignal<Option<String>>,
    /// Crossover: each size's time per step on each backend, as it arrives.
    pub timings: RwSignal<Vec<Timing>>,
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
    /// The demo's two workers (`backend::Engine`): the CPU one, and the GPU one where this
    /// page found an adapter. Each starts on first need and ends with the demo.
    cpu: StoredValue<Option<TrainClient>, LocalStorage>,
    gpu: StoredValue<Option<TrainClient>, LocalStorage>,
    /// The worker the run under way was sent to; the other's run reports are stale.
    engine: StoredValue<Engine>,
    /// Calibration keys whose kernels the GPU worker has compiled (it said so).
    warm: StoredValue<HashSet<String>>,
    /// Counts starts and resets: a start still waiting for the adapter check gives up when
    /// another has come since.
    starts: StoredValue<u64>,
    last_job: StoredValue<Option<Job>>,
    /// Where a finished run is recorded for the lab's peer (`DemoBlock` provides it).
    record: StoredValue<Option<(ProgressStore, String)>, LocalStorage>,
    /// The learner's progress, where the backend switch is kept.
    store: StoredValue<Option<ProgressStore>, LocalStorage>,
    /// "Slow down to watch": reports are shown at a pace a person can follow, not as fast
    /// as a small network trains (most lesson demos finish within a second).
    pub watch: RwSignal<bool>,
    /// Reports received and not yet shown, in order, while watching.
    queue: StoredValue<std::collections::VecDeque<FromWorker>, LocalStorage>,
    draining: StoredValue<bool>,
    /// Frames that Step lets through while paused (the rest of the queue waits for Resume).
    stepped: StoredValue<usize>,
    /// When the last frame was shown (ms): reports that come faster than a tick apart wait.
    shown_at: StoredValue<f64>,
}

/// How often a watched run shows its next report.
const TICK: std::time::Duration = std::time::Duration::from_millis(60);
/// A watched run's reports are spread over at most about this many ticks (some 2.4 s), so a
/// long run is not slowed past patience.
const WATCH_TICKS: usize = 40;

/// What `DemoBlock` tells the views inside it: the demo's name (for shared links) and the
/// progress key its runs are recorded under (`module/lesson-step/demo-name`).
#[derive(Clone)]
pub struct DemoScope {
    pub name: String,
    pub record: Option<String>,
}

/// The lesson step's key, provided by the lesson page.
#[derive(Clone)]
pub struct LessonKey(pub String);

impl Run {
    pub fn new() -> Self {
        let run = Run {
            status: RwSignal::new(Status::Idle),
            device: RwSignal::new(None),
            on_gpu: RwSignal::new(false),
            stage: RwSignal::new(None),
            timings: RwSignal::new(Vec::new()),
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
            cpu: StoredValue::new_local(None),
            gpu: StoredValue::new_local(None),
            engine: StoredValue::new(Engine::Cpu),
            warm: StoredValue::new(HashSet::new()),
            starts: StoredValue::new(0),
            last_job: StoredValue::new(None),
            record: StoredValue::new_local(
                use_context::<DemoScope>()
                    .and_then(|k| k.record)
                    .map(|k| (use_progress(), k)),
            ),
            store: StoredValue::new_local(use_context::<ProgressStore>()),
            watch: RwSignal::new(true),
            queue: StoredValue::new_local(Default::default()),
            draining: StoredValue::new(false),
            stepped: StoredValue::new(0),
            shown_at: StoredValue::new(f64::MIN),
        };
        // Leaving the page ends the workers (and GPU memory) with it.
        on_cleanup(move || {
            run.cpu.update_value(|c| *c = None);
            run.gpu.update_value(|c| *c = None);
        });
        // Every demo starts on the CPU engine: fetch and compile it before Train is pressed.
        client::prefetch(Engine::Cpu);
        run
    }

    fn clients(self, engine: Engine) -> StoredValue<Option<TrainClient>, LocalStorage> {
        match engine {
            Engine::Cpu => self.cpu,
            Engine::Gpu => self.gpu,
        }
    }

    /// Ends `engine`'s worker (after the event being handled, whose closures are running).
    fn drop_worker(self, engine: Engine) {
        if engine == Engine::Gpu {
            self.warm.update_value(|w| w.clear());
        }
        set_timeout(
            move || {
                let _ = self.clients(engine).try_update_value(|c| *c = None);
            },
            std::time::Duration::ZERO,
        );
    }

    fn on_event(self, from: Engine, event: FromWorker) {
        // A worker's message (or a failed engine load) may come after the demo has left.
        let Some(status) = self.status.try_get_untracked() else {
            return;
        };
        let active = self.engine.get_value() == from;
        match event {
            FromWorker::Crashed { message } if active => return self.crashed(message),
            FromWorker::Crashed { message } => {
                // The GPU worker, measuring in the background: the page keeps to the CPU.
                if from == Engine::Gpu {
                    GPU_FAILED.with(|g| {
                        *g.borrow_mut() = Some(format!("the GPU failed on this page ({message})"))
                    });
                }
                return self.drop_worker(from);
            }
            FromWorker::Warmed { key } => {
                return self.warm.update_value(|w| {
                    w.insert(key);
                })
            }
            FromWorker::NoGpu { why } => {
                GPU_FAILED.with(|g| *g.borrow_mut() = Some(why.clone()));
                self.drop_worker(Engine::Gpu);
                if status != Status::Idle && !self.on_gpu.get_untracked() {
                    self.device.update(|d| {
                        if let Some((_, n)) = d {
                            *n = Some(format!("The CPU: {why}, so this page keeps to the CPU."));
                        }
                    });
                }
                return;
            }
            FromWorker::Calibrated {
                key,
                calibration,
                note,
            } => {
                calibrations::remember(key.clone(), calibration);
                if from == Engine::Gpu {
                    self.warm.update_value(|w| {
                        w.insert(key);
                    });
                }
                if status != Status::Idle && !self.on_gpu.get_untracked() {
                    self.device.update(|d| {
                        if let Some((_, n)) = d {
                            *n = Some(note);
                        }
                    });
                }
                return;
            }
            // Reports of a run this demo has since sent to the other worker.
            _ if !active => return,
            _ => {}
        }
        // After Reset, reports already on their way from the worker are stale.
        if status == Status::Idle {
            return;
        }
        let paced = matches!(
            event,
            FromWorker::Metrics { .. }
                | FromWorker::Path { .. }
                | FromWorker::Paths { .. }
                | FromWorker::Snapshot { .. }
                | FromWorker::Done { .. }
                | FromWorker::Alarm { .. }
        );
        if paced && (self.watch.get_untracked() || self.queue.with_value(|q| !q.is_empty())) {
            self.queue.update_value(|q| q.push_back(event));
            if !self.draining.get_value() {
                self.draining.set_value(true);
                let since = js_sys::Date::now() - self.shown_at.get_value();
                let wait = (TICK.as_millis() as f64 - since).max(0.0);
                set_timeout(
                    move || self.drain(),
                    std::time::Duration::from_millis(wait as u64),
                );
            }
            return;
        }
        self.apply(event);
    }

    /// A report counts as one frame of the animation; the snapshot that comes with it, and the
    /// run's end, follow without a tick of their own.
    fn shows_a_frame(event: &FromWorker) -> bool {
        matches!(
            event,
            FromWorker::Metrics { .. } | FromWorker::Path { .. } | FromWorker::Paths { .. }
        )
    }

    /// The report of the untrained network (step 0), and what comes with it: not progress,
    /// so it shows even while paused (a run paused as it starts still shows where it starts,
    /// and its first Step moves it on).
    fn show_the_start(self) {
        let at_start = |e: &FromWorker| match e {
            FromWorker::Metrics { metrics } => metrics.step == 0,
            FromWorker::Path { points, .. } => points.len() <= 1,
            FromWorker::Paths { paths, .. } => paths.iter().all(|p| p.len() <= 1),
            _ => false,
        };
        let mut shown = false;
        while let Some(event) = self
            .queue
            .try_update_value(|q| {
                let next = q.front()?;
                let take = at_start(next) || (shown && !Self::shows_a_frame(next));
                take.then(|| q.pop_front()).flatten()
            })
            .flatten()
        {
            shown |= Self::shows_a_frame(&event);
            self.apply(event);
        }
    }

    /// Shows the next queued report(s), then comes back a tick later while any are left. A
    /// report that arrives a tick or more after the last one shown goes straight on.
    fn drain(self) {
        // The timer may fire after the demo has left the page (its signals disposed).
        let Some(status) = self.status.try_get_untracked() else {
            return;
        };
        if status == Status::Idle {
            self.queue.update_value(|q| q.clear());
            self.draining.set_value(false);
            return;
        }
        // Paused: the reports sent before the pause wait for Resume, so nothing moves on
        // screen while paused, except the one frame each Step asks for.
        let paused = status == Status::Paused;
        if paused && self.stepped.get_value() == 0 {
            self.show_the_start();
            self.draining.set_value(false);
            return;
        }
        let frames = self
            .queue
            .with_value(|q| q.iter().filter(|e| Self::shows_a_frame(e)).count());
        // Catch up when the queue is long, so the replay stays within WATCH_TICKS.
        let mut budget = if paused { 1 } else { 1 + frames / WATCH_TICKS };
        while let Some(event) = self.queue.try_update_value(|q| q.pop_front()).flatten() {
            let frame = Self::shows_a_frame(&event);
            self.apply(event);
            if frame {
                if paused {
                    self.stepped.update_value(|n| *n = n.saturating_sub(1));
                }
                budget -= 1;
                if budget == 0 {
                    break;
                }
            }
        }
        // What follows the last frame (its snapshot, the end) goes with it.
        while self
            .queue
            .with_value(|q| q.front().is_some_and(|e| !Self::shows_a_frame(e)))
        {
            if let Some(event) = self.queue.try_update_value(|q| q.pop_front()).flatten() {
                self.apply(event);
            }
        }
        self.shown_at.set_value(js_sys::Date::now());
        if self.queue.with_value(|q| q.is_empty()) {
            self.draining.set_value(false);
        } else {
            set_timeout(move || self.drain(), TICK);
        }
    }

    fn apply(self, event: FromWorker) {
        match event {
            FromWorker::Crashed { .. } => unreachable!("handled above"),
            FromWorker::Device { label, note, gpu } => {
                self.stage.set(None);
                self.on_gpu.set(gpu);
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
                precache_once();
                self.status.set(Status::Done);
                self.remember(None);
                self.keep(None);
                self.finishes.update(|n| *n += 1);
            }
            FromWorker::Alarm { message } => {
                self.remember(Some(&message));
                self.keep(Some(message.clone()));
                self.status.set(Status::Alarm(message));
                self.finishes.update(|n| *n += 1);
            }
            FromWorker::Error { message } => self.status.set(Status::Error(message)),
            FromWorker::Calibrated { .. }
            | FromWorker::Warmed { .. }
            | FromWorker::NoGpu { .. } => {
                unreachable!("handled in on_event")
            }
            FromWorker::Stage { message } => self.stage.set(Some(message)),
            FromWorker::Timing {
                index,
                gpu,
                ms_per_step,
                note,
            } => {
                self.timings.update(|t| {
                    t.push(Timing {
                        index,
                        gpu,
                        ms_per_step,
                        note,
                    })
                });
                if let Some(Job::Crossover(c)) = self.last_job.get_value() {
                    let done = self.timings.with_untracked(|t| t.len());
                    self.progress.set((done, 2 * c.sizes.len()));
                }
            }
        }
    }

    /// The worker is gone (its wasm never started, or it panicked and trapped): it is
    /// replaced on the next start. A crash on the GPU restarts the run on the CPU at once;
    /// anything else says what happened and offers a retry.
    fn crashed(self, message: String) {
        self.drop_worker(self.engine.get_value());
        if self.status.get_untracked() == Status::Idle {
            return;
        }
        let job = self.last_job.get_value();
        if self.on_gpu.get_untracked() {
            GPU_FAILED.with(|g| {
                *g.borrow_mut() = Some(format!("the GPU failed earlier on this page ({message})"))
            });
            if let Some(job) = job {
                set_timeout(
                    move || {
                        // Unless the demo has left the page meanwhile.
                        if self.status.try_get_untracked().is_some() {
                            self.start(job)
                        }
                    },
                    std::time::Duration::ZERO,
                );
                return;
            }
        }
        self.status.set(Status::Crashed(message));
    }

    /// Keeps a sentence about the run with the learner's progress (the lab quotes it).
    fn remember(&self, alarm: Option<&str>) {
        let (Some((store, key)), Some(job)) = (self.record.get_value(), self.last_job.get_value())
        else {
            return;
        };
        let last = self.history.with_untracked(|h| h.last().cloned());
        let end = self.path.with_untracked(|p| p.last().copied());
        let line = aesop_train::explain::describe_run(&job, last.as_ref(), end, alarm);
        store.progress.update(|p| {
            p.demos.insert(key, line);
        });
    }

    /// This demo's progress key (`module/lesson/demo`), under which its runs are recorded and
    /// kept; none outside a lesson (the playground page).
    pub fn record_key(&self) -> Option<String> {
        self.record.get_value().map(|(_, key)| key)
    }

    /// A view's own state kept for a reload under this demo (`kept`), such as a comparison's
    /// finished runs.
    pub fn load_kept<T: serde::de::DeserializeOwned>(&self, what: &str) -> Option<T> {
        kept::load(&self.record_key()?, what)
    }

    pub fn save_kept<T: serde::Serialize>(&self, what: &str, value: &T) {
        if let Some(demo) = self.record_key() {
            kept::save(&demo, what, value);
        }
    }

    /// Keeps the run that just ended for a reload (`kept`). The crossover's timings are
    /// this machine's at that moment, and are not kept.
    fn keep(self, alarm: Option<String>) {
        let (Some(demo), Some(job)) = (self.record_key(), self.last_job.get_value()) else {
            return;
        };
        if matches!(job, Job::Crossover(_)) {
            return;
        }
        let run = KeptRun {
            job,
            history: self.history.get_untracked(),
            path: self.path.get_untracked(),
            paths: self.paths.get_untracked(),
            stopped: self.stopped.get_untracked(),
            snapshot: self.snapshot.get_untracked(),
            alarm,
            device: self.device.get_untracked(),
        };
        kept::save(&demo, "run", &run);
    }

    /// Shows this demo's kept run again, as it ended, when it was a run of one of `presets`;
    /// returns that preset's index (0 when nothing comes back), for the view's picker. Not
    /// after a shared link, whose run is the one to show; not a finish (predictions and
    /// comparisons record only runs made on this page).
    pub fn restore(self, presets: &[Preset]) -> usize {
        if presets.first().is_some_and(|p| p.name == "shared") {
            return 0;
        }
        if let Some(at) = self.adopt_early(presets) {
            return at;
        }
        let Some(run) = self
            .record_key()
            .and_then(|demo| kept::load::<KeptRun>(&demo, "run"))
        else {
            return 0;
        };
        let Some(at) = presets.iter().position(|p| p.job == run.job) else {
            return 0;
        };
        let steps = run.history.last().map(|m| (m.step, m.total_steps));
        let path_steps = run
            .paths
            .iter()
            .map(Vec::len)
            .max()
            .unwrap_or(0)
            .max(run.path.len());
        self.progress
            .set(steps.unwrap_or((path_steps.saturating_sub(1), path_steps.saturating_sub(1))));
        self.history.set(run.history);
        self.path.set(run.path);
        self.paths.set(run.paths);
        self.stopped.set(run.stopped);
        if let Some(r) = run.snapshot.as_ref().and_then(|s| s.regions.as_ref()) {
            self.field.set(Some((r.x, r.y, r.n, r.values.clone())));
        }
        self.snapshot.set(run.snapshot);
        self.device.set(run.device);
        self.last_job.set_value(Some(run.job));
        self.status.set(match run.alarm {
            Some(message) => Status::Alarm(message),
            None => Status::Done,
        });
        at
    }

    /// Takes over the run the reader started before the full app arrived
    /// (assets/early-demo.js, on `window.aesopEarlyRuns`): its worker, and every report so far,
    /// shown again at the watching pace. Returns the preset it trains. Either way this demo's
    /// slot is closed to the reader from now on (its Train would start a run no one sees).
    fn adopt_early(self, presets: &[Preset]) -> Option<usize> {
        let early = take_early(&use_context::<DemoScope>()?.name)?;
        let get = |field: &str| js_sys::Reflect::get(&early, &field.into()).ok();
        let worker: web_sys::Worker = get("worker")?.dyn_into().ok()?;
        let preset = get("preset").and_then(|p| p.as_string());
        let Some(at) = presets
            .iter()
            .position(|p| Some(&p.name) == preset.as_ref())
        else {
            worker.terminate();
            return None;
        };
        let started = get("started").is_some_and(|s| s.is_truthy());
        let reports: Vec<String> = get("messages")
            .map(|m| {
                js_sys::Array::from(&m)
                    .iter()
                    .filter_map(|m| m.as_string())
                    .collect()
            })
            .unwrap_or_default();
        let job = presets[at].job.clone();
        self.cpu
            .set_value(Some(TrainClient::adopt(worker, started, move |e| {
                self.on_event(Engine::Cpu, e)
            })));
        if !started {
            // Its engine is still on the way: the run starts here, as a Train would.
            self.start(job);
            return Some(at);
        }
        self.begin(job);
        self.engine.set_value(Engine::Cpu);
        for report in reports {
            if let Ok(event) = serde_json::from_str::<FromWorker>(&report) {
                self.on_event(Engine::Cpu, event);
            }
        }
        Some(at)
    }

    /// Asks every later run for what this view draws (decision regions, neurons, weights).
    pub fn set_wants(self, wants: Wants) {
        self.wants.set_value(wants);
    }

    /// The learner's backend switch (kept with their progress; every demo shares it).
    pub fn backend(self) -> Backend {
        self.store
            .get_value()
            .map_or(Backend::Auto, |s| s.progress.with(|p| p.backend))
    }

    pub fn set_backend(self, choice: Backend) {
        if let Some(s) = self.store.get_value() {
            s.progress.update(|p| p.backend = choice);
        }
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

    /// Starts `job` on the worker `backend::route` picks: the CPU worker unless this device
    /// measured the GPU faster for the network (and the GPU worker has compiled for it), or
    /// the learner chose the GPU. Meanwhile the GPU worker measures or compiles in the
    /// background where there is an adapter.
    pub fn start(self, job: Job) {
        let started = self.begin(job.clone());
        let pref = match untrack(move || self.backend()) {
            Backend::Auto => DevicePref::Auto,
            Backend::Cpu => DevicePref::Cpu,
            Backend::Gpu => DevicePref::Gpu,
        };
        wasm_bindgen_futures::spawn_local(async move {
            let failed = GPU_FAILED.with(|g| g.borrow().clone());
            let adapter = match (failed, pref, &job) {
                (Some(why), _, _) => Adapter::Unusable(why),
                // The learner's choice needs no adapter, except to time the GPU beside the CPU.
                (None, DevicePref::Cpu, j) if !matches!(j, Job::Crossover(_)) => {
                    Adapter::Unusable("the CPU was chosen".into())
                }
                (None, _, _) => match client::webgpu().await {
                    Ok(()) => Adapter::Usable {
                        key: calibrations::last_adapter().unwrap_or_else(|| "webgpu".into()),
                    },
                    Err(why) => Adapter::Unusable(why),
                },
            };
            // Reset, another start, or the demo left while the adapter was checked.
            if self.starts.try_get_value() != Some(started) {
                return;
            }
            let known = calibrations::all();
            let key = match (&adapter, &job) {
                (Adapter::Usable { key }, Job::Train(spec)) => {
                    Some(backend::calibration_key(key, spec))
                }
                _ => None,
            };
            let warm = key
                .as_ref()
                .is_some_and(|k| self.warm.with_value(|w| w.contains(k)));
            let route = backend::route(
                pref,
                &job,
                &adapter,
                key.as_ref().and_then(|k| known.get(k)),
                warm,
            );
            let previous = self.engine.get_value();
            if previous != route.engine {
                self.send(&ToWorker::Reset);
            }
            self.engine.set_value(route.engine);
            if !self.spawn(route.engine) {
                return;
            }
            let gpu_failed = match &adapter {
                Adapter::Unusable(why) => Some(why.clone()),
                Adapter::Usable { .. } => None,
            };
            self.send(&ToWorker::Start {
                job: job.clone(),
                device: pref,
                profile: false,
                known,
                gpu_failed,
                adapter: calibrations::last_adapter(),
                wants: self.wants.get_value(),
                on_cpu: route.note,
            });
            // A Pause pressed while the adapter was checked (before the worker had the run).
            if self.status.get_untracked() == Status::Paused {
                self.send(&ToWorker::Pause);
            }
            if let (Some(measure), Job::Train(spec)) = (route.measure, job) {
                if self.spawn(Engine::Gpu) {
                    self.gpu.with_value(|c| {
                        if let Some(c) = c {
                            c.send(&ToWorker::Measure {
                                spec,
                                calibrate: measure == Measure::Calibrate,
                            })
                        }
                    });
                }
            }
        });
    }

    /// Starts `engine`'s worker unless it is running; false (with the error shown) when it
    /// cannot start.
    fn spawn(self, engine: Engine) -> bool {
        let clients = self.clients(engine);
        if clients.with_value(|c| c.is_some()) {
            return true;
        }
        match TrainClient::spawn(engine, move |e| self.on_event(engine, e)) {
            Ok(c) => {
                clients.set_value(Some(c));
                true
            }
            Err(e) => {
                if self.engine.get_value() == engine {
                    self.status.set(Status::Error(format!(
                        "The training worker could not start: {e}"
                    )));
                }
                false
            }
        }
    }

    /// Sends `command` to the worker running this demo's run.
    pub fn send(self, command: &ToWorker) {
        self.clients(self.engine.get_value()).with_value(|c| {
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
        self.stepped.set_value(0);
        self.kick();
    }
    /// One frame: the next one already received, or (none waiting) one more from the worker.
    pub fn step(self) {
        self.status.set(Status::Paused);
        self.stepped.update_value(|n| *n += 1);
        let waiting = self
            .queue
            .with_value(|q| q.iter().any(|e| Self::shows_a_frame(e)));
        if waiting {
            self.kick();
        } else {
            self.send(&ToWorker::Step);
        }
    }

    /// Shows waiting reports again (after Resume or Step).
    fn kick(self) {
        if !self.draining.get_value() && self.queue.with_value(|q| !q.is_empty()) {
            self.draining.set_value(true);
            set_timeout(move || self.drain(), std::time::Duration::ZERO);
        }
    }
    pub fn reset(self) {
        self.starts.update_value(|n| *n += 1);
        self.send(&ToWorker::Reset);
        self.clear();
        self.status.set(Status::Idle);
    }

    /// A new run of `job` is starting (here, or taken over from the reader): the last run's
    /// reports go, and a start still waiting on the adapter check gives up. Returns this
    /// start's number.
    fn begin(self, job: Job) -> u64 {
        self.clear();
        self.status.set(Status::Starting);
        self.last_job.set_value(Some(job));
        self.starts.update_value(|n| *n += 1);
        self.starts.get_value()
    }

    fn clear(self) {
        self.queue.update_value(|q| q.clear());
        self.stepped.set_value(0);
        self.history.set(Vec::new());
        self.path.set(Vec::new());
        self.paths.set(Vec::new());
        self.stopped.set(Vec::new());
        self.gradients.set(None);
        self.field.set(None);
        self.snapshot.set(None);
        self.progress.set((0, 0));
        self.stage.set(None);
        self.timings.set(Vec::new());
    }

    pub fn busy(self) -> bool {
        matches!(
            self.status.get(),
            Status::Starting | Status::Running | Status::Paused
        )
    }
}
