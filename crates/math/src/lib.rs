//! LaTeX to MathML, one converter for the whole project: the course crate's content check
//! (`cargo test`) and the wasm module the pages load (`main.rs`) give the same answer.
//! Browsers render MathML natively, so no JavaScript math library ships with the site.

use math_core::{LatexToMathML, MathCoreConfig, MathDisplay};
use std::sync::OnceLock;

fn converter() -> &'static LatexToMathML {
    static CONVERTER: OnceLock<LatexToMathML> = OnceLock::new();
    CONVERTER.get_or_init(|| {
        LatexToMathML::new(MathCoreConfig::default()).expect("no custom macros to parse")
    })
}

/// The MathML for `tex` (a display formula when `block`), or why it does not parse.
pub fn to_mathml(tex: &str, block: bool) -> Result<String, String> {
    let display = if block {
        MathDisplay::Block
    } else {
        MathDisplay::Inline
    };
    converter()
        .convert_with_local_state(tex, display)
        .map(|r| r.mathml)
        .map_err(|e| e.error_message().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_mathml() {
        let inline = to_mathml(r"f(x) = \max(0, x)", false).unwrap();
        assert!(
            inline.starts_with("<math") && inline.contains("<mi>f</mi>"),
            "{inline}"
        );
        assert!(!inline.contains("display=\"block\""), "{inline}");
        let block = to_mathml(r"\frac{1}{n} \sum_{i=1}^{n} (y_i - \hat{y}_i)^2", true).unwrap();
        assert!(
            block.contains("display=\"block\"") && block.contains("<mfrac>"),
            "{block}"
        );
    }

    #[test]
    fn a_broken_formula_says_why() {
        let why = to_mathml(r"\frac{1}", false).unwrap_err();
        assert!(!why.is_empty());
    }

    #[test]
    fn markup_in_a_formula_stays_text() {
        let out = to_mathml(r"\text{<script>alert(1)</script>}", false).unwrap();
        assert!(!out.contains("<script"), "{out}");
    }
}
