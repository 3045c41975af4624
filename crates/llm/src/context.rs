//! What the peer is told: its persona, the lab, and — with the learner's consent — the
//! learner's own results in this lesson, so it can argue from their evidence.

/// The lab as the peer needs it (plain text, from the content files).
pub struct LabBrief<'a> {
    pub title: &'a str,
    pub scenario: &'a str,
    pub task: &'a str,
    pub opener: &'a str,
    pub persona: &'a str,
    pub rubric: &'a [String],
    /// Wrong beliefs learners bring to this lab, each with the pushback the offline peer gives
    /// (the lab's `:::misconception` blocks): both peers hold the learner to the same points.
    pub misconceptions: &'a [String],
}

/// The learner's evidence, already written as short lines (e.g. "Lesson quiz: 4 of 5;
/// missed: why accuracy misleads on imbalanced data").
pub fn evidence_block(lines: &[String]) -> String {
    if lines.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "What the learner did in this lesson (use it as evidence; quote it when it helps):\n",
    );
    for l in lines {
        out.push_str("- ");
        out.push_str(l);
        out.push('\n');
    }
    out
}

pub fn system_prompt(lab: &LabBrief, evidence: &[String]) -> String {
    let rubric: String = lab.rubric.iter().map(|r| format!("- {r}\n")).collect();
    let mut out = format!(
        "{persona}\n\nLab: {title}\n\nScenario:\n{scenario}\n\nThe learner's task:\n{task}\n\nYou opened the conversation with:\n{opener}\n\nA strong answer covers these points. Never list them; steer the learner toward whichever are missing:\n{rubric}",
        persona = lab.persona.trim(),
        title = lab.title,
        scenario = lab.scenario.trim(),
        task = lab.task.trim(),
        opener = lab.opener.trim(),
    );
    if !lab.misconceptions.is_empty() {
        out.push_str("\nLearners in this lab often voice these wrong beliefs. When the learner does, challenge it with the reasoning given, in your own words, and ask a question back:\n");
        for m in lab.misconceptions {
            out.push_str(&format!("- {m}\n"));
        }
    }
    let evidence = evidence_block(evidence);
    if !evidence.is_empty() {
        out.push('\n');
        out.push_str(&evidence);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn includes_evidence_only_when_given() {
        let rubric = vec!["Names class weights".to_string()];
        let lab = LabBrief {
            title: "Lab 1",
            scenario: "Veritas",
            task: "Recommend",
            opener: "6.25%?",
            persona: "You are a peer.",
            rubric: &rubric,
            misconceptions: &[],
        };
        let without = system_prompt(&lab, &[]);
        assert!(without.starts_with("You are a peer."));
        assert!(without.contains("- Names class weights") && without.contains("6.25%?"));
        assert!(!without.contains("What the learner did"));
        let with = system_prompt(&lab, &["Lesson quiz: 4 of 5".into()]);
        assert!(with.contains("- Lesson quiz: 4 of 5"));
        assert!(!with.contains("wrong beliefs"));
        let beliefs =
            vec!["\"MSE is fine\" — its gradient vanishes when confidently wrong.".to_string()];
        let lab = LabBrief {
            misconceptions: &beliefs,
            ..lab
        };
        let told = system_prompt(&lab, &[]);
        assert!(
            told.contains("often voice these wrong beliefs")
                && told.contains("- \"MSE is fine\" — its gradient")
        );
    }
}
