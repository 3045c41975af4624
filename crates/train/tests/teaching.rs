//! What the lesson's demos claim, checked on the real engine with the real presets from
//! content/: if a preset stops showing its pattern, this fails.
#![cfg(feature = "engine")]

use aesop_train::demo::DemoPreset;
use aesop_train::engine::{run_to_end, Descent, TrainError};
use aesop_train::{ExperimentSpec, Job, Metrics};
use burn::prelude::Device;

fn demo(name: &str) -> DemoPreset {
    let path = format!("{}/../../content/module-2/demos/{name}.json", env!("CARGO_MANIFEST_DIR"));
    DemoPreset::parse(&std::fs::read_to_string(&path).unwrap()).unwrap_or_else(|e| panic!("{path}: {e:?}"))
}

fn spec(demo_name: &str, preset: &str) -> ExperimentSpec {
    match &demo(demo_name).preset(preset).unwrap_or_else(|| panic!("{demo_name} has no preset {preset}")).job {
        Job::Train(spec) => spec.clone(),
        other => panic!("{preset} is not a training run: {other:?}"),
    }
}

fn cpu() -> Device {
    Device::flex().autodiff()
}

fn run(demo_name: &str, preset: &str) -> Result<Vec<Metrics>, TrainError> {
    run_to_end(spec(demo_name, preset), cpu())
}

#[test]
fn normal_training_falls_and_validation_follows() {
    let r = run("read-the-curve", "normal").unwrap();
    let (first, last) = (&r[0], r.last().unwrap());
    assert!(last.train_loss < 0.5 * first.train_loss, "{} → {}", first.train_loss, last.train_loss);
    assert!(last.val_loss.unwrap() < 0.3, "validation loss {}", last.val_loss.unwrap());
    assert!(last.val_accuracy.unwrap() > 0.9);
}

#[test]
fn overfitting_preset_validation_rises_while_training_falls() {
    let r = run("read-the-curve", "overfitting").unwrap();
    let val: Vec<f32> = r.iter().map(|m| m.val_loss.unwrap()).collect();
    let best = val.iter().enumerate().min_by(|a, b| a.1.total_cmp(b.1)).unwrap().0;
    let last = r.len() - 1;
    assert!(best < last * 2 / 3, "validation loss should bottom out early, best epoch {best} of {last}");
    assert!(val[last] > 1.3 * val[best], "validation loss rises: best {} → final {}", val[best], val[last]);
    assert!(r[last].train_loss < r[best].train_loss * 0.5, "training loss keeps falling: {} → {}", r[best].train_loss, r[last].train_loss);
}

#[test]
fn too_high_a_learning_rate_oscillates_or_diverges() {
    match run("read-the-curve", "oscillation") {
        Err(TrainError::NonFinite(message)) => assert!(message.contains("learning rate")),
        Err(other) => panic!("{other}"),
        Ok(r) => {
            // Never settles: the loss keeps jumping (large epoch-to-epoch changes late in the
            // run, where a healthy run has calmed down) and stays far above the healthy run's.
            let jumpiness = |r: &[Metrics]| {
                let late: Vec<f32> = r[r.len() / 2..].iter().map(|m| m.train_loss).collect();
                late.windows(2).map(|w| (w[1] - w[0]).abs()).sum::<f32>() / (late.len() - 1) as f32
            };
            let normal = run("read-the-curve", "normal").unwrap();
            let losses: Vec<f32> = r.iter().map(|m| m.train_loss).collect();
            assert!(jumpiness(&r) > 10.0 * jumpiness(&normal), "jumps {} vs {}: {losses:?}", jumpiness(&r), jumpiness(&normal));
            assert!(r.last().unwrap().train_loss > 2.0 * normal.last().unwrap().train_loss, "{losses:?}");
        }
    }
}

#[test]
fn a_tiny_learning_rate_is_stuck_near_a_coin_flip() {
    let r = run("read-the-curve", "stuck").unwrap();
    let (first, last) = (r[0].train_loss, r.last().unwrap().train_loss);
    assert!((first - last).abs() < 0.02, "{first} → {last}");
    assert!((last - std::f32::consts::LN_2).abs() < 0.1, "near ln 2: {last}");
}

#[test]
fn plain_cross_entropy_games_accuracy_and_weighting_recovers_recall() {
    let plain = run("imbalance", "plain").unwrap();
    let p = plain.last().unwrap();
    assert!(p.val_accuracy.unwrap() >= 0.98, "accuracy {}", p.val_accuracy.unwrap());
    assert!(p.val_recall.unwrap() <= 0.1, "recall {}", p.val_recall.unwrap());
    let weighted = run("imbalance", "weighted").unwrap();
    let w = weighted.last().unwrap();
    assert!(w.val_recall.unwrap() >= 0.6, "weighted recall {}", w.val_recall.unwrap());
    let c = w.confusion.unwrap();
    assert_eq!(c.iter().flatten().sum::<u32>() as usize, spec("imbalance", "weighted").dataset.size - spec("imbalance", "weighted").train_size());
}

#[test]
fn descent_leaves_the_saddle_region() {
    for preset in ["sgd", "momentum"] {
        let Job::Descend(d) = demo("landscape").preset(preset).unwrap().job.clone() else { panic!() };
        let saddle = d.surface.saddle().unwrap();
        let start_value = d.surface.value(d.start[0], d.start[1]);
        let mut descent = Descent::new(d, &cpu());
        let mut last = [0.0; 3];
        futures::executor::block_on(async {
            while !descent.finished() {
                last = descent.step().await.unwrap();
            }
        });
        let distance = ((last[0] - saddle[0]).powi(2) + (last[1] - saddle[1]).powi(2)).sqrt();
        assert!(distance > 0.7, "{preset}: ended at {last:?}, {distance} from the saddle");
        assert!(last[2] < start_value - 1.0, "{preset}: loss {start_value} → {}", last[2]);
    }
}

#[test]
fn autodiff_descent_matches_the_closed_form_gradient() {
    // One plain SGD step from a known point moves by exactly lr × the analytic gradient.
    use aesop_train::spec::OptimizerSpec;
    use aesop_train::surface::Surface;
    use aesop_train::DescentSpec;
    for surface in [Surface::TwoValleys, Surface::Rosenbrock, Surface::IllConditioned] {
        let start = [0.4, -0.3];
        let lr = 0.001;
        let mut d = Descent::new(DescentSpec { surface, start, optimizer: OptimizerSpec::Sgd { lr }, steps: 1 }, &cpu());
        let [x, y, _] = futures::executor::block_on(d.step()).unwrap();
        let g = surface.gradient(start[0], start[1]);
        assert!((x - (start[0] - lr * g[0])).abs() < 1e-5 && (y - (start[1] - lr * g[1])).abs() < 1e-5, "{surface:?}: ({x}, {y})");
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

#[test]
fn an_exploding_run_stops_with_an_explanation() {
    // A deep linear stack at a reckless learning rate overflows within a few epochs.
    let mut s = spec("read-the-curve", "normal");
    s.model.hidden = vec![aesop_train::spec::LayerSpec { width: 64, activation: aesop_train::spec::Activation::Linear }; 6];
    s.model.init = aesop_train::spec::Init::Default;
    s.optimizer = aesop_train::spec::OptimizerSpec::Sgd { lr: 100.0 };
    match run_to_end(s, cpu()) {
        Err(TrainError::NonFinite(message)) => {
            assert!(message.contains("NaN or infinite") && message.contains("learning rate"), "{message}");
        }
        other => panic!("expected the NaN alarm, got {other:?}"),
    }
}
