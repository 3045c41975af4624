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
}
