//! What the lesson's demos claim, checked on the real engine with the real presets from
//! content/: if a preset stops showing what its text says, this fails. Each lesson's demos
//! have a file under teaching/; teaching/claims.rs is the registry that ties every sentence
//! of every demo file to the tests here that assert it, and fails on a sentence it does not
//! know.
#![cfg(feature = "engine")]

#[path = "teaching/claims.rs"]
mod claims;
#[path = "teaching/lesson1.rs"]
mod lesson1;
#[path = "teaching/lesson2.rs"]
mod lesson2;
#[path = "teaching/lesson3.rs"]
mod lesson3;
#[path = "teaching/lesson4.rs"]
mod lesson4;

use aesop_train::demo::Demo;
use aesop_train::engine::{race_to_end, run_to_end, Descent, TrainError};
use aesop_train::predict::{Evidence, Rule};
use aesop_train::{DescentSpec, ExperimentSpec, Job, Metrics, RaceSpec};
use burn::prelude::Device;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

fn demo(name: &str) -> Demo {
    let path = format!(
        "{}/../../content/module-2/demos/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    Demo::parse(&std::fs::read_to_string(&path).unwrap())
        .unwrap_or_else(|e| panic!("{path}: {e:?}"))
}

fn job(demo_name: &str, preset: &str) -> Job {
    demo(demo_name)
        .preset(preset)
        .unwrap_or_else(|| panic!("{demo_name} has no preset {preset}"))
        .job
        .clone()
}

fn spec(demo_name: &str, preset: &str) -> ExperimentSpec {
    match job(demo_name, preset) {
        Job::Train(spec) => spec,
        other => panic!("{preset} is not a training run: {other:?}"),
    }
}

fn cpu() -> Device {
    Device::flex().autodiff()
}

type Outcome = Result<Vec<Metrics>, TrainError>;

/// A preset's whole run: the untrained report, then one per epoch. Runs are deterministic, so
/// each preset trains once however many tests read it.
fn run(demo_name: &str, preset: &str) -> Outcome {
    static RUNS: OnceLock<Mutex<HashMap<(String, String), Arc<OnceLock<Outcome>>>>> =
        OnceLock::new();
    let cell = RUNS
        .get_or_init(Default::default)
        .lock()
        .unwrap()
        .entry((demo_name.into(), preset.into()))
        .or_default()
        .clone();
    cell.get_or_init(|| run_to_end(spec(demo_name, preset), cpu()))
        .clone()
}

fn losses(r: &[Metrics]) -> Vec<f32> {
    r.iter().map(|m| m.train_loss).collect()
}

fn outcome(rule: Rule, history: &[Metrics], alarm: bool) -> Option<usize> {
    rule.outcome(&Evidence {
        history,
        alarm,
        ..Default::default()
    })
}

/// A descent's path from its start, (x, y, loss) at every step.
fn descend(d: DescentSpec) -> Vec<[f64; 3]> {
    let mut path = vec![[
        d.start[0],
        d.start[1],
        d.surface.value(d.start[0], d.start[1]),
    ]];
    let mut descent = Descent::new(d, &cpu());
    futures::executor::block_on(async {
        while !descent.finished() {
            path.push(descent.step().await.expect("the descent stays on the map"));
        }
    });
    path
}

fn descent(demo_name: &str, preset: &str) -> DescentSpec {
    match job(demo_name, preset) {
        Job::Descend(d) => d,
        other => panic!("{preset} is not a descent: {other:?}"),
    }
}

fn race(demo_name: &str, preset: &str) -> RaceSpec {
    match job(demo_name, preset) {
        Job::Race(r) => r,
        other => panic!("{preset} is not a race: {other:?}"),
    }
}

/// Each racer's path, run to the race's end.
fn race_paths(r: &RaceSpec) -> Vec<Vec<[f64; 3]>> {
    race_to_end(r, &cpu())
        .unwrap()
        .into_iter()
        .map(|p| p.0)
        .collect()
}

// ---- The engine itself, under every demo ----

#[test]
fn autodiff_descent_matches_the_closed_form_gradient() {
    // One plain SGD step from a known point moves by exactly lr × the analytic gradient.
    use aesop_train::spec::OptimizerSpec;
    use aesop_train::surface::Surface;
    for surface in [
        Surface::TwoValleys,
        Surface::Rosenbrock,
        Surface::IllConditioned,
        Surface::RotatedBowl,
        Surface::Saddle,
    ] {
        let start = [0.4, -0.3];
        let lr = 0.001;
        let path = descend(DescentSpec {
            surface,
            start,
            optimizer: OptimizerSpec::Sgd { lr },
            steps: 1,
        });
        let [x, y, _] = path[1];
        let g = surface.gradient(start[0], start[1]);
        assert!(
            (x - (start[0] - lr * g[0])).abs() < 1e-5 && (y - (start[1] - lr * g[1])).abs() < 1e-5,
            "{surface:?}: ({x}, {y})"
        );
    }
}

#[test]
fn the_same_spec_gives_the_same_run() {
    let mut s = spec("read-the-curve", "normal");
    s.epochs = 3;
    let a = run_to_end(s.clone(), cpu()).unwrap();
    let b = run_to_end(s, cpu()).unwrap();
    assert_eq!(a, b);
}

/// The training set's accuracy is measured with the decision regions it describes: at the
/// start, every fifth epoch and at the end. Other reports skip that pass over the whole set.
#[test]
fn training_accuracy_comes_with_the_regions() {
    let mut s = spec("read-the-curve", "normal");
    s.epochs = 12;
    let r = run_to_end(s, cpu()).unwrap();
    let measured: Vec<usize> = r
        .iter()
        .filter(|m| m.train_accuracy.is_some())
        .map(|m| m.epoch)
        .collect();
    assert_eq!(measured, [0, 5, 10, 12]);
    // The validation logits a threshold reads come with the same reports.
    let logits: Vec<usize> = r
        .iter()
        .filter(|m| m.val_logits.is_some())
        .map(|m| m.epoch)
        .collect();
    assert_eq!(logits, measured);
    let last = r.last().unwrap().train_accuracy.unwrap();
    assert!(last > 0.9, "final training accuracy {last}");
}

#[test]
fn an_exploding_run_stops_with_an_explanation() {
    // A deep linear stack at a reckless learning rate overflows within a few epochs.
    let mut s = spec("read-the-curve", "normal");
    s.model.hidden = vec![
        aesop_train::spec::LayerSpec {
            width: 64,
            activation: aesop_train::spec::Activation::Linear
        };
        6
    ];
    s.model.init = aesop_train::spec::Init::Default;
    s.optimizer = aesop_train::spec::OptimizerSpec::Sgd { lr: 100.0 };
    match run_to_end(s, cpu()) {
        Err(TrainError::NonFinite(message)) => {
            assert!(
                message.contains("NaN or infinite") && message.contains("learning rate"),
                "{message}"
            );
        }
        other => panic!("expected the NaN alarm, got {other:?}"),
    }
}
