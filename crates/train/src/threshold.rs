//! The decision threshold: a binary model outputs a probability, and a cut-off turns it into a
//! yes or no. The engine counts at 0.5; the imbalance demo moves the cut-off over the logits
//! a report carries, and shows what precision and recall do.

/// A validation set's counts at one threshold: [[true negatives, false positives],
/// [false negatives, true positives]], as `Metrics::confusion` lays them out.
pub type Confusion = [[u32; 2]; 2];

/// The logit of a probability: the model says "positive" when its logit is above this.
pub fn logit(p: f64) -> f64 {
    (p / (1.0 - p)).ln()
}

/// Counts with "positive" meaning probability above `threshold` (logit above its logit), so at
/// 0.5 this agrees with the engine's own counts (logit > 0).
pub fn confusion_at(logits: &[f32], labels: &[usize], threshold: f64) -> Confusion {
    let cut = logit(threshold);
    let mut c = [[0u32; 2]; 2];
    for (&z, &y) in logits.iter().zip(labels) {
        c[y.min(1)][usize::from(z as f64 > cut)] += 1;
    }
    c
}

/// Of the examples called positive, the share that are: `None` when none is called positive.
pub fn precision(c: &Confusion) -> Option<f64> {
    let called = c[0][1] + c[1][1];
    (called > 0).then(|| c[1][1] as f64 / called as f64)
}

/// Of the positives, the share caught: `None` when the set has no positive.
pub fn recall(c: &Confusion) -> Option<f64> {
    let positives = c[1][0] + c[1][1];
    (positives > 0).then(|| c[1][1] as f64 / positives as f64)
}

pub fn accuracy(c: &Confusion) -> f64 {
    let all: u32 = c.iter().flatten().sum();
    if all == 0 {
        return 0.0;
    }
    (c[0][0] + c[1][1]) as f64 / all as f64
}

/// The threshold on an unweighted model's probability that weighting the positives' loss by
/// `w` stands in for: the weighted loss is minimized by p_w = w·p / (w·p + 1 − p), and
/// p_w > 0.5 exactly when p > 1 / (1 + w).
pub fn threshold_for_weight(w: f64) -> f64 {
    1.0 / (1.0 + w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_precision_and_recall_at_a_threshold() {
        // Probabilities 0.1, 0.3, 0.6, 0.9 for labels 0, 1, 0, 1.
        let logits: Vec<f32> = [0.1, 0.3, 0.6, 0.9]
            .iter()
            .map(|&p| logit(p) as f32)
            .collect();
        let labels = [0, 1, 0, 1];
        let c = confusion_at(&logits, &labels, 0.5);
        assert_eq!(c, [[1, 1], [1, 1]]);
        assert_eq!(
            (precision(&c), recall(&c), accuracy(&c)),
            (Some(0.5), Some(0.5), 0.5)
        );
        let low = confusion_at(&logits, &labels, 0.2);
        assert_eq!(low, [[1, 1], [0, 2]]);
        assert_eq!(recall(&low), Some(1.0));
        let high = confusion_at(&logits, &labels, 0.95);
        assert_eq!((precision(&high), recall(&high)), (None, Some(0.0)));
    }

    #[test]
    fn at_one_half_the_cut_is_a_logit_of_zero() {
        assert_eq!(logit(0.5), 0.0);
        assert_eq!(confusion_at(&[0.0, 1e-9], &[1, 1], 0.5), [[0, 0], [1, 1]]);
    }

    #[test]
    fn a_weight_moves_the_threshold_to_one_over_one_plus_w() {
        let w = 99.0;
        let t = threshold_for_weight(w);
        assert!((t - 0.01).abs() < 1e-12);
        // The weighted optimum p_w crosses 0.5 exactly where p crosses t.
        let p_w = |p: f64| w * p / (w * p + 1.0 - p);
        assert!((p_w(t) - 0.5).abs() < 1e-12);
        assert!(p_w(t * 1.1) > 0.5 && p_w(t * 0.9) < 0.5);
    }
}
