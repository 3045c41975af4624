//! The jobs a demo gives the training worker: a training run (`ExperimentSpec`), a descent or
//! a race on a 2-D surface, backprop on the tiny network, the CPU/GPU crossover.

use crate::backprop::TinyNet;
use crate::spec::{ExperimentSpec, OptimizerSpec};
use crate::surface::Surface;
use serde::{Deserialize, Serialize};

/// A descent on a 2-D surface: the landscape and optimizer demos.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DescentSpec {
    pub surface: Surface,
    pub start: [f64; 2],
    pub optimizer: OptimizerSpec,
    pub steps: usize,
}

/// One optimizer in a race.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Racer {
    pub label: String,
    pub optimizer: OptimizerSpec,
}

/// Several optimizers descend the same surface from the same start, step for step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RaceSpec {
    pub surface: Surface,
    pub start: [f64; 2],
    pub steps: usize,
    pub racers: Vec<Racer>,
    /// A racer has finished once its loss is within this of the surface's minimum.
    pub tolerance: f64,
    /// On a surface with no minimum (the saddle), the finish line instead: a racer has
    /// finished once its loss is at or below this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finish_loss: Option<f64>,
}

impl RaceSpec {
    /// The loss at which a racer has finished: the minimum plus the tolerance where the surface
    /// has a minimum, else `finish_loss`.
    pub fn finish_line(&self) -> Option<f64> {
        match self.surface.minimum() {
            Some(m) => Some(m + self.tolerance),
            None => self.finish_loss,
        }
    }

    /// The step at which `path` first reaches the finish line.
    pub fn finish_step(&self, path: &[[f64; 3]]) -> Option<usize> {
        steps_to_reach(path, self.finish_line()?)
    }
}

/// "When does the GPU pay off?": the same MLP (2-w-w-1) at growing width and batch, each size
/// timed on both backends on the learner's machine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrossoverSpec {
    /// (width of both hidden layers, batch size), smallest first.
    pub sizes: Vec<[usize; 2]>,
    /// Timed steps per size and backend, after one warm-up step (fewer when a step is slow).
    pub steps: usize,
    /// A backend skips the larger sizes once a step would take longer than this (projected
    /// from the last size it ran): the demo must finish on a slow machine too.
    pub max_step_ms: f64,
}

impl CrossoverSpec {
    /// The training run timed at `sizes[i]`: one epoch is one batch of moons.
    pub fn spec(&self, i: usize) -> ExperimentSpec {
        let [width, batch] = self.sizes[i];
        let hidden = crate::spec::LayerSpec {
            width,
            activation: crate::spec::Activation::Relu,
        };
        ExperimentSpec {
            dataset: crate::spec::DatasetSpec {
                generator: crate::spec::Generator::Moons,
                seed: 1,
                size: batch,
                noise: 0.1,
                validation: 0.0,
                classes: 2,
                positive_fraction: None,
                scale: 1.0,
                points: Vec::new(),
                images: None,
            },
            model: crate::spec::ModelSpec {
                hidden: vec![hidden, hidden],
                init: crate::spec::Init::He,
                hidden_bias: None,
                residual: false,
            },
            loss: crate::spec::LossSpec::Mse,
            optimizer: OptimizerSpec::Adam {
                lr: 0.001,
                beta1: 0.9,
                beta2: 0.999,
            },
            schedule: Default::default(),
            batch_size: batch,
            epochs: self.steps + 3,
            clip_grad_norm: None,
            problem: Default::default(),
            features: crate::spec::Feature::plain(),
            regularization: None,
        }
    }

    /// Multiply-adds in one training step (forward and backward, about three times the
    /// forward pass's): what the GPU's parallel lanes have to work on.
    pub fn work(&self, i: usize) -> f64 {
        let [w, b] = self.sizes[i];
        let forward = (2 * w + w * w + w) as f64 * b as f64;
        3.0 * forward
    }

    /// The step time projected for `sizes[i]` from the last size a backend ran, given as
    /// (work, ms per step), if it passes `max_step_ms`: the size is then skipped. Time is
    /// assumed to grow with the work, which is right once the arithmetic dominates.
    pub fn over_cap(&self, i: usize, last: (f64, f64)) -> Option<f64> {
        let projected = last.1 * self.work(i) / last.0;
        (projected > self.max_step_ms).then_some(projected)
    }

    pub fn validate(&self) -> Result<(), String> {
        if self.sizes.is_empty() || self.sizes.len() > 12 {
            return Err("a crossover takes 1 to 12 sizes".into());
        }
        if self
            .sizes
            .iter()
            .any(|&[w, b]| !(1..=2048).contains(&w) || !(1..=8192).contains(&b))
        {
            return Err("each size is [width 1 to 2048, batch 1 to 8192]".into());
        }
        if !(1..=100).contains(&self.steps) {
            return Err("steps must be 1 to 100".into());
        }
        if !(self.max_step_ms > 0.0 && self.max_step_ms <= 60_000.0) {
            return Err("max_step_ms must be above 0 and at most 60000".into());
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Job {
    Train(ExperimentSpec),
    Descend(DescentSpec),
    Race(RaceSpec),
    /// One forward and backward pass of the 2-2-1 network, gradients from burn's autodiff.
    Backprop(TinyNet),
    Crossover(CrossoverSpec),
}

/// The first step at which a path's loss is at or below `target`.
pub fn steps_to_reach(path: &[[f64; 3]], target: f64) -> Option<usize> {
    path.iter().position(|p| p[2] <= target)
}
