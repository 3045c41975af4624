//! "Link to this playground": every setting and the learner's own points in the URL, so the
//! link replays the same run. A link longer than browsers and apps reliably keep
//! (`link::MAX_LINK`) is not offered as such: the points go into a CSV file instead, and the
//! link keeps the settings.

use super::Pg;
use aesop_train::playground::{csv, link, Data, Settings};
use leptos::prelude::*;

fn base() -> Option<String> {
    let location = window().location();
    let href = location.href().ok()?;
    let page = href.split('#').next()?.to_string();
    let hash = location.hash().ok()?;
    let route = hash
        .split('?')
        .next()
        .filter(|r| !r.is_empty())
        .unwrap_or("#/")
        .to_string();
    Some(format!("{page}{route}"))
}

/// The playground's address for these settings, and the full link's length where it was too
/// long to keep and so lost the drawn points.
fn address(base: &str, name: &str, settings: &Settings, extra: &str) -> (String, Option<usize>) {
    let full = format!("{base}?demo={name}&{}{extra}", link::encode(settings));
    if full.len() > link::MAX_LINK && settings.data == Data::Own {
        let bare = Settings {
            points: Vec::new(),
            ..settings.clone()
        };
        let short = link::encode(&bare).replace("&pts=", "&");
        (
            format!("{base}?demo={name}&{}{extra}", short.trim_end_matches('&')),
            Some(full.len()),
        )
    } else {
        (full, None)
    }
}

/// Marks an address the playground wrote for itself: opening it restores the setup quietly,
/// where a shared link says it was opened from a link.
pub const KEPT: &str = "kept";

/// Keeps the setup in the address bar as it changes (as TensorFlow Playground does), so a
/// reload, or the address copied from the bar, opens the same playground. `replaceState`
/// adds no history entry and fires no `hashchange`, so nothing re-renders.
pub fn keep_in_address(name: &str, settings: &Settings) {
    let Some(base) = base() else { return };
    let (url, _) = address(&base, name, settings, &format!("&{KEPT}=1"));
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

#[component]
pub fn Share(pg: Pg, name: String) -> impl IntoView {
    let shown = RwSignal::new(None::<(String, Option<usize>)>);
    let copied = RwSignal::new(false);
    // A link made before a change no longer opens what is on screen: take it away.
    Effect::new(move |first: Option<()>| {
        pg.settings.track();
        if first.is_some() {
            shown.set(None);
        }
    });
    let make = move |_| {
        let Some(base) = base() else { return };
        let (url, too_long) = pg
            .settings
            .with_untracked(|settings| address(&base, &name, settings, ""));
        copied.set(false);
        let promise = window().navigator().clipboard().write_text(&url);
        leptos::task::spawn_local(async move {
            copied.set(wasm_bindgen_futures::JsFuture::from(promise).await.is_ok());
        });
        shown.set(Some((url, too_long)));
    };
    let download = move |_| {
        let text = pg
            .settings
            .with_untracked(|s| csv::to_csv(&s.points, s.problem));
        crate::download::download("playground-points.csv", "text/csv", &text);
    };
    view! {
        <div class="share-link pg-share">
            <button type="button" class="button link-button pg-link" on:click=make>"Link to this playground"</button>
            {move || shown.get().map(|(url, too_long)| view! {
                {too_long.map(|n| view! {
                    <p class="content-warning pg-too-long" role="status">
                        {format!("With your {} points the link would be {n} characters long, more than the {} that every browser, chat and mail app keeps. The link below carries the settings; send the points as a file with it (they open with “Open a CSV file”). ", pg.settings.with_untracked(|s| s.points.len()), link::MAX_LINK)}
                        <button type="button" class="button pg-download-points" on:click=download>"Download the points"</button>
                    </p>
                })}
                <label class="share-url">
                    <span>{move || if copied.get() { "Copied. The link opens this playground with the same settings and seed:" } else { "Copy this link; it opens this playground with the same settings and seed:" }}</span>
                    <input type="text" readonly class="pg-link-url" prop:value=url on:focus=move |ev| {
                        use wasm_bindgen::JsCast;
                        if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) { input.select(); }
                    } />
                </label>
            })}
        </div>
    }
}
