//! Timing the backends on the learner's own machine: the background calibration that picks a
//! demo's backend, and the crossover demo that shows where a GPU starts to pay off.

use crate::{gpu, idle, may_continue, now, post, yield_now, Shared};
use aesop_train::backend::{self, after_calibration, Adapter, Calibration};
use aesop_train::engine::{TrainError, Trainer};
use aesop_train::job::CrossoverSpec;
use aesop_train::{ExperimentSpec, FromWorker};
use burn::prelude::Device;

/// Milliseconds per step of `trainer` after warm-up: `n` steps and one read-back that waits
/// for them, `n` chosen so the timing takes about `budget_ms` (at least 2 steps, at most
/// `max_steps`). Returns the time per step and the steps timed.
async fn per_step(
    trainer: &mut Trainer,
    budget_ms: f64,
    max_steps: usize,
) -> Result<(f64, usize), TrainError> {
    let t0 = now();
    trainer.step();
    trainer.settle().await?;
    let estimate = (now() - t0).max(0.01);
    let n = ((budget_ms / estimate) as usize).clamp(2, max_steps.max(2));
    let t1 = now();
    for _ in 0..n {
        trainer.step();
    }
    trainer.settle().await?;
    Ok(((now() - t1) / n as f64, n + 1))
}

/// One warm-up step (on a GPU: the kernels compile here) and its time.
async fn warm(trainer: &mut Trainer) -> Result<f64, TrainError> {
    let t0 = now();
    trainer.step();
    trainer.settle().await?;
    Ok(now() - t0)
}

/// A trainer for timing: the run's own spec with enough epochs for the timed steps.
fn timing_trainer(spec: &ExperimentSpec, device: Device) -> Trainer {
    let mut spec = spec.clone();
    spec.epochs = spec
        .epochs
        .max(64usize.div_ceil(spec.steps_per_epoch()) + 1);
    Trainer::new(spec, device)
}

/// What the page asks of the GPU worker while its CPU worker trains: find the adapter, then
/// calibrate or compile for this network. A GPU that cannot run is reported, once.
pub async fn background(state: Shared, spec: ExperimentSpec, calibrate_too: bool) {
    let key = match gpu::adapter(&state).await {
        Adapter::Usable { key } => backend::calibration_key(&key, &spec),
        Adapter::Unusable(why) => return post(&FromWorker::NoGpu { why }),
    };
    if state.borrow().warm.contains(&key) {
        return post(&FromWorker::Warmed { key });
    }
    if calibrate_too {
        calibrate(state, spec, key).await
    } else {
        warm_up(state, spec, key).await
    }
}

/// Measures `spec` on both backends once the run that asked for it has ended (the GPU's first
/// compile would hold this thread for seconds): the GPU compiles its kernels, then both are
/// timed, holding any run started meanwhile for those few milliseconds, so neither timing
/// shares the thread with training.
pub async fn calibrate(state: Shared, spec: ExperimentSpec, key: String) {
    let result = async {
        // Between runs only: the GPU's first compile holds this thread for seconds.
        idle(&state).await;
        let device = gpu::device(&state).await.map_err(TrainError::Device)?;
        idle(&state).await;
        let mut on_gpu = timing_trainer(&spec, device);
        let compile_ms = warm(&mut on_gpu).await?;
        let mut on_cpu = timing_trainer(&spec, Device::flex());
        warm(&mut on_cpu).await?;
        idle(&state).await;
        state.borrow_mut().exclusive = true;
        let timed = async {
            let (gpu_ms, _) = per_step(&mut on_gpu, 60.0, 20).await?;
            let (cpu_ms, _) = per_step(&mut on_cpu, 30.0, 40).await?;
            Ok::<_, TrainError>(Calibration {
                cpu_ms,
                gpu_ms,
                compile_ms,
            })
        }
        .await;
        state.borrow_mut().exclusive = false;
        timed
    }
    .await;
    match result {
        Ok(calibration) => {
            state.borrow_mut().warm.insert(key.clone());
            post(&FromWorker::Calibrated {
                note: after_calibration(&calibration),
                key,
                calibration,
            });
        }
        Err(e) => {
            gpu::failed(&state, &e.to_string());
            post(&FromWorker::NoGpu {
                why: format!("the GPU could not be measured ({e})"),
            });
        }
    }
}

/// Compiles the GPU's kernels for this size between runs (it measured faster), so the next
/// run of this size can start on it without waiting.
pub async fn warm_up(state: Shared, spec: ExperimentSpec, key: String) {
    let result = async {
        idle(&state).await;
        let device = gpu::device(&state).await.map_err(TrainError::Device)?;
        let mut t = timing_trainer(&spec, device);
        warm(&mut t).await
    }
    .await;
    match result {
        Ok(_) => {
            state.borrow_mut().warm.insert(key.clone());
            post(&FromWorker::Warmed { key });
        }
        Err(e) => {
            gpu::failed(&state, &e.to_string());
            post(&FromWorker::NoGpu {
                why: format!("the GPU could not compile its kernels ({e})"),
            });
        }
    }
}

/// The crossover demo: each size on the CPU, then on the GPU (when there is one), smallest
/// first. A backend skips the larger sizes once its projected step time passes the cap.
pub async fn crossover(
    state: &Shared,
    spec: CrossoverSpec,
    generation: u64,
) -> Result<(), TrainError> {
    let gpu = match gpu::adapter(state).await {
        Adapter::Usable { .. } => None,
        Adapter::Unusable(why) => Some(why),
    };
    let mut gpu_device = None;
    // Per backend: (work, ms per step) of the last size it ran, to project the next.
    let mut last: [Option<(f64, f64)>; 2] = [None, None];
    for i in 0..spec.sizes.len() {
        for on_gpu in [false, true] {
            if !may_continue(state, generation).await {
                return Ok(());
            }
            let b = usize::from(on_gpu);
            if on_gpu {
                if let Some(why) = &gpu {
                    post(&FromWorker::Timing {
                        index: i,
                        gpu: true,
                        ms_per_step: None,
                        note: Some(format!("No GPU timing: {why}.")),
                    });
                    continue;
                }
            }
            let work = spec.work(i);
            if let Some(last) = last[b] {
                if let Some(projected) = spec.over_cap(i, last) {
                    post(&FromWorker::Timing {
                        index: i,
                        gpu: on_gpu,
                        ms_per_step: None,
                        note: Some(format!(
                            "Skipped: a step would take about {:.1} s here.",
                            projected / 1000.0
                        )),
                    });
                    continue;
                }
            }
            let device = if on_gpu {
                if gpu_device.is_none() {
                    post(&FromWorker::Stage {
                        message: "Starting the GPU and compiling its kernels (the first time on this page takes a while)…".into(),
                    });
                    gpu_device = Some(gpu::device(state).await.map_err(TrainError::Device)?);
                }
                gpu_device.clone().expect("started above")
            } else {
                Device::flex()
            };
            let mut t = Trainer::new(spec.spec(i), device);
            warm(&mut t).await?;
            yield_now().await;
            let budget = (spec.max_step_ms / 4.0).min(1500.0);
            let (ms, _) = per_step(&mut t, budget, spec.steps).await?;
            last[b] = Some((work, ms));
            post(&FromWorker::Timing {
                index: i,
                gpu: on_gpu,
                ms_per_step: Some(ms),
                note: None,
            });
            yield_now().await;
        }
    }
    post(&FromWorker::Done { profile: None });
    Ok(())
}
