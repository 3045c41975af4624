//! A lab's conversation as stored and exported.

use crate::dialect::Ending;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Speaker {
    Learner,
    /// The AI peer behind the configured endpoint.
    Peer,
    /// The built-in peer that needs no endpoint.
    OfflinePeer,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "state", content = "detail")]
pub enum State {
    Complete,
    /// Still arriving. Stored while it streams (the text so far is kept apart, see the
    /// app's `lab/live.rs`); found on load, it means the page went away mid-reply.
    Streaming,
    /// Stopped by the learner, cut by the network, or interrupted by a reload: the text is partial.
    Cut,
    /// The request failed; the detail is the message shown.
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Entry {
    pub speaker: Speaker,
    pub text: String,
    pub state: State,
    /// For learner messages sent to an endpoint: exactly the context that went with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_context: Option<String>,
    /// Offline peer only: rubric points shown as a self-check list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checklist: Vec<String>,
    /// A reply that arrived whole but ended early by the server's account: at the token
    /// limit, or by a content filter. `None` for a natural end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ending: Option<Ending>,
    /// A failure that retrying cannot fix (a wrong key, a refused request): no "Retry".
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_retry: bool,
}

impl Entry {
    pub fn new(speaker: Speaker, text: impl Into<String>) -> Self {
        Entry {
            speaker,
            text: text.into(),
            state: State::Complete,
            sent_context: None,
            checklist: vec![],
            ending: None,
            no_retry: false,
        }
    }

    /// A note on how the reply ended, for the page and the export.
    pub fn ending_note(&self) -> Option<&'static str> {
        match (&self.state, self.ending) {
            (State::Cut, _) => Some("reply cut off"),
            (_, Some(Ending::Truncated)) => {
                Some("reply truncated: it reached the model's length limit")
            }
            (_, Some(Ending::Filtered)) => Some("reply stopped by the provider's content filter"),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transcript {
    pub entries: Vec<Entry>,
    /// Unsent text, as versions before drafts were stored apart kept it (the app moves it to
    /// its draft store on load, so a keystroke no longer rewrites progress). Read, not written.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub draft: String,
}

impl Transcript {
    /// Markdown for the learner to keep. Contexts are left out: they hold nothing the
    /// learner wrote, and no key ever enters a transcript.
    pub fn to_markdown(&self, title: &str) -> String {
        let mut out = format!("# {title}\n\n");
        for e in &self.entries {
            let who = match e.speaker {
                Speaker::Learner => "You",
                Speaker::Peer => "AI peer",
                Speaker::OfflinePeer => "Offline peer",
            };
            out.push_str(&format!("**{who}:**\n\n{}\n", e.text.trim()));
            for point in &e.checklist {
                out.push_str(&format!("- [ ] {point}\n"));
            }
            if let Some(note) = e.ending_note() {
                out.push_str(&format!("\n*({note})*\n"));
            }
            if let State::Failed(why) = &e.state {
                out.push_str(&format!("\n*(not answered: {why})*\n"));
            }
            out.push('\n');
        }
        out
    }

    /// A reply left `Streaming` means the page went away while it arrived: it becomes a cut
    /// reply holding what had arrived (`live`, the text saved as it streamed). Returns
    /// whether anything changed.
    pub fn settle_interrupted(&mut self, live: Option<&str>) -> bool {
        let mut changed = false;
        for e in self
            .entries
            .iter_mut()
            .filter(|e| e.state == State::Streaming)
        {
            if let Some(live) = live.filter(|l| l.len() > e.text.len()) {
                e.text = live.to_string();
            }
            e.state = State::Cut;
            changed = true;
        }
        changed
    }

    /// Before a retry: the peer's last reply (failed, cut or one the learner wants again)
    /// goes, so the learner's last message is asked again. A transcript ending on the
    /// learner's message is left as it is.
    pub fn drop_last_reply(&mut self) {
        if self
            .entries
            .last()
            .is_some_and(|e| e.speaker != Speaker::Learner)
        {
            self.entries.pop();
        }
    }

    /// The learner takes back their last message to edit it: it and everything after it go,
    /// and its text is returned for the composer. `None` (and nothing changed) when the
    /// learner has said nothing yet.
    pub fn take_back_last_message(&mut self) -> Option<String> {
        let i = self
            .entries
            .iter()
            .rposition(|e| e.speaker == Speaker::Learner)?;
        let text = self.entries[i].text.clone();
        self.entries.truncate(i);
        Some(text)
    }

    /// The messages an endpoint should see: finished turns only, roles alternating.
    pub fn history(&self) -> Vec<crate::dialect::Message> {
        use crate::dialect::{Message, Role};
        let mut out: Vec<Message> = Vec::new();
        for e in &self.entries {
            if e.text.trim().is_empty() || matches!(e.state, State::Failed(_) | State::Streaming) {
                continue;
            }
            let role = if e.speaker == Speaker::Learner {
                Role::User
            } else {
                Role::Assistant
            };
            match out.last_mut() {
                Some(last) if last.role == role => {
                    last.content.push_str("\n\n");
                    last.content.push_str(&e.text);
                }
                _ => out.push(Message {
                    role,
                    content: e.text.clone(),
                }),
            }
        }
        // Both APIs expect the user to speak first; the peer's opener travels in the system
        // prompt instead (see `context::system_prompt`).
        if out.first().is_some_and(|m| m.role == Role::Assistant) {
            out.remove(0);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::Role;

    fn said(t: &Transcript) -> Vec<&str> {
        t.entries.iter().map(|e| e.text.as_str()).collect()
    }

    #[test]
    fn a_retry_drops_the_peers_last_reply_only() {
        let mut t = Transcript::default();
        t.entries.push(Entry::new(Speaker::Peer, "Opener?"));
        t.entries.push(Entry::new(Speaker::Learner, "One"));
        t.entries.push(Entry::new(Speaker::Peer, "cut off"));
        t.drop_last_reply();
        assert_eq!(said(&t), ["Opener?", "One"]);
        // Ending on the learner: nothing goes.
        t.drop_last_reply();
        assert_eq!(said(&t), ["Opener?", "One"]);
    }

    #[test]
    fn taking_back_a_message_removes_it_and_what_followed() {
        let mut t = Transcript::default();
        assert_eq!(t.take_back_last_message(), None);
        t.entries.push(Entry::new(Speaker::Peer, "Opener?"));
        assert_eq!(t.take_back_last_message(), None);
        assert_eq!(said(&t), ["Opener?"]);
        t.entries.push(Entry::new(Speaker::Learner, "One"));
        t.entries.push(Entry::new(Speaker::OfflinePeer, "Why?"));
        t.entries.push(Entry::new(Speaker::Learner, "Two"));
        t.entries.push(Entry::new(Speaker::Peer, "Because"));
        assert_eq!(t.take_back_last_message().as_deref(), Some("Two"));
        assert_eq!(said(&t), ["Opener?", "One", "Why?"]);
    }

    #[test]
    fn history_merges_and_skips_failures() {
        let mut t = Transcript::default();
        t.entries.push(Entry::new(Speaker::Peer, "Opener?"));
        t.entries.push(Entry::new(Speaker::Learner, "One"));
        let mut failed = Entry::new(Speaker::Peer, "");
        failed.state = State::Failed("401".into());
        t.entries.push(failed);
        t.entries.push(Entry::new(Speaker::Learner, "Two"));
        let h = t.history();
        assert_eq!(h.len(), 1, "the opener moves to the system prompt");
        assert_eq!(h[0].role, Role::User);
        assert_eq!(h[0].content, "One\n\nTwo");
    }

    #[test]
    fn markdown_export_marks_cut_replies() {
        let mut t = Transcript::default();
        t.entries.push(Entry::new(Speaker::Learner, "Weighted CE."));
        let mut cut = Entry::new(Speaker::Peer, "Partly");
        cut.state = State::Cut;
        t.entries.push(cut);
        let md = t.to_markdown("Lab 1");
        assert!(md.starts_with("# Lab 1\n"));
        assert!(md.contains("**You:**\n\nWeighted CE."));
        assert!(md.contains("*(reply cut off)*"));
        t.entries.push(Entry {
            ending: Some(Ending::Truncated),
            ..Entry::new(Speaker::Peer, "Long")
        });
        assert!(t
            .to_markdown("Lab 1")
            .contains("*(reply truncated: it reached the model's length limit)*"));
    }

    #[test]
    fn a_reply_interrupted_by_a_reload_keeps_what_arrived() {
        let mut t = Transcript::default();
        t.entries.push(Entry::new(Speaker::Learner, "Q"));
        t.entries.push(Entry {
            state: State::Streaming,
            ..Entry::new(Speaker::Peer, "")
        });
        assert!(t.settle_interrupted(Some("The first half")));
        assert_eq!(t.entries[1].state, State::Cut);
        assert_eq!(t.entries[1].text, "The first half");
        assert!(
            !t.settle_interrupted(Some("more")),
            "nothing left streaming"
        );
        // Older entries and their text are never touched.
        assert_eq!(t.entries[0], Entry::new(Speaker::Learner, "Q"));
    }

    #[test]
    fn new_fields_are_optional_both_ways() {
        // Stored before `ending` and `no_retry` existed.
        let old = r#"{"entries":[{"speaker":"peer","text":"x","state":{"state":"complete"}}]}"#;
        let t: Transcript = serde_json::from_str(old).unwrap();
        assert!(!t.entries[0].no_retry && t.entries[0].ending.is_none());
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            old,
            "unset fields are not written"
        );
        let failed = Entry {
            no_retry: true,
            state: State::Failed("401".into()),
            ..Entry::new(Speaker::Peer, "")
        };
        let back: Entry = serde_json::from_str(&serde_json::to_string(&failed).unwrap()).unwrap();
        assert_eq!(back, failed);
    }
}
