//! Markdown to safe HTML. Raw HTML in content is shown as text, links and images with an
//! unsafe scheme are shown as their text, and `$…$` / `$$…$$` become placeholders holding
//! their LaTeX (`<span class="math-tex">`), which the on-demand math module (crates/math,
//! started by assets/boot.js) turns into MathML as they near the screen. With the
//! `check-math` feature (this crate's tests) every formula is converted here too, so a broken
//! one is reported with its file and line.

use crate::error::{line_of, Errors};
use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

/// HTML produced by this module: safe to place in the page as markup.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Html(String);

impl Html {
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.trim().is_empty()
    }

    /// The words without the markup, for places that want plain text (an LLM prompt).
    pub fn plain_text(&self) -> String {
        plain_text_of(&self.0)
    }
}

/// Markup of this module's making as plain words.
pub fn plain_text_of(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let words = out.split_whitespace().collect::<Vec<_>>().join(" ");
    words
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_MATH
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Only these link targets survive; `javascript:`, `data:`, `vbscript:` and the rest are dropped.
fn is_safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    match lower.find(':') {
        // A colon before any `/`, `?` or `#` is a scheme.
        Some(colon) if !lower[..colon].contains(['/', '?', '#']) => {
            ["http", "https", "mailto"].contains(&&lower[..colon])
        }
        _ => true,
    }
}

/// Renders a Markdown fragment whose first line is `first_line` of `path`.
pub fn render(path: &str, text: &str, first_line: usize, errors: &mut Errors) -> Html {
    let mut out = String::with_capacity(text.len() * 3 / 2);
    // For each open link or image: whether it was dropped (its end is dropped with it).
    let mut dropped: Vec<bool> = Vec::new();
    let events = Parser::new_ext(text, options())
        .into_offset_iter()
        .filter_map(|(event, range)| {
            let line = || first_line - 1 + line_of(text, range.start);
            Some(match event {
                Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
                Event::InlineMath(tex) => math(path, &tex, false, line(), errors),
                Event::DisplayMath(tex) => math(path, &tex, true, line(), errors),
                // An unsafe link keeps its text and loses the link: an `<a>` to `#` would
                // still navigate (to the course home, with fragment routing). An unsafe image
                // shows its description instead.
                Event::Start(Tag::Link { ref dest_url, .. })
                | Event::Start(Tag::Image { ref dest_url, .. }) => {
                    let image = matches!(event, Event::Start(Tag::Image { .. }));
                    let unsafe_target =
                        !is_safe_url(dest_url) || (image && dest_url.trim().is_empty());
                    dropped.push(unsafe_target);
                    if unsafe_target {
                        return None;
                    }
                    event
                }
                Event::End(TagEnd::Link | TagEnd::Image) => {
                    if dropped.pop().unwrap_or(false) {
                        return None;
                    }
                    event
                }
                other => other,
            })
        });
    html::push_html(&mut out, events);
    Html(out)
}

/// Renders one paragraph's worth of Markdown without the surrounding `<p>`, for option
/// labels and one-line texts.
pub fn render_inline(path: &str, text: &str, line: usize, errors: &mut Errors) -> Html {
    let Html(block) = render(path, text, line, errors);
    let trimmed = block.trim();
    let inner = trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
        .filter(|s| !s.contains("<p>"));
    Html(inner.unwrap_or(trimmed).to_string())
}

fn math<'a>(path: &str, tex: &str, block: bool, line: usize, errors: &mut Errors) -> Event<'a> {
    #[cfg(feature = "check-math")]
    if let Err(why) = aesop_math::to_mathml(tex, block) {
        errors.push(crate::error::ContentError::new(
            path,
            line,
            format!("the formula `{tex}` does not parse: {why}"),
        ));
    }
    #[cfg(not(feature = "check-math"))]
    let _ = (path, line, errors);
    let source = tex
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    Event::Html(CowStr::from(if block {
        // A display formula may be wider than a phone: it scrolls inside a box that keyboard
        // users can reach (tabindex) and screen readers can name.
        format!(
            "<span class=\"math-scroll\" tabindex=\"0\" role=\"group\" aria-label=\"formula\"><span class=\"math-tex\" data-block=\"\">{source}</span></span>"
        )
    } else {
        format!("<span class=\"math-tex\">{source}</span>")
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(md: &str) -> String {
        let mut errors = vec![];
        let out = render("t.md", md, 1, &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        out.as_str().to_string()
    }

    #[test]
    fn raw_html_is_text() {
        let out = html("<script>alert(1)</script>\n\nHi <img src=x onerror=alert(1)>");
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("<img"), "{out}");
        assert!(out.contains("&lt;script&gt;"), "{out}");
    }

    #[test]
    fn unsafe_links_lose_their_target() {
        let out = html("[a](javascript:alert(1)) [b](data:text/html,x) [c](https://example.org) [d](lesson.md) ![e](javascript:x)");
        assert!(
            !out.contains("javascript:") && !out.contains("data:"),
            "{out}"
        );
        // Their text stays, as plain text: no link (not even to `#`), no image.
        assert!(out.starts_with("<p>a b <a href="), "{out}");
        assert!(out.contains("</a> e</p>") && !out.contains("<img"), "{out}");
        assert!(
            out.contains(r#"href="https://example.org""#) && out.contains(r#"href="lesson.md""#),
            "{out}"
        );
    }

    #[test]
    fn formulas_become_placeholders_with_their_source() {
        let out = html(r"$a < b$ and $$w_{\text{new}} = w - \text{lr} \times g$$");
        assert!(
            out.contains(r#"<span class="math-tex">a &lt; b</span>"#),
            "{out}"
        );
        assert!(
            out.contains(r#"aria-label="formula"><span class="math-tex" data-block="">w_{\text{new}} = w - \text{lr} \times g</span></span>"#),
            "{out}"
        );
    }

    #[test]
    fn a_broken_formula_is_reported_with_its_line() {
        let mut errors = vec![];
        render("l.md", "one\n\ntwo $\\frac{1}$", 10, &mut errors);
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0]
                .to_string()
                .starts_with("l.md:12: the formula `\\frac{1}` does not parse"),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn plain_text_drops_markup() {
        let mut errors = vec![];
        assert_eq!(
            render("t.md", "A *b* &amp; <c>", 1, &mut errors).plain_text(),
            "A b & <c>"
        );
    }

    #[test]
    fn inline_rendering_drops_the_paragraph() {
        let mut errors = vec![];
        assert_eq!(
            render_inline("t.md", "*MSE*", 1, &mut errors).as_str(),
            "<em>MSE</em>"
        );
    }
}
