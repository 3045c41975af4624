//! The loss landscape: click to choose where descent starts; the path is drawn as it runs.

use super::{note, surface_field, PresetPicker};
use crate::plot::{fmt, Plot, Series};
use crate::run::{Run, RunControls};
use aesop_course::demo::Demo;
use aesop_train::surface::Surface;
use aesop_train::Job;
use leptos::prelude::*;

#[component]
pub fn Landscape(demo: Demo) -> impl IntoView {
    let run = Run::new();
    // A reload shows the demo's last run again, with its preset chosen.
    let chosen = RwSignal::new(run.restore(&demo.presets));
    let presets = demo.presets.clone();
    // Where a click put the start; picking a preset goes back to the preset's own start.
    let start = RwSignal::new(None::<[f64; 2]>);
    Effect::new(move |prev: Option<()>| {
        chosen.track();
        if prev.is_some() {
            start.set(None);
        }
    });
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
    let chart = Signal::derive(move || {
        let path = run.path.get().iter().map(|p| (p[0], p[1])).collect();
        surface_field(
            surface(),
            vec![Series {
                label: "descent".into(),
                points: path,
                color: 1,
                dashed: false,
            }],
        )
    });
    let summary = Signal::derive(move || match run.path.get().last() {
        None => "No descent yet: click the map or press Descend.".into(),
        Some(p) => format!(
            "Step {}: at ({}, {}), loss {}",
            run.path.get().len() - 1,
            fmt(p[0]),
            fmt(p[1]),
            fmt(p[2])
        ),
    });
    let on_click = Callback::new(move |(x, y): (f64, f64)| {
        start.set(Some([x, y]));
        run.start(job.get_untracked());
    });
    view! {
        <PresetPicker presets=demo.presets.clone() chosen=chosen />
        {note(&demo.presets, chosen, run)}
        <RunControls run=run job=job start_label="Descend" />
        <Plot chart=chart label="Loss landscape with the descent path" summary=summary on_click=on_click />
    }
}
