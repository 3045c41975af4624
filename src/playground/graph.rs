//! The network as a graph, as TensorFlow Playground draws it: the features on the left (each
//! a switch, showing its own value over the plane), then every hidden unit showing its own
//! output over the plane, live, then the output. An edge's colour is its weight's sign
//! (orange negative, also dashed; blue positive) and its thickness the weight's size. Hover
//! or focus shows a unit's or an edge's numbers; a table below lists them all.

use super::paint::{colors, context, css, diverging, heatmap, Colors, Frame};
use super::Pg;
use aesop_train::infer;
use aesop_train::playground::{MAX_LAYERS, MAX_UNITS};
use aesop_train::spec::{Feature, PLANE};
use leptos::html::{Canvas, Div};
use leptos::prelude::*;

/// Each unit's output is sampled on a 16 × 16 grid of the plane.
pub const GRID: usize = 16;

/// Where each column's nodes sit, in CSS pixels of the graph's box.
#[derive(Clone, PartialEq)]
struct Layout {
    width: f64,
    height: f64,
    node: f64,
    /// Per column (features, hidden layers, output): the x of its left edge, and each
    /// node's top.
    columns: Vec<(f64, Vec<f64>)>,
}

fn layout(width: f64, hidden: &[usize]) -> Layout {
    let cols = hidden.len() + 2;
    let node = (width / (cols as f64 * 1.55)).clamp(18.0, 40.0);
    let gap = node + (node * 0.3).max(6.0);
    let top = 4.0;
    // Room on the left for the features' names.
    let left = 40.0;
    let span = (width - left - 2.0 - node).max(1.0);
    let counts: Vec<usize> = std::iter::once(Feature::ALL.len())
        .chain(hidden.iter().copied())
        .chain(std::iter::once(1))
        .collect();
    let columns = counts
        .iter()
        .enumerate()
        .map(|(i, &n)| {
            let x = left + span * i as f64 / (cols - 1) as f64;
            (x, (0..n).map(|j| top + j as f64 * gap).collect())
        })
        .collect();
    Layout {
        width,
        height: top
            + Feature::ALL
                .len()
                .max(hidden.iter().copied().max().unwrap_or(0)) as f64
                * gap,
        node,
        columns,
    }
}

/// A feature's own value over the plane, on the graph's grid, scaled into [-1, 1] for colour.
fn feature_map(f: Feature) -> Vec<f32> {
    let span = 2.0 * PLANE / (GRID - 1) as f32;
    (0..GRID * GRID)
        .map(|i| {
            let p = [
                -PLANE + span * (i % GRID) as f32,
                PLANE - span * (i / GRID) as f32,
            ];
            let v = f.value(p);
            match f {
                Feature::X | Feature::Y => v / PLANE,
                Feature::XSquared | Feature::YSquared => v / (PLANE * PLANE / 2.0) - 1.0,
                Feature::XTimesY => v / (PLANE * PLANE),
                Feature::SinX | Feature::SinY => v,
            }
        })
        .collect()
}

/// The weight from input `i` of layer `l` to its unit `j`, with the parameters' layout.
struct Weights {
    layers: Vec<infer::Layer>,
    params: Vec<f32>,
}

impl Weights {
    fn weight(&self, l: usize, i: usize, j: usize) -> Option<f32> {
        let layer = self.layers.get(l)?;
        (self.params.len() >= layer.at + (layer.fan_in + 1) * layer.fan_out)
            .then(|| layer.weight(&self.params, i, j))
    }
    fn bias(&self, l: usize, j: usize) -> Option<f32> {
        let layer = self.layers.get(l)?;
        (self.params.len() >= layer.at + (layer.fan_in + 1) * layer.fan_out)
            .then(|| layer.bias(&self.params, j))
    }
}

/// Every edge: (layer, input index, unit index, from (x, y), to (x, y)).
type Edge = (usize, usize, usize, (f64, f64), (f64, f64));

fn edges(lay: &Layout, features: &[Feature]) -> Vec<Edge> {
    let n = lay.node;
    let mut out = Vec::new();
    for l in 0..lay.columns.len() - 1 {
        let (x0, ys0) = &lay.columns[l];
        let (x1, ys1) = &lay.columns[l + 1];
        // Layer 0's inputs are the features switched on, in the spec's order.
        let sources: Vec<f64> = if l == 0 {
            features
                .iter()
                .filter_map(|f| Feature::ALL.iter().position(|a| a == f))
                .map(|k| ys0[k])
                .collect()
        } else {
            ys0.clone()
        };
        for (i, y0) in sources.iter().enumerate() {
            for (j, y1) in ys1.iter().enumerate() {
                out.push((l, i, j, (x0 + n, y0 + n / 2.0), (*x1, y1 + n / 2.0)));
            }
        }
    }
    out
}

fn draw(pg: &Pg, canvas: &web_sys::HtmlCanvasElement, lay: &Layout, feature_maps: &[Vec<f32>]) {
    let Some((ctx, _, _)) = context(canvas) else {
        return;
    };
    let c: Colors = colors();
    let features = pg.settings.with(|s| s.features.clone());
    let snapshot = pg.run.snapshot.get();
    let weights = pg
        .spec
        .with(|s| s.as_ref().ok().map(|s| s.widths()))
        .map(|w| Weights {
            layers: infer::layers(&w),
            params: snapshot
                .as_ref()
                .map(|s| s.params.clone())
                .unwrap_or_default(),
        });
    let n = lay.node;
    // Edges by sign and by thickness in half-pixel steps: one stroked path a group, a few
    // dozen strokes rather than one an edge (hundreds on a 6 × 8 network, the costliest part
    // of a frame on a software-rasterized canvas).
    let width = |w: Option<f32>| w.map_or(2, |w| ((w.abs() * 5.0).round() as usize).clamp(1, 12));
    let all: Vec<(Edge, Option<f32>)> = edges(lay, &features)
        .into_iter()
        .map(|e| {
            let w = weights.as_ref().and_then(|w| w.weight(e.0, e.1, e.2));
            (e, w)
        })
        .collect();
    let solid = js_sys::Array::new();
    let dashed = js_sys::Array::of2(&4.0.into(), &3.0.into());
    for (group, color, dash) in [
        (None, c.faint, &solid),
        (Some(false), c.positive, &solid),
        (Some(true), c.negative, &dashed),
    ] {
        ctx.set_stroke_style_str(&css(color));
        let _ = ctx.set_line_dash(dash);
        for half_px in 1..=12 {
            let mut any = false;
            ctx.begin_path();
            for ((_, _, _, a, b), _) in all
                .iter()
                .filter(|(_, w)| w.map(|w| w < 0.0) == group && width(*w) == half_px)
            {
                let mid = (a.0 + b.0) / 2.0;
                ctx.move_to(a.0, a.1);
                ctx.bezier_curve_to(mid, a.1, mid, b.1, b.0, b.1);
                any = true;
            }
            if any {
                ctx.set_line_width(half_px as f64 / 2.0);
                ctx.stroke();
            }
        }
    }
    let _ = ctx.set_line_dash(&solid);
    let frame = |x: f64, y: f64, on: bool| {
        ctx.set_stroke_style_str(&css(if on { c.ink } else { c.faint }));
        ctx.set_line_width(1.0);
        ctx.stroke_rect(x - 0.5, y - 0.5, n + 1.0, n + 1.0);
    };
    let blank = |x: f64, y: f64| {
        ctx.set_fill_style_str(&css(c.middle));
        ctx.fill_rect(x, y, n, n);
    };
    // Features: switched-off ones pale.
    let (fx, fys) = &lay.columns[0];
    for (k, f) in Feature::ALL.iter().enumerate() {
        let on = features.contains(f);
        heatmap(&ctx, &feature_maps[k], GRID, (*fx, fys[k], n), |v| {
            diverging(&c, v, if on { 1.0 } else { 0.25 })
        });
        frame(*fx, fys[k], on);
    }
    // Hidden units, layer by layer.
    let units: Vec<Vec<f32>> = snapshot
        .as_ref()
        .map(|s| s.neurons.clone())
        .unwrap_or_default();
    let grid = snapshot.as_ref().map_or(0, |s| s.neuron_grid);
    let mut k = 0;
    for (x, ys) in &lay.columns[1..lay.columns.len() - 1] {
        for y in ys {
            match units.get(k) {
                Some(u) => heatmap(&ctx, u, grid, (*x, *y, n), |v| diverging(&c, v, 1.0)),
                None => blank(*x, *y),
            }
            frame(*x, *y, true);
            k += 1;
        }
    }
    // The output: the regions, small.
    let (ox, oys) = lay.columns.last().expect("an output column");
    match snapshot.as_ref().and_then(|s| s.regions.as_ref()) {
        Some(r) => {
            let regression =
                pg.settings.with(|s| s.problem()) == aesop_train::spec::Problem::Regression;
            heatmap(&ctx, &r.values, r.n, (*ox, oys[0], n), |v| {
                diverging(&c, if regression { v } else { 2.0 * v - 1.0 }, 1.0)
            });
        }
        None => blank(*ox, oys[0]),
    }
    frame(*ox, oys[0], true);
}

fn range(values: &[f32]) -> Option<(f32, f32)> {
    values.iter().fold(None, |r, &v| {
        Some(r.map_or((v, v), |(a, b): (f32, f32)| (a.min(v), b.max(v))))
    })
}

fn num(v: f32) -> String {
    format!("{v:.3}")
}

#[component]
pub fn Graph(pg: Pg) -> impl IntoView {
    let s = pg.settings;
    let boxed = NodeRef::<Div>::new();
    let canvas = NodeRef::<Canvas>::new();
    let width = RwSignal::new(300.0f64);
    // The first measure comes a frame later, when the graph may already have left the page.
    let measure = move || {
        if let Some(el) = boxed.try_get_untracked().flatten() {
            let w = el.client_width() as f64;
            if w > 0.0 {
                width.set(w);
            }
        }
    };
    request_animation_frame(measure);
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());
    let hidden = Memo::new(move |_| s.with(|s| s.hidden.clone()));
    let lay = Memo::new(move |_| layout(width.get(), &hidden.get()));
    let feature_maps: StoredValue<Vec<Vec<f32>>> =
        StoredValue::new(Feature::ALL.iter().map(|f| feature_map(*f)).collect());
    // The graph is the costliest drawing: ten times a second is live enough.
    let frame = Frame::new(100.0);
    Effect::new(move |_| {
        lay.track();
        pg.run.snapshot.track();
        s.track();
        canvas.track();
        frame.request(move || {
            // The frame may come after the playground has left the page.
            if let (Some(el), Some(lay)) = (
                canvas.try_get_untracked().flatten(),
                lay.try_get_untracked(),
            ) {
                let _ = feature_maps.try_with_value(|maps| draw(&pg, &el, &lay, maps));
            }
        });
    });
    let tip = RwSignal::new(None::<(f64, f64, String)>);
    let table_open = RwSignal::new(false);
    let weights = move || {
        let params = pg
            .run
            .snapshot
            .with(|s| s.as_ref().map(|s| s.params.clone()))?;
        let widths = pg.spec.with(|s| s.as_ref().ok().map(|s| s.widths()))?;
        Some(Weights {
            layers: infer::layers(&widths),
            params,
        })
    };
    let source_name = move |l: usize, i: usize| -> String {
        if l == 0 {
            s.with(|s| {
                s.features
                    .get(i)
                    .map(|f| f.label().to_string())
                    .unwrap_or_default()
            })
        } else {
            format!("layer {l}, unit {}", i + 1)
        }
    };
    let target_name = move |l: usize, j: usize| -> String {
        if l == s.with(|s| s.hidden.len()) {
            "the output".to_string()
        } else {
            format!("layer {}, unit {}", l + 1, j + 1)
        }
    };
    // A unit's numbers: bias, the range of its output over the plane, its incoming weights.
    let describe_unit = move |l: usize, j: usize| -> String {
        let mut t = target_name(l, j);
        let k: usize = s.with(|s| s.hidden[..l.min(s.hidden.len())].iter().sum::<usize>()) + j;
        match weights() {
            None => t.push_str(": train to see its weights and output"),
            Some(w) => {
                if let Some(b) = w.bias(l, j) {
                    t.push_str(&format!(": bias {}", num(b)));
                }
                let out = pg.run.snapshot.with(|s| {
                    s.as_ref()
                        .and_then(|s| s.neurons.get(k).and_then(|u| range(u)))
                });
                if let (Some((lo, hi)), true) = (out, l < s.with(|s| s.hidden.len())) {
                    t.push_str(&format!(
                        "; output from {} to {} over the plane",
                        num(lo),
                        num(hi)
                    ));
                }
                let fan_in = w.layers.get(l).map_or(0, |x| x.fan_in);
                let ins: Vec<String> = (0..fan_in)
                    .filter_map(|i| {
                        w.weight(l, i, j)
                            .map(|v| format!("{} {}", source_name(l, i), num(v)))
                    })
                    .collect();
                if !ins.is_empty() {
                    t.push_str(&format!("; weights in: {}", ins.join(", ")));
                }
            }
        }
        t
    };
    let hover = move |ev: web_sys::MouseEvent| {
        let Some(el) = canvas.get_untracked() else {
            return;
        };
        let r = el.get_bounding_client_rect();
        let (mx, my) = (
            ev.client_x() as f64 - r.left(),
            ev.client_y() as f64 - r.top(),
        );
        let l = lay.get_untracked();
        let feats = s.with_untracked(|s| s.features.clone());
        // The nearest edge within 5 px, by its straight chord (the curve stays close to it).
        let near = edges(&l, &feats)
            .into_iter()
            .map(|e| {
                let (a, b) = (e.3, e.4);
                let (dx, dy) = (b.0 - a.0, b.1 - a.1);
                let t = (((mx - a.0) * dx + (my - a.1) * dy) / (dx * dx + dy * dy).max(1e-9))
                    .clamp(0.0, 1.0);
                let (px, py) = (a.0 + t * dx, a.1 + t * dy);
                ((px - mx).hypot(py - my), e)
            })
            .filter(|(d, _)| *d < 5.0)
            .min_by(|a, b| a.0.total_cmp(&b.0));
        tip.set(near.map(|(_, (layer, i, j, ..))| {
            let w = weights().and_then(|w| w.weight(layer, i, j));
            let text = match w {
                Some(w) => format!(
                    "Weight {} from {} to {}",
                    num(w),
                    source_name(layer, i),
                    target_name(layer, j)
                ),
                None => format!(
                    "Edge from {} to {}: train to see its weight",
                    source_name(layer, i),
                    target_name(layer, j)
                ),
            };
            (mx + 8.0, my + 8.0, text)
        }));
    };
    let change_layers = move |add: bool| {
        pg.update(|s| {
            if add && s.hidden.len() < MAX_LAYERS {
                s.hidden.push(2);
            } else if !add {
                s.hidden.pop();
            }
        })
    };
    let change_units = move |l: usize, add: bool| {
        pg.update(|s| {
            if let Some(w) = s.hidden.get_mut(l) {
                *w = if add {
                    (*w + 1).min(MAX_UNITS)
                } else {
                    w.saturating_sub(1).max(1)
                };
            }
        })
    };
    let table = move || {
        let w = weights()?;
        let rows: Vec<(String, String, f32)> = w
            .layers
            .iter()
            .enumerate()
            .flat_map(|(l, layer)| {
                let w = &w;
                (0..layer.fan_out).flat_map(move |j| {
                    (0..layer.fan_in).filter_map(move |i| {
                        w.weight(l, i, j)
                            .map(|v| (source_name(l, i), target_name(l, j), v))
                    })
                })
            })
            .collect();
        Some(view! {
            <table class="data-table pg-weights">
                <thead><tr><th scope="col">"From"</th><th scope="col">"To"</th><th scope="col">"Weight"</th></tr></thead>
                <tbody>{rows.into_iter().map(|(a, b, v)| view! { <tr><td>{a}</td><td>{b}</td><td>{num(v)}</td></tr> }).collect_view()}</tbody>
            </table>
        }.into_any())
    };
    view! {
        <section class="pg-net" aria-label="The network">
            <div class="pg-layers">
                <button type="button" class="button pg-add-layer" on:click=move |_| change_layers(true) disabled={move || hidden.get().len() >= MAX_LAYERS}>"+ layer"</button>
                <button type="button" class="button pg-remove-layer" on:click=move |_| change_layers(false) disabled=move || hidden.get().is_empty()>"− layer"</button>
                <span class="pg-shape">{move || {
                    let h = hidden.get();
                    if h.is_empty() { "No hidden layers".to_string() } else { format!("{} hidden layer{}: {}", h.len(), if h.len() == 1 { "" } else { "s" }, h.iter().map(|w| w.to_string()).collect::<Vec<_>>().join(", ")) }
                }}</span>
            </div>
            <div class="pg-units" style=move || format!("height: 1.6rem; width: {}px", lay.get().width)>
                {move || {
                    let l = lay.get();
                    hidden.get().into_iter().enumerate().map(|(i, w)| {
                        let x = l.columns[i + 1].0 + l.node / 2.0;
                        view! {
                            <span class="pg-unit-buttons" style=format!("left: {x}px")>
                                <button type="button" class="pg-unit-button" aria-label=format!("Add a unit to layer {}", i + 1) disabled={w >= MAX_UNITS} on:click=move |_| change_units(i, true)>"+"</button>
                                <button type="button" class="pg-unit-button" aria-label=format!("Remove a unit from layer {}", i + 1) disabled={w <= 1} on:click=move |_| change_units(i, false)>"−"</button>
                            </span>
                        }
                    }).collect_view()
                }}
            </div>
            <div class="pg-graph" node_ref=boxed>
                <canvas node_ref=canvas class="pg-graph-canvas" aria-hidden="true"
                    style=move || format!("height: {}px", lay.get().height)
                    on:mousemove=hover on:mouseleave=move |_| tip.set(None)></canvas>
                {move || {
                    let l = lay.get();
                    let n = l.node;
                    let (fx, fys) = l.columns[0].clone();
                    let features = Feature::ALL.iter().enumerate().map(|(k, f)| {
                        let f = *f;
                        let on = move || s.with(|s| s.features.contains(&f));
                        view! {
                            <button type="button" class="pg-node pg-feature" aria-pressed=move || on().to_string()
                                aria-label=format!("Feature {}", f.label())
                                style=format!("left: {fx}px; top: {}px; width: {n}px; height: {n}px", fys[k])
                                on:click=move |_| pg.update(|s| {
                                    if let Some(i) = s.features.iter().position(|x| *x == f) {
                                        if s.features.len() > 1 { s.features.remove(i); }
                                    } else {
                                        // Kept in the one fixed order, so a link lists them the same way.
                                        s.features.push(f);
                                        s.features.sort_by_key(|x| Feature::ALL.iter().position(|a| a == x));
                                    }
                                })>
                                <span class="pg-feature-label">{f.label()}</span>
                            </button>
                        }
                    }).collect_view();
                    let units = l.columns[1..].iter().enumerate().flat_map(|(li, (x, ys))| {
                        let (x, n) = (*x, n);
                        ys.iter().enumerate().map(move |(j, y)| {
                            let y = *y;
                            let text = move || describe_unit(li, j);
                            view! {
                                <button type="button" class="pg-node pg-unit" aria-label=target_name(li, j) aria-describedby="pg-tip"
                                    style=format!("left: {x}px; top: {y}px; width: {n}px; height: {n}px")
                                    on:mouseenter=move |_| tip.set(Some((x + n + 4.0, y, text())))
                                    on:focus=move |_| tip.set(Some((x + n + 4.0, y, text())))
                                    on:mouseleave=move |_| tip.set(None)
                                    on:blur=move |_| tip.set(None)></button>
                            }
                        }).collect::<Vec<_>>()
                    }).collect_view();
                    view! { {features}{units} }
                }}
                // Always in the page (hidden when empty): the units are described by it.
                <p class="pg-tip" id="pg-tip" hidden=move || tip.with(Option::is_none)
                    style=move || tip.get().map(|(x, y, _)| {
                        let w = lay.get().width;
                        if x > w * 0.55 { format!("right: {}px; top: {y}px", (w - x + 12.0).max(0.0)) } else { format!("left: {x}px; top: {y}px") }
                    }).unwrap_or_default()>
                    {move || tip.get().map(|(_, _, text)| text).unwrap_or_default()}
                </p>
            </div>
            <p class="hint">"Orange is negative (edges dashed), blue positive; thicker edges are larger weights. Each square shows that unit's output over the plane. Click a feature to switch it on or off."</p>
            <details class="plot-data" on:toggle=move |ev| table_open.set(event_target::<web_sys::HtmlDetailsElement>(&ev).open())>
                <summary>"Show every weight as a table"</summary>
                // Built only while open: hundreds of rows rebuilt every report would cost frames.
                {move || table_open.get().then(|| table().unwrap_or_else(|| view! { <p>"Train to see the weights."</p> }.into_any()))}
            </details>
        </section>
    }
}
