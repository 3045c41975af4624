//! What the page and the training worker say to each other, as JSON over postMessage: the
//! commands (`ToWorker`), the reports (`FromWorker`) and what a report carries.

use crate::backend::{Calibration, DevicePref};
use crate::job::Job;
use crate::spec::ExperimentSpec;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
