//! A lab's conversation as stored and exported.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Speaker {
    Learner,
    /// The AI peer behind the configured endpoint.
    Peer,
    /// The built-in peer that needs no endpoint.
    OfflinePeer,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "state", content = "detail")]
pub enum State {
    Complete,
    Streaming,
    /// Stopped by the learner or cut by the network: the text is partial.
    Cut,
    /// The request failed; the detail is the message shown.
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
}

impl Entry {
    pub fn new(speaker: Speaker, text: impl Into<String>) -> Self {
        Entry {
            speaker,
            text: text.into(),
            state: State::Complete,
            sent_context: None,
            checklist: vec![],
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transcript {
    pub entries: Vec<Entry>,
    /// What the learner has typed but not sent: kept so nothing typed is lost on a reload.
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
            match &e.state {
                State::Cut => out.push_str("\n*(reply cut off)*\n"),
                State::Failed(why) => out.push_str(&format!("\n*(not answered: {why})*\n")),
                _ => {}
            }
            out.push('\n');
        }
        out
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
    }
}
