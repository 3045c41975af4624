//! The output: test and training loss (and accuracy), the loss curves by epoch, and the
//! plane with the decision regions.

use super::plane::Plane;
use super::Pg;
use crate::plot::{fmt, Chart, Plot, Series};
use leptos::prelude::*;

fn series(
    pg: &Pg,
    label: &str,
    color: usize,
    f: impl Fn(&aesop_train::Metrics) -> Option<f32>,
) -> Series {
    Series {
        label: label.into(),
        points: pg.run.history.with(|h| {
            h.iter()
                .filter_map(|m| f(m).map(|v| (m.epoch as f64, v as f64)))
                .collect()
        }),
        color,
        dashed: false,
    }
}

/// The one class a classification data set holds, when it holds only one: then a perfect
/// accuracy says nothing about learning.
fn one_class(pg: &Pg) -> Option<usize> {
    let sets = pg.sets.get()?;
    pg.run.history.with(|h| h.last()?.train_accuracy)?;
    let (train, test) = &*sets;
    let mut ys = train.y.iter().chain(&test.y);
    let first = *ys.next()?;
    ys.all(|&y| y == first).then_some(first)
}

#[component]
pub fn Output(pg: Pg) -> impl IntoView {
    let last = Memo::new(move |_| pg.run.history.with(|h| h.last().cloned()));
    let number = |v: Option<f32>| v.map(|v| fmt(v as f64)).unwrap_or_else(|| "–".into());
    let percent = |v: Option<f32>| {
        v.map(|v| format!("{:.1}%", v * 100.0))
            .unwrap_or_else(|| "–".into())
    };
    let chart = Signal::derive(move || Chart::Lines {
        x_label: "epoch".into(),
        y_label: "loss".into(),
        series: vec![
            series(&pg, "training loss", 0, |m| Some(m.train_loss)),
            series(&pg, "test loss", 1, |m| m.val_loss),
        ],
        log_y: false,
        marker: None,
    });
    let summary = Signal::derive(move || match last.get() {
        None => "No run yet: press Train.".to_string(),
        Some(m) => format!(
            "Epoch {}: training loss {}, test loss {}",
            m.epoch,
            number(Some(m.train_loss)),
            number(m.val_loss)
        ),
    });
    view! {
        <section class="pg-output" aria-label="Output">
            <dl class="pg-scores">
                <div><dt>"Test loss"</dt><dd class="pg-test-loss">{move || number(last.get().and_then(|m| m.val_loss))}</dd></div>
                <div><dt>"Training loss"</dt><dd class="pg-train-loss">{move || number(last.get().map(|m| m.train_loss))}</dd></div>
                {move || last.get().and_then(|m| m.val_accuracy).map(|_| view! {
                    <div><dt>"Test accuracy"</dt><dd class="pg-test-accuracy">{move || percent(last.get().and_then(|m| m.val_accuracy))}</dd></div>
                    <div><dt>"Training accuracy"</dt><dd class="pg-train-accuracy">{move || percent(pg.run.history.with(|h| h.iter().rev().find_map(|m| m.train_accuracy)))}</dd></div>
                })}
            </dl>
            {move || one_class(&pg).map(|c| view! {
                <p class="content-warning pg-one-class" role="status">{format!("Every point is class {c}, so there is nothing to separate: any network scores 100% by answering class {c} everywhere. Draw points of the other class too.")}</p>
            })}
            <Plane pg=pg />
            <label class="inline-check pg-show-test">
                <input type="checkbox" prop:checked=move || pg.settings.with(|s| s.show_test)
                    on:change=move |ev| pg.update(|s| s.show_test = event_target_checked(&ev)) />
                " Show test data"
            </label>
            <Plot chart=chart label="Training and test loss by epoch" summary=summary />
        </section>
    }
}
