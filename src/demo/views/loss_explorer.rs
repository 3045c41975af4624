//! Cross-entropy against squared error for one prediction: pure math, no worker.

use crate::demo::plot::{fmt, Chart, Plot, Series};
use aesop_train::losses::{cross_entropy, squared_error};
use leptos::prelude::*;

#[component]
pub fn LossExplorer() -> impl IntoView {
    let label = RwSignal::new(1u8);
    let p = RwSignal::new(0.3f64);
    let curve = move |f: fn(u8, f64) -> f64| {
        (1..=99)
            .map(|i| i as f64 / 100.0)
            .map(|x| (x, f(label.get(), x)))
            .collect::<Vec<_>>()
    };
    let chart = Signal::derive(move || Chart::Lines {
        x_label: "predicted probability of class 1".into(),
        y_label: "loss".into(),
        series: vec![
            Series {
                label: "cross-entropy".into(),
                points: curve(cross_entropy),
                color: 0,
                dashed: false,
            },
            Series {
                label: "squared error (MSE)".into(),
                points: curve(squared_error),
                color: 1,
                dashed: false,
            },
        ],
        log_y: false,
        marker: Some((p.get(), cross_entropy(label.get(), p.get()))),
    });
    let summary = Signal::derive(move || {
        let (y, q) = (label.get(), p.get());
        format!("True label {y}, predicted probability of class 1 {q:.2}: cross-entropy {}, squared error {}", fmt(cross_entropy(y, q)), fmt(squared_error(y, q)))
    });
    view! {
        <div class="demo-controls">
            <fieldset class="inline-choice">
                <legend>"True label"</legend>
                <label><input type="radio" name="loss-label" checked=move || label.get() == 1 on:change=move |_| label.set(1) />" 1 (positive)"</label>
                <label><input type="radio" name="loss-label" checked=move || label.get() == 0 on:change=move |_| label.set(0) />" 0 (negative)"</label>
            </fieldset>
            <label class="slider">
                "Predicted probability of class 1: " <output>{move || format!("{:.2}", p.get())}</output>
                <input type="range" min="0.01" max="0.99" step="0.01" prop:value=move || p.get().to_string()
                    on:input=move |ev| { if let Ok(v) = event_target_value(&ev).parse() { p.set(v) } } />
            </label>
        </div>
        <dl class="metrics">
            <div><dt>"Cross-entropy"</dt><dd class="ce-value">{move || fmt(cross_entropy(label.get(), p.get()))}</dd></div>
            <div><dt>"Squared error"</dt><dd class="mse-value">{move || fmt(squared_error(label.get(), p.get()))}</dd></div>
        </dl>
        <Plot chart=chart label="Loss against the predicted probability" summary=summary />
    }
}
