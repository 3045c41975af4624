//! Seeded 2-D toy datasets: the same spec gives the same points on every machine, so a
//! shared link reproduces a run.

use crate::spec::{DatasetSpec, ExperimentSpec, Generator};
use std::f32::consts::PI;

/// SplitMix64: tiny, fast and identical everywhere, which is all a demo needs.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub fn uniform(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 / (1u64 << 24) as f32
    }
    /// Standard normal (Box–Muller).
    pub fn normal(&mut self) -> f32 {
        let u = self.uniform().max(1e-7);
        let v = self.uniform();
        (-2.0 * u.ln()).sqrt() * (2.0 * PI * v).cos()
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dataset {
    /// Each example's point on the plane (2-D sets; empty for images).
    pub x: Vec<[f32; 2]>,
    /// Each example's class (classification; empty for regression).
    pub y: Vec<usize>,
    /// Each example's target (regression; empty for classification).
    pub target: Vec<f32>,
    /// Image sets: each example's index in the spec's `images`.
    pub image: Vec<usize>,
}

impl Dataset {
    pub fn len(&self) -> usize {
        self.y.len().max(self.target.len())
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Row-major features, as tensors want them.
    pub fn flat_x(&self) -> Vec<f32> {
        self.x.iter().flat_map(|p| p.iter().copied()).collect()
    }

    fn swap(&mut self, i: usize, j: usize) {
        for v in [
            &mut self.y as &mut dyn Swap,
            &mut self.target,
            &mut self.x,
            &mut self.image,
        ] {
            v.swap_if_any(i, j);
        }
    }

    /// Keeps the first `n` examples and returns the rest.
    fn split_off(&mut self, n: usize) -> Dataset {
        let tail = |len: usize| n.min(len);
        Dataset {
            x: self.x.split_off(tail(self.x.len())),
            y: self.y.split_off(tail(self.y.len())),
            target: self.target.split_off(tail(self.target.len())),
            image: self.image.split_off(tail(self.image.len())),
        }
    }

    /// Every example's inputs, row-major: the features of its point, or its image's pixels
    /// scaled to [0, 1].
    pub fn inputs(&self, spec: &ExperimentSpec) -> Vec<f32> {
        match &spec.dataset.images {
            Some(images) if !self.image.is_empty() => {
                self.image.iter().flat_map(|&i| images.scaled(i)).collect()
            }
            _ => self
                .x
                .iter()
                .flat_map(|&p| spec.features.iter().map(move |f| f.value(p)))
                .collect(),
        }
    }
}

/// The columns a dataset swaps together when it shuffles (an empty one is skipped).
trait Swap {
    fn swap_if_any(&mut self, i: usize, j: usize);
}

impl<T> Swap for Vec<T> {
    fn swap_if_any(&mut self, i: usize, j: usize) {
        if !self.is_empty() {
            self.swap(i, j);
        }
    }
}

/// Training and validation sets for a spec, shuffled together then split.
pub fn generate(spec: &DatasetSpec) -> (Dataset, Dataset) {
    let mut rng = Rng::new(spec.seed);
    let mut all = match spec.generator {
        Generator::Own => own(spec),
        Generator::Digits => Dataset {
            y: spec
                .images
                .iter()
                .flat_map(|im| im.labels.iter().map(|&l| l as usize))
                .collect(),
            image: (0..spec.images.as_ref().map_or(0, |im| im.len())).collect(),
            ..Default::default()
        },
        Generator::Plane | Generator::GaussianBump => regression(spec, &mut rng),
        _ => {
            let labels = labels(spec, &mut rng);
            let mut all = Dataset::default();
            for (i, &label) in labels.iter().enumerate() {
                let [a, b] = point(spec.generator, label, spec.classes, i, &mut rng);
                all.x.push([
                    (a + spec.noise * rng.normal()) * spec.scale,
                    (b + spec.noise * rng.normal()) * spec.scale,
                ]);
                all.y.push(label);
            }
            all
        }
    };
    // Fisher–Yates so the split does not follow the generation order.
    for i in (1..all.len()).rev() {
        let j = (rng.next_u64() % (i as u64 + 1)) as usize;
        all.swap(i, j);
    }
    let val = (all.len() as f32 * spec.validation).round() as usize;
    let train_len = all.len() - val;
    let validation = all.split_off(train_len);
    (all, validation)
}

/// The learner's points as given (their order is part of the run: the split shuffles it).
/// The third value is kept as a target, and as a class too when every one is 0 or 1: the
/// experiment's problem type says which the run uses.
fn own(spec: &DatasetSpec) -> Dataset {
    let classes = spec.points.iter().all(|p| p[2] == 0.0 || p[2] == 1.0);
    Dataset {
        x: spec.points.iter().map(|p| [p[0], p[1]]).collect(),
        y: if classes {
            spec.points.iter().map(|p| p[2] as usize).collect()
        } else {
            Vec::new()
        },
        target: spec.points.iter().map(|p| p[2]).collect(),
        image: Vec::new(),
    }
}

/// Points uniform on [-1, 1]² (times the scale) with a target computed where noise moved
/// them: a plane rising along x + y, or a bump at the centre. Targets lie in [-1, 1].
fn regression(spec: &DatasetSpec, rng: &mut Rng) -> Dataset {
    let mut all = Dataset::default();
    for _ in 0..spec.size {
        let (a, b) = (2.0 * rng.uniform() - 1.0, 2.0 * rng.uniform() - 1.0);
        let (na, nb) = (a + spec.noise * rng.normal(), b + spec.noise * rng.normal());
        let t = match spec.generator {
            Generator::Plane => ((na + nb) / 2.0).clamp(-1.0, 1.0),
            _ => 2.0 * (-(na * na + nb * nb) / (2.0 * 0.35 * 0.35)).exp() - 1.0,
        };
        all.x.push([a * spec.scale, b * spec.scale]);
        all.target.push(t);
    }
    all
}

fn labels(spec: &DatasetSpec, rng: &mut Rng) -> Vec<usize> {
    match spec.positive_fraction {
        // An exact count of positives, so "1% positives" means exactly that.
        Some(p) => {
            let positives = ((spec.size as f32 * p).round() as usize).max(1);
            (0..spec.size).map(|i| usize::from(i < positives)).collect()
        }
        None => (0..spec.size)
            .map(|i| {
                if spec.classes == 2 {
                    i % 2
                } else {
                    (rng.next_u64() % spec.classes as u64) as usize
                }
            })
            .collect(),
    }
}

fn point(generator: Generator, label: usize, classes: usize, i: usize, rng: &mut Rng) -> [f32; 2] {
    let t = rng.uniform();
    match generator {
        Generator::Moons => {
            let angle = PI * t;
            if label == 0 {
                [angle.cos(), angle.sin()]
            } else {
                [1.0 - angle.cos(), 0.5 - angle.sin()]
            }
        }
        Generator::Circles => {
            let angle = 2.0 * PI * t;
            let r = if label == 1 { 0.5 } else { 1.0 };
            [r * angle.cos(), r * angle.sin()]
        }
        Generator::Xor => {
            let (a, b) = (0.1 + 0.9 * rng.uniform(), 0.1 + 0.9 * rng.uniform());
            // Class 0 in quadrants I and III, class 1 in II and IV.
            let flip = i % 2 == 0;
            match (label, flip) {
                (0, true) => [a, b],
                (0, false) => [-a, -b],
                (_, true) => [-a, b],
                (_, false) => [a, -b],
            }
        }
        Generator::Spiral => {
            let r = 0.1 + 0.9 * t;
            let angle = 2.0 * PI * (label as f32 / classes as f32) + 1.75 * PI * t;
            [r * angle.cos(), r * angle.sin()]
        }
        Generator::Gaussians => {
            let c = if label == 0 { -0.4 } else { 0.4 };
            [c + 0.15 * rng.normal(), c + 0.15 * rng.normal()]
        }
        Generator::Plane | Generator::GaussianBump | Generator::Own | Generator::Digits => {
            unreachable!("generated elsewhere")
        }
        Generator::Blobs => {
            let angle = 2.0 * PI * label as f32 / classes as f32;
            [
                angle.cos() + 0.3 * rng.normal(),
                angle.sin() + 0.3 * rng.normal(),
            ]
        }
    }
}

/// The square a decision-region plot covers: the data's extent plus a margin.
pub fn data_bounds(points: &[[f32; 2]]) -> ([f32; 2], [f32; 2]) {
    let (mut x, mut y) = ([f32::MAX, f32::MIN], [f32::MAX, f32::MIN]);
    for p in points {
        x = [x[0].min(p[0]), x[1].max(p[0])];
        y = [y[0].min(p[1]), y[1].max(p[1])];
    }
    if points.is_empty() {
        return ([-1.0, 1.0], [-1.0, 1.0]);
    }
    let pad = |r: [f32; 2]| {
        let m = 0.1 * (r[1] - r[0]).max(0.1);
        [r[0] - m, r[1] + m]
    };
    (pad(x), pad(y))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(positive_fraction: Option<f32>) -> DatasetSpec {
        DatasetSpec {
            generator: Generator::Moons,
            seed: 3,
            size: 1000,
            noise: 0.1,
            validation: 0.2,
            classes: 2,
            positive_fraction,
            scale: 1.0,
            points: Vec::new(),
            images: None,
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_points_and_another_does_not() {
        let (a, _) = generate(&spec(None));
        let (b, _) = generate(&spec(None));
        assert_eq!(a, b);
        let (c, _) = generate(&DatasetSpec {
            seed: 4,
            ..spec(None)
        });
        assert_ne!(a, c);
    }

    #[test]
    fn the_split_and_the_imbalance_follow_the_spec() {
        let (train, val) = generate(&spec(Some(0.01)));
        assert_eq!((train.len(), val.len()), (800, 200));
        let positives = train.y.iter().chain(&val.y).filter(|&&y| y == 1).count();
        assert_eq!(positives, 10);
        let (train, _) = generate(&spec(None));
        let ones = train.y.iter().filter(|&&y| y == 1).count();
        assert!(
            (350..450).contains(&ones),
            "balanced classes, got {ones} of 800"
        );
    }

    #[test]
    fn the_playground_sets_have_their_shapes() {
        let make = |generator| DatasetSpec {
            generator,
            noise: 0.0,
            scale: 5.0,
            ..spec(None)
        };
        // Two Gaussians: each class on its own side of the diagonal x + y = 0.
        let (train, _) = generate(&make(Generator::Gaussians));
        let right = train
            .x
            .iter()
            .zip(&train.y)
            .filter(|(p, &c)| (p[0] + p[1] > 0.0) == (c == 1))
            .count();
        assert!(
            right as f32 > 0.99 * train.len() as f32,
            "{right} of {}",
            train.len()
        );
        // The plane's target rises with x + y; the bump's peaks at the centre.
        let (plane, _) = generate(&make(Generator::Plane));
        assert!(plane.y.is_empty() && plane.target.len() == 800);
        for (p, t) in plane.x.iter().zip(&plane.target) {
            assert!((t - (p[0] + p[1]) / 10.0).abs() < 1e-5);
            assert!(p[0].abs() <= 5.0 && p[1].abs() <= 5.0);
        }
        let (bump, _) = generate(&make(Generator::GaussianBump));
        let centre = bump
            .x
            .iter()
            .zip(&bump.target)
            .filter(|(p, _)| p[0].hypot(p[1]) < 0.5);
        assert!(centre.clone().count() > 0 && centre.map(|(_, &t)| t).all(|t| t > 0.8));
        assert!(bump.target.iter().all(|t| (-1.0..=1.0).contains(t)));
        // The scale stretches the same points.
        let (unit, _) = generate(&DatasetSpec {
            scale: 1.0,
            ..make(Generator::Circles)
        });
        let (big, _) = generate(&make(Generator::Circles));
        assert!((big.x[0][0] - 5.0 * unit.x[0][0]).abs() < 1e-5);
    }

    #[test]
    fn own_points_are_split_by_the_seed_and_keep_their_values() {
        let points: Vec<[f32; 3]> = (0..20)
            .map(|i| [i as f32 / 10.0, 0.5, (i % 2) as f32])
            .collect();
        let own = DatasetSpec {
            generator: Generator::Own,
            size: 20,
            validation: 0.25,
            points: points.clone(),
            ..spec(None)
        };
        let (train, val) = generate(&own);
        assert_eq!((train.len(), val.len()), (15, 5));
        let mut seen: Vec<[f32; 3]> = train
            .x
            .iter()
            .chain(&val.x)
            .zip(train.y.iter().chain(&val.y))
            .map(|(p, &c)| [p[0], p[1], c as f32])
            .collect();
        seen.sort_by(|a, b| a[0].total_cmp(&b[0]));
        assert_eq!(seen, points);
        let (other, _) = generate(&DatasetSpec { seed: 99, ..own });
        assert_ne!(other.x, train.x, "another seed, another split");
    }
}
