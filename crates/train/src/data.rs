//! Seeded 2-D toy datasets: the same spec gives the same points on every machine, so a
//! shared link reproduces a run.

use crate::spec::{DatasetSpec, Generator};
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
    pub x: Vec<[f32; 2]>,
    pub y: Vec<usize>,
}

impl Dataset {
    pub fn len(&self) -> usize {
        self.y.len()
    }
    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }
    /// Row-major features, as tensors want them.
    pub fn flat_x(&self) -> Vec<f32> {
        self.x.iter().flat_map(|p| p.iter().copied()).collect()
    }
}

/// Training and validation sets for a spec, shuffled together then split.
pub fn generate(spec: &DatasetSpec) -> (Dataset, Dataset) {
    let mut rng = Rng::new(spec.seed);
    let labels = labels(spec, &mut rng);
    let mut all = Dataset::default();
    for (i, &label) in labels.iter().enumerate() {
        let [a, b] = point(spec.generator, label, spec.classes, i, &mut rng);
        all.x
            .push([a + spec.noise * rng.normal(), b + spec.noise * rng.normal()]);
        all.y.push(label);
    }
    // Fisher–Yates so the split does not follow the generation order.
    for i in (1..all.len()).rev() {
        let j = (rng.next_u64() % (i as u64 + 1)) as usize;
        all.x.swap(i, j);
        all.y.swap(i, j);
    }
    let val = (spec.size as f32 * spec.validation).round() as usize;
    let train_len = all.len() - val;
    let validation = Dataset {
        x: all.x.split_off(train_len),
        y: all.y.split_off(train_len),
    };
    (all, validation)
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
        Generator::Blobs => {
            let angle = 2.0 * PI * label as f32 / classes as f32;
            [
                angle.cos() + 0.3 * rng.normal(),
                angle.sin() + 0.3 * rng.normal(),
            ]
        }
    }
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
}
