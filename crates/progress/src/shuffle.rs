//! Seeded option order: the same quiz, question and attempt always give the same order,
//! so a retry reshuffles yet a test can predict exactly what the learner sees.

/// SplitMix64: tiny, well-distributed, and identical on every platform.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// FNV-1a, to turn ids into seeds without pulling in a hasher whose output may change.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A permutation of `0..n`: position i shows original option `order[i]`.
pub fn option_order(quiz: &str, question: &str, attempt: u32, n: usize) -> Vec<usize> {
    let mut rng = SplitMix(
        fnv(quiz)
            ^ fnv(question).rotate_left(17)
            ^ u64::from(attempt).wrapping_mul(0xA24B_AED4_963E_E407),
    );
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = (rng.next() % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_a_permutation_and_reproducible() {
        let a = option_order("module-2/quiz-1", "mse", 1, 4);
        let mut sorted = a.clone();
        sorted.sort();
        assert_eq!(sorted, vec![0, 1, 2, 3]);
        assert_eq!(a, option_order("module-2/quiz-1", "mse", 1, 4));
    }

    #[test]
    fn retries_reshuffle() {
        let orders: std::collections::HashSet<Vec<usize>> = (1..=6)
            .map(|attempt| option_order("q", "x", attempt, 4))
            .collect();
        assert!(
            orders.len() >= 3,
            "six attempts gave only {} distinct orders",
            orders.len()
        );
    }

    #[test]
    fn the_correct_answer_moves_around() {
        // Over a quiz's questions, the first original option must not always land in one place.
        let places: std::collections::HashSet<usize> = ["a", "b", "c", "d", "e"]
            .iter()
            .map(|q| {
                option_order("quiz", q, 1, 4)
                    .iter()
                    .position(|&o| o == 0)
                    .unwrap()
            })
            .collect();
        assert!(places.len() >= 2);
    }
}
