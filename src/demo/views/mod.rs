//! Demo views. Each demo is a preset file (what to run) and one of these views (how to show
//! it); the helpers here are the pieces several views share.

mod activation_gallery;
mod backprop;
mod compare;
mod crossover;
mod curves;
mod gradient_monitor;
mod imbalance;
mod landscape;
mod loss_explorer;
mod race;

pub use activation_gallery::ActivationGallery;
pub use backprop::Backprop;
pub use compare::Compare;
pub use crossover::Crossover;
pub use curves::Curves;
pub use gradient_monitor::GradientMonitor;
pub use imbalance::Imbalance;
pub use landscape::Landscape;
pub use loss_explorer::{LossExplorer, OutputGradient};
pub use race::Race;

use crate::plot::{Chart, Series};
use crate::run::{Run, Status};
use aesop_course::demo::Preset;
use aesop_train::surface::Surface;
use aesop_train::Metrics;
use leptos::prelude::*;

/// Buttons that pick one of the demo's presets.
#[component]
pub fn PresetPicker(presets: Vec<Preset>, chosen: RwSignal<usize>) -> impl IntoView {
    view! {
        <div class="preset-picker" role="group" aria-label="Presets">
            {presets.into_iter().enumerate().map(|(i, p)| view! {
                <button type="button" class="button preset" aria-pressed=move || (chosen.get() == i).to_string() on:click=move |_| chosen.set(i)>{p.label}</button>
            }).collect_view()}
        </div>
    }
}

/// The chosen preset's note and, once its run has ended, what the run showed. The second
/// part waits for the run so that it never answers a prediction before the learner has made
/// it (and seen the evidence).
pub fn note(presets: &[Preset], chosen: RwSignal<usize>, run: Run) -> impl IntoView + use<> {
    let notes: Vec<(String, String)> = presets
        .iter()
        .map(|p| (p.note.clone(), p.after.clone()))
        .collect();
    // Which preset's run has ended; a new run, or another preset, hides the outcome again.
    let ended = RwSignal::new(None::<usize>);
    Effect::new(move |_| match run.status.get() {
        Status::Done | Status::Alarm(_) => ended.set(Some(chosen.get_untracked())),
        Status::Idle | Status::Starting | Status::Running => ended.set(None),
        _ => {}
    });
    move || {
        let at = chosen.get();
        let (before, after) = notes.get(at).cloned().unwrap_or_default();
        let after = (ended.get() == Some(at) && !after.is_empty()).then_some(after);
        (!before.is_empty() || after.is_some()).then(|| {
            view! {
                <div class="preset-note">
                    {(!before.is_empty()).then(|| view! { <p>{before}</p> })}
                    {after.map(|a| view! { <p class="preset-after"><strong>"What the run showed: "</strong>{a}</p> })}
                </div>
            }
        })
    }
}

/// One metric by epoch, as a line: the curves and the imbalance demo both plot these.
pub fn epoch_series(
    history: &[Metrics],
    label: &str,
    color: usize,
    f: impl Fn(&Metrics) -> Option<f32>,
) -> Series {
    Series {
        label: label.into(),
        points: history
            .iter()
            .filter_map(|m| f(m).map(|v| (m.epoch as f64, v as f64)))
            .collect(),
        color,
        dashed: false,
    }
}

pub fn loss_chart(history: &[Metrics], log_y: bool) -> Chart {
    Chart::Lines {
        x_label: "epoch".into(),
        y_label: "loss".into(),
        series: vec![
            epoch_series(history, "training loss", 0, |m| Some(m.train_loss)),
            epoch_series(history, "validation loss", 1, |m| m.val_loss),
        ],
        log_y,
        marker: None,
    }
}

/// Each layer's mean |gradient| in words: "layer 1: 0.0123, layer 2: …".
pub fn layer_gradients(g: &[f32]) -> String {
    g.iter()
        .enumerate()
        .map(|(i, g)| format!("layer {}: {}", i + 1, crate::plot::fmt(*g as f64)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The surface's values on an n × n grid, row 0 at the top: the contours under a descent.
pub fn surface_field(s: Surface, paths: Vec<Series>) -> Chart {
    const N: usize = 60;
    let (x, y) = s.bounds();
    let values = (0..N * N)
        .map(|i| {
            let (r, c) = (i / N, i % N);
            s.value(
                x[0] + (c as f64 + 0.5) * (x[1] - x[0]) / N as f64,
                y[1] - (r as f64 + 0.5) * (y[1] - y[0]) / N as f64,
            )
        })
        .collect();
    Chart::Field {
        x,
        y,
        values,
        n: N,
        paths,
        dots: Vec::new(),
    }
}
