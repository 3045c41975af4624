//! The experiment spec: everything a run depends on, serializable, so a preset in `content/`,
//! a message to the worker and a shareable link are the same JSON.

use serde::{Deserialize, Serialize};

/// Own points lie within [-PLANE, PLANE]² (TensorFlow Playground's plane).
pub const PLANE: f32 = 6.0;
/// The most own points a run takes (drawn, or read from a CSV file).
pub const MAX_OWN_POINTS: usize = 5000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExperimentSpec {
    pub dataset: DatasetSpec,
    pub model: ModelSpec,
    pub loss: LossSpec,
    pub optimizer: OptimizerSpec,
    #[serde(default)]
    pub schedule: ScheduleSpec,
    pub batch_size: usize,
    pub epochs: usize,
    /// Rescale the whole gradient (every weight and bias together) to at most this L2 norm
    /// before each update, as PyTorch's `clip_grad_norm_` does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clip_grad_norm: Option<f32>,
    /// Classification (the default) or regression, which fits a real-valued target with a
    /// linear output and the squared error.
    #[serde(default, skip_serializing_if = "Problem::is_classification")]
    pub problem: Problem,
    /// What the network sees of each 2-D point: x and y unless the spec says otherwise
    /// (image sets feed their pixels and take no features).
    #[serde(default = "Feature::plain", skip_serializing_if = "Feature::is_plain")]
    pub features: Vec<Feature>,
    /// A penalty on the weights (not the biases) added to the training loss.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regularization: Option<Regularization>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Problem {
    #[default]
    Classification,
    Regression,
}

impl Problem {
    fn is_classification(&self) -> bool {
        *self == Problem::Classification
    }
}

/// An input the network is given, computed from a point (x, y), as TensorFlow Playground
/// offers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Feature {
    #[serde(rename = "x")]
    X,
    #[serde(rename = "y")]
    Y,
    #[serde(rename = "x2")]
    XSquared,
    #[serde(rename = "y2")]
    YSquared,
    #[serde(rename = "xy")]
    XTimesY,
    #[serde(rename = "sin-x")]
    SinX,
    #[serde(rename = "sin-y")]
    SinY,
}

impl Feature {
    pub const ALL: [Feature; 7] = [
        Feature::X,
        Feature::Y,
        Feature::XSquared,
        Feature::YSquared,
        Feature::XTimesY,
        Feature::SinX,
        Feature::SinY,
    ];

    pub fn plain() -> Vec<Feature> {
        vec![Feature::X, Feature::Y]
    }

    fn is_plain(f: &[Feature]) -> bool {
        f == [Feature::X, Feature::Y]
    }

    pub fn value(self, [x, y]: [f32; 2]) -> f32 {
        match self {
            Feature::X => x,
            Feature::Y => y,
            Feature::XSquared => x * x,
            Feature::YSquared => y * y,
            Feature::XTimesY => x * y,
            Feature::SinX => x.sin(),
            Feature::SinY => y.sin(),
        }
    }

    /// The name in links and in the spec (`x2`, `sin-x`, ...).
    pub fn key(self) -> &'static str {
        match self {
            Feature::X => "x",
            Feature::Y => "y",
            Feature::XSquared => "x2",
            Feature::YSquared => "y2",
            Feature::XTimesY => "xy",
            Feature::SinX => "sin-x",
            Feature::SinY => "sin-y",
        }
    }

    /// As a learner reads it: x², sin(x)...
    pub fn label(self) -> &'static str {
        match self {
            Feature::X => "x",
            Feature::Y => "y",
            Feature::XSquared => "x²",
            Feature::YSquared => "y²",
            Feature::XTimesY => "x·y",
            Feature::SinX => "sin(x)",
            Feature::SinY => "sin(y)",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Penalty {
    /// rate × Σ|w|: pushes small weights to exactly zero.
    L1,
    /// rate × Σ w²/2: shrinks every weight in proportion to its size.
    L2,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Regularization {
    pub penalty: Penalty,
    pub rate: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Generator {
    /// Two interleaving half-circles.
    Moons,
    /// A disc inside a ring.
    Circles,
    /// Four quadrants, opposite ones share a class.
    Xor,
    /// Arms of a spiral, one per class.
    Spiral,
    /// One Gaussian blob per class around a circle.
    Blobs,
    /// Two Gaussian clouds on the diagonal, one per class.
    Gaussians,
    /// Regression: points uniform on the square, the target rising linearly along x + y.
    Plane,
    /// Regression: points uniform on the square, the target a Gaussian bump at the centre.
    GaussianBump,
    /// The learner's own points, listed in `points`.
    Own,
    /// Images with their labels, carried in `images` (the 8×8 handwritten digits).
    Digits,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatasetSpec {
    pub generator: Generator,
    pub seed: u64,
    /// Number of examples, training and validation together.
    pub size: usize,
    /// Standard deviation of the Gaussian noise added to each point.
    pub noise: f32,
    /// Fraction of examples held out for validation.
    pub validation: f32,
    #[serde(default = "two")]
    pub classes: usize,
    /// Binary sets only: the fraction of examples in class 1 (the imbalance).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub positive_fraction: Option<f32>,
    /// Multiplies every generated coordinate (noise included): the lessons' demos draw on
    /// about [-1.5, 1.5]², the playground on TensorFlow Playground's [-6, 6]².
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub scale: f32,
    /// `own` sets: each point as (x, y, class) or, for regression, (x, y, target).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub points: Vec<[f32; 3]>,
    /// `digits` sets: the images, supplied with the run (never written into a link).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub images: Option<Images>,
}

fn two() -> usize {
    2
}
fn one() -> f32 {
    1.0
}
fn is_one(v: &f32) -> bool {
    *v == 1.0
}

/// Square grey-level images and their classes, row-major, pixel values 0 to `max`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Images {
    pub side: usize,
    pub max: u8,
    pub pixels: Vec<u8>,
    pub labels: Vec<u8>,
}

impl Images {
    pub fn len(&self) -> usize {
        self.labels.len()
    }
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }
    /// Pixels per image.
    pub fn dim(&self) -> usize {
        self.side * self.side
    }
    /// Image `i`'s pixels scaled to [0, 1], as the network sees them.
    pub fn scaled(&self, i: usize) -> impl Iterator<Item = f32> + '_ {
        let d = self.dim();
        let max = self.max.max(1) as f32;
        self.pixels[i * d..(i + 1) * d]
            .iter()
            .map(move |&p| p as f32 / max)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Activation {
    Relu,
    LeakyRelu,
    Sigmoid,
    Tanh,
    Gelu,
    Silu,
    Linear,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Init {
    /// Uniform in ±1/√fan_in, as burn's and PyTorch's Linear do.
    #[default]
    Default,
    He,
    Xavier,
    Zeros,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayerSpec {
    pub width: usize,
    pub activation: Activation,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSpec {
    /// Hidden layers in order; the output layer follows from the loss and the classes.
    pub hidden: Vec<LayerSpec>,
    #[serde(default)]
    pub init: Init,
    /// Every hidden unit's starting bias, overriding the init's: a strongly negative one is
    /// the bad initialization that kills ReLUs before training starts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hidden_bias: Option<f32>,
    /// Skip connections: a hidden layer whose input and output have the same width adds its
    /// input to its output, h ← h + W·f(h) + b, the pre-activation residual block of He et
    /// al. 2016 ("Identity mappings in deep residual networks").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub residual: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum LossSpec {
    /// Squared error between the predicted probability (or value) and the label.
    Mse,
    CrossEntropy,
    /// Cross-entropy with the positive class's terms multiplied by `positive_weight`.
    WeightedCrossEntropy {
        positive_weight: f32,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum OptimizerSpec {
    Sgd {
        lr: f64,
    },
    Momentum {
        lr: f64,
        momentum: f64,
    },
    Adam {
        lr: f64,
        #[serde(default = "beta1")]
        beta1: f32,
        #[serde(default = "beta2")]
        beta2: f32,
    },
    #[serde(rename = "adamw")]
    AdamW {
        lr: f64,
        #[serde(default = "beta1")]
        beta1: f32,
        #[serde(default = "beta2")]
        beta2: f32,
        weight_decay: f32,
    },
}

fn beta1() -> f32 {
    0.9
}
fn beta2() -> f32 {
    0.999
}

impl OptimizerSpec {
    pub fn lr(&self) -> f64 {
        match *self {
            OptimizerSpec::Sgd { lr }
            | OptimizerSpec::Momentum { lr, .. }
            | OptimizerSpec::Adam { lr, .. }
            | OptimizerSpec::AdamW { lr, .. } => lr,
        }
    }

    /// The same optimizer with another learning rate (a demo's control).
    pub fn with_lr(mut self, new: f64) -> Self {
        match &mut self {
            OptimizerSpec::Sgd { lr }
            | OptimizerSpec::Momentum { lr, .. }
            | OptimizerSpec::Adam { lr, .. }
            | OptimizerSpec::AdamW { lr, .. } => *lr = new,
        }
        self
    }

    /// Checks what a link or a file could set out of range: a positive, finite rate; β and
    /// momentum in [0, 1) (at 1 or above the averages never forget, or grow without bound);
    /// weight decay in [0, 1].
    pub fn validate(&self) -> Result<(), String> {
        let lr = self.lr();
        if !(lr > 0.0 && lr <= 100.0) {
            return Err(format!(
                "optimizer.lr must be above 0 and at most 100, not {lr}"
            ));
        }
        let unit = |name: &str, v: f64| {
            if (0.0..1.0).contains(&v) {
                Ok(())
            } else {
                Err(format!(
                    "optimizer.{name} must be at least 0 and below 1, not {v}"
                ))
            }
        };
        match *self {
            OptimizerSpec::Sgd { .. } => Ok(()),
            OptimizerSpec::Momentum { momentum, .. } => unit("momentum", momentum),
            OptimizerSpec::Adam { beta1, beta2, .. } => {
                unit("beta1", beta1 as f64)?;
                unit("beta2", beta2 as f64)
            }
            OptimizerSpec::AdamW {
                beta1,
                beta2,
                weight_decay,
                ..
            } => {
                unit("beta1", beta1 as f64)?;
                unit("beta2", beta2 as f64)?;
                if (0.0..=1.0).contains(&weight_decay) {
                    Ok(())
                } else {
                    Err(format!(
                        "optimizer.weight_decay must be between 0 and 1, not {weight_decay}"
                    ))
                }
            }
        }
    }

    /// The β a learner can turn: momentum's coefficient, or Adam's first-moment decay.
    pub fn beta(&self) -> Option<f64> {
        match *self {
            OptimizerSpec::Sgd { .. } => None,
            OptimizerSpec::Momentum { momentum, .. } => Some(momentum),
            OptimizerSpec::Adam { beta1, .. } | OptimizerSpec::AdamW { beta1, .. } => {
                Some(beta1 as f64)
            }
        }
    }

    /// The same optimizer with another β (see `beta`); plain SGD has none and is unchanged.
    pub fn with_beta(mut self, new: f64) -> Self {
        match &mut self {
            OptimizerSpec::Sgd { .. } => {}
            OptimizerSpec::Momentum { momentum, .. } => *momentum = new,
            OptimizerSpec::Adam { beta1, .. } | OptimizerSpec::AdamW { beta1, .. } => {
                *beta1 = new as f32
            }
        }
        self
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum ScheduleSpec {
    #[default]
    Constant,
    /// Linear warmup from 0, then cosine decay to `min_factor` × lr, restarting every
    /// `cycle_steps` when set.
    WarmupCosine {
        warmup_steps: usize,
        #[serde(default)]
        min_factor: f64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cycle_steps: Option<usize>,
    },
    /// Multiply by `gamma` every `every` steps.
    Step { every: usize, gamma: f64 },
}

impl ExperimentSpec {
    pub fn from_json(text: &str) -> Result<Self, String> {
        let spec: Self = serde_json::from_str(text).map_err(|e| e.to_string())?;
        spec.validate()?;
        Ok(spec)
    }

    /// Checks what the types cannot: sizes, ranges, and combinations that cannot train.
    pub fn validate(&self) -> Result<(), String> {
        let d = &self.dataset;
        if !(8..=100_000).contains(&d.size) {
            return Err(format!(
                "dataset.size must be between 8 and 100000, not {}",
                d.size
            ));
        }
        if !(0.0..=0.9).contains(&d.validation) {
            return Err(format!(
                "dataset.validation must be a fraction between 0 and 0.9, not {}",
                d.validation
            ));
        }
        if !(0.0..=5.0).contains(&d.noise) {
            return Err(format!(
                "dataset.noise must be between 0 and 5, not {}",
                d.noise
            ));
        }
        if !(2..=10).contains(&d.classes) {
            return Err(format!(
                "dataset.classes must be between 2 and 10, not {}",
                d.classes
            ));
        }
        if let Some(p) = d.positive_fraction {
            if d.classes != 2 || !(0.001..=0.999).contains(&p) {
                return Err("dataset.positive_fraction needs 2 classes and a fraction between 0.001 and 0.999".into());
            }
        }
        if matches!(
            d.generator,
            Generator::Xor | Generator::Circles | Generator::Moons
        ) && d.classes != 2
        {
            return Err(format!(
                "the {:?} generator makes 2 classes; use spiral or blobs for more",
                d.generator
            )
            .to_lowercase());
        }
        if self.model.hidden.len() > 16
            || self
                .model
                .hidden
                .iter()
                .any(|l| !(1..=256).contains(&l.width))
        {
            return Err("model.hidden takes at most 16 layers of width 1 to 256".into());
        }
        if self
            .model
            .hidden_bias
            .is_some_and(|b| !(-100.0..=100.0).contains(&b))
        {
            return Err("model.hidden_bias must be between -100 and 100".into());
        }
        if let LossSpec::WeightedCrossEntropy { positive_weight } = self.loss {
            if d.classes != 2 || !(positive_weight > 0.0 && positive_weight <= 1000.0) {
                return Err("weighted-cross-entropy needs 2 classes and a positive_weight between 0 and 1000".into());
            }
        }
        // Squared error scores more classes too: softmax against the one-hot label.
        self.validate_inputs()?;
        self.optimizer.validate()?;
        if !(1..=4096).contains(&self.batch_size) {
            return Err(format!(
                "batch_size must be between 1 and 4096, not {}",
                self.batch_size
            ));
        }
        if !(1..=5000).contains(&self.epochs) {
            return Err(format!(
                "epochs must be between 1 and 5000, not {}",
                self.epochs
            ));
        }
        if let Some(c) = self.clip_grad_norm {
            if c <= 0.0 {
                return Err("clip_grad_norm must be positive".into());
            }
        }
        if let Some(r) = self.regularization {
            if !(0.0..=10.0).contains(&r.rate) {
                return Err(format!(
                    "regularization.rate must be between 0 and 10, not {}",
                    r.rate
                ));
            }
        }
        Ok(())
    }

    /// The data's own fields, the problem type and the features agree with each other.
    fn validate_inputs(&self) -> Result<(), String> {
        let d = &self.dataset;
        let regression_set = matches!(d.generator, Generator::Plane | Generator::GaussianBump);
        match self.problem {
            Problem::Regression => {
                if !(regression_set || d.generator == Generator::Own) {
                    return Err(
                        "regression needs targets: the plane or gaussian-bump set, or own points"
                            .into(),
                    );
                }
                if self.loss != LossSpec::Mse {
                    return Err("regression is fitted with the mse loss".into());
                }
            }
            Problem::Classification if regression_set => {
                return Err(format!(
                    "the {} set holds targets, not classes: set problem to regression",
                    if d.generator == Generator::Plane {
                        "plane"
                    } else {
                        "gaussian-bump"
                    }
                ));
            }
            Problem::Classification => {}
        }
        if !(0.01..=100.0).contains(&d.scale) {
            return Err(format!(
                "dataset.scale must be between 0.01 and 100, not {}",
                d.scale
            ));
        }
        if d.generator != Generator::Own && !d.points.is_empty() {
            return Err("dataset.points go with the own generator only".into());
        }
        if d.generator != Generator::Digits && d.images.is_some() {
            return Err("dataset.images go with the digits generator only".into());
        }
        if d.generator == Generator::Own {
            if d.points.len() != d.size {
                return Err(format!(
                    "dataset.size must equal the number of points ({}), not {}",
                    d.points.len(),
                    d.size
                ));
            }
            if d.points.len() > MAX_OWN_POINTS {
                return Err(format!(
                    "at most {MAX_OWN_POINTS} own points, not {}",
                    d.points.len()
                ));
            }
            if d.classes != 2 {
                return Err("own points have 2 classes (or a target)".into());
            }
            for (i, [x, y, v]) in d.points.iter().copied().enumerate() {
                if !(x.abs() <= PLANE && y.abs() <= PLANE) {
                    return Err(format!(
                        "point {} lies off the plane [-{PLANE}, {PLANE}]²",
                        i + 1
                    ));
                }
                let fine = match self.problem {
                    Problem::Classification => v == 0.0 || v == 1.0,
                    Problem::Regression => v.is_finite() && v.abs() <= 1000.0,
                };
                if !fine {
                    return Err(format!(
                        "point {}'s {} must be {}, not {v}",
                        i + 1,
                        if self.problem == Problem::Regression {
                            "target"
                        } else {
                            "class"
                        },
                        if self.problem == Problem::Regression {
                            "a number of size at most 1000"
                        } else {
                            "0 or 1"
                        }
                    ));
                }
            }
        }
        if d.generator == Generator::Digits {
            let Some(images) = &d.images else {
                return Err("the digits set needs its images (dataset.images)".into());
            };
            if !(1..=32).contains(&images.side)
                || images.pixels.len() != images.len() * images.dim()
                || images.pixels.iter().any(|&p| p > images.max)
            {
                return Err(
                    "dataset.images: each image needs side × side pixels from 0 to max".into(),
                );
            }
            if images.len() != d.size {
                return Err(format!(
                    "dataset.size must equal the number of images ({}), not {}",
                    images.len(),
                    d.size
                ));
            }
            if images.labels.iter().any(|&l| l as usize >= d.classes) {
                return Err(format!(
                    "dataset.images: every label must be below {} (the classes)",
                    d.classes
                ));
            }
            if !Feature::is_plain(&self.features) {
                return Err("images are fed pixel by pixel and take no features".into());
            }
        }
        let mut seen = std::collections::HashSet::new();
        if self.features.is_empty() || !self.features.iter().all(|f| seen.insert(*f)) {
            return Err("features must name at least one input, each once".into());
        }
        Ok(())
    }

    /// Numbers the network reads per example: one per feature, or one per pixel.
    pub fn inputs(&self) -> usize {
        match &self.dataset.images {
            Some(images) if self.dataset.generator == Generator::Digits => images.dim(),
            _ => self.features.len(),
        }
    }

    /// Examples used for training (the rest validate); at least one batch.
    pub fn train_size(&self) -> usize {
        let val = (self.dataset.size as f32 * self.dataset.validation).round() as usize;
        self.dataset.size - val
    }

    pub fn steps_per_epoch(&self) -> usize {
        self.train_size().div_ceil(self.batch_size)
    }

    pub fn total_steps(&self) -> usize {
        self.steps_per_epoch() * self.epochs
    }

    /// Layer widths, input first: inputs, each hidden layer, outputs.
    pub fn widths(&self) -> Vec<usize> {
        std::iter::once(self.inputs())
            .chain(self.model.hidden.iter().map(|l| l.width))
            .chain(std::iter::once(self.outputs()))
            .collect()
    }

    /// One output for regression and binary problems, one logit per class otherwise.
    pub fn outputs(&self) -> usize {
        if self.dataset.classes == 2 || self.problem == Problem::Regression {
            1
        } else {
            self.dataset.classes
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn sample() -> &'static str {
        r#"{
          "dataset": { "generator": "moons", "seed": 7, "size": 400, "noise": 0.2, "validation": 0.25 },
          "model": { "hidden": [ { "width": 16, "activation": "relu" } ], "init": "he" },
          "loss": { "kind": "cross-entropy" },
          "optimizer": { "kind": "adam", "lr": 0.01 },
          "schedule": { "kind": "warmup-cosine", "warmup_steps": 10 },
          "batch_size": 32,
          "epochs": 20
        }"#
    }

    #[test]
    fn a_spec_round_trips_through_json() {
        let spec = ExperimentSpec::from_json(sample()).unwrap();
        assert_eq!(spec.train_size(), 300);
        assert_eq!(spec.steps_per_epoch(), 10);
        assert_eq!(spec.outputs(), 1);
        let again = ExperimentSpec::from_json(&serde_json::to_string(&spec).unwrap()).unwrap();
        assert_eq!(spec, again);
    }

    #[test]
    fn a_demo_control_changes_only_the_rate_or_the_beta() {
        let adamw = OptimizerSpec::AdamW {
            lr: 0.1,
            beta1: 0.9,
            beta2: 0.99,
            weight_decay: 0.01,
        };
        assert_eq!(
            adamw.with_lr(0.5),
            OptimizerSpec::AdamW {
                lr: 0.5,
                beta1: 0.9,
                beta2: 0.99,
                weight_decay: 0.01
            }
        );
        assert_eq!(adamw.with_beta(0.5).beta(), Some(0.5));
        assert_eq!(
            OptimizerSpec::Momentum {
                lr: 0.1,
                momentum: 0.9
            }
            .with_beta(0.5),
            OptimizerSpec::Momentum {
                lr: 0.1,
                momentum: 0.5
            }
        );
        assert_eq!(
            OptimizerSpec::Sgd { lr: 0.1 }.with_beta(0.5),
            OptimizerSpec::Sgd { lr: 0.1 }
        );
        assert_eq!(OptimizerSpec::Sgd { lr: 0.1 }.beta(), None);
    }

    #[test]
    fn bad_specs_say_what_is_wrong() {
        let bad = sample().replace("\"lr\": 0.01", "\"lr\": -1");
        assert!(ExperimentSpec::from_json(&bad)
            .unwrap_err()
            .contains("optimizer.lr"));
        let typo = sample().replace("\"epochs\"", "\"epoch\"");
        assert!(ExperimentSpec::from_json(&typo)
            .unwrap_err()
            .contains("epoch"));
        let weighted = sample().replace(
            "{ \"kind\": \"cross-entropy\" }",
            "{ \"kind\": \"weighted-cross-entropy\", \"positive_weight\": 0 }",
        );
        assert!(ExperimentSpec::from_json(&weighted)
            .unwrap_err()
            .contains("positive_weight"));
        for (from, to, field) in [
            ("\"lr\": 0.01 }", "\"lr\": 0.01, \"beta1\": 1.5 }", "beta1"),
            ("\"lr\": 0.01 }", "\"lr\": 0.01, \"beta2\": -0.1 }", "beta2"),
            (
                "{ \"kind\": \"adam\", \"lr\": 0.01 }",
                "{ \"kind\": \"momentum\", \"lr\": 0.01, \"momentum\": 1.0 }",
                "momentum",
            ),
        ] {
            let bad = sample().replace(from, to);
            assert_ne!(bad, sample(), "the replacement applied");
            let e = ExperimentSpec::from_json(&bad).unwrap_err();
            assert!(e.contains(field), "{e}");
        }
    }

    #[test]
    fn the_new_fields_default_away_and_round_trip() {
        let spec = ExperimentSpec::from_json(sample()).unwrap();
        assert_eq!(spec.features, Feature::plain());
        assert_eq!(
            (spec.problem, spec.regularization),
            (Problem::Classification, None)
        );
        assert_eq!(spec.dataset.scale, 1.0);
        // A preset written before them serializes as it did: no new keys.
        let text = serde_json::to_string(&spec).unwrap();
        for key in [
            "features",
            "problem",
            "regularization",
            "scale",
            "points",
            "images",
        ] {
            assert!(!text.contains(key), "{key} in {text}");
        }
        let rich = sample()
            .replace(
                "\"epochs\": 20",
                "\"epochs\": 20, \"features\": [\"x\", \"y2\", \"sin-x\", \"xy\"], \"regularization\": { \"penalty\": \"l1\", \"rate\": 0.01 }",
            )
            .replace("\"validation\": 0.25", "\"validation\": 0.25, \"scale\": 5");
        let spec = ExperimentSpec::from_json(&rich).unwrap();
        assert_eq!(spec.inputs(), 4);
        assert_eq!(spec.widths(), vec![4, 16, 1]);
        assert_eq!(spec.features[2], Feature::SinX);
        assert_eq!(Feature::SinX.value([std::f32::consts::FRAC_PI_2, 0.0]), 1.0);
        assert_eq!(Feature::XTimesY.value([3.0, -2.0]), -6.0);
        let again = ExperimentSpec::from_json(&serde_json::to_string(&spec).unwrap()).unwrap();
        assert_eq!(again, spec);
    }

    fn own(points: Vec<[f32; 3]>, problem: &str) -> String {
        format!(
            r#"{{ "dataset": {{ "generator": "own", "seed": 1, "size": {}, "noise": 0, "validation": 0.5, "points": {} }},
              "model": {{ "hidden": [] }}, "loss": {{ "kind": "mse" }}, "optimizer": {{ "kind": "sgd", "lr": 0.1 }},
              "batch_size": 4, "epochs": 2, "problem": "{problem}" }}"#,
            points.len(),
            serde_json::to_string(&points).unwrap()
        )
    }

    #[test]
    fn own_points_images_and_problems_are_checked_like_every_field() {
        let pts = |v: f32| {
            (0..8)
                .map(|i| [i as f32 * 0.5, -1.0, v * (i % 2) as f32])
                .collect()
        };
        assert!(ExperimentSpec::from_json(&own(pts(1.0), "classification")).is_ok());
        assert!(ExperimentSpec::from_json(&own(pts(0.7), "regression")).is_ok());
        let e = ExperimentSpec::from_json(&own(pts(2.0), "classification")).unwrap_err();
        assert!(e.contains("class must be 0 or 1"), "{e}");
        let mut far: Vec<[f32; 3]> = pts(1.0);
        far[3][0] = 6.5;
        assert!(ExperimentSpec::from_json(&own(far, "classification"))
            .unwrap_err()
            .contains("off the plane"));
        let wrong_size = own(pts(1.0), "classification").replace("\"size\": 8", "\"size\": 9");
        assert!(ExperimentSpec::from_json(&wrong_size)
            .unwrap_err()
            .contains("number of points"));
        // Regression takes the squared error and a set with targets; classes do not fit a plane.
        let ce = own(pts(0.7), "regression").replace("\"mse\"", "\"cross-entropy\"");
        assert!(ExperimentSpec::from_json(&ce).unwrap_err().contains("mse"));
        let plane = sample().replace("\"moons\"", "\"plane\"");
        assert!(ExperimentSpec::from_json(&plane)
            .unwrap_err()
            .contains("set problem to regression"));
        let moons_reg = sample().replace(
            "\"epochs\": 20",
            "\"epochs\": 20, \"problem\": \"regression\"",
        );
        assert!(ExperimentSpec::from_json(&moons_reg).is_err());
        // Points only with `own`; images only with `digits`, which need them and no features.
        let stray = sample().replace(
            "\"validation\": 0.25",
            "\"validation\": 0.25, \"points\": [[0, 0, 1]]",
        );
        assert!(ExperimentSpec::from_json(&stray)
            .unwrap_err()
            .contains("own generator only"));
        let digits = sample().replace("\"moons\"", "\"digits\"");
        assert!(ExperimentSpec::from_json(&digits)
            .unwrap_err()
            .contains("needs its images"));
        let mut spec = ExperimentSpec::from_json(sample()).unwrap();
        spec.dataset.generator = Generator::Digits;
        spec.dataset.classes = 10;
        spec.dataset.size = 8;
        spec.dataset.images = Some(Images {
            side: 2,
            max: 16,
            pixels: vec![3; 32],
            labels: vec![9; 8],
        });
        assert_eq!(spec.validate(), Ok(()));
        assert_eq!(spec.widths(), vec![4, 16, 10]);
        spec.features = vec![Feature::X];
        assert!(spec.validate().unwrap_err().contains("no features"));
        spec.features = Feature::plain();
        spec.dataset.images.as_mut().unwrap().pixels[5] = 17;
        assert!(spec.validate().is_err());
        // Features: at least one, each once; a rate the slider can reach.
        let mut spec = ExperimentSpec::from_json(sample()).unwrap();
        spec.features = vec![Feature::X, Feature::X];
        assert!(spec.validate().unwrap_err().contains("each once"));
        spec.features = vec![];
        assert!(spec.validate().is_err());
        spec.features = Feature::plain();
        spec.regularization = Some(Regularization {
            penalty: Penalty::L2,
            rate: 11.0,
        });
        assert!(spec.validate().unwrap_err().contains("regularization.rate"));
    }
}
