//! Backpropagation by hand on a 2-2-1 network, with every intermediate number kept so the
//! lesson can show them: the forward values, then each parameter's gradient as a product of
//! local derivatives (the chain rule), checked against finite differences here and against
//! burn's autodiff in the engine.

use crate::activations::{derivative, value};
use crate::spec::Activation;
use serde::{Deserialize, Serialize};

/// Two inputs, two hidden units with `activation`, one linear output, loss (ŷ − t)².
/// `w1[j][k]` joins input k to hidden unit j.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TinyNet {
    pub x: [f64; 2],
    pub target: f64,
    pub w1: [[f64; 2]; 2],
    pub b1: [f64; 2],
    pub w2: [f64; 2],
    pub b2: f64,
    pub activation: Activation,
}

/// Parameter names in the order every gradient list uses.
pub const PARAMS: [&str; 9] = [
    "w1_11", "w1_12", "w1_21", "w1_22", "b1_1", "b1_2", "w2_1", "w2_2", "b2",
];

#[derive(Debug, Clone, PartialEq)]
pub struct Forward {
    /// Hidden pre-activations z_j = Σ_k w1[j][k]·x_k + b1[j].
    pub z: [f64; 2],
    /// Hidden outputs h_j = f(z_j).
    pub h: [f64; 2],
    pub y_hat: f64,
    pub loss: f64,
}

/// One parameter's gradient, written as the chain rule multiplies it out.
#[derive(Debug, Clone, PartialEq)]
pub struct Chain {
    pub param: &'static str,
    /// (what the factor is, its value), output side first.
    pub factors: Vec<(String, f64)>,
    pub gradient: f64,
}

impl TinyNet {
    pub fn params(&self) -> [f64; 9] {
        [
            self.w1[0][0],
            self.w1[0][1],
            self.w1[1][0],
            self.w1[1][1],
            self.b1[0],
            self.b1[1],
            self.w2[0],
            self.w2[1],
            self.b2,
        ]
    }

    pub fn with_params(&self, p: [f64; 9]) -> TinyNet {
        TinyNet {
            w1: [[p[0], p[1]], [p[2], p[3]]],
            b1: [p[4], p[5]],
            w2: [p[6], p[7]],
            b2: p[8],
            ..self.clone()
        }
    }

    pub fn forward(&self) -> Forward {
        let z = [0, 1].map(|j| self.w1[j][0] * self.x[0] + self.w1[j][1] * self.x[1] + self.b1[j]);
        let h = z.map(|z| value(self.activation, z));
        let y_hat = self.w2[0] * h[0] + self.w2[1] * h[1] + self.b2;
        Forward {
            z,
            h,
            y_hat,
            loss: (y_hat - self.target).powi(2),
        }
    }

    /// Every parameter's gradient by the chain rule, factor by factor.
    pub fn backward(&self) -> Vec<Chain> {
        let f = self.forward();
        let dl_dy = 2.0 * (f.y_hat - self.target);
        let dl = ("∂L/∂ŷ = 2(ŷ − t)".to_string(), dl_dy);
        let mut out = Vec::new();
        let chain = |param: &'static str, factors: Vec<(String, f64)>| {
            let gradient = factors.iter().map(|f| f.1).product();
            Chain {
                param,
                factors,
                gradient,
            }
        };
        for j in 0..2 {
            let n = j + 1;
            for k in 0..2 {
                out.push(chain(
                    PARAMS[j * 2 + k],
                    vec![
                        dl.clone(),
                        (format!("∂ŷ/∂h{n} = w2_{n}"), self.w2[j]),
                        (
                            format!("∂h{n}/∂z{n} = f′(z{n})"),
                            derivative(self.activation, f.z[j]),
                        ),
                        (format!("∂z{n}/∂w1_{n}{} = x{}", k + 1, k + 1), self.x[k]),
                    ],
                ));
            }
        }
        for j in 0..2 {
            let n = j + 1;
            out.push(chain(
                PARAMS[4 + j],
                vec![
                    dl.clone(),
                    (format!("∂ŷ/∂h{n} = w2_{n}"), self.w2[j]),
                    (
                        format!("∂h{n}/∂z{n} = f′(z{n})"),
                        derivative(self.activation, f.z[j]),
                    ),
                    (format!("∂z{n}/∂b1_{n} = 1"), 1.0),
                ],
            ));
        }
        for j in 0..2 {
            let n = j + 1;
            out.push(chain(
                PARAMS[6 + j],
                vec![dl.clone(), (format!("∂ŷ/∂w2_{n} = h{n}"), f.h[j])],
            ));
        }
        out.push(chain(PARAMS[8], vec![dl, ("∂ŷ/∂b2 = 1".to_string(), 1.0)]));
        out
    }

    /// Central finite differences: nudge each parameter by ±eps and watch the loss.
    pub fn finite_differences(&self, eps: f64) -> [f64; 9] {
        let p = self.params();
        std::array::from_fn(|i| {
            let (mut up, mut down) = (p, p);
            up[i] += eps;
            down[i] -= eps;
            (self.with_params(up).forward().loss - self.with_params(down).forward().loss)
                / (2.0 * eps)
        })
    }
}

/// |a − b| relative to the larger magnitude, with a floor so two near-zero values agree.
pub fn relative_gap(a: f64, b: f64) -> f64 {
    (a - b).abs() / a.abs().max(b.abs()).max(1e-6)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn sample(activation: Activation) -> TinyNet {
        TinyNet {
            x: [0.5, -1.0],
            target: 1.0,
            w1: [[0.3, -0.8], [0.6, 0.2]],
            b1: [0.1, -0.2],
            w2: [0.7, -0.4],
            b2: 0.05,
            activation,
        }
    }

    #[test]
    fn the_chain_rule_agrees_with_finite_differences() {
        for a in [
            Activation::Sigmoid,
            Activation::Tanh,
            Activation::Relu,
            Activation::Gelu,
        ] {
            let net = sample(a);
            let fd = net.finite_differences(1e-5);
            for (c, fd) in net.backward().iter().zip(fd) {
                assert!(
                    relative_gap(c.gradient, fd) < 1e-6,
                    "{a:?} {}: {} vs {fd}",
                    c.param,
                    c.gradient
                );
            }
        }
    }

    #[test]
    fn forward_values_by_hand() {
        // z1 = 0.3·0.5 − 0.8·(−1) + 0.1 = 1.05; z2 = 0.6·0.5 + 0.2·(−1) − 0.2 = −0.1.
        let f = sample(Activation::Relu).forward();
        assert!((f.z[0] - 1.05).abs() < 1e-12 && (f.z[1] + 0.1).abs() < 1e-12);
        assert_eq!(f.h[1], 0.0);
        // ŷ = 0.7·1.05 + 0.05 = 0.785; L = (0.785 − 1)² = 0.046225.
        assert!((f.y_hat - 0.785).abs() < 1e-12 && (f.loss - 0.046225).abs() < 1e-12);
    }
}
