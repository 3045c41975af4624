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
        };
        let without = system_prompt(&lab, &[]);
        assert!(without.starts_with("You are a peer."));
        assert!(without.contains("- Names class weights") && without.contains("6.25%?"));
        assert!(!without.contains("What the learner did"));
        let with = system_prompt(&lab, &["Lesson quiz: 4 of 5".into()]);
        assert!(with.contains("- Lesson quiz: 4 of 5"));
    }
}
