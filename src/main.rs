//! AESOP's browser app: Leptos (client-side rendered), built by Trunk.

mod app;
mod content;
mod demo;
mod home;
mod lab;
mod lesson;
mod lms;
mod nav;
mod notice;
mod progress;
mod quiz;
mod routing;

fn main() {
    console_error_panic_hook_lite();
    leptos::mount::mount_to_body(app::App);
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
