//! What a learner reads about a run: why it blew up, and one sentence of what it was and how
//! it ended (kept with the learner's progress, so a lab's peer can quote it).

use crate::job::Job;
use crate::protocol::Metrics;
use crate::spec::{ExperimentSpec, OptimizerSpec};

/// Why a run blew up, in words a learner can act on.
pub fn non_finite_explanation(spec: &ExperimentSpec, step: usize) -> String {
    format!(
        "The loss became NaN or infinite at step {step}, so training stopped. Numbers overflowed: the updates grew until they left \
         the range a float can hold. The usual cause is a learning rate too high for this model (here {}); lower it, or clip the \
         gradient norm.",
        spec.optimizer.lr()
    )
}

/// One sentence about a finished run: what was trained and how it ended. Stored with the
/// learner's progress so a lab's peer can quote the learner's own evidence.
pub fn describe_run(
    job: &Job,
    last: Option<&Metrics>,
    path_end: Option<[f64; 3]>,
    alarm: Option<&str>,
) -> String {
    let f = |v: f32| format!("{v:.3}");
    let optimizer = |o: &OptimizerSpec| match *o {
        OptimizerSpec::Sgd { lr } => format!("SGD lr {lr}"),
        OptimizerSpec::Momentum { lr, momentum } => {
            format!("SGD with momentum {momentum}, lr {lr}")
        }
        OptimizerSpec::Adam { lr, .. } => format!("Adam lr {lr}"),
        OptimizerSpec::AdamW {
            lr, weight_decay, ..
        } => format!("AdamW lr {lr}, weight decay {weight_decay}"),
    };
    let mut text = match job {
        Job::Train(s) => {
            let layers: Vec<String> = s.widths().iter().map(|w| w.to_string()).collect();
            let act = s.model.hidden.first().map(|l| format!("{:?}", l.activation).to_lowercase()).unwrap_or_else(|| "none".into());
            let loss = match s.loss {
                crate::spec::LossSpec::Mse => "MSE".to_string(),
                crate::spec::LossSpec::CrossEntropy => "cross-entropy".to_string(),
                crate::spec::LossSpec::WeightedCrossEntropy { positive_weight } => format!("weighted cross-entropy (positives ×{positive_weight})"),
            };
            let mut t = format!(
                "trained a {} {act} network with {loss}, {}, {} epochs, on {} {}",
                layers.join("-"),
                optimizer(&s.optimizer),
                s.epochs,
                s.dataset.size,
                if s.dataset.images.is_some() { "images" } else { "points" }
            );
            if let Some(p) = s.dataset.positive_fraction {
                t.push_str(&format!(" ({:.0}% positives)", p * 100.0));
            }
            if let Some(m) = last {
                t.push_str(&format!(": after epoch {} training loss {}", m.epoch, f(m.train_loss)));
                if let Some(v) = m.val_loss {
                    t.push_str(&format!(", validation loss {}", f(v)));
                }
                if let Some(a) = m.val_accuracy {
                    t.push_str(&format!(", validation accuracy {:.1}%", a * 100.0));
                }
                if let Some(r) = m.val_recall {
                    t.push_str(&format!(", recall {:.1}%", r * 100.0));
                }
                if let Some(g) = m.grad_mean_abs.first() {
                    t.push_str(&format!(", first-layer mean |gradient| {g:.2e}"));
                }
            }
            t
        }
        Job::Race(r) => {
            let names: Vec<&str> = r.racers.iter().map(|x| x.label.as_str()).collect();
            format!("raced {} on the {:?} surface from ({:.2}, {:.2})", names.join(", "), r.surface, r.start[0], r.start[1])
        }
        Job::Backprop(n) => format!("worked through backpropagation on a 2-2-1 {:?} network with inputs ({}, {}) and target {}", n.activation, n.x[0], n.x[1], n.target).to_lowercase(),
        Job::Crossover(c) => format!(
            "timed the CPU and the GPU on a 2-w-w-1 network at {} sizes, up to width {} and batch {}",
            c.sizes.len(),
            c.sizes.last().map_or(0, |s| s[0]),
            c.sizes.last().map_or(0, |s| s[1])
        ),
        Job::Descend(d) => {
            let mut t = format!("ran {} on the {:?} surface from ({:.2}, {:.2})", optimizer(&d.optimizer), d.surface, d.start[0], d.start[1]);
            if let Some([x, y, v]) = path_end {
                t.push_str(&format!(": ended at ({x:.2}, {y:.2}) with loss {v:.3}"));
            }
            t
        }
    };
    if let Some(a) = alarm {
        text.push_str(&format!("; the run stopped: {a}"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_is_described_with_its_setup_and_its_result() {
        let spec = crate::ExperimentSpec::from_json(crate::spec::tests::sample()).unwrap();
        let m = Metrics {
            epoch: 20,
            train_loss: 0.0812,
            val_loss: Some(0.25),
            val_accuracy: Some(0.9),
            val_recall: Some(0.5),
            grad_mean_abs: vec![3e-6, 0.01],
            ..Default::default()
        };
        let text = describe_run(&Job::Train(spec), Some(&m), None, None);
        assert_eq!(
            text,
            "trained a 2-16-1 relu network with cross-entropy, Adam lr 0.01, 20 epochs, on 400 points: after epoch 20 training loss 0.081, \
             validation loss 0.250, validation accuracy 90.0%, recall 50.0%, first-layer mean |gradient| 3.00e-6"
        );
    }
}
