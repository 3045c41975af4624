//! Backprop by hand on the 2-2-1 network: the forward values, each gradient as a product of
//! local derivatives, and two checks of every product: a finite-difference nudge computed
//! here, and burn's autodiff run in the training worker.

use super::{note, PresetPicker};
use crate::demo::plot::fmt;
use crate::demo::run::{Run, RunControls};
use aesop_course::demo::DemoPreset;
use aesop_train::backprop::{relative_gap, TinyNet};
use aesop_train::Job;
use leptos::prelude::*;

#[component]
pub fn Backprop(demo: DemoPreset) -> impl IntoView {
    let run = Run::new();
    let chosen = RwSignal::new(0usize);
    let presets = demo.presets.clone();
    let job = Signal::derive(move || presets[chosen.get()].job.clone());
    let net = Memo::new(move |_| match job.get() {
        Job::Backprop(n) => n,
        _ => unreachable!("validated: backprop presets are backprop jobs"),
    });
    // A new network invalidates the last autodiff check.
    Effect::new(move |prev: Option<()>| {
        net.track();
        if prev.is_some() {
            run.reset();
        }
    });
    view! {
        <PresetPicker presets=demo.presets.clone() chosen=chosen />
        {note(&demo.presets, chosen)}
        {move || forward_table(&net.get())}
        {move || backward_table(&net.get(), run.gradients.get())}
        <RunControls run=run job=job start_label="Check with burn's autodiff" />
    }
}

/// A number as a factor in a product: negatives in brackets, so "0.8·(−1)" reads right.
fn factor(v: f64) -> String {
    if v < 0.0 {
        format!("({})", fmt(v))
    } else {
        fmt(v)
    }
}

fn forward_table(n: &TinyNet) -> impl IntoView {
    let f = n.forward();
    let a = format!("{:?}", n.activation).to_lowercase();
    let rows = vec![
        (
            "x1, x2",
            "the inputs".to_string(),
            format!("{}, {}", factor(n.x[0]), factor(n.x[1])),
        ),
        (
            "z1",
            format!(
                "w1_11·x1 + w1_12·x2 + b1_1 = {}·{} + {}·{} + {}",
                factor(n.w1[0][0]),
                factor(n.x[0]),
                factor(n.w1[0][1]),
                factor(n.x[1]),
                factor(n.b1[0])
            ),
            fmt(f.z[0]),
        ),
        (
            "z2",
            format!(
                "w1_21·x1 + w1_22·x2 + b1_2 = {}·{} + {}·{} + {}",
                factor(n.w1[1][0]),
                factor(n.x[0]),
                factor(n.w1[1][1]),
                factor(n.x[1]),
                factor(n.b1[1])
            ),
            fmt(f.z[1]),
        ),
        ("h1", format!("{a}(z1)"), factor(f.h[0])),
        ("h2", format!("{a}(z2)"), factor(f.h[1])),
        (
            "ŷ",
            format!(
                "w2_1·h1 + w2_2·h2 + b2 = {}·{} + {}·{} + {}",
                factor(n.w2[0]),
                factor(f.h[0]),
                factor(n.w2[1]),
                factor(f.h[1]),
                factor(n.b2)
            ),
            fmt(f.y_hat),
        ),
        (
            "L",
            format!("(ŷ − t)², with target t = {}", fmt(n.target)),
            fmt(f.loss),
        ),
    ];
    view! {
        <table class="backprop-forward">
            <caption>"Forward pass: each node's value"</caption>
            <thead><tr><th scope="col">"Node"</th><th scope="col">"Computed as"</th><th scope="col">"Value"</th></tr></thead>
            <tbody>{rows.into_iter().map(|(node, how, v)| view! { <tr><th scope="row">{node}</th><td>{how}</td><td class="num">{v}</td></tr> }).collect_view()}</tbody>
        </table>
    }
}

fn backward_table(n: &TinyNet, autodiff: Option<Vec<f64>>) -> impl IntoView {
    let chain = n.backward();
    let fd = n.finite_differences(1e-5);
    let agree = |a: f64, b: f64| {
        if relative_gap(a, b) < 1e-3 {
            "✓ agrees"
        } else {
            "✗ differs"
        }
    };
    let all_agree = autodiff.as_ref().map(|g| {
        chain
            .iter()
            .zip(g)
            .all(|(c, g)| relative_gap(c.gradient, *g) < 1e-3)
    });
    view! {
        <table class="backprop-backward">
            <caption>"Backward pass: each gradient as a chain of local derivatives"</caption>
            <thead><tr>
                <th scope="col">"Parameter"</th><th scope="col">"Chain-rule factors"</th><th scope="col">"Product ∂L/∂p"</th>
                <th scope="col">"Finite difference"</th><th scope="col">"burn autodiff"</th>
            </tr></thead>
            <tbody>{chain.iter().enumerate().map(|(i, c)| {
                let factors = c.factors.iter().map(|(what, v)| format!("{what} = {}", fmt(*v))).collect::<Vec<_>>();
                let auto = autodiff.as_ref().and_then(|g| g.get(i).copied());
                view! {
                    <tr data-param=c.param>
                        <th scope="row">{c.param}</th>
                        <td><ul class="factors">{factors.into_iter().enumerate().map(|(k, f)| view! { <li>{if k > 0 { "× " } else { "" }}{f}</li> }).collect_view()}</ul></td>
                        <td class="num product">{fmt(c.gradient)}</td>
                        <td class="num">{format!("{} {}", fmt(fd[i]), agree(c.gradient, fd[i]))}</td>
                        <td class="num autodiff">{auto.map(|g| format!("{} {}", fmt(g), agree(c.gradient, g))).unwrap_or_else(|| "–".into())}</td>
                    </tr>
                }
            }).collect_view()}</tbody>
        </table>
        <p class="backprop-verdict" role="status">{match all_agree {
            Some(true) => "burn's autodiff agrees with every hand-built product to within 0.1%.".to_string(),
            Some(false) => "burn's autodiff differs from a hand-built product: look for the ✗.".to_string(),
            None => "Finite differences nudge each parameter by ±0.00001 and watch the loss. Press the button to have burn's autodiff compute the same gradients.".to_string(),
        }}</p>
    }
}
