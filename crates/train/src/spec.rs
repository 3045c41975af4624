//! The experiment spec: everything a run depends on, serializable, so a preset in `content/`,
//! a message to the worker and a shareable link are the same JSON.

use serde::{Deserialize, Serialize};

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
}

fn two() -> usize {
    2
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
    /// input to its output, h ← h + f(W·h + b), as a ResNet block does (He et al. 2016).
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
        if matches!(self.loss, LossSpec::Mse) && d.classes != 2 {
            return Err(
                "mse here scores a binary prediction; use cross-entropy for more classes".into(),
            );
        }
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
        Ok(())
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

    /// One output logit for binary problems, one per class otherwise.
    pub fn outputs(&self) -> usize {
        if self.dataset.classes == 2 {
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
}
