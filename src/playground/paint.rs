//! Drawing on a canvas: the course's class colours (`crate::colors`), sized in device
//! pixels, and heatmaps put down as images rather than cell by cell.

use leptos::prelude::*;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

pub use crate::colors::{colors, css, diverging, Colors, Rgb};

/// The canvas's 2-D context with its backing store sized to its CSS box × devicePixelRatio
/// and scaled back, so drawing happens in CSS pixels; returns the CSS size too.
pub fn context(canvas: &HtmlCanvasElement) -> Option<(CanvasRenderingContext2d, f64, f64)> {
    let ratio = window().device_pixel_ratio().max(1.0);
    let (w, h) = (canvas.client_width() as f64, canvas.client_height() as f64);
    if w <= 0.0 || h <= 0.0 {
        return None;
    }
    let (bw, bh) = ((w * ratio) as u32, (h * ratio) as u32);
    if canvas.width() != bw || canvas.height() != bh {
        canvas.set_width(bw);
        canvas.set_height(bh);
    }
    let ctx: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    let _ = ctx.set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0);
    ctx.clear_rect(0.0, 0.0, w, h);
    Some((ctx, w, h))
}

/// An n × n grid of values (row 0 at the top) painted into the square at (x, y) of side
/// `size`, each value through `color`, smoothed (the grid samples a smooth function).
pub fn heatmap(
    ctx: &CanvasRenderingContext2d,
    values: &[f32],
    n: usize,
    (x, y, size): (f64, f64, f64),
    color: impl Fn(f32) -> Rgb,
) {
    crate::heatmap::paint(ctx, values, n, (x, y, size, size), true, color);
}

/// Paints at most once an animation frame, and no sooner than `gap` milliseconds after the
/// last time: reports arrive faster than frames, and a burst of them is drawn once, from the
/// latest. Nothing is drawn once the view is gone.
#[derive(Clone)]
pub struct Frame {
    pending: Arc<AtomicBool>,
    alive: Arc<AtomicBool>,
    /// The last paint's time (ms, as f64 bits) and the least time between two.
    last: Arc<AtomicU64>,
    gap: f64,
}

fn now() -> f64 {
    js_sys::Date::now()
}

impl Frame {
    pub fn new(gap: f64) -> Self {
        let frame = Frame {
            pending: Arc::default(),
            alive: Arc::new(AtomicBool::new(true)),
            last: Arc::default(),
            gap,
        };
        let alive = frame.alive.clone();
        on_cleanup(move || alive.store(false, Ordering::Relaxed));
        frame
    }

    pub fn request(&self, draw: impl Fn() + 'static) {
        if self.pending.swap(true, Ordering::Relaxed) {
            return;
        }
        self.next(std::rc::Rc::new(draw));
    }

    fn next(&self, draw: std::rc::Rc<dyn Fn()>) {
        let me = self.clone();
        request_animation_frame(move || {
            if !me.alive.load(Ordering::Relaxed) {
                return;
            }
            let t = now();
            if t - f64::from_bits(me.last.load(Ordering::Relaxed)) < me.gap {
                return me.next(draw);
            }
            me.pending.store(false, Ordering::Relaxed);
            me.last.store(t.to_bits(), Ordering::Relaxed);
            draw();
        });
    }
}
