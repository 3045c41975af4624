//! The two losses of Lesson 1 for a single prediction, in closed form: what the loss explorer
//! plots. `p` is the predicted probability of class 1, `y` the true label (0 or 1).

/// −log of the probability given to the true class, with p kept off 0 and 1.
pub fn cross_entropy(y: u8, p: f64) -> f64 {
    let p = p.clamp(1e-12, 1.0 - 1e-12);
    if y == 1 {
        -p.ln()
    } else {
        -(1.0 - p).ln()
    }
}

pub fn squared_error(y: u8, p: f64) -> f64 {
    (f64::from(y) - p).powi(2)
}

/// ∂L/∂z for cross-entropy on a sigmoid output p = σ(z): the sigmoid's slope cancels, leaving
/// p − y, which stays near ±1 however confidently wrong the prediction is.
pub fn cross_entropy_logit_gradient(y: u8, p: f64) -> f64 {
    p - f64::from(y)
}

/// ∂L/∂z for squared error on a sigmoid output: 2(p − y) times the sigmoid's slope p(1 − p),
/// which goes to 0 as the prediction becomes confidently wrong (or right).
pub fn squared_error_logit_gradient(y: u8, p: f64) -> f64 {
    2.0 * (p - f64::from(y)) * p * (1.0 - p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confident_and_wrong_is_what_cross_entropy_punishes() {
        // 99% sure of the wrong class: cross-entropy ≈ 4.6, squared error < 1.
        assert!((cross_entropy(1, 0.01) - 4.605).abs() < 1e-3);
        assert!(squared_error(1, 0.01) < 1.0);
        // Right and confident: both near zero.
        assert!(cross_entropy(1, 0.99) < 0.011 && squared_error(1, 0.99) < 1e-3);
        // Squared error grows with the square: 10× the error, 100× the loss.
        assert!((squared_error(0, 0.5) / squared_error(0, 0.05) - 100.0).abs() < 1e-9);
        assert_eq!(cross_entropy(0, 0.3), cross_entropy(1, 0.7));
    }

    #[test]
    fn at_the_logit_cross_entropy_keeps_its_gradient_and_squared_error_loses_it() {
        // Finite differences through the sigmoid: z ↦ loss(σ(z)).
        let sigmoid = |z: f64| 1.0 / (1.0 + (-z).exp());
        for y in [0u8, 1] {
            for z in [-4.6, -1.0, 0.0, 2.0, 4.6] {
                let h = 1e-6;
                let fd = |f: fn(u8, f64) -> f64| {
                    (f(y, sigmoid(z + h)) - f(y, sigmoid(z - h))) / (2.0 * h)
                };
                let p = sigmoid(z);
                assert!((fd(cross_entropy) - cross_entropy_logit_gradient(y, p)).abs() < 1e-6);
                assert!((fd(squared_error) - squared_error_logit_gradient(y, p)).abs() < 1e-6);
            }
        }
        // 99% sure of the wrong class: cross-entropy's −0.99 against squared error's −0.0196.
        assert!((cross_entropy_logit_gradient(1, 0.01) + 0.99).abs() < 1e-12);
        assert!((squared_error_logit_gradient(1, 0.01) + 0.019602).abs() < 1e-12);
    }
}
