//! Lesson 3 (activations and vanishing gradients): the activation gallery, the depth
//! experiment (with skip connections), dead neurons.

use super::*;
use aesop_train::activations::{derivative, peak_derivative};
use aesop_train::spec::{Activation, Init};

#[test]
pub fn the_gallerys_sigmoid_never_slopes_above_a_quarter() {
    assert!(demo("activation-gallery").presets.is_empty());
    assert!((peak_derivative(Activation::Sigmoid) - 0.25).abs() < 1e-12);
    for i in -1000..=1000 {
        let x = i as f64 / 50.0;
        assert!(derivative(Activation::Sigmoid, x) <= 0.25);
    }
    assert_eq!(derivative(Activation::Sigmoid, 0.0), 0.25);
}

// ---- Depth ----

fn final_gradients(preset: &str) -> Vec<f32> {
    run("depth", preset)
        .unwrap()
        .last()
        .unwrap()
        .grad_mean_abs
        .clone()
}

/// Largest over smallest, of the hidden layers alone or with the output layer.
fn spread(g: &[f32]) -> f32 {
    g.iter().cloned().fold(f32::MIN, f32::max) / g.iter().cloned().fold(f32::MAX, f32::min)
}

#[test]
pub fn depth_runs_twelve_hidden_layers_of_32_on_the_moons_for_three_epochs() {
    let d = demo("depth");
    assert!(d.residual_toggle);
    for p in &d.presets {
        let s = spec("depth", &p.name);
        assert_eq!(s.model.hidden.len(), 12, "{}", p.name);
        assert!(s.model.hidden.iter().all(|l| l.width == 32));
        assert_eq!(
            (s.epochs, s.dataset.generator),
            (3, aesop_train::spec::Generator::Moons)
        );
    }
    // One mean |gradient| per layer, input side first: 12 hidden and the output layer.
    assert_eq!(final_gradients("relu-12").len(), 13);
}

#[test]
pub fn sigmoid_twelve_starves_its_first_layer_a_millionfold() {
    let s = spec("depth", "sigmoid-12");
    assert_eq!(s.model.init, Init::Xavier);
    let g = final_gradients("sigmoid-12");
    let (first, last) = (g[0], *g.last().unwrap());
    assert!(
        first * 1e6 <= last,
        "first layer {first:e}, output layer {last:e}"
    );
    let h = run("depth", "sigmoid-12").unwrap();
    assert_eq!(
        outcome(demo("depth").predict.unwrap().rule, &h, false),
        Some(0),
        "the smallest gradient is on the input side: {g:?}"
    );
}

#[test]
pub fn skip_connections_keep_the_sigmoid_stacks_gradients_within_three_times() {
    let (plain, skip) = (
        spec("depth", "sigmoid-12"),
        spec("depth", "sigmoid-12-skip"),
    );
    assert!(skip.model.residual && !plain.model.residual);
    let mut same = skip.clone();
    same.model.residual = false;
    assert_eq!(same, plain, "the same network, skip connections aside");
    let (g_plain, g_skip) = (
        final_gradients("sigmoid-12"),
        final_gradients("sigmoid-12-skip"),
    );
    let hidden = |g: &[f32]| g[..12].to_vec();
    assert!(spread(&hidden(&g_skip)) <= 3.0, "with skips: {g_skip:?}");
    assert!(spread(&hidden(&g_plain)) >= 1e6, "plain: {g_plain:?}");
    // Three epochs teach neither sigmoid stack the moons.
    for p in ["sigmoid-12", "sigmoid-12-skip"] {
        let l = run("depth", p).unwrap().last().unwrap().train_loss;
        assert!(l > 0.65, "{p}: {l}");
    }
}

#[test]
pub fn relu_with_the_default_init_starves_its_first_layer_and_does_not_learn() {
    let s = spec("depth", "relu-12-default");
    assert_eq!(s.model.init, Init::Default);
    assert!(s
        .model
        .hidden
        .iter()
        .all(|l| l.activation == Activation::Relu));
    let g = final_gradients("relu-12-default");
    let (first, last) = (g[0], *g.last().unwrap());
    assert!(
        first * 1000.0 <= last,
        "first layer {first:e}, output layer {last:e}"
    );
    // Shrinking on the way down: each of the top hidden layers gets less than the one above.
    assert!(g[8..].windows(2).all(|w| w[0] < w[1]), "{g:?}");
    let l = run("depth", "relu-12-default")
        .unwrap()
        .last()
        .unwrap()
        .train_loss;
    assert!((l - std::f32::consts::LN_2).abs() < 0.01, "loss {l}");
}

#[test]
pub fn relu_and_gelu_with_he_init_keep_every_layer_within_twenty_times() {
    for (preset, act) in [("relu-12", Activation::Relu), ("gelu-12", Activation::Gelu)] {
        let s = spec("depth", preset);
        assert_eq!(s.model.init, Init::He);
        assert!(s.model.hidden.iter().all(|l| l.activation == act));
        let g = final_gradients(preset);
        assert!(spread(&g) <= 20.0, "{preset}: {g:?}");
    }
    let r = run("depth", "relu-12").unwrap();
    assert!(
        r.last().unwrap().train_loss < 0.5 * r[0].train_loss,
        "the ReLU stack's loss falls"
    );
}

#[test]
pub fn the_depth_question_is_settled_by_every_preset_run() {
    // A flat profile answers "nowhere in particular"; a starved one names the input side.
    let rule = demo("depth").predict.unwrap().rule;
    for (preset, expected) in [
        ("sigmoid-12", 0),
        ("relu-12-default", 0),
        ("sigmoid-12-skip", 3),
        ("relu-12", 3),
        ("gelu-12", 3),
    ] {
        let h = run("depth", preset).unwrap();
        assert_eq!(
            outcome(rule, &h, false),
            Some(expected),
            "{preset}: {:?}",
            h.last().unwrap().grad_mean_abs
        );
    }
}

// ---- Dead neurons ----

fn dead_by_epoch(demo_name: &str, preset: &str) -> Vec<f32> {
    run(demo_name, preset)
        .unwrap()
        .iter()
        .map(|m| m.dead_fraction.unwrap())
        .collect()
}

#[test]
pub fn a_unit_is_dead_when_it_is_below_zero_for_every_validation_example() {
    for p in demo("dead-neurons").presets {
        let s = spec("dead-neurons", &p.name);
        let widths: Vec<usize> = s.model.hidden.iter().map(|l| l.width).collect();
        assert_eq!((widths, s.outputs()), (vec![64, 64], 1));
        assert!(matches!(
            s.optimizer,
            aesop_train::spec::OptimizerSpec::Adam { .. }
        ));
        assert_eq!(s.dataset.generator, aesop_train::spec::Generator::Moons);
    }
    // A silent Leaky ReLU unit still passes 1% of the gradient.
    assert_eq!(derivative(Activation::LeakyRelu, -1.0), 0.01);
    // Biases far below zero: every unit is below zero for every example, all dead. All
    // weights and biases at zero: every pre-activation is exactly 0, not below it, so none
    // counts as dead (the gradient monitor tells that case apart).
    let first_report = |f: &dyn Fn(&mut ExperimentSpec)| {
        let mut s = spec("dead-neurons", "relu-he");
        s.epochs = 1;
        f(&mut s);
        run_to_end(s, cpu()).unwrap()[0].dead_fraction
    };
    assert_eq!(
        first_report(&|s| s.model.hidden_bias = Some(-50.0)),
        Some(1.0)
    );
    assert_eq!(first_report(&|s| s.model.init = Init::Zeros), Some(0.0));
    // In between, the count is the share of units whose largest pre-activation is below 0.
    let some = first_report(&|s| s.model.hidden_bias = Some(-1.0)).unwrap();
    assert!(
        some > 0.0 && some < 1.0 && (some * 128.0).fract() == 0.0,
        "{some}"
    );
}

#[test]
pub fn relu_at_a_high_rate_loses_a_quarter_in_the_first_epoch_and_two_in_five_by_the_end() {
    let d = dead_by_epoch("dead-neurons", "relu-high-lr");
    assert!(d[0] < 0.1, "{d:?}");
    assert!((0.2..=0.32).contains(&d[1]), "after one epoch: {d:?}");
    let last = *d.last().unwrap();
    assert!((0.35..=0.45).contains(&last), "at the end: {d:?}");
    assert!(d[1..].windows(2).any(|w| w[1] > w[0]), "more follow");
}

#[test]
pub fn leaky_relu_at_a_high_rate_lets_some_units_back_and_ends_with_fewer_silent() {
    let (relu, leaky) = (
        dead_by_epoch("dead-neurons", "relu-high-lr"),
        dead_by_epoch("dead-neurons", "leaky-high-lr"),
    );
    assert!(
        leaky.windows(2).any(|w| w[1] <= w[0] - 0.03),
        "the line dips: {leaky:?}"
    );
    assert!(
        leaky.last() < relu.last(),
        "Leaky {leaky:?} vs ReLU {relu:?}"
    );
}

#[test]
pub fn biases_at_minus_one_kill_a_third_before_the_first_step_and_they_stay_dead() {
    let d = dead_by_epoch("dead-neurons", "relu-bad-init");
    assert_eq!(
        spec("dead-neurons", "relu-bad-init").model.hidden_bias,
        Some(-1.0)
    );
    assert!(d[0] > 1.0 / 3.0, "before the first step: {d:?}");
    assert!(
        d.iter().all(|&v| v >= d[0]),
        "never drops below the start: {d:?}"
    );
}

#[test]
pub fn leaky_relu_brings_half_the_silent_units_back_within_two_epochs() {
    let (relu, leaky) = (
        dead_by_epoch("dead-neurons", "relu-bad-init"),
        dead_by_epoch("dead-neurons", "leaky-bad-init"),
    );
    let back = (leaky[0] - leaky[1].min(leaky[2])) / leaky[0];
    assert!(
        (0.35..=0.65).contains(&back),
        "{back} of the silent units back: {leaky:?}"
    );
    assert!(
        relu.last() > relu.first(),
        "plain ReLU's count grows: {relu:?}"
    );
}

#[test]
pub fn he_init_at_a_moderate_rate_keeps_four_in_five_alive() {
    let d = dead_by_epoch("dead-neurons", "relu-he");
    assert!(d.iter().all(|&v| v < 0.2), "{d:?}");
    assert!(d.last() < dead_by_epoch("dead-neurons", "relu-high-lr").last());
}
