//! What the page and the training worker say to each other, as JSON over postMessage.

use crate::backend::Calibration;
use crate::backprop::TinyNet;
use crate::spec::{ExperimentSpec, OptimizerSpec};
use crate::surface::Surface;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum DevicePref {
    /// The backend this device measured faster for the run's network (`backend::choose`).
    #[default]
    Auto,
    Gpu,
    Cpu,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "cmd", rename_all = "kebab-case")]
pub enum ToWorker {
    Start {
        job: Job,
        device: DevicePref,
        /// Time each training step's phases and send them with `Done` (benchmarks); off for
        /// learners, whose runs need not pay for the clock reads.
        #[serde(default)]
        profile: bool,
        /// Calibrations this browser remembers, by `backend::calibration_key`.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        known: BTreeMap<String, Calibration>,
        /// Why an earlier worker on this page gave up the GPU (it crashed there): this one
        /// keeps to the CPU and says so.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        gpu_failed: Option<String>,
        /// The adapter this browser measured last (`backend::Adapter::Usable`'s key): where
        /// its calibration already says the CPU, the worker skips asking for an adapter.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        adapter: Option<String>,
        /// What the view shows besides the numbers; absent, nothing (see `Wants`).
        #[serde(default)]
        wants: Wants,
        /// The page chose the CPU for this run (`backend::route`) and says why: the worker
        /// trains on the CPU and shows this reason without asking for an adapter.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        on_cpu: Option<String>,
    },
    /// For the GPU worker, between runs and while the CPU worker trains: measure both
    /// backends on this network (`calibrate`), or compile the GPU's kernels for it.
    Measure {
        spec: ExperimentSpec,
        calibrate: bool,
    },
    Pause,
    Resume,
    /// One step (or one report's worth) while paused.
    Step,
    Reset,
}

/// What a view draws besides a report's numbers. The engine computes only what is asked
/// for and reads it back with the report's metrics, in one read-back; a view that cannot show
/// regions or neurons does not pay for them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Wants {
    /// Decision regions: the output over a `regions` × `regions` grid (0: none).
    pub regions: usize,
    /// The square the grids cover; the training data's extent plus a margin when absent.
    pub bounds: Option<([f32; 2], [f32; 2])>,
    /// Every hidden unit's output over a `neurons` × `neurons` grid of the same square (0: none).
    pub neurons: usize,
    /// Every weight and bias: the network graph's edges, the digit pad's own forward pass.
    pub params: bool,
    /// The validation set's predicted classes: a confusion matrix, the misclassified examples.
    pub val_classes: bool,
    /// The snapshot (and the training accuracy) comes every `every` epochs, at the start and
    /// at the end; the other reports carry the metrics alone.
    pub every: usize,
}

impl Default for Wants {
    fn default() -> Self {
        Wants {
            regions: 0,
            bounds: None,
            neurons: 0,
            params: false,
            val_classes: false,
            every: 5,
        }
    }
}

impl Wants {
    /// Nothing to draw: the snapshot would be empty.
    pub fn nothing(&self) -> bool {
        self.regions == 0 && self.neurons == 0 && !self.params && !self.val_classes
    }
}

/// What a report shows besides its numbers, as `Wants` asked.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Snapshot {
    pub epoch: usize,
    /// The decision regions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regions: Option<Regions>,
    /// Each hidden unit's output, layer by layer and unit by unit, on a `neuron_grid` ×
    /// `neuron_grid` grid over the regions' square (row 0 at the top), to 3 decimals.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub neurons: Vec<Vec<f32>>,
    #[serde(default)]
    pub neuron_grid: usize,
    /// The parameter vector: per layer, the weights input-major (`fan_in × fan_out`), then
    /// the biases (`infer::layers` says where each sits).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<f32>,
    /// The predicted class of each validation example, in the validation set's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub val_classes: Vec<u16>,
}

/// The model's output on an n × n grid over [x0, x1] × [y0, y1], row 0 at the top: the
/// probability of class 1 (binary), the predicted class (more classes) or the predicted value
/// (regression).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Regions {
    pub x: [f32; 2],
    pub y: [f32; 2],
    pub n: usize,
    pub values: Vec<f32>,
}

/// Everything a demo plots after one report.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Metrics {
    pub step: usize,
    pub total_steps: usize,
    pub epoch: usize,
    pub lr: f64,
    pub train_loss: f32,
    pub val_loss: Option<f32>,
    pub train_accuracy: Option<f32>,
    pub val_accuracy: Option<f32>,
    /// Recall of class 1 on the validation set (binary problems).
    pub val_recall: Option<f32>,
    /// [[true negatives, false positives], [false negatives, true positives]] on validation.
    pub confusion: Option<[[u32; 2]; 2]>,
    /// Mean |gradient| of each layer's weights, input side first.
    pub grad_mean_abs: Vec<f32>,
    /// Fraction of ReLU-family hidden units that output 0 for every validation example.
    pub dead_fraction: Option<f32>,
    /// Binary problems, in reports that come with the decision regions: the model's logit for
    /// each validation example, in the validation set's order. A view moves the decision
    /// threshold over them (the engine's own counts above use logit > 0, probability > 0.5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub val_logits: Option<Vec<f32>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum FromWorker {
    /// The worker's wasm has started and listens: messages sent before this would be lost.
    Ready,
    /// The run trains on this device; `note` says why, in measured words where there are any.
    Device {
        label: String,
        gpu: bool,
        note: Option<String>,
    },
    /// A background measurement finished: the page remembers it under `key`; `note` replaces
    /// the running run's reason.
    Calibrated {
        key: String,
        calibration: Calibration,
        note: String,
    },
    /// The GPU's kernels for this calibration key are compiled: a run of this size may start
    /// on the GPU worker without waiting.
    Warmed {
        key: String,
    },
    /// This browser's GPU cannot train (no usable adapter, or it failed while measuring):
    /// the page keeps to the CPU from now on and says why.
    NoGpu {
        why: String,
    },
    /// A slow step before training starts (the GPU's first kernel compile), named.
    Stage {
        message: String,
    },
    /// A crossover size timed on one backend: milliseconds per step, or why it was skipped.
    Timing {
        index: usize,
        gpu: bool,
        ms_per_step: Option<f64>,
        note: Option<String>,
    },
    Metrics {
        metrics: Metrics,
    },
    /// What the view asked for (`Wants`), from the same read-back as the metrics before it.
    Snapshot {
        snapshot: Snapshot,
    },
    /// Descent: the path so far as (x, y, value).
    Path {
        points: Vec<[f64; 3]>,
        total_steps: usize,
    },
    /// A race: each racer's path so far, and why a racer stopped early (it left the map).
    Paths {
        paths: Vec<Vec<[f64; 3]>>,
        stopped: Vec<Option<String>>,
        total_steps: usize,
    },
    /// Backprop: burn's autodiff gradient of each parameter, in `backprop::PARAMS` order.
    Gradients {
        values: Vec<f64>,
    },
    /// A loss or gradient became NaN or infinite; the run stopped.
    Alarm {
        message: String,
    },
    Paused,
    /// The run ended; `profile` is where a training run's time went (benchmarks read it).
    Done {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        profile: Option<Profile>,
    },
    Error {
        message: String,
    },
    /// The worker cannot go on (its wasm failed to load, or it panicked and trapped): the page
    /// replaces it.
    Crashed {
        message: String,
    },
}

/// Where a profiled training run's time went, in milliseconds of the worker's clock.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// Building the trainer (data, model) and the untrained network's first report.
    pub setup: f64,
    /// The training steps, whole: the four phases below and what lies between them.
    pub steps: f64,
    pub upload: f64,
    pub forward: f64,
    pub backward: f64,
    pub update: f64,
    /// Per-epoch reports: metrics and decision regions computed, read back and posted.
    pub reports: f64,
    /// Handing the worker's event loop a turn between slices (Pause and Reset are heard).
    pub yields: f64,
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

/// Why a run blew up, in words a learner can act on.
pub fn non_finite_explanation(spec: &ExperimentSpec, step: usize) -> String {
    format!(
        "The loss became NaN or infinite at step {step}, so training stopped. Numbers overflowed: the updates grew until they left \
         the range a float can hold. The usual cause is a learning rate too high for this model (here {}); lower it, or clip the \
         gradient norm.",
        spec.optimizer.lr()
    )
}

/// One sentence about a finished run: what was trained and how it ended. Stored with the
/// learner's progress so a lab's peer can quote the learner's own evidence.
pub fn describe_run(
    job: &Job,
    last: Option<&Metrics>,
    path_end: Option<[f64; 3]>,
    alarm: Option<&str>,
) -> String {
    let f = |v: f32| format!("{v:.3}");
    let optimizer = |o: &OptimizerSpec| match *o {
        OptimizerSpec::Sgd { lr } => format!("SGD lr {lr}"),
        OptimizerSpec::Momentum { lr, momentum } => {
            format!("SGD with momentum {momentum}, lr {lr}")
        }
        OptimizerSpec::Adam { lr, .. } => format!("Adam lr {lr}"),
        OptimizerSpec::AdamW {
            lr, weight_decay, ..
        } => format!("AdamW lr {lr}, weight decay {weight_decay}"),
    };
    let mut text = match job {
        Job::Train(s) => {
            let layers: Vec<String> = s.widths().iter().map(|w| w.to_string()).collect();
            let act = s.model.hidden.first().map(|l| format!("{:?}", l.activation).to_lowercase()).unwrap_or_else(|| "none".into());
            let loss = match s.loss {
                crate::spec::LossSpec::Mse => "MSE".to_string(),
                crate::spec::LossSpec::CrossEntropy => "cross-entropy".to_string(),
                crate::spec::LossSpec::WeightedCrossEntropy { positive_weight } => format!("weighted cross-entropy (positives ×{positive_weight})"),
            };
            let mut t = format!(
                "trained a {} {act} network with {loss}, {}, {} epochs, on {} {}",
                layers.join("-"),
                optimizer(&s.optimizer),
                s.epochs,
                s.dataset.size,
                if s.dataset.images.is_some() { "images" } else { "points" }
            );
            if let Some(p) = s.dataset.positive_fraction {
                t.push_str(&format!(" ({:.0}% positives)", p * 100.0));
            }
            if let Some(m) = last {
                t.push_str(&format!(": after epoch {} training loss {}", m.epoch, f(m.train_loss)));
                if let Some(v) = m.val_loss {
                    t.push_str(&format!(", validation loss {}", f(v)));
                }
                if let Some(a) = m.val_accuracy {
                    t.push_str(&format!(", validation accuracy {:.1}%", a * 100.0));
                }
                if let Some(r) = m.val_recall {
                    t.push_str(&format!(", recall {:.1}%", r * 100.0));
                }
                if let Some(g) = m.grad_mean_abs.first() {
                    t.push_str(&format!(", first-layer mean |gradient| {g:.2e}"));
                }
            }
            t
        }
        Job::Race(r) => {
            let names: Vec<&str> = r.racers.iter().map(|x| x.label.as_str()).collect();
            format!("raced {} on the {:?} surface from ({:.2}, {:.2})", names.join(", "), r.surface, r.start[0], r.start[1])
        }
        Job::Backprop(n) => format!("worked through backpropagation on a 2-2-1 {:?} network with inputs ({}, {}) and target {}", n.activation, n.x[0], n.x[1], n.target).to_lowercase(),
        Job::Crossover(c) => format!(
            "timed the CPU and the GPU on a 2-w-w-1 network at {} sizes, up to width {} and batch {}",
            c.sizes.len(),
            c.sizes.last().map_or(0, |s| s[0]),
            c.sizes.last().map_or(0, |s| s[1])
        ),
        Job::Descend(d) => {
            let mut t = format!("ran {} on the {:?} surface from ({:.2}, {:.2})", optimizer(&d.optimizer), d.surface, d.start[0], d.start[1]);
            if let Some([x, y, v]) = path_end {
                t.push_str(&format!(": ended at ({x:.2}, {y:.2}) with loss {v:.3}"));
            }
            t
        }
    };
    if let Some(a) = alarm {
        text.push_str(&format!("; the run stopped: {a}"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_is_described_with_its_setup_and_its_result() {
        let spec = crate::ExperimentSpec::from_json(crate::spec::tests::sample()).unwrap();
        let m = Metrics {
            epoch: 20,
            train_loss: 0.0812,
            val_loss: Some(0.25),
            val_accuracy: Some(0.9),
            val_recall: Some(0.5),
            grad_mean_abs: vec![3e-6, 0.01],
            ..Default::default()
        };
        let text = describe_run(&Job::Train(spec), Some(&m), None, None);
        assert_eq!(
            text,
            "trained a 2-16-1 relu network with cross-entropy, Adam lr 0.01, 20 epochs, on 400 points: after epoch 20 training loss 0.081, \
             validation loss 0.250, validation accuracy 90.0%, recall 50.0%, first-layer mean |gradient| 3.00e-6"
        );
    }
}
