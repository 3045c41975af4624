//! Lesson 4 (optimizers and learning rates): batch size, the optimizer race, schedules.

use super::*;
use aesop_train::spec::ScheduleSpec;
use aesop_train::surface::Surface;
use aesop_train::Racer;

// ---- Batch size ----

#[test]
pub fn batch_size_presets_share_network_data_and_epochs() {
    let base = spec("batch-size", "batch-16");
    assert_eq!((base.dataset.size, base.epochs), (1280, 20));
    for (preset, batch, lr) in [
        ("batch-16", 16, 0.05),
        ("batch-64", 64, 0.05),
        ("batch-64-scaled", 64, 0.2),
    ] {
        let s = spec("batch-size", preset);
        assert_eq!((s.batch_size, s.optimizer.lr()), (batch, lr), "{preset}");
        assert_eq!(
            (&s.dataset, &s.model, s.epochs),
            (&base.dataset, &base.model, base.epochs)
        );
    }
    assert_eq!(base.steps_per_epoch(), 80);
}

#[test]
pub fn four_times_the_batch_at_the_same_rate_ends_every_epoch_higher() {
    assert_eq!(spec("batch-size", "batch-64").steps_per_epoch(), 20);
    let (base, big) = (
        run("batch-size", "batch-16").unwrap(),
        run("batch-size", "batch-64").unwrap(),
    );
    for (a, b) in base.iter().zip(&big).skip(1) {
        assert!(
            b.train_loss > a.train_loss,
            "epoch {}: {} vs {}",
            a.epoch,
            b.train_loss,
            a.train_loss
        );
    }
}

#[test]
pub fn four_times_the_batch_and_the_rate_lands_on_the_baselines_curve() {
    let base = run("batch-size", "batch-16").unwrap();
    let (big, scaled) = (
        run("batch-size", "batch-64").unwrap(),
        run("batch-size", "batch-64-scaled").unwrap(),
    );
    let gap = |r: &[Metrics]| {
        r.iter()
            .zip(&base)
            .map(|(a, b)| (a.train_loss - b.train_loss).abs())
            .fold(0.0, f32::max)
    };
    assert!(gap(&scaled) <= 0.01, "scaled: {}", gap(&scaled));
    assert!(gap(&big) >= 0.05, "unscaled: {}", gap(&big));
}

// ---- The optimizer race ----

/// 1 to 9 times each power of ten from 0.0001 to 1: 0.0001, 0.0002, …, 9.
fn grid() -> Vec<f64> {
    (-4..=0)
        .flat_map(|k| (1..=9).map(move |m| format!("{m}e{k}").parse().unwrap()))
        .collect()
}

/// Steps the racer takes to finish at each rate of the grid, alone on the race's surface.
fn finishes_on_grid(r: &RaceSpec, racer: &Racer) -> Vec<(f64, Option<usize>)> {
    grid()
        .into_iter()
        .map(|lr| {
            let alone = RaceSpec {
                racers: vec![Racer {
                    label: racer.label.clone(),
                    optimizer: racer.optimizer.with_lr(lr),
                }],
                ..r.clone()
            };
            (lr, alone.finish_step(&race_paths(&alone)[0]))
        })
        .collect()
}

/// The fewest steps any grid rate finishes in.
fn best_on_grid(r: &RaceSpec, racer: &Racer) -> usize {
    finishes_on_grid(r, racer)
        .into_iter()
        .filter_map(|x| x.1)
        .min()
        .unwrap_or_else(|| panic!("{} finishes at some rate", racer.label))
}

fn first_to_finish(r: &RaceSpec) -> Vec<String> {
    let paths = race_paths(r);
    Rule::FirstToFinish
        .outcomes(&Evidence {
            paths: &paths,
            race: Some(r),
            ..Default::default()
        })
        .into_iter()
        .map(|i| r.racers[i].label.clone())
        .collect()
}

fn finish_steps(r: &RaceSpec) -> Vec<Option<usize>> {
    race_paths(r).iter().map(|p| r.finish_step(p)).collect()
}

#[test]
pub fn the_race_lines_up_four_optimizers_and_asks_who_finishes_first() {
    let d = demo("optimizer-race");
    let q = d.predict.clone().unwrap();
    assert_eq!(q.rule, Rule::FirstToFinish);
    for p in &d.presets {
        let r = race("optimizer-race", &p.name);
        let labels: Vec<&str> = r.racers.iter().map(|x| x.label.as_str()).collect();
        assert_eq!(labels, ["SGD", "Momentum", "Adam", "AdamW"], "{}", p.name);
        assert_eq!(q.options, labels, "the options follow the racers");
        assert_eq!(r.tolerance, 0.01);
        match r.surface.minimum() {
            Some(m) => assert_eq!(r.finish_line(), Some(m + 0.01)),
            None => assert_eq!(r.finish_line(), Some(-1.0), "the saddle's finish line"),
        }
        // Every preset's race is settled by its run: someone finishes.
        assert!(!first_to_finish(&r).is_empty(), "{}", p.name);
    }
}

#[test]
pub fn the_narrow_bowl_starts_everyone_at_its_best_rate_and_adam_finishes_first() {
    let r = race("optimizer-race", "bowl");
    assert_eq!(r.surface, Surface::IllConditioned);
    let own = finish_steps(&r);
    for (racer, steps) in r.racers.iter().zip(&own) {
        assert!(
            grid().contains(&racer.optimizer.lr()),
            "{} on the grid",
            racer.label
        );
        assert_eq!(
            *steps,
            Some(best_on_grid(&r, racer)),
            "{} at its best rate",
            racer.label
        );
    }
    // SGD's rate is capped by the steep direction: from 0.1 up it never finishes.
    let sgd = finishes_on_grid(&r, &r.racers[0]);
    assert!(
        sgd.iter().filter(|x| x.0 >= 0.1).all(|x| x.1.is_none()),
        "{sgd:?}"
    );
    assert_eq!(first_to_finish(&r), ["Adam"]);
    assert!(
        own[0].unwrap() >= 5 * own[2].unwrap(),
        "SGD crawls: {own:?}"
    );
}

#[test]
pub fn turned_45_degrees_the_bowl_costs_adam_its_edge_and_momentum_finishes_first() {
    let (upright, turned) = (
        race("optimizer-race", "bowl"),
        race("optimizer-race", "rotated-bowl"),
    );
    assert_eq!(turned.surface, Surface::RotatedBowl);
    // The start is the upright start turned with the bowl.
    let r = std::f64::consts::FRAC_1_SQRT_2;
    let [u, v] = upright.start;
    assert!(
        (turned.start[0] - r * (u + v)).abs() < 1e-3
            && (turned.start[1] - r * (u - v)).abs() < 1e-3
    );
    let (a, b) = (finish_steps(&upright), finish_steps(&turned));
    for (i, racer) in turned.racers.iter().enumerate() {
        assert!(
            grid().contains(&racer.optimizer.lr()),
            "{} on the grid",
            racer.label
        );
        assert_eq!(
            b[i],
            Some(best_on_grid(&turned, racer)),
            "{} at its best rate",
            racer.label
        );
    }
    // SGD and momentum: the same steps, turned or not.
    for i in [0, 1] {
        assert!(
            a[i].unwrap().abs_diff(b[i].unwrap()) <= 1,
            "{}: {a:?} vs {b:?}",
            turned.racers[i].label
        );
    }
    // Adam, each time at its best rate: more than twice the steps; its lead over SGD shrinks.
    assert!(b[2].unwrap() > 2 * a[2].unwrap(), "Adam: {a:?} vs {b:?}");
    let lead = |s: &[Option<usize>]| s[0].unwrap() as f64 / s[2].unwrap() as f64;
    assert!(
        lead(&b) < 0.5 * lead(&a),
        "Adam's lead over SGD: {} upright, {} turned",
        lead(&a),
        lead(&b)
    );
    assert_eq!(first_to_finish(&turned), ["Momentum"]);
}

#[test]
pub fn on_rosenbrock_everyone_reaches_the_floor_and_following_it_is_the_slow_part() {
    let r = race("optimizer-race", "rosenbrock");
    assert_eq!(r.surface, Surface::Rosenbrock);
    let paths = race_paths(&r);
    for (racer, path) in r.racers.iter().zip(&paths) {
        // On the floor: the valley term 100(y − x²)² is under 0.1, the loss all but (1 − x)².
        let floor = path
            .iter()
            .position(|p| 100.0 * (p[1] - p[0] * p[0]).powi(2) < 0.1)
            .unwrap_or_else(|| panic!("{} reaches the floor", racer.label));
        assert!(
            floor <= 10,
            "{} reaches the floor at step {floor}",
            racer.label
        );
        assert!(
            (5.0..7.0).contains(&path[floor][2]),
            "{}: loss {} on reaching the floor",
            racer.label,
            path[floor][2]
        );
        if let Some(done) = r.finish_step(path) {
            assert!(
                done >= floor + 200,
                "{}: floor at {floor}, finish at {done}",
                racer.label
            );
        }
    }
    assert_eq!(
        r.finish_step(&paths[0]),
        None,
        "plain SGD does not finish in {} steps",
        r.steps
    );
    assert_eq!(r.steps, 1500);
    // Modest rates: each is below the largest on the grid that still finishes.
    for racer in &r.racers {
        let on_grid = finishes_on_grid(&r, racer);
        let largest = on_grid
            .iter()
            .filter(|x| x.1.is_some())
            .map(|x| x.0)
            .fold(0.0, f64::max);
        assert!(
            racer.optimizer.lr() < largest,
            "{}: {} vs {largest}",
            racer.label,
            racer.optimizer.lr()
        );
    }
    // Toward Adam's limit it is erratic: a bigger rate can take twice the steps of a smaller.
    let adam = finishes_on_grid(&r, &r.racers[2]);
    let near_one: Vec<(f64, usize)> = adam
        .iter()
        .filter(|x| (0.5..=1.0).contains(&x.0))
        .filter_map(|&(lr, s)| s.map(|s| (lr, s)))
        .collect();
    assert!(
        near_one
            .iter()
            .any(|a| near_one.iter().any(|b| b.0 > a.0 && b.1 >= 2 * a.1)),
        "Adam's steps by rate: {near_one:?}"
    );
}

#[test]
pub fn on_the_saddle_adam_slides_off_first_and_sgd_does_not_finish() {
    let r = race("optimizer-race", "saddle");
    assert_eq!(r.surface, Surface::Saddle);
    assert!(r.racers.iter().all(|x| x.optimizer.lr() == 0.05));
    assert_eq!((r.start[1], r.steps), (0.001, 60));
    let s = finish_steps(&r);
    assert_eq!(s[0], None, "SGD: {s:?}");
    assert!(s[1].is_some(), "momentum finishes: {s:?}");
    assert_eq!(first_to_finish(&r), ["Adam", "AdamW"]);
    // Adam's first step is about the learning rate in y, SGD's about lr × 2y.
    let paths = race_paths(&r);
    let dy = |i: usize| (paths[i][1][1] - paths[i][0][1]).abs();
    assert!(
        dy(2) > 0.9 * 0.05 && dy(0) < 1e-3,
        "first steps in y: Adam {}, SGD {}",
        dy(2),
        dy(0)
    );
}

// ---- Schedules ----

fn lrs(preset: &str) -> Vec<f64> {
    run("schedules", preset).unwrap()[1..]
        .iter()
        .map(|m| m.lr)
        .collect()
}

#[test]
pub fn the_schedules_share_everything_but_the_schedule() {
    let base = spec("schedules", "constant");
    assert_eq!(
        (base.dataset.generator, base.dataset.classes, base.epochs),
        (aesop_train::spec::Generator::Spiral, 2, 60)
    );
    assert!(matches!(
        base.optimizer,
        aesop_train::spec::OptimizerSpec::Momentum { .. }
    ));
    for p in demo("schedules").presets {
        let mut s = spec("schedules", &p.name);
        s.schedule = ScheduleSpec::Constant;
        assert_eq!(s, base, "{}", p.name);
    }
}

#[test]
pub fn the_engine_follows_warmup_then_cosine_and_its_shape_is_flat_steep_flat() {
    use std::f64::consts::PI;
    let s = spec("schedules", "warmup-cosine");
    let ScheduleSpec::WarmupCosine {
        warmup_steps,
        min_factor,
        cycle_steps,
    } = s.schedule
    else {
        panic!()
    };
    assert_eq!(
        (min_factor, cycle_steps),
        (0.0, None),
        "down to zero, one cycle"
    );
    let (base, total) = (s.optimizer.lr(), s.total_steps());
    assert!(warmup_steps * 10 <= total, "a short warmup");
    // Written out here, apart from the engine's own code.
    let expected = |step: usize| {
        if step < warmup_steps {
            base * (step + 1) as f64 / warmup_steps as f64
        } else {
            base * 0.5
                * (1.0 + (PI * (step - warmup_steps) as f64 / (total - warmup_steps) as f64).cos())
        }
    };
    let r = run("schedules", "warmup-cosine").unwrap();
    for m in &r[1..] {
        assert!(
            (m.lr - expected(m.step - 1)).abs() < 1e-9,
            "step {}: {} vs {}",
            m.step,
            m.lr,
            expected(m.step - 1)
        );
    }
    // After the warmup: eases off, falls fastest mid-run, flattens at the end.
    let decay: Vec<f64> = (warmup_steps..total).map(expected).collect();
    let drops: Vec<f64> = decay.windows(2).map(|w| w[0] - w[1]).collect();
    let steepest = drops
        .iter()
        .cloned()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap()
        .0;
    let n = drops.len();
    assert!(
        (n * 2 / 5..=n * 3 / 5).contains(&steepest),
        "steepest at {steepest} of {n}"
    );
    let (start, end) = (
        drops[..n / 10].iter().sum::<f64>(),
        drops[n - n / 10..].iter().sum::<f64>(),
    );
    let middle = drops[n / 2 - n / 20..n / 2 + n / 20].iter().sum::<f64>();
    assert!(
        start < middle / 4.0 && end < middle / 4.0,
        "start {start}, middle {middle}, end {end}"
    );
    // Small final steps: the loss settles, and lower than the constant run's.
    let l = losses(&r);
    let last10 = &l[l.len() - 10..];
    let spread = last10.iter().cloned().fold(f32::MIN, f32::max)
        - last10.iter().cloned().fold(f32::MAX, f32::min);
    assert!(spread < 0.003, "last ten epochs {last10:?}");
    let constant = run("schedules", "constant").unwrap();
    assert!(r.last().unwrap().train_loss < constant.last().unwrap().train_loss);
}

#[test]
pub fn a_constant_rate_starts_fastest_and_keeps_bouncing_to_the_end() {
    assert!(lrs("constant").iter().all(|&lr| lr == 0.05));
    let (c, w) = (
        losses(&run("schedules", "constant").unwrap()),
        losses(&run("schedules", "warmup-cosine").unwrap()),
    );
    assert!(c[5] < w[5], "faster early: {} vs {}", c[5], w[5]);
    let jitter = |l: &[f32]| {
        let late = &l[l.len() - 11..];
        late.windows(2).map(|w| (w[1] - w[0]).abs()).sum::<f32>() / 10.0
    };
    assert!(
        jitter(&c) >= 5.0 * jitter(&w),
        "bounces {} vs {}",
        jitter(&c),
        jitter(&w)
    );
    let rises = c[c.len() - 11..].windows(2).filter(|w| w[1] > w[0]).count();
    assert!(rises >= 3, "{rises} rises in the last ten epochs: {c:?}");
}

#[test]
pub fn cosine_restarts_kick_the_rate_back_up_and_the_later_ones_the_loss() {
    let s = spec("schedules", "cosine-restarts");
    assert_eq!(
        s.schedule,
        ScheduleSpec::WarmupCosine {
            warmup_steps: 0,
            min_factor: 0.02,
            cycle_steps: Some(225)
        }
    );
    assert_eq!(225, 15 * s.steps_per_epoch(), "225 steps are 15 epochs");
    let lr = lrs("cosine-restarts");
    let r = run("schedules", "cosine-restarts").unwrap();
    let l = losses(&r);
    // Reports come at epoch ends: the rate of epoch e's last step sits at lr[e - 1].
    for restart in [15, 30, 45] {
        assert!(
            lr[restart] > 20.0 * lr[restart - 1],
            "epoch {restart}: {lr:?}"
        );
    }
    // Each cycle has the cosine's shape: slow, fast, slow.
    let cycle: Vec<f64> = lr[..15].windows(2).map(|w| w[0] - w[1]).collect();
    assert!(
        cycle[0] < cycle[7] / 2.0 && cycle[13] < cycle[7] / 2.0,
        "{cycle:?}"
    );
    for restart in [30, 45] {
        assert!(
            l[restart + 1] > l[restart],
            "loss after the restart at epoch {restart}: {l:?}"
        );
    }
}

#[test]
pub fn step_decay_halves_every_15_epochs() {
    let s = spec("schedules", "step");
    assert_eq!(
        s.schedule,
        ScheduleSpec::Step {
            every: 225,
            gamma: 0.5
        }
    );
    let lr = lrs("step");
    for (epoch, rate) in lr.iter().enumerate() {
        let expected = 0.05 * 0.5f64.powi((epoch / 15) as i32);
        assert!(
            (rate - expected).abs() < 1e-12,
            "epoch {}: {rate} vs {expected}",
            epoch + 1
        );
    }
}

// ---- When does the GPU pay off? ----

fn crossover(demo_name: &str, preset: &str) -> aesop_train::job::CrossoverSpec {
    match job(demo_name, preset) {
        Job::Crossover(c) => c,
        other => panic!("{preset} is not a crossover: {other:?}"),
    }
}

#[test]
pub fn the_crossover_times_one_network_growing_in_width_and_batch() {
    let c = crossover("gpu-crossover", "grow");
    c.validate().unwrap();
    for (i, &[width, batch]) in c.sizes.iter().enumerate() {
        let s = c.spec(i);
        // Two hidden layers of equal width; one step is one whole batch.
        assert_eq!(s.model.hidden.len(), 2);
        assert!(s.model.hidden.iter().all(|l| l.width == width), "{i}");
        assert_eq!(
            (s.batch_size, s.dataset.size, s.steps_per_epoch()),
            (batch, batch, 1)
        );
        if i > 0 {
            let [w0, b0] = c.sizes[i - 1];
            assert!(
                width >= w0 && batch >= b0 && (width, batch) != (w0, b0),
                "sizes grow"
            );
        }
    }
    // The arithmetic grows with width² × batch: doubling both is about 8 times the work.
    let n = c.sizes.len();
    let [w, b] = c.sizes[n - 1];
    assert_eq!(c.sizes[n - 2], [w / 2, b / 2]);
    let ratio = c.work(n - 1) / c.work(n - 2);
    assert!((ratio - 8.0).abs() < 0.05, "{ratio}");
    // The smallest size really trains on the engine.
    let r = run_to_end(c.spec(0), cpu()).unwrap();
    assert!(
        r.len() > 1 && r.iter().all(|m| m.train_loss.is_finite()),
        "{r:?}"
    );
}

#[test]
pub fn the_crossover_skips_a_size_projected_past_two_seconds() {
    let c = crossover("gpu-crossover", "grow");
    assert_eq!(c.max_step_ms, 2000.0);
    let n = c.sizes.len();
    let last = |ms: f64| (c.work(n - 2), ms);
    // The last size is about 8 times the work of the one before: 300 ms there projects to
    // about 2.4 s and is skipped; 200 ms projects to about 1.6 s and runs.
    let skipped = c.over_cap(n - 1, last(300.0)).expect("skipped");
    assert!((skipped - 2400.0).abs() < 20.0, "{skipped}");
    assert_eq!(c.over_cap(n - 1, last(200.0)), None);
}
