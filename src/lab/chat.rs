//! The lab chat: the learner writes, the peer answers token by token (or the offline peer
//! walks the rubric and follow-ups). Stop, retry, edit and resend, export, clear. The
//! transcript lives in the progress store, so it survives reloads; while a reply streams,
//! its text lives in a local signal and is stored when it ends.

use super::evidence::{self, LessonQuiz};
use super::send::{stream_reply, Abort, End, DEFAULT_TIMEOUT_S};
use super::settings::use_llm_settings;
use crate::progress::ProgressStore;
use aesop_course::lab::Lab;
use aesop_course::markdown;
use aesop_llm::context::{system_prompt, LabBrief};
use aesop_llm::offline::{reply, OfflineScript};
use aesop_llm::{dialect::dialect, Entry, Speaker, State, Transcript};
use leptos::prelude::*;
use std::rc::Rc;
use std::sync::Arc;

/// Longest message a learner can send, in characters.
pub const MAX_INPUT: usize = 2000;

fn render_reply(text: &str) -> String {
    // The same safe renderer as the lessons: raw HTML becomes text, unsafe links inert.
    let mut errors = Vec::new();
    markdown::render("reply", text, 1, &mut errors)
        .as_str()
        .to_string()
}

#[component]
pub fn Chat(
    lab: Arc<Lab>,
    key: String,
    store: ProgressStore,
    lesson_quiz: Option<LessonQuiz>,
) -> impl IntoView {
    let settings = use_llm_settings();
    let transcript = {
        let key = key.clone();
        Memo::new(move |_| {
            store
                .progress
                .with(|p| p.labs.get(&key).cloned().unwrap_or_default())
        })
    };
    let update = {
        let key = key.clone();
        move |f: &dyn Fn(&mut Transcript)| {
            store
                .progress
                .update(|p| f(p.labs.entry(key.clone()).or_default()))
        }
    };
    let streaming = RwSignal::new(None::<String>);
    let announce = RwSignal::new(String::new());
    let abort: RwSignal<Option<Rc<Abort>>, LocalStorage> = RwSignal::new_local(None);
    let draft = RwSignal::new(transcript.get_untracked().draft.clone());

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
    // Rc: the closure owns non-Send browser handles; SendWrapper lets views hold it on the one thread there is.
    let ask = {
        let (lab, update, evidence_now) = (lab.clone(), update.clone(), evidence_now.clone());
        Rc::new(move || {
            let t = transcript.get_untracked();
            let rubric: Vec<String> = lab.rubric.iter().map(|r| r.source.clone()).collect();
            let brief = LabBrief {
                title: &lab.title,
                scenario: &lab.scenario.plain_text(),
                task: &lab.task.plain_text(),
                opener: &lab.opener.source,
                persona: &lab.persona,
                rubric: &rubric,
            };
            let system = system_prompt(&brief, &evidence_now());
            let kind = settings.dialect.get_untracked();
            let timeout_s = settings
                .host
                .get_untracked()
                .timeout_s
                .unwrap_or(DEFAULT_TIMEOUT_S);
            let req = dialect(kind).request(
                &settings.endpoint.get_untracked(),
                &settings.model.get_untracked(),
                &settings.key.get_untracked(),
                &system,
                &t.history(),
            );
            update(&|t| {
                if let Some(last) = t
                    .entries
                    .iter_mut()
                    .rev()
                    .find(|e| e.speaker == Speaker::Learner)
                {
                    last.sent_context = Some(system.clone());
                }
            });
            let handle = Rc::new(Abort::new());
            abort.set(Some(handle.clone()));
            streaming.set(Some(String::new()));
            announce.set("The AI peer is replying…".into());
            let update = update.clone();
            leptos::task::spawn_local(async move {
                let end = stream_reply(req, kind, timeout_s, &handle, |text| {
                    streaming.update(|s| s.get_or_insert_with(String::new).push_str(text))
                })
                .await;
                let text = streaming.get_untracked().unwrap_or_default();
                let state = match &end {
                    End::Complete => State::Complete,
                    End::Stopped => State::Cut,
                    End::Failed(e) => State::Failed(e.message()),
                };
                let state = match (state, text.is_empty()) {
                    // A failure after some text keeps that text, marked as cut, with the reason.
                    (State::Failed(why), false) => {
                        State::Failed(format!("{why} (the reply above was cut off)"))
                    }
                    (s, _) => s,
                };
                announce.set(match &state {
                    State::Complete => "The AI peer replied.".into(),
                    State::Cut => "Reply stopped.".into(),
                    State::Failed(why) => why.clone(),
                    State::Streaming => String::new(),
                });
                update(&|t| {
                    t.entries.push(Entry {
                        state: state.clone(),
                        ..Entry::new(Speaker::Peer, text.clone())
                    })
                });
                streaming.set(None);
                abort.set(None);
            });
        }) as Rc<dyn Fn()>
    };
    let ask = send_wrapper::SendWrapper::new(ask);

    let send = {
        let (ask, update, lab) = (ask.clone(), update.clone(), lab.clone());
        move || {
            let text = draft.get_untracked().trim().to_string();
            if text.is_empty() || streaming.get_untracked().is_some() {
                return;
            }
            let text: String = text.chars().take(MAX_INPUT).collect();
            update(&|t| {
                t.entries.push(Entry::new(Speaker::Learner, text.clone()));
                t.draft.clear();
            });
            draft.set(String::new());
            if offline() {
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
                update(&|t| t.entries.push(entry.clone()));
                announce.set("The offline peer replied.".into());
            } else {
                ask();
            }
        }
    };

    let retry = {
        let (ask, update) = (ask.clone(), update.clone());
        move || {
            update(&|t| {
                if t.entries
                    .last()
                    .is_some_and(|e| e.speaker != Speaker::Learner)
                {
                    t.entries.pop();
                }
            });
            ask();
        }
    };
    let edit = {
        let update = update.clone();
        move || {
            let t = transcript.get_untracked();
            let Some(i) = t
                .entries
                .iter()
                .rposition(|e| e.speaker == Speaker::Learner)
            else {
                return;
            };
            draft.set(t.entries[i].text.clone());
            update(&|t| t.entries.truncate(i));
        }
    };
    let clear = {
        let update = update.clone();
        move || {
            if window()
                .confirm_with_message("Clear this lab's chat? This cannot be undone.")
                .unwrap_or(false)
            {
                update(&|t| t.entries.clear());
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
    let save_draft = {
        let update = update.clone();
        move |text: String| update(&|t| t.draft = text.clone())
    };

    let opener = lab.opener.html.as_str().to_string();
    let entries = move || {
        let t = transcript.get();
        let last_learner = t
            .entries
            .iter()
            .rposition(|e| e.speaker == Speaker::Learner);
        let (retry, edit) = (retry.clone(), edit.clone());
        let n = t.entries.len();
        t.entries
            .into_iter()
            .enumerate()
            .map(|(i, e)| {
                let (retry, edit) = (retry.clone(), edit.clone());
                let is_last = i + 1 == n;
                let who = match e.speaker {
                    Speaker::Learner => "You",
                    Speaker::Peer => "AI peer",
                    Speaker::OfflinePeer => "Offline peer",
                };
                let cls = format!("msg msg-{}", match e.speaker { Speaker::Learner => "learner", Speaker::Peer => "peer", Speaker::OfflinePeer => "offline" });
                let body = if e.speaker == Speaker::Learner { None } else { Some(render_reply(&e.text)) };
                view! {
                    <li class=cls>
                        <p class="msg-who">{who}</p>
                        {match body {
                            Some(html) => view! { <div class="msg-text prose" inner_html=html></div> }.into_any(),
                            None => view! { <p class="msg-text learner-text">{e.text.clone()}</p> }.into_any(),
                        }}
                        {(!e.checklist.is_empty()).then(|| view! {
                            <ul class="checklist" aria-label="Self-check: what a strong answer covers">
                                {e.checklist.iter().enumerate().map(|(j, p)| view! {
                                    <li><label><input type="checkbox" id=format!("check-{i}-{j}") />" "<span inner_html=render_inline(p)></span></label></li>
                                }).collect_view()}
                            </ul>
                        })}
                        {matches!(e.state, State::Cut).then(|| view! { <p class="msg-cut">"(reply cut off)"</p> })}
                        {match &e.state { State::Failed(why) => Some(view! { <p class="msg-error" role="alert">{why.clone()}</p> }), _ => None }}
                        {e.sent_context.clone().map(|ctx| view! {
                            <details class="sent-context"><summary>"What was sent with this message"</summary>
                                <pre>{ctx}</pre>
                                <p class="settings-note">"Plus the conversation so far. Your API key went only in the request's headers."</p>
                            </details>
                        })}
                        {(is_last && e.speaker != Speaker::Learner && matches!(e.state, State::Failed(_) | State::Cut | State::Complete) && e.speaker == Speaker::Peer).then(|| {
                            let retry = retry.clone();
                            view! { <button type="button" class="button small" on:click=move |_| retry()>"Retry this reply"</button> }
                        })}
                        {(Some(i) == last_learner && streaming.get_untracked().is_none()).then(|| {
                            let edit = edit.clone();
                            view! { <button type="button" class="button small" on:click=move |_| edit()>"Edit and resend"</button> }
                        })}
                    </li>
                }
            })
            .collect_view()
    };
    let live = move || {
        streaming.get().map(|text| {
            view! {
                <li class="msg msg-peer streaming" aria-busy="true">
                    <p class="msg-who">"AI peer"</p>
                    <div class="msg-text prose" inner_html=render_reply(&text)></div>
                    <p class="typing">"…"</p>
                </li>
            }
        })
    };
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
                {entries}
                {live}
            </ol>
            <p class="visually-hidden" aria-live="polite" role="status">{move || announce.get()}</p>
            <form class="composer" on:submit=on_submit>
                <label for="chat-input" class="visually-hidden">"Your message"</label>
                <textarea id="chat-input" rows="4" maxlength=MAX_INPUT placeholder="Make your case…"
                    prop:value=move || draft.get()
                    on:input=move |ev| { let v = event_target_value(&ev); draft.set(v.clone()); save_draft(v); }
                    on:keydown=on_key></textarea>
                <div class="composer-bar">
                    <span class="counter">{move || format!("{} / {MAX_INPUT}", draft.get().chars().count())}</span>
                    {move || if streaming.get().is_some() {
                        view! { <button type="button" class="button" on:click=move |_| { if let Some(a) = abort.get_untracked() { a.stop(); } }>"Stop"</button> }.into_any()
                    } else {
                        view! { <button type="submit" class="button primary" disabled=move || draft.get().trim().is_empty()>"Send"</button> }.into_any()
                    }}
                </div>
            </form>
            <div class="chat-tools">
                <label class="check"><input type="checkbox" prop:checked=move || settings.share.get() on:change=move |ev| settings.share.set(event_target_checked(&ev)) />
                    " Share my results in this lesson with the peer"</label>
                <p class="settings-note">{move || if settings.share.get() { format!("Shared: {}", shared()) } else { "Nothing about your results is shared.".into() }}</p>
                <button type="button" class="button small" on:click=move |_| export()>"Export as Markdown"</button>
                <button type="button" class="button small" on:click=move |_| clear()>"Clear chat"</button>
            </div>
        </section>
    }
}

fn render_inline(text: &str) -> String {
    let mut errors = Vec::new();
    markdown::render_inline("reply", text, 1, &mut errors)
        .as_str()
        .to_string()
}
