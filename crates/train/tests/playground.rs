//! The playground on the real engine: the spec's new fields train as they claim, a report
//! brings the view's drawings in its one read-back, and the digits learn in seconds.
#![cfg(feature = "engine")]

use aesop_train::engine::{run_to_end, Trainer};
use aesop_train::playground::{pad, snap, Data, Optimizer, Settings};
use aesop_train::spec::{Activation, Feature, Images, Penalty, Problem};
use aesop_train::{infer, ExperimentSpec, Metrics, Snapshot, Wants};
use burn::prelude::Device;

fn cpu() -> Device {
    Device::flex().autodiff()
}

/// Trains to the end with `wants`, returning each report and the last snapshot.
fn train(spec: ExperimentSpec, wants: Wants) -> (Vec<Metrics>, Trainer, Option<Snapshot>) {
    futures::executor::block_on(async {
        let mut t = Trainer::new(spec, cpu());
        t.set_wants(wants);
        let mut reports = vec![t.report().await.unwrap()];
        let mut last = t.take_snapshot();
        while !t.finished() {
            t.step();
            if t.at_epoch_end() {
                reports.push(t.report().await.unwrap());
                last = t.take_snapshot().or(last);
            }
        }
        (reports, t, last)
    })
}

/// Three cells of an n × n region grid over [-6, 6]², row by row from the top-left corner
/// (-6, 6) to the bottom-right (6, -6): both corners and the middle, with their points.
fn sample_cells(n: usize) -> [(usize, [f32; 2]); 3] {
    let at = |r: usize, c: usize| {
        let step = 12.0 / (n - 1) as f32;
        (r * n + c, [-6.0 + step * c as f32, 6.0 - step * r as f32])
    };
    [at(0, 0), at(n - 1, n - 1), at(n / 2, n / 2)]
}

/// The page's class-1 probability at `p`, from the weights a report sent.
fn page_probability(spec: &ExperimentSpec, params: &[f32], p: [f32; 2]) -> f32 {
    let input: Vec<f32> = spec.features.iter().map(|f| f.value(p)).collect();
    let out = infer::forward(spec, params, &input).unwrap();
    infer::probabilities(spec, &out)[1]
}

fn digits() -> Images {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../content/data/digits.txt");
    aesop_train::digits::parse(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn a_report_brings_regions_neurons_and_weights_in_one_read_back() {
    let s = Settings {
        hidden: vec![8, 8, 8, 8, 8, 8],
        epochs: 3,
        features: Feature::ALL.to_vec(),
        ..Settings::default()
    };
    let spec = s.spec(None).unwrap();
    let wants = Wants {
        regions: 40,
        bounds: Some(([-6.0, 6.0], [-6.0, 6.0])),
        neurons: 16,
        params: true,
        every: 1,
        ..Wants::default()
    };
    let (reports, t, snap) = train(spec.clone(), wants);
    // One read-back a report: the untrained one and one per epoch.
    assert_eq!(t.read_backs(), reports.len());
    assert_eq!(reports.len(), 4);
    let snap = snap.unwrap();
    assert_eq!(snap.epoch, 3);
    let regions = snap.regions.unwrap();
    assert_eq!((regions.n, regions.values.len()), (40, 1600));
    assert!(regions.values.iter().all(|p| (0.0..=1.0).contains(p)));
    assert_eq!((snap.neurons.len(), snap.neuron_grid), (48, 16));
    assert!(snap
        .neurons
        .iter()
        .all(|u| u.len() == 256 && u.iter().all(|v| (-1.0..=1.0).contains(v))));
    let layers = infer::layers(&spec.widths());
    assert_eq!(
        snap.params.len(),
        layers
            .last()
            .map(|l| l.at + (l.fan_in + 1) * l.fan_out)
            .unwrap()
    );
    // The engine's regions are what the weights it sent compute: the grid's top-left corner
    // is (-6, 6), its bottom-right (6, -6).
    for (i, p) in sample_cells(regions.n) {
        let prob = page_probability(&spec, &snap.params, p);
        assert!(
            (prob - regions.values[i]).abs() < 1e-4,
            "cell {i}: {prob} vs {}",
            regions.values[i]
        );
    }
    // Nothing asked, nothing computed.
    let (_, _, none) = train(spec, Wants::default());
    assert!(none.is_none());
}

/// Residual blocks (main's `model.residual`) are read back the way the engine runs them: the
/// page's forward pass from the sent weights draws the engine's own regions.
#[test]
fn the_page_reads_a_residual_network_as_the_engine_runs_it() {
    let mut spec = Settings {
        hidden: vec![8, 8, 8],
        epochs: 2,
        ..Settings::default()
    }
    .spec(None)
    .unwrap();
    spec.model.residual = true;
    let wants = Wants {
        regions: 20,
        bounds: Some(([-6.0, 6.0], [-6.0, 6.0])),
        params: true,
        every: 1,
        ..Wants::default()
    };
    let (_, _, snap) = train(spec.clone(), wants);
    let snap = snap.unwrap();
    let regions = snap.regions.unwrap();
    let mut plain = spec.clone();
    plain.model.residual = false;
    let mut differs = false;
    for (i, p) in sample_cells(regions.n) {
        let prob = page_probability(&spec, &snap.params, p);
        assert!(
            (prob - regions.values[i]).abs() < 1e-4,
            "cell {i}: {prob} vs {}",
            regions.values[i]
        );
        differs |= (page_probability(&plain, &snap.params, p) - prob).abs() > 1e-3;
    }
    assert!(
        differs,
        "the blocks' skip paths change what the weights compute"
    );
}

#[test]
fn the_snapshot_comes_as_often_as_the_view_asks() {
    let spec = Settings {
        epochs: 12,
        ..Settings::default()
    }
    .spec(None)
    .unwrap();
    let epochs = |every| {
        futures::executor::block_on(async {
            let mut t = Trainer::new(spec.clone(), cpu());
            t.set_wants(Wants {
                regions: 10,
                every,
                ..Wants::default()
            });
            let mut seen = Vec::new();
            t.report().await.unwrap();
            seen.extend(t.take_snapshot().map(|s| s.epoch));
            while !t.finished() {
                t.step();
                if t.at_epoch_end() {
                    t.report().await.unwrap();
                    seen.extend(t.take_snapshot().map(|s| s.epoch));
                }
            }
            seen
        })
    };
    assert_eq!(epochs(5), [0, 5, 10, 12]);
    assert_eq!(epochs(1), (0..=12).collect::<Vec<_>>());
}

#[test]
fn squared_features_let_a_network_without_hidden_layers_separate_the_circle() {
    let plain = Settings {
        hidden: vec![],
        epochs: 40,
        lr: 0.1,
        ..Settings::default()
    };
    let squares = Settings {
        features: vec![Feature::XSquared, Feature::YSquared],
        ..plain.clone()
    };
    let acc = |s: &Settings| {
        run_to_end(s.spec(None).unwrap(), cpu())
            .unwrap()
            .last()
            .unwrap()
            .val_accuracy
            .unwrap()
    };
    let (a, b) = (acc(&plain), acc(&squares));
    assert!(a < 0.75, "a line cannot split a disc from its ring: {a}");
    assert!(b > 0.95, "x² and y² make it a line: {b}");
}

#[test]
fn regularization_shrinks_the_weights_and_l1_zeroes_many() {
    let base = Settings {
        data: Data::Spiral,
        hidden: vec![8, 8],
        optimizer: Optimizer::Adam,
        lr: 0.03,
        epochs: 30,
        ..Settings::default()
    };
    let weights = |penalty: Option<Penalty>, rate: f32| {
        let spec = Settings {
            penalty,
            rate,
            ..base.clone()
        }
        .spec(None)
        .unwrap();
        let (reports, _, snap) = train(
            spec.clone(),
            Wants {
                params: true,
                ..Wants::default()
            },
        );
        assert!(reports.iter().all(|m| m.train_loss.is_finite()));
        let params = snap.unwrap().params;
        infer::layers(&spec.widths())
            .iter()
            .flat_map(|l| params[l.at..l.at + l.fan_in * l.fan_out].to_vec())
            .collect::<Vec<f32>>()
    };
    let norm = |w: &[f32]| w.iter().map(|v| v * v).sum::<f32>().sqrt();
    let small = |w: &[f32]| w.iter().filter(|v| v.abs() < 1e-2).count();
    let (none, l2, l1) = (
        weights(None, 0.0),
        weights(Some(Penalty::L2), 0.03),
        weights(Some(Penalty::L1), 0.01),
    );
    assert!(
        norm(&l2) < 0.6 * norm(&none),
        "L2: {} vs {}",
        norm(&l2),
        norm(&none)
    );
    assert!(
        small(&l1) > 3 * small(&none).max(1),
        "L1 near-zero weights: {} vs {}",
        small(&l1),
        small(&none)
    );
}

#[test]
fn regression_fits_the_plane_and_own_points_train_like_any_set() {
    let plane = Settings {
        data: Data::Plane,
        hidden: vec![],
        optimizer: Optimizer::Adam,
        lr: 0.03,
        epochs: 20,
        ..Settings::default()
    };
    let r = run_to_end(plane.spec(None).unwrap(), cpu()).unwrap();
    let last = r.last().unwrap();
    assert!(
        last.val_loss.unwrap() < 0.01 && last.val_accuracy.is_none(),
        "{last:?}"
    );
    // Drawn points: two clusters, a few taps each, as a learner would place them.
    let points: Vec<[f32; 3]> = (0..40)
        .map(|i| {
            let side = (i % 2) as f32;
            let j = (i / 2) as f32;
            [
                snap(-3.0 + 6.0 * side + (j * 0.7).sin()),
                snap((j * 1.3).cos() * 2.0),
                side,
            ]
        })
        .collect();
    let own = Settings {
        data: Data::Own,
        points,
        epochs: 20,
        ..Settings::default()
    };
    let spec = own.spec(None).unwrap();
    assert_eq!(spec.problem, Problem::Classification);
    let a = run_to_end(spec.clone(), cpu()).unwrap();
    assert!(a.last().unwrap().val_accuracy.unwrap() > 0.9);
    // The same link's spec replays the same run, number for number.
    assert_eq!(a, run_to_end(spec, cpu()).unwrap());
}

#[test]
fn the_digits_learn_past_90_percent_and_a_vertical_stroke_reads_as_1() {
    let images = digits();
    let settings = Settings::digits();
    let spec = settings.spec(Some(&images)).unwrap();
    assert_eq!(spec.widths(), vec![64, 32, 10]);
    let started = std::time::Instant::now();
    let (reports, _, snap) = train(
        spec.clone(),
        Wants {
            params: true,
            val_classes: true,
            every: 1,
            ..Wants::default()
        },
    );
    let last = reports.last().unwrap();
    let acc = last.val_accuracy.unwrap();
    println!(
        "digits: {} epochs in {:.1} s, test accuracy {acc}",
        reports.len() - 1,
        started.elapsed().as_secs_f64()
    );
    assert!(acc >= 0.9, "test accuracy {acc}");
    let snap = snap.unwrap();
    // The predicted classes are the ones the accuracy counts (a confusion matrix's source).
    let (_, val) = aesop_train::data::generate(&spec.dataset);
    assert_eq!(snap.val_classes.len(), 359, "20% of 1,797 held out");
    let right = snap
        .val_classes
        .iter()
        .zip(&val.y)
        .filter(|(&c, &y)| c as usize == y)
        .count();
    assert_eq!(right as f32 / 359.0, acc);
    // The pad, drawn as a learner would: a stroke down the middle (or off to one side, or
    // short), a 0 and an 8. The network reads each as the data's preprocessing leaves it.
    let read = |draw: &dyn Fn(&mut pad::Drawing)| {
        let mut d = pad::Drawing::default();
        draw(&mut d);
        let out = infer::forward(
            &spec,
            &snap.params,
            &pad::inputs(&pad::counts(&d.normalised())),
        )
        .unwrap();
        let probs = infer::probabilities(&spec, &out);
        let top = (0..10)
            .max_by(|&a, &b| probs[a].total_cmp(&probs[b]))
            .unwrap();
        (top, probs)
    };
    for (from, to) in [
        ((3.0, 14.0), (29.0, 14.0)),
        ((3.0, 18.0), (29.0, 18.0)),
        ((6.0, 24.0), (14.0, 24.0)),
    ] {
        let (top, probs) = read(&|d| {
            d.begin(from);
            d.extend(to);
        });
        assert_eq!(top, 1, "a stroke from {from:?} to {to:?}: {probs:?}");
    }
    let (top, probs) = read(&|d| pad::ellipse(d, (16.0, 16.0), (12.0, 9.0)));
    assert_eq!(top, 0, "a drawn 0: {probs:?}");
    let (top, probs) = read(&|d| {
        pad::ellipse(d, (9.5, 16.0), (6.5, 6.0));
        pad::ellipse(d, (22.5, 16.0), (6.5, 7.0));
    });
    assert_eq!(top, 8, "a drawn 8: {probs:?}");
    // The same weights, fed a test image, agree with the engine's own prediction.
    for (i, &img) in val.image.iter().enumerate().take(50) {
        let input: Vec<f32> = images.scaled(img).collect();
        let out = infer::forward(&spec, &snap.params, &input).unwrap();
        let top = (0..10).max_by(|&a, &b| out[a].total_cmp(&out[b])).unwrap();
        assert_eq!(top as u16, snap.val_classes[i]);
    }
    // Any optimizer and either loss: SGD with momentum on the squared error learns too.
    let mse = Settings {
        optimizer: Optimizer::Momentum,
        lr: 0.1,
        cross_entropy: false,
        activation: Activation::Relu,
        ..settings
    };
    let r = run_to_end(mse.spec(Some(&images)).unwrap(), cpu()).unwrap();
    assert!(
        r.last().unwrap().val_accuracy.unwrap() > 0.85,
        "{:?}",
        r.last()
    );
}
