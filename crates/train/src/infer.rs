//! A trained network's forward pass in plain Rust, from the parameter vector a report carries
//! (`Snapshot::params`): the digit pad answers as the learner draws, without a round trip to
//! the worker. The engine trains; this only reads its weights, in the engine's layout.

use crate::activations;
use crate::spec::{Activation, ExperimentSpec, Problem};

/// Where one layer's weights (input-major, `fan_in × fan_out`) and then its biases sit in
/// the parameter vector, as the engine's `Mlp` lays them out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layer {
    pub fan_in: usize,
    pub fan_out: usize,
    pub at: usize,
}

impl Layer {
    /// The weight from input `i` to unit `j`.
    pub fn weight(&self, params: &[f32], i: usize, j: usize) -> f32 {
        params[self.at + i * self.fan_out + j]
    }
    pub fn bias(&self, params: &[f32], j: usize) -> f32 {
        params[self.at + self.fan_in * self.fan_out + j]
    }
    /// Where the weights sit; the biases follow them.
    pub fn weights(&self) -> std::ops::Range<usize> {
        self.at..self.at + self.fan_in * self.fan_out
    }
    pub fn biases(&self) -> std::ops::Range<usize> {
        let w = self.weights().end;
        w..w + self.fan_out
    }
    fn end(&self) -> usize {
        self.biases().end
    }
}

/// The layers of a network with these widths (input first), in parameter-vector order.
pub fn layers(widths: &[usize]) -> Vec<Layer> {
    let mut at = 0;
    widths
        .windows(2)
        .map(|w| {
            let l = Layer {
                fan_in: w[0],
                fan_out: w[1],
                at,
            };
            at = l.end();
            l
        })
        .collect()
}

/// The output layer's values for one input: logits (classification) or the prediction
/// (regression). `None` when the parameters do not fit the spec's network.
pub fn forward(spec: &ExperimentSpec, params: &[f32], input: &[f32]) -> Option<Vec<f32>> {
    let widths = spec.widths();
    let layers = layers(&widths);
    if layers.last()?.end() != params.len() || input.len() != widths[0] {
        return None;
    }
    let acts: Vec<Activation> = spec.model.hidden.iter().map(|l| l.activation).collect();
    let f = |a: Activation, v: f32| activations::value(a, v as f64) as f32;
    let affine = |l: &Layer, h: &[f32]| -> Vec<f32> {
        (0..l.fan_out)
            .map(|j| {
                (0..l.fan_in).fold(l.bias(params, j), |s, i| s + h[i] * l.weight(params, i, j))
            })
            .collect()
    };
    let mut h = input.to_vec();
    for (n, l) in layers.iter().enumerate() {
        h = match acts.get(n) {
            // A residual block, as the engine's `Mlp::forward`: h + W·f(h) + b.
            Some(&a) if spec.model.residual && l.fan_in == l.fan_out => {
                let branch = affine(l, &h.iter().map(|&v| f(a, v)).collect::<Vec<_>>());
                h.iter().zip(branch).map(|(x, b)| x + b).collect()
            }
            Some(&a) => affine(l, &h).into_iter().map(|v| f(a, v)).collect(),
            None => affine(l, &h),
        };
    }
    Some(h)
}

/// Each class's probability (softmax, or the sigmoid's two for one logit); the prediction
/// itself for regression.
pub fn probabilities(spec: &ExperimentSpec, out: &[f32]) -> Vec<f32> {
    if spec.problem == Problem::Regression {
        return out.to_vec();
    }
    if let [z] = out {
        let p = 1.0 / (1.0 + (-z).exp());
        return vec![1.0 - p, p];
    }
    let top = out.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let e: Vec<f32> = out.iter().map(|v| (v - top).exp()).collect();
    let sum: f32 = e.iter().sum();
    e.into_iter().map(|v| v / sum).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_tile_the_vector_weights_then_biases() {
        let l = layers(&[2, 16, 3]);
        assert_eq!(
            l[0],
            Layer {
                fan_in: 2,
                fan_out: 16,
                at: 0
            }
        );
        assert_eq!(l[1].at, 48);
        assert_eq!(l[1].end(), 99);
    }

    #[test]
    fn softmax_sums_to_one_and_keeps_the_order() {
        let spec = crate::ExperimentSpec::from_json(crate::spec::tests::sample()).unwrap();
        let p = probabilities(&spec, &[0.0]);
        assert_eq!(p, vec![0.5, 0.5]);
        let mut multi = spec.clone();
        multi.dataset.classes = 3;
        let p = probabilities(&multi, &[1.0, 3.0, 2.0]);
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        assert!(p[1] > p[2] && p[2] > p[0]);
    }
}
