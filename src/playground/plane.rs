//! The plane: the network's output over [-6, 6]² (the decision regions) with the training
//! and test points on it, where the learner draws points by pointer (click or tap adds one,
//! a drag paints several) or by keyboard (arrows move a cursor, Enter drops a point, Delete
//! erases), each change announced.

use super::data::{Drawing, Tool};
use super::paint::{colors, context, css, diverging, heatmap, Colors, Frame};
use super::Pg;
use aesop_train::playground::{snap, Data};
use aesop_train::spec::{Problem, MAX_OWN_POINTS, PLANE};
use leptos::html::Canvas;
use leptos::prelude::*;
use web_sys::CanvasRenderingContext2d;

/// The regions' grid: 48 × 48 over the plane.
pub const GRID: usize = 48;
/// Points within this distance of a touch or of the cursor are erased.
const ERASE: f32 = 0.4;
/// A drag adds a point each time it has moved this far.
const PAINT_STEP: f32 = 0.35;

/// A point to draw: where, its class or target, whether it is a test point.
type Dot = (f32, f32, f32, bool);

fn dots(pg: &Pg) -> Vec<Dot> {
    let show_test = pg.settings.with(|s| s.show_test);
    let own = pg.settings.with(|s| s.data == Data::Own);
    let regression = pg.settings.with(|s| s.problem()) == Problem::Regression;
    match pg.sets.get() {
        Some(sets) => {
            let (train, test) = &*sets;
            let value = |set: &aesop_train::data::Dataset, i: usize| {
                if regression {
                    set.target[i]
                } else {
                    set.y[i] as f32
                }
            };
            let mut out: Vec<Dot> = (0..train.len())
                .map(|i| (train.x[i][0], train.x[i][1], value(train, i), false))
                .collect();
            if show_test || own {
                out.extend(
                    (0..test.len())
                        .map(|i| (test.x[i][0], test.x[i][1], value(test, i), show_test)),
                );
            }
            out
        }
        // Too few own points for a run yet: draw them all as they are.
        None => pg
            .settings
            .with(|s| s.points.iter().map(|p| (p[0], p[1], p[2], false)).collect()),
    }
}

fn to_px(v: f32, size: f64, flip: bool) -> f64 {
    let t = (v + PLANE) as f64 / (2.0 * PLANE as f64);
    if flip {
        (1.0 - t) * size
    } else {
        t * size
    }
}

/// The points, one path per look (class and train or test; regression points by colour), so
/// the canvas's style changes a handful of times, not twice a point.
fn draw_dots(
    ctx: &CanvasRenderingContext2d,
    c: &Colors,
    dots: &[Dot],
    size: f64,
    regression: bool,
) {
    let shape = |(x, y, v, _): Dot| {
        let (px, py) = (to_px(x, size, false), to_px(y, size, true));
        if !regression && v < 0.5 {
            ctx.move_to(px + 3.5, py - 3.5);
            ctx.rect(px - 3.5, py - 3.5, 7.0, 7.0);
        } else {
            ctx.move_to(px + 4.0, py);
            let _ = ctx.arc(px, py, 4.0, 0.0, std::f64::consts::TAU);
        }
    };
    let looks: Vec<(bool, Option<bool>)> = if regression {
        vec![]
    } else {
        vec![
            (false, Some(false)),
            (false, Some(true)),
            (true, Some(false)),
            (true, Some(true)),
        ]
    };
    for (test, class1) in looks {
        let fill = if class1 == Some(true) {
            c.positive
        } else {
            c.negative
        };
        ctx.set_line_width(if test { 2.0 } else { 1.0 });
        ctx.set_stroke_style_str(&css(if test { fill } else { c.ink }));
        ctx.set_fill_style_str(&css(if test { c.middle } else { fill }));
        ctx.begin_path();
        for &d in dots
            .iter()
            .filter(|d| d.3 == test && Some(d.2 >= 0.5) == class1)
        {
            shape(d);
        }
        ctx.fill();
        ctx.stroke();
    }
    // Regression: each point its own colour on the orange-blue scale.
    if regression {
        for &d in dots {
            let fill = diverging(c, d.2, 1.0);
            ctx.set_line_width(if d.3 { 2.0 } else { 1.0 });
            ctx.set_stroke_style_str(&css(if d.3 { fill } else { c.ink }));
            ctx.set_fill_style_str(&css(if d.3 { c.middle } else { fill }));
            ctx.begin_path();
            shape(d);
            ctx.fill();
            ctx.stroke();
        }
    }
}

fn draw(pg: &Pg, canvas: &web_sys::HtmlCanvasElement, cursor: Option<(f32, f32)>) {
    let Some((ctx, w, _)) = context(canvas) else {
        return;
    };
    let c = colors();
    let regression = pg.settings.with(|s| s.problem()) == Problem::Regression;
    ctx.set_fill_style_str(&css(c.middle));
    ctx.fill_rect(0.0, 0.0, w, w);
    if let Some(r) = pg
        .run
        .snapshot
        .with(|s| s.as_ref().and_then(|s| s.regions.clone()))
    {
        // P(class 1) in [0, 1] or a target in about [-1, 1], on the same orange-blue scale.
        heatmap(&ctx, &r.values, r.n, (0.0, 0.0, w), |v| {
            diverging(&c, if regression { v } else { 2.0 * v - 1.0 }, 0.65)
        });
    }
    // The axes through the origin, faint.
    ctx.set_stroke_style_str(&css(c.faint));
    ctx.set_line_width(1.0);
    ctx.begin_path();
    ctx.move_to(w / 2.0, 0.0);
    ctx.line_to(w / 2.0, w);
    ctx.move_to(0.0, w / 2.0);
    ctx.line_to(w, w / 2.0);
    ctx.stroke();
    draw_dots(&ctx, &c, &dots(pg), w, regression);
    if let Some((x, y)) = cursor {
        let (px, py) = (to_px(x, w, false), to_px(y, w, true));
        ctx.set_stroke_style_str(&css(c.ink));
        ctx.set_line_width(2.0);
        ctx.begin_path();
        let _ = ctx.arc(px, py, 9.0, 0.0, std::f64::consts::TAU);
        ctx.move_to(px - 13.0, py);
        ctx.line_to(px + 13.0, py);
        ctx.move_to(px, py - 13.0);
        ctx.line_to(px, py + 13.0);
        ctx.stroke();
    }
}

/// Adds a point of the drawing tool's class (or target) at (x, y), or erases around it.
fn act(pg: &Pg, drawing: Drawing, x: f32, y: f32, erase: bool) -> Option<String> {
    let (x, y) = (snap(x.clamp(-PLANE, PLANE)), snap(y.clamp(-PLANE, PLANE)));
    let regression = pg.settings.with_untracked(|s| s.problem()) == Problem::Regression;
    if erase || drawing.tool.get_untracked() == Tool::Erase {
        let before = pg.settings.with_untracked(|s| s.points.len());
        pg.update(|s| s.points.retain(|p| (p[0] - x).hypot(p[1] - y) > ERASE));
        let gone = before - pg.settings.with_untracked(|s| s.points.len());
        return (gone > 0).then(|| {
            format!(
                "Erased {gone} point{} near ({x:.2}, {y:.2}); {} left.",
                if gone == 1 { "" } else { "s" },
                before - gone
            )
        });
    }
    if pg.settings.with_untracked(|s| s.points.len()) >= MAX_OWN_POINTS {
        return Some(format!("The plane holds at most {MAX_OWN_POINTS} points."));
    }
    let value = match (regression, drawing.tool.get_untracked()) {
        (true, _) => drawing.target.get_untracked(),
        (false, Tool::Class(c)) => c as f32,
        (false, Tool::Erase) => return None,
    };
    pg.update(|s| s.points.push([x, y, value]));
    let n = pg.settings.with_untracked(|s| s.points.len());
    Some(if regression {
        format!("Added a point with target {value:.2} at ({x:.2}, {y:.2}); {n} points.")
    } else {
        format!("Added a class {value} point at ({x:.2}, {y:.2}); {n} points.")
    })
}

#[component]
pub fn Plane(pg: Pg) -> impl IntoView {
    let drawing = Drawing::get();
    let canvas = NodeRef::<Canvas>::new();
    let cursor = RwSignal::new(None::<(f32, f32)>);
    let said = RwSignal::new(String::new());
    let painting = StoredValue::new(None::<(f32, f32)>);
    let own = Memo::new(move |_| pg.settings.with(|s| s.data == Data::Own));
    let frame = Frame::new(0.0);
    Effect::new(move |_| {
        // Redrawn with every snapshot, every change of points or settings, the cursor.
        cursor.track();
        pg.run.snapshot.track();
        pg.settings.track();
        pg.sets.track();
        canvas.track();
        frame.request(move || {
            // The frame may come after the playground has left the page.
            if let (Some(el), Some(at)) = (
                canvas.try_get_untracked().flatten(),
                cursor.try_get_untracked(),
            ) {
                draw(&pg, &el, at);
            }
        });
    });
    let redraw = move || {
        if let Some(el) = canvas.get_untracked() {
            draw(&pg, &el, cursor.get_untracked());
        }
    };
    let resize = window_event_listener(leptos::ev::resize, move |_| redraw());
    on_cleanup(move || resize.remove());
    let at = move |ev: &web_sys::PointerEvent| -> Option<(f32, f32)> {
        let el = canvas.get_untracked()?;
        let r = el.get_bounding_client_rect();
        let fx = (ev.client_x() as f64 - r.left()) / r.width();
        let fy = (ev.client_y() as f64 - r.top()) / r.height();
        Some((
            (-PLANE as f64 + fx * 2.0 * PLANE as f64) as f32,
            (PLANE as f64 - fy * 2.0 * PLANE as f64) as f32,
        ))
    };
    let not_own = move || {
        said.set("Pick “Your own points” (or “Edit these points”) to draw on the plane.".into())
    };
    let down = move |ev: web_sys::PointerEvent| {
        let Some((x, y)) = at(&ev) else { return };
        if !own.get_untracked() {
            return not_own();
        }
        ev.prevent_default();
        if let Some(el) = canvas.get_untracked() {
            let _ = el.set_pointer_capture(ev.pointer_id());
        }
        painting.set_value(Some((x, y)));
        if let Some(text) = act(&pg, drawing, x, y, false) {
            said.set(text);
        }
    };
    let drag = move |ev: web_sys::PointerEvent| {
        let (Some(last), Some((x, y))) = (painting.get_value(), at(&ev)) else {
            return;
        };
        let erasing = drawing.tool.get_untracked() == Tool::Erase;
        if erasing || (x - last.0).hypot(y - last.1) >= PAINT_STEP {
            painting.set_value(Some((x, y)));
            if let Some(text) = act(&pg, drawing, x, y, false) {
                said.set(text);
            }
        }
    };
    let up = move |_: web_sys::PointerEvent| painting.set_value(None);
    let key = move |ev: web_sys::KeyboardEvent| {
        let (x, y) = cursor.get_untracked().unwrap_or((0.0, 0.0));
        let step = if ev.shift_key() { 1.0 } else { 0.25 };
        let moved = match ev.key().as_str() {
            "ArrowLeft" => Some((x - step, y)),
            "ArrowRight" => Some((x + step, y)),
            "ArrowUp" => Some((x, y + step)),
            "ArrowDown" => Some((x, y - step)),
            _ => None,
        };
        if let Some((nx, ny)) = moved {
            ev.prevent_default();
            let p = (snap(nx.clamp(-PLANE, PLANE)), snap(ny.clamp(-PLANE, PLANE)));
            cursor.set(Some(p));
            said.set(format!("Cursor at ({:.2}, {:.2}).", p.0, p.1));
            return;
        }
        let text = match ev.key().as_str() {
            "Enter" | " " if own.get_untracked() => act(&pg, drawing, x, y, false),
            "Delete" | "Backspace" if own.get_untracked() => {
                act(&pg, drawing, x, y, true).or(Some("No point near the cursor to erase.".into()))
            }
            "0" | "1" if own.get_untracked() => {
                drawing
                    .tool
                    .set(Tool::Class(if ev.key() == "0" { 0 } else { 1 }));
                Some(format!("Drawing class {} points.", ev.key()))
            }
            "e" | "E" if own.get_untracked() => {
                drawing.tool.set(Tool::Erase);
                Some("Eraser: Enter erases near the cursor.".into())
            }
            "Enter" | " " | "Delete" | "Backspace" => {
                not_own();
                None
            }
            _ => return,
        };
        ev.prevent_default();
        if let Some(t) = text {
            said.set(t);
        }
    };
    let summary = move || {
        let n = pg.settings.with(|s| {
            if s.data == Data::Own {
                s.points.len()
            } else {
                0
            }
        });
        let acc = pg
            .run
            .history
            .with(|h| h.last().and_then(|m| m.val_accuracy));
        let mut t = match pg.sets.get() {
            Some(sets) => format!("{} training and {} test points", sets.0.len(), sets.1.len()),
            None => format!("{n} points"),
        };
        if let Some(a) = acc {
            t.push_str(&format!(
                "; the network classifies {:.0}% of the test points correctly",
                a * 100.0
            ));
        }
        t
    };
    view! {
        <figure class="pg-plane">
            <canvas node_ref=canvas class="pg-plane-canvas" tabindex="0" role="application"
                aria-label=move || format!("Data plane from −6 to 6 on both axes, the network's output shaded: {}", summary())
                aria-describedby="pg-plane-help"
                on:pointerdown=down on:pointermove=drag on:pointerup=up on:pointercancel=up
                on:keydown=key
                on:focus=move |_| if cursor.get_untracked().is_none() { cursor.set(Some((0.0, 0.0))) }
                on:blur=move |_| cursor.set(None)></canvas>
            <figcaption class="plot-summary">{summary}</figcaption>
            <p id="pg-plane-help" class="hint">{move || if own.get() {
                "Click or tap to add a point, drag to paint. Keyboard: arrow keys move the cursor (Shift for bigger steps), Enter adds a point, Delete erases, 0 and 1 pick the class, E the eraser."
            } else {
                "Orange squares are class 0, blue circles class 1; rings are test points. To draw, pick “Your own points” or “Edit these points”."
            }}</p>
            <p class="visually-hidden pg-said" aria-live="polite">{move || said.get()}</p>
        </figure>
    }
}
