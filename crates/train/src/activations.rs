//! Each activation and its derivative as plain f64 functions: the gallery plots these, and
//! the tests hold them to finite differences and to the engine's own tensors.

use crate::spec::Activation;

/// Leaky ReLU's slope for negative inputs (the engine uses the same).
pub const LEAKY_SLOPE: f64 = 0.01;

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Standard normal CDF, through erf (burn's GELU is the exact, erf form too).
fn phi_cdf(x: f64) -> f64 {
    0.5 * (1.0 + libm::erf(x / std::f64::consts::SQRT_2))
}

fn phi_pdf(x: f64) -> f64 {
    (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

pub fn value(a: Activation, x: f64) -> f64 {
    match a {
        Activation::Relu => x.max(0.0),
        Activation::LeakyRelu => {
            if x > 0.0 {
                x
            } else {
                LEAKY_SLOPE * x
            }
        }
        Activation::Sigmoid => sigmoid(x),
        Activation::Tanh => x.tanh(),
        Activation::Gelu => x * phi_cdf(x),
        Activation::Silu => x * sigmoid(x),
        Activation::Linear => x,
    }
}

/// f′(x). At ReLU's kink, 0 (what frameworks use).
pub fn derivative(a: Activation, x: f64) -> f64 {
    match a {
        Activation::Relu => {
            if x > 0.0 {
                1.0
            } else {
                0.0
            }
        }
        Activation::LeakyRelu => {
            if x > 0.0 {
                1.0
            } else {
                LEAKY_SLOPE
            }
        }
        Activation::Sigmoid => sigmoid(x) * (1.0 - sigmoid(x)),
        Activation::Tanh => 1.0 - x.tanh().powi(2),
        Activation::Gelu => phi_cdf(x) + x * phi_pdf(x),
        Activation::Silu => sigmoid(x) * (1.0 + x * (1.0 - sigmoid(x))),
        Activation::Linear => 1.0,
    }
}

/// The gallery's six, in the order the lesson introduces them.
pub const GALLERY: [Activation; 6] = [
    Activation::Sigmoid,
    Activation::Tanh,
    Activation::Relu,
    Activation::LeakyRelu,
    Activation::Gelu,
    Activation::Silu,
];

pub fn name(a: Activation) -> &'static str {
    match a {
        Activation::Relu => "ReLU",
        Activation::LeakyRelu => "Leaky ReLU",
        Activation::Sigmoid => "Sigmoid",
        Activation::Tanh => "Tanh",
        Activation::Gelu => "GELU",
        Activation::Silu => "SiLU / Swish",
        Activation::Linear => "Linear",
    }
}

/// The largest |f′| on [-8, 8]: sigmoid's 0.25 is why a deep sigmoid stack starves its first
/// layers (twelve layers multiply up to 0.25¹² ≈ 6e-8).
pub fn peak_derivative(a: Activation) -> f64 {
    (0..=1600)
        .map(|i| -8.0 + i as f64 * 0.01)
        .map(|x| derivative(a, x).abs())
        .fold(0.0, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derivatives_match_finite_differences_away_from_kinks() {
        for a in GALLERY {
            for i in -40..=40 {
                let x = i as f64 * 0.1 + 0.05; // never exactly 0, ReLU's kink
                let h = 1e-6;
                let fd = (value(a, x + h) - value(a, x - h)) / (2.0 * h);
                assert!(
                    (fd - derivative(a, x)).abs() < 1e-6,
                    "{a:?} at {x}: {fd} vs {}",
                    derivative(a, x)
                );
            }
        }
    }

    #[test]
    fn known_values() {
        assert_eq!(value(Activation::Sigmoid, 0.0), 0.5);
        assert!((peak_derivative(Activation::Sigmoid) - 0.25).abs() < 1e-9);
        assert!((peak_derivative(Activation::Tanh) - 1.0).abs() < 1e-9);
        assert_eq!(peak_derivative(Activation::Relu), 1.0);
        // GELU(1) = Φ(1) ≈ 0.8413; SiLU(1) = σ(1) ≈ 0.7311.
        assert!((value(Activation::Gelu, 1.0) - 0.841_344_7).abs() < 1e-6);
        assert!((value(Activation::Silu, 1.0) - 0.731_058_6).abs() < 1e-6);
        assert_eq!(value(Activation::LeakyRelu, -2.0), -0.02);
    }
}
