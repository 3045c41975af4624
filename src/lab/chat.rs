//! The lab chat: the learner writes, the peer answers token by token (or, with no endpoint,
//! the offline peer of `aesop_tutor` answers from the lab's authored dialogue). Stop, retry,
//! edit and resend, export, clear.
//!
//! The transcript lives in the progress store, and every change to it is written to
//! storage in the same step (`change`), so what is on the page is what a reload finds. A
//! reply under way is in the transcript as `Streaming` from its first moment; its text so
//! far is kept apart (`live`) and settled into the transcript when it ends, by the request's
//! own task, which outlives this component. Drafts are kept apart too (`drafts`).

use super::evidence::{self, LessonQuiz};
use super::messages::{Actions, Messages};
use super::send::{stream_reply, End};
use super::settings::use_llm_settings;
use super::{drafts, live};
use crate::progress::ProgressStore;
use aesop_course::lab::Lab;
use aesop_llm::context::{system_prompt, LabBrief};
use aesop_llm::offline::{reply, OfflineScript};
use aesop_llm::{dialect::dialect, Ending, Entry, LlmError, Speaker, State, Transcript};
use aesop_tutor::Peer;
use leptos::prelude::*;
use std::sync::Arc;

/// Longest message a learner can send, in characters.
pub const MAX_INPUT: usize = 2000;

/// Changes a lab's transcript and writes progress at once.
pub fn change(store: &ProgressStore, key: &str, f: impl FnOnce(&mut Transcript)) {
    store
        .progress
        .update(|p| f(p.labs.entry(key.to_string()).or_default()));
    store.save_now();
}

/// The transcript entry for a reply that has ended.
fn settled_entry(end: &End, text: String) -> Entry {
    let peer = |state| Entry {
        state,
        ..Entry::new(Speaker::Peer, text.clone())
    };
    match end {
        End::Complete(_) if text.trim().is_empty() => peer(State::Failed(
            "The endpoint answered, but with no text. Retry, or check the model in Settings."
                .into(),
        )),
        End::Complete(ending) => Entry {
            ending: (*ending != Ending::Complete).then_some(*ending),
            ..peer(State::Complete)
        },
        End::Stopped => peer(State::Cut),
        End::Failed(e) => {
            let why = e.message();
            let why = match e {
                // Their own message says the text above is what arrived.
                LlmError::Stalled { .. } | LlmError::TooSlow { .. } | LlmError::Cut => why,
                _ if !text.is_empty() => format!("{why} (the reply above was cut off)"),
                _ => why,
            };
            Entry {
                no_retry: !e.retryable(),
                ..peer(State::Failed(why))
            }
        }
    }
}

/// The lab's offline peer, over its dialogue, lesson and the learner's shared results.
fn offline_peer(lab: &Lab, lesson: Option<(Vec<String>, String)>, evidence: Vec<String>) -> Peer {
    Peer::new(
        lab.dialogue
            .as_ref()
            .expect("called only for a lab with a dialogue"),
        lab.followups.iter().map(|f| f.source.clone()).collect(),
        lesson,
        evidence,
    )
}

#[component]
pub fn Chat(
    lab: Arc<Lab>,
    key: String,
    store: ProgressStore,
    lesson_quiz: Option<LessonQuiz>,
    lesson: Option<(Vec<String>, String)>,
) -> impl IntoView {
    let settings = use_llm_settings();
    super::csp::listen();
    let transcript = {
        let key = key.clone();
        Memo::new(move |_| {
            store
                .progress
                .with(|p| p.labs.get(&key).cloned().unwrap_or_default())
        })
    };
    // A reply left streaming with no request under way: the page went away mid-reply.
    if live::active(&key).is_none()
        && transcript.with_untracked(|t| t.entries.iter().any(|e| e.state == State::Streaming))
    {
        let saved = live::saved_text(&key);
        change(&store, &key, |t| {
            t.settle_interrupted(saved.as_deref());
        });
    }
    if live::active(&key).is_none() {
        live::forget_saved(&key);
    }
    // Drafts used to live in the transcript: move one found there.
    let legacy = transcript.with_untracked(|t| t.draft.clone());
    if !legacy.is_empty() {
        if drafts::load(&key).is_none() {
            drafts::keep(&key, legacy);
            drafts::flush();
        }
        change(&store, &key, |t| t.draft.clear());
    }
    let draft = RwSignal::new(drafts::load(&key).unwrap_or_default());
    let streaming = Memo::new(move |_| {
        transcript.with(|t| {
            t.entries
                .last()
                .is_some_and(|e| e.state == State::Streaming)
        })
    });
    let announce = RwSignal::new(String::new());

    let evidence_now = {
        let lq = lesson_quiz.clone();
        move || {
            if settings.share.get_untracked() {
                evidence::lines(&store, lq.as_ref())
            } else {
                vec![]
            }
        }
    };
    let offline = move || !settings.configured();

    // Asks the configured endpoint for the next peer turn, given the transcript so far.
    let ask = {
        let (lab, key, evidence_now) = (lab.clone(), key.clone(), evidence_now.clone());
        Arc::new(move || {
            let Some(live) = live::start(&key) else {
                return; // a reply is already under way
            };
            let t = transcript.get_untracked();
            let rubric: Vec<String> = lab.rubric.iter().map(|r| r.source.clone()).collect();
            // Each misconception as the belief (its first phrase) and the offline peer's answer.
            let misconceptions: Vec<String> = lab
                .dialogue
                .iter()
                .flat_map(|d| &d.misconceptions)
                .map(|m| {
                    format!(
                        "The learner says something like \"{}\". Answer: {}",
                        m.matches.first().map_or("", String::as_str),
                        m.pushback
                    )
                })
                .collect();
            let brief = LabBrief {
                title: &lab.title,
                scenario: &lab.scenario.plain_text(),
                task: &lab.task.plain_text(),
                opener: &lab.opener.source,
                persona: &lab.persona,
                rubric: &rubric,
                misconceptions: &misconceptions,
            };
            let system = system_prompt(&brief, &evidence_now());
            let kind = settings.dialect.get_untracked();
            let api_key = settings.key.get_untracked();
            let req = dialect(kind).request(
                &settings.endpoint.get_untracked(),
                &settings.model.get_untracked(),
                &api_key,
                &system,
                &t.history(),
            );
            change(&store, &key, |t| {
                if let Some(last) = t
                    .entries
                    .iter_mut()
                    .rev()
                    .find(|e| e.speaker == Speaker::Learner)
                {
                    last.sent_context = Some(system.clone());
                }
                t.entries.push(Entry {
                    state: State::Streaming,
                    ..Entry::new(Speaker::Peer, "")
                });
            });
            announce.set("The AI peer is replying…".into());
            let (key, limits) = (key.clone(), settings.limits());
            leptos::task::spawn_local(async move {
                let end = stream_reply(req, kind, &api_key, limits, &live.abort, |text| {
                    live.push(text)
                })
                .await;
                let entry = settled_entry(&end, live.text());
                // Only the store (the app's) is touched here: this task may outlive the chat.
                change(&store, &key, |t| {
                    // Gone if the learner cleared the chat meanwhile.
                    if let Some(e) = t
                        .entries
                        .iter_mut()
                        .rev()
                        .find(|e| e.state == State::Streaming)
                    {
                        *e = entry.clone();
                    }
                });
                live.finish(&entry.text);
                let _ = announce.try_set(match &entry.state {
                    State::Complete => "The AI peer replied.".into(),
                    State::Cut => "Reply stopped.".into(),
                    State::Failed(why) => why.clone(),
                    State::Streaming => String::new(),
                });
            });
        })
    };

    // The points the learner has made so far, read by the offline peer's matcher, shown beside
    // either peer's conversation; the ones still missing are not listed (that would be the
    // rubric for the asking).
    let coverage = lab.dialogue.as_ref().map(|_| {
        let peer = StoredValue::new_local(offline_peer(&lab, None, Vec::new()));
        let total = peer.with_value(|p| p.points().len());
        let made = Memo::new(move |_| {
            let said: Vec<String> = transcript.with(|t| {
                t.entries.iter().filter(|e| e.speaker == Speaker::Learner).map(|e| e.text.clone()).collect()
            });
            peer.with_value(|p| {
                let mut made: Vec<usize> = said.iter().flat_map(|m| p.points_made(m)).collect();
                made.sort_unstable();
                made.dedup();
                made.into_iter().map(|i| p.points()[i].to_string()).collect::<Vec<_>>()
            })
        });
        view! {
            <section class="coverage" aria-label="Points made so far">
                <p class="coverage-count">{move || format!("Your case so far: {} of {total} points made", made.with(Vec::len))}</p>
                <ul class="coverage-list">{move || made.get().into_iter().map(|s| view! { <li>"✓ "{s}</li> }).collect_view()}</ul>
            </section>
        }
    });
    let send = {
        let (ask, lab, key, lesson) = (ask.clone(), lab.clone(), key.clone(), lesson.clone());
        move || {
            let text = draft.get_untracked().trim().to_string();
            if text.is_empty() || streaming.get_untracked() {
                return;
            }
            let text: String = text.chars().take(MAX_INPUT).collect();
            change(&store, &key, |t| {
                t.entries.push(Entry::new(Speaker::Learner, text.clone()))
            });
            drafts::clear(&key);
            draft.set(String::new());
            if offline() && lab.dialogue.is_some() {
                // The offline peer replays the learner's messages: its state is a function of
                // them, so a reloaded or edited transcript reads the same.
                let peer = offline_peer(&lab, lesson.clone(), evidence_now());
                let said: Vec<String> = transcript
                    .get_untracked()
                    .entries
                    .iter()
                    .filter(|e| e.speaker == Speaker::Learner)
                    .map(|e| e.text.clone())
                    .collect();
                let (_, replies) = peer.replay(said.iter().map(String::as_str));
                if let Some(r) = replies.last() {
                    let entry = Entry::new(Speaker::OfflinePeer, r.text.clone());
                    change(&store, &key, |t| t.entries.push(entry));
                }
                announce.set("The offline peer replied.".into());
            } else if offline() {
                let answered = transcript
                    .get_untracked()
                    .entries
                    .iter()
                    .filter(|e| e.speaker == Speaker::Learner)
                    .count()
                    - 1;
                let rubric: Vec<String> = lab.rubric.iter().map(|r| r.source.clone()).collect();
                let followups: Vec<String> =
                    lab.followups.iter().map(|r| r.source.clone()).collect();
                let evidence = evidence_now();
                let entry = reply(
                    &OfflineScript {
                        rubric: &rubric,
                        followups: &followups,
                        evidence: &evidence,
                    },
                    answered,
                );
                change(&store, &key, |t| t.entries.push(entry));
                announce.set("The offline peer replied.".into());
            } else {
                ask();
            }
        }
    };

    let actions = {
        let (ask, retry_key) = (ask.clone(), key.clone());
        let retry = Callback::new(move |()| {
            if streaming.get_untracked() {
                return;
            }
            change(&store, &retry_key, Transcript::drop_last_reply);
            ask();
        });
        let key = key.clone();
        let edit = Callback::new(move |()| {
            let mut taken = None;
            change(&store, &key, |t| taken = t.take_back_last_message());
            if let Some(text) = taken {
                draft.set(text.clone());
                drafts::keep(&key, text);
            }
        });
        Actions { retry, edit }
    };
    let clear = {
        let key = key.clone();
        move || {
            if window()
                .confirm_with_message("Clear this lab's chat? This cannot be undone.")
                .unwrap_or(false)
            {
                if let Some(live) = live::active(&key) {
                    live.abort.stop();
                }
                change(&store, &key, |t| t.entries.clear());
            }
        }
    };
    let export = {
        let title = lab.title.clone();
        move || {
            crate::download::download(
                &format!(
                    "{}.md",
                    title
                        .replace(|c: char| !c.is_alphanumeric(), "-")
                        .to_lowercase()
                ),
                "text/markdown",
                &transcript.get_untracked().to_markdown(&title),
            )
        }
    };
    let stop = {
        let key = key.clone();
        move || {
            if let Some(live) = live::active(&key) {
                live.abort.stop();
            }
        }
    };
    let on_input = {
        let key = key.clone();
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            drafts::keep(&key, v.clone());
            draft.set(v);
        }
    };

    let opener = lab.opener.html.as_str().to_string();
    let on_submit = {
        let send = send.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            send();
        }
    };
    let on_key = {
        let send = send.clone();
        move |ev: leptos::ev::KeyboardEvent| {
            // Enter sends; Shift+Enter adds a line, as in most chats.
            if ev.key() == "Enter" && !ev.shift_key() {
                ev.prevent_default();
                send();
            }
        }
    };
    let shared = move || {
        let lines = evidence::lines(&store, lesson_quiz.as_ref());
        lines.join(" · ")
    };
    view! {
        <section class="chat" aria-label="Chat with your AI peer">
            <p class="peer-badge"><span class="badge">"AESOP Lab AI"</span>" · "{lab.badge.clone()}
                {move || offline().then(|| view! { <span class="offline-tag">" · offline peer"</span> })}</p>
            <ol class="messages">
                <li class="msg msg-peer"><p class="msg-who">{move || if offline() { "Offline peer" } else { "AI peer" }}</p><div class="msg-text prose" inner_html=opener.clone()></div></li>
                <Messages transcript=transcript streaming=streaming lab_key=key.clone() actions=actions />
            </ol>
            <p class="visually-hidden" aria-live="polite" role="status">{move || announce.get()}</p>
            <form class="composer" on:submit=on_submit>
                <label for="chat-input" class="visually-hidden">"Your message"</label>
                <textarea id="chat-input" rows="4" maxlength=MAX_INPUT placeholder="Make your case…"
                    prop:value=move || draft.get()
                    on:input=on_input
                    on:keydown=on_key></textarea>
                <div class="composer-bar">
                    <span class="counter">{move || format!("{} / {MAX_INPUT}", draft.with(|d| d.chars().count()))}</span>
                    {move || if streaming.get() {
                        let stop = stop.clone();
                        view! { <button type="button" class="button" on:click=move |_| stop()>"Stop"</button> }.into_any()
                    } else {
                        view! { <button type="submit" class="button primary" disabled=move || draft.with(|d| d.trim().is_empty())>"Send"</button> }.into_any()
                    }}
                </div>
            </form>
            {coverage}
            <div class="chat-tools">
                <label class="check"><input type="checkbox" prop:checked=move || settings.share.get() on:change=move |ev| settings.share.set(event_target_checked(&ev)) />
                    " Share my results in this lesson with the peer"</label>
                <p class="settings-note">{move || {
                    let what = shared();
                    let to = if offline() { "the offline peer, which runs in this browser and sends nothing anywhere" } else { "the AI endpoint set in Settings, a service outside this site, with every message" };
                    match (settings.share.get(), what.is_empty()) {
                        (_, true) => "You have no results in this lesson yet, so there is nothing to share.".to_string(),
                        (true, false) => format!("Shared with {to}: {what}"),
                        (false, false) => format!("Nothing about your results is shared. Ticked, this would go to {to}: {what}"),
                    }
                }}</p>
                <button type="button" class="button small" on:click=move |_| export()>"Export as Markdown"</button>
                <button type="button" class="button small" on:click=move |_| clear()>"Clear chat"</button>
            </div>
        </section>
    }
}
