//! The chat's messages. Each is rendered once, keyed by its content, so a new message or a
//! keystroke in the composer leaves the others alone; the reply under way is drawn by
//! `live` as its text arrives.

use super::live;
use super::render::{inline_html, reply_html};
use aesop_llm::{Entry, Speaker, State, Transcript};
use leptos::prelude::*;
use std::hash::{DefaultHasher, Hash, Hasher};

/// What a message's buttons do.
#[derive(Clone, Copy)]
pub struct Actions {
    /// Ask again for the last reply.
    pub retry: Callback<()>,
    /// Put the last message back in the composer.
    pub edit: Callback<()>,
}

/// Changes whenever anything shown for the entry changes.
fn fingerprint(e: &Entry) -> u64 {
    let mut h = DefaultHasher::new();
    e.hash(&mut h);
    h.finish()
}

#[component]
pub fn Messages(
    transcript: Memo<Transcript>,
    streaming: Memo<bool>,
    lab_key: String,
    actions: Actions,
) -> impl IntoView {
    let lab_key = StoredValue::new(lab_key);
    let count = Memo::new(move |_| transcript.with(|t| t.entries.len()));
    let last_learner = Memo::new(move |_| {
        transcript.with(|t| {
            t.entries
                .iter()
                .rposition(|e| e.speaker == Speaker::Learner)
        })
    });
    view! {
        <For
            each=move || transcript.with(|t| t.entries.iter().cloned().enumerate().collect::<Vec<_>>())
            key=|(i, e)| (*i, fingerprint(e))
            children=move |(i, e)| {
                let is_last = move || count.get() == i + 1;
                let can_retry = e.speaker == Speaker::Peer
                    && match &e.state {
                        State::Complete | State::Cut => true,
                        State::Failed(_) => !e.no_retry,
                        State::Streaming => false,
                    };
                let retry = move || {
                    (can_retry && is_last() && !streaming.get()).then(|| view! {
                        <button type="button" class="button small" on:click=move |_| actions.retry.run(())>"Retry this reply"</button>
                    })
                };
                let edit = move || {
                    (last_learner.get() == Some(i) && !streaming.get()).then(|| view! {
                        <button type="button" class="button small" on:click=move |_| actions.edit.run(())>"Edit and resend"</button>
                    })
                };
                message(i, e, lab_key, retry, edit)
            }
        />
    }
}

fn message(
    i: usize,
    e: Entry,
    lab_key: StoredValue<String>,
    retry: impl IntoView + 'static,
    edit: impl IntoView + 'static,
) -> impl IntoView {
    let (who, kind) = match e.speaker {
        Speaker::Learner => ("You", "learner"),
        Speaker::Peer => ("AI peer", "peer"),
        Speaker::OfflinePeer => ("Offline peer", "offline"),
    };
    let streaming = e.state == State::Streaming;
    let body = if e.speaker == Speaker::Learner {
        view! { <p class="msg-text learner-text">{e.text.clone()}</p> }.into_any()
    } else if streaming {
        live_text(lab_key).into_any()
    } else if let Some(rendered) = lab_key.with_value(|k| live::take_rendered(k, &e.text)) {
        // The reply that just streamed: its text is on screen already.
        adopted(rendered).into_any()
    } else {
        view! { <div class="msg-text prose" inner_html=reply_html(&e.text)></div> }.into_any()
    };
    let note = e.ending_note().map(|note| {
        let cls = if e.state == State::Cut {
            "msg-cut"
        } else {
            "msg-cut msg-truncated"
        };
        view! { <p class=cls>{format!("({note})")}</p> }
    });
    view! {
        <li class=format!("msg msg-{kind}{}", if streaming { " streaming" } else { "" }) aria-busy=streaming.then_some("true")>
            <p class="msg-who">{who}</p>
            {body}
            {streaming.then(|| view! { <p class="typing">"…"</p> })}
            {(!e.checklist.is_empty()).then(|| view! {
                <ul class="checklist" aria-label="Self-check: what a strong answer covers">
                    {e.checklist.iter().enumerate().map(|(j, p)| view! {
                        <li><label><input type="checkbox" id=format!("check-{i}-{j}") />" "<span inner_html=inline_html(p)></span></label></li>
                    }).collect_view()}
                </ul>
            })}
            {note}
            {match &e.state { State::Failed(why) => Some(view! { <p class="msg-error" role="alert">{why.clone()}</p> }), _ => None }}
            {e.sent_context.clone().map(|ctx| view! {
                <details class="sent-context"><summary>"What was sent with this message"</summary>
                    <pre>{ctx}</pre>
                    <p class="settings-note">"Plus the conversation so far. Your API key went only in the request's headers."</p>
                </details>
            })}
            {retry}
            {edit}
        </li>
    }
}

/// A finished reply's text as `live` rendered it while it streamed, moved into this message.
fn adopted(rendered: web_sys::Element) -> impl IntoView {
    let el = NodeRef::<leptos::html::Div>::new();
    let rendered = send_wrapper::SendWrapper::new(rendered);
    el.on_load(move |div| {
        let div: web_sys::Element = div.into();
        while let Some(child) = rendered.first_child() {
            let _ = div.append_child(&child);
        }
    });
    view! { <div class="msg-text prose" node_ref=el></div> }
}

/// The reply under way, drawn by `live` (see there) into this element.
fn live_text(lab_key: StoredValue<String>) -> impl IntoView {
    let el = NodeRef::<leptos::html::Div>::new();
    el.on_load(move |div| {
        if let Some(live) = lab_key.with_value(|k| live::active(k)) {
            live.attach(div.into());
        }
    });
    on_cleanup(move || {
        let div = el.try_get_untracked().flatten();
        let live = lab_key.try_with_value(|k| live::active(k)).flatten();
        if let (Some(div), Some(live)) = (div, live) {
            live.detach(&div.into());
        }
    });
    view! { <div class="msg-text prose" node_ref=el></div> }
}
