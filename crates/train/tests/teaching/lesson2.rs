//! Lesson 2 (backpropagation): backprop by hand, the gradient monitor, too high a rate.

use super::*;
use aesop_train::backprop::{relative_gap, TinyNet, PARAMS};
use aesop_train::engine::{autodiff_gradients, Trainer};
use aesop_train::reverse::Graph;

fn net(demo_name: &str, preset: &str) -> TinyNet {
    match job(demo_name, preset) {
        Job::Backprop(n) => n,
        other => panic!("{preset} is not a backprop job: {other:?}"),
    }
}

#[test]
pub fn backprop_products_and_reverse_mode_match_finite_differences_and_burns_autodiff() {
    let d = demo("backprop-steps");
    assert_eq!(d.presets.len(), 3);
    for p in &d.presets {
        let n = net("backprop-steps", &p.name);
        let chain = n.backward();
        let fd = n.finite_differences(1e-4);
        let auto = futures::executor::block_on(autodiff_gradients(&n, &cpu())).unwrap();
        let graph = Graph::of(&n);
        for i in 0..PARAMS.len() {
            let by_hand = chain[i].gradient;
            assert_eq!(chain[i].param, PARAMS[i]);
            assert!(
                relative_gap(by_hand, fd[i]) < 1e-3,
                "{} {}: {by_hand} vs {}",
                p.name,
                PARAMS[i],
                fd[i]
            );
            assert!(
                relative_gap(by_hand, auto[i]) < 1e-3,
                "{} {}: {by_hand} vs autodiff {}",
                p.name,
                PARAMS[i],
                auto[i]
            );
            // One backward sweep: the parameter's adjoint is the same gradient.
            let adjoint = graph.adjoint(PARAMS[i]).unwrap();
            assert!(
                relative_gap(adjoint, auto[i]) < 1e-3,
                "{} {}: adjoint {adjoint} vs autodiff {}",
                p.name,
                PARAMS[i],
                auto[i]
            );
        }
        // Every node's adjoint is its terms' sum (local derivative × the reader's adjoint),
        // and what nudging that node does to the loss.
        assert_eq!(graph.backward.len(), graph.nodes.len());
        assert_eq!(
            graph.backward[0].adjoint, 1.0,
            "the sweep starts at ∂L/∂L = 1"
        );
        for s in &graph.backward[1..] {
            let sum: f64 = s.terms.iter().map(|t| t.local_value * t.upstream).sum();
            assert_eq!(sum, s.adjoint);
            let fd = graph.finite_difference(s.node, 1e-6);
            assert!(
                relative_gap(s.adjoint, fd) < 1e-5,
                "{} {}: {} vs {fd}",
                p.name,
                graph.nodes[s.node].name,
                s.adjoint
            );
        }
        // The forward sweep computes each node once, in order.
        let f = n.forward();
        let loss = graph.values[graph.loss()];
        assert_eq!(loss, f.loss);
    }
}

#[test]
pub fn backprop_sigmoid_every_weight_gets_gradient_through_slopes_under_a_quarter() {
    let n = net("backprop-steps", "sigmoid");
    assert!(n.backward().iter().all(|c| c.gradient != 0.0));
    for z in n.forward().z {
        let slope = aesop_train::activations::derivative(n.activation, z);
        assert!(slope > 0.0 && slope <= 0.25, "f′({z}) = {slope}");
    }
}

#[test]
pub fn backprop_relu_a_unit_below_zero_gets_no_gradient() {
    let n = net("backprop-steps", "relu");
    let g = n.backward();
    assert!(n.forward().z[1] < 0.0);
    // w1_21, w1_22 and b1_2 feed hidden unit 2: each is exactly 0; unit 1's are not.
    for i in [2, 3, 5] {
        assert_eq!(g[i].gradient, 0.0, "{}", g[i].param);
    }
    for i in [0, 1, 4] {
        assert_ne!(g[i].gradient, 0.0, "{}", g[i].param);
    }
}

#[test]
pub fn backprop_tanh_miss_a_big_error_reaches_the_first_layer_only_through_flat_slopes() {
    let n = net("backprop-steps", "tanh-miss");
    let f = n.forward();
    // A miss of about 4, so ∂L/∂ŷ = 2(ŷ − t) is about 8.
    assert!(
        ((f.y_hat - n.target) - 4.0).abs() < 0.1,
        "ŷ {} vs t {}",
        f.y_hat,
        n.target
    );
    let dl = 2.0 * (f.y_hat - n.target);
    assert!((dl - 8.0).abs() < 0.2, "∂L/∂ŷ = {dl}");
    let g = n.backward();
    // Every gradient carries the factor.
    assert!(g.iter().all(|c| c.factors[0].1 == dl));
    let output: Vec<f64> = g[6..].iter().map(|c| c.gradient.abs()).collect();
    assert!(output.iter().all(|&v| v > 7.0), "output layer {output:?}");
    // Both units are saturated: slopes near 0.05 and 0.11.
    let slopes =
        f.z.map(|z| aesop_train::activations::derivative(n.activation, z));
    assert!(
        (slopes[0] - 0.05).abs() < 0.01 && (slopes[1] - 0.11).abs() < 0.01,
        "{slopes:?}"
    );
    let first: f64 = g[..6].iter().map(|c| c.gradient.abs()).fold(0.0, f64::max);
    let smallest_output = output.iter().cloned().fold(f64::MAX, f64::min);
    assert!(
        first * 5.0 <= smallest_output,
        "first layer up to {first}, output from {smallest_output}"
    );
}

// ---- The gradient monitor ----

#[test]
pub fn each_stuck_mystery_sits_at_ln_10_and_its_evidence_names_its_cause() {
    // A 4-layer ReLU network (3 hidden, 1 output) on 10 classes.
    for p in demo("gradient-monitor").presets {
        let s = spec("gradient-monitor", &p.name);
        assert_eq!((s.model.hidden.len(), s.dataset.classes), (3, 10));
        assert!(s
            .model
            .hidden
            .iter()
            .all(|l| l.activation == aesop_train::spec::Activation::Relu));
    }
    // Option order: learning rate near zero, dead ReLUs, zero initialization.
    for (preset, cause) in [("mystery-a", 2), ("mystery-b", 0), ("mystery-c", 1)] {
        let r = run("gradient-monitor", preset).unwrap();
        for m in &r {
            assert!(
                (m.train_loss - std::f32::consts::LN_10).abs() < 0.1,
                "{preset} epoch {}: loss {}",
                m.epoch,
                m.train_loss
            );
        }
        assert_eq!(
            outcome(Rule::Diagnosis, &r, false),
            Some(cause),
            "{preset}: {:?}",
            r.last()
        );
    }
}

#[test]
pub fn the_mysteries_gradients_and_dead_counts_tell_them_apart() {
    let last = |p: &str| run("gradient-monitor", p).unwrap().last().unwrap().clone();
    let (a, b, c) = (last("mystery-a"), last("mystery-b"), last("mystery-c"));
    // A: no gradient at all in any layer; B: small but real gradients.
    assert!(
        a.grad_mean_abs.iter().all(|&g| g == 0.0),
        "{:?}",
        a.grad_mean_abs
    );
    assert!(
        b.grad_mean_abs.iter().all(|&g| g > 0.0),
        "{:?}",
        b.grad_mean_abs
    );
    // C's units are dead; A's and B's are not.
    assert!(c.dead_fraction.unwrap() >= 0.5, "{:?}", c.dead_fraction);
    assert!(a.dead_fraction.unwrap() < 0.1 && b.dead_fraction.unwrap() < 0.1);
}

#[test]
pub fn a_healthy_run_has_gradients_around_a_hundredth_and_leaves_2_30_within_an_epoch() {
    let r = run("gradient-monitor", "healthy").unwrap();
    assert!(
        r[1].train_loss < 2.2,
        "after one epoch: {}",
        r[1].train_loss
    );
    for m in &r[1..] {
        assert!(
            m.grad_mean_abs.iter().all(|&g| (0.003..=0.1).contains(&g)),
            "epoch {}: {:?}",
            m.epoch,
            m.grad_mean_abs
        );
    }
    let s = spec("gradient-monitor", "healthy");
    assert_eq!(s.model.init, aesop_train::spec::Init::He);
}

// ---- Too high a learning rate ----

/// How a run ended by the run-outcome rule, with its reports or its alarm.
fn too_high(
    demo_name: &str,
    preset: &str,
) -> (Option<usize>, Option<Vec<Metrics>>, Option<String>) {
    match run(demo_name, preset) {
        Ok(r) => (outcome(Rule::RunOutcome, &r, false), Some(r), None),
        Err(TrainError::NonFinite(why)) => (
            outcome(Rule::RunOutcome, &[Metrics::default()], true),
            None,
            Some(why),
        ),
        Err(e) => panic!("{e}"),
    }
}

#[test]
pub fn too_high_lr_presets_multiply_the_healthy_rate_of_the_same_network() {
    let base = spec("too-high-lr", "healthy");
    assert_eq!(base.optimizer.lr(), 0.5);
    for (preset, factor) in [
        ("ten-times", 10.0),
        ("forty-times", 40.0),
        ("forty-times-clipped", 40.0),
    ] {
        let s = spec("too-high-lr", preset);
        assert_eq!(s.optimizer.lr(), 0.5 * factor, "{preset}");
        assert_eq!(
            (&s.dataset, &s.model, s.epochs),
            (&base.dataset, &base.model, base.epochs)
        );
    }
}

#[test]
pub fn a_healthy_rate_halves_the_loss_in_an_epoch_and_it_stays_down() {
    let (o, r, _) = too_high("too-high-lr", "healthy");
    assert_eq!(o, Some(0));
    let l = losses(&r.unwrap());
    assert!(l[1] <= 0.55 * l[0], "{l:?}");
    assert!(l[1..].iter().all(|&v| v <= 0.55 * l[0]), "{l:?}");
}

#[test]
pub fn ten_times_the_rate_overshoots_and_never_gets_back_below_the_start() {
    let (o, r, _) = too_high("too-high-lr", "ten-times");
    assert_eq!(o, Some(1), "oscillates");
    let l = losses(&r.unwrap());
    assert!(l[1] > 2.0 * l[0], "{l:?}");
    assert!(l[1..].iter().all(|&v| v > l[0]), "{l:?}");
}

#[test]
pub fn forty_times_the_rate_overflows_within_the_first_epoch() {
    let (o, _, why) = too_high("too-high-lr", "forty-times");
    assert_eq!(o, Some(2));
    let why = why.expect("the NaN alarm");
    let per_epoch = spec("too-high-lr", "forty-times").steps_per_epoch();
    let step: usize = why
        .split("at step ")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{why}"));
    assert!(
        step <= per_epoch,
        "overflowed at step {step} of {per_epoch} an epoch"
    );
    assert!(why.contains("learning rate") && why.contains("clip"));
}

#[test]
pub fn clipping_caps_every_step_at_rate_times_norm_and_the_run_settles() {
    let s = spec("too-high-lr", "forty-times-clipped");
    let cap = s.optimizer.lr() as f32 * s.clip_grad_norm.unwrap();
    assert!((cap - 0.4).abs() < 1e-6);
    let mut t = Trainer::new(s, cpu());
    futures::executor::block_on(async {
        let mut before = t.parameters().await.unwrap();
        for _ in 0..30 {
            t.step();
            let after = t.parameters().await.unwrap();
            let moved = before
                .iter()
                .zip(&after)
                .map(|(a, b)| (a - b).powi(2))
                .sum::<f32>()
                .sqrt();
            assert!(moved <= cap * 1.0001, "a step moved the weights {moved}");
            before = after;
        }
    });
    let (o, r, _) = too_high("too-high-lr", "forty-times-clipped");
    assert_eq!(o, Some(0), "settles");
    assert!(r.unwrap().last().unwrap().val_accuracy.unwrap() > 0.9);
}
