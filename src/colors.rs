//! The course's colours for two classes and signed values, one scheme for every figure:
//! orange for class 0 and negative values, blue for class 1 and positive ones (as TensorFlow
//! Playground). Orange against blue stays apart for red-green colour-blind readers, where
//! red against green does not; the dark theme's shades are lighter so points stay visible.

use leptos::prelude::window;

pub type Rgb = (u8, u8, u8);

thread_local! {
    /// Parsed once: `matchMedia` parses its query on every call, and a plot asks on every frame
    /// it draws (a profile of a training run put 1.5 ms a call there with the CPU slowed 4×).
    /// The list's `matches` follows the system's theme as it changes.
    static DARK: Option<web_sys::MediaQueryList> =
        window().match_media("(prefers-color-scheme: dark)").ok().flatten();
}

pub fn dark() -> bool {
    DARK.with(|m| m.as_ref().is_some_and(|m| m.matches()))
}

pub struct Colors {
    pub negative: Rgb,
    pub positive: Rgb,
    /// The middle of the scale: the page's own surface.
    pub middle: Rgb,
    pub ink: Rgb,
    pub faint: Rgb,
}

pub fn colors() -> Colors {
    if dark() {
        Colors {
            negative: (245, 158, 60),
            positive: (96, 165, 250),
            middle: (28, 33, 40),
            ink: (231, 233, 236),
            faint: (80, 88, 100),
        }
    } else {
        Colors {
            negative: (230, 126, 14),
            positive: (8, 112, 184),
            middle: (255, 255, 255),
            ink: (29, 35, 43),
            faint: (200, 196, 188),
        }
    }
}

/// A value in [-1, 1] as a colour from orange through the middle to blue; `strength` < 1
/// keeps the colours pale (regions under points).
pub fn diverging(c: &Colors, t: f32, strength: f32) -> Rgb {
    let t = if t.is_finite() {
        t.clamp(-1.0, 1.0)
    } else {
        0.0
    } * strength;
    let (to, k) = if t < 0.0 {
        (c.negative, -t)
    } else {
        (c.positive, t)
    };
    let mix = |a: u8, b: u8| (a as f32 + (b as f32 - a as f32) * k).round() as u8;
    (
        mix(c.middle.0, to.0),
        mix(c.middle.1, to.1),
        mix(c.middle.2, to.2),
    )
}

pub fn css((r, g, b): Rgb) -> String {
    format!("rgb({r},{g},{b})")
}
