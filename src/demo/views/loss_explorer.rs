//! Cross-entropy against squared error for one prediction, and each loss's gradient at the
//! output's logit: pure math, no worker. The loss explorer plots the losses; the output-gradient
//! view plots the gradients. Both show all four numbers.

use crate::plot::{fmt, Chart, Plot, Series};
use aesop_train::losses::{
    cross_entropy, cross_entropy_logit_gradient, squared_error, squared_error_logit_gradient,
};
use leptos::prelude::*;

#[component]
pub fn LossExplorer() -> impl IntoView {
    view! { <Explorer gradient=false /> }
}

#[component]
pub fn OutputGradient() -> impl IntoView {
    view! { <Explorer gradient=true /> }
}

#[component]
fn Explorer(gradient: bool) -> impl IntoView {
    let label = RwSignal::new(1u8);
    let p = RwSignal::new(0.3f64);
    let curve = move |f: fn(u8, f64) -> f64| {
        (1..=99)
            .map(|i| i as f64 / 100.0)
            .map(|x| (x, f(label.get(), x)))
            .collect::<Vec<_>>()
    };
    let (ce, mse): (fn(u8, f64) -> f64, fn(u8, f64) -> f64) = if gradient {
        (cross_entropy_logit_gradient, squared_error_logit_gradient)
    } else {
        (cross_entropy, squared_error)
    };
    let chart = Signal::derive(move || Chart::Lines {
        x_label: "predicted probability of class 1".into(),
        y_label: if gradient {
            "∂L/∂z at the logit"
        } else {
            "loss"
        }
        .into(),
        series: vec![
            Series {
                label: "cross-entropy".into(),
                points: curve(ce),
                color: 0,
                dashed: false,
            },
            Series {
                label: "squared error (MSE)".into(),
                points: curve(mse),
                color: 1,
                dashed: false,
            },
        ],
        log_y: false,
        marker: Some((p.get(), ce(label.get(), p.get()))),
    });
    let summary = Signal::derive(move || {
        let (y, q) = (label.get(), p.get());
        format!(
            "True label {y}, predicted probability of class 1 {q:.2}: cross-entropy {} (∂L/∂z {}), squared error {} (∂L/∂z {})",
            fmt(cross_entropy(y, q)),
            fmt(cross_entropy_logit_gradient(y, q)),
            fmt(squared_error(y, q)),
            fmt(squared_error_logit_gradient(y, q))
        )
    });
    // Radio groups need a page-unique name: lesson 1 and lesson 3 each show one of these.
    let group = if gradient {
        "gradient-label"
    } else {
        "loss-label"
    };
    let plot_label = if gradient {
        "Each loss's gradient at the output's logit against the predicted probability"
    } else {
        "Loss against the predicted probability"
    };
    view! {
        <div class="demo-controls">
            <fieldset class="inline-choice">
                <legend>"True label"</legend>
                <label><input type="radio" name=group checked=move || label.get() == 1 on:change=move |_| label.set(1) />" 1 (positive)"</label>
                <label><input type="radio" name=group checked=move || label.get() == 0 on:change=move |_| label.set(0) />" 0 (negative)"</label>
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
            <div><dt>"∂L/∂z, cross-entropy (p − y)"</dt><dd class="ce-gradient">{move || fmt(cross_entropy_logit_gradient(label.get(), p.get()))}</dd></div>
            <div><dt>"∂L/∂z, squared error (2(p − y)·p(1 − p))"</dt><dd class="mse-gradient">{move || fmt(squared_error_logit_gradient(label.get(), p.get()))}</dd></div>
        </dl>
        <Plot chart=chart label=plot_label summary=summary />
    }
}
