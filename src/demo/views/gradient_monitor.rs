//! Gradient monitor: one run's loss and each layer's mean |gradient| by epoch, plus the share
//! of dead units: the evidence that tells three stuck runs apart.

use super::{epoch_series, layer_gradients, note, PresetPicker};
use crate::demo::predict::predict_first;
use crate::plot::{fmt, Chart, Plot, Series};
use crate::run::{Run, RunControls};
use aesop_course::demo::Demo;
use leptos::prelude::*;

#[component]
pub fn GradientMonitor(demo: Demo) -> impl IntoView {
    let run = Run::new();
    // A reload shows the demo's last run again, with its preset chosen.
    let chosen = RwSignal::new(run.restore(&demo.presets));
    let presets = demo.presets.clone();
    let job = Signal::derive(move || presets[chosen.get()].job.clone());
    let (question, ready) = predict_first(&demo, run, chosen);
    let loss = Signal::derive(move || {
        let h = run.history.get();
        let mut series = vec![epoch_series(&h, "training loss", 0, |m| Some(m.train_loss))];
        if let Some(last) = h.last() {
            // Cross-entropy of a uniform guess over the classes: where a stuck run sits.
            let classes = if let Some(aesop_train::Job::Train(s)) = run.last_job() {
                s.dataset.classes
            } else {
                2
            };
            let uniform = (classes as f64).ln();
            series.push(Series {
                label: format!("ln {classes} (uniform guess)"),
                points: vec![(0.0, uniform), (last.epoch.max(1) as f64, uniform)],
                color: 4,
                dashed: true,
            });
        }
        Chart::Lines {
            x_label: "epoch".into(),
            y_label: "loss".into(),
            series,
            log_y: false,
            marker: None,
        }
    });
    let loss_summary = Signal::derive(move || match run.history.get().last() {
        None => "No run yet.".to_string(),
        Some(m) => format!(
            "Epoch {}: training loss {}",
            m.epoch,
            fmt(m.train_loss as f64)
        ),
    });
    let grads = Signal::derive(move || {
        let h = run.history.get();
        let layers = h.last().map(|m| m.grad_mean_abs.len()).unwrap_or(0);
        Chart::Lines {
            x_label: "epoch".into(),
            y_label: "mean |gradient|".into(),
            series: (0..layers)
                .map(|i| {
                    epoch_series(&h, &format!("layer {}", i + 1), i, move |m| {
                        m.grad_mean_abs.get(i).copied()
                    })
                })
                .collect(),
            log_y: true,
            marker: None,
        }
    });
    let grads_summary = Signal::derive(move || match run.history.get().last() {
        Some(m) if m.grad_mean_abs.iter().all(|g| *g == 0.0) && m.step > 0 => {
            "Every layer's weight gradient is exactly 0: nothing upstream of the loss can learn."
                .to_string()
        }
        Some(m) if m.step > 0 => layer_gradients(&m.grad_mean_abs),
        _ => "Gradients appear after the first epoch.".into(),
    });
    view! {
        <PresetPicker presets=demo.presets.clone() chosen=chosen />
        {note(&demo.presets, chosen, run)}
        {question}
        <RunControls run=run job=job ready=ready />
        <dl class="metrics">
            <div><dt>"Training loss"</dt><dd class="loss-value">{move || run.history.get().last().map(|m| fmt(m.train_loss as f64)).unwrap_or_else(|| "–".into())}</dd></div>
            <div><dt>"Dead units"</dt><dd class="dead-value">{move || run.history.get().last().and_then(|m| m.dead_fraction).map(|d| format!("{:.0}%", d * 100.0)).unwrap_or_else(|| "–".into())}</dd></div>
            <div><dt>"Layer 1 mean |gradient|"</dt><dd class="grad1-value">{move || run.history.get().last().filter(|m| m.step > 0).and_then(|m| m.grad_mean_abs.first().copied()).map(|g| fmt(g as f64)).unwrap_or_else(|| "–".into())}</dd></div>
        </dl>
        <Plot chart=loss label="Training loss by epoch, against the uniform guess" summary=loss_summary />
        <Plot chart=grads label="Each layer's mean absolute weight gradient by epoch, log scale" summary=grads_summary />
    }
}
