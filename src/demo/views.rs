//! Lesson 1's demo views. Each is a preset file (what to run) plus this view (how to show it).

use super::plot::{fmt, Chart, Plot, Series};
use super::run::{Run, RunControls};
use aesop_course::demo::{DemoPreset, NamedJob};
use aesop_train::losses::{cross_entropy, squared_error};
use aesop_train::surface::Surface;
use aesop_train::{Job, Metrics};
use leptos::prelude::*;

/// Buttons that pick one of the demo's presets.
#[component]
fn PresetPicker(presets: Vec<NamedJob>, chosen: RwSignal<usize>) -> impl IntoView {
    view! {
        <div class="preset-picker" role="group" aria-label="Presets">
            {presets.into_iter().enumerate().map(|(i, p)| view! {
                <button type="button" class="button preset" aria-pressed=move || (chosen.get() == i).to_string() on:click=move |_| chosen.set(i)>{p.label}</button>
            }).collect_view()}
        </div>
    }
}

fn note(presets: &[NamedJob], chosen: RwSignal<usize>) -> impl IntoView + use<> {
    let notes: Vec<String> = presets.iter().map(|p| p.note.clone()).collect();
    move || notes.get(chosen.get()).filter(|n| !n.is_empty()).map(|n| view! { <p class="preset-note">{n.clone()}</p> })
}

#[component]
pub fn LossExplorer() -> impl IntoView {
    let label = RwSignal::new(1u8);
    let p = RwSignal::new(0.3f64);
    let curve = move |f: fn(u8, f64) -> f64| (1..=99).map(|i| i as f64 / 100.0).map(|x| (x, f(label.get(), x))).collect::<Vec<_>>();
    let chart = Signal::derive(move || Chart::Lines {
        x_label: "predicted probability of class 1".into(),
        y_label: "loss".into(),
        series: vec![
            Series { label: "cross-entropy".into(), points: curve(cross_entropy), color: 0, dashed: false },
            Series { label: "squared error (MSE)".into(), points: curve(squared_error), color: 1, dashed: false },
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

/// One metric by epoch, as a line: the curves and the imbalance demo both plot these.
fn epoch_series(history: &[Metrics], label: &str, color: usize, f: impl Fn(&Metrics) -> Option<f32>) -> Series {
    Series { label: label.into(), points: history.iter().filter_map(|m| f(m).map(|v| (m.epoch as f64, v as f64))).collect(), color, dashed: false }
}

fn loss_chart(history: &[Metrics], log_y: bool) -> Chart {
    Chart::Lines {
        x_label: "epoch".into(),
        y_label: "loss".into(),
        series: vec![epoch_series(history, "training loss", 0, |m| Some(m.train_loss)), epoch_series(history, "validation loss", 1, |m| m.val_loss)],
        log_y,
        marker: None,
    }
}

/// Read the curve: presets for the four patterns, and controls to make them yourself.
#[component]
pub fn Curves(demo: DemoPreset) -> impl IntoView {
    let run = Run::new();
    let chosen = RwSignal::new(0usize);
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
    let base2 = base.clone();
    Effect::new(move |_| {
        if let Some(s) = base2() {
            lr.set(s.optimizer.lr());
            width.set(s.model.hidden.first().map_or(16, |l| l.width));
            epochs.set(s.epochs);
            noise.set(s.dataset.noise);
        }
    });
    let job = Signal::derive(move || {
        let mut s = base().expect("validated: curves presets are training runs");
        s.optimizer = match s.optimizer {
            aesop_train::spec::OptimizerSpec::Sgd { .. } => aesop_train::spec::OptimizerSpec::Sgd { lr: lr.get() },
            aesop_train::spec::OptimizerSpec::Momentum { momentum, .. } => aesop_train::spec::OptimizerSpec::Momentum { lr: lr.get(), momentum },
            aesop_train::spec::OptimizerSpec::Adam { beta1, beta2, .. } => aesop_train::spec::OptimizerSpec::Adam { lr: lr.get(), beta1, beta2 },
            aesop_train::spec::OptimizerSpec::AdamW { beta1, beta2, weight_decay, .. } => aesop_train::spec::OptimizerSpec::AdamW { lr: lr.get(), beta1, beta2, weight_decay },
        };
        for l in &mut s.model.hidden {
            l.width = width.get();
        }
        s.epochs = epochs.get().clamp(1, 1000);
        s.dataset.noise = noise.get().clamp(0.0, 2.0);
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
            train.x.iter().zip(&train.y).map(|(p, &c)| (p[0] as f64, p[1] as f64, c)).collect::<Vec<_>>()
        }
        _ => Vec::new(),
    });
    let regions = Signal::derive(move || {
        let dots = points.get();
        match run.field.get() {
            Some((x, y, n, values)) => Chart::Field { x: [x[0] as f64, x[1] as f64], y: [y[0] as f64, y[1] as f64], values: values.iter().map(|&v| v as f64).collect(), n, path: Vec::new(), dots },
            None => {
                let pts: Vec<[f32; 2]> = dots.iter().map(|d| [d.0 as f32, d.1 as f32]).collect();
                let (x, y) = aesop_train::protocol::data_bounds(&pts);
                Chart::Field { x: [x[0] as f64, x[1] as f64], y: [y[0] as f64, y[1] as f64], values: vec![0.5; 4], n: 2, path: Vec::new(), dots }
            }
        }
    });
    let regions_summary = Signal::derive(move || match run.history.get().last().and_then(|m| m.train_accuracy) {
        Some(a) => format!("{} training points; the model classifies {:.0}% of them correctly", points.get().len(), a * 100.0),
        None => format!("{} training points; train to see the regions the model draws", points.get().len()),
    });
    let grads = Signal::derive(move || Chart::Bars {
        y_label: "mean |gradient|".into(),
        bars: run.history.get().last().map(|m| m.grad_mean_abs.iter().enumerate().map(|(i, g)| (format!("layer {}", i + 1), *g as f64)).collect()).unwrap_or_default(),
        log_y: true,
    });
    let grads_summary = Signal::derive(move || match run.history.get().last() {
        Some(m) if !m.grad_mean_abs.is_empty() => m.grad_mean_abs.iter().enumerate().map(|(i, g)| format!("layer {}: {}", i + 1, fmt(*g as f64))).collect::<Vec<_>>().join(", "),
        _ => "Gradients appear once training starts.".into(),
    });
    let number = |label: &'static str, class: &'static str, sig: RwSignal<f64>, step: &'static str| view! {
        <label class=class>{label}<input type="number" min="0.00001" max="50" step=step prop:value=move || sig.get().to_string()
            on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse::<f64>() { if v > 0.0 { sig.set(v) } } } /></label>
    };
    view! {
        <PresetPicker presets=demo.presets.clone() chosen=chosen />
        {note(&demo.presets, chosen)}
        <div class="demo-controls">
            {number("Learning rate ", "control-lr", lr, "any")}
            <label>"Hidden width "
                <select on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse() { width.set(v) } }>
                    {[4usize, 16, 64, 128].into_iter().map(|w| view! { <option value=w.to_string() selected=move || width.get() == w>{w}</option> }).collect_view()}
                </select>
            </label>
            <label>"Epochs "<input type="number" min="1" max="1000" prop:value=move || epochs.get().to_string() on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse() { epochs.set(v) } } /></label>
            <label>"Noise "<input type="number" min="0" max="2" step="0.05" prop:value=move || noise.get().to_string() on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse() { noise.set(v) } } /></label>
            <label class="inline-check"><input type="checkbox" prop:checked=move || log_y.get() on:change=move |ev| log_y.set(event_target_checked(&ev)) />" Log scale"</label>
        </div>
        <RunControls run=run job=job />
        <Plot chart=chart label="Training and validation loss by epoch" summary=summary />
        <Plot chart=regions label="Decision regions: the model's probability of class 1 over the plane, with the training points" summary=regions_summary />
        <Plot chart=grads label="Mean absolute gradient of each layer's weights, latest epoch" summary=grads_summary />
    }
}

/// The imbalance trap: accuracy, recall and the confusion matrix side by side.
#[component]
pub fn Imbalance(demo: DemoPreset) -> impl IntoView {
    let run = Run::new();
    let chosen = RwSignal::new(0usize);
    let presets = demo.presets.clone();
    let job = Signal::derive(move || presets[chosen.get()].job.clone());
    let last = move || run.history.get().last().cloned();
    let pct = |v: Option<f32>| v.map(|v| format!("{:.1}%", v * 100.0)).unwrap_or_else(|| "–".into());
    let chart = Signal::derive(move || {
        let h = run.history.get();
        Chart::Lines {
            x_label: "epoch".into(),
            y_label: "validation score".into(),
            series: vec![epoch_series(&h, "accuracy", 0, |m| m.val_accuracy), epoch_series(&h, "recall (positives caught)", 1, |m| m.val_recall)],
            log_y: false,
            marker: None,
        }
    });
    let summary = Signal::derive(move || match run.history.get().last() {
        None => "No run yet: press Train.".into(),
        Some(m) => format!("Epoch {}: accuracy {}, recall {}", m.epoch, pct(m.val_accuracy), pct(m.val_recall)),
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

/// The loss landscape: click to choose where descent starts; the path is drawn as it runs.
#[component]
pub fn Landscape(demo: DemoPreset) -> impl IntoView {
    let run = Run::new();
    let chosen = RwSignal::new(0usize);
    let presets = demo.presets.clone();
    let start = RwSignal::new(None::<[f64; 2]>);
    let job = Signal::derive(move || {
        let mut job = presets[chosen.get()].job.clone();
        if let (Job::Descend(d), Some(s)) = (&mut job, start.get()) {
            d.start = s;
        }
        job
    });
    let surface = move || match job.get() {
        Job::Descend(d) => d.surface,
        _ => Surface::TwoValleys,
    };
    const N: usize = 60;
    let chart = Signal::derive(move || {
        let s = surface();
        let (x, y) = s.bounds();
        let values = (0..N * N)
            .map(|i| {
                let (r, c) = (i / N, i % N);
                s.value(x[0] + (c as f64 + 0.5) * (x[1] - x[0]) / N as f64, y[1] - (r as f64 + 0.5) * (y[1] - y[0]) / N as f64)
            })
            .collect();
        let path = run.path.get().iter().map(|p| (p[0], p[1])).collect();
        Chart::Field { x, y, values, n: N, path, dots: Vec::new() }
    });
    let summary = Signal::derive(move || match run.path.get().last() {
        None => "No descent yet: click the map or press Descend.".into(),
        Some(p) => format!("Step {}: at ({}, {}), loss {}", run.path.get().len() - 1, fmt(p[0]), fmt(p[1]), fmt(p[2])),
    });
    let on_click = Callback::new(move |(x, y): (f64, f64)| {
        start.set(Some([x, y]));
        run.start(job.get_untracked());
    });
    view! {
        <PresetPicker presets=demo.presets.clone() chosen=chosen />
        {note(&demo.presets, chosen)}
        <RunControls run=run job=job start_label="Descend" />
        <Plot chart=chart label="Loss landscape with the descent path" summary=summary on_click=on_click />
    }
}
