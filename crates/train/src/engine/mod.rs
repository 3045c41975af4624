//! The burn trainer. Every read back from the device is async (`into_data_async`): the
//! browser cannot block on the GPU. Natively the same code runs under `block_on`.

mod backprop;
mod descent;
mod gradient;
mod model;
mod optimizer;
mod products;

pub use backprop::autodiff_gradients;
pub use descent::{race_to_end, Descent, Race};
pub use gradient::Objective;
pub use model::Mlp;
pub use products::Products;

use crate::data::data_bounds;
use crate::data::{generate, Dataset, Rng};
use crate::explain::non_finite_explanation;
use crate::protocol::{Metrics, Regions, Snapshot, Wants};
use crate::schedule::lr_at;
use crate::spec::{Activation, ExperimentSpec, Problem};
use burn::optim::{GradientsParams, ModuleOptimizer};
use burn::prelude::*;
use burn::tensor::activation::sigmoid;

#[derive(Debug, Clone, PartialEq)]
pub enum TrainError {
    /// The loss or a gradient left the float range; the message explains it to a learner.
    NonFinite(String),
    Device(String),
}

impl std::fmt::Display for TrainError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TrainError::NonFinite(m) | TrainError::Device(m) => f.write_str(m),
        }
    }
}

/// Read-backs so far in this process: each one waits for the device on a GPU, so the
/// benchmark counts them.
static READ_BACKS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

pub fn read_backs() -> usize {
    READ_BACKS.load(std::sync::atomic::Ordering::Relaxed)
}

async fn read(t: Tensor<1>) -> Result<Vec<f32>, TrainError> {
    READ_BACKS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let data = t
        .into_data_async()
        .await
        .map_err(|e| TrainError::Device(format!("reading from the device failed: {e:?}")))?;
    data.convert::<f32>()
        .try_into_vec::<f32>()
        .map_err(|e| TrainError::Device(format!("{e:?}")))
}

pub struct Trainer {
    spec: ExperimentSpec,
    device: Device,
    /// Taken out for each optimizer step, so the update owns the only reference to the
    /// parameters and flex can update them in place.
    model: Option<Mlp>,
    optimizer: ModuleOptimizer,
    objective: Objective,
    acts: Vec<Activation>,
    train: Dataset,
    val: Dataset,
    /// Each set's inputs, row-major, `inputs` numbers an example (features or pixels).
    train_x: Vec<f32>,
    val_x: Vec<f32>,
    inputs: usize,
    order: Vec<usize>,
    rng: Rng,
    step: usize,
    /// Sum of this report's batch losses, kept on the device until the report reads it.
    loss_sum: Option<Tensor<1>>,
    batches: usize,
    grad_means: Vec<Tensor<1>>,
    /// Milliseconds now, when the caller wants the step's phases timed (benchmarks).
    clock: Option<fn() -> f64>,
    /// Time spent so far in [batch upload, forward + loss, backward, optimizer update].
    phases: [f64; 4],
    wants: Wants,
    /// 1 on each weight, 0 on each bias: what the regularization penalty sums over.
    weight_mask: Option<Tensor<1>>,
    snapshot: Option<Snapshot>,
    /// Read-backs from the device this trainer's reports have made (each one waits for a
    /// GPU); the process-wide count, `read_backs()`, also sees other trainers.
    read_backs: usize,
}

impl Trainer {
    /// Trains on `device`, with or without autodiff: the step writes its backward pass out
    /// (see `gradient`), and only the parameters live on the autodiff device, for burn's
    /// optimizer.
    pub fn new(spec: ExperimentSpec, device: Device) -> Self {
        let device = device.inner();
        let (train, val) = generate(&spec.dataset);
        let (train_x, val_x) = (train.inputs(&spec), val.inputs(&spec));
        let inputs = spec.inputs();
        let model = Mlp::new(
            &spec.model,
            inputs,
            spec.outputs(),
            spec.dataset.seed,
            &device.clone().autodiff(),
        );
        let weight_mask = spec.regularization.filter(|r| r.rate > 0.0).map(|_| {
            let mut mask = Vec::new();
            for l in model.layers() {
                mask.extend(std::iter::repeat_n(1.0f32, l.fan_in * l.fan_out));
                mask.extend(std::iter::repeat_n(0.0f32, l.fan_out));
            }
            let n = mask.len();
            Tensor::from_data(TensorData::new(mask, [n]), &device)
        });
        let optimizer = optimizer::build(&spec.optimizer, spec.clip_grad_norm);
        let acts = spec.model.hidden.iter().map(|l| l.activation).collect();
        let objective = Objective::of(&spec);
        let order = (0..train.len()).collect();
        let rng = Rng::new(spec.dataset.seed ^ 0xB47C);
        Trainer {
            spec,
            device,
            model: Some(model),
            optimizer,
            objective,
            acts,
            train,
            val,
            train_x,
            val_x,
            inputs,
            order,
            rng,
            step: 0,
            loss_sum: None,
            batches: 0,
            grad_means: Vec::new(),
            clock: None,
            phases: [0.0; 4],
            wants: Wants::default(),
            weight_mask,
            snapshot: None,
            read_backs: 0,
        }
    }

    /// What the view draws besides the numbers; reports from now on bring it.
    pub fn set_wants(&mut self, wants: Wants) {
        self.wants = wants;
    }

    /// How many times this trainer's reports have read values back from the device.
    pub fn read_backs(&self) -> usize {
        self.read_backs
    }

    /// The snapshot the last report read back with its metrics, if one was due and wanted.
    pub fn take_snapshot(&mut self) -> Option<Snapshot> {
        self.snapshot.take()
    }

    fn model(&self) -> &Mlp {
        self.model
            .as_ref()
            .expect("the model is back after every step")
    }

    /// Times each step's phases with `clock` (milliseconds); see `phases`.
    pub fn set_clock(&mut self, clock: fn() -> f64) {
        self.clock = Some(clock);
    }

    /// Milliseconds spent in [batch upload, forward + loss, backward, optimizer update].
    pub fn phases(&self) -> [f64; 4] {
        self.phases
    }

    fn now(&self) -> f64 {
        self.clock.map_or(0.0, |c| c())
    }

    /// Every weight and bias, in the parameter vector's order: how far a step moved them.
    pub async fn parameters(&self) -> Result<Vec<f32>, TrainError> {
        read(self.model().params.val().inner()).await
    }

    pub fn spec(&self) -> &ExperimentSpec {
        &self.spec
    }
    pub fn step_count(&self) -> usize {
        self.step
    }
    pub fn total_steps(&self) -> usize {
        self.spec.total_steps()
    }
    pub fn finished(&self) -> bool {
        self.step >= self.total_steps()
    }
    /// Whether this report comes with the snapshot (decision regions and the rest the view
    /// wants) and the training accuracy they illustrate: at the start, every `Wants::every`
    /// epochs (five unless the view asks otherwise) and at the end. A grid pass and a pass over
    /// the training set are cheap but not free.
    pub fn regions_due(&self) -> bool {
        let epoch = self.step / self.spec.steps_per_epoch().max(1);
        epoch % self.wants.every.max(1) == 0 || self.finished()
    }

    /// True when the last step closed an epoch: the natural moment to report.
    pub fn at_epoch_end(&self) -> bool {
        self.step > 0 && self.step % self.spec.steps_per_epoch() == 0
    }
    pub fn train_set(&self) -> &Dataset {
        &self.train
    }
    pub fn val_set(&self) -> &Dataset {
        &self.val
    }

    fn tensors(&self, validation: bool, rows: &[usize]) -> (Tensor<2>, Tensor<2>) {
        let (set, inputs) = if validation {
            (&self.val, &self.val_x)
        } else {
            (&self.train, &self.train_x)
        };
        let d = self.inputs;
        let x: Vec<f32> = rows
            .iter()
            .flat_map(|&i| inputs[i * d..(i + 1) * d].iter().copied())
            .collect();
        let k = self.spec.outputs();
        let y: Vec<f32> = if self.spec.problem == Problem::Regression {
            rows.iter().map(|&i| set.target[i]).collect()
        } else if k == 1 {
            rows.iter().map(|&i| set.y[i] as f32).collect()
        } else {
            rows.iter()
                .flat_map(|&i| (0..k).map(move |c| if set.y[i] == c { 1.0 } else { 0.0 }))
                .collect()
        };
        (
            Tensor::from_data(TensorData::new(x, [rows.len(), d]), &self.device),
            Tensor::from_data(TensorData::new(y, [rows.len(), k]), &self.device),
        )
    }

    /// One optimizer step on the next mini-batch. Nothing is read back here.
    pub fn step(&mut self) {
        if self.finished() {
            return;
        }
        let per_epoch = self.spec.steps_per_epoch();
        let within = self.step % per_epoch;
        if within == 0 {
            // A fresh shuffle each epoch, from the run's own seed.
            for i in (1..self.order.len()).rev() {
                let j = (self.rng.next_u64() % (i as u64 + 1)) as usize;
                self.order.swap(i, j);
            }
        }
        let b = self.spec.batch_size;
        let rows: Vec<usize> =
            self.order[within * b..((within + 1) * b).min(self.order.len())].to_vec();
        let t0 = self.now();
        let (x, y) = self.tensors(false, &rows);
        let t1 = self.now();
        let net = self.model().plain();
        let (logits, tape) = net.forward_tape(x, &self.acts);
        let (data_loss, slope) = self.objective.loss_and_slope(logits, y);
        let t2 = self.now();
        let mut grad = gradient::backward(&net, tape, slope, &self.acts);
        // The penalty steers the update; the loss reported is the data's alone.
        if let (Some(r), Some(mask)) = (
            self.spec.regularization.filter(|r| r.rate > 0.0),
            &self.weight_mask,
        ) {
            grad = grad + gradient::penalty_slope(r, net.params.val(), mask.clone());
        }
        let t3 = self.now();
        // Reports come at epoch ends and read the last step's gradients: only that step
        // pays for the per-layer means.
        if (self.step + 1) % per_epoch == 0 || self.step + 1 == self.total_steps() {
            self.grad_means = net
                .layers()
                .iter()
                .map(|l| grad.clone().slice([l.weights()]).abs().mean())
                .collect();
        }
        self.loss_sum = Some(match self.loss_sum.take() {
            Some(s) => s + data_loss,
            None => data_loss,
        });
        self.batches += 1;
        let lr = lr_at(
            &self.spec.schedule,
            self.spec.optimizer.lr(),
            self.step,
            self.total_steps(),
        );
        let mut params = GradientsParams::new();
        params.register(net.params.id, grad);
        let model = self
            .model
            .take()
            .expect("the model is back after every step");
        self.model = Some(self.optimizer.step(lr, model, params));
        let t4 = self.now();
        for (phase, (a, b)) in self
            .phases
            .iter_mut()
            .zip([(t0, t1), (t1, t2), (t2, t3), (t3, t4)])
        {
            *phase += b - a;
        }
        self.step += 1;
    }

    /// Waits until every queued step has run on the device, by reading back one number that
    /// depends on the last update (the parameters' sum). Timing steps on a GPU means nothing
    /// without it: a step only queues work.
    pub async fn settle(&self) -> Result<f32, TrainError> {
        let sum = self.model().params.val().inner().sum();
        Ok(read(sum).await?.first().copied().unwrap_or(f32::NAN))
    }

    /// Reads the run's state back: losses, accuracy, recall, gradients, dead units. Stops
    /// with an explanation when a number is no longer finite. Everything a report needs is
    /// queued first and read back in one go: on a GPU each read-back waits for the device.
    pub async fn report(&mut self) -> Result<Metrics, TrainError> {
        let mut reads = Reads::default();
        // Before the first step there are no batch losses: measure the whole training set,
        // so every curve starts from the untrained network's loss.
        let sum = self.loss_sum.take();
        let batch_losses = sum.map(|s| reads.push(s));
        // The whole training set is predicted only when its accuracy goes with a decision-
        // region plot (or for the first loss): it is most of a report's cost, every epoch.
        let train_pred = (batch_losses.is_none() || self.regions_due())
            .then(|| self.predict(&mut reads, false, batch_losses.is_some()));
        let grads: Vec<usize> = std::mem::take(&mut self.grad_means)
            .into_iter()
            .map(|g| reads.push(g))
            .collect();
        let val_pred = (!self.val.is_empty()).then(|| self.predict(&mut reads, true, false));
        // The view's drawings travel in the same read-back as the numbers.
        let view =
            (self.regions_due() && !self.wants.nothing()).then(|| self.queue_view(&mut reads));
        self.read_backs += 1;
        let values = reads.read().await?;

        let train_loss = match (batch_losses, &train_pred) {
            (Some(i), _) => values[i][0] / self.batches.max(1) as f32,
            (None, Some(p)) => p.loss(&values),
            (None, None) => unreachable!("the first report predicts the training set"),
        };
        self.batches = 0;
        let grad_mean_abs: Vec<f32> = grads.iter().map(|&i| values[i][0]).collect();
        if !train_loss.is_finite() || grad_mean_abs.iter().any(|g| !g.is_finite()) {
            return Err(TrainError::NonFinite(non_finite_explanation(
                &self.spec, self.step,
            )));
        }
        let mut m = Metrics {
            step: self.step,
            total_steps: self.total_steps(),
            epoch: self.step / self.spec.steps_per_epoch(),
            lr: lr_at(
                &self.spec.schedule,
                self.spec.optimizer.lr(),
                self.step.saturating_sub(1),
                self.total_steps(),
            ),
            train_loss,
            grad_mean_abs,
            ..Default::default()
        };
        let classify = self.spec.problem == Problem::Classification;
        m.train_accuracy = train_pred
            .filter(|_| classify)
            .map(|p| accuracy(&p.classes(&values), &self.train.y));
        let mut val_classes = Vec::new();
        if let Some(p) = &val_pred {
            let val_loss = p.loss(&values);
            if !val_loss.is_finite() {
                return Err(TrainError::NonFinite(non_finite_explanation(
                    &self.spec, self.step,
                )));
            }
            m.val_loss = Some(val_loss);
            m.dead_fraction = p.dead_fraction(&values);
        }
        if let (Some(p), true) = (&val_pred, classify) {
            let pred = p.classes(&values);
            m.val_accuracy = Some(accuracy(&pred, &self.val.y));
            if self.wants.val_classes {
                val_classes = pred.iter().map(|&c| c as u16).collect();
            }
            if self.spec.outputs() == 1 && self.regions_due() {
                m.val_logits = Some(values[p.logits].clone());
            }
            if self.spec.outputs() == 1 {
                let mut c = [[0u32; 2]; 2];
                for (&p, &y) in pred.iter().zip(&self.val.y) {
                    c[y.min(1)][p.min(1)] += 1;
                }
                m.val_recall = Some(if c[1][0] + c[1][1] == 0 {
                    0.0
                } else {
                    c[1][1] as f32 / (c[1][0] + c[1][1]) as f32
                });
                m.confusion = Some(c);
            }
        }
        self.snapshot = view.map(|v| Snapshot {
            epoch: m.epoch,
            regions: v.regions.map(|(i, n)| Regions {
                x: v.bounds.0,
                y: v.bounds.1,
                n,
                values: if v.k == 1 {
                    values[i].clone()
                } else {
                    values[i]
                        .chunks(v.k)
                        .map(|row| argmax(row) as f32)
                        .collect()
                },
            }),
            neurons: v.neurons.map_or_else(Vec::new, |(i, m)| {
                values[i]
                    .chunks(m * m)
                    .map(|unit| unit.iter().map(|v| (v * 1000.0).round() / 1000.0).collect())
                    .collect()
            }),
            neuron_grid: v.neurons.map_or(0, |(_, m)| m),
            params: v.params.map_or_else(Vec::new, |i| values[i].clone()),
            val_classes,
        });
        Ok(m)
    }

    /// The inputs for an n × n grid over [x0, x1] × [y0, y1], row by row from the top.
    fn grid(&self, x: [f32; 2], y: [f32; 2], n: usize) -> Tensor<2> {
        let mut pts = Vec::with_capacity(n * n * self.inputs);
        for r in 0..n {
            let yy = y[1] - (y[1] - y[0]) * r as f32 / (n - 1) as f32;
            for c in 0..n {
                let p = [x[0] + (x[1] - x[0]) * c as f32 / (n - 1) as f32, yy];
                pts.extend(self.spec.features.iter().map(|f| f.value(p)));
            }
        }
        Tensor::from_data(TensorData::new(pts, [n * n, self.inputs]), &self.device)
    }

    /// Queues what the view wants drawn: the output over the grid, each hidden unit's output
    /// over a (usually coarser) grid, the parameters.
    fn queue_view(&self, reads: &mut Reads) -> ViewAt {
        let w = &self.wants;
        let planar = !self.train.x.is_empty() && self.spec.dataset.images.is_none();
        let bounds = w.bounds.unwrap_or_else(|| data_bounds(&self.train.x));
        let k = self.spec.outputs();
        let regions = (planar && w.regions >= 2).then(|| {
            let n = w.regions.min(128);
            let (logits, _) =
                self.model()
                    .plain()
                    .forward(self.grid(bounds.0, bounds.1, n), &self.acts, false);
            let out = if k == 1 && self.spec.problem == Problem::Classification {
                sigmoid(logits)
            } else {
                logits
            };
            (reads.push(out.reshape([n * n * k])), n)
        });
        let neurons = (planar && w.neurons >= 2 && !self.acts.is_empty()).then(|| {
            let m = w.neurons.min(64);
            // Each hidden layer's f(z), as the forward pass computed it.
            let (_, tape) = self
                .model()
                .plain()
                .forward_tape(self.grid(bounds.0, bounds.1, m), &self.acts);
            let outputs: Vec<Tensor<2>> = tape
                .into_iter()
                .filter_map(|s| s.slope.map(|(_, fz)| fz))
                .collect();
            // [m², units] to unit-major, so each unit's grid is one run of the read-back.
            let all = Tensor::cat(outputs, 1).transpose();
            let units = all.dims()[0];
            (reads.push(all.reshape([units * m * m])), m)
        });
        let params = w
            .params
            .then(|| reads.push(self.model().params.val().inner()));
        ViewAt {
            k,
            bounds,
            regions,
            neurons,
            params,
        }
    }

    /// Queues what a report reads about the training or validation set: the logits, the loss
    /// (unless `skip_loss`) and, for ReLU-like layers, each unit's largest pre-activation.
    fn predict(&self, reads: &mut Reads, validation: bool, skip_loss: bool) -> Prediction {
        let set = if validation { &self.val } else { &self.train };
        let rows: Vec<usize> = (0..set.len()).collect();
        let (x, y) = self.tensors(validation, &rows);
        let (logits, pre) = self.model().plain().forward(x, &self.acts, validation);
        let k = self.spec.outputs();
        let loss = (!skip_loss).then(|| reads.push(self.objective.loss(logits.clone(), y)));
        let logits = reads.push(logits.reshape([set.len() * k]));
        let peaks = self
            .acts
            .iter()
            .enumerate()
            .filter(|(i, a)| {
                matches!(a, Activation::Relu | Activation::LeakyRelu) && *i < pre.len()
            })
            .map(|(i, _)| {
                let peak = pre[i].clone().max_dim(0);
                let width = peak.dims()[1];
                reads.push(peak.reshape([width]))
            })
            .collect();
        Prediction {
            k,
            loss,
            logits,
            peaks,
        }
    }
}

/// Tensors to read back together: concatenated, read once, split again.
#[derive(Default)]
struct Reads {
    parts: Vec<Tensor<1>>,
}

impl Reads {
    /// Queues a tensor; its values come back at this index of `read`'s result.
    fn push(&mut self, t: Tensor<1>) -> usize {
        self.parts.push(t);
        self.parts.len() - 1
    }

    async fn read(self) -> Result<Vec<Vec<f32>>, TrainError> {
        if self.parts.is_empty() {
            return Ok(vec![]);
        }
        let lens: Vec<usize> = self.parts.iter().map(|t| t.dims()[0]).collect();
        let all = read(Tensor::cat(self.parts, 0)).await?;
        let mut rest = all.as_slice();
        Ok(lens
            .into_iter()
            .map(|n| {
                let (part, tail) = rest.split_at(n);
                rest = tail;
                part.to_vec()
            })
            .collect())
    }
}

/// Where a queued snapshot's numbers are in a report's read-back.
struct ViewAt {
    k: usize,
    bounds: ([f32; 2], [f32; 2]),
    /// The regions' index and grid size.
    regions: Option<(usize, usize)>,
    /// The hidden units' index and grid size.
    neurons: Option<(usize, usize)>,
    params: Option<usize>,
}

/// Where a queued prediction's numbers are in a report's read-back.
struct Prediction {
    k: usize,
    loss: Option<usize>,
    logits: usize,
    /// Per ReLU-like layer: each unit's largest pre-activation over the set.
    peaks: Vec<usize>,
}

impl Prediction {
    /// The loss over the set; NaN when it was not asked for.
    fn loss(&self, values: &[Vec<f32>]) -> f32 {
        self.loss.map_or(f32::NAN, |i| values[i][0])
    }

    fn classes(&self, values: &[Vec<f32>]) -> Vec<usize> {
        values[self.logits]
            .chunks(self.k)
            .map(|row| {
                if self.k == 1 {
                    usize::from(row[0] > 0.0)
                } else {
                    argmax(row)
                }
            })
            .collect()
    }

    /// Units whose pre-activation is below zero for every input, as a fraction of the
    /// ReLU-like units; `None` without such layers. Strictly below zero: a unit stuck at
    /// exactly 0 (zero init) is silent for another reason, and the gradient monitor tells the
    /// two apart.
    fn dead_fraction(&self, values: &[Vec<f32>]) -> Option<f32> {
        if self.peaks.is_empty() {
            return None;
        }
        let (dead, units) = self.peaks.iter().fold((0, 0), |(dead, units), &i| {
            let peaks = &values[i];
            (
                dead + peaks.iter().filter(|&&v| v < 0.0).count(),
                units + peaks.len(),
            )
        });
        Some(dead as f32 / units as f32)
    }
}

fn argmax(row: &[f32]) -> usize {
    row.iter()
        .enumerate()
        .fold((0, f32::NEG_INFINITY), |best, (i, &v)| {
            if v > best.1 {
                (i, v)
            } else {
                best
            }
        })
        .0
}

fn accuracy(pred: &[usize], truth: &[usize]) -> f32 {
    if truth.is_empty() {
        return 0.0;
    }
    pred.iter().zip(truth).filter(|(p, t)| p == t).count() as f32 / truth.len() as f32
}

/// Runs a whole experiment natively and returns the untrained report, then one per epoch
/// (tests, benchmarks).
pub fn run_to_end(spec: ExperimentSpec, device: Device) -> Result<Vec<Metrics>, TrainError> {
    futures::executor::block_on(async {
        let mut t = Trainer::new(spec, device);
        // The untrained network first, as the worker reports it.
        let mut reports = vec![t.report().await?];
        while !t.finished() {
            t.step();
            if t.at_epoch_end() {
                reports.push(t.report().await?);
            }
        }
        Ok(reports)
    })
}
