//! Predict, then run: the learner commits to an answer before Train, and once the run ends
//! its own evidence (read by `aesop_train::predict`) says whether the two agree. Each outcome
//! is kept with the learner's progress.

use crate::run::Run;
use aesop_course::demo::Demo;
use aesop_train::predict::{Evidence, PredictSpec};
use aesop_train::Job;
use leptos::prelude::*;

/// The demo's question, when its file asks one, and whether Train may start: a demo that
/// asks waits for the learner's pick. `chosen` is the preset picker's index (the record is
/// kept per preset).
pub fn predict_first(
    demo: &Demo,
    run: Run,
    chosen: RwSignal<usize>,
) -> (Option<AnyView>, Signal<bool>) {
    let names: Vec<String> = demo.presets.iter().map(|p| p.name.clone()).collect();
    let setup = Signal::derive(move || names.get(chosen.get()).cloned().unwrap_or_default());
    predict_for(demo, run, setup)
}

/// As `predict_first`, for a view whose setup is more than its preset: `setup` names it (the
/// record is kept under that name, and a new setup asks again).
pub fn predict_for(
    demo: &Demo,
    run: Run,
    setup: Signal<String>,
) -> (Option<AnyView>, Signal<bool>) {
    let choice = RwSignal::new(None::<usize>);
    let asked = demo.predict.is_some();
    let ready = Signal::derive(move || !asked || choice.get().is_some());
    let preset = setup;
    let question = demo.predict.clone().map(|spec| {
        view! { <PredictBox spec=spec run=run choice=choice preset=preset /> }.into_any()
    });
    (question, ready)
}

/// What the finished run showed: the options its evidence supports (several only when
/// racers tie for first).
fn observed(spec: &PredictSpec, run: Run) -> Vec<usize> {
    let job = run.last_job();
    let race = match &job {
        Some(Job::Race(r)) => Some(r),
        _ => None,
    };
    let alarm = matches!(run.status.get_untracked(), crate::run::Status::Alarm(_));
    run.history.with_untracked(|history| {
        run.paths.with_untracked(|paths| {
            spec.rule.outcomes(&Evidence {
                history,
                alarm,
                paths,
                race,
            })
        })
    })
}

#[component]
fn PredictBox(
    spec: PredictSpec,
    run: Run,
    choice: RwSignal<Option<usize>>,
    preset: Signal<String>,
) -> impl IntoView {
    // A new setup asks for a new prediction.
    Effect::new(move |prev: Option<()>| {
        preset.track();
        if prev.is_some() {
            choice.set(None);
        }
    });
    // Radio groups need a page-unique name; several demos on a page ask questions.
    static GROUPS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let group = format!(
        "predict-{}",
        GROUPS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let result = RwSignal::new(None::<(Option<usize>, Vec<usize>)>);
    // A new run clears the last verdict.
    Effect::new(move |_| {
        if run.busy() {
            result.set(None);
        }
    });
    // Settle and record each finished run.
    let spec2 = spec.clone();
    run.on_finish(move || {
        let seen = observed(&spec2, run);
        let picked = choice.get_untracked();
        let label = |i: Option<usize>| i.and_then(|i| spec2.options.get(i).cloned());
        run.record_prediction(
            &preset.get_untracked(),
            aesop_progress::Prediction {
                question: spec2.question.clone(),
                predicted: label(picked),
                observed: (!seen.is_empty()).then(|| names(&spec2.options, &seen)),
            },
        );
        result.set(Some((picked, seen)));
    });
    let options = spec.options.clone();
    let options2 = spec.options.clone();
    view! {
        <fieldset class="predict" disabled=move || run.busy()>
            <legend>"Predict first: " {spec.question.clone()}</legend>
            {options.into_iter().enumerate().map(|(i, label)| {
                let group = group.clone();
                view! {
                    <label class="predict-option">
                        <input type="radio" name=group prop:checked=move || choice.get() == Some(i) on:change=move |_| choice.set(Some(i)) />
                        " " {label}
                    </label>
                }
            }).collect_view()}
        </fieldset>
        <div class="predict-result" role="status" aria-live="polite">
            {move || result.get().map(|(picked, seen)| {
                let name = |i: usize| options2.get(i).cloned().unwrap_or_default();
                let shown = names(&options2, &seen);
                let (verdict, class) = match (picked, seen.is_empty()) {
                    (Some(p), false) if seen.contains(&p) && seen.len() > 1 => (format!("You predicted \u{201c}{}\u{201d}, and the run agreed: {shown}.", name(p)), "agreed"),
                    (Some(p), false) if seen.contains(&p) => (format!("You predicted \u{201c}{}\u{201d}, and the run agreed.", name(p)), "agreed"),
                    (Some(p), false) => (format!("You predicted \u{201c}{}\u{201d}; the run showed \u{201c}{shown}\u{201d}. Look at the plots for why.", name(p)), "disagreed"),
                    (Some(p), true) => (format!("You predicted \u{201c}{}\u{201d}; this run did not settle the question.", name(p)), "unsettled"),
                    (None, false) => (format!("No prediction for this run (it came from a link). It showed \u{201c}{shown}\u{201d}."), "unsettled"),
                    (None, true) => ("This run did not settle the question.".to_string(), "unsettled"),
                };
                view! { <p class=format!("predict-verdict {class}")><strong>{if class == "agreed" { "Agreed. " } else if class == "disagreed" { "Not this time. " } else { "" }}</strong>{verdict}</p> }
            })}
        </div>
    }
}

/// The options the run showed, in words: one, or several tied ("Adam and AdamW, tied").
fn names(options: &[String], seen: &[usize]) -> String {
    let all: Vec<&str> = seen
        .iter()
        .filter_map(|&i| options.get(i).map(String::as_str))
        .collect();
    match all.as_slice() {
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}, tied", init.join(", ")),
        [] => String::new(),
    }
}
