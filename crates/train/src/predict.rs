//! Predict, then run: a demo asks the learner to commit to an answer, runs, and reads the
//! run's own evidence to say which answer it showed. The rules live here, away from the UI,
//! so each can be tested on real runs.

use crate::job::RaceSpec;
use crate::protocol::Metrics;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PredictSpec {
    pub question: String,
    /// The answers offered, in the order the rule's outcomes are numbered.
    pub options: Vec<String>,
    pub rule: Rule,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Rule {
    /// Where the layer with the smallest mean |gradient| sits: [first third (input side),
    /// middle third, last third (output side), nowhere in particular]. The last is the answer
    /// when every layer is within `FLAT_SPREAD` times of every other: then which layer is
    /// smallest is noise, and grading a learner on it would tell a right reasoner they erred.
    SmallestGradient,
    /// Which racer first reaches the race's finish line (within its tolerance of the minimum,
    /// or its `finish_loss` on a surface without one): one option per racer.
    #[serde(alias = "first-to-minimum")]
    FirstToFinish,
    /// How a run ends: [settles, oscillates without settling, blows up, barely moves].
    RunOutcome,
    /// Why a loss is stuck: [learning rate near zero, dead ReLUs, zero initialization].
    Diagnosis,
}

/// A gradient profile whose largest layer is within this factor of its smallest is flat.
pub const FLAT_SPREAD: f32 = 30.0;

/// What a finished run left behind.
#[derive(Debug, Clone, Copy, Default)]
pub struct Evidence<'a> {
    pub history: &'a [Metrics],
    /// The run stopped on NaN or infinity.
    pub alarm: bool,
    pub paths: &'a [Vec<[f64; 3]>],
    pub race: Option<&'a RaceSpec>,
}

impl Rule {
    /// How many options the rule needs; `None` when it depends on the run (one per racer).
    pub fn option_count(self) -> Option<usize> {
        match self {
            Rule::Diagnosis => Some(3),
            Rule::SmallestGradient | Rule::RunOutcome => Some(4),
            Rule::FirstToFinish => None,
        }
    }

    /// The option the run's evidence supports (the first, when racers tie), or `None` when it
    /// settles nothing (no racer finished, no report yet).
    pub fn outcome(self, e: &Evidence) -> Option<usize> {
        self.outcomes(e).first().copied()
    }

    /// Every option the run's evidence supports: one, except when racers finish on the same
    /// step, which all count as first. Empty when the run settles nothing.
    pub fn outcomes(self, e: &Evidence) -> Vec<usize> {
        if self == Rule::FirstToFinish {
            let Some(race) = e.race else {
                return Vec::new();
            };
            let finishes: Vec<Option<usize>> =
                e.paths.iter().map(|p| race.finish_step(p)).collect();
            let Some(first) = finishes.iter().flatten().min() else {
                return Vec::new();
            };
            return (0..finishes.len())
                .filter(|&i| finishes[i] == Some(*first))
                .collect();
        }
        self.single(e).into_iter().collect()
    }

    fn single(self, e: &Evidence) -> Option<usize> {
        match self {
            Rule::SmallestGradient => {
                let g = &e.history.last()?.grad_mean_abs;
                let (smallest, low) = g.iter().enumerate().min_by(|a, b| a.1.total_cmp(b.1))?;
                let high = g.iter().copied().fold(f32::MIN, f32::max);
                if high <= FLAT_SPREAD * low {
                    return Some(3);
                }
                Some((smallest * 3 / g.len()).min(2))
            }
            Rule::FirstToFinish => unreachable!("outcomes() answers races"),
            Rule::RunOutcome => {
                if e.alarm {
                    return Some(2);
                }
                let losses: Vec<f32> = e.history.iter().map(|m| m.train_loss).collect();
                let first = *losses.first()?;
                if losses.iter().any(|l| !l.is_finite()) {
                    return Some(2);
                }
                // Where the run ended: the mean of its last three reports, so one noisy epoch
                // does not decide it.
                let tail = &losses[losses.len().saturating_sub(3)..];
                let end = tail.iter().sum::<f32>() / tail.len() as f32;
                // Rises of more than 5% of the starting loss count as overshoots; a healthy
                // run's epoch averages rarely rise at all.
                let jumps = losses
                    .windows(2)
                    .filter(|w| w[1] - w[0] > 0.05 * first)
                    .count();
                if end <= 0.6 * first {
                    Some(0)
                } else if jumps >= 3 {
                    Some(1)
                } else {
                    Some(3)
                }
            }
            Rule::Diagnosis => {
                let m = e.history.last()?;
                // No weight gradient at all: nothing upstream of the loss can learn.
                if m.grad_mean_abs.iter().all(|g| *g == 0.0) {
                    // Dead units sit below zero for every input; zero-initialized ones sit at
                    // exactly zero, all identical.
                    Some(if m.dead_fraction.unwrap_or(0.0) >= 0.5 {
                        1
                    } else {
                        2
                    })
                } else {
                    Some(0)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(loss: f32, grads: &[f32], dead: Option<f32>) -> Metrics {
        Metrics {
            train_loss: loss,
            grad_mean_abs: grads.to_vec(),
            dead_fraction: dead,
            ..Default::default()
        }
    }

    #[test]
    fn smallest_gradient_names_first_middle_or_last() {
        let run = |g: &[f32]| {
            Rule::SmallestGradient.outcome(&Evidence {
                history: &[m(1.0, g, None)],
                ..Default::default()
            })
        };
        assert_eq!(run(&[1e-8, 1e-4, 1e-2]), Some(0));
        // Within 30× everywhere: no place to name, whichever layer happens to be lowest.
        assert_eq!(run(&[0.02, 0.01, 0.03]), Some(3));
        assert_eq!(run(&[0.29, 0.01, 0.29]), Some(3));
        assert_eq!(run(&[0.31, 0.01, 0.3]), Some(1));
        assert_eq!(run(&[1e-2, 1e-5, 1e-2]), Some(1));
        assert_eq!(run(&[1e-2, 1e-2, 1e-4]), Some(2));
        // Thirds of a deeper stack: layer 4 of 13 is still on the input side.
        let mut g = vec![1.0; 13];
        g[3] = 1e-9;
        assert_eq!(run(&g), Some(0));
        g[3] = 1.0;
        g[6] = 1e-9;
        assert_eq!(run(&g), Some(1));
        assert_eq!(Rule::SmallestGradient.outcome(&Evidence::default()), None);
    }

    #[test]
    fn run_outcomes() {
        let run = |losses: &[f32], alarm: bool| {
            let h: Vec<Metrics> = losses.iter().map(|&l| m(l, &[], None)).collect();
            Rule::RunOutcome.outcome(&Evidence {
                history: &h,
                alarm,
                ..Default::default()
            })
        };
        assert_eq!(run(&[0.7, 0.4, 0.3, 0.25, 0.24], false), Some(0));
        assert_eq!(run(&[0.7, 0.9, 0.5, 1.2, 0.6, 1.4], false), Some(1));
        assert_eq!(run(&[0.7, 0.9], true), Some(2));
        assert_eq!(run(&[0.693, 0.6929, 0.6928], false), Some(3));
    }

    #[test]
    fn diagnosis_reads_the_gradients_and_the_dead_units() {
        let run = |g: &[f32], dead| {
            Rule::Diagnosis.outcome(&Evidence {
                history: &[m(2.3, g, dead)],
                ..Default::default()
            })
        };
        assert_eq!(run(&[0.01, 0.02, 0.03], Some(0.05)), Some(0));
        assert_eq!(run(&[0.0, 0.0, 0.0], Some(1.0)), Some(1));
        assert_eq!(run(&[0.0, 0.0, 0.0], Some(0.0)), Some(2));
    }

    #[test]
    fn racers_finishing_on_the_same_step_all_count_as_first() {
        use crate::job::{RaceSpec, Racer};
        use crate::spec::OptimizerSpec;
        use crate::surface::Surface;
        let racer = |label: &str| Racer {
            label: label.into(),
            optimizer: OptimizerSpec::Sgd { lr: 0.1 },
        };
        let race = RaceSpec {
            surface: Surface::Saddle,
            start: [1.0, 0.001],
            steps: 3,
            racers: vec![racer("a"), racer("b"), racer("c")],
            tolerance: 0.01,
            finish_loss: Some(-1.0),
        };
        // Losses along each path: b and c cross −1 on step 2, a never does.
        let path = |losses: &[f64]| losses.iter().map(|&l| [0.0, 0.0, l]).collect::<Vec<_>>();
        let paths = [
            path(&[1.0, 0.5, 0.0]),
            path(&[1.0, 0.0, -1.5]),
            path(&[1.0, 0.2, -1.0]),
        ];
        let e = Evidence {
            paths: &paths,
            race: Some(&race),
            ..Default::default()
        };
        assert_eq!(Rule::FirstToFinish.outcomes(&e), [1, 2]);
        assert_eq!(Rule::FirstToFinish.outcome(&e), Some(1));
        let none = [path(&[1.0, 0.5])];
        let e = Evidence {
            paths: &none,
            race: Some(&race),
            ..Default::default()
        };
        assert!(Rule::FirstToFinish.outcomes(&e).is_empty());
    }
}
