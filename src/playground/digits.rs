//! The digits: 1,797 handwritten 8×8 images (content/data/digits.txt, fetched when the
//! learner opens them). Train an MLP on them, read its accuracy and confusion matrix, browse
//! the test images it gets wrong, and draw a digit on a pad whose ten class probabilities
//! follow the pen (computed from the weights the last report brought, see `infer`).

use super::paint::{colors, context, css, Colors};
use super::{Digits, Pg};
use crate::plot::{fmt, Chart, Plot, Series};
use aesop_train::data::generate;
use aesop_train::infer;
use aesop_train::playground::{pad, MAX_DIGIT_UNITS, MAX_LAYERS};
use leptos::html::Canvas;
use leptos::prelude::*;
use std::sync::Arc;

const FILE: &str = "content/data/digits.txt";

pub fn fetch(digits: RwSignal<Digits>) {
    digits.set(Digits::Loading);
    leptos::task::spawn_local(async move {
        let result = async {
            let response = gloo_net::http::Request::get(FILE)
                .send()
                .await
                .map_err(|e| format!("{FILE} could not be fetched: {e}"))?;
            if !response.ok() {
                return Err(format!(
                    "{FILE} could not be fetched (HTTP {})",
                    response.status()
                ));
            }
            let text = response.text().await.map_err(|e| e.to_string())?;
            aesop_train::digits::parse(&text).map_err(|e| format!("{FILE}: {e}"))
        }
        .await;
        digits.set(match result {
            Ok(images) => Digits::Ready(Arc::new(images)),
            Err(why) => Digits::Failed(why),
        });
    });
}

/// Grey levels: 0 the page's surface, `max` the ink.
fn grey(c: &Colors, v: u8, max: u8) -> String {
    let t = v as f32 / max.max(1) as f32;
    let mix = |a: u8, b: u8| (a as f32 + (b as f32 - a as f32) * t).round() as u8;
    css((
        mix(c.middle.0, c.ink.0),
        mix(c.middle.1, c.ink.1),
        mix(c.middle.2, c.ink.2),
    ))
}

/// A square image of `pixels.len()` cells (8×8 or the pad's 32×32), with a block cursor
/// (in 8×8 blocks) where the keyboard is.
fn draw_image(
    canvas: &web_sys::HtmlCanvasElement,
    pixels: &[u8],
    max: u8,
    cursor: Option<(usize, usize)>,
) {
    let Some((ctx, w, _)) = context(canvas) else {
        return;
    };
    let c = colors();
    let side = (pixels.len() as f64).sqrt().round().max(1.0) as usize;
    let px = w / side as f64;
    for (i, &v) in pixels.iter().enumerate() {
        ctx.set_fill_style_str(&grey(&c, v, max));
        ctx.fill_rect(
            (i % side) as f64 * px,
            (i / side) as f64 * px,
            px + 0.5,
            px + 0.5,
        );
    }
    let cell = w / 8.0;
    if side > 8 {
        // The block grid the network counts in, faintly.
        ctx.set_stroke_style_str(&css(c.faint));
        ctx.set_line_width(0.5);
        for k in 1..8 {
            let at = k as f64 * cell;
            ctx.stroke_rect(at, 0.0, 0.0, w);
            ctx.stroke_rect(0.0, at, w, 0.0);
        }
    }
    ctx.set_stroke_style_str(&css(c.faint));
    ctx.set_line_width(1.0);
    ctx.stroke_rect(0.5, 0.5, w - 1.0, w - 1.0);
    if let Some((r, col)) = cursor {
        ctx.set_stroke_style_str(&css(c.positive));
        ctx.set_line_width(3.0);
        ctx.stroke_rect(
            col as f64 * cell + 1.5,
            r as f64 * cell + 1.5,
            cell - 3.0,
            cell - 3.0,
        );
    }
}

#[component]
pub fn DigitsPanel(pg: Pg) -> impl IntoView {
    let s = pg.settings;
    let last = Memo::new(move |_| pg.run.history.with(|h| h.last().cloned()));
    // The test set, as the engine splits it (same spec, same shuffle).
    let test = Memo::new(move |_| {
        pg.spec
            .with(|s| s.as_ref().ok().map(|s| Arc::new(generate(&s.dataset).1)))
    });
    let predicted = Memo::new(move |_| {
        pg.run.snapshot.with(|s| {
            s.as_ref()
                .map(|s| s.val_classes.clone())
                .unwrap_or_default()
        })
    });
    let confusion = Memo::new(move |_| {
        let mut m = [[0u32; 10]; 10];
        if let Some(t) = test.get() {
            for (&p, &y) in predicted.get().iter().zip(&t.y) {
                m[y.min(9)][(p as usize).min(9)] += 1;
            }
        }
        m
    });
    let wrong = Memo::new(move |_| match test.get() {
        Some(t) => predicted
            .get()
            .iter()
            .enumerate()
            .filter(|(i, &p)| t.y.get(*i).is_some_and(|&y| y != p as usize))
            .map(|(i, &p)| (i, p))
            .collect::<Vec<_>>(),
        None => Vec::new(),
    });
    let percent = |v: Option<f32>| {
        v.map(|v| format!("{:.1}%", v * 100.0))
            .unwrap_or_else(|| "–".into())
    };
    let chart = Signal::derive(move || Chart::Lines {
        x_label: "epoch".into(),
        y_label: "accuracy".into(),
        series: vec![
            Series {
                label: "training accuracy".into(),
                points: pg.run.history.with(|h| {
                    h.iter()
                        .filter_map(|m| m.train_accuracy.map(|a| (m.epoch as f64, a as f64)))
                        .collect()
                }),
                color: 0,
                dashed: false,
            },
            Series {
                label: "test accuracy".into(),
                points: pg.run.history.with(|h| {
                    h.iter()
                        .filter_map(|m| m.val_accuracy.map(|a| (m.epoch as f64, a as f64)))
                        .collect()
                }),
                color: 1,
                dashed: false,
            },
        ],
        log_y: false,
        marker: None,
    });
    let summary = Signal::derive(move || match last.get() {
        None => "No run yet: press Train.".into(),
        Some(m) => format!(
            "Epoch {}: test accuracy {}, test loss {}",
            m.epoch,
            percent(m.val_accuracy),
            m.val_loss.map(|v| fmt(v as f64)).unwrap_or_default()
        ),
    });
    let set_width = move |l: usize, v: usize| {
        pg.update(|s| {
            if let Some(w) = s.hidden.get_mut(l) {
                *w = v.clamp(1, MAX_DIGIT_UNITS)
            }
        })
    };
    view! {
        <section class="pg-digits" aria-label="Handwritten digits">
            {move || match pg.digits.get() {
                Digits::Loading | Digits::Idle => Some(view! { <p class="loading" role="status">"Fetching the digits (about 40 KB)…"</p> }.into_any()),
                Digits::Failed(why) => Some(view! { <p class="content-warning" role="alert">{format!("The digits could not be loaded: {why}. Check the connection and pick them again.")}</p> }.into_any()),
                Digits::Ready(images) => Some(view! { <p class="hint pg-digits-count">{format!("{} images of 8 × 8 pixels, 10 classes; {}% held out for testing.", images.len(), s.with(|s| s.test_percent))}</p> }.into_any()),
            }}
            <div class="pg-digit-layers">
                <p class="pg-shape">{move || format!("Network: 64 inputs, {} 10 outputs", s.with(|s| s.hidden.iter().map(|w| format!("{w} {:?},", s.activation).to_lowercase()).collect::<String>()))}</p>
                {move || s.with(|s| s.hidden.clone()).into_iter().enumerate().map(|(l, w)| view! {
                    <label class="pg-choice">
                        <span>{format!("Layer {} units", l + 1)}</span>
                        <input type="number" min="1" max=MAX_DIGIT_UNITS.to_string() prop:value=w.to_string()
                            on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse() { set_width(l, v) } } />
                    </label>
                }).collect_view()}
                <button type="button" class="button" on:click={move |_| pg.update(|s| if s.hidden.len() < MAX_LAYERS { s.hidden.push(16) })} disabled={move || s.with(|s| s.hidden.len() >= MAX_LAYERS)}>"+ layer"</button>
                <button type="button" class="button" on:click=move |_| pg.update(|s| { s.hidden.pop(); }) disabled=move || s.with(|s| s.hidden.is_empty())>"− layer"</button>
            </div>
            <dl class="pg-scores">
                <div><dt>"Test accuracy"</dt><dd class="pg-test-accuracy">{move || percent(last.get().and_then(|m| m.val_accuracy))}</dd></div>
                <div><dt>"Training accuracy"</dt><dd class="pg-train-accuracy">{move || percent(pg.run.history.with(|h| h.iter().rev().find_map(|m| m.train_accuracy)))}</dd></div>
                <div><dt>"Test loss"</dt><dd class="pg-test-loss">{move || last.get().and_then(|m| m.val_loss).map(|v| fmt(v as f64)).unwrap_or_else(|| "–".into())}</dd></div>
            </dl>
            <Plot chart=chart label="Training and test accuracy by epoch" summary=summary />
            <DigitPad pg=pg />
            {move || (!predicted.get().is_empty()).then(|| view! {
                <details class="pg-confusion-box" open>
                    <summary>"Confusion matrix (test images)"</summary>
                    <div class="pg-table-scroll">
                        <table class="data-table pg-confusion">
                            <caption>"Rows: the true digit. Columns: the network's answer. The diagonal counts the right answers."</caption>
                            <thead><tr><th scope="col">"true \\ said"</th>{(0..10).map(|d| view! { <th scope="col">{d}</th> }).collect_view()}</tr></thead>
                            <tbody>{move || confusion.get().iter().enumerate().map(|(y, row)| view! {
                                <tr><th scope="row">{y}</th>{row.iter().enumerate().map(|(p, &n)| view! { <td class:pg-diagonal=p == y class:pg-miss={p != y && n > 0}>{n}</td> }).collect_view()}</tr>
                            }).collect_view()}</tbody>
                        </table>
                    </div>
                </details>
                <Misclassified pg=pg wrong=wrong test=test />
            })}
        </section>
    }
}

#[component]
fn Misclassified(
    pg: Pg,
    wrong: Memo<Vec<(usize, u16)>>,
    test: Memo<Option<Arc<aesop_train::data::Dataset>>>,
) -> impl IntoView {
    let at = RwSignal::new(0usize);
    let canvas = NodeRef::<Canvas>::new();
    let current = move || {
        let w = wrong.get();
        let k = at.get().min(w.len().saturating_sub(1));
        w.get(k).copied().map(|(i, p)| (k, w.len(), i, p))
    };
    Effect::new(move |_| {
        let (Some((_, _, i, _)), Some(t), Some(images), Some(el)) =
            (current(), test.get(), pg.images(), canvas.get())
        else {
            return;
        };
        let d = images.dim();
        let img = t.image[i];
        draw_image(
            &el,
            &images.pixels[img * d..(img + 1) * d],
            images.max,
            None,
        );
    });
    view! {
        <section class="pg-wrong" aria-label="Test images the network gets wrong">
            <h4>"Test images it gets wrong"</h4>
            {move || match (current(), test.get()) {
                (Some((k, n, i, p)), Some(t)) => view! {
                    <p class="pg-wrong-caption" aria-live="polite">{format!("{} of {n}: labelled {}, the network says {p}.", k + 1, t.y[i])}</p>
                }.into_any(),
                _ => view! { <p>"None: every test image is classified correctly."</p> }.into_any(),
            }}
            <canvas node_ref=canvas class="pg-wrong-image" role="img" aria-label=move || current().map(|(_, _, _, p)| format!("A handwritten digit the network reads as {p}")).unwrap_or_default()></canvas>
            <p>
                <button type="button" class="button pg-wrong-prev" disabled=move || at.get() == 0 on:click=move |_| at.update(|a| *a = a.saturating_sub(1))>"Previous"</button>
                <button type="button" class="button pg-wrong-next" disabled={move || at.get() + 1 >= wrong.get().len()} on:click=move |_| at.update(|a| *a += 1)>"Next"</button>
            </p>
        </section>
    }
}

#[component]
fn DigitPad(pg: Pg) -> impl IntoView {
    // The learner's strokes; the pad shows them as drawn, and the network reads them as the
    // data's preprocessing would leave them (`pad::Drawing::normalised`), which the second
    // canvas shows as the 8×8 counts.
    let ink = RwSignal::new(pad::Drawing::default());
    let seen = Memo::new(move |_| ink.with(|d| pad::counts(&d.normalised())));
    let cursor = RwSignal::new(None::<(usize, usize)>);
    let canvas = NodeRef::<Canvas>::new();
    let seen_canvas = NodeRef::<Canvas>::new();
    // While the pointer is down: whether it rubs out.
    let drawing = StoredValue::new(None::<bool>);
    Effect::new(move |_| {
        let bits: Vec<u8> = ink.with(|d| d.shown().iter().map(|&on| on as u8).collect());
        let at = cursor.get();
        if let Some(el) = canvas.get() {
            draw_image(&el, &bits, 1, at);
        }
    });
    Effect::new(move |_| {
        let p = seen.get();
        if let Some(el) = seen_canvas.get() {
            draw_image(&el, &p, pad::FULL, None);
        }
    });
    // The ten probabilities, from the last report's weights, as the pen moves.
    let probs = Memo::new(move |_| {
        let spec = pg.spec.get().ok()?;
        let params = pg
            .run
            .snapshot
            .with(|s| s.as_ref().map(|s| s.params.clone()))?;
        let out = infer::forward(&spec, &params, &pad::inputs(&seen.get()))?;
        Some(infer::probabilities(&spec, &out))
    });
    let top = Memo::new(move |_| {
        let p = probs.get()?;
        (0..p.len())
            .max_by(|&a, &b| p[a].total_cmp(&p[b]))
            .map(|d| (d, p[d]))
    });
    // The pointer in pad pixels.
    let point_at = move |ev: &web_sys::PointerEvent| -> Option<(f32, f32)> {
        let el = canvas.get_untracked()?;
        let r = el.get_bounding_client_rect();
        let fine = pad::FINE as f64;
        let x = (ev.client_x() as f64 - r.left()) / r.width() * fine;
        let y = (ev.client_y() as f64 - r.top()) / r.height() * fine;
        ((0.0..fine).contains(&x) && (0.0..fine).contains(&y)).then_some((y as f32, x as f32))
    };
    let down = move |ev: web_sys::PointerEvent| {
        let Some(at) = point_at(&ev) else { return };
        ev.prevent_default();
        if let Some(el) = canvas.get_untracked() {
            let _ = el.set_pointer_capture(ev.pointer_id());
        }
        // The right button, a pen's eraser, or Shift rubs out.
        let erase = ev.button() == 2 || ev.button() == 5 || ev.shift_key();
        drawing.set_value(Some(erase));
        ink.update(|d| if erase { d.erase(at) } else { d.begin(at) });
    };
    let moved = move |ev: web_sys::PointerEvent| {
        if let (Some(erase), Some(at)) = (drawing.get_value(), point_at(&ev)) {
            ink.update(|d| if erase { d.erase(at) } else { d.extend(at) });
        }
    };
    let key = move |ev: web_sys::KeyboardEvent| {
        let (r, c) = cursor.get_untracked().unwrap_or((0, 0));
        let next = match ev.key().as_str() {
            "ArrowUp" => Some((r.saturating_sub(1), c)),
            "ArrowDown" => Some(((r + 1).min(7), c)),
            "ArrowLeft" => Some((r, c.saturating_sub(1))),
            "ArrowRight" => Some((r, (c + 1).min(7))),
            _ => None,
        };
        let here = pad::block_centre(r, c);
        match (next, ev.key().as_str()) {
            (Some(p), _) => {
                cursor.set(Some(p));
                // Shift + arrow draws a stroke from block centre to block centre.
                if ev.shift_key() {
                    ink.update(|d| {
                        if d.strokes.last().and_then(|s| s.last()) != Some(&here) {
                            d.begin(here);
                        }
                        d.extend(pad::block_centre(p.0, p.1));
                    });
                }
            }
            (None, "Enter" | " ") => ink.update(|d| d.begin(here)),
            (None, "Delete" | "Backspace") => ink.update(|d| d.erase(here)),
            _ => return,
        }
        ev.prevent_default();
    };
    view! {
        <section class="pg-pad" aria-label="Draw a digit">
            <h4>"Draw a digit"</h4>
            <p class="hint" id="pg-pad-help">"Draw with the mouse, a finger or a pen (Shift or the right button rubs out). Keyboard: arrows move by a block, Enter inks, Delete rubs out, Shift + arrows draw a stroke. Size and place do not matter: like the data set's digits, yours is centred and scaled before the network reads it."</p>
            <div class="pg-pad-row">
                <canvas node_ref=canvas class="pg-pad-canvas" tabindex="0" role="application" aria-label="Digit pad, 32 by 32 pixels in 8 by 8 blocks" aria-describedby="pg-pad-help"
                    on:pointerdown=down on:pointermove=moved on:pointerup=move |_| drawing.set_value(None) on:pointercancel=move |_| drawing.set_value(None)
                    on:contextmenu=move |ev| ev.prevent_default()
                    on:keydown=key on:focus=move |_| if cursor.get_untracked().is_none() { cursor.set(Some((0, 0))) } on:blur=move |_| cursor.set(None)></canvas>
                <figure class="pg-pad-seen">
                    <canvas node_ref=seen_canvas class="pg-seen-canvas" role="img" aria-label=move || format!("What the network sees: 8 by 8 counts, {} of 64 blocks inked", seen.get().iter().filter(|&&v| v > 0).count())></canvas>
                    <figcaption>"What the network sees: your strokes centred, scaled to fill the square and thickened to the data's ink, then the pixels set in each 4 × 4 block counted (0 to 16), as the data set was made"</figcaption>
                </figure>
                <ol class="pg-probs" aria-label="The network's probability for each digit">
                    {(0..10).map(|d| view! {
                        <li class:pg-top=move || top.get().is_some_and(|(t, _)| t == d)>
                            <span class="pg-prob-digit">{d}</span>
                            <span class="pg-prob-bar"><span style=move || format!("width: {:.1}%", probs.get().map_or(0.0, |p| p[d] * 100.0))></span></span>
                            <span class="pg-prob-value">{move || probs.get().map(|p| format!("{:.0}%", p[d] * 100.0)).unwrap_or_else(|| "–".into())}</span>
                        </li>
                    }).collect_view()}
                </ol>
            </div>
            <p class="pg-pad-answer" aria-live="polite">{move || match (top.get(), !ink.with(pad::Drawing::is_empty)) {
                (_, false) => "The pad is empty.".to_string(),
                (None, true) => "Train the network to read your digit.".to_string(),
                (Some((d, p)), true) => format!("The network reads a {d} ({:.0}%).", p * 100.0),
            }}</p>
            <p class="hint pg-pad-why">"Sure and wrong? This network scored its accuracy on digits written by 13 people on the same forms, scanned and scaled the same way as the ones it learned from. Your drawing comes from elsewhere: another pen, another hand, another size and place in the square. A test score speaks only for data like the test set's; on a drawing unlike it, the network can be confident and wrong."</p>
            <p><button type="button" class="button pg-pad-clear" on:click=move |_| ink.set(pad::Drawing::default())>"Clear the pad"</button></p>
        </section>
    }
}
