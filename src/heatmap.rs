//! Heatmaps put down as images rather than cell by cell: a grid of n × n values becomes one
//! n × n bitmap, drawn scaled where it belongs. Cell by cell through plotters, a 40 × 40 grid
//! was 1,600 rectangles, each with its colour formatted as a CSS string and set on the context.

use crate::colors::Rgb;
use leptos::prelude::document;
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

thread_local! {
    /// Scratch canvases by side: a heatmap is put on one at its own size, then drawn scaled
    /// where it belongs. One per size, so none is resized (and reallocated) per heatmap.
    static SCRATCH: std::cell::RefCell<Vec<(usize, HtmlCanvasElement, CanvasRenderingContext2d)>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn scratch(n: usize) -> Option<(HtmlCanvasElement, CanvasRenderingContext2d)> {
    SCRATCH.with(|all| {
        let mut all = all.borrow_mut();
        if let Some((_, c, x)) = all.iter().find(|(side, ..)| *side == n) {
            return Some((c.clone(), x.clone()));
        }
        let canvas: HtmlCanvasElement =
            document().create_element("canvas").ok()?.dyn_into().ok()?;
        canvas.set_width(n as u32);
        canvas.set_height(n as u32);
        let ctx: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
        all.push((n, canvas.clone(), ctx.clone()));
        Some((canvas, ctx))
    })
}

/// An n × n grid of values (row 0 at the top) painted into the rectangle at (x, y) of `w` × `h`
/// (the context's units), each value through `color`; `smooth` blends neighbouring cells as
/// the bitmap is scaled up (a smooth function), else each cell stays a flat block (bands).
pub fn paint<T: Copy>(
    ctx: &CanvasRenderingContext2d,
    values: &[T],
    n: usize,
    (x, y, w, h): (f64, f64, f64, f64),
    smooth: bool,
    color: impl Fn(T) -> Rgb,
) {
    if n == 0 || values.len() != n * n {
        return;
    }
    let mut rgba = Vec::with_capacity(n * n * 4);
    for &v in values {
        let (r, g, b) = color(v);
        rgba.extend([r, g, b, 255]);
    }
    let Some((canvas, sctx)) = scratch(n) else {
        return;
    };
    let Ok(image) = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&rgba), n as u32, n as u32)
    else {
        return;
    };
    let _ = sctx.put_image_data(&image, 0.0, 0.0);
    ctx.set_image_smoothing_enabled(smooth);
    let _ = ctx.draw_image_with_html_canvas_element_and_dw_and_dh(&canvas, x, y, w, h);
    ctx.set_image_smoothing_enabled(true);
}
