//! What the lesson's demos claim, checked on the real engine with the real presets from
//! content/: if a preset stops showing its pattern, this fails.
#![cfg(feature = "engine")]

use aesop_train::demo::DemoPreset;
use aesop_train::engine::{run_to_end, Descent, TrainError};
use aesop_train::{ExperimentSpec, Job, Metrics};
use burn::prelude::Device;

fn demo(name: &str) -> DemoPreset {
    let path = format!(
        "{}/../../content/module-2/demos/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    DemoPreset::parse(&std::fs::read_to_string(&path).unwrap())
        .unwrap_or_else(|e| panic!("{path}: {e:?}"))
}

fn spec(demo_name: &str, preset: &str) -> ExperimentSpec {
    match &demo(demo_name)
        .preset(preset)
        .unwrap_or_else(|| panic!("{demo_name} has no preset {preset}"))
        .job
    {
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
    assert!(
        last.train_loss < 0.5 * first.train_loss,
        "{} → {}",
        first.train_loss,
        last.train_loss
    );
    assert!(
        last.val_loss.unwrap() < 0.3,
        "validation loss {}",
        last.val_loss.unwrap()
    );
    assert!(last.val_accuracy.unwrap() > 0.9);
}

#[test]
fn overfitting_preset_validation_rises_while_training_falls() {
    let r = run("read-the-curve", "overfitting").unwrap();
    let val: Vec<f32> = r.iter().map(|m| m.val_loss.unwrap()).collect();
    let best = val
        .iter()
        .enumerate()
        .min_by(|a, b| a.1.total_cmp(b.1))
        .unwrap()
        .0;
    let last = r.len() - 1;
    assert!(
        best < last * 2 / 3,
        "validation loss should bottom out early, best epoch {best} of {last}"
    );
    assert!(
        val[last] > 1.3 * val[best],
        "validation loss rises: best {} → final {}",
        val[best],
        val[last]
    );
    assert!(
        r[last].train_loss < r[best].train_loss * 0.5,
        "training loss keeps falling: {} → {}",
        r[best].train_loss,
        r[last].train_loss
    );
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
            assert!(
                jumpiness(&r) > 10.0 * jumpiness(&normal),
                "jumps {} vs {}: {losses:?}",
                jumpiness(&r),
                jumpiness(&normal)
            );
            assert!(
                r.last().unwrap().train_loss > 2.0 * normal.last().unwrap().train_loss,
                "{losses:?}"
            );
        }
    }
}

#[test]
fn a_tiny_learning_rate_is_stuck_near_a_coin_flip() {
    let r = run("read-the-curve", "stuck").unwrap();
    let (first, last) = (r[0].train_loss, r.last().unwrap().train_loss);
    assert!((first - last).abs() < 0.02, "{first} → {last}");
    assert!(
        (last - std::f32::consts::LN_2).abs() < 0.1,
        "near ln 2: {last}"
    );
}

#[test]
fn plain_cross_entropy_games_accuracy_and_weighting_recovers_recall() {
    let plain = run("imbalance", "plain").unwrap();
    let p = plain.last().unwrap();
    assert!(
        p.val_accuracy.unwrap() >= 0.98,
        "accuracy {}",
        p.val_accuracy.unwrap()
    );
    assert!(
        p.val_recall.unwrap() <= 0.1,
        "recall {}",
        p.val_recall.unwrap()
    );
    let weighted = run("imbalance", "weighted").unwrap();
    let w = weighted.last().unwrap();
    assert!(
        w.val_recall.unwrap() >= 0.6,
        "weighted recall {}",
        w.val_recall.unwrap()
    );
    let c = w.confusion.unwrap();
    assert_eq!(
        c.iter().flatten().sum::<u32>() as usize,
        spec("imbalance", "weighted").dataset.size - spec("imbalance", "weighted").train_size()
    );
}

#[test]
fn descent_leaves_the_saddle_region() {
    for preset in ["sgd", "momentum"] {
        let Job::Descend(d) = demo("landscape").preset(preset).unwrap().job.clone() else {
            panic!()
        };
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
        assert!(
            distance > 0.7,
            "{preset}: ended at {last:?}, {distance} from the saddle"
        );
        assert!(
            last[2] < start_value - 1.0,
            "{preset}: loss {start_value} → {}",
            last[2]
        );
    }
}

#[test]
fn autodiff_descent_matches_the_closed_form_gradient() {
    // One plain SGD step from a known point moves by exactly lr × the analytic gradient.
    use aesop_train::spec::OptimizerSpec;
    use aesop_train::surface::Surface;
    use aesop_train::DescentSpec;
    for surface in [
        Surface::TwoValleys,
        Surface::Rosenbrock,
        Surface::IllConditioned,
    ] {
        let start = [0.4, -0.3];
        let lr = 0.001;
        let mut d = Descent::new(
            DescentSpec {
                surface,
                start,
                optimizer: OptimizerSpec::Sgd { lr },
                steps: 1,
            },
            &cpu(),
        );
        let [x, y, _] = futures::executor::block_on(d.step()).unwrap();
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

// ---- Lessons 2 to 4 ----

use aesop_train::predict::{Evidence, Rule};

fn outcome(rule: Rule, history: &[Metrics], alarm: bool) -> Option<usize> {
    rule.outcome(&Evidence {
        history,
        alarm,
        ..Default::default()
    })
}

#[test]
fn backprop_by_hand_matches_finite_differences_and_burns_autodiff() {
    use aesop_train::backprop::{relative_gap, PARAMS};
    use aesop_train::engine::autodiff_gradients;
    let d = demo("backprop-steps");
    assert!(d.presets.len() >= 2);
    for p in &d.presets {
        let Job::Backprop(net) = &p.job else {
            panic!("{} is not a backprop job", p.name)
        };
        let chain = net.backward();
        let fd = net.finite_differences(1e-4);
        let auto = futures::executor::block_on(autodiff_gradients(net, &cpu())).unwrap();
        for i in 0..PARAMS.len() {
            let by_hand = chain[i].gradient;
            assert_eq!(chain[i].param, PARAMS[i]);
            assert!(
                relative_gap(by_hand, fd[i]) < 1e-3,
                "{} {}: chain {by_hand} vs finite differences {}",
                p.name,
                PARAMS[i],
                fd[i]
            );
            assert!(
                relative_gap(by_hand, auto[i]) < 1e-3,
                "{} {}: chain {by_hand} vs autodiff {}",
                p.name,
                PARAMS[i],
                auto[i]
            );
        }
    }
    // The ReLU preset's second hidden unit is off, so its incoming weights get exactly 0.
    let Job::Backprop(relu) = &d.preset("relu").unwrap().job else {
        panic!()
    };
    let g = relu.backward();
    assert!(
        relu.forward().z[1] < 0.0
            && g[2].gradient == 0.0
            && g[3].gradient == 0.0
            && g[0].gradient != 0.0
    );
}

#[test]
fn each_stuck_mystery_sits_at_ln_10_and_its_evidence_names_its_cause() {
    // Option order: learning rate near zero, dead ReLUs, zero initialization.
    for (preset, cause) in [("mystery-a", 2), ("mystery-b", 0), ("mystery-c", 1)] {
        let r = run("gradient-monitor", preset).unwrap();
        let last = r.last().unwrap();
        assert!(
            (last.train_loss - std::f32::consts::LN_10).abs() < 0.1,
            "{preset}: loss {}",
            last.train_loss
        );
        assert_eq!(
            outcome(Rule::Diagnosis, &r, false),
            Some(cause),
            "{preset}: {last:?}"
        );
    }
    let healthy = run("gradient-monitor", "healthy").unwrap();
    assert!(
        healthy.last().unwrap().train_loss < 2.0,
        "the healthy run leaves 2.30: {}",
        healthy.last().unwrap().train_loss
    );
}

#[test]
fn ten_times_the_rate_oscillates_forty_blows_up_and_clipping_tames_it() {
    // Option order: settles, oscillates, blows up, barely moves.
    let result = |preset: &str| match run("too-high-lr", preset) {
        Ok(r) => (
            outcome(Rule::RunOutcome, &r, false),
            r.last().unwrap().val_accuracy.unwrap(),
        ),
        Err(TrainError::NonFinite(_)) => {
            (outcome(Rule::RunOutcome, &[Metrics::default()], true), 0.0)
        }
        Err(e) => panic!("{e}"),
    };
    let (healthy, acc) = result("healthy");
    assert_eq!(healthy, Some(0));
    assert!(acc > 0.8);
    assert_eq!(result("ten-times").0, Some(1));
    assert_eq!(result("forty-times").0, Some(2));
    let (clipped, acc) = result("forty-times-clipped");
    assert_eq!(clipped, Some(0));
    assert!(acc > 0.9, "clipped accuracy {acc}");
}

fn final_gradients(preset: &str) -> Vec<f32> {
    run("depth", preset)
        .unwrap()
        .last()
        .unwrap()
        .grad_mean_abs
        .clone()
}

#[test]
fn sigmoid_twelve_starves_its_first_layer_and_relu_twelve_does_not() {
    let sigmoid = final_gradients("sigmoid-12");
    assert_eq!(sigmoid.len(), 13, "12 hidden layers and the output layer");
    let (first, last) = (sigmoid[0], *sigmoid.last().unwrap());
    assert!(
        first * 100.0 <= last,
        "sigmoid: first layer {first:e}, last {last:e}"
    );
    let relu = final_gradients("relu-12");
    let (first, last) = (relu[0], *relu.last().unwrap());
    assert!(
        first * 10.0 >= last && last * 10.0 >= first,
        "relu: first layer {first:e}, last {last:e}"
    );
    let depth = demo("depth");
    let h = run("depth", "sigmoid-12").unwrap();
    assert_eq!(
        outcome(depth.predict.unwrap().rule, &h, false),
        Some(0),
        "the smallest gradient is on the input side: {:?}",
        h.last().unwrap().grad_mean_abs
    );
}

#[test]
fn a_high_learning_rate_kills_relus_and_leaky_relu_loses_fewer() {
    let dead = |preset: &str| {
        run("dead-neurons", preset)
            .unwrap()
            .last()
            .unwrap()
            .dead_fraction
            .unwrap()
    };
    let relu = dead("relu-high-lr");
    assert!(relu >= 0.30, "ReLU at a high rate: {relu}");
    let leaky = dead("leaky-high-lr");
    assert!(leaky < relu, "Leaky ReLU {leaky} vs ReLU {relu}");
    let (bad, bad_leaky, he) = (
        dead("relu-bad-init"),
        dead("leaky-bad-init"),
        dead("relu-he"),
    );
    assert!(
        bad_leaky < bad * 0.75,
        "Leaky recovers from the bad init: {bad_leaky} vs {bad}"
    );
    assert!(
        he < bad && he < relu,
        "He init at a moderate rate keeps most alive: {he}"
    );
}

#[test]
fn adam_reaches_the_narrow_bowls_minimum_before_sgd_each_at_its_best_rate() {
    use aesop_train::engine::race_to_end;
    use aesop_train::protocol::steps_to_reach;
    use aesop_train::spec::OptimizerSpec;
    let Job::Race(bowl) = demo("optimizer-race").preset("bowl").unwrap().job.clone() else {
        panic!()
    };
    let best = |make: fn(f64) -> OptimizerSpec, grid: &[f64]| {
        grid.iter()
            .filter_map(|&lr| {
                let race = aesop_train::RaceSpec {
                    racers: vec![aesop_train::Racer {
                        label: String::new(),
                        optimizer: make(lr),
                    }],
                    ..bowl.clone()
                };
                let (path, _) = &race_to_end(&race, &cpu()).unwrap()[0];
                steps_to_reach(path, bowl.surface.minimum().unwrap() + bowl.tolerance)
                    .map(|s| (s, lr))
            })
            .min_by_key(|x| x.0)
            .unwrap()
    };
    let grid = [0.01, 0.03, 0.05, 0.07, 0.09, 0.1, 0.3, 0.5, 1.0];
    let sgd = best(|lr| OptimizerSpec::Sgd { lr }, &grid);
    let adam = best(
        |lr| OptimizerSpec::Adam {
            lr,
            beta1: 0.9,
            beta2: 0.999,
        },
        &grid,
    );
    assert!(adam.0 < sgd.0, "Adam {adam:?} vs SGD {sgd:?} (steps, lr)");
    // The preset's race agrees: Adam arrives first at the rates the demo starts with.
    let paths: Vec<Vec<[f64; 3]>> = race_to_end(&bowl, &cpu())
        .unwrap()
        .into_iter()
        .map(|p| p.0)
        .collect();
    let first = Rule::FirstToFinish
        .outcome(&Evidence {
            paths: &paths,
            race: Some(&bowl),
            ..Default::default()
        })
        .unwrap();
    assert!(
        bowl.racers[first].label.starts_with("Adam"),
        "first: {}",
        bowl.racers[first].label
    );
}

#[test]
fn the_engine_follows_warmup_then_cosine() {
    use std::f64::consts::PI;
    let s = spec("schedules", "warmup-cosine");
    let aesop_train::spec::ScheduleSpec::WarmupCosine { warmup_steps, .. } = s.schedule else {
        panic!()
    };
    let (base, total) = (s.optimizer.lr(), s.total_steps());
    // Written out here, apart from the engine's own code.
    let expected = |step: usize| {
        if step < warmup_steps {
            base * (step + 1) as f64 / warmup_steps as f64
        } else {
            base * 0.5
                * (1.0 + (PI * (step - warmup_steps) as f64 / (total - warmup_steps) as f64).cos())
        }
    };
    let mut short = s.clone();
    short.epochs = 12;
    let r = run_to_end(s.clone(), cpu()).unwrap();
    for m in &r[1..] {
        assert!(
            (m.lr - expected(m.step - 1)).abs() < 1e-9,
            "step {}: {} vs {}",
            m.step,
            m.lr,
            expected(m.step - 1)
        );
    }
    let constant = run("schedules", "constant").unwrap();
    assert!(
        r.last().unwrap().train_loss < constant.last().unwrap().train_loss,
        "the decayed run settles lower"
    );
}

#[test]
fn k_times_the_batch_needs_k_times_the_learning_rate() {
    let end = |preset: &str| {
        run("batch-size", preset)
            .unwrap()
            .last()
            .unwrap()
            .train_loss
    };
    let (base, big, scaled) = (end("batch-16"), end("batch-64"), end("batch-64-scaled"));
    assert!(
        (scaled - base).abs() * 4.0 < (big - base).abs(),
        "baseline {base}, 4× batch {big}, 4× batch and rate {scaled}"
    );
}
