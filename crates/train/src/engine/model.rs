//! The MLP every training demo uses: weights initialized from the spec's seed (not burn's
//! global RNG), so a shared link reproduces the same run.

use crate::data::Rng;
use crate::spec::{Activation, Init, ModelSpec};
use burn::module::Param;
use burn::prelude::*;
use burn::tensor::activation;

#[derive(Module, Debug)]
pub struct Mlp {
    pub weights: Vec<Param<Tensor<2>>>,
    pub biases: Vec<Param<Tensor<1>>>,
}

/// Layer widths, input first: [2, hidden…, outputs].
pub fn widths(model: &ModelSpec, outputs: usize) -> Vec<usize> {
    std::iter::once(2)
        .chain(model.hidden.iter().map(|l| l.width))
        .chain(std::iter::once(outputs))
        .collect()
}

impl Mlp {
    pub fn new(model: &ModelSpec, outputs: usize, seed: u64, device: &Device) -> Self {
        let mut rng = Rng::new(seed.wrapping_mul(31).wrapping_add(17));
        let w = widths(model, outputs);
        let (mut weights, mut biases) = (Vec::new(), Vec::new());
        let hidden = w.len() - 2;
        for (layer, pair) in w.windows(2).enumerate() {
            let (fan_in, fan_out) = (pair[0], pair[1]);
            let (wv, mut bv): (Vec<f32>, Vec<f32>) = match model.init {
                Init::Default => {
                    let k = 1.0 / (fan_in as f32).sqrt();
                    (
                        (0..fan_in * fan_out)
                            .map(|_| k * (2.0 * rng.uniform() - 1.0))
                            .collect(),
                        (0..fan_out)
                            .map(|_| k * (2.0 * rng.uniform() - 1.0))
                            .collect(),
                    )
                }
                Init::He => {
                    let std = (2.0 / fan_in as f32).sqrt();
                    (
                        (0..fan_in * fan_out).map(|_| std * rng.normal()).collect(),
                        vec![0.0; fan_out],
                    )
                }
                Init::Xavier => {
                    let k = (6.0 / (fan_in + fan_out) as f32).sqrt();
                    (
                        (0..fan_in * fan_out)
                            .map(|_| k * (2.0 * rng.uniform() - 1.0))
                            .collect(),
                        vec![0.0; fan_out],
                    )
                }
                Init::Zeros => (vec![0.0; fan_in * fan_out], vec![0.0; fan_out]),
            };
            if let (Some(b), true) = (model.hidden_bias, layer < hidden) {
                bv = vec![b; fan_out];
            }
            weights.push(Param::from_tensor(Tensor::from_data(
                TensorData::new(wv, [fan_in, fan_out]),
                device,
            )));
            biases.push(Param::from_tensor(Tensor::from_data(
                TensorData::new(bv, [fan_out]),
                device,
            )));
        }
        Mlp { weights, biases }
    }

    /// Logits, plus each hidden layer's pre-activation when `keep` asks for them.
    pub fn forward(
        &self,
        x: Tensor<2>,
        acts: &[Activation],
        keep: bool,
    ) -> (Tensor<2>, Vec<Tensor<2>>) {
        let mut h = x;
        let mut pre = Vec::new();
        let last = self.weights.len() - 1;
        for (i, (w, b)) in self.weights.iter().zip(&self.biases).enumerate() {
            let z = h.matmul(w.val()) + b.val().unsqueeze();
            if i == last {
                return (z, pre);
            }
            if keep {
                pre.push(z.clone());
            }
            h = apply(acts[i], z);
        }
        unreachable!("an MLP has an output layer")
    }
}

pub fn apply(a: Activation, z: Tensor<2>) -> Tensor<2> {
    match a {
        Activation::Relu => activation::relu(z),
        Activation::LeakyRelu => activation::leaky_relu(z, 0.01),
        Activation::Sigmoid => activation::sigmoid(z),
        Activation::Tanh => activation::tanh(z),
        Activation::Gelu => activation::gelu(z),
        Activation::Silu => activation::silu(z),
        Activation::Linear => z,
    }
}
