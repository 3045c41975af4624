//! A reply while it streams. It belongs to the page, not to the chat on screen: leaving the
//! lab and coming back neither stops it nor loses it, and the chat shows whichever reply is
//! under way for its lab. Its text so far is saved apart from progress (at most once a
//! second, and at once when the page is hidden or left), so a reload mid-reply keeps what
//! had arrived; the transcript holds the reply as `Streaming` until it ends.
//!
//! On screen only the growing end is rendered again as text arrives: the blocks before it
//! (`aesop_llm::reply::settled_len`) are rendered once and appended, and each render waits
//! for the next animation frame, so a long reply costs about the same per frame as a short one.

use super::render::reply_html;
use super::send::Abort;
use aesop_llm::reply::settled_len;
use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use std::time::Duration;

use crate::storage::{self, keys::LIVE_PREFIX as PREFIX, Area};
const SAVE_EVERY: Duration = Duration::from_millis(1000);

thread_local! {
    static ACTIVE: RefCell<HashMap<String, Rc<Live>>> = RefCell::new(HashMap::new());
    static HOOKED: Cell<bool> = const { Cell::new(false) };
    /// A finished reply's rendered text, for its message to take over instead of rendering
    /// the whole reply again: (lab, text, element).
    static FINISHED: RefCell<Option<(String, String, web_sys::Element)>> = const { RefCell::new(None) };
}

pub struct Live {
    lab: String,
    pub abort: Abort,
    text: RefCell<String>,
    view: RefCell<Option<View>>,
    frame_pending: Cell<bool>,
    save_pending: Cell<bool>,
}

/// Where the reply is shown: its message's text element, the element holding the part not
/// yet settled, and how much of the text is already rendered before it.
struct View {
    root: web_sys::Element,
    tail: web_sys::Element,
    settled: usize,
}

/// Starts a reply for `lab`; `None` if one is already under way.
pub fn start(lab: &str) -> Option<Rc<Live>> {
    hook_page_hide();
    ACTIVE.with(|a| {
        let mut a = a.borrow_mut();
        if a.contains_key(lab) {
            return None;
        }
        let live = Rc::new(Live {
            lab: lab.to_string(),
            abort: Abort::new(),
            text: RefCell::new(String::new()),
            view: RefCell::new(None),
            frame_pending: Cell::new(false),
            save_pending: Cell::new(false),
        });
        a.insert(lab.to_string(), live.clone());
        Some(live)
    })
}

pub fn active(lab: &str) -> Option<Rc<Live>> {
    ACTIVE.with(|a| a.borrow().get(lab).cloned())
}

/// The text saved from a reply that was streaming when the page went away.
pub fn saved_text(lab: &str) -> Option<String> {
    storage::get(Area::Local, &format!("{PREFIX}{lab}"))
}

pub fn forget_saved(lab: &str) {
    storage::remove(Area::Local, &format!("{PREFIX}{lab}"));
}

impl Live {
    pub fn push(self: &Rc<Self>, piece: &str) {
        self.text.borrow_mut().push_str(piece);
        if !self.frame_pending.replace(true) {
            let me = self.clone();
            request_animation_frame(move || {
                me.frame_pending.set(false);
                me.render();
            });
        }
        if !self.save_pending.replace(true) {
            let me = self.clone();
            set_timeout(
                move || {
                    me.save_pending.set(false);
                    me.save();
                },
                SAVE_EVERY,
            );
        }
    }

    pub fn text(&self) -> String {
        self.text.borrow().clone()
    }

    fn save(&self) {
        if !ACTIVE.with(|a| a.borrow().contains_key(&self.lab)) {
            return; // ended meanwhile: the transcript has it
        }
        let _ = storage::set(
            Area::Local,
            &format!("{PREFIX}{}", self.lab),
            &self.text.borrow(),
        );
    }

    /// Shows the reply in `root` (its message's text element), replacing what is there.
    pub fn attach(&self, root: web_sys::Element) {
        root.set_inner_html("");
        let Ok(tail) = document().create_element("div") else {
            return;
        };
        tail.set_class_name("reply-tail");
        let _ = root.append_child(&tail);
        *self.view.borrow_mut() = Some(View {
            root,
            tail,
            settled: 0,
        });
        self.render();
    }

    pub fn detach(&self, root: &web_sys::Element) {
        let mut view = self.view.borrow_mut();
        if view.as_ref().is_some_and(|v| &v.root == root) {
            *view = None;
        }
    }

    fn render(&self) {
        let mut view = self.view.borrow_mut();
        let Some(view) = view.as_mut() else {
            return;
        };
        let text = self.text.borrow();
        let settled = settled_len(&text);
        if settled > view.settled {
            let _ = view
                .tail
                .insert_adjacent_html("beforebegin", &reply_html(&text[view.settled..settled]));
            view.settled = settled;
        }
        view.tail.set_inner_html(&reply_html(&text[view.settled..]));
    }

    /// The reply has ended and is in the transcript as `text`: nothing more to keep apart.
    /// What is on screen is handed to the message that shows the finished reply
    /// (`take_rendered`), so a long reply is not rendered a second time at its end.
    pub fn finish(&self, text: &str) {
        ACTIVE.with(|a| a.borrow_mut().remove(&self.lab));
        forget_saved(&self.lab);
        if *self.text.borrow() == text {
            self.render();
            if let Some(view) = self.view.borrow_mut().take() {
                // The tail's blocks join the others; the wrapper goes.
                while let Some(child) = view.tail.first_child() {
                    let _ = view.root.insert_before(&child, Some(&view.tail));
                }
                view.tail.remove();
                FINISHED.with(|f| {
                    *f.borrow_mut() = Some((self.lab.clone(), text.to_string(), view.root))
                });
            }
        }
    }
}

/// The rendered text of the reply to `lab` that just finished as `text`, if it is on screen.
pub fn take_rendered(lab: &str, text: &str) -> Option<web_sys::Element> {
    FINISHED.with(|f| {
        let mut f = f.borrow_mut();
        match f.take() {
            Some((l, t, el)) if l == lab && t == text => Some(el),
            other => {
                *f = other;
                None
            }
        }
    })
}

/// The page is going away (or may be): save every reply under way as it stands.
fn hook_page_hide() {
    if HOOKED.replace(true) {
        return;
    }
    storage::on_page_hide(|_| {
        let all: Vec<Rc<Live>> = ACTIVE.with(|a| a.borrow().values().cloned().collect());
        for live in all {
            live.save();
        }
    });
}
