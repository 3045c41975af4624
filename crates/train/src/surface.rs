//! 2-D loss surfaces for the landscape and optimizer demos: the closed form here draws the
//! contours; the engine evaluates the same formula on tensors and descends it with autodiff.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Surface {
    /// (x² − 1)² + 0.3x + y²: a global minimum near x = −1, a local one near x = +1, and a
    /// saddle between them (a maximum along x, a minimum along y).
    TwoValleys,
    /// 0.1x² + 10y²: a long, narrow bowl whose axes are the coordinate axes.
    IllConditioned,
    /// The same bowl turned 45°: 0.1u² + 10v² with u = (x + y)/√2 and v = (x − y)/√2, that is
    /// 0.05(x + y)² + 5(x − y)². Every coordinate now feels the steep direction, so scaling
    /// each coordinate on its own (Adam) no longer separates flat from steep.
    RotatedBowl,
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
            Surface::RotatedBowl => 0.05 * (x + y).powi(2) + 5.0 * (x - y).powi(2),
            Surface::Rosenbrock => (1.0 - x).powi(2) + 100.0 * (y - x * x).powi(2),
            Surface::Saddle => x * x - y * y,
        }
    }

    pub fn gradient(self, x: f64, y: f64) -> [f64; 2] {
        match self {
            Surface::TwoValleys => [4.0 * x * (x * x - 1.0) + 0.3, 2.0 * y],
            Surface::IllConditioned => [0.2 * x, 20.0 * y],
            Surface::RotatedBowl => [
                0.1 * (x + y) + 10.0 * (x - y),
                0.1 * (x + y) - 10.0 * (x - y),
            ],
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
            Surface::RotatedBowl => ([-3.0, 3.0], [-3.0, 3.0]),
            Surface::Rosenbrock => ([-2.0, 2.0], [-1.0, 3.0]),
            Surface::Saddle => ([-2.0, 2.0], [-2.0, 2.0]),
        }
    }

    /// The lowest value the surface takes, where it has one.
    pub fn minimum(self) -> Option<f64> {
        match self {
            Surface::IllConditioned | Surface::RotatedBowl | Surface::Rosenbrock => Some(0.0),
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
            Surface::RotatedBowl,
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

    /// The rotated bowl is the axis-aligned one seen in turned coordinates: the same value at
    /// the turned point, so a path on one maps onto the other.
    #[test]
    fn the_rotated_bowl_is_the_bowl_turned_45_degrees() {
        let r = std::f64::consts::FRAC_1_SQRT_2;
        for &(u, v) in &[(-2.5, 1.2), (0.3, -0.7), (1.0, 0.0)] {
            let (x, y) = (r * (u + v), r * (u - v));
            let a = Surface::IllConditioned.value(u, v);
            let b = Surface::RotatedBowl.value(x, y);
            assert!((a - b).abs() < 1e-12, "({u}, {v}): {a} vs {b}");
        }
    }
}
