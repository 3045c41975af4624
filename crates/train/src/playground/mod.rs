//! The playground's settings: what a learner can turn, as TensorFlow Playground offers it, plus
//! own points, the digits, the optimizer and the loss. A setting is only a way to write an
//! experiment spec: `Settings::spec` builds it and the spec's own validation judges it, as for
//! every preset. `link` writes the settings into a URL and reads them back; `csv` reads points.

pub mod csv;
pub mod link;
pub mod pad;

use crate::spec::{
    Activation, DatasetSpec, ExperimentSpec, Feature, Generator, Images, Init, LayerSpec, LossSpec,
    ModelSpec, OptimizerSpec, Penalty, Problem, Regularization, ScheduleSpec,
};

/// Generated sets hold this many points, as TensorFlow Playground's classification sets do.
pub const GENERATED: usize = 500;
/// Generated sets span [-SPREAD, SPREAD]² on the [-6, 6]² plane.
pub const SPREAD: f32 = 5.0;
/// Layers and units a layer the graph can draw (TensorFlow Playground's limits).
pub const MAX_LAYERS: usize = 6;
pub const MAX_UNITS: usize = 8;
/// Hidden units a layer for the digits, whose 64 inputs need more than 8.
pub const MAX_DIGIT_UNITS: usize = 128;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Data {
    Circle,
    Xor,
    Gaussians,
    Spiral,
    Plane,
    Bump,
    Own,
    Digits,
}

impl Data {
    pub const ALL: [Data; 8] = [
        Data::Circle,
        Data::Xor,
        Data::Gaussians,
        Data::Spiral,
        Data::Plane,
        Data::Bump,
        Data::Own,
        Data::Digits,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Data::Circle => "circle",
            Data::Xor => "xor",
            Data::Gaussians => "gauss",
            Data::Spiral => "spiral",
            Data::Plane => "plane",
            Data::Bump => "bump",
            Data::Own => "own",
            Data::Digits => "digits",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Data::Circle => "Circle",
            Data::Xor => "XOR",
            Data::Gaussians => "Two Gaussians",
            Data::Spiral => "Spiral",
            Data::Plane => "Plane (regression)",
            Data::Bump => "Gaussian bump (regression)",
            Data::Own => "Your own points",
            Data::Digits => "Handwritten digits (8×8)",
        }
    }

    pub fn from_key(key: &str) -> Option<Data> {
        Data::ALL.into_iter().find(|d| d.key() == key)
    }

    /// The problem a generated set poses; own points may pose either.
    pub fn problem(self) -> Option<Problem> {
        match self {
            Data::Plane | Data::Bump => Some(Problem::Regression),
            Data::Own => None,
            _ => Some(Problem::Classification),
        }
    }

    /// A set of points on the plane (all but the digits).
    pub fn planar(self) -> bool {
        self != Data::Digits
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Optimizer {
    Sgd,
    Momentum,
    Adam,
    AdamW,
}

impl Optimizer {
    pub const ALL: [Optimizer; 4] = [
        Optimizer::Sgd,
        Optimizer::Momentum,
        Optimizer::Adam,
        Optimizer::AdamW,
    ];
    pub fn key(self) -> &'static str {
        match self {
            Optimizer::Sgd => "sgd",
            Optimizer::Momentum => "momentum",
            Optimizer::Adam => "adam",
            Optimizer::AdamW => "adamw",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Optimizer::Sgd => "SGD",
            Optimizer::Momentum => "SGD + momentum 0.9",
            Optimizer::Adam => "Adam",
            Optimizer::AdamW => "AdamW (weight decay 0.01)",
        }
    }
    pub fn from_key(key: &str) -> Option<Optimizer> {
        Optimizer::ALL.into_iter().find(|o| o.key() == key)
    }
}

/// Everything a learner sets; `spec` turns it into the run.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub data: Data,
    /// Own points: classes or targets (generated sets fix their own).
    pub problem: Problem,
    /// The points' jitter, 0 to 50 (at 50 a standard deviation of 1.25 on the plane).
    pub noise: u8,
    /// Share of the points held out for testing, 10 to 90 (percent).
    pub test_percent: u8,
    pub seed: u32,
    pub features: Vec<Feature>,
    pub hidden: Vec<usize>,
    pub activation: Activation,
    pub lr: f64,
    pub penalty: Option<Penalty>,
    pub rate: f32,
    pub batch: usize,
    pub optimizer: Optimizer,
    /// Cross-entropy (true) or squared error; regression always uses squared error.
    pub cross_entropy: bool,
    pub epochs: usize,
    pub show_test: bool,
    /// Own points as (x, y, class or target), each on the 0.01 grid (`snap`).
    pub points: Vec<[f32; 3]>,
}

impl Default for Settings {
    /// TensorFlow Playground's opening state: circle, x and y, two hidden layers of 4 and 2
    /// tanh units, learning rate 0.03, batch 10, half the points for testing.
    fn default() -> Self {
        Settings {
            data: Data::Circle,
            problem: Problem::Classification,
            noise: 0,
            test_percent: 50,
            seed: 1,
            features: Feature::plain(),
            hidden: vec![4, 2],
            activation: Activation::Tanh,
            lr: 0.03,
            penalty: None,
            rate: 0.0,
            batch: 10,
            optimizer: Optimizer::Sgd,
            cross_entropy: true,
            epochs: 100,
            show_test: false,
            points: Vec::new(),
        }
    }
}

/// A coordinate or target on the 0.01 grid that links carry: the value a link brings back
/// is bit for bit the value the learner drew, so the run replays exactly.
pub fn snap(v: f32) -> f32 {
    quantum(v) as f32 / 100.0
}

pub(crate) fn quantum(v: f32) -> i32 {
    (v * 100.0).round() as i32
}

impl Settings {
    /// The digits' starting point: one hidden layer of 32 ReLUs, Adam, 30 epochs.
    pub fn digits() -> Self {
        Settings {
            data: Data::Digits,
            test_percent: 20,
            hidden: vec![32],
            activation: Activation::Relu,
            lr: 0.01,
            batch: 32,
            optimizer: Optimizer::Adam,
            epochs: 30,
            ..Settings::default()
        }
    }

    pub fn problem(&self) -> Problem {
        self.data.problem().unwrap_or(self.problem)
    }

    pub fn max_units(&self) -> usize {
        if self.data == Data::Digits {
            MAX_DIGIT_UNITS
        } else {
            MAX_UNITS
        }
    }

    /// The experiment these settings describe, validated like every preset. The digits need
    /// their images (`digits::parse`); nothing else does.
    pub fn spec(&self, images: Option<&Images>) -> Result<ExperimentSpec, String> {
        let problem = self.problem();
        let (generator, size) = match self.data {
            Data::Circle => (Generator::Circles, GENERATED),
            Data::Xor => (Generator::Xor, GENERATED),
            Data::Gaussians => (Generator::Gaussians, GENERATED),
            Data::Spiral => (Generator::Spiral, GENERATED),
            Data::Plane => (Generator::Plane, GENERATED),
            Data::Bump => (Generator::GaussianBump, GENERATED),
            Data::Own => (Generator::Own, self.points.len()),
            Data::Digits => (Generator::Digits, images.map_or(0, Images::len)),
        };
        if self.data == Data::Own && self.points.len() < 8 {
            return Err(format!(
                "Add at least 8 points to train on (there are {}).",
                self.points.len()
            ));
        }
        if self.data == Data::Digits && images.is_none() {
            return Err("The digits have not arrived yet.".into());
        }
        let digits = self.data == Data::Digits;
        let spec = ExperimentSpec {
            dataset: DatasetSpec {
                generator,
                seed: self.seed as u64,
                size,
                noise: self.noise as f32 / 200.0,
                validation: self.test_percent as f32 / 100.0,
                classes: if digits { 10 } else { 2 },
                positive_fraction: None,
                scale: if self.data.planar() && self.data != Data::Own {
                    SPREAD
                } else {
                    1.0
                },
                points: if self.data == Data::Own {
                    self.points.clone()
                } else {
                    Vec::new()
                },
                images: if digits { images.cloned() } else { None },
            },
            model: ModelSpec {
                hidden: self
                    .hidden
                    .iter()
                    .map(|&width| LayerSpec {
                        width,
                        activation: self.activation,
                    })
                    .collect(),
                // He for the ReLU family, Glorot (Xavier) for the squashing activations.
                init: match self.activation {
                    Activation::Relu
                    | Activation::LeakyRelu
                    | Activation::Gelu
                    | Activation::Silu => Init::He,
                    _ => Init::Xavier,
                },
                hidden_bias: None,
                residual: false,
            },
            loss: if self.cross_entropy && problem == Problem::Classification {
                LossSpec::CrossEntropy
            } else {
                LossSpec::Mse
            },
            optimizer: match self.optimizer {
                Optimizer::Sgd => OptimizerSpec::Sgd { lr: self.lr },
                Optimizer::Momentum => OptimizerSpec::Momentum {
                    lr: self.lr,
                    momentum: 0.9,
                },
                Optimizer::Adam => OptimizerSpec::Adam {
                    lr: self.lr,
                    beta1: 0.9,
                    beta2: 0.999,
                },
                Optimizer::AdamW => OptimizerSpec::AdamW {
                    lr: self.lr,
                    beta1: 0.9,
                    beta2: 0.999,
                    weight_decay: 0.01,
                },
            },
            schedule: ScheduleSpec::Constant,
            batch_size: self.batch,
            epochs: self.epochs,
            clip_grad_norm: None,
            problem,
            features: if digits {
                Feature::plain()
            } else {
                self.features.clone()
            },
            regularization: self.penalty.map(|penalty| Regularization {
                penalty,
                rate: self.rate,
            }),
        };
        if self.hidden.len() > MAX_LAYERS
            || self.hidden.iter().any(|&w| w == 0 || w > self.max_units())
        {
            return Err(format!(
                "The network takes up to {MAX_LAYERS} hidden layers of 1 to {} units.",
                self.max_units()
            ));
        }
        spec.validate()?;
        Ok(spec)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_generated_set_makes_a_valid_spec() {
        for data in Data::ALL {
            let s = Settings {
                data,
                ..Settings::default()
            };
            match data {
                Data::Own => assert!(s.spec(None).unwrap_err().contains("at least 8 points")),
                Data::Digits => assert!(s.spec(None).is_err()),
                _ => {
                    let spec = s.spec(None).unwrap();
                    assert_eq!(spec.problem, data.problem().unwrap());
                    assert_eq!(spec.widths(), vec![2, 4, 2, 1]);
                }
            }
        }
    }

    #[test]
    fn the_spec_carries_features_penalty_and_own_points() {
        let s = Settings {
            data: Data::Own,
            points: (0..10)
                .map(|i| [snap(i as f32 * 0.37 - 2.0), snap(1.234), (i % 2) as f32])
                .collect(),
            features: vec![Feature::X, Feature::SinY, Feature::XTimesY],
            penalty: Some(Penalty::L2),
            rate: 0.003,
            ..Settings::default()
        };
        let spec = s.spec(None).unwrap();
        assert_eq!(spec.inputs(), 3);
        assert_eq!(spec.dataset.size, 10);
        assert_eq!(spec.regularization.unwrap().penalty, Penalty::L2);
        // It round-trips through the worker's JSON, like every spec.
        let again = ExperimentSpec::from_json(&serde_json::to_string(&spec).unwrap()).unwrap();
        assert_eq!(again, spec);
        assert_eq!(snap(1.234), 1.23);
    }

    #[test]
    fn out_of_range_settings_are_refused_by_the_spec() {
        let wide = Settings {
            hidden: vec![9],
            ..Settings::default()
        };
        assert!(wide.spec(None).unwrap_err().contains("1 to 8 units"));
        let deep = Settings {
            hidden: vec![2; 7],
            ..Settings::default()
        };
        assert!(deep.spec(None).is_err());
        let regression_ce = Settings {
            data: Data::Plane,
            ..Settings::default()
        };
        assert_eq!(regression_ce.spec(None).unwrap().loss, LossSpec::Mse);
    }
}
