//! Optimizer race: several optimizers descend one surface from one start, drawn together on
//! its contours, with each racer's learning rate and β open to change.

use super::{note, surface_field, PresetPicker};
use crate::demo::predict::predict_first;
use crate::plot::{fmt, Plot, Series};
use crate::run::{Run, RunControls};
use aesop_course::demo::Demo;
use aesop_train::{Job, RaceSpec};
use leptos::prelude::*;

#[component]
pub fn Race(demo: Demo) -> impl IntoView {
    let run = Run::new();
    // A reload shows the demo's last run again, with its preset chosen.
    let chosen = RwSignal::new(run.restore(&demo.presets));
    let presets = demo.presets.clone();
    let base = Memo::new(move |_| match &presets[chosen.get()].job {
        Job::Race(r) => r.clone(),
        _ => unreachable!("validated: race presets are races"),
    });
    // The learner's rates and βs, one pair per racer, reset when a preset is picked.
    let tuning = RwSignal::new(Vec::<(f64, f64)>::new());
    Effect::new(move |_| {
        tuning.set(
            base.get()
                .racers
                .iter()
                .map(|r| (r.optimizer.lr(), r.optimizer.beta().unwrap_or(0.0)))
                .collect(),
        )
    });
    let job = Signal::derive(move || {
        let mut race: RaceSpec = base.get();
        let t = tuning.get();
        for (r, (lr, b)) in race.racers.iter_mut().zip(t) {
            r.optimizer = r.optimizer.with_lr(lr).with_beta(b);
        }
        Job::Race(race)
    });
    let (question, ready) = predict_first(&demo, run, chosen);
    let chart = Signal::derive(move || {
        let race = base.get();
        let paths = run.paths.get();
        let series = race
            .racers
            .iter()
            .enumerate()
            .map(|(i, r)| Series {
                label: r.label.clone(),
                points: paths
                    .get(i)
                    .map(|p| p.iter().map(|q| (q[0], q[1])).collect())
                    .unwrap_or_default(),
                color: i,
                dashed: false,
            })
            .collect();
        surface_field(race.surface, series)
    });
    // Steps each racer took to finish, if it has: the finish line is the race's own (near
    // the minimum, or on the saddle a loss of `finish_loss`).
    let arrival = move |i: usize| {
        let race = base.get();
        run.paths
            .with(|p| p.get(i).and_then(|p| race.finish_step(p)))
    };
    let summary = Signal::derive(move || {
        let race = base.get();
        let paths = run.paths.get();
        if paths.is_empty() {
            return "No race yet: press Race.".to_string();
        }
        race.racers
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let last = paths.get(i).and_then(|p| p.last().copied());
                let at = last
                    .map(|l| format!("loss {}", fmt(l[2])))
                    .unwrap_or_default();
                match arrival(i) {
                    Some(s) => format!("{} finished at step {s} ({at})", r.label),
                    None => format!("{} has not finished ({at})", r.label),
                }
            })
            .collect::<Vec<_>>()
            .join("; ")
    });
    let rows = move || {
        let race = base.get();
        race.racers
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let has_beta = r.optimizer.beta().is_some();
                let set = move |lr: Option<f64>, b: Option<f64>| tuning.update(|t| if let Some(x) = t.get_mut(i) { *x = (lr.unwrap_or(x.0), b.unwrap_or(x.1)) });
                let stopped = move || run.stopped.with(|s| s.get(i).cloned().flatten());
                view! {
                    <tr data-racer=r.label.clone()>
                        <th scope="row">{r.label.clone()}</th>
                        <td><input type="number" aria-label=format!("{} learning rate", r.label) min="0.00001" max="10" step="any" prop:value=move || tuning.get().get(i).map(|t| t.0.to_string()).unwrap_or_default()
                            on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse::<f64>() { if v > 0.0 { set(Some(v), None) } } } /></td>
                        <td>{has_beta.then(|| view! {
                            <input type="range" aria-label=format!("{} beta", r.label) min="0" max="0.99" step="0.01" prop:value=move || tuning.get().get(i).map(|t| t.1.to_string()).unwrap_or_default()
                                on:input=move |ev| { if let Ok(v) = event_target_value(&ev).parse::<f64>() { set(None, Some(v)) } } />
                            <output>{move || tuning.get().get(i).map(|t| format!("{:.2}", t.1)).unwrap_or_default()}</output>
                        })}</td>
                        <td class="arrival">{move || match (arrival(i), stopped()) {
                            (Some(s), Some(_)) => format!("step {s}, then left the map"),
                            (None, Some(why)) => format!("left the map: {why}"),
                            (Some(s), None) => format!("step {s}"),
                            (None, None) => "–".to_string(),
                        }}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <PresetPicker presets=demo.presets.clone() chosen=chosen />
        {note(&demo.presets, chosen, run)}
        {question}
        <table class="racers">
            <caption>"Racers"</caption>
            <thead><tr><th scope="col">"Optimizer"</th><th scope="col">"Learning rate"</th><th scope="col">"β (momentum or β₁)"</th><th scope="col">"Finished"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
        <RunControls run=run job=job ready=ready start_label="Race" />
        <Plot chart=chart label="The surface's contours with each optimizer's path" summary=summary />
    }
}
