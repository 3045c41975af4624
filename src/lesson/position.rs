//! The reading position: a reload brings the learner back to where they were reading, not to
//! the top. Kept per lesson for the tab's life (sessionStorage) as the first block on screen and
//! where its top was, the same anchor the reader-to-full-app swap keeps, so it survives
//! formulas and demos that change height as they arrive. Only the page the tab opened on is
//! restored, when it is that lesson: moving to a lesson by its link starts at its top, as any
//! new page does.

use leptos::html::Article;
use leptos::prelude::*;
use std::cell::Cell;
use wasm_bindgen::JsCast;

thread_local! {
    /// Whether this app has already shown a page: a later page is a move, not a reload.
    static FIRST_PAGE: Cell<bool> = const { Cell::new(true) };
    /// The route the tab's page was loaded on (`module/step`), read as the app starts
    /// (`note_opening`): a tab opened on a quiz that then moves to a lesson starts it at its top.
    static OPENED_ON: String = window()
        .location()
        .hash()
        .unwrap_or_default()
        .trim_start_matches('#')
        .trim_start_matches('/')
        .split('?')
        .next()
        .unwrap_or_default()
        .to_string();
}

/// Notes the route the page was loaded on; called once, when the app starts.
pub fn note_opening() {
    OPENED_ON.with(|_| ());
}

/// Frames to wait for the blocks before the saved one to be laid out (about two seconds).
const TRIES: u32 = 120;

fn storage_key(lesson: &str) -> String {
    format!("{}{lesson}", crate::storage::keys::POSITION_PREFIX)
}

/// This app is the full app still hidden behind the reader: its layout is not what the
/// learner sees, so it neither saves nor restores.
fn behind_the_reader(article: &web_sys::Element) -> bool {
    article.closest(".app-pending").ok().flatten().is_some()
}

/// The first block whose bottom is below the top of the screen, and where its top is.
fn anchor(article: &web_sys::Element) -> Option<(u32, f64)> {
    let blocks = article.children();
    (0..blocks.length()).find_map(|i| {
        let rect = blocks.item(i)?.get_bounding_client_rect();
        (rect.bottom() > 0.0).then(|| (i, rect.top()))
    })
}

fn restore(article: web_sys::Element, (index, top): (u32, f64), tries: u32) {
    request_animation_frame(move || {
        if behind_the_reader(&article) || !article.is_connected() {
            return;
        }
        let Some(block) = article.children().item(index) else {
            if tries < TRIES {
                restore(article, (index, top), tries + 1);
            }
            return;
        };
        let jump = web_sys::ScrollToOptions::new();
        jump.set_behavior(web_sys::ScrollBehavior::Instant);
        jump.set_top(block.get_bounding_client_rect().top() - top);
        window().scroll_by_with_scroll_to_options(&jump);
    });
}

/// Saves the position as the learner scrolls and, on the tab's first page, goes back to it.
pub fn keep(lesson: String) -> NodeRef<Article> {
    let node = NodeRef::<Article>::new();
    let first = FIRST_PAGE.with(|f| f.replace(false)) && OPENED_ON.with(|o| *o == lesson);
    // The storage object itself, not `storage::set`: a position is rewritten every frame of a
    // scroll, one that cannot be kept is simply not restored, and the reader's bytes count.
    let storage = window().session_storage().ok().flatten();
    if let (true, Some(s)) = (first, &storage) {
        let saved = s
            .get_item(&storage_key(&lesson))
            .ok()
            .flatten()
            .and_then(|v| {
                let (i, top) = v.split_once(',')?;
                Some((i.parse::<u32>().ok()?, top.parse::<i32>().ok()? as f64))
            });
        if let Some(at) = saved.filter(|(i, _)| *i > 0) {
            if let Ok(history) = window().history() {
                let _ = history.set_scroll_restoration(web_sys::ScrollRestoration::Manual);
            }
            node.on_load(move |el| restore(el.into(), at, 0));
        }
    }
    let Some(storage) = storage else {
        return node;
    };
    let pending = std::rc::Rc::new(Cell::new(false));
    let handle = window_event_listener(leptos::ev::scroll, move |_| {
        // One write a frame at most, however fast the page scrolls.
        if pending.replace(true) {
            return;
        }
        let (pending, storage, lesson) = (pending.clone(), storage.clone(), lesson.clone());
        request_animation_frame(move || {
            pending.set(false);
            // The frame may come after the lesson has gone (its node ref disposed).
            let Some(article) = node.try_get_untracked().flatten() else {
                return;
            };
            let article: web_sys::Element = article.unchecked_into();
            if behind_the_reader(&article) {
                return;
            }
            if let Some((i, top)) = anchor(&article) {
                // Whole pixels: float formatting would grow the reader for nothing.
                let _ = storage.set_item(
                    &storage_key(&lesson),
                    &format!("{i},{}", top.round() as i32),
                );
            }
        });
    });
    on_cleanup(move || handle.remove());
    node
}
