//! The imbalance trap: accuracy, recall, precision and the confusion matrix side by side, with
//! a threshold slider that moves the cut-off between "negative" and "positive" over the
//! validation logits the run reports.

use super::{epoch_series, note, PresetPicker};
use crate::plot::{Chart, Plot};
use crate::run::{Run, RunControls};
use aesop_course::demo::Demo;
use aesop_train::threshold::{accuracy, confusion_at, precision, recall, Confusion};
use aesop_train::Job;
use leptos::prelude::*;

/// The slider's stops: fine near zero, where a rare class's probabilities live.
const THRESHOLDS: [f64; 14] = [
    0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9,
];
const HALF: usize = 9;

#[component]
pub fn Imbalance(demo: Demo) -> impl IntoView {
    let run = Run::new();
    // A reload shows the demo's last run again, with its preset chosen.
    let chosen = RwSignal::new(run.restore(&demo.presets));
    let presets = demo.presets.clone();
    let job = Signal::derive(move || presets[chosen.get()].job.clone());
    let stop = RwSignal::new(HALF);
    let threshold = move || THRESHOLDS[stop.get()];
    // Each preset's note speaks of the default cut-off: a new preset puts the slider back
    // there, so a threshold left from the last run never contradicts the note.
    Effect::new(move |prev: Option<()>| {
        chosen.track();
        if prev.is_some() {
            stop.set(HALF);
        }
    });
    // The validation labels, regenerated from the spec (same seed, same points as the
    // worker's), so only the logits cross from the worker.
    let labels = Memo::new(move |_| match job.get() {
        Job::Train(s) => aesop_train::data::generate(&s.dataset).1.y,
        _ => Vec::new(),
    });
    // Counts at the chosen threshold: the engine's own at 0.5 (every epoch), else from the
    // latest report that carries logits (every fifth epoch and the last), with its epoch.
    let counts = Memo::new(move |_| -> Option<(Confusion, Option<usize>)> {
        let t = threshold();
        run.history.with(|h| {
            if stop.get() == HALF {
                return h.last().and_then(|m| m.confusion).map(|c| (c, None));
            }
            h.iter().rev().find_map(|m| {
                let logits = m.val_logits.as_ref()?;
                Some((labels.with(|y| confusion_at(logits, y, t)), Some(m.epoch)))
            })
        })
    });
    let pct = |v: Option<f64>| {
        v.map(|v| format!("{:.1}%", v * 100.0))
            .unwrap_or_else(|| "–".into())
    };
    let chart = Signal::derive(move || {
        let h = run.history.get();
        Chart::Lines {
            x_label: "epoch".into(),
            y_label: "validation score at 0.5".into(),
            series: vec![
                epoch_series(&h, "accuracy", 0, |m| m.val_accuracy),
                epoch_series(&h, "recall (positives caught)", 1, |m| m.val_recall),
            ],
            log_y: false,
            marker: None,
        }
    });
    let summary = Signal::derive(move || match run.history.get().last() {
        None => "No run yet: press Train.".into(),
        Some(m) => format!(
            "Epoch {}: accuracy {}, recall {} at a threshold of 0.5",
            m.epoch,
            pct(m.val_accuracy.map(f64::from)),
            pct(m.val_recall.map(f64::from))
        ),
    });
    let of = move |f: fn(&Confusion) -> Option<f64>| pct(counts.get().and_then(|(c, _)| f(&c)));
    view! {
        <PresetPicker presets=demo.presets.clone() chosen=chosen />
        {note(&demo.presets, chosen, run)}
        <RunControls run=run job=job />
        <label class="slider threshold">
            "Threshold: call an example positive above a probability of " <output class="threshold-value">{move || threshold().to_string()}</output>
            <input type="range" min="0" max=(THRESHOLDS.len() - 1).to_string() step="1" prop:value=move || stop.get().to_string()
                aria-valuetext=move || format!("threshold {}", threshold())
                on:input=move |ev| { if let Ok(v) = event_target_value(&ev).parse::<usize>() { stop.set(v.min(THRESHOLDS.len() - 1)) } } />
        </label>
        <p class="threshold-source hint" aria-live="polite">{move || match counts.get() {
            None => "No counts yet: train first.".to_string(),
            Some((_, None)) => "Counts at 0.5, the engine's own, after the latest epoch.".to_string(),
            Some((_, Some(epoch))) => format!("Counts at {} from the model after epoch {epoch}.", threshold()),
        }}</p>
        <dl class="metrics">
            <div><dt>"Accuracy"</dt><dd class="accuracy-value">{move || of(|c| Some(accuracy(c)))}</dd></div>
            <div><dt>"Recall"</dt><dd class="recall-value">{move || of(recall)}</dd></div>
            <div><dt>"Precision"</dt><dd class="precision-value">{move || of(precision)}</dd></div>
        </dl>
        <table class="confusion">
            <caption>{move || format!("Confusion matrix (validation set, threshold {})", threshold())}</caption>
            <thead><tr><td></td><th scope="col">"Predicted negative"</th><th scope="col">"Predicted positive"</th></tr></thead>
            <tbody>
                {[("Actually negative", 0usize), ("Actually positive", 1)].into_iter().map(|(name, row)| view! {
                    <tr><th scope="row">{name}</th>
                    {[0usize, 1].into_iter().map(|col| view! { <td>{move || counts.get().map(|(c, _)| c[row][col].to_string()).unwrap_or_else(|| "–".into())}</td> }).collect_view()}
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        <Plot chart=chart label="Validation accuracy and recall by epoch, at a threshold of 0.5" summary=summary />
    }
}
