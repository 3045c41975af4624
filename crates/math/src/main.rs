//! The math module: what a page loads, on demand, to typeset its formulas (assets/boot.js
//! fetches it when the first formula nears the screen). It keeps math-core's 40 KB out of
//! the first page.

use wasm_bindgen::prelude::*;

/// MathML for `tex` (a display formula when `block`); the error is why it does not parse.
#[wasm_bindgen]
pub fn render(tex: &str, block: bool) -> Result<String, String> {
    aesop_math::to_mathml(tex, block)
}

fn main() {}
