//! Read the curve (and too high a learning rate): loss curves, decision regions and per-layer
//! gradients, with controls to make each pattern appear.

use super::{layer_gradients, loss_chart, note, PresetPicker};
use crate::demo::predict::predict_first;
use crate::plot::{fmt, Chart, Plot};
use crate::run::{Run, RunControls};
use aesop_course::demo::Demo;
use aesop_train::Job;
use leptos::prelude::*;

#[component]
pub fn Curves(demo: Demo) -> impl IntoView {
    let run = Run::new();
    run.set_wants(aesop_train::Wants {
        regions: 40,
        ..Default::default()
    });
    // A reload shows the demo's last run again, with its preset chosen.
    let chosen = RwSignal::new(run.restore(&demo.presets));
    let presets = demo.presets.clone();
    let base = move || match presets.get(chosen.get()).map(|p| p.job.clone()) {
        Some(Job::Train(spec)) => Some(spec),
        _ => None,
    };
    // Learner's overrides, reset whenever a preset is picked.
    let lr = RwSignal::new(0.0f64);
    let width = RwSignal::new(0usize);
    let epochs = RwSignal::new(0usize);
    let noise = RwSignal::new(0.0f32);
    let clip = RwSignal::new(None::<f32>);
    let base2 = base.clone();
    Effect::new(move |_| {
        if let Some(s) = base2() {
            lr.set(s.optimizer.lr());
            width.set(s.model.hidden.first().map_or(16, |l| l.width));
            epochs.set(s.epochs);
            noise.set(s.dataset.noise);
            clip.set(s.clip_grad_norm);
        }
    });
    let job = Signal::derive(move || {
        let mut s = base().expect("validated: curves presets are training runs");
        s.optimizer = s.optimizer.with_lr(lr.get());
        for l in &mut s.model.hidden {
            l.width = width.get();
        }
        s.epochs = epochs.get().clamp(1, 1000);
        s.dataset.noise = noise.get().clamp(0.0, 2.0);
        s.clip_grad_norm = clip.get().filter(|c| *c > 0.0);
        Job::Train(s)
    });
    let log_y = RwSignal::new(false);
    let chart = Signal::derive(move || loss_chart(&run.history.get(), log_y.get()));
    let summary = Signal::derive(move || match run.history.get().last() {
        None => "No run yet: press Train.".to_string(),
        Some(m) => format!(
            "Epoch {} of {}: training loss {}, validation loss {}",
            m.epoch,
            epochs.get(),
            fmt(m.train_loss as f64),
            m.val_loss.map(|v| fmt(v as f64)).unwrap_or_default()
        ),
    });
    // The training points are regenerated here from the spec (same seed, same points as the
    // worker's), so only the grid of predictions crosses from the worker.
    let points = Memo::new(move |_| match job.get() {
        Job::Train(s) => {
            let (train, _) = aesop_train::data::generate(&s.dataset);
            train
                .x
                .iter()
                .zip(&train.y)
                .map(|(p, &c)| (p[0] as f64, p[1] as f64, c))
                .collect::<Vec<_>>()
        }
        _ => Vec::new(),
    });
    let regions = Signal::derive(move || {
        let dots = points.get();
        match run.field.get() {
            Some((x, y, n, values)) => Chart::Field {
                x: [x[0] as f64, x[1] as f64],
                y: [y[0] as f64, y[1] as f64],
                values: values.iter().map(|&v| v as f64).collect(),
                n,
                paths: Vec::new(),
                dots,
            },
            None => {
                let pts: Vec<[f32; 2]> = dots.iter().map(|d| [d.0 as f32, d.1 as f32]).collect();
                let (x, y) = aesop_train::data::data_bounds(&pts);
                Chart::Field {
                    x: [x[0] as f64, x[1] as f64],
                    y: [y[0] as f64, y[1] as f64],
                    values: vec![0.5; 4],
                    n: 2,
                    paths: Vec::new(),
                    dots,
                }
            }
        }
    });
    let regions_summary = Signal::derive(
        // The accuracy measured with the regions on screen (not every report has one).
        move || match run
            .history
            .with(|h| h.iter().rev().find_map(|m| m.train_accuracy))
        {
            Some(a) => format!(
                "{} training points; the model classifies {:.0}% of them correctly",
                points.get().len(),
                a * 100.0
            ),
            None => format!(
                "{} training points; train to see the regions the model draws",
                points.get().len()
            ),
        },
    );
    let grads = Signal::derive(move || Chart::Bars {
        y_label: "mean |gradient|".into(),
        bars: run
            .history
            .get()
            .last()
            .map(|m| {
                m.grad_mean_abs
                    .iter()
                    .enumerate()
                    .map(|(i, g)| ((i + 1).to_string(), *g as f64))
                    .collect()
            })
            .unwrap_or_default(),
        log_y: true,
    });
    let grads_summary = Signal::derive(move || match run.history.get().last() {
        Some(m) if !m.grad_mean_abs.is_empty() => layer_gradients(&m.grad_mean_abs),
        _ => "Gradients appear once training starts.".into(),
    });
    let number = |label: &'static str,
                  class: &'static str,
                  sig: RwSignal<f64>,
                  step: &'static str| {
        view! {
            <label class=class>{label}<input type="number" min="0.00001" max="50" step=step prop:value=move || sig.get().to_string()
                on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse::<f64>() { if v > 0.0 { sig.set(v) } } } /></label>
        }
    };
    let (question, ready) = predict_first(&demo, run, chosen);
    view! {
        <PresetPicker presets=demo.presets.clone() chosen=chosen />
        {note(&demo.presets, chosen, run)}
        {question}
        <div class="demo-controls">
            {number("Learning rate ", "control-lr", lr, "any")}
            <label>"Hidden width "
                <select on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse() { width.set(v) } }>
                    {[4usize, 16, 64, 128].into_iter().map(|w| view! { <option value=w.to_string() selected=move || width.get() == w>{w}</option> }).collect_view()}
                </select>
            </label>
            <label>"Epochs "<input type="number" min="1" max="1000" prop:value=move || epochs.get().to_string() on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse() { epochs.set(v) } } /></label>
            <label>"Noise "<input type="number" min="0" max="2" step="0.05" prop:value=move || noise.get().to_string() on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse() { noise.set(v) } } /></label>
            <label class="inline-check"><input type="checkbox" class="control-clip" prop:checked=move || clip.get().is_some() on:change=move |ev| clip.set(event_target_checked(&ev).then_some(1.0)) />" Clip gradients"</label>
            {move || clip.get().map(|c| view! {
                <label>"Max gradient norm "<input type="number" class="control-clip-norm" min="0.001" max="100" step="any" prop:value=c.to_string()
                    on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse::<f32>() { if v > 0.0 { clip.set(Some(v)) } } } /></label>
            })}
            <label class="inline-check"><input type="checkbox" prop:checked=move || log_y.get() on:change=move |ev| log_y.set(event_target_checked(&ev)) />" Log scale"</label>
        </div>
        <RunControls run=run job=job ready=ready />
        <Plot chart=chart label="Training and validation loss by epoch" summary=summary />
        <Plot chart=regions label="Decision regions: the model's probability of class 1 over the plane, with the training points" summary=regions_summary />
        <p class="class-legend">
            <span class="swatch class-0" aria-hidden="true"></span>" class 0 "
            <span class="swatch class-1" aria-hidden="true"></span>" class 1 · the background's tint is the class the model predicts there, paler where it is less sure"
        </p>
        <Plot chart=grads label="Mean absolute gradient of each layer's weights, latest epoch" summary=grads_summary />
    }
}
