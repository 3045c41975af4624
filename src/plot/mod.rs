//! The one plot component: plotters on a canvas sized in device pixels (sharp on HiDPI),
//! redrawn in place when its data changes, in colours that follow the theme, always with a
//! text alternative (an aria-label and a data table behind a toggle).

use crate::colors::{colors, dark, diverging};
use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;

#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub label: String,
    pub points: Vec<(f64, f64)>,
    /// Index into the palette, so a series keeps its colour across redraws.
    pub color: usize,
    pub dashed: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Chart {
    Lines {
        x_label: String,
        y_label: String,
        series: Vec<Series>,
        log_y: bool,
        marker: Option<(f64, f64)>,
    },
    Bars {
        y_label: String,
        bars: Vec<(String, f64)>,
        log_y: bool,
    },
    /// A grid of values (row 0 at the top) over [x0, x1] × [y0, y1], with paths (one per
    /// optimizer) and points drawn over it.
    Field {
        x: [f64; 2],
        y: [f64; 2],
        values: Vec<f64>,
        n: usize,
        paths: Vec<Series>,
        dots: Vec<(f64, f64, usize)>,
    },
}

struct Palette {
    ink: RGBColor,
    grid: RGBColor,
    series: [RGBColor; 5],
}

fn palette() -> Palette {
    if dark() {
        Palette {
            ink: RGBColor(230, 230, 230),
            grid: RGBColor(70, 74, 80),
            series: [
                RGBColor(96, 165, 250),
                RGBColor(251, 146, 60),
                RGBColor(74, 222, 128),
                RGBColor(244, 114, 182),
                RGBColor(250, 204, 21),
            ],
        }
    } else {
        Palette {
            ink: RGBColor(30, 30, 30),
            grid: RGBColor(220, 220, 220),
            series: [
                RGBColor(29, 78, 216),
                RGBColor(194, 65, 12),
                RGBColor(21, 128, 61),
                RGBColor(190, 24, 93),
                RGBColor(133, 77, 14),
            ],
        }
    }
}

/// Sizes the canvas's backing store to its CSS size × devicePixelRatio; returns the ratio.
fn fit(canvas: &web_sys::HtmlCanvasElement) -> f64 {
    let ratio = window().device_pixel_ratio().max(1.0);
    let css_w = canvas.client_width().max(200) as f64;
    let css_h = canvas.client_height().max(150) as f64;
    let (w, h) = ((css_w * ratio) as u32, (css_h * ratio) as u32);
    if canvas.width() != w || canvas.height() != h {
        canvas.set_width(w);
        canvas.set_height(h);
    }
    ratio
}

impl Chart {
    /// Nothing to plot yet (before a run): the plot shows an empty state, not axes whose
    /// every tick reads 0.
    pub fn is_empty(&self) -> bool {
        self.why_empty().is_some()
    }

    /// Why nothing can be drawn, in the learner's words; `None` when there is something.
    pub fn why_empty(&self) -> Option<&'static str> {
        let zeros =
            "Every value is 0, and a log scale has no place for 0: the table below lists them";
        match self {
            Chart::Lines { series, log_y, .. } => {
                let finite = || {
                    series
                        .iter()
                        .flat_map(|s| &s.points)
                        .filter(|p| p.1.is_finite())
                };
                if finite().next().is_none() {
                    Some("Nothing to plot yet")
                } else if *log_y && finite().all(|p| p.1 <= 0.0) {
                    Some(zeros)
                } else {
                    None
                }
            }
            Chart::Bars { bars, log_y, .. } => {
                if bars.is_empty() {
                    Some("Nothing to plot yet")
                } else if *log_y && bars.iter().all(|b| b.1 <= 0.0) {
                    Some(zeros)
                } else {
                    None
                }
            }
            Chart::Field { values, .. } => values.is_empty().then_some("Nothing to plot yet"),
        }
    }
}

/// The chart's key, drawn as HTML under the canvas rather than on it, where it would cover
/// the curves of a phone-sized plot: (label, CSS colour, dashed) for each named line.
fn key(chart: &Chart) -> Vec<(String, String, bool)> {
    let p = palette();
    let lines: &[Series] = match chart {
        Chart::Lines { series, .. } => series,
        Chart::Field { paths, .. } if paths.len() > 1 => paths,
        _ => &[],
    };
    lines
        .iter()
        .filter(|s| !s.label.is_empty() && !s.points.is_empty())
        .map(|s| {
            let c = p.series[s.color % p.series.len()];
            (
                s.label.clone(),
                format!("rgb({}, {}, {})", c.0, c.1, c.2),
                s.dashed,
            )
        })
        .collect()
}

/// A log axis's range widened to whole powers of ten, so every tick is a power of ten and
/// at least two of them show.
fn decades(lo: f64, hi: f64) -> (f64, f64, usize) {
    let (a, b) = (
        lo.max(1e-12).log10().floor(),
        hi.max(lo * 10.0).log10().ceil(),
    );
    let b = b.max(a + 1.0);
    (10f64.powf(a), 10f64.powf(b), (b - a) as usize)
}

/// A log axis's tick: "1", or 10 with a superscript power ("10⁻⁴"); one format for every
/// log axis. Ticks that are not powers of ten (plotters adds some) get no label.
pub fn log_tick(v: f64) -> String {
    let k = v.log10().round();
    if !v.is_finite() || v <= 0.0 || (v / 10f64.powf(k) - 1.0).abs() > 1e-6 {
        return String::new();
    }
    if k == 0.0 {
        return "1".into();
    }
    let digits: String = format!("{}", k as i64)
        .chars()
        .map(|c| match c {
            '-' => '⁻',
            d => ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'][d as usize - '0' as usize],
        })
        .collect();
    format!("10{digits}")
}

/// How many x ticks, at most: on an axis of whole numbers (epochs, steps) few enough that
/// plotters' 1-2-5 steps stay whole, so no tick falls between two epochs.
fn x_ticks(series: &[Series], x_max: f64) -> usize {
    let whole = series
        .iter()
        .flat_map(|s| &s.points)
        .all(|p| p.0.fract() == 0.0);
    if whole {
        (x_max as usize + 1).clamp(2, 16)
    } else {
        10
    }
}

fn context2d(canvas: &web_sys::HtmlCanvasElement) -> Option<web_sys::CanvasRenderingContext2d> {
    canvas.get_context("2d").ok().flatten()?.dyn_into().ok()
}

fn draw(canvas: &web_sys::HtmlCanvasElement, chart: &Chart) -> Result<(), String> {
    let ratio = fit(canvas);
    let px = |v: f64| (v * ratio) as u32;
    let font = |size: f64| ("sans-serif", size * ratio);
    let p = palette();
    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("no canvas context")?;
    let root = backend.into_drawing_area();
    // Transparent background: the page's own colour shows through in either theme.
    let (w, h) = root.dim_in_pixel();
    if let Some(ctx) = context2d(canvas) {
        ctx.clear_rect(0.0, 0.0, w as f64, h as f64);
    }
    let err = |e: DrawingAreaErrorKind<_>| format!("{e:?}");
    if chart.is_empty() {
        return Ok(());
    }
    let label = |v: &f64| fmt(*v);
    match chart {
        Chart::Lines {
            x_label,
            y_label,
            series,
            log_y,
            marker,
        } => {
            let xs = || series.iter().flat_map(|s| s.points.iter().map(|p| p.0));
            let x_max = xs().fold(1.0f64, f64::max);
            // Counted from 1 (layers): the axis starts there, not at a layer 0 that is not one.
            let x_min = xs().fold(f64::MAX, f64::min);
            let x_lo = if x_min == 1.0 && x_max > 1.0 {
                1.0
            } else {
                0.0
            };
            let ys: Vec<f64> = series
                .iter()
                .flat_map(|s| s.points.iter().map(|p| p.1))
                .filter(|v| v.is_finite())
                .collect();
            let y_max = ys.iter().copied().fold(f64::MIN, f64::max).max(1e-6) * 1.05;
            let y_min = ys.iter().copied().fold(f64::MAX, f64::min).min(y_max / 2.0);
            let ticks = x_ticks(series, x_max);
            let mut builder = ChartBuilder::on(&root);
            // A wider right margin: the last x label is centred on the axis's end and would
            // otherwise be cut off by the canvas's edge.
            builder
                .margin(px(10.0))
                .margin_right(px(26.0))
                .x_label_area_size(px(36.0))
                .y_label_area_size(px(56.0));
            // The same drawing on a linear or a log y axis (different coordinate types).
            macro_rules! draw_series {
                ($chart:expr) => {
                    let count = series.len();
                    for (k, s) in series.iter().enumerate() {
                        let color = p.series[s.color % p.series.len()];
                        // Earlier lines are drawn wider, under later ones: two runs that land
                        // on the same curve still show both colours, one as the other's rim.
                        let width = if s.dashed { 1.5 } else { 2.0 + 1.5 * (count - 1 - k).min(3) as f64 };
                        let style = ShapeStyle { color: color.to_rgba(), filled: false, stroke_width: px(width) };
                        // A log axis cannot place 0: those points are left out (the summary says so).
                        let points = s.points.iter().copied().filter(|p| p.1.is_finite() && (!*log_y || p.1 > 0.0));
                        let drawn = if s.dashed {
                            $chart.draw_series(DashedLineSeries::new(points, px(6.0), px(4.0), style))
                        } else {
                            $chart.draw_series(LineSeries::new(points, style))
                        };
                        drawn
                            .map_err(err)?
                            .label(s.label.clone())
                            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
                    }
                };
            }
            if *log_y {
                let lo = ys
                    .iter()
                    .copied()
                    .filter(|v| *v > 0.0)
                    .fold(f64::MAX, f64::min);
                let (lo, hi, n) = decades(lo, y_max);
                let mut c = builder
                    .build_cartesian_2d(x_lo..x_max, (lo..hi).log_scale())
                    .map_err(err)?;
                c.configure_mesh()
                    .x_labels(ticks)
                    .y_labels(n + 1)
                    .x_label_formatter(&label)
                    .y_label_formatter(&|v| log_tick(*v))
                    .x_desc(x_label.as_str())
                    .y_desc(format!("{y_label} (log)"))
                    .label_style(font(12.0).into_font().color(&p.ink))
                    .axis_style(p.ink)
                    .light_line_style(p.grid)
                    .bold_line_style(p.grid)
                    .draw()
                    .map_err(err)?;
                draw_series!(c);
            } else {
                let mut c = builder
                    .build_cartesian_2d(x_lo..x_max, y_min.min(0.0)..y_max)
                    .map_err(err)?;
                c.configure_mesh()
                    .x_labels(ticks)
                    .x_label_formatter(&label)
                    .y_label_formatter(&label)
                    .x_desc(x_label.as_str())
                    .y_desc(y_label.as_str())
                    .label_style(font(12.0).into_font().color(&p.ink))
                    .axis_style(p.ink)
                    .light_line_style(p.grid)
                    .bold_line_style(p.grid)
                    .draw()
                    .map_err(err)?;
                draw_series!(c);
                if let Some((mx, my)) = marker {
                    c.draw_series(std::iter::once(Circle::new(
                        (*mx, *my),
                        px(5.0),
                        p.ink.filled(),
                    )))
                    .map_err(err)?;
                }
            }
        }
        Chart::Bars {
            y_label,
            bars,
            log_y,
        } => {
            // Segmented x: each bar owns a slot, and its label sits under the slot's centre.
            let n = bars.len().max(1);
            let top = bars.iter().map(|b| b.1).fold(1e-12f64, f64::max) * 1.2;
            let mut builder = ChartBuilder::on(&root);
            builder
                .margin(px(10.0))
                .margin_right(px(26.0))
                .x_label_area_size(px(36.0))
                .y_label_area_size(px(56.0));
            let labels: Vec<String> = bars.iter().map(|b| b.0.clone()).collect();
            let x_label = |x: &SegmentValue<usize>| match x {
                SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
                _ => String::new(),
            };
            let bar = |i: usize, from: f64, v: f64| {
                let mut r = Rectangle::new(
                    [
                        (SegmentValue::Exact(i), from),
                        (SegmentValue::Exact(i + 1), v),
                    ],
                    p.series[0].filled(),
                );
                r.set_margin(0, 0, px(4.0), px(4.0));
                r
            };
            let x_axis = (0..n).into_segmented();
            if *log_y {
                let lo = bars
                    .iter()
                    .map(|b| b.1)
                    .filter(|v| *v > 0.0)
                    .fold(f64::MAX, f64::min);
                let (lo, hi, decades) = decades(lo, top);
                let mut c = builder
                    .build_cartesian_2d(x_axis, (lo..hi).log_scale())
                    .map_err(err)?;
                c.configure_mesh()
                    .disable_x_mesh()
                    .x_labels(n)
                    .y_labels(decades + 1)
                    .x_label_formatter(&x_label)
                    .y_label_formatter(&|v| log_tick(*v))
                    .x_desc("layer (input side first)")
                    .y_desc(format!("{y_label} (log)"))
                    .label_style(font(12.0).into_font().color(&p.ink))
                    .axis_style(p.ink)
                    .light_line_style(p.grid)
                    .bold_line_style(p.grid)
                    .draw()
                    .map_err(err)?;
                c.draw_series(
                    bars.iter()
                        .enumerate()
                        .filter(|(_, b)| b.1 > 0.0)
                        .map(|(i, b)| bar(i, lo, b.1)),
                )
                .map_err(err)?;
            } else {
                let mut c = builder.build_cartesian_2d(x_axis, 0.0..top).map_err(err)?;
                c.configure_mesh()
                    .disable_x_mesh()
                    .x_labels(n)
                    .x_label_formatter(&x_label)
                    .y_label_formatter(&label)
                    .x_desc("layer (input side first)")
                    .y_desc(y_label.as_str())
                    .label_style(font(12.0).into_font().color(&p.ink))
                    .axis_style(p.ink)
                    .light_line_style(p.grid)
                    .bold_line_style(p.grid)
                    .draw()
                    .map_err(err)?;
                c.draw_series(bars.iter().enumerate().map(|(i, b)| bar(i, 0.0, b.1)))
                    .map_err(err)?;
            }
        }
        Chart::Field {
            x,
            y,
            values,
            n,
            paths,
            dots,
        } => {
            let mut builder = ChartBuilder::on(&root);
            builder
                .margin(px(10.0))
                .x_label_area_size(px(30.0))
                .y_label_area_size(px(40.0));
            let mut c = builder
                .build_cartesian_2d(x[0]..x[1], y[0]..y[1])
                .map_err(err)?;
            let (lo, hi) = values
                .iter()
                .fold((f64::MAX, f64::MIN), |(a, b), &v| (a.min(v), b.max(v)));
            let base = if dark() {
                (20.0, 24.0, 32.0)
            } else {
                (255.0, 255.0, 255.0)
            };
            let accent = (
                p.series[0].0 as f64,
                p.series[0].1 as f64,
                p.series[0].2 as f64,
            );
            // With points on it, the field is a classifier's P(class 1): pale orange through
            // the page's surface to pale blue, the classes' own colours.
            let classes = !dots.is_empty();
            let scheme = colors();
            let cell = |v: f64| {
                if classes {
                    return diverging(&scheme, (2.0 * v - 1.0) as f32, 0.55);
                }
                // Low values dark (accent), high values light: "darker is lower".
                // Twelve filled bands: a filled contour plot, where each edge is a level line.
                let t = if hi > lo {
                    (((v - lo) / (hi - lo)).sqrt() * 12.0).floor().min(11.0) / 11.0
                } else {
                    0.5
                };
                let mix = |a: f64, b: f64| (a + (b - a) * t) as u8;
                (
                    mix(accent.0, base.0),
                    mix(accent.1, base.1),
                    mix(accent.2, base.2),
                )
            };
            // The field fills the plotting area (its ranges are the chart's): one bitmap,
            // each cell a flat block, as the rectangles it replaces were.
            let (xs, ys) = c.plotting_area().get_pixel_range();
            if let Some(ctx) = context2d(canvas) {
                crate::heatmap::paint(
                    &ctx,
                    values,
                    *n,
                    (
                        xs.start as f64,
                        ys.start as f64,
                        (xs.end - xs.start) as f64,
                        (ys.end - ys.start) as f64,
                    ),
                    false,
                    cell,
                );
            }
            c.configure_mesh()
                .disable_mesh()
                .label_style(font(11.0).into_font().color(&p.ink))
                .axis_style(p.ink)
                .draw()
                .map_err(err)?;
            // Each point in its class's full colour with a rim of the page's ink, so it
            // stands out from the pale region under it in either theme.
            let rim = p.ink;
            for &(px_, py, class) in dots {
                let (cr, cg, cb) = if class == 0 {
                    scheme.negative
                } else {
                    scheme.positive
                };
                c.draw_series([
                    Circle::new((px_, py), px(3.4), rim.filled()),
                    Circle::new((px_, py), px(2.6), RGBColor(cr, cg, cb).filled()),
                ])
                .map_err(err)?;
            }
            for s in paths.iter().filter(|s| !s.points.is_empty()) {
                let color = p.series[s.color % p.series.len()];
                let style = ShapeStyle {
                    color: color.to_rgba(),
                    filled: false,
                    stroke_width: px(2.5),
                };
                c.draw_series(LineSeries::new(s.points.iter().copied(), style))
                    .map_err(err)?
                    .label(s.label.clone())
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
                if let (Some(first), Some(last)) = (s.points.first(), s.points.last()) {
                    c.draw_series([
                        Circle::new(*first, px(5.0), color.filled()),
                        Circle::new(*last, px(6.0), p.ink.filled()),
                    ])
                    .map_err(err)?;
                }
            }
        }
    }
    root.present().map_err(err)
}

/// A table of the plotted numbers, for readers who cannot see the canvas.
fn table(chart: &Chart) -> AnyView {
    match chart {
        Chart::Lines { x_label, series, .. } => {
            let rows: Vec<f64> = series.first().map(|s| s.points.iter().map(|p| p.0).collect()).unwrap_or_default();
            let step = (rows.len() / 40).max(1);
            view! {
                <table class="data-table">
                    <thead><tr><th scope="col">{x_label.clone()}</th>{series.iter().map(|s| view! { <th scope="col">{s.label.clone()}</th> }).collect_view()}</tr></thead>
                    <tbody>{rows.iter().enumerate().filter(|(i, _)| i % step == 0 || *i + 1 == rows.len()).map(|(i, x)| view! {
                        <tr><td>{fmt(*x)}</td>{series.iter().map(|s| view! { <td>{s.points.get(i).map(|p| fmt(p.1)).unwrap_or_default()}</td> }).collect_view()}</tr>
                    }).collect_view()}</tbody>
                </table>
            }
            .into_any()
        }
        Chart::Bars { y_label, bars, .. } => view! {
            <table class="data-table">
                <thead><tr><th scope="col">"Layer"</th><th scope="col">{y_label.clone()}</th></tr></thead>
                <tbody>{bars.iter().map(|(l, v)| view! { <tr><td>{l.clone()}</td><td>{fmt(*v)}</td></tr> }).collect_view()}</tbody>
            </table>
        }
        .into_any(),
        Chart::Field { paths, dots, .. } if paths.iter().all(|s| s.points.is_empty()) => view! {
            <table class="data-table">
                <thead><tr><th scope="col">"x"</th><th scope="col">"y"</th><th scope="col">"class"</th></tr></thead>
                <tbody>{dots.iter().take(40).map(|d| view! { <tr><td>{fmt(d.0)}</td><td>{fmt(d.1)}</td><td>{d.2}</td></tr> }).collect_view()}</tbody>
            </table>
        }
        .into_any(),
        Chart::Field { paths, .. } => {
            let longest = paths.iter().map(|s| s.points.len()).max().unwrap_or(0);
            let step = (longest / 40).max(1);
            view! {
                <table class="data-table">
                    <thead><tr><th scope="col">"Step"</th>{paths.iter().map(|s| view! { <th scope="col">{format!("{} (x, y)", s.label)}</th> }).collect_view()}</tr></thead>
                    <tbody>{(0..longest).filter(|i| i % step == 0 || i + 1 == longest).map(|i| view! {
                        <tr><td>{i}</td>{paths.iter().map(|s| view! { <td>{s.points.get(i).map(|p| format!("({}, {})", fmt(p.0), fmt(p.1))).unwrap_or_default()}</td> }).collect_view()}</tr>
                    }).collect_view()}</tbody>
                </table>
            }
            .into_any()
        }
    }
}

pub fn fmt(v: f64) -> String {
    if v == 0.0 || (1e-3..1e4).contains(&v.abs()) {
        format!("{v:.4}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    } else {
        format!("{v:.2e}")
    }
}

/// `label` names the plot for assistive technology; `summary` is a sentence of what it shows now.
#[component]
pub fn Plot(
    #[prop(into)] chart: Signal<Chart>,
    #[prop(into)] label: String,
    #[prop(into)] summary: Signal<String>,
    #[prop(optional)] on_click: Option<Callback<(f64, f64)>>,
) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let problem = RwSignal::new(None::<String>);
    // Drawn at most once an animation frame: reports can come faster than frames.
    let pending = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let alive = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let gone = alive.clone();
    on_cleanup(move || gone.store(false, std::sync::atomic::Ordering::Relaxed));
    Effect::new(move |_| {
        use std::sync::atomic::Ordering::Relaxed;
        chart.track();
        canvas.track();
        if pending.swap(true, Relaxed) {
            return;
        }
        let (pending, alive) = (pending.clone(), alive.clone());
        request_animation_frame(move || {
            pending.store(false, Relaxed);
            // A frame can come after the plot's node or its chart's source has left (a lesson
            // left while its demos load): then there is nothing to draw.
            if let (true, Some(el), Some(chart)) = (
                alive.load(Relaxed),
                canvas.try_get_untracked().flatten(),
                chart.try_get_untracked(),
            ) {
                problem.set(draw(&el, &chart).err());
            }
        });
    });
    // Redraw on resize and theme change so the canvas stays sharp and readable.
    let redraw = move || {
        if let (Some(el), Some(chart)) = (
            canvas.try_get_untracked().flatten(),
            chart.try_get_untracked(),
        ) {
            let _ = draw(&el, &chart);
        }
    };
    // Removed with the plot: a listener left behind would touch this plot's disposed signals.
    let listener = window_event_listener(leptos::ev::resize, move |_| redraw());
    on_cleanup(move || listener.remove());
    let click = move |ev: web_sys::MouseEvent| {
        let (Some(cb), Some(el)) = (on_click, canvas.get_untracked()) else {
            return;
        };
        if let Chart::Field { x, y, .. } = chart.get_untracked() {
            // Map the click through the same margins the chart uses (10 + 40 px left, 10 + 30 bottom).
            let rect = el.get_bounding_client_rect();
            let (left, right, top, bottom) = (50.0, 10.0, 10.0, 40.0);
            let fx = ((ev.client_x() as f64 - rect.left() - left) / (rect.width() - left - right))
                .clamp(0.0, 1.0);
            let fy = ((ev.client_y() as f64 - rect.top() - top) / (rect.height() - top - bottom))
                .clamp(0.0, 1.0);
            cb.run((x[0] + fx * (x[1] - x[0]), y[1] - fy * (y[1] - y[0])));
        }
    };
    let why_empty = Memo::new(move |_| chart.with(Chart::why_empty));
    let empty = Memo::new(move |_| why_empty.get().is_some());
    let table_open = RwSignal::new(false);
    view! {
        <figure class="plot" class:plot-empty=empty>
            <canvas node_ref=canvas role="img" aria-label=move || format!("{label}: {}", summary.get()) on:click=click class:clickable=on_click.is_some()></canvas>
            {move || why_empty.get().map(|why| view! { <p class="plot-empty-note" aria-hidden=(why == "Nothing to plot yet").then_some("true")>{why}</p> })}
            {move || {
                let key = chart.with(key);
                (key.len() > 1).then(|| view! {
                    <ul class="plot-key">
                        {key.into_iter().map(|(label, color, dashed)| view! {
                            <li><span class="plot-key-line" class:dashed=dashed style=format!("border-top-color: {color}")></span>{label}</li>
                        }).collect_view()}
                    </ul>
                })
            }}
            <figcaption class="plot-summary">{move || summary.get()}</figcaption>
            {move || problem.get().map(|p| view! { <p class="plot-problem" role="status">{format!("The plot could not be drawn: {p}")}</p> })}
            <details class="plot-data" on:toggle=move |ev| table_open.set(event_target::<web_sys::HtmlDetailsElement>(&ev).open())>
                <summary>"Show the data as a table"</summary>
                // Built when opened, not on every report.
                {move || table_open.get().then(|| table(&chart.get()))}
            </details>
        </figure>
    }
}
