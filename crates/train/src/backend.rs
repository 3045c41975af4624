//! Which backend trains a run, and why, in measured words. The CPU (burn's flex) is the
//! default: a demo's network is small, and a GPU pays a fixed cost per kernel launch and per
//! read-back that small networks never earn back. The GPU trains only where this device has
//! measured it faster for a network of this size, and only once its kernels are compiled, so
//! no run waits for a compile it did not ask for. Pure logic: the worker measures, the page
//! remembers, this decides.

#[cfg(test)]
use crate::job::CrossoverSpec;
use crate::job::Job;
use crate::spec::ExperimentSpec;
use serde::{Deserialize, Serialize};

/// The learner's choice of backend for a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum DevicePref {
    /// The backend this device measured faster for the run's network (`backend::choose`).
    #[default]
    Auto,
    Gpu,
    Cpu,
}

/// One measurement of a network size on one adapter: milliseconds per training step on each
/// backend (steps plus one read-back, after warm-up) and the GPU's first-use compile time.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    pub cpu_ms: f64,
    pub gpu_ms: f64,
    pub compile_ms: f64,
}

impl Calibration {
    pub fn gpu_faster(&self) -> bool {
        self.gpu_ms < self.cpu_ms
    }

    /// "6.2× faster than this GPU for a network this small" and the like.
    pub fn comparison(&self) -> String {
        if self.gpu_faster() {
            format!(
                "{} faster than the CPU for a network this size",
                times(self.cpu_ms / self.gpu_ms)
            )
        } else {
            format!(
                "{} faster than this GPU for a network this small",
                times(self.gpu_ms / self.cpu_ms)
            )
        }
    }
}

/// "6×", "1.4×": one decimal below 10.
pub fn times(ratio: f64) -> String {
    if ratio >= 10.0 {
        format!("{:.0}×", ratio)
    } else {
        format!("{:.1}×", ratio)
    }
}

/// What the worker knows about the browser's GPU.
#[derive(Debug, Clone, PartialEq)]
pub enum Adapter {
    /// No WebGPU, no adapter, or an adapter the engine cannot use: why, in words.
    Unusable(String),
    /// `key` names the adapter for remembered calibrations (vendor, architecture, device).
    Usable { key: String },
}

/// The size class of a run, for remembering calibrations: depth, parameters and batch, each
/// rounded to a power of two. A step's work grows with parameters × batch; its launch count
/// with depth.
pub fn size_key(spec: &ExperimentSpec) -> String {
    // Inputs as the network reads them: derived features or an image's pixels, not just x, y.
    let widths = spec.widths();
    let params: usize = widths.windows(2).map(|w| (w[0] + 1) * w[1]).sum();
    let log2 = |n: usize| (n.max(1) as f64).log2().round() as i32;
    format!(
        "d{}-p{}-b{}",
        spec.model.hidden.len(),
        log2(params),
        log2(spec.batch_size.min(spec.train_size()))
    )
}

/// The key a calibration is remembered under: this adapter and this size.
pub fn calibration_key(adapter_key: &str, spec: &ExperimentSpec) -> String {
    format!("{adapter_key}|{}", size_key(spec))
}

/// The decision for one run.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub gpu: bool,
    /// Shown under the backend's name: why this one, in measured words where there are any.
    pub reason: String,
    /// Measure both backends on this run's network in the background (nothing known yet).
    pub calibrate: bool,
    /// Compile the GPU's kernels in the background, for later runs (it measured faster).
    pub warm_up: bool,
}

impl Choice {
    fn cpu(reason: impl Into<String>) -> Self {
        Choice {
            gpu: false,
            reason: reason.into(),
            calibrate: false,
            warm_up: false,
        }
    }
}

/// Picks the backend for `job`. `known` is the remembered calibration for this adapter and
/// size; `warm` says whether this worker's GPU has already compiled kernels for this size.
pub fn choose(
    pref: DevicePref,
    job: &Job,
    adapter: &Adapter,
    known: Option<&Calibration>,
    warm: bool,
) -> Choice {
    let why_not = match adapter {
        Adapter::Unusable(why) => Some(why.clone()),
        Adapter::Usable { .. } => None,
    };
    match pref {
        DevicePref::Cpu => return Choice::cpu("You chose the CPU."),
        DevicePref::Gpu => {
            return match why_not {
                Some(why) => Choice::cpu(format!("You chose the GPU, but {why}.")),
                None => Choice {
                    gpu: true,
                    reason: match known {
                        Some(c) => format!(
                            "You chose the GPU; on this device it measured {}.",
                            gpu_side(c)
                        ),
                        None => "You chose the GPU.".into(),
                    },
                    calibrate: false,
                    warm_up: false,
                },
            }
        }
        DevicePref::Auto => {}
    }
    if let Some(why) = why_not {
        return Choice::cpu(format!("The CPU: {why}."));
    }
    let Job::Train(_) = job else {
        // Descents, races and the backprop check read every step back: a handful of numbers
        // a step, where a GPU only adds its round trips.
        return Choice::cpu(
            "The CPU: each step of this demo is a handful of numbers, too little work for a GPU to pay off.",
        );
    };
    match known {
        None => Choice {
            gpu: false,
            reason: "The CPU, while this run measures how fast the GPU is for a network this size."
                .into(),
            calibrate: true,
            warm_up: false,
        },
        Some(c) if !c.gpu_faster() => Choice::cpu(format!("The CPU: {}.", cpu_side(c))),
        Some(c) if warm => Choice {
            gpu: true,
            reason: format!("The GPU: {} (measured on this device).", c.comparison()),
            calibrate: false,
            warm_up: false,
        },
        Some(c) => Choice {
            gpu: false,
            reason: format!(
                "The CPU for this run: the GPU measured {} and is compiling its kernels in the background for the next one.",
                c.comparison()
            ),
            calibrate: false,
            warm_up: true,
        },
    }
}

fn cpu_side(c: &Calibration) -> String {
    format!("{} (measured on this device)", c.comparison())
}

fn gpu_side(c: &Calibration) -> String {
    if c.gpu_faster() {
        c.comparison()
    } else {
        format!(
            "{} slower than the CPU for a network this small",
            times(c.gpu_ms / c.cpu_ms)
        )
    }
}

/// The page's two training workers. Every demo starts on the CPU worker (burn's flex alone: a
/// fraction of the bytes); the GPU worker (wgpu and its kernel compiler besides) is fetched
/// only where WebGPU offers an adapter, and trains only what `choose` gives the GPU.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Engine {
    Cpu,
    Gpu,
}

/// Background work for the GPU worker while the CPU worker trains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Time both backends on this network: nothing is known about it yet.
    Calibrate,
    /// Compile the GPU's kernels for it: it measured faster, and the next run should not wait.
    WarmUp,
}

/// Where the page sends a job.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    pub engine: Engine,
    /// For the CPU worker: why the CPU, shown under its name. The GPU worker, which holds
    /// both backends, explains its own choice.
    pub note: Option<String>,
    pub measure: Option<Measure>,
}

/// `choose`, made on the page: which worker runs `job`. `warm` says whether this demo's GPU
/// worker has compiled kernels for this size. The crossover demo times both backends, so it
/// goes to the GPU worker wherever there is a usable adapter.
pub fn route(
    pref: DevicePref,
    job: &Job,
    adapter: &Adapter,
    known: Option<&Calibration>,
    warm: bool,
) -> Route {
    if let (Job::Crossover(_), Adapter::Usable { .. }) = (job, adapter) {
        return Route {
            engine: Engine::Gpu,
            note: None,
            measure: None,
        };
    }
    let choice = choose(pref, job, adapter, known, warm);
    if choice.gpu {
        return Route {
            engine: Engine::Gpu,
            note: None,
            measure: None,
        };
    }
    Route {
        engine: Engine::Cpu,
        measure: if choice.calibrate {
            Some(Measure::Calibrate)
        } else if choice.warm_up {
            Some(Measure::WarmUp)
        } else {
            None
        },
        note: Some(choice.reason),
    }
}

/// The line shown once a background calibration finishes during a CPU run.
pub fn after_calibration(c: &Calibration) -> String {
    if c.gpu_faster() {
        format!(
            "The CPU for this run; the GPU measured {}, so the next run of this size trains on it.",
            c.comparison()
        )
    } else {
        format!("The CPU: {}.", cpu_side(c))
    }
}

/// Where the GPU overtakes the CPU: `points` are (work per step, CPU ms, GPU ms) for each size
/// measured on both, smallest first. Returns the work at which the two lines cross
/// (interpolated on log scales) when the GPU is slower below it and faster above it.
pub fn crossover(points: &[(f64, f64, f64)]) -> Option<f64> {
    let gap = |&(_, cpu, gpu): &(f64, f64, f64)| (gpu / cpu).ln();
    points.windows(2).find_map(|pair| {
        let (a, b) = (gap(&pair[0]), gap(&pair[1]));
        (a >= 0.0 && b < 0.0).then(|| {
            let (wa, wb) = (pair[0].0.ln(), pair[1].0.ln());
            (wa + (wb - wa) * a / (a - b)).exp()
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> ExperimentSpec {
        ExperimentSpec::from_json(crate::spec::tests::sample()).unwrap()
    }

    const GPU: fn() -> Adapter = || Adapter::Usable {
        key: "vendor/arch".into(),
    };

    #[test]
    fn the_cpu_trains_while_an_unknown_gpu_is_measured() {
        let c = choose(DevicePref::Auto, &Job::Train(spec()), &GPU(), None, false);
        assert!(!c.gpu && c.calibrate && !c.warm_up, "{c:?}");
    }

    #[test]
    fn a_slower_gpu_is_named_with_its_measured_ratio() {
        let cal = Calibration {
            cpu_ms: 0.5,
            gpu_ms: 3.1,
            compile_ms: 9000.0,
        };
        let c = choose(
            DevicePref::Auto,
            &Job::Train(spec()),
            &GPU(),
            Some(&cal),
            true,
        );
        assert!(!c.gpu);
        assert_eq!(
            c.reason,
            "The CPU: 6.2× faster than this GPU for a network this small (measured on this device)."
        );
    }

    #[test]
    fn a_faster_gpu_trains_once_its_kernels_are_compiled() {
        let cal = Calibration {
            cpu_ms: 40.0,
            gpu_ms: 2.0,
            compile_ms: 3000.0,
        };
        let cold = choose(
            DevicePref::Auto,
            &Job::Train(spec()),
            &GPU(),
            Some(&cal),
            false,
        );
        assert!(
            !cold.gpu && cold.warm_up,
            "never wait for a compile: {cold:?}"
        );
        let warm = choose(
            DevicePref::Auto,
            &Job::Train(spec()),
            &GPU(),
            Some(&cal),
            true,
        );
        assert!(warm.gpu && !warm.warm_up);
        assert!(
            warm.reason.contains("20× faster than the CPU"),
            "{}",
            warm.reason
        );
    }

    #[test]
    fn the_learners_choice_wins_unless_the_gpu_cannot_run() {
        let job = Job::Train(spec());
        assert!(choose(DevicePref::Gpu, &job, &GPU(), None, false).gpu);
        let slow = Calibration {
            cpu_ms: 1.0,
            gpu_ms: 4.0,
            compile_ms: 0.0,
        };
        let c = choose(DevicePref::Gpu, &job, &GPU(), Some(&slow), false);
        assert!(
            c.gpu && c.reason.contains("4.0× slower than the CPU"),
            "{}",
            c.reason
        );
        let fast = Calibration {
            cpu_ms: 4.0,
            gpu_ms: 1.0,
            compile_ms: 0.0,
        };
        assert!(!choose(DevicePref::Cpu, &job, &GPU(), Some(&fast), true).gpu);
        let none = Adapter::Unusable("this browser offers no WebGPU adapter".into());
        let c = choose(DevicePref::Gpu, &job, &none, None, false);
        assert!(
            !c.gpu && c.reason.contains("no WebGPU adapter"),
            "{}",
            c.reason
        );
    }

    #[test]
    fn a_page_without_a_usable_gpu_never_fetches_the_gpu_worker() {
        let none = Adapter::Unusable("this browser has no WebGPU".into());
        for pref in [DevicePref::Auto, DevicePref::Gpu, DevicePref::Cpu] {
            let r = route(pref, &Job::Train(spec()), &none, None, false);
            assert_eq!(r.engine, Engine::Cpu, "{pref:?}");
            assert_eq!(r.measure, None, "nothing to measure: {pref:?}");
            let note = r.note.unwrap();
            match pref {
                DevicePref::Cpu => assert_eq!(note, "You chose the CPU."),
                _ => assert!(note.contains("no WebGPU"), "{note}"),
            }
        }
        let crossover: CrossoverSpec =
            serde_json::from_str(r#"{"sizes": [[8, 32]], "steps": 4, "max_step_ms": 100}"#)
                .unwrap();
        let job = Job::Crossover(crossover);
        assert_eq!(
            route(DevicePref::Auto, &job, &none, None, false).engine,
            Engine::Cpu
        );
        assert_eq!(
            route(DevicePref::Cpu, &job, &GPU(), None, false).engine,
            Engine::Gpu,
            "the crossover times both backends wherever there is a GPU"
        );
    }

    #[test]
    fn the_cpu_worker_trains_while_the_gpu_worker_measures_or_compiles() {
        let job = Job::Train(spec());
        let first = route(DevicePref::Auto, &job, &GPU(), None, false);
        assert_eq!(
            (first.engine, first.measure),
            (Engine::Cpu, Some(Measure::Calibrate))
        );
        assert!(first.note.unwrap().contains("measures how fast the GPU is"));
        let fast = Calibration {
            cpu_ms: 40.0,
            gpu_ms: 2.0,
            compile_ms: 3000.0,
        };
        let cold = route(DevicePref::Auto, &job, &GPU(), Some(&fast), false);
        assert_eq!(
            (cold.engine, cold.measure),
            (Engine::Cpu, Some(Measure::WarmUp))
        );
        let warm = route(DevicePref::Auto, &job, &GPU(), Some(&fast), true);
        assert_eq!(
            (warm.engine, warm.note, warm.measure),
            (Engine::Gpu, None, None)
        );
        let slow = Calibration {
            cpu_ms: 1.0,
            gpu_ms: 4.0,
            compile_ms: 0.0,
        };
        let r = route(DevicePref::Auto, &job, &GPU(), Some(&slow), true);
        assert_eq!((r.engine, r.measure), (Engine::Cpu, None));
        assert_eq!(
            route(DevicePref::Gpu, &job, &GPU(), Some(&slow), false).engine,
            Engine::Gpu,
            "the learner's choice"
        );
    }

    #[test]
    fn the_crossover_sits_where_the_lines_cross() {
        // CPU time grows with the work; the GPU's stays near its fixed cost, then grows.
        let points = [(1e4, 0.1, 2.0), (1e6, 10.0, 2.5), (1e8, 1000.0, 20.0)];
        let at = crossover(&points).unwrap();
        assert!(at > 1e4 && at < 1e6, "{at}");
        // On log scales the gap ln(gpu/cpu) goes 3.0 -> -1.39: zero at 68% of the way.
        let expected = (1e4f64.ln() + (1e6f64.ln() - 1e4f64.ln()) * 3.0 / (3.0 + 1.386)).exp();
        assert!((at / expected - 1.0).abs() < 0.01, "{at} vs {expected}");
        assert_eq!(
            crossover(&[(1e4, 0.1, 2.0), (1e6, 10.0, 20.0)]),
            None,
            "never faster"
        );
        assert_eq!(
            crossover(&[(1e4, 5.0, 2.0), (1e6, 10.0, 2.0)]),
            None,
            "always faster: no crossing to mark"
        );
    }

    #[test]
    fn sizes_differ_by_depth_parameters_and_batch() {
        let a = spec();
        let mut b = a.clone();
        b.model.hidden[0].width = 256;
        let mut c = a.clone();
        c.batch_size = 256;
        let mut d = a.clone();
        d.model.hidden.push(d.model.hidden[0]);
        let keys = [&a, &b, &c, &d].map(size_key);
        for i in 0..4 {
            for j in i + 1..4 {
                assert_ne!(keys[i], keys[j]);
            }
        }
        assert_eq!(calibration_key("x", &a), format!("x|{}", keys[0]));
    }
}
