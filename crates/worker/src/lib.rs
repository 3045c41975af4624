//! The training worker, built twice (src/main.rs with the `gpu` feature, src/bin/
//! aesop-worker-cpu.rs without it). The page posts `ToWorker` JSON; this runs the job on burn and posts
//! `FromWorker` JSON back. Work is done in slices of a few milliseconds with a yield to the
//! worker's event loop between them, so Pause, Step and Reset are heard mid-run.

mod gpu;
mod measure;

use aesop_train::backend::{self, Adapter, Calibration};
use aesop_train::engine::{Descent, Race, TrainError, Trainer};
use aesop_train::protocol::Profile;
use aesop_train::{DevicePref, FromWorker, Job, ToWorker, Wants};
use burn::prelude::Device;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashSet};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

/// How long one slice of training may hold the worker before it checks its messages.
const SLICE_MS: f64 = 30.0;

pub(crate) fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

pub(crate) fn post(event: &FromWorker) {
    if let Ok(text) = serde_json::to_string(event) {
        let _ = scope().post_message(&JsValue::from_str(&text));
    }
}

thread_local! {
    /// Looked up once: `now` runs several times a training step.
    static PERFORMANCE: Option<web_sys::Performance> = scope().performance();
}

pub(crate) fn now() -> f64 {
    PERFORMANCE.with(|p| p.as_ref().map_or(0.0, |p| p.now()))
}

thread_local! {
    /// One channel for every yield, and the resolve function of the yield waiting on it.
    static YIELD: (Option<web_sys::MessageChannel>, Rc<RefCell<Option<js_sys::Function>>>) = {
        let pending: Rc<RefCell<Option<js_sys::Function>>> = Rc::default();
        let channel = web_sys::MessageChannel::new().ok();
        if let Some(c) = &channel {
            let waiting = pending.clone();
            let wake = Closure::<dyn FnMut()>::new(move || {
                if let Some(resolve) = waiting.borrow_mut().take() {
                    let _ = resolve.call0(&JsValue::NULL);
                }
            });
            c.port1().set_onmessage(Some(wake.as_ref().unchecked_ref()));
            wake.forget(); // lives as long as the worker
        }
        (channel, pending)
    };
}

/// Lets the worker's event loop run (and hear Pause or Reset). A MessageChannel round trip,
/// not `setTimeout(0)`: nested timeouts are clamped to 4 ms, which a run yielding every
/// epoch would pay hundreds of times.
/// Waits `ms` milliseconds without holding the thread (a timer, not a busy loop of yields).
pub(crate) async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Waits until no run is under way (background work goes between runs).
pub(crate) async fn idle(state: &Shared) {
    while state.borrow().running > 0 {
        sleep_ms(50).await;
    }
}

pub(crate) async fn yield_now() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        YIELD.with(|(channel, pending)| match channel {
            Some(c) => {
                *pending.borrow_mut() = Some(resolve);
                let _ = c.port2().post_message(&JsValue::NULL);
            }
            None => {
                let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
            }
        })
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[derive(Default)]
pub(crate) struct State {
    /// Bumped by Start and Reset: a running loop with an older number stops.
    generation: u64,
    paused: bool,
    /// Steps (or reports) the learner asked for one at a time while paused.
    single_steps: usize,
    /// The browser's adapter, probed once (`gpu::adapter`).
    adapter: Option<Adapter>,
    gpu: Option<Device>,
    /// Why the GPU is no longer used on this page, once it has failed.
    gpu_failed: Option<String>,
    /// Calibration keys whose kernels this worker's GPU has compiled.
    warm: HashSet<String>,
    /// A calibration is timing the backends: training holds still until it is done.
    exclusive: bool,
    /// Runs under way. Background measurements wait until there are none, so they never
    /// slow a run the learner is watching (the GPU's first compile holds this thread).
    running: usize,
    /// The last Start asked for the step phases to be timed.
    profile: bool,
    /// What the last Start's view draws besides the numbers.
    wants: Wants,
}

pub(crate) type Shared = Rc<RefCell<State>>;

pub(crate) fn label(gpu: bool) -> String {
    if gpu {
        "Training on the GPU (WebGPU)"
    } else {
        "Training on the CPU"
    }
    .to_string()
}

/// Waits while paused (or while a calibration times the backends); returns false when this
/// run has been replaced or reset.
pub(crate) async fn may_continue(state: &Shared, generation: u64) -> bool {
    loop {
        {
            let mut s = state.borrow_mut();
            if s.generation != generation {
                return false;
            }
            if s.exclusive {
                drop(s);
                yield_now().await;
                continue;
            }
            if !s.paused {
                return true;
            }
            if s.single_steps > 0 {
                s.single_steps -= 1;
                return true;
            }
        }
        yield_now().await;
    }
}

/// Picks the backend (`backend::choose`), says which and why, starts any background
/// measurement, and runs the job; a GPU that fails mid-run hands the job to the CPU.
async fn run(
    state: Shared,
    job: Job,
    pref: DevicePref,
    known: BTreeMap<String, Calibration>,
    generation: u64,
    hint: Option<String>,
    on_cpu: Option<String>,
) {
    state.borrow_mut().running += 1;
    match on_cpu {
        // The page chose the CPU and says why: no adapter probe, no background measurement.
        Some(reason) => {
            post(&FromWorker::Device {
                label: label(false),
                gpu: false,
                note: Some(reason),
            });
            train_on(&state, &job, Device::flex(), false, generation).await
        }
        None => run_job(&state, job, pref, known, generation, hint).await,
    }
    state.borrow_mut().running -= 1;
}

async fn run_job(
    state: &Shared,
    job: Job,
    pref: DevicePref,
    known: BTreeMap<String, Calibration>,
    generation: u64,
    hint: Option<String>,
) {
    // A size this browser already measured slower on its GPU needs no adapter probe: asking
    // for an adapter starts the browser's GPU process, which costs a small run real time.
    if let (DevicePref::Auto, Job::Train(spec), Some(adapter)) = (pref, &job, &hint) {
        if let Some(c) = known.get(&backend::calibration_key(adapter, spec)) {
            if !c.gpu_faster() && state.borrow().gpu_failed.is_none() {
                post(&FromWorker::Device {
                    label: label(false),
                    gpu: false,
                    note: Some(
                        backend::choose(
                            pref,
                            &job,
                            &Adapter::Usable {
                                key: adapter.clone(),
                            },
                            Some(c),
                            false,
                        )
                        .reason,
                    ),
                });
                return train_on(state, &job, Device::flex(), false, generation).await;
            }
        }
    }
    let adapter = gpu::adapter(state).await;
    let key = match (&adapter, &job) {
        (Adapter::Usable { key }, Job::Train(spec)) => Some(backend::calibration_key(key, spec)),
        _ => None,
    };
    let warm = key
        .as_ref()
        .is_some_and(|k| state.borrow().warm.contains(k));
    let choice = backend::choose(
        pref,
        &job,
        &adapter,
        key.as_ref().and_then(|k| known.get(k)),
        warm,
    );
    let (mut device, mut on_gpu, mut note) = (Device::flex(), false, choice.reason.clone());
    if choice.gpu {
        if !warm {
            post(&FromWorker::Stage {
                message: "Starting the GPU and compiling its kernels (the first GPU run on this page takes a while)…".into(),
            });
        }
        match gpu::device(state).await {
            Ok(d) => (device, on_gpu) = (d, true),
            Err(why) => note = format!("The CPU: {why}."),
        }
    }
    post(&FromWorker::Device {
        label: label(on_gpu),
        gpu: on_gpu,
        note: Some(note),
    });
    if let (Job::Train(spec), Some(key)) = (&job, key) {
        if choice.calibrate {
            wasm_bindgen_futures::spawn_local(measure::calibrate(state.clone(), spec.clone(), key));
        } else if choice.warm_up {
            wasm_bindgen_futures::spawn_local(measure::warm_up(state.clone(), spec.clone(), key));
        }
    }
    train_on(state, &job, device, on_gpu, generation).await
}

/// Runs the job on `device`; a GPU that fails mid-run hands the job to the CPU.
async fn train_on(
    state: &Shared,
    job: &Job,
    mut device: Device,
    mut on_gpu: bool,
    generation: u64,
) {
    loop {
        let outcome = match job {
            Job::Train(spec) => train(state, spec.clone(), device.clone(), generation).await,
            Job::Descend(spec) => descend(state, spec.clone(), device.clone(), generation).await,
            Job::Race(spec) => race(state, spec.clone(), device.clone(), generation).await,
            Job::Backprop(net) => backprop(net, &device).await,
            Job::Crossover(spec) => measure::crossover(state, spec.clone(), generation).await,
        };
        match outcome {
            Ok(()) => return,
            Err(TrainError::NonFinite(message)) => return post(&FromWorker::Alarm { message }),
            // Any GPU failure mid-run (device lost, out of memory, a failed read): the run
            // starts again on the CPU, and this page keeps to the CPU from now on.
            Err(TrainError::Device(why)) if on_gpu => {
                gpu::failed(state, &why);
                device = Device::flex();
                on_gpu = false;
                post(&FromWorker::Device {
                    label: label(false),
                    gpu: false,
                    note: Some(format!(
                        "The GPU failed mid-run ({why}); the run restarted on the CPU."
                    )),
                });
            }
            Err(TrainError::Device(message)) => return post(&FromWorker::Error { message }),
        }
    }
}

async fn train(
    state: &Shared,
    spec: aesop_train::ExperimentSpec,
    device: Device,
    generation: u64,
) -> Result<(), TrainError> {
    let begun = now();
    let mut trainer = Trainer::new(spec, device);
    trainer.set_wants(state.borrow().wants.clone());
    let profiling = state.borrow().profile;
    if profiling {
        trainer.set_clock(now);
    }
    let mut profile = Profile::default();
    report(&mut trainer).await?;
    profile.setup = now() - begun;
    // The worker's event loop gets a turn once a slice, not once an epoch: a turn costs
    // milliseconds (a message round trip), while an epoch of a small network takes about
    // three, so yielding every epoch spent more time waiting than training.
    let mut slice_began = now();
    while !trainer.finished() {
        let waited = now();
        let was_paused = state.borrow().paused;
        if !may_continue(state, generation).await {
            return Ok(());
        }
        let started = now();
        profile.yields += started - waited;
        if was_paused {
            // Resumed, or one Step while paused: a fresh slice, so a Step runs to the epoch's
            // report rather than stopping at once on a slice that began before the pause.
            slice_began = started;
        }
        // Up to the end of the epoch or the slice, whichever comes first.
        loop {
            trainer.step();
            if trainer.at_epoch_end() || trainer.finished() || now() - slice_began > SLICE_MS {
                break;
            }
        }
        let stepped = now();
        profile.steps += stepped - started;
        if trainer.at_epoch_end() || trainer.finished() {
            report(&mut trainer).await?;
        }
        let paused = state.borrow().paused;
        if paused {
            post(&FromWorker::Paused);
        }
        let reported = now();
        profile.reports += reported - stepped;
        if paused || reported - slice_began > SLICE_MS {
            yield_now().await;
            slice_began = now();
            profile.yields += slice_began - reported;
        }
    }
    [
        profile.upload,
        profile.forward,
        profile.backward,
        profile.update,
    ] = trainer.phases();
    post(&FromWorker::Done {
        profile: profiling.then_some(profile),
    });
    Ok(())
}

/// The metrics, then what the view asked for (read back with them, when due).
async fn report(trainer: &mut Trainer) -> Result<(), TrainError> {
    post(&FromWorker::Metrics {
        metrics: trainer.report().await?,
    });
    if let Some(snapshot) = trainer.take_snapshot() {
        post(&FromWorker::Snapshot { snapshot });
    }
    Ok(())
}

async fn descend(
    state: &Shared,
    spec: aesop_train::DescentSpec,
    device: Device,
    generation: u64,
) -> Result<(), TrainError> {
    let total = spec.steps;
    let start = spec.start;
    let first = [start[0], start[1], spec.surface.value(start[0], start[1])];
    let mut descent = Descent::new(spec, &device.autodiff());
    let mut points = vec![first];
    while !descent.finished() {
        if !may_continue(state, generation).await {
            return Ok(());
        }
        let started = now();
        while !descent.finished() && now() - started < SLICE_MS {
            points.push(descent.step().await?);
        }
        post(&FromWorker::Path {
            points: points.clone(),
            total_steps: total,
        });
        yield_now().await;
    }
    post(&FromWorker::Done { profile: None });
    Ok(())
}

/// Every racer steps once per tick, so the paths grow side by side.
async fn race(
    state: &Shared,
    spec: aesop_train::RaceSpec,
    device: Device,
    generation: u64,
) -> Result<(), TrainError> {
    let mut race = Race::new(&spec, &device.autodiff());
    while !race.finished() {
        if !may_continue(state, generation).await {
            return Ok(());
        }
        let started = now();
        while !race.finished() && now() - started < SLICE_MS {
            race.step().await?;
        }
        post(&FromWorker::Paths {
            paths: race.paths.clone(),
            stopped: race.stopped.clone(),
            total_steps: spec.steps,
        });
        yield_now().await;
    }
    post(&FromWorker::Done { profile: None });
    Ok(())
}

async fn backprop(net: &aesop_train::backprop::TinyNet, device: &Device) -> Result<(), TrainError> {
    let values = aesop_train::engine::autodiff_gradients(net, &device.clone().autodiff()).await?;
    post(&FromWorker::Gradients { values });
    post(&FromWorker::Done { profile: None });
    Ok(())
}

// cubecl registers its IR ops with `inventory`, which on wasm runs them as static
// constructors. A `[[bin]]` is linked "command-style": unless the program calls
// `__wasm_call_ctors` itself, wasm-ld wraps every export (`*.command_export`) so that each
// call from JS re-runs all ~4,900 constructors first — most of the worker's time on WebGPU,
// where wasm-bindgen's glue calls exports many times per GPU call. One explicit call here
// tells wasm-ld not to add the wrappers (tests/e2e/worker-wasm.test.mjs checks it stays so).
#[cfg(target_arch = "wasm32")]
extern "C" {
    fn __wasm_call_ctors();
}

/// Runs the worker: called once by either binary's `main`.
pub fn start() {
    // SAFETY: runs once, first, before anything reads what the constructors register.
    #[cfg(target_arch = "wasm32")]
    unsafe {
        __wasm_call_ctors();
    }
    std::panic::set_hook(Box::new(|info| {
        // The wasm traps after this hook: the page must replace the worker, not reuse it.
        post(&FromWorker::Crashed {
            message: format!("The training worker crashed: {info}"),
        })
    }));
    let state: Shared = Rc::new(RefCell::new(State::default()));
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let Some(text) = event.data().as_string() else {
            return;
        };
        let command: ToWorker = match serde_json::from_str(&text) {
            Ok(c) => c,
            Err(e) => {
                return post(&FromWorker::Error {
                    message: format!("The worker did not understand a message: {e}"),
                })
            }
        };
        let mut s = state.borrow_mut();
        match command {
            ToWorker::Start {
                job,
                device,
                profile,
                known,
                gpu_failed,
                adapter,
                wants,
                on_cpu,
            } => {
                if let Some(why) = gpu_failed {
                    s.gpu = None;
                    s.gpu_failed = Some(why);
                }
                s.generation += 1;
                s.profile = profile;
                s.wants = wants;
                s.paused = false;
                s.single_steps = 0;
                let (state, generation) = (state.clone(), s.generation);
                wasm_bindgen_futures::spawn_local(run(
                    state, job, device, known, generation, adapter, on_cpu,
                ));
            }
            ToWorker::Measure { spec, calibrate } => {
                wasm_bindgen_futures::spawn_local(measure::background(
                    state.clone(),
                    spec,
                    calibrate,
                ));
            }
            ToWorker::Pause => s.paused = true,
            ToWorker::Resume => s.paused = false,
            ToWorker::Step => {
                s.paused = true;
                s.single_steps += 1;
            }
            ToWorker::Reset => {
                s.generation += 1;
                s.paused = false;
            }
        }
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(&FromWorker::Ready);
}
