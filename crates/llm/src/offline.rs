//! The offline peer: runs a lab with no endpoint. After the opener it takes the learner's
//! answer, shows the rubric as a self-check list, then raises the follow-up challenges one
//! at a time, and says when it has no more. It brings in the learner's own results.

use crate::transcript::{Entry, Speaker};

pub struct OfflineScript<'a> {
    pub rubric: &'a [String],
    pub followups: &'a [String],
    /// Short lines about the learner's results; the first is quoted back once.
    pub evidence: &'a [String],
}

/// The offline peer's reply to the learner's `answered`-th message (0-based).
pub fn reply(script: &OfflineScript, answered: usize) -> Entry {
    let followup = |i: usize| {
        script
            .followups
            .get(i)
            .map(|f| format!("Challenge {} of {}: {f}", i + 1, script.followups.len()))
    };
    match answered {
        0 => {
            let mut text = String::from("Thanks — that's your opening position. Before I push back, check your answer against what a strong one covers. Tick what you already argued; the rest is worth adding in your next message.");
            if let Some(line) = script.evidence.first() {
                text.push_str(&format!("\n\nFrom your own work in this lesson: {line}. Does your answer square with that?"));
            }
            if let Some(f) = followup(0) {
                text.push_str("\n\n");
                text.push_str(&f);
            }
            Entry { checklist: script.rubric.to_vec(), ..Entry::new(Speaker::OfflinePeer, text) }
        }
        n => match followup(n) {
            Some(f) => Entry::new(Speaker::OfflinePeer, format!("Noted. Next one.\n\n{f}")),
            None => Entry::new(
                Speaker::OfflinePeer,
                "That was my last challenge. Look back over the self-check list: anything still unticked is where your argument is thinnest. Export this chat if you want to keep it, or configure an AI endpoint in Settings for a peer that answers back in full.",
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_rubric_then_followups_then_ends() {
        let rubric = vec![
            "Names weighted CE".to_string(),
            "Picks recall".to_string(),
            "Plans a check".to_string(),
        ];
        let followups = vec!["A?".to_string(), "B?".to_string(), "C?".to_string()];
        let evidence = vec!["Lesson quiz 3 of 5".to_string()];
        let s = OfflineScript {
            rubric: &rubric,
            followups: &followups,
            evidence: &evidence,
        };
        let first = reply(&s, 0);
        assert_eq!(first.speaker, Speaker::OfflinePeer);
        assert_eq!(first.checklist, rubric);
        assert!(
            first.text.contains("Lesson quiz 3 of 5")
                && first.text.contains("Challenge 1 of 3: A?")
        );
        assert!(reply(&s, 1).text.contains("Challenge 2 of 3: B?"));
        assert!(reply(&s, 2).text.contains("Challenge 3 of 3: C?"));
        assert!(reply(&s, 3).text.contains("last challenge"));
        assert!(reply(&s, 3).checklist.is_empty());
    }
}
