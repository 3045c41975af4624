//! The handover from the reader to the full app (see `upgrade` for the two builds): what the
//! reader shows while the full app loads (`Pending`, `DemoSlot`, `load_full`), what passes
//! between them in memory (`Handover`), and the swap once the full app is ready (`ready`).
//! Low in the tree: anything may import it, and it imports no view but `visible`.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

/// The element each build mounts into: the reader's, and the full app's beside it.
pub(crate) const READER_ROOT: &str = "aesop-reader";
#[cfg(feature = "full")]
pub(crate) const APP_ROOT: &str = "aesop-app";
/// Laid out but invisible (so positions can be measured), out of the accessibility tree.
#[cfg(feature = "full")]
pub(crate) const PENDING: &str = "app-pending";

pub(crate) fn root(id: &str) -> web_sys::HtmlElement {
    let el = document().create_element("div").expect("a div");
    el.set_id(id);
    document()
        .body()
        .expect("a body")
        .append_child(&el)
        .expect("appended");
    el.unchecked_into()
}

pub(crate) fn window_fn(name: &str) -> Option<js_sys::Function> {
    js_sys::Reflect::get(&window(), &name.into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
}

/// What the reader's progress store hands the full app in memory, for when storage cannot:
/// `Progress` (the encoded progress, when storage is blocked or full) and `Notice` (the note
/// about storage the learner has been shown, e.g. that damaged progress was set aside).
#[derive(Clone, Copy)]
pub enum Handover {
    Progress,
    Notice,
}

impl Handover {
    fn key(self) -> &'static str {
        match self {
            Handover::Progress => "aesopHandoverProgress",
            Handover::Notice => "aesopHandoverNotice",
        }
    }

    pub fn keep(self, text: Option<&str>) {
        let value = text.map_or(JsValue::UNDEFINED, JsValue::from_str);
        let _ = js_sys::Reflect::set(&window(), &self.key().into(), &value);
    }

    pub fn take(self) -> Option<String> {
        js_sys::Reflect::get(&window(), &self.key().into())
            .ok()
            .and_then(|v| v.as_string())
    }
}

#[cfg(not(feature = "full"))]
pub use reader::*;

#[cfg(not(feature = "full"))]
mod reader {
    use super::*;

    thread_local! {
        static FULL: ArcRwSignal<Full> = ArcRwSignal::new(Full::Idle);
    }

    #[derive(Clone, PartialEq)]
    enum Full {
        Idle,
        Loading,
        Failed(String),
    }

    /// Starts loading the full app; a failure is shown where it was needed, and the next
    /// demo or page that needs the full app tries again.
    pub fn load_full() {
        let state = FULL.with(Clone::clone);
        if state.get_untracked() == Full::Loading {
            return;
        }
        state.set(Full::Loading);
        let Some(promise) = window_fn("aesopLoadFull")
            .and_then(|f| f.call0(&JsValue::NULL).ok())
            .and_then(|p| p.dyn_into::<js_sys::Promise>().ok())
        else {
            state.set(Full::Failed(
                "the page's loader (boot.js) is missing".into(),
            ));
            return;
        };
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(e) = wasm_bindgen_futures::JsFuture::from(promise).await {
                let why = js_sys::Error::from(e).message();
                state.set(Full::Failed(String::from(why)));
            }
        });
    }

    /// What a page needing the full app shows until it arrives.
    pub(crate) fn waiting(what: &'static str, class: &'static str) -> impl IntoView {
        let state = FULL.with(Clone::clone);
        move || {
            match state.get() {
            Full::Failed(why) => view! {
                <p class="content-warning" role="alert">
                    {format!("The {what} could not be loaded ({why}). Check the connection and reload the page; your progress is kept.")}
                </p>
            }
            .into_any(),
            _ => view! { <p class=class role="status">{format!("Loading the {what}…")}</p> }
                .into_any(),
        }
        }
    }

    /// A quiz, the test or a lab in the reader: load the full app, which shows it.
    #[component]
    pub fn Pending() -> impl IntoView {
        load_full();
        waiting("page", "loading")
    }

    /// A demo's place in a lesson. The full app is fetched when the demo comes near the
    /// screen (or at once when a shared link names it), not with the lesson.
    #[component]
    pub fn DemoSlot(name: String) -> impl IntoView {
        let section = NodeRef::<leptos::html::Section>::new();
        if window()
            .location()
            .hash()
            .unwrap_or_default()
            .contains(&format!("demo={name}"))
        {
            load_full();
        }
        // Start a screen early, so the demo is usually ready when it scrolls in.
        section.on_load(|el| crate::visible::when_visible(&el, 1.0, load_full));
        view! {
            <section class="demo" data-demo=name.clone() aria-label=format!("Demo: {name}") node_ref=section>
                // The same text and class as the full app's demo while its file loads, so
                // the handover does not move the page.
                {waiting("demo", "demo-loading")}
            </section>
        }
    }
}

#[cfg(feature = "full")]
pub use full::*;

#[cfg(feature = "full")]
mod full {
    use super::*;

    /// Frames to wait for the demos' own files before swapping anyway (about a second).
    const SETTLE_FRAMES: u32 = 60;

    /// Called once the course is loaded (or failed): swap the reader out.
    pub fn ready() {
        if let Some(reader) = document().get_element_by_id(READER_ROOT) {
            swap_when_settled(reader, 0);
        }
    }

    /// Waits until the app's stylesheet and the demos' files are in (the page would jump as
    /// they arrive), then swaps, keeping the lesson block at the top of the screen where it was.
    fn swap_when_settled(reader: web_sys::Element, frames: u32) {
        request_animation_frame(move || {
            let Some(app) = document().get_element_by_id(APP_ROOT) else {
                return;
            };
            // Set by boot.js once app.css has loaded (or failed to).
            let styled =
                js_sys::Reflect::get(&window(), &"aesopAppCss".into()).is_ok_and(|v| v.is_truthy());
            let loading = !styled || app.query_selector(".demo-loading").ok().flatten().is_some();
            if loading && frames < SETTLE_FRAMES {
                return swap_when_settled(reader, frames + 1);
            }
            let anchor = top_block(&reader);
            if let Some(stop) = window_fn("aesopReaderStop") {
                let _ = stop.call0(&JsValue::NULL);
            }
            reader.remove();
            let _ = app.class_list().remove_1(PENDING);
            let block = |i| {
                lesson_blocks(&app)?
                    .item(i)?
                    .dyn_into::<web_sys::Element>()
                    .ok()
            };
            // Instantly: the page's smooth scrolling would make the swap visible.
            let jump = web_sys::ScrollToOptions::new();
            jump.set_behavior(web_sys::ScrollBehavior::Instant);
            match anchor.and_then(|(i, top)| Some((block(i)?, top))) {
                Some((block, top)) => {
                    jump.set_top(block.get_bounding_client_rect().top() - top);
                    window().scroll_by_with_scroll_to_options(&jump);
                }
                None => {
                    jump.set_top(0.0);
                    window().scroll_to_with_scroll_to_options(&jump);
                }
            }
        });
    }

    fn lesson_blocks(root: &web_sys::Element) -> Option<web_sys::NodeList> {
        root.query_selector_all("article.lesson > *").ok()
    }

    /// The first lesson block still on screen, and where its top is.
    fn top_block(root: &web_sys::Element) -> Option<(u32, f64)> {
        let blocks = lesson_blocks(root)?;
        (0..blocks.length()).find_map(|i| {
            let el: web_sys::Element = blocks.item(i)?.dyn_into().ok()?;
            let rect = el.get_bounding_client_rect();
            (rect.bottom() > 0.0).then(|| (i, rect.top()))
        })
    }
}
