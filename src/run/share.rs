//! Shared runs: a demo's whole job, seed included, travels in the URL fragment after the
//! route, `#/module-2/lesson-3?demo=depth&run=<the job as URI-encoded JSON>`. The fragment
//! never reaches a server, so a link works on any static host and under any sub-path.

use super::DemoScope;
use aesop_train::Job;
use leptos::prelude::*;

fn encode(text: &str) -> String {
    String::from(js_sys::encode_uri_component(text))
}

/// The `?a=b&c=d` pairs after the route in the current fragment, decoded.
pub(crate) fn fragment_query() -> Vec<(String, String)> {
    let hash = window().location().hash().unwrap_or_default();
    let Some((_, query)) = hash.split_once('?') else {
        return Vec::new();
    };
    query
        .split('&')
        .filter_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            let v = js_sys::decode_uri_component(v).ok()?;
            Some((k.to_string(), String::from(v)))
        })
        .collect()
}

/// A link that reopens this page with `job` loaded into the demo `demo` and running.
pub fn link(demo: &str, job: &Job) -> Option<String> {
    let location = window().location();
    let href = location.href().ok()?;
    let page = href.split('#').next()?;
    let hash = location.hash().ok()?;
    let route = hash
        .split('?')
        .next()
        .filter(|r| !r.is_empty())
        .unwrap_or("#/");
    let json = serde_json::to_string(job).ok()?;
    Some(format!(
        "{page}{route}?demo={}&run={}",
        encode(demo),
        encode(&json)
    ))
}

/// The run a shared link carries for the demo `demo`, if the URL names it: the job, or why it
/// cannot be read.
pub fn shared_run(demo: &str) -> Option<Result<Job, String>> {
    let query = fragment_query();
    let named = query.iter().any(|(k, v)| k == "demo" && v == demo);
    let run = query.into_iter().find(|(k, _)| k == "run")?.1;
    named.then(|| {
        serde_json::from_str::<Job>(&run)
            .map_err(|e| format!("the shared run in this link could not be read ({e})"))
    })
}

/// "Link to this run": builds the link, copies it where the browser allows, and always shows
/// it in a field to copy by hand (clipboard access is often blocked inside an LMS frame).
#[component]
pub fn ShareLink(#[prop(into)] job: Signal<Job>) -> impl IntoView {
    let name = use_context::<DemoScope>()
        .map(|s| s.name)
        .unwrap_or_default();
    let shown = RwSignal::new(None::<String>);
    let copied = RwSignal::new(false);
    let make = move |_| {
        let Some(url) = link(&name, &job.get_untracked()) else {
            return;
        };
        copied.set(false);
        let clipboard = window().navigator().clipboard();
        let promise = clipboard.write_text(&url);
        leptos::task::spawn_local(async move {
            copied.set(wasm_bindgen_futures::JsFuture::from(promise).await.is_ok());
        });
        shown.set(Some(url));
    };
    view! {
        <div class="share-link">
            <button type="button" class="button link-button" on:click=make>"Link to this run"</button>
            {move || shown.get().map(|url| view! {
                <label class="share-url">
                    <span>{move || if copied.get() { "Copied. The link reopens this run with the same settings and seed:" } else { "Copy this link; it reopens this run with the same settings and seed:" }}</span>
                    <input type="text" readonly prop:value=url on:focus=move |ev| {
                        use wasm_bindgen::JsCast;
                        if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) { input.select(); }
                    } />
                </label>
            })}
        </div>
    }
}
