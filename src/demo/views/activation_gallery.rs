//! Activation gallery: f and f′ for the six activations the lesson names. Pure math from
//! `aesop_train::activations`, no worker.

use crate::plot::{fmt, Chart, Plot, Series};
use aesop_train::activations::{derivative, name, peak_derivative, value, GALLERY};
use leptos::prelude::*;

#[component]
pub fn ActivationGallery() -> impl IntoView {
    let chosen = RwSignal::new(0usize);
    let x = RwSignal::new(1.0f64);
    let act = move || GALLERY[chosen.get()];
    let curve = move |f: fn(aesop_train::spec::Activation, f64) -> f64| {
        (0..=240)
            .map(|i| -6.0 + i as f64 * 0.05)
            .map(|x| (x, f(act(), x)))
            .collect::<Vec<_>>()
    };
    let chart = Signal::derive(move || Chart::Lines {
        x_label: "x".into(),
        y_label: "value".into(),
        series: vec![
            Series {
                label: format!("{}(x)", name(act())),
                points: curve(value),
                color: 0,
                dashed: false,
            },
            Series {
                label: "derivative f′(x)".into(),
                points: curve(derivative),
                color: 1,
                dashed: true,
            },
        ],
        log_y: false,
        marker: Some((x.get(), value(act(), x.get()))),
    });
    let summary = Signal::derive(move || {
        let a = act();
        format!(
            "{}: at x = {}, f(x) = {} and f′(x) = {}; its slope never exceeds {}",
            name(a),
            fmt(x.get()),
            fmt(value(a, x.get())),
            fmt(derivative(a, x.get())),
            fmt(peak_derivative(a))
        )
    });
    view! {
        <fieldset class="inline-choice activation-choice">
            <legend>"Activation"</legend>
            {GALLERY.iter().enumerate().map(|(i, a)| view! {
                <label><input type="radio" name="gallery-activation" prop:checked=move || chosen.get() == i on:change=move |_| chosen.set(i) />" " {name(*a)}</label>
            }).collect_view()}
        </fieldset>
        <label class="slider">
            "x: " <output>{move || format!("{:.2}", x.get())}</output>
            <input type="range" min="-6" max="6" step="0.05" prop:value=move || x.get().to_string()
                on:input=move |ev| { if let Ok(v) = event_target_value(&ev).parse() { x.set(v) } } />
        </label>
        <dl class="metrics">
            <div><dt>"f(x)"</dt><dd class="f-value">{move || fmt(value(act(), x.get()))}</dd></div>
            <div><dt>"f′(x)"</dt><dd class="df-value">{move || fmt(derivative(act(), x.get()))}</dd></div>
            <div><dt>"Largest slope"</dt><dd class="peak-value">{move || fmt(peak_derivative(act()))}</dd></div>
            <div><dt>"Largest slope¹² (12 layers)"</dt><dd class="peak12-value">{move || fmt(peak_derivative(act()).powi(12))}</dd></div>
        </dl>
        <Plot chart=chart label="The activation and its derivative" summary=summary />
    }
}
