//! Backprop by hand on the 2-2-1 network: reverse mode stepped node by node (the forward
//! sweep's values, then each node's adjoint as a sum of local derivative × upstream adjoint),
//! each gradient as a product of local derivatives (revealed as the sweep reaches it), and two
//! checks of every product: a finite-difference nudge computed here, and burn's automatic
//! differentiation run in the training worker.

use super::{note, PresetPicker};
use crate::plot::fmt;
use crate::run::{Run, RunControls};
use aesop_course::demo::Demo;
use aesop_train::backprop::{relative_gap, TinyNet};
use aesop_train::reverse::{Graph, Op};
use aesop_train::Job;
use leptos::prelude::*;

#[component]
pub fn Backprop(demo: Demo) -> impl IntoView {
    let run = Run::new();
    let chosen = RwSignal::new(0usize);
    let presets = demo.presets.clone();
    let job = Signal::derive(move || presets[chosen.get()].job.clone());
    let net = Memo::new(move |_| match job.get() {
        Job::Backprop(n) => n,
        _ => unreachable!("validated: backprop presets are backprop jobs"),
    });
    // A new network invalidates the last autodiff check and starts the sweep again.
    let step = RwSignal::new(0usize);
    Effect::new(move |prev: Option<()>| {
        net.track();
        if prev.is_some() {
            run.reset();
            step.set(0);
        }
    });
    view! {
        <PresetPicker presets=demo.presets.clone() chosen=chosen />
        {note(&demo.presets, chosen, run)}
        {move || stepper(Graph::of(&net.get()), step)}
        {move || {
            let n = net.get();
            let shown = revealed(&Graph::of(&n), step.get());
            backward_table(&n, run.gradients.get(), &shown)
        }}
        <RunControls run=run job=job start_label="Check with automatic differentiation" />
    }
}

/// Where the sweep stands after `step` clicks: 0 is before anything is computed, then one
/// forward node per step, then one adjoint per step.
fn stepper(g: Graph, step: RwSignal<usize>) -> impl IntoView {
    let forward = g.forward.len();
    let total = forward + g.backward.len();
    let g = StoredValue::new(g);
    let at = move || step.get().min(total);
    // Rows in the forward order: the leaves (inputs, then parameters), then what they feed.
    let rows = move || {
        g.with_value(|g| {
            let s = at();
            let computed = |i: usize| {
                g.nodes[i].op == Op::Leaf || g.forward.iter().take(s).any(|&f| f == i)
            };
            let swept = |i: usize| {
                s > forward && g.backward[..s - forward].iter().any(|b| b.node == i)
            };
            let current = if s == 0 {
                None
            } else if s <= forward {
                Some(g.forward[s - 1])
            } else {
                Some(g.backward[s - forward - 1].node)
            };
            (0..g.nodes.len())
                .map(|i| {
                    let n = &g.nodes[i];
                    let adjoint = g.backward.iter().find(|b| b.node == i).map(|b| b.adjoint);
                    let here = current == Some(i);
                    view! {
                        <tr class:current=here aria-current=here.then_some("step") data-node=n.name.clone()>
                            <th scope="row">{n.name.clone()}</th>
                            <td>{n.formula.clone()}</td>
                            <td class="num node-value">{if computed(i) { fmt(g.values[i]) } else { "?".into() }}</td>
                            <td class="num node-adjoint">{match (swept(i), adjoint) { (true, Some(a)) => fmt(a), _ => "?".into() }}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    let explain = move || g.with_value(|g| explain(g, at()));
    view! {
        <div class="reverse-mode">
            <table class="backprop-graph">
                <caption>"Reverse mode, node by node: each node's value, then its adjoint ∂L/∂node"</caption>
                <thead><tr><th scope="col">"Node"</th><th scope="col">"Computed as"</th><th scope="col">"Value"</th><th scope="col">"Adjoint ∂L/∂node"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <p class="sweep-step" role="status" aria-live="polite">{explain}</p>
            <div class="sweep-buttons">
                <button type="button" class="button" on:click=move |_| step.update(|s| *s = s.saturating_sub(1)) disabled=move || at() == 0>"Previous step"</button>
                <button type="button" class="button primary" on:click=move |_| step.update(|s| *s = (*s + 1).min(total)) disabled=move || at() == total>"Next step"</button>
                <button type="button" class="button" on:click=move |_| step.set(total) disabled=move || at() == total>"Show every step"</button>
                <button type="button" class="button" on:click=move |_| step.set(0) disabled=move || at() == 0>"Start over"</button>
            </div>
            <p class="sweep-progress hint">{move || format!("Step {} of {total}", at())}</p>
        </div>
    }
}

/// What the step just did, in symbols and in numbers.
fn explain(g: &Graph, s: usize) -> String {
    let forward = g.forward.len();
    let name = |i: usize| g.nodes[i].name.clone();
    if s == 0 {
        return "Nothing computed yet: only the inputs and the parameters have values. Press Next step to start the forward sweep.".into();
    }
    if s <= forward {
        let i = g.forward[s - 1];
        let n = &g.nodes[i];
        let inputs = match &n.op {
            Op::Affine { pairs, bias } => pairs
                .iter()
                .map(|&(w, x)| format!("{}·{}", factor(g.values[w]), factor(g.values[x])))
                .chain(std::iter::once(factor(g.values[*bias])))
                .collect::<Vec<_>>()
                .join(" + "),
            Op::Activation(z) => format!("f({})", fmt(g.values[*z])),
            Op::SquaredError { input, target } => {
                format!("({} − {})²", fmt(g.values[*input]), factor(*target))
            }
            Op::Leaf => String::new(),
        };
        return format!(
            "Forward, node {s} of {forward}: {} = {} = {inputs} = {}",
            n.name,
            n.formula,
            fmt(g.values[i])
        );
    }
    let b = &g.backward[s - forward - 1];
    let node = name(b.node);
    if b.terms.is_empty() {
        return format!("Backward, step 1: the sweep starts at the loss, ∂L/∂{node} = 1.");
    }
    let symbols = b
        .terms
        .iter()
        .map(|t| {
            let local = t.local.split(" = ").next().unwrap_or(&t.local);
            format!("{local} · ∂L/∂{}", name(t.reader))
        })
        .collect::<Vec<_>>()
        .join(" + ");
    let numbers = b
        .terms
        .iter()
        .map(|t| format!("{} × {}", factor(t.local_value), factor(t.upstream)))
        .collect::<Vec<_>>()
        .join(" + ");
    let locals = b
        .terms
        .iter()
        .map(|t| t.local.clone())
        .collect::<Vec<_>>()
        .join("; ");
    let readers = if b.terms.len() > 1 {
        format!(
            " {node} is read by {} nodes, so their terms add up.",
            b.terms.len()
        )
    } else {
        String::new()
    };
    format!(
        "Backward, step {} of {}: ∂L/∂{node} = {symbols} = {numbers} = {} (local derivatives: {locals}).{readers}",
        s - forward,
        g.backward.len(),
        fmt(b.adjoint)
    )
}

/// A number as a factor in a product: negatives in brackets, so "0.8·(−1)" reads right.
fn factor(v: f64) -> String {
    if v < 0.0 {
        format!("({})", fmt(v))
    } else {
        fmt(v)
    }
}

/// The parameters whose adjoint the backward sweep has reached after `step` clicks: their
/// rows in the check table fill in then, so the table never answers a step in advance.
fn revealed(g: &Graph, step: usize) -> Vec<&'static str> {
    let done = step.saturating_sub(g.forward.len()).min(g.backward.len());
    aesop_train::backprop::PARAMS
        .into_iter()
        .filter(|p| {
            g.backward[..done]
                .iter()
                .any(|b| g.nodes[b.node].name == *p)
        })
        .collect()
}

fn backward_table(n: &TinyNet, autodiff: Option<Vec<f64>>, swept: &[&str]) -> impl IntoView {
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
                <th scope="col">"Finite difference"</th><th scope="col">"Automatic differentiation"</th>
            </tr></thead>
            <tbody>{chain.iter().enumerate().map(|(i, c)| {
                let factors = c.factors.iter().map(|(what, v)| format!("{what} = {}", fmt(*v))).collect::<Vec<_>>();
                let auto = autodiff.as_ref().and_then(|g| g.get(i).copied());
                // Hidden until the sweep reaches this parameter, or the learner asks the
                // library for every gradient at once.
                if auto.is_none() && !swept.contains(&c.param) {
                    return view! {
                        <tr data-param=c.param class="pending">
                            <th scope="row">{c.param}</th>
                            <td colspan="4" class="pending-note">{format!("Fills in when the backward sweep reaches {}.", c.param)}</td>
                        </tr>
                    }.into_any();
                }
                view! {
                    <tr data-param=c.param>
                        <th scope="row">{c.param}</th>
                        <td><ul class="factors">{factors.into_iter().enumerate().map(|(k, f)| view! { <li>{if k > 0 { "× " } else { "" }}{f}</li> }).collect_view()}</ul></td>
                        <td class="num product">{fmt(c.gradient)}</td>
                        <td class="num">{format!("{} {}", fmt(fd[i]), agree(c.gradient, fd[i]))}</td>
                        <td class="num autodiff">{auto.map(|g| format!("{} {}", fmt(g), agree(c.gradient, g))).unwrap_or_else(|| "–".into())}</td>
                    </tr>
                }.into_any()
            }).collect_view()}</tbody>
        </table>
        <p class="backprop-verdict" role="status">{match all_agree {
            Some(true) => "Automatic differentiation agrees with every hand-built product to within 0.1%.".to_string(),
            Some(false) => "Automatic differentiation differs from a hand-built product: look for the ✗.".to_string(),
            None => "Step the sweep and each parameter's row fills in as its adjoint is reached. Finite differences nudge the parameter by ±0.00001 and watch the loss. The button has burn, the library that trains every demo in this course, compute all nine gradients by automatic differentiation: the same reverse sweep, done by the library from a record of the forward pass.".to_string(),
        }}</p>
    }
}
