//! Compare: every finished run stays on the plot, one line per preset, so runs that differ
//! in one setting (activation, learning rate, schedule, batch size) can be read side by side.

use super::{epoch_series, note, PresetPicker};
use crate::demo::predict::predict_for;
use crate::plot::{fmt, Chart, Plot, Series};
use crate::run::{Run, RunControls};
use aesop_course::demo::{CompareMetric, Demo};
use aesop_train::schedule::lr_at;
use aesop_train::{Job, Metrics};
use leptos::prelude::*;

fn metric_series(
    metric: CompareMetric,
    label: &str,
    color: usize,
    h: &[Metrics],
    dashed: bool,
) -> Series {
    let mut s = match metric {
        CompareMetric::TrainLoss => epoch_series(h, label, color, |m| Some(m.train_loss)),
        CompareMetric::ValLoss => epoch_series(h, label, color, |m| m.val_loss),
        CompareMetric::DeadFraction => {
            epoch_series(h, label, color, |m| m.dead_fraction.map(|d| d * 100.0))
        }
        CompareMetric::LayerGradients => Series {
            label: label.into(),
            points: h
                .iter()
                .rev()
                .find(|m| m.step > 0)
                .map(|m| {
                    m.grad_mean_abs
                        .iter()
                        .enumerate()
                        .map(|(i, g)| ((i + 1) as f64, *g as f64))
                        .collect()
                })
                .unwrap_or_default(),
            color,
            dashed: false,
        },
    };
    s.dashed = dashed;
    s
}

fn axis(metric: CompareMetric) -> (&'static str, &'static str, bool) {
    match metric {
        CompareMetric::TrainLoss => ("epoch", "training loss", false),
        CompareMetric::ValLoss => ("epoch", "validation loss", false),
        CompareMetric::DeadFraction => ("epoch", "dead units (%)", false),
        CompareMetric::LayerGradients => ("layer (1 = input side)", "mean |gradient|", true),
    }
}

#[component]
pub fn Compare(demo: Demo) -> impl IntoView {
    let run = Run::new();
    // A reload shows the comparison as it was, with the last run's preset chosen (not after
    // a shared link, which opens on its own run).
    let chosen = RwSignal::new(run.restore(&demo.presets));
    let from_link = demo.presets.first().is_some_and(|p| p.name == "shared");
    let presets = demo.presets.clone();
    // The skip-connections box (demos with `residual_toggle`): it starts as the chosen preset
    // has it, and rebuilds that preset's network with or without residual blocks.
    let toggle = demo.residual_toggle;
    let skip = RwSignal::new(false);
    let presets2 = demo.presets.clone();
    Effect::new(move |_| {
        let j = &presets2[chosen.get()].job;
        skip.set(matches!(j, Job::Train(s) if s.model.residual));
    });
    let job = Signal::derive(move || {
        let mut j = presets[chosen.get()].job.clone();
        if let (true, Job::Train(s)) = (toggle, &mut j) {
            s.model.residual = skip.get();
        }
        j
    });
    let labels = StoredValue::new(
        demo.presets
            .iter()
            .map(|p| p.label.clone())
            .collect::<Vec<String>>(),
    );
    let metric = demo.metric;
    // Finished runs as (label, colour, reports), in the order they finished; a rerun of the
    // same setup replaces its line.
    let finished = RwSignal::new(
        (!from_link)
            .then(|| run.load_kept::<Vec<(String, usize, Vec<Metrics>)>>("compared"))
            .flatten()
            .unwrap_or_default(),
    );
    Effect::new(move |first: Option<()>| {
        let runs = finished.get();
        if first.is_some() {
            run.save_kept("compared", &runs);
        }
    });
    // Which setup the current run is: its job says, whatever button started it. A preset's
    // own job is named by its label; with the box flipped, the label says so.
    let jobs = StoredValue::new(
        demo.presets
            .iter()
            .map(|p| p.job.clone())
            .collect::<Vec<Job>>(),
    );
    let label_of = move |i: usize| labels.with_value(|l| l[i].clone());
    let running = move || -> (String, usize) {
        let Some(j) = run.last_job() else {
            let i = chosen.get_untracked();
            return (label_of(i), i);
        };
        jobs.with_value(|jobs| {
            if let Some(i) = jobs.iter().position(|p| *p == j) {
                return (label_of(i), i);
            }
            let flipped = |p: &Job| match (p, &j) {
                (Job::Train(a), Job::Train(b)) => {
                    let mut a = a.clone();
                    a.model.residual = b.model.residual;
                    a == *b
                }
                _ => false,
            };
            let i = jobs
                .iter()
                .position(flipped)
                .unwrap_or_else(|| chosen.get_untracked());
            let residual = matches!(&j, Job::Train(s) if s.model.residual);
            let how = if residual {
                "with skip connections"
            } else {
                "without skip connections"
            };
            (format!("{}, {how}", label_of(i)), i)
        })
    };
    run.on_finish(move || {
        let h = run.history.get_untracked();
        let (label, color) = running();
        finished.update(|f| {
            f.retain(|(l, _, _)| *l != label);
            f.push((label, color, h));
        });
    });
    // The prediction is kept per setup: the preset's name, marked when the box is flipped.
    let names: Vec<String> = demo.presets.iter().map(|p| p.name.clone()).collect();
    let presets3 = demo.presets.clone();
    let setup = Signal::derive(move || {
        let i = chosen.get();
        let preset_skip = matches!(&presets3[i].job, Job::Train(s) if s.model.residual);
        match (toggle && skip.get() != preset_skip, skip.get()) {
            (true, true) => format!("{}+skip", names[i]),
            (true, false) => format!("{}-skip", names[i]),
            _ => names[i].clone(),
        }
    });
    let (question, ready) = predict_for(&demo, run, setup);
    let log_metric = demo.log_y;
    let chart = Signal::derive(move || {
        let (x_label, y_label, log_y) = axis(metric);
        let log_y = log_y || log_metric;
        let mut series: Vec<Series> = finished
            .get()
            .iter()
            .map(|(label, color, h)| metric_series(metric, label, *color, h, false))
            .collect();
        if run.busy() {
            let (label, color) = running();
            series.push(metric_series(
                metric,
                &format!("{label} (running)"),
                color,
                &run.history.get(),
                true,
            ));
        }
        Chart::Lines {
            x_label: x_label.into(),
            y_label: y_label.into(),
            series,
            log_y,
            marker: None,
        }
    });
    let summary = Signal::derive(move || {
        let f = finished.get();
        if f.is_empty() {
            return "No finished runs yet: pick a preset and train it; each finished run stays on the plot.".to_string();
        }
        f.iter()
            .map(|(label, _, h)| {
                let last = h.iter().rev().find(|m| m.step > 0);
                let what = match (metric, last) {
                    (_, None) => "no epoch finished".to_string(),
                    (CompareMetric::TrainLoss, Some(m)) => {
                        format!("final training loss {}", fmt(m.train_loss as f64))
                    }
                    (CompareMetric::ValLoss, Some(m)) => format!(
                        "final validation loss {}",
                        m.val_loss.map(|v| fmt(v as f64)).unwrap_or_default()
                    ),
                    (CompareMetric::DeadFraction, Some(m)) => format!(
                        "{:.0}% dead units at the end",
                        m.dead_fraction.unwrap_or(0.0) * 100.0
                    ),
                    (CompareMetric::LayerGradients, Some(m)) => {
                        let (first, last) = (
                            m.grad_mean_abs.first().copied().unwrap_or(0.0),
                            m.grad_mean_abs.last().copied().unwrap_or(0.0),
                        );
                        format!(
                            "first layer {}, last layer {}",
                            fmt(first as f64),
                            fmt(last as f64)
                        )
                    }
                };
                format!("{label}: {what}")
            })
            .collect::<Vec<_>>()
            .join("; ")
    });
    let presets_for_schedule = demo.presets.clone();
    let schedule = demo.show_schedule.then(move || {
        let series: Vec<Series> = presets_for_schedule
            .iter()
            .enumerate()
            .filter_map(|(i, p)| match &p.job {
                Job::Train(s) => {
                    let total = s.total_steps();
                    let every = (total / 300).max(1);
                    Some(Series { label: p.label.clone(), points: (0..total).step_by(every).map(|t| (t as f64, lr_at(&s.schedule, s.optimizer.lr(), t, total))).collect(), color: i, dashed: false })
                }
                _ => None,
            })
            .collect();
        let text = series.iter().map(|s| format!("{}: from {} to {}", s.label, fmt(s.points.first().map_or(0.0, |p| p.1)), fmt(s.points.last().map_or(0.0, |p| p.1)))).collect::<Vec<_>>().join("; ");
        let chart = Chart::Lines { x_label: "step".into(), y_label: "learning rate".into(), series, log_y: false, marker: None };
        view! { <Plot chart=Signal::derive(move || chart.clone()) label="Each schedule's learning rate by step" summary=Signal::derive(move || text.clone()) /> }
    });
    let label = match metric {
        CompareMetric::LayerGradients => {
            "Each finished run's mean absolute gradient by layer, log scale"
        }
        CompareMetric::DeadFraction => {
            "Share of dead hidden units by epoch, one line per finished run"
        }
        CompareMetric::ValLoss => "Validation loss by epoch, one line per finished run",
        CompareMetric::TrainLoss => "Training loss by epoch, one line per finished run",
    };
    view! {
        <PresetPicker presets=demo.presets.clone() chosen=chosen />
        {note(&demo.presets, chosen, run)}
        {question}
        {schedule}
        {toggle.then(|| view! {
            <label class="residual-toggle">
                <input type="checkbox" prop:checked=move || skip.get() on:change=move |ev| skip.set(event_target_checked(&ev)) disabled=move || run.busy() />
                " Skip connections: build the hidden layers as residual blocks, h + W·f(h) + b"
            </label>
        })}
        <RunControls run=run job=job ready=ready />
        <Plot chart=chart label=label summary=summary />
        <button type="button" class="button link-button" on:click=move |_| finished.set(Vec::new()) disabled=move || finished.get().is_empty()>"Clear the finished runs"</button>
    }
}
