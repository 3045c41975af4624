//! Lesson 1 (loss): the loss explorer, the imbalance trap, read the curve, the landscape.

use super::*;
use aesop_train::losses::{
    cross_entropy, cross_entropy_logit_gradient, squared_error, squared_error_logit_gradient,
};
use aesop_train::surface::Surface;
use aesop_train::threshold::{
    accuracy, confusion_at, precision, recall, threshold_for_weight, Confusion,
};

// ---- The loss explorer and the output layer's gradient ----

#[test]
pub fn losses_agree_when_right_and_part_when_confidently_wrong() {
    // The numbers the "loss-explorer" view shows, for both labels.
    assert!(demo("loss-explorer").presets.is_empty());
    for y in [0u8, 1] {
        let right = if y == 1 { 0.99 } else { 0.01 };
        let wrong = 1.0 - right;
        // Right and confident: both near zero.
        assert!(cross_entropy(y, right) < 0.011 && squared_error(y, right) < 1e-3);
        // Confidently wrong: cross-entropy about 4.6, squared error under 1.
        assert!((cross_entropy(y, wrong) - 4.605).abs() < 1e-3);
        assert!(squared_error(y, wrong) < 1.0);
        // Under the plot: cross-entropy's gradient at the logit stays near 1 in size however
        // wrong the prediction; squared error's fades toward 0.
        for p in [0.2, 0.1, 0.05, 0.01] {
            let q = if y == 1 { p } else { 1.0 - p };
            assert!(cross_entropy_logit_gradient(y, q).abs() >= 0.8);
        }
        let fading: Vec<f64> = [0.2, 0.1, 0.05, 0.01]
            .iter()
            .map(|&p| squared_error_logit_gradient(y, if y == 1 { p } else { 1.0 - p }).abs())
            .collect();
        assert!(fading.windows(2).all(|w| w[1] < w[0]), "{fading:?}");
        assert!(fading[3] < 0.02, "{fading:?}");
    }
}

#[test]
pub fn the_output_gradient_is_p_minus_y_for_cross_entropy_and_fades_for_squared_error() {
    // The "output-gradient" view: ∂L/∂z through a sigmoid output, checked against finite
    // differences of each loss through the sigmoid.
    assert!(demo("output-gradient").presets.is_empty());
    let sigmoid = |z: f64| 1.0 / (1.0 + (-z).exp());
    for y in [0u8, 1] {
        for z in [-6.0, -3.0, -1.0, 0.0, 1.0, 3.0, 6.0] {
            let (p, h) = (sigmoid(z), 1e-6);
            let fd =
                |f: fn(u8, f64) -> f64| (f(y, sigmoid(z + h)) - f(y, sigmoid(z - h))) / (2.0 * h);
            assert!((fd(cross_entropy) - (p - f64::from(y))).abs() < 1e-6);
            assert!((cross_entropy_logit_gradient(y, p) - (p - f64::from(y))).abs() < 1e-12);
            assert!((fd(squared_error) - squared_error_logit_gradient(y, p)).abs() < 1e-6);
        }
    }
    // Confidently wrong (y = 1, p = 0.01): about −1 against about −0.02, fifty times smaller.
    let (ce, mse) = (
        cross_entropy_logit_gradient(1, 0.01),
        squared_error_logit_gradient(1, 0.01),
    );
    assert!((ce + 0.99).abs() < 1e-12 && (mse + 0.019602).abs() < 1e-9);
    assert!(ce.abs() > 50.0 * mse.abs());
    // Squared error's gradient is largest at p = 1/3 and shrinks as p → 0.
    let g = |p: f64| squared_error_logit_gradient(1, p).abs();
    assert!(g(1.0 / 3.0) > g(0.3) && g(1.0 / 3.0) > g(0.37) && g(0.001) < 0.002);
}

// ---- The imbalance trap ----

/// A run's last report and the validation labels its counts are over.
fn final_counts(demo_name: &str, preset: &str) -> (Metrics, Vec<usize>) {
    let s = spec(demo_name, preset);
    let (_, val) = aesop_train::data::generate(&s.dataset);
    (
        run(demo_name, preset).unwrap().last().unwrap().clone(),
        val.y,
    )
}

fn at(m: &Metrics, labels: &[usize], threshold: f64) -> Confusion {
    confusion_at(
        m.val_logits
            .as_ref()
            .expect("the last report carries logits"),
        labels,
        threshold,
    )
}

#[test]
pub fn imbalance_plain_cross_entropy_is_99_percent_accurate_and_misses_most_positives() {
    let (p, labels) = final_counts("imbalance", "plain");
    // One example in a hundred is positive, in the validation set as in the whole.
    let positives = labels.iter().filter(|&&y| y == 1).count();
    assert_eq!(
        positives * 100,
        labels.len(),
        "{positives} of {}",
        labels.len()
    );
    assert_eq!(
        spec("imbalance", "plain").dataset.positive_fraction,
        Some(0.01)
    );
    assert!(
        p.val_accuracy.unwrap() >= 0.98,
        "accuracy {:?}",
        p.val_accuracy
    );
    assert!(p.val_recall.unwrap() <= 0.2, "recall {:?}", p.val_recall);
    // The plain loss weighs a missed positive like any other example.
    assert_eq!(
        spec("imbalance", "plain").loss,
        aesop_train::spec::LossSpec::CrossEntropy
    );
    // At 0.5 the view's counts from the logits are the engine's own.
    assert_eq!(Some(at(&p, &labels, 0.5)), p.confusion);
}

#[test]
pub fn imbalance_weighting_buys_recall_with_accuracy() {
    let (w, labels) = final_counts("imbalance", "weighted");
    let recall = w.val_recall.unwrap();
    let accuracy = w.val_accuracy.unwrap();
    assert!((0.7..=0.9).contains(&recall), "weighted recall {recall}");
    assert!(
        (0.81..=0.85).contains(&accuracy),
        "weighted accuracy {accuracy}"
    );
    let c = w.confusion.unwrap();
    assert!(c[0][1] >= 200, "false alarms {c:?}");
    assert_eq!(c.iter().flatten().sum::<u32>() as usize, labels.len());
    assert_eq!(Some(at(&w, &labels, 0.5)), w.confusion);
    let aesop_train::spec::LossSpec::WeightedCrossEntropy { positive_weight } =
        spec("imbalance", "weighted").loss
    else {
        panic!("the weighted preset weights its loss")
    };
    assert_eq!(positive_weight, 99.0);
}

#[test]
pub fn imbalance_lowering_the_plain_models_threshold_does_what_the_weighting_does() {
    let (p, labels) = final_counts("imbalance", "plain");
    let (w, _) = final_counts("imbalance", "weighted");
    let t = threshold_for_weight(99.0);
    assert!((t - 0.01).abs() < 1e-12);
    let moved = at(&p, &labels, t);
    let weighted = w.confusion.unwrap();
    let (r_moved, r_weighted) = (recall(&moved).unwrap(), recall(&weighted).unwrap());
    assert!(
        r_moved >= r_weighted - 0.1,
        "plain at {t}: recall {r_moved}, weighted at 0.5: {r_weighted}"
    );
    // Much the same model: false alarms within a third of each other.
    let (fp_moved, fp_weighted) = (moved[0][1] as f64, weighted[0][1] as f64);
    assert!(
        (fp_moved - fp_weighted).abs() <= fp_weighted / 3.0,
        "{moved:?} vs {weighted:?}"
    );
    // Lowering the threshold raises recall and lowers precision.
    let recalls: Vec<f64> = [0.5, 0.2, 0.05, 0.01, 0.002]
        .iter()
        .map(|&t| recall(&at(&p, &labels, t)).unwrap())
        .collect();
    assert!(recalls.windows(2).all(|w| w[1] >= w[0]), "{recalls:?}");
    assert!(recalls[4] >= recalls[0] + 0.5, "{recalls:?}");
    let prec = |t| precision(&at(&p, &labels, t)).unwrap();
    assert!(
        prec(0.01) < prec(0.1) && prec(0.1) < prec(0.3),
        "precision falls as the threshold does"
    );
    // The classes overlap: no threshold catches nine in ten positives with even half of its
    // alarms right.
    for i in 1..1000 {
        let c = at(&p, &labels, i as f64 / 1000.0);
        assert!(
            !(recall(&c).unwrap() >= 0.9 && precision(&c).unwrap_or(0.0) >= 0.5),
            "threshold {}: {c:?}",
            i as f64 / 1000.0
        );
    }
    assert!(
        accuracy(&moved) < 0.9,
        "a lower threshold costs accuracy too"
    );
}

// ---- Read the curve ----

#[test]
pub fn read_the_curve_trains_small_networks_on_the_half_moons() {
    for p in demo("read-the-curve").presets {
        let Job::Train(s) = &p.job else {
            panic!("{} trains", p.name)
        };
        assert_eq!(s.dataset.generator, aesop_train::spec::Generator::Moons);
        assert!(s.model.hidden.len() <= 2, "{}", p.name);
    }
    // The four patterns come from the four presets, each asserted below.
    let names: Vec<String> = demo("read-the-curve")
        .presets
        .iter()
        .map(|p| p.name.clone())
        .collect();
    assert_eq!(names, ["normal", "overfitting", "oscillation", "stuck"]);
}

#[test]
pub fn normal_training_falls_fast_flattens_and_validation_stays_close() {
    let r = run("read-the-curve", "normal").unwrap();
    let l = losses(&r);
    let (first, last) = (l[0], *l.last().unwrap());
    assert!(last < 0.25 * first, "{first} → {last}");
    // Fast: the first five epochs take at least 60% of the whole fall.
    assert!(
        first - l[5] >= 0.6 * (first - last),
        "by epoch 5: {} of {first} → {last}",
        l[5]
    );
    // Then flat: the last twenty epochs move it less than the first five did.
    let late = &l[l.len() - 20..];
    let spread = late.iter().cloned().fold(f32::MIN, f32::max)
        - late.iter().cloned().fold(f32::MAX, f32::min);
    assert!(spread < (first - l[5]) / 4.0, "late spread {spread}");
    // Close: validation within 0.1 of training at every report.
    for m in &r {
        let gap = (m.val_loss.unwrap() - m.train_loss).abs();
        assert!(
            gap <= 0.1,
            "epoch {}: train {} val {:?}",
            m.epoch,
            m.train_loss,
            m.val_loss
        );
    }
    assert!(r.last().unwrap().val_accuracy.unwrap() > 0.9);
}

#[test]
pub fn overfitting_preset_validation_rises_while_training_falls() {
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
    let s = spec("read-the-curve", "overfitting");
    assert!(s.dataset.size <= 100 && s.dataset.noise >= 0.4 && s.model.hidden[0].width >= 128);
}

#[test]
pub fn too_high_a_rate_jumps_up_and_down_without_settling() {
    // Not a blow-up: every report is finite, so the jumps are what the learner sees.
    let r = run("read-the-curve", "oscillation").expect("the run stays finite");
    let l = losses(&r);
    assert!(l.iter().all(|v| v.is_finite()));
    assert_eq!(
        outcome(Rule::RunOutcome, &r, false),
        Some(1),
        "oscillates without settling: {l:?}"
    );
    let rises = l.windows(2).filter(|w| w[1] > w[0] + 0.05).count();
    assert!(rises >= 10, "{rises} rises: {l:?}");
    // Never settles below where it started.
    assert!(l[1..].iter().all(|&v| v > l[0]), "{l:?}");
    assert!(matches!(
        spec("read-the-curve", "oscillation").optimizer,
        aesop_train::spec::OptimizerSpec::Sgd { .. }
    ));
}

#[test]
pub fn a_tiny_learning_rate_is_stuck_near_a_coin_flip() {
    let r = run("read-the-curve", "stuck").unwrap();
    let l = losses(&r);
    let (first, last) = (l[0], *l.last().unwrap());
    assert!((first - last).abs() < 0.02, "{first} → {last}");
    assert!(
        l.iter().all(|v| (v - std::f32::consts::LN_2).abs() < 0.1),
        "near ln 2: {l:?}"
    );
}

// ---- The landscape ----

/// Where the right (local) and left (global) valleys bottom out.
fn valleys() -> ([f64; 2], [f64; 2]) {
    // Newton's method on 4x(x² − 1) + 0.3 = 0 from each side.
    let root = |mut x: f64| {
        for _ in 0..50 {
            x -= (4.0 * x * (x * x - 1.0) + 0.3) / (12.0 * x * x - 4.0);
        }
        [x, 0.0]
    };
    (root(1.0), root(-1.0))
}

#[test]
pub fn the_landscape_has_a_local_valley_a_global_valley_and_a_saddle_between() {
    let s = Surface::TwoValleys;
    let (right, left) = valleys();
    for [x, y] in [right, left] {
        let g = s.gradient(x, y);
        assert!(g[0].abs() < 1e-9 && g[1].abs() < 1e-12);
        // A minimum: higher all around.
        for (dx, dy) in [(0.05, 0.0), (-0.05, 0.0), (0.0, 0.05), (0.0, -0.05)] {
            assert!(s.value(x + dx, y + dy) > s.value(x, y));
        }
    }
    assert!(right[0] > 0.0 && left[0] < 0.0);
    assert!(
        s.value(left[0], 0.0) < s.value(right[0], 0.0) - 0.5,
        "the left valley is deeper"
    );
    assert!((s.value(left[0], 0.0) - s.minimum().unwrap()).abs() < 1e-4);
    let [sx, sy] = s.saddle().unwrap();
    assert!(left[0] < sx && sx < right[0] && sy == 0.0);
    for p in demo("landscape").presets {
        assert!(
            matches!(p.job, Job::Descend(ref d) if d.surface == s),
            "{}",
            p.name
        );
    }
}

fn distance_from_saddle(p: &[f64; 3]) -> f64 {
    let [sx, sy] = Surface::TwoValleys.saddle().unwrap();
    ((p[0] - sx).powi(2) + (p[1] - sy).powi(2)).sqrt()
}

/// The first step at which a path is more than 0.5 from the saddle point.
fn leaves_saddle(path: &[[f64; 3]]) -> usize {
    path.iter()
        .position(|p| distance_from_saddle(p) > 0.5)
        .expect("the path leaves the saddle")
}

#[test]
pub fn near_the_saddle_gradient_descent_creeps_then_slides_into_the_right_valley() {
    let d = descent("landscape", "sgd");
    let path = descend(d.clone());
    assert!(
        distance_from_saddle(&path[0]) < 0.25,
        "starts beside the saddle"
    );
    // Creeps: ten steps change the loss by less than 0.05.
    assert!(
        path[0][2] - path[10][2] < 0.05,
        "{:?} → {:?}",
        path[0],
        path[10]
    );
    // Then slides: the next thirty take it down by more than 0.5.
    assert!(
        path[10][2] - path[40][2] > 0.5,
        "{:?} → {:?}",
        path[10],
        path[40]
    );
    let end = path.last().unwrap();
    let (right, _) = valleys();
    assert!(
        (end[0] - right[0]).abs() < 0.01 && end[1].abs() < 0.01,
        "ends at {end:?}"
    );
}

#[test]
pub fn near_the_saddle_momentum_leaves_in_half_the_steps_and_still_ends_on_the_right() {
    let (sgd, momentum) = (
        descent("landscape", "sgd"),
        descent("landscape", "momentum"),
    );
    assert_eq!(
        (sgd.start, sgd.optimizer.lr()),
        (momentum.start, momentum.optimizer.lr())
    );
    assert_eq!(momentum.optimizer.beta(), Some(0.9));
    let (a, b) = (
        leaves_saddle(&descend(sgd)),
        leaves_saddle(&descend(momentum.clone())),
    );
    assert!(
        (b as f64) <= 0.6 * a as f64,
        "momentum leaves after {b} steps, gradient descent after {a}"
    );
    let end = *descend(momentum).last().unwrap();
    let (right, _) = valleys();
    assert!((end[0] - right[0]).abs() < 0.05, "ends at {end:?}");
}

#[test]
pub fn from_high_on_the_right_descent_stops_in_the_shallow_valley_and_momentum_rolls_over() {
    let (sgd, momentum) = (
        descent("landscape", "sgd-high"),
        descent("landscape", "momentum-high"),
    );
    assert_eq!(
        (sgd.start, sgd.optimizer.lr()),
        (momentum.start, momentum.optimizer.lr())
    );
    assert_eq!(momentum.optimizer.beta(), Some(0.9));
    let (right, left) = valleys();
    let end = *descend(sgd.clone()).last().unwrap();
    assert!(
        (end[0] - right[0]).abs() < 0.01,
        "gradient descent ends at {end:?}"
    );
    let end = *descend(momentum.clone()).last().unwrap();
    assert!(
        (end[0] - left[0]).abs() < 0.01 && end[1].abs() < 0.01,
        "momentum ends at {end:?}"
    );
    // Not a knife-edge: at half or a quarter of the rate momentum rolls over too, and plain
    // descent stays on the right at any of them.
    for f in [0.5, 0.25] {
        let slower = |d: &DescentSpec| DescentSpec {
            optimizer: d.optimizer.with_lr(d.optimizer.lr() * f),
            ..d.clone()
        };
        assert!(descend(slower(&momentum)).last().unwrap()[0] < left[0] + 0.05);
        assert!(descend(slower(&sgd)).last().unwrap()[0] > right[0] - 0.05);
    }
}
