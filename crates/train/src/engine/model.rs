//! The MLP every training demo uses: weights initialized from the spec's seed (not burn's
//! global RNG), so a shared link reproduces the same run.
//!
//! All weights and biases live in one parameter vector. A demo's network is tiny, so a
//! training step's cost is the number of tensor operations, not their size: the optimizer
//! updates one tensor in about a dozen operations, where per-layer tensors took a dozen
//! each (52 for Adam on a 2-16-1 network).

use super::products::Products;
use crate::data::Rng;
use crate::spec::{Activation, Init, ModelSpec};
use burn::module::Param;
use burn::prelude::*;
use burn::tensor::activation;

#[derive(Module, Debug)]
pub struct Mlp {
    /// Layer by layer: the weights (input-major, `fan_in × fan_out`), then the biases.
    pub params: Param<Tensor<1>>,
    /// Layer widths, input first (see `widths`).
    #[module(skip)]
    widths: Vec<usize>,
    /// Hidden layers of equal input and output width are residual blocks (see `forward`).
    #[module(skip)]
    residual: bool,
    /// How the layers' matrix products run (see `products`): matmul unless `plain` chose.
    #[module(skip)]
    products: Products,
}

// The parameter layout is shared with the page's forward pass (`crate::infer`), which must
// read the vector exactly as the engine writes it.
pub use crate::infer::{layers, Layer};

/// Layer widths, input first: [inputs, hidden…, outputs].
pub fn widths(model: &ModelSpec, inputs: usize, outputs: usize) -> Vec<usize> {
    std::iter::once(inputs)
        .chain(model.hidden.iter().map(|l| l.width))
        .chain(std::iter::once(outputs))
        .collect()
}

impl Mlp {
    /// `inputs` numbers per example: 2 for a point's x and y, more with derived features
    /// or for images.
    pub fn new(
        model: &ModelSpec,
        inputs: usize,
        outputs: usize,
        seed: u64,
        device: &Device,
    ) -> Self {
        let mut rng = Rng::new(seed.wrapping_mul(31).wrapping_add(17));
        let w = widths(model, inputs, outputs);
        let mut params = Vec::new();
        let hidden = w.len() - 2;
        let is_block = |layer: usize, fan_in: usize, fan_out: usize| {
            model.residual && layer < hidden && fan_in == fan_out
        };
        // With no normalization layer to hold the sum's size, each block's weights start
        // 1/√blocks smaller, so the stream grows by a bounded factor over the whole stack
        // instead of doubling its variance block by block (the scaled initialization of
        // Fixup and GPT-2, standing in for ResNet's batch normalization).
        let blocks = w
            .windows(2)
            .enumerate()
            .filter(|(i, p)| is_block(*i, p[0], p[1]))
            .count();
        let shrink = 1.0 / (blocks.max(1) as f32).sqrt();
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
            let wv = if is_block(layer, fan_in, fan_out) {
                wv.into_iter().map(|v| v * shrink).collect()
            } else {
                wv
            };
            if let (Some(b), true) = (model.hidden_bias, layer < hidden) {
                bv = vec![b; fan_out];
            }
            params.extend(wv);
            params.extend(bv);
        }
        let n = params.len();
        Mlp {
            params: Param::from_tensor(Tensor::from_data(TensorData::new(params, [n]), device)),
            widths: w,
            residual: model.residual,
            products: Products::Matmul,
        }
    }

    pub fn layers(&self) -> Vec<Layer> {
        layers(&self.widths)
    }

    /// The same network without autodiff, so its passes record nothing: the trainer writes
    /// its backward pass out (`gradient`), while burn's optimizer wants the autodiff
    /// parameter it updates. Its products take the form that suits its device.
    pub fn plain(&self) -> Mlp {
        let theta = self.params.val().inner();
        let products = Products::for_device(&theta.device());
        Mlp {
            params: Param::initialized(self.params.id, theta),
            widths: self.widths.clone(),
            residual: self.residual,
            products,
        }
    }

    pub fn products(&self) -> Products {
        self.products
    }

    /// The same network with its products in the given form (the tests compare the forms).
    pub fn with_products(mut self, products: Products) -> Mlp {
        self.products = products;
        self
    }

    /// Logits, plus each hidden layer's pre-activation when `keep` asks for them.
    ///
    /// With `residual`, a hidden layer whose input and output widths match is a
    /// pre-activation residual block (He et al. 2016, "Identity mappings"): h ← h + W·f(h) + b.
    /// The identity path carries the backward signal past every slope; the kept
    /// "pre-activation" of a block is the h that its f reads.
    pub fn forward(
        &self,
        x: Tensor<2>,
        acts: &[Activation],
        keep: bool,
    ) -> (Tensor<2>, Vec<Tensor<2>>) {
        let (z, tape) = self.forward_tape(x, acts);
        let pre = if keep {
            tape.into_iter()
                .filter_map(|s| s.slope.map(|(z, _)| z))
                .collect()
        } else {
            Vec::new()
        };
        (z, pre)
    }

    /// The logits and what the backward pass needs of each layer (see `Saved`).
    pub fn forward_tape(&self, x: Tensor<2>, acts: &[Activation]) -> (Tensor<2>, Vec<Saved>) {
        let mut h = x;
        let layers = self.layers();
        let last = layers.len() - 1;
        let theta = self.params.val();
        let mut tape = Vec::with_capacity(layers.len());
        for (i, layer) in layers.iter().enumerate() {
            let w = theta
                .clone()
                .slice([layer.weights()])
                .reshape([layer.fan_in, layer.fan_out]);
            let b = theta.clone().slice([layer.biases()]).unsqueeze::<2>();
            if self.residual && i != last && layer.fan_in == layer.fan_out {
                let branch = apply(acts[i], h.clone());
                let out = h.clone() + self.products.ab(branch.clone(), w.clone()) + b;
                tape.push(Saved {
                    input: branch.clone(),
                    w,
                    slope: Some((h, branch)),
                    block: true,
                });
                h = out;
                continue;
            }
            let z = self.products.ab(h.clone(), w.clone()) + b;
            if i == last {
                tape.push(Saved {
                    input: h,
                    w,
                    slope: None,
                    block: false,
                });
                return (z, tape);
            }
            let out = apply(acts[i], z.clone());
            tape.push(Saved {
                input: h,
                w,
                slope: Some((z, out.clone())),
                block: false,
            });
            h = out;
        }
        unreachable!("an MLP has an output layer")
    }
}

/// One layer of a forward pass, as the backward pass reads it.
pub struct Saved {
    /// What the layer's weights multiplied: the layer's input, or f(h) in a residual block.
    pub input: Tensor<2>,
    /// The weights, `fan_in × fan_out`.
    pub w: Tensor<2>,
    /// A hidden layer's activation input z and its output f(z) (in a block: h and f(h)).
    pub slope: Option<(Tensor<2>, Tensor<2>)>,
    /// A residual block: its output is its input plus the affine branch.
    pub block: bool,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_tile_the_parameter_vector_weights_then_biases() {
        let l = layers(&[2, 16, 3]);
        assert_eq!(l.len(), 2);
        assert_eq!((l[0].weights(), l[0].biases()), (0..32, 32..48));
        assert_eq!((l[1].weights(), l[1].biases()), (48..96, 96..99));
    }

    #[test]
    fn the_vector_holds_every_weight_and_bias_and_the_forward_pass_uses_them() {
        let device = Device::flex();
        let spec: ModelSpec = serde_json::from_str(
            r#"{ "hidden": [ { "width": 4, "activation": "relu" } ], "init": "he" }"#,
        )
        .unwrap();
        let mlp = Mlp::new(&spec, 2, 1, 7, &device);
        assert_eq!(mlp.params.val().dims(), [2 * 4 + 4 + 4 + 1]);
        let x = Tensor::<2>::from_data(TensorData::new(vec![0.5f32, -1.0], [1, 2]), &device);
        let (z, pre) = mlp.forward(x, &[Activation::Relu], true);
        assert_eq!((z.dims(), pre.len(), pre[0].dims()), ([1, 1], 1, [1, 4]));
    }

    #[test]
    fn a_residual_block_adds_its_branch_to_its_input() {
        let device = Device::flex();
        let spec = |residual: bool| -> ModelSpec {
            serde_json::from_str(&format!(
                r#"{{ "hidden": [ {{ "width": 3, "activation": "tanh" }}, {{ "width": 3, "activation": "tanh" }} ],
                     "init": "he", "residual": {residual} }}"#
            ))
            .unwrap()
        };
        let acts = [Activation::Tanh; 2];
        let x = || Tensor::<2>::from_data(TensorData::new(vec![0.5f32, -1.0], [1, 2]), &device);
        let mlp = Mlp::new(&spec(true), 2, 1, 7, &device);
        let p: Vec<f32> = mlp.params.val().into_data().try_to_vec::<f32>().unwrap();
        let [l0, l1, l2] = mlp.layers()[..] else {
            panic!("two hidden layers and the output")
        };
        // Σ_k f(h_k)·W[k][j] + b_j, with W stored input-major.
        let affine = |l: Layer, h: &[f32], f: fn(f32) -> f32| -> Vec<f32> {
            (0..l.fan_out)
                .map(|j| {
                    (0..l.fan_in)
                        .map(|k| f(h[k]) * p[l.at + k * l.fan_out + j])
                        .sum::<f32>()
                        + p[l.biases().start + j]
                })
                .collect()
        };
        // The first layer (2 → 3) is plain; the second (3 → 3) is a block.
        let h1: Vec<f32> = affine(l0, &[0.5, -1.0], |v| v)
            .iter()
            .map(|z| z.tanh())
            .collect();
        let branch = affine(l1, &h1, f32::tanh);
        let h2: Vec<f32> = h1.iter().zip(&branch).map(|(a, b)| a + b).collect();
        let out = affine(l2, &h2, |v| v)[0];
        let (z, pre) = mlp.forward(x(), &acts, true);
        let got: f32 = z.into_data().try_to_vec::<f32>().unwrap()[0];
        assert!((got - out).abs() < 1e-5, "{got} vs {out}");
        assert_eq!(pre.len(), 2);
        // Without `residual` the same weights make a plain stack, with another output.
        let plain = Mlp::new(&spec(false), 2, 1, 7, &device);
        let (z_plain, _) = plain.forward(x(), &acts, false);
        let plain_out: f32 = z_plain.into_data().try_to_vec::<f32>().unwrap()[0];
        assert!((plain_out - got).abs() > 1e-4);
    }

    #[test]
    fn residual_blocks_start_one_over_root_blocks_smaller() {
        let device = Device::flex();
        let spec = |residual: bool| -> ModelSpec {
            serde_json::from_str(&format!(
                r#"{{ "hidden": [ {{ "width": 8, "activation": "relu" }}, {{ "width": 8, "activation": "relu" }},
                     {{ "width": 8, "activation": "relu" }}, {{ "width": 8, "activation": "relu" }},
                     {{ "width": 8, "activation": "relu" }} ], "init": "he", "residual": {residual} }}"#
            ))
            .unwrap()
        };
        let (res, plain) = (
            Mlp::new(&spec(true), 2, 1, 3, &device),
            Mlp::new(&spec(false), 2, 1, 3, &device),
        );
        let (r, p): (Vec<f32>, Vec<f32>) = (
            res.params.val().into_data().try_to_vec::<f32>().unwrap(),
            plain.params.val().into_data().try_to_vec::<f32>().unwrap(),
        );
        let layers = res.layers();
        // Four blocks (8 → 8): their weights are the plain stack's halved; the first layer
        // (2 → 8) and the output layer are not blocks and start the same.
        for (i, l) in layers.iter().enumerate() {
            let block = (1..=4).contains(&i);
            for k in l.weights() {
                let expected = if block { p[k] * 0.5 } else { p[k] };
                assert!((r[k] - expected).abs() < 1e-7, "layer {i}");
            }
        }
    }
}
