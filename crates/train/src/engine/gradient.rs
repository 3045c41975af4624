//! A training step's loss and gradient, with the backward pass written out as tensor ops:
//! the chain rule of lesson 2, layer by layer from the output down, instead of burn's
//! autodiff tape.
//!
//! Why by hand: a demo's network is tiny, so a step is a few dozen small tensor operations,
//! and the autodiff's bookkeeping for each one (registering a node, hashing its id, building
//! the tape) cost more than its arithmetic. A CPU profile of the worker put that bookkeeping
//! at 31% of its time against 22% for the arithmetic. The tests below hold every activation,
//! loss, residual block and penalty to burn's autodiff on the same network.

use super::model::{Mlp, Saved};
use crate::spec::{Activation, ExperimentSpec, LossSpec, Penalty, Problem, Regularization};
use burn::prelude::*;
use burn::tensor::activation::{log_sigmoid, log_softmax, sigmoid, softmax};

/// The loss a spec trains on, from the logits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Objective {
    /// Regression: the mean squared error of the outputs themselves.
    Mse,
    /// One output through a sigmoid, squared error against the 0/1 label.
    SigmoidMse,
    /// One output through a sigmoid, binary cross-entropy; the positive terms weighted.
    Bce { positive_weight: f32 },
    /// Several outputs through a softmax, squared distance to the one-hot label.
    SoftmaxMse,
    /// Several outputs through a softmax, cross-entropy against the one-hot label.
    SoftmaxCrossEntropy,
}

impl Objective {
    pub fn of(spec: &ExperimentSpec) -> Self {
        if spec.problem == Problem::Regression {
            return Objective::Mse;
        }
        match (spec.outputs() > 1, spec.loss) {
            (true, LossSpec::Mse) => Objective::SoftmaxMse,
            (true, _) => Objective::SoftmaxCrossEntropy,
            (false, LossSpec::Mse) => Objective::SigmoidMse,
            (false, LossSpec::CrossEntropy) => Objective::Bce {
                positive_weight: 1.0,
            },
            (false, LossSpec::WeightedCrossEntropy { positive_weight }) => {
                Objective::Bce { positive_weight }
            }
        }
    }

    /// The loss over the rows of `z` (logits, one row an example) against `y` (the target, or
    /// the one-hot label).
    pub fn loss(self, z: Tensor<2>, y: Tensor<2>) -> Tensor<1> {
        self.evaluate(z, y, false).0
    }

    /// The loss and its slope with respect to every logit, ∂L/∂z, from shared intermediates.
    pub fn loss_and_slope(self, z: Tensor<2>, y: Tensor<2>) -> (Tensor<1>, Tensor<2>) {
        let (loss, slope) = self.evaluate(z, y, true);
        (loss, slope.expect("asked for"))
    }

    fn evaluate(self, z: Tensor<2>, y: Tensor<2>, slope: bool) -> (Tensor<1>, Option<Tensor<2>>) {
        let [rows, k] = z.dims();
        // Every loss is a mean over the batch (and over the outputs where each is a term).
        let (n, nk) = (rows.max(1) as f32, (rows * k).max(1) as f32);
        match self {
            Objective::Mse => {
                let d = z - y;
                let slope = slope.then(|| d.clone() * (2.0 / nk));
                (d.powi_scalar(2).mean(), slope)
            }
            Objective::SigmoidMse => {
                // ∂/∂z (p − y)² = 2(p − y)·p(1 − p): the sigmoid's slope stays in.
                let p = sigmoid(z);
                let d = p.clone() - y;
                let slope = slope.then(|| d.clone() * p.clone() * (p.neg() + 1.0) * (2.0 / nk));
                (d.powi_scalar(2).mean(), slope)
            }
            Objective::Bce { positive_weight: w } => {
                let pos = y.clone() * log_sigmoid(z.clone()) * w;
                let neg = (y.clone().neg() + 1.0) * log_sigmoid(z.clone().neg());
                let loss = (pos + neg).mean().neg();
                // ∂/∂z = (p·(1 − y + w·y) − w·y)/n: with w = 1 the familiar p − y.
                let slope =
                    slope.then(|| (sigmoid(z) * (y.clone() * (w - 1.0) + 1.0) - y * w) / nk);
                (loss, slope)
            }
            Objective::SoftmaxMse => {
                let s = softmax(z, 1);
                let d = s.clone() - y;
                // Through the softmax's Jacobian: s ⊙ (g − Σ_c g_c s_c), row by row.
                let slope = slope.then(|| {
                    let g = d.clone() * (2.0 / n);
                    let dot = (g.clone() * s.clone()).sum_dim(1);
                    s * (g - dot)
                });
                (d.powi_scalar(2).sum_dim(1).mean(), slope)
            }
            Objective::SoftmaxCrossEntropy => {
                let log_p = log_softmax(z, 1);
                let loss = (log_p.clone() * y.clone()).sum_dim(1).mean().neg();
                // softmax − y, because each row of the one-hot y sums to 1.
                let slope = slope.then(|| (log_p.exp() - y) / n);
                (loss, slope)
            }
        }
    }
}

/// ∂L/∂θ for the whole parameter vector, in its layout (each layer's weights, then its
/// biases), from the forward pass's `tape` and the loss's slope at the logits.
pub fn backward(model: &Mlp, tape: Vec<Saved>, slope: Tensor<2>, acts: &[Activation]) -> Tensor<1> {
    let layers = model.layers();
    let products = model.products();
    let mut pieces: Vec<Tensor<1>> = Vec::with_capacity(2 * layers.len());
    // g: ∂L/∂(this layer's output), first at the logits.
    let mut g = slope;
    for (i, (layer, saved)) in layers.iter().zip(tape).enumerate().rev() {
        let Saved {
            input,
            w,
            slope: pre,
            block,
        } = saved;
        // The signal at the affine map's output: a plain hidden layer's passes through f′.
        let delta = match (&pre, block) {
            (Some((z, fz)), false) => through_activation(acts[i], z.clone(), fz.clone(), g.clone()),
            _ => g.clone(),
        };
        let dw = products.at_b(input, delta.clone());
        let db = delta.clone().sum_dim(0);
        pieces.push(db.reshape([layer.fan_out]));
        pieces.push(dw.reshape([layer.fan_in * layer.fan_out]));
        if i == 0 {
            break;
        }
        let back = products.a_bt(delta, w);
        g = match (pre, block) {
            // h + f(h)·W + b: the identity path adds g untouched.
            (Some((h, fh)), true) => g + through_activation(acts[i], h, fh, back),
            _ => back,
        };
    }
    pieces.reverse();
    Tensor::cat(pieces, 0)
}

/// g ⊙ f′(z), with f′ written from z or from f(z), whichever is cheaper. At the kinks it
/// agrees with burn: ReLU′(0) = 0, leaky ReLU′(0) = 1.
fn through_activation(a: Activation, z: Tensor<2>, fz: Tensor<2>, g: Tensor<2>) -> Tensor<2> {
    match a {
        Activation::Relu => g.mask_fill(z.lower_equal_elem(0.0), 0.0),
        Activation::LeakyRelu => g.clone().mask_where(z.lower_elem(0.0), g * 0.01),
        Activation::Sigmoid => g * fz.clone() * (fz.neg() + 1.0),
        Activation::Tanh => g * (fz.powi_scalar(2).neg() + 1.0),
        Activation::Gelu => {
            // d/dz z·Φ(z) = Φ(z) + z·φ(z), the exact GELU's own slope.
            let cdf = ((z.clone() * std::f32::consts::FRAC_1_SQRT_2).erf() + 1.0) * 0.5;
            let pdf = (z.clone().powi_scalar(2) * -0.5).exp()
                * (0.5 * std::f32::consts::FRAC_2_SQRT_PI * std::f32::consts::FRAC_1_SQRT_2);
            g * (cdf + z * pdf)
        }
        Activation::Silu => {
            // d/dz z·σ(z) = σ(z)·(1 + z·(1 − σ(z))).
            let s = sigmoid(z.clone());
            g * s.clone() * (z * (s.neg() + 1.0) + 1.0)
        }
        Activation::Linear => g,
    }
}

/// The penalty's gradient over the weights (biases masked out): rate·sign(w) for L1,
/// rate·w for L2 (the gradient of rate·Σw²/2).
pub fn penalty_slope(r: Regularization, params: Tensor<1>, weight_mask: Tensor<1>) -> Tensor<1> {
    let w = params * weight_mask;
    match r.penalty {
        Penalty::L1 => w.sign() * r.rate,
        Penalty::L2 => w * r.rate,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Products;
    use crate::spec::ModelSpec;

    const ACTS: [Activation; 7] = [
        Activation::Relu,
        Activation::LeakyRelu,
        Activation::Sigmoid,
        Activation::Tanh,
        Activation::Gelu,
        Activation::Silu,
        Activation::Linear,
    ];

    /// 3 inputs, then 4 → 4 → 4 hidden (two of them residual blocks when asked), k outputs.
    fn spec(a: Activation, residual: bool, init: &str) -> ModelSpec {
        let a = serde_json::to_string(&a).unwrap();
        serde_json::from_str(&format!(
            r#"{{ "hidden": [ {{ "width": 4, "activation": {a} }}, {{ "width": 4, "activation": {a} }},
                 {{ "width": 4, "activation": {a} }} ], "init": "{init}", "residual": {residual} }}"#
        ))
        .unwrap()
    }

    fn tensor(v: Vec<f32>, shape: [usize; 2], device: &Device) -> Tensor<2> {
        Tensor::from_data(TensorData::new(v, shape), device)
    }

    /// A batch of 6: inputs spread over [−2, 2], and targets that fit the objective.
    fn batch(obj: Objective, k: usize, device: &Device) -> (Tensor<2>, Tensor<2>) {
        let mut rng = crate::data::Rng::new(5);
        let x: Vec<f32> = (0..18).map(|_| 4.0 * rng.uniform() - 2.0).collect();
        let y: Vec<f32> = match obj {
            Objective::Mse => (0..6 * k).map(|_| rng.normal()).collect(),
            Objective::SoftmaxMse | Objective::SoftmaxCrossEntropy => (0..6)
                .flat_map(|r| (0..k).map(move |c| if (r + 1) % k == c { 1.0 } else { 0.0 }))
                .collect(),
            _ => (0..6).map(|r| (r % 2) as f32).collect(),
        };
        (tensor(x, [6, 3], device), tensor(y, [6, k], device))
    }

    fn to_vec(t: Tensor<1>) -> Vec<f32> {
        t.into_data().convert::<f32>().try_to_vec::<f32>().unwrap()
    }

    /// (by hand, burn's autodiff) on identical networks and batches; by hand with the
    /// products in the given form.
    fn both_with(
        a: Activation,
        residual: bool,
        init: &str,
        obj: Objective,
        k: usize,
        products: Products,
    ) -> (Vec<f32>, Vec<f32>) {
        let plain = Device::flex();
        let auto = Device::flex().autodiff();
        let acts = [a; 3];
        let m = Mlp::new(&spec(a, residual, init), 3, k, 11, &plain).with_products(products);
        let (x, y) = batch(obj, k, &plain);
        let (z, tape) = m.forward_tape(x, &acts);
        let (_, slope) = obj.loss_and_slope(z, y);
        let ours = to_vec(backward(&m, tape, slope, &acts));
        let m = Mlp::new(&spec(a, residual, init), 3, k, 11, &auto);
        let (x, y) = batch(obj, k, &auto);
        let (z, _) = m.forward(x, &acts, false);
        let grads = obj.loss(z, y).backward();
        let theirs = to_vec(m.params.val().grad(&grads).expect("a gradient"));
        (ours, theirs)
    }

    fn both(
        a: Activation,
        residual: bool,
        init: &str,
        obj: Objective,
        k: usize,
    ) -> (Vec<f32>, Vec<f32>) {
        both_with(a, residual, init, obj, k, Products::Matmul)
    }

    fn assert_close(ours: &[f32], theirs: &[f32], tolerance: f32, what: &str) {
        assert_eq!(ours.len(), theirs.len(), "{what}");
        let scale = theirs.iter().fold(0.0f32, |m, v| m.max(v.abs()));
        assert!(scale > 1e-4, "{what}: a gradient to compare ({scale})");
        for (i, (o, t)) in ours.iter().zip(theirs).enumerate() {
            assert!(
                (o - t).abs() <= tolerance * scale,
                "{what}: parameter {i}: by hand {o}, autodiff {t}"
            );
        }
    }

    #[test]
    fn every_activation_loss_and_block_matches_burns_autodiff() {
        let objectives = [
            (Objective::Mse, 2),
            (Objective::SigmoidMse, 1),
            (
                Objective::Bce {
                    positive_weight: 1.0,
                },
                1,
            ),
            (
                Objective::Bce {
                    positive_weight: 3.0,
                },
                1,
            ),
            (Objective::SoftmaxMse, 3),
            (Objective::SoftmaxCrossEntropy, 3),
        ];
        // Both forms of the layers' products: matmul (the CPU's), multiply-and-sum (a GPU's).
        for products in [Products::Matmul, Products::Broadcast] {
            for a in ACTS {
                for residual in [false, true] {
                    for (obj, k) in objectives {
                        let (ours, theirs) = both_with(a, residual, "default", obj, k, products);
                        assert_close(
                            &ours,
                            &theirs,
                            1e-5,
                            &format!("{a:?} residual {residual} {obj:?} {products:?}"),
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn the_gelu_slope_is_the_exact_one() {
        // Central differences of z·Φ(z) in f64 against ours: burn's default GELU backward is
        // the tanh approximation's slope (flex overrides it with the exact one), so agreeing
        // with burn on flex alone would not show that ours is exact.
        let device = Device::flex();
        let zs: Vec<f32> = (-12..=12).map(|i| i as f32 * 0.25).collect();
        let n = zs.len();
        let z = tensor(zs.clone(), [n, 1], &device);
        let fz = burn::tensor::activation::gelu(z.clone());
        let g = tensor(vec![1.0; n], [n, 1], &device);
        let ours = through_activation(Activation::Gelu, z, fz, g).reshape([n]);
        let phi = |x: f64| x * 0.5 * (1.0 + libm_erf(x / std::f64::consts::SQRT_2));
        for (z, o) in zs.iter().zip(to_vec(ours)) {
            let h = 1e-4;
            let fd = (phi(*z as f64 + h) - phi(*z as f64 - h)) / (2.0 * h);
            assert!(
                (o as f64 - fd).abs() < 1e-5,
                "GELU′({z}): ours {o}, finite difference {fd}"
            );
        }
    }

    /// erf by its Taylor series (|x| ≤ 3 needs about 40 terms in f64).
    fn libm_erf(x: f64) -> f64 {
        let (mut term, mut sum) = (x, x);
        for n in 1..80 {
            term *= -x * x / n as f64;
            sum += term / (2 * n + 1) as f64;
        }
        sum * 2.0 / std::f64::consts::PI.sqrt()
    }

    #[test]
    fn at_the_kinks_the_slopes_are_burns() {
        // Zero init: every hidden pre-activation is exactly 0, where ReLU′ and leaky ReLU′
        // are conventions; the output bias still learns.
        for a in [Activation::Relu, Activation::LeakyRelu] {
            let (ours, theirs) = both(a, false, "zeros", Objective::SigmoidMse, 1);
            assert_eq!(ours, theirs, "{a:?}");
        }
    }

    #[test]
    fn the_penalties_slopes_match_burns_autodiff() {
        let auto = Device::flex().autodiff();
        let values = vec![0.5f32, -0.25, 0.0, 2.0, -1.0, 0.75];
        let mask = vec![1.0f32, 1.0, 1.0, 1.0, 0.0, 0.0];
        for penalty in [Penalty::L1, Penalty::L2] {
            let r = Regularization { penalty, rate: 0.3 };
            let theta =
                Tensor::<1>::from_data(TensorData::new(values.clone(), [6]), &auto).require_grad();
            let m = Tensor::<1>::from_data(TensorData::new(mask.clone(), [6]), &auto);
            let w = theta.clone() * m.clone();
            let value = match penalty {
                Penalty::L1 => w.abs().sum() * r.rate,
                Penalty::L2 => w.powi_scalar(2).sum() * (0.5 * r.rate),
            };
            let theirs = to_vec(theta.grad(&value.backward()).unwrap());
            let ours = to_vec(penalty_slope(r, theta.inner(), m.inner()));
            assert_eq!(ours, theirs, "{penalty:?}");
        }
    }
}
