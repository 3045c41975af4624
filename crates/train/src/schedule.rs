//! Learning-rate schedules as closed forms of the step number: no state, so a plot of the
//! schedule and the run that follows it agree by construction.

use crate::spec::ScheduleSpec;
use std::f64::consts::PI;

/// The learning rate for `step` (0-based) of a run of `total` steps.
pub fn lr_at(schedule: &ScheduleSpec, base: f64, step: usize, total: usize) -> f64 {
    match *schedule {
        ScheduleSpec::Constant => base,
        ScheduleSpec::Step { every, gamma } => base * gamma.powi((step / every.max(1)) as i32),
        ScheduleSpec::WarmupCosine {
            warmup_steps,
            min_factor,
            cycle_steps,
        } => {
            if step < warmup_steps {
                return base * (step + 1) as f64 / warmup_steps as f64;
            }
            let after = step - warmup_steps;
            let span = cycle_steps
                .unwrap_or(total.saturating_sub(warmup_steps))
                .max(1);
            let t = (after % span) as f64 / span as f64;
            let min = base * min_factor;
            min + (base - min) * 0.5 * (1.0 + (PI * t).cos())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_and_step() {
        assert_eq!(lr_at(&ScheduleSpec::Constant, 0.1, 57, 100), 0.1);
        let step = ScheduleSpec::Step {
            every: 10,
            gamma: 0.5,
        };
        assert_eq!(lr_at(&step, 0.1, 9, 100), 0.1);
        assert_eq!(lr_at(&step, 0.1, 10, 100), 0.05);
        assert!((lr_at(&step, 0.1, 35, 100) - 0.0125).abs() < 1e-12);
    }

    #[test]
    fn warmup_then_cosine_matches_the_closed_form() {
        let s = ScheduleSpec::WarmupCosine {
            warmup_steps: 10,
            min_factor: 0.0,
            cycle_steps: None,
        };
        assert!((lr_at(&s, 1.0, 0, 110) - 0.1).abs() < 1e-12);
        assert!((lr_at(&s, 1.0, 9, 110) - 1.0).abs() < 1e-12);
        assert!((lr_at(&s, 1.0, 10, 110) - 1.0).abs() < 1e-12);
        // Halfway through the decay: cos(π/2) = 0, so half the rate.
        assert!((lr_at(&s, 1.0, 60, 110) - 0.5).abs() < 1e-12);
        for step in 10..110 {
            let t = (step - 10) as f64 / 100.0;
            assert!((lr_at(&s, 1.0, step, 110) - 0.5 * (1.0 + (PI * t).cos())).abs() < 1e-12);
        }
        let restarts = ScheduleSpec::WarmupCosine {
            warmup_steps: 0,
            min_factor: 0.1,
            cycle_steps: Some(20),
        };
        assert!((lr_at(&restarts, 1.0, 20, 100) - 1.0).abs() < 1e-12);
        assert!(lr_at(&restarts, 1.0, 19, 100) < 0.11);
    }
}
