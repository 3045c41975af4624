//! "When does the GPU pay off?": the same 2-w-w-1 network at growing width and batch, each
//! size timed on the CPU and the GPU of the learner's own machine, with the crossing marked.
//! Every number shown was measured here; nothing is a fixed fact about GPUs.

use super::{note, PresetPicker};
use crate::plot::{fmt, Chart, Plot, Series};
use crate::run::{Run, RunControls, Timing};
use aesop_course::demo::Demo;
use aesop_train::backend::{crossover, times};
use aesop_train::job::CrossoverSpec;
use aesop_train::Job;
use leptos::prelude::*;

fn sizes(job: &Job) -> Option<CrossoverSpec> {
    match job {
        Job::Crossover(c) => Some(c.clone()),
        _ => None,
    }
}

fn time_of(t: &[Timing], index: usize, gpu: bool) -> Option<&Timing> {
    t.iter().find(|x| x.index == index && x.gpu == gpu)
}

/// What the measurements say, in words: where the lines cross, or that they did not.
fn verdict(spec: &CrossoverSpec, t: &[Timing]) -> String {
    let both: Vec<(usize, f64, f64)> = (0..spec.sizes.len())
        .filter_map(|i| {
            let cpu = time_of(t, i, false)?.ms_per_step?;
            let gpu = time_of(t, i, true)?.ms_per_step?;
            Some((i, cpu, gpu))
        })
        .collect();
    let Some(&(last, cpu, gpu)) = both.last() else {
        return match t.iter().find(|x| x.gpu && x.note.is_some()) {
            Some(x) => format!(
                "{} Only the CPU's times are shown.",
                x.note.clone().unwrap_or_default()
            ),
            None => "Measuring…".into(),
        };
    };
    let points: Vec<(f64, f64, f64)> = both.iter().map(|&(i, c, g)| (spec.work(i), c, g)).collect();
    let [w, b] = spec.sizes[last];
    match crossover(&points) {
        Some(work) => format!(
            "On this machine the GPU overtakes the CPU at about {} multiply-adds a step; at width {w} and batch {b} it is {} faster.",
            fmt(work),
            times(cpu / gpu)
        ),
        None if gpu < cpu => format!(
            "On this machine the GPU was faster at every size measured on both ({} at width {w}, batch {b}).",
            times(cpu / gpu)
        ),
        None => format!(
            "On this machine the CPU was faster at every size measured on both: at width {w} and batch {b} the GPU still took {} as long.",
            times(gpu / cpu)
        ),
    }
}

#[component]
pub fn Crossover(demo: Demo) -> impl IntoView {
    let run = Run::new();
    let chosen = RwSignal::new(0usize);
    let presets = demo.presets.clone();
    let job = Signal::derive(move || presets[chosen.get()].job.clone());
    let spec = move || sizes(&job.get());
    let chart = Signal::derive(move || {
        let t = run.timings.get();
        let Some(spec) = spec() else {
            return Chart::Bars {
                y_label: String::new(),
                bars: vec![],
                log_y: false,
            };
        };
        let line = |gpu: bool, label: &str, color: usize| Series {
            label: label.into(),
            points: (0..spec.sizes.len())
                .filter_map(|i| {
                    let ms = time_of(&t, i, gpu)?.ms_per_step?;
                    Some((spec.work(i).log10(), ms))
                })
                .collect(),
            color,
            dashed: false,
        };
        let both: Vec<(f64, f64, f64)> = (0..spec.sizes.len())
            .filter_map(|i| {
                Some((
                    spec.work(i),
                    time_of(&t, i, false)?.ms_per_step?,
                    time_of(&t, i, true)?.ms_per_step?,
                ))
            })
            .collect();
        let marker = crossover(&both).map(|work| {
            // The marker sits on the CPU line at the crossing (both lines meet there).
            let below = both.iter().rev().find(|p| p.0 <= work).copied();
            let above = both.iter().find(|p| p.0 >= work).copied();
            let ms = match (below, above) {
                (Some(a), Some(b)) if b.0 > a.0 => {
                    let f = (work.ln() - a.0.ln()) / (b.0.ln() - a.0.ln());
                    (a.1.ln() + f * (b.1.ln() - a.1.ln())).exp()
                }
                (Some(a), _) => a.1,
                _ => 0.0,
            };
            (work.log10(), ms)
        });
        Chart::Lines {
            x_label: "log₁₀ multiply-adds per step".into(),
            y_label: "ms per step".into(),
            series: vec![line(false, "CPU", 0), line(true, "GPU", 1)],
            log_y: true,
            marker,
        }
    });
    let summary = Signal::derive(move || match spec() {
        Some(spec) => verdict(&spec, &run.timings.get()),
        None => String::new(),
    });
    let rows = move || {
        let t = run.timings.get();
        let Some(spec) = spec() else {
            return Vec::new();
        };
        let cell = |x: Option<&Timing>| match x {
            Some(Timing {
                ms_per_step: Some(ms),
                ..
            }) => fmt(*ms),
            Some(Timing { note: Some(n), .. }) => n.clone(),
            _ => "–".into(),
        };
        spec.sizes
            .iter()
            .enumerate()
            .map(|(i, [w, b])| {
                view! {
                    <tr>
                        <td>{*w}</td>
                        <td>{*b}</td>
                        <td>{fmt(spec.work(i))}</td>
                        <td class="cpu-ms">{cell(time_of(&t, i, false))}</td>
                        <td class="gpu-ms">{cell(time_of(&t, i, true))}</td>
                    </tr>
                }
            })
            .collect::<Vec<_>>()
    };
    view! {
        <PresetPicker presets=demo.presets.clone() chosen=chosen />
        {note(&demo.presets, chosen, run)}
        <RunControls run=run job=job start_label="Measure" />
        <p class="crossover-verdict" aria-live="polite">{move || summary.get()}</p>
        <Plot chart=chart label="Milliseconds per training step against the work in a step, CPU and GPU, log scales" summary=summary />
        <div class="table-scroll">
            <table class="crossover-table">
                <caption>"Milliseconds per training step, measured on this machine"</caption>
                <thead><tr><th scope="col">"Width"</th><th scope="col">"Batch"</th><th scope="col">"Multiply-adds"</th><th scope="col">"CPU"</th><th scope="col">"GPU"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
