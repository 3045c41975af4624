//! Model replies as HTML: the lessons' safe Markdown renderer (raw HTML becomes text,
//! unsafe links inert), with images turned into links so a reply cannot make the browser
//! fetch what it names.

use aesop_course::markdown;
use aesop_llm::reply::images_as_links;

pub fn reply_html(text: &str) -> String {
    let mut errors = Vec::new();
    images_as_links(markdown::render("reply", text, 1, &mut errors).as_str())
}

pub fn inline_html(text: &str) -> String {
    let mut errors = Vec::new();
    images_as_links(markdown::render_inline("reply", text, 1, &mut errors).as_str())
}
