//! 2-D loss surfaces for the landscape and optimizer demos: the closed form here draws the
//! contours; the engine evaluates the same formula on tensors and descends it with autodiff.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Surface {
    /// (x² − 1)² + 0.3x + y²: a global minimum near x = −1, a local one near x = +1, and a
    /// saddle between them (a maximum along x, a minimum along y).
    TwoValleys,
    /// x² + 10y²: a long, narrow bowl where plain SGD zig-zags.
    IllConditioned,
    /// (1 − x)² + 100(y − x²)²: the curved valley with its minimum at (1, 1).
    Rosenbrock,
    /// x² − y²: a pure saddle.
    Saddle,
}

impl Surface {
    pub fn value(self, x: f64, y: f64) -> f64 {
        match self {
            Surface::TwoValleys => (x * x - 1.0).powi(2) + 0.3 * x + y * y,
            Surface::IllConditioned => 0.1 * x * x + 10.0 * y * y,
            Surface::Rosenbrock => (1.0 - x).powi(2) + 100.0 * (y - x * x).powi(2),
            Surface::Saddle => x * x - y * y,
        }
    }

    pub fn gradient(self, x: f64, y: f64) -> [f64; 2] {
        match self {
            Surface::TwoValleys => [4.0 * x * (x * x - 1.0) + 0.3, 2.0 * y],
            Surface::IllConditioned => [0.2 * x, 20.0 * y],
            Surface::Rosenbrock => [
                -2.0 * (1.0 - x) - 400.0 * x * (y - x * x),
                200.0 * (y - x * x),
            ],
            Surface::Saddle => [2.0 * x, -2.0 * y],
        }
    }

    /// The region a plot shows: ([x_min, x_max], [y_min, y_max]).
    pub fn bounds(self) -> ([f64; 2], [f64; 2]) {
        match self {
            Surface::TwoValleys => ([-1.8, 1.8], [-1.5, 1.5]),
            Surface::IllConditioned => ([-3.0, 3.0], [-1.5, 1.5]),
            Surface::Rosenbrock => ([-2.0, 2.0], [-1.0, 3.0]),
            Surface::Saddle => ([-2.0, 2.0], [-2.0, 2.0]),
        }
    }

    /// The lowest value the surface takes, where it has one.
    pub fn minimum(self) -> Option<f64> {
        match self {
            Surface::IllConditioned | Surface::Rosenbrock => Some(0.0),
            // At the root of 4x(x² − 1) + 0.3 near x = −1.036.
            Surface::TwoValleys => Some(-0.305_37),
            Surface::Saddle => None,
        }
    }

    /// Where the saddle point is, when the surface has one.
    pub fn saddle(self) -> Option<[f64; 2]> {
        match self {
            // Root of 4x(x² − 1) + 0.3 between the two valleys.
            Surface::TwoValleys => Some([0.0753, 0.0]),
            Surface::Saddle => Some([0.0, 0.0]),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradients_match_finite_differences() {
        for s in [
            Surface::TwoValleys,
            Surface::IllConditioned,
            Surface::Rosenbrock,
            Surface::Saddle,
        ] {
            for &(x, y) in &[(0.3, -0.7), (-1.2, 0.4), (1.1, 1.3)] {
                let h = 1e-6;
                let fd = [
                    (s.value(x + h, y) - s.value(x - h, y)) / (2.0 * h),
                    (s.value(x, y + h) - s.value(x, y - h)) / (2.0 * h),
                ];
                let g = s.gradient(x, y);
                for k in 0..2 {
                    assert!(
                        (fd[k] - g[k]).abs() <= 1e-4 * (1.0 + g[k].abs()),
                        "{s:?} at ({x},{y}): {fd:?} vs {g:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn two_valleys_has_a_saddle_where_it_says() {
        let [x, y] = Surface::TwoValleys.saddle().unwrap();
        let g = Surface::TwoValleys.gradient(x, y);
        assert!(g[0].abs() < 1e-3 && g[1].abs() < 1e-12);
        // A maximum along x, a minimum along y.
        let f = Surface::TwoValleys.value(x, y);
        assert!(
            Surface::TwoValleys.value(x + 0.2, y) < f && Surface::TwoValleys.value(x - 0.2, y) < f
        );
        assert!(Surface::TwoValleys.value(x, y + 0.2) > f);
    }
}
