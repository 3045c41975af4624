//! The playground's run bar (play, pause, step, reset, the epoch counter) and its training
//! settings (learning rate, activation, regularization, batch size, optimizer, loss).

use super::Pg;
use crate::run::{BackendChoice, RunStatus, Status};
use aesop_train::activations;
use aesop_train::playground::{link, Optimizer};
use aesop_train::spec::{Activation, Penalty, Problem};
use leptos::prelude::*;

#[component]
pub fn Bar(pg: Pg) -> impl IntoView {
    let run = pg.run;
    let status = run.status;
    let epoch = move || run.history.with(|h| h.last().map_or(0, |m| m.epoch));
    let can_run = move || pg.spec.with(Result::is_ok);
    let play = move |_| match status.get_untracked() {
        Status::Running | Status::Starting => run.pause(),
        Status::Paused => run.resume(),
        _ => {
            pg.start();
        }
    };
    let step = move |_| match status.get_untracked() {
        Status::Running | Status::Starting | Status::Paused => run.step(),
        _ => {
            if pg.start() {
                run.step();
            }
        }
    };
    view! {
        <div class="pg-bar">
            <div class="run-buttons">
                <button type="button" class="button primary pg-play" on:click=play disabled=move || !can_run() && !run.busy()>
                    {move || match status.get() {
                        Status::Running | Status::Starting => "Pause",
                        Status::Paused => "Resume",
                        Status::Done => "Train again",
                        Status::Crashed(_) => "Retry",
                        _ => "Train",
                    }}
                </button>
                <button type="button" class="button pg-step" on:click=step disabled=move || !can_run()>"Step"</button>
                <button type="button" class="button pg-reset" on:click=move |_| run.reset() disabled=move || status.get() == Status::Idle>"Reset"</button>
                <BackendChoice run=run restart=Callback::new(move |()| { pg.start(); }) />
            </div>
            <p class="pg-epoch">"Epoch "<span class="pg-epoch-value">{epoch}</span>{move || format!(" of {}", pg.settings.with(|s| s.epochs))}</p>
            <RunStatus run=run>
                {move || pg.spec.get().err().map(|why| view! { <p class="pg-invalid">{why}</p> })}
            </RunStatus>
        </div>
    }
}

const RATES: [f64; 11] = [
    0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0,
];
const PENALTY_RATES: [f32; 10] = [0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0];
const BATCHES: [usize; 9] = [1, 2, 5, 10, 16, 25, 32, 64, 128];
const ACTIVATIONS: [Activation; 7] = [
    Activation::Tanh,
    Activation::Relu,
    Activation::Sigmoid,
    Activation::Linear,
    Activation::LeakyRelu,
    Activation::Gelu,
    Activation::Silu,
];

/// A labelled select whose options are `(value, label)` pairs; the value read back goes to
/// `set`. A value outside the list (from a link) is shown as an extra option.
fn choice(
    class: &'static str,
    label: &'static str,
    options: Vec<(String, String)>,
    current: Signal<String>,
    set: impl Fn(String) + 'static,
) -> impl IntoView {
    view! {
        <label class=format!("pg-choice {class}")>
            <span>{label}</span>
            <select on:change=move |ev| set(event_target_value(&ev))>
                {move || {
                    let now = current.get();
                    let mut opts = options.clone();
                    if !opts.iter().any(|(v, _)| *v == now) {
                        opts.insert(0, (now.clone(), now.clone()));
                    }
                    opts.into_iter().map(|(v, l)| {
                        let selected = v == now;
                        view! { <option value=v selected=selected>{l}</option> }
                    }).collect_view()
                }}
            </select>
        </label>
    }
}

#[component]
pub fn Settings(pg: Pg) -> impl IntoView {
    let s = pg.settings;
    let regression = Memo::new(move |_| s.with(|s| s.problem() == Problem::Regression));
    view! {
        <div class="pg-settings">
            {choice("pg-lr", "Learning rate", RATES.iter().map(|r| (r.to_string(), r.to_string())).collect(),
                Signal::derive(move || s.with(|s| s.lr.to_string())),
                move |v| if let Ok(v) = v.parse() { pg.update(|s| s.lr = v) })}
            {choice("pg-activation", "Activation", ACTIVATIONS.iter().map(|a| (link::activation_key(*a).to_string(), activations::name(*a).to_string())).collect(),
                Signal::derive(move || s.with(|s| link::activation_key(s.activation).to_string())),
                move |v| if let Some(a) = ACTIVATIONS.iter().find(|a| link::activation_key(**a) == v) { pg.update(|s| s.activation = *a) })}
            {choice("pg-reg", "Regularization", vec![("none".into(), "None".into()), ("l1".into(), "L1".into()), ("l2".into(), "L2".into())],
                Signal::derive(move || s.with(|s| match s.penalty { None => "none", Some(Penalty::L1) => "l1", Some(Penalty::L2) => "l2" }.to_string())),
                move |v| pg.update(|s| s.penalty = match v.as_str() { "l1" => Some(Penalty::L1), "l2" => Some(Penalty::L2), _ => None }))}
            {choice("pg-rate", "Regularization rate", PENALTY_RATES.iter().map(|r| (r.to_string(), r.to_string())).collect(),
                Signal::derive(move || s.with(|s| s.rate.to_string())),
                move |v| if let Ok(v) = v.parse() { pg.update(|s| s.rate = v) })}
            {choice("pg-batch", "Batch size", BATCHES.iter().map(|b| (b.to_string(), b.to_string())).collect(),
                Signal::derive(move || s.with(|s| s.batch.to_string())),
                move |v| if let Ok(v) = v.parse() { pg.update(|s| s.batch = v) })}
            {choice("pg-optimizer", "Optimizer", Optimizer::ALL.iter().map(|o| (o.key().to_string(), o.label().to_string())).collect(),
                Signal::derive(move || s.with(|s| s.optimizer.key().to_string())),
                move |v| if let Some(o) = Optimizer::from_key(&v) { pg.update(|s| s.optimizer = o) })}
            {move || (!regression.get()).then(|| choice("pg-loss", "Loss", vec![("ce".into(), "Cross-entropy".into()), ("mse".into(), "Squared error (MSE)".into())],
                Signal::derive(move || s.with(|s| if s.cross_entropy { "ce" } else { "mse" }.to_string())),
                move |v| pg.update(|s| s.cross_entropy = v == "ce")))}
            {move || regression.get().then(|| view! { <p class="pg-choice pg-loss-fixed"><span>"Loss"</span>" Squared error (regression)"</p> })}
            <label class="pg-choice pg-epochs">
                <span>"Epochs"</span>
                <input type="number" min="1" max="5000" prop:value=move || s.with(|s| s.epochs.to_string())
                    on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse::<usize>() { pg.update(|s| s.epochs = v.clamp(1, 5000)) } } />
            </label>
        </div>
    }
}
