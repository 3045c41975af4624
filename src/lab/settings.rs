//! Where the AI peer lives: endpoint URL, model, API dialect and key. A host presets them in
//! `llm-config.json` (deployed beside index.html) and may lock them or hide the key field.
//! The learner's key stays in this browser: sessionStorage by default, localStorage only if
//! they opt in, and it is sent only to the configured endpoint.

use super::send::{Limits, DEFAULT_LIMITS};
use aesop_llm::{dialect::dialect, DialectKind};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::storage::keys::{LLM_KEY as KEY_KEY, LLM_SETTINGS as SETTINGS_KEY};
use crate::storage::{self, Area};

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct HostConfig {
    pub endpoint: String,
    pub model: String,
    pub dialect: DialectKind,
    /// Learners cannot change endpoint, model or dialect.
    pub lock: bool,
    /// No key field: the endpoint needs none (a host's proxy or a local server).
    pub hide_key: bool,
    /// Seconds to wait for the endpoint to start answering (default 45).
    pub timeout_s: Option<u32>,
    /// Seconds a reply may pause between two pieces before it counts as stalled (default 30).
    pub idle_timeout_s: Option<u32>,
    /// Seconds a whole reply may take, from sending to its last piece (default 300).
    pub reply_timeout_s: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Saved {
    endpoint: String,
    model: String,
    dialect: DialectKind,
    remember_key: bool,
    /// Share quiz results and demo runs with the peer (on by default).
    share: Option<bool>,
}

#[derive(Clone, Copy)]
pub struct LlmSettings {
    pub endpoint: RwSignal<String>,
    pub model: RwSignal<String>,
    pub dialect: RwSignal<DialectKind>,
    pub key: RwSignal<String>,
    pub remember_key: RwSignal<bool>,
    pub share: RwSignal<bool>,
    pub host: RwSignal<HostConfig>,
    /// Why the host's llm-config.json was ignored, shown beside the settings.
    pub host_problem: RwSignal<Option<String>>,
}

fn at(local: bool) -> Area {
    if local {
        Area::Local
    } else {
        Area::Session
    }
}

fn read(local: bool, key: &str) -> Option<String> {
    storage::get(at(local), key)
}

fn write(local: bool, key: &str, value: Option<&str>) {
    // Blocked or full storage only means the setting lasts for this visit.
    match value {
        Some(v) => {
            let _ = storage::set(at(local), key, v);
        }
        None => storage::remove(at(local), key),
    }
}

impl LlmSettings {
    pub fn init() -> Self {
        let saved: Saved = read(true, SETTINGS_KEY)
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
        let key = read(true, KEY_KEY)
            .or_else(|| read(false, KEY_KEY))
            .unwrap_or_default();
        let s = LlmSettings {
            endpoint: RwSignal::new(saved.endpoint),
            model: RwSignal::new(saved.model),
            dialect: RwSignal::new(saved.dialect),
            key: RwSignal::new(key),
            remember_key: RwSignal::new(saved.remember_key),
            // Opt-in: with an endpoint set, shared results go to a third party.
            share: RwSignal::new(saved.share.unwrap_or(false)),
            host: RwSignal::new(HostConfig::default()),
            host_problem: RwSignal::new(None),
        };
        leptos::task::spawn_local(async move {
            let host = match fetch_host_config().await {
                Ok(host) => host,
                Err(problem) => {
                    s.host_problem.set(Some(problem));
                    None
                }
            };
            if let Some(host) = host {
                // A host's preset fills what the learner has not set, and wins when locked.
                if host.lock || s.endpoint.get_untracked().is_empty() {
                    s.endpoint.set(host.endpoint.clone());
                    s.model.set(host.model.clone());
                    s.dialect.set(host.dialect);
                }
                s.host.set(host);
            }
        });
        // Written only when the learner changed something: what was read is not written back
        // at every start, and the host's preset is stored blank (its values follow the host,
        // should it change them later, instead of becoming the learner's own).
        // Nothing stored reads as the defaults, which need no record until the learner edits one.
        let stored = StoredValue::new(read(true, SETTINGS_KEY).or_else(|| {
            serde_json::to_string(&Saved {
                share: Some(false),
                ..Saved::default()
            })
            .ok()
        }));
        Effect::new(move |_| {
            let host = s.host.get();
            let (mut endpoint, mut model, mut dialect) =
                (s.endpoint.get(), s.model.get(), s.dialect.get());
            if !host.endpoint.is_empty()
                && (&endpoint, &model, dialect) == (&host.endpoint, &host.model, host.dialect)
            {
                (endpoint, model, dialect) = (String::new(), String::new(), DialectKind::default());
            }
            let saved = Saved {
                endpoint,
                model,
                dialect,
                remember_key: s.remember_key.get(),
                share: Some(s.share.get()),
            };
            let text = serde_json::to_string(&saved).ok();
            if text != stored.get_value() {
                write(true, SETTINGS_KEY, text.as_deref());
                stored.set_value(text);
            }
            let key = s.key.get();
            let remember = s.remember_key.get();
            let key = (!key.is_empty()).then_some(key.as_str());
            write(true, KEY_KEY, if remember { key } else { None });
            write(false, KEY_KEY, if remember { None } else { key });
        });
        s
    }

    pub fn limits(&self) -> Limits {
        let host = self.host.get_untracked();
        Limits {
            start_s: host.timeout_s.unwrap_or(DEFAULT_LIMITS.start_s),
            idle_s: host.idle_timeout_s.unwrap_or(DEFAULT_LIMITS.idle_s),
            total_s: host.reply_timeout_s.unwrap_or(DEFAULT_LIMITS.total_s),
        }
    }

    /// The peer runs on the endpoint only when one is configured.
    pub fn configured(&self) -> bool {
        !self.endpoint.get().trim().is_empty() && !self.model.get().trim().is_empty()
    }
}

/// No file is fine (the offline peer runs); a file that does not parse is the host's mistake
/// and is reported on the page so it gets fixed.
async fn fetch_host_config() -> Result<Option<HostConfig>, String> {
    let Ok(response) = gloo_net::http::Request::get("llm-config.json").send().await else {
        return Ok(None);
    };
    if !response.ok() {
        return Ok(None);
    }
    let text = response.text().await.map_err(|e| e.to_string())?;
    serde_json::from_str::<HostConfig>(&text)
        .map(Some)
        .map_err(|e| format!("The site's llm-config.json is not valid ({e}), so its preset is ignored; the labs use your own settings."))
}

pub fn use_llm_settings() -> LlmSettings {
    expect_context::<LlmSettings>()
}

#[component]
pub fn SettingsPanel() -> impl IntoView {
    let s = use_llm_settings();
    let locked = move || s.host.get().lock;
    let hide_key = move || s.host.get().hide_key;
    // An endpoint this page's own security policy refuses fails before it is reached.
    let outside_policy = move || {
        let endpoint = s.endpoint.get();
        if endpoint.trim().is_empty() {
            return None;
        }
        let url = dialect(s.dialect.get())
            .request(&endpoint, "", "", "", &[])
            .url;
        super::csp::outside_policy(&url).map(|origin| view! {
            <p class="settings-warning" role="status">
                {format!("This site's security policy does not allow connections to {origin}, so your browser will block every request to this endpoint. The site's host can allow it by adding \"{origin}\" to \"connect_src\" in llm-config.json and rebuilding (see the README, \"Security\"); otherwise pick an endpoint this site allows.")}
            </p>
        })
    };
    view! {
        {move || s.host_problem.get().map(|p| view! { <p class="storage-notice config-notice" role="status">{p}</p> })}
        <details class="llm-settings">
            <summary>{move || if s.configured() { format!("AI peer: {} at {}", s.model.get(), s.endpoint.get()) } else { "AI peer: offline (no endpoint set) — Settings".into() }}</summary>
            <div class="settings-grid">
                <label for="llm-endpoint">"Endpoint URL"</label>
                <input id="llm-endpoint" type="url" placeholder="https://api.openai.com/v1 or http://localhost:11434/v1" disabled=locked
                    prop:value=move || s.endpoint.get() on:change=move |ev| s.endpoint.set(event_target_value(&ev).trim().to_string()) />
                <label for="llm-model">"Model"</label>
                <input id="llm-model" type="text" placeholder="e.g. gpt-4o-mini, claude-sonnet-4-5, llama3.1" disabled=locked
                    prop:value=move || s.model.get() on:change=move |ev| s.model.set(event_target_value(&ev).trim().to_string()) />
                <label for="llm-dialect">"API dialect"</label>
                <select id="llm-dialect" disabled=locked on:change=move |ev| s.dialect.set(if event_target_value(&ev) == "anthropic" { DialectKind::Anthropic } else { DialectKind::OpenAi })>
                    <option value="openai" selected=move || s.dialect.get() == DialectKind::OpenAi>"OpenAI-compatible (OpenAI, OpenRouter, Groq, Ollama, LM Studio, llama.cpp, vLLM)"</option>
                    <option value="anthropic" selected=move || s.dialect.get() == DialectKind::Anthropic>"Anthropic Messages"</option>
                </select>
                {move || (!hide_key()).then(|| view! {
                    <label for="llm-key">"API key"</label>
                    <input id="llm-key" type="password" autocomplete="off" placeholder="kept in this browser only"
                        prop:value=move || s.key.get() on:change=move |ev| s.key.set(event_target_value(&ev).trim().to_string()) />
                    <span></span>
                    <label class="check"><input type="checkbox" prop:checked=move || s.remember_key.get() on:change=move |ev| s.remember_key.set(event_target_checked(&ev)) />
                        " Remember the key on this device (otherwise it is forgotten when you close the tab)"</label>
                })}
            </div>
            {outside_policy}
            <p class="settings-note">
                {move || if locked() { "Your course host set these for you. " } else { "" }}
                "Requests go straight from your browser to this endpoint; the key is sent only there. "
                "Clear the endpoint to use the offline peer."
            </p>
        </details>
    }
}
