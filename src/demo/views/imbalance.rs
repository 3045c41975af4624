//! The imbalance trap: accuracy, recall and the confusion matrix side by side.

use super::{epoch_series, note, PresetPicker};
use crate::demo::plot::{Chart, Plot};
use crate::demo::run::{Run, RunControls};
use aesop_course::demo::DemoPreset;
use leptos::prelude::*;

#[component]
pub fn Imbalance(demo: DemoPreset) -> impl IntoView {
    let run = Run::new();
    let chosen = RwSignal::new(0usize);
    let presets = demo.presets.clone();
    let job = Signal::derive(move || presets[chosen.get()].job.clone());
    let last = move || run.history.get().last().cloned();
    let pct = |v: Option<f32>| {
        v.map(|v| format!("{:.1}%", v * 100.0))
            .unwrap_or_else(|| "–".into())
    };
    let chart = Signal::derive(move || {
        let h = run.history.get();
        Chart::Lines {
            x_label: "epoch".into(),
            y_label: "validation score".into(),
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
            "Epoch {}: accuracy {}, recall {}",
            m.epoch,
            pct(m.val_accuracy),
            pct(m.val_recall)
        ),
    });
    view! {
        <PresetPicker presets=demo.presets.clone() chosen=chosen />
        {note(&demo.presets, chosen)}
        <RunControls run=run job=job />
        <dl class="metrics">
            <div><dt>"Accuracy"</dt><dd class="accuracy-value">{move || pct(last().and_then(|m| m.val_accuracy))}</dd></div>
            <div><dt>"Recall"</dt><dd class="recall-value">{move || pct(last().and_then(|m| m.val_recall))}</dd></div>
        </dl>
        <table class="confusion">
            <caption>"Confusion matrix (validation set)"</caption>
            <thead><tr><td></td><th scope="col">"Predicted negative"</th><th scope="col">"Predicted positive"</th></tr></thead>
            <tbody>
                {[("Actually negative", 0usize), ("Actually positive", 1)].into_iter().map(|(name, row)| view! {
                    <tr><th scope="row">{name}</th>
                    {[0usize, 1].into_iter().map(|col| view! { <td>{move || last().and_then(|m| m.confusion).map(|c| c[row][col].to_string()).unwrap_or_else(|| "–".into())}</td> }).collect_view()}
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        <Plot chart=chart label="Validation accuracy and recall by epoch" summary=summary />
    }
}
