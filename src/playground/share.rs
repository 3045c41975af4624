//! "Link to this playground": every setting and the learner's own points in the URL, so the
//! link replays the same run. A link longer than browsers and apps reliably keep
//! (`link::MAX_LINK`) is not offered as such: the points go into a CSV file instead, and the
//! link keeps the settings.

use super::Pg;
use aesop_train::playground::{csv, link, Data};
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

#[component]
pub fn Share(pg: Pg, name: String) -> impl IntoView {
    let shown = RwSignal::new(None::<(String, Option<usize>)>);
    let copied = RwSignal::new(false);
    let make = move |_| {
        let Some(base) = base() else { return };
        let settings = pg.settings.get_untracked();
        let full = format!("{base}?demo={name}&{}", link::encode(&settings));
        let (url, too_long) = if full.len() > link::MAX_LINK && settings.data == Data::Own {
            let bare = aesop_train::playground::Settings {
                points: Vec::new(),
                ..settings
            };
            let short = link::encode(&bare).replace("&pts=", "&");
            (
                format!("{base}?demo={name}&{}", short.trim_end_matches('&')),
                Some(full.len()),
            )
        } else {
            (full, None)
        };
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
