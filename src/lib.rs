//! AESOP's browser app: Leptos (client-side rendered), built by Trunk in two builds of this
//! one crate (see `upgrade`): the reader (`aesop-reader`, without the `full` feature) that a
//! first visit loads, and the full app (`aesop`) that it hands over to for demos, quizzes,
//! the test and labs.

mod app;
#[cfg(feature = "full")]
mod colors;
mod content;
#[cfg(feature = "full")]
mod demo;
#[cfg(feature = "full")]
mod download;
mod handover;
#[cfg(feature = "full")]
mod heatmap;
mod home;
#[cfg(feature = "full")]
mod lab;
mod lesson;
mod lms;
mod nav;
mod notice;
#[cfg(feature = "full")]
mod playground;
#[cfg(feature = "full")]
mod plot;
mod progress;
#[cfg(feature = "full")]
mod quiz;
mod routing;
#[cfg(feature = "full")]
mod run;
// The reader uses only what progress and the reading position need.
#[cfg_attr(not(feature = "full"), allow(dead_code))]
mod storage;
mod upgrade;
mod visible;

/// Both binaries start here; the `full` feature decides which half of the app this is.
pub fn start() {
    console_error_panic_hook_lite();
    lesson::position::note_opening();
    upgrade::mount();
}

/// A panic still reaches the console with its message, so a bug is never a silent blank page.
fn console_error_panic_hook_lite() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&info.to_string().into());
        if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            if let Some(el) = doc.get_element_by_id("fatal") {
                el.set_text_content(Some(
                    "Something went wrong in AESOP. Reload the page; your progress is kept.",
                ));
                let _ = el.set_attribute("role", "alert");
                let _ = el.remove_attribute("hidden");
            }
        }
    }));
}
