//! Scores and the pass mark. Integer arithmetic, so 12 of 15 at 80% passes exactly
//! and 11 of 15 fails, with no floating-point edge.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    pub correct: u32,
    pub total: u32,
}

impl Score {
    pub fn new(correct: u32, total: u32) -> Self {
        Score { correct, total }
    }

    /// Whole percent, rounded down (12/15 → 80, 11/15 → 73).
    /// In u64 throughout: a stored score is data from outside, and no value of it may
    /// overflow here.
    pub fn percent(self) -> u32 {
        if self.total == 0 {
            0
        } else {
            (u64::from(self.correct) * 100 / u64::from(self.total)) as u32
        }
    }

    /// Passed when correct/total ≥ pass/100, compared without division.
    pub fn passes(self, pass_percent: u32) -> bool {
        self.total > 0
            && u64::from(self.correct) * 100 >= u64::from(pass_percent) * u64::from(self.total)
    }

    /// The better of two scores by fraction correct; of equal fractions, the one with more
    /// questions, so the choice does not depend on the order asked (two tabs merging).
    pub fn best(self, other: Score) -> Score {
        let (mine, theirs) = (
            u64::from(self.correct) * u64::from(other.total),
            u64::from(other.correct) * u64::from(self.total),
        );
        if theirs > mine
            || (theirs == mine && (other.total, other.correct) > (self.total, self.correct))
        {
            other
        } else {
            self
        }
    }
}

/// What the navigation shows for a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepStatus {
    NotStarted,
    InProgress,
    /// A lesson read or a lab visited; a quiz finished (with its best score).
    Done(Option<Score>),
    /// The module test at or above its pass mark.
    Passed(Score),
    /// The module test submitted below its pass mark.
    Failed(Score),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_eighty_percent_edge() {
        assert!(!Score::new(11, 15).passes(80));
        assert!(Score::new(12, 15).passes(80));
        assert!(Score::new(15, 15).passes(80));
        assert!(!Score::new(0, 0).passes(80));
        assert_eq!(Score::new(11, 15).percent(), 73);
        assert_eq!(Score::new(12, 15).percent(), 80);
    }

    #[test]
    fn best_compares_fractions() {
        assert_eq!(Score::new(3, 5).best(Score::new(4, 5)), Score::new(4, 5));
        assert_eq!(Score::new(4, 5).best(Score::new(2, 5)), Score::new(4, 5));
        assert_eq!(Score::new(4, 5).best(Score::new(8, 10)), Score::new(8, 10));
        assert_eq!(Score::new(8, 10).best(Score::new(4, 5)), Score::new(8, 10));
    }

    #[test]
    fn any_stored_score_is_safe_to_use() {
        let huge = Score::new(u32::MAX, u32::MAX);
        assert_eq!(huge.percent(), 100);
        assert!(huge.passes(80));
        assert!(Score::new(u32::MAX, 1).passes(80));
        assert_eq!(huge.best(Score::new(0, 0)), huge);
    }
}

/// Scores answers (question id → chosen original option) against the answer key
/// (question id → correct original option). Unanswered questions count as wrong.
pub fn score_answers<'a>(
    answers: &std::collections::BTreeMap<String, usize>,
    key: impl IntoIterator<Item = (&'a str, usize)>,
) -> Score {
    let (mut correct, mut total) = (0, 0);
    for (id, right) in key {
        total += 1;
        if answers.get(id) == Some(&right) {
            correct += 1;
        }
    }
    Score { correct, total }
}

#[cfg(test)]
mod answer_tests {
    use super::*;

    #[test]
    fn scores_against_the_key() {
        let answers = [("a".to_string(), 1), ("b".to_string(), 0)]
            .into_iter()
            .collect();
        let key = [("a", 1), ("b", 2), ("c", 0)];
        assert_eq!(score_answers(&answers, key), Score::new(1, 3));
    }
}
