//! Showing a model's reply: where a growing reply's Markdown can be cut into blocks that will
//! not change (so only its last block is rendered again as text arrives), and images turned
//! into links (a model's reply must not make the browser fetch what it names).

/// Byte length of the reply's settled part: the blocks before the last blank line that is
/// followed by a line starting in the first column, outside fenced code. Text after such a
/// line cannot change how the blocks before it render (bar reference-style links defined
/// later, which the final render of the whole reply picks up). An indented line after a
/// blank may continue a list item, so it never starts a settled cut.
pub fn settled_len(text: &str) -> usize {
    let mut settled = 0;
    let mut fence: Option<(u8, usize)> = None;
    let mut after_blank = false;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let complete = line.ends_with('\n');
        let body = line.trim_end_matches(['\n', '\r']);
        let blank = body.trim().is_empty();
        if fence.is_none() && after_blank && !blank && !body.starts_with([' ', '\t']) {
            settled = at;
        }
        if let Some(open) = fence_marker(body) {
            match fence {
                None => fence = Some(open),
                Some((c, n))
                    if open.0 == c && open.1 >= n && body.trim()[open.1..].trim().is_empty() =>
                {
                    fence = None
                }
                _ => {}
            }
        }
        after_blank = blank && complete;
        at += line.len();
    }
    settled
}

/// A fence line's character and length: up to three spaces, then three or more ` or ~.
fn fence_marker(line: &str) -> Option<(u8, usize)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line.as_bytes()[indent..];
    let c = *rest.first()?;
    if c != b'`' && c != b'~' {
        return None;
    }
    let n = rest.iter().take_while(|&&b| b == c).count();
    (n >= 3).then_some((c, n))
}

/// Rewrites every `<img src="…" alt="…" …/>` of rendered Markdown into a link to the image.
/// The renderer escapes raw HTML in replies, so every `<img` in its output comes from
/// Markdown image syntax, written by pulldown-cmark as `<img src="URL" alt="ALT" />` (with
/// ` title="…"` before the end when there is a title), attribute values escaped.
pub fn images_as_links(html: &str) -> String {
    const OPEN: &str = "<img src=\"";
    if !html.contains(OPEN) {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(OPEN) {
        out.push_str(&rest[..start]);
        let after = &rest[start + OPEN.len()..];
        let parsed = (|| {
            let (src, after) = after.split_once('"')?;
            let after = after.strip_prefix(" alt=\"")?;
            let (alt, after) = after.split_once('"')?;
            let end = after.find("/>")?;
            Some((src, alt, &after[end + 2..]))
        })();
        match parsed {
            Some((src, alt, tail)) => {
                let words = if alt.trim().is_empty() { "image" } else { alt };
                out.push_str(&format!(
                    "<a class=\"reply-image\" href=\"{src}\" rel=\"noopener noreferrer\" target=\"_blank\">Image (not loaded): {words}</a>"
                ));
                rest = tail;
            }
            // Not the renderer's form: drop the tag's opening so nothing loads.
            None => {
                out.push_str("&lt;img src=\"");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settled(text: &str) -> &str {
        &text[..settled_len(text)]
    }

    #[test]
    fn finished_blocks_settle() {
        assert_eq!(settled("One para"), "");
        assert_eq!(settled("One para.\n\nTwo"), "One para.\n\n");
        assert_eq!(
            settled("# Head\n\nText\nmore\n\n- a\n- b\n\nNext"),
            "# Head\n\nText\nmore\n\n- a\n- b\n\n"
        );
        // A blank line not yet followed by anything settles nothing new.
        assert_eq!(settled("A\n\nB\n\n"), "A\n\n");
        // An indented line after a blank may belong to the list item above.
        assert_eq!(settled("1. item\n\n    more of it"), "");
        assert_eq!(
            settled("1. item\n\n    more of it\n\nAfter"),
            "1. item\n\n    more of it\n\n"
        );
    }

    #[test]
    fn fenced_code_is_never_cut() {
        let text = "Intro\n\n```python\nx = 1\n\ny = 2\n";
        assert_eq!(settled(text), "Intro\n\n");
        let closed = "Intro\n\n```python\nx = 1\n\ny = 2\n```\n\nAfter";
        assert_eq!(
            settled(closed),
            "Intro\n\n```python\nx = 1\n\ny = 2\n```\n\n"
        );
        // A shorter fence or a different character does not close it.
        let text = "````\na\n\n```\n\nb\n";
        assert_eq!(settled(text), "");
        let text = "~~~\na\n\nb\n~~~\n\nc";
        assert_eq!(settled(text), "~~~\na\n\nb\n~~~\n\n");
    }

    #[test]
    fn settled_parts_render_as_the_whole_does() {
        // Rendering settled blocks one by one gives the same HTML as rendering at once.
        let text = "# Title\n\nA paragraph with *emphasis*.\n\n- one\n- two\n\n```\ncode\n\nmore code\n```\n\n1. first\n2. second\n\nLast words";
        let render = |md: &str| {
            let mut out = String::new();
            pulldown_cmark::html::push_html(&mut out, pulldown_cmark::Parser::new(md));
            out
        };
        let mut pieces = String::new();
        let mut done = 0;
        for end in 1..=text.len() {
            let s = settled_len(&text[..end]);
            if s > done {
                pieces.push_str(&render(&text[done..s]));
                done = s;
            }
        }
        pieces.push_str(&render(&text[done..]));
        assert_eq!(pieces, render(text));
    }

    #[test]
    fn images_become_links() {
        let html = r#"<p>See <img src="https://evil.example/track.png?u=1&amp;v=2" alt="a &quot;chart&quot;" /> and <img src="x.png" alt="" title="t" /></p>"#;
        let out = images_as_links(html);
        assert!(!out.contains("<img"), "{out}");
        assert!(out.contains(r#"<a class="reply-image" href="https://evil.example/track.png?u=1&amp;v=2" rel="noopener noreferrer" target="_blank">Image (not loaded): a &quot;chart&quot;</a>"#), "{out}");
        assert!(out.contains(">Image (not loaded): image</a></p>"), "{out}");
        // The renderer's real output.
        let mut rendered = String::new();
        pulldown_cmark::html::push_html(
            &mut rendered,
            pulldown_cmark::Parser::new("![plot](https://x.example/p.png \"T\")"),
        );
        assert!(rendered.contains("<img"));
        let out = images_as_links(&rendered);
        assert!(
            !out.contains("<img") && out.contains("href=\"https://x.example/p.png\""),
            "{out}"
        );
        assert_eq!(images_as_links("<p>no images</p>"), "<p>no images</p>");
        assert!(!images_as_links(r#"<img src="broken"#).contains("<img"));
    }
}
