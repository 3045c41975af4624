//! A lab file: the scenario the learner argues with the AI peer, the peer's opener and
//! persona, and the rubric and follow-ups that also drive the offline peer.

use crate::blocks::{self, Segment};
use crate::error::{ContentError, Errors};
use crate::front_matter;
use crate::markdown::{render, render_inline, Html};

#[derive(Debug, Clone, PartialEq)]
pub struct Lab {
    pub title: String,
    pub subtitle: String,
    /// The peer's topic, shown as "AESOP Lab AI · {badge}".
    pub badge: String,
    pub scenario: Html,
    pub task: Html,
    pub opener: Text,
    /// Instructions for the AI peer; never shown to the learner as content.
    pub persona: String,
    pub rubric: Vec<Text>,
    pub followups: Vec<Text>,
    /// The offline peer's dialogue; a lab without one gets the scripted walk through the
    /// rubric and follow-ups. (Absent from the reader's build, which never shows a lab.)
    #[cfg(feature = "dialogue")]
    pub dialogue: Option<crate::dialogue::Dialogue>,
}

/// Markdown kept both as written (for the LLM) and rendered (for the page).
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    pub source: String,
    pub html: Html,
}

const BLOCKS: [&str; 6] = [
    "scenario",
    "task",
    "opener",
    "persona",
    "rubric",
    "followups",
];

pub fn parse(path: &str, text: &str) -> Result<Lab, Errors> {
    let split = front_matter::split(path, text).map_err(|e| vec![e])?;
    let mut errors = Vec::new();
    split
        .front
        .check(path, &["title", "subtitle", "badge"], &[], &mut errors);

    let mut found: Vec<Option<blocks::Block>> = vec![None; BLOCKS.len()];
    let mut dialogue_blocks = Vec::new();
    for segment in blocks::split(path, split.body, split.body_line, &mut errors) {
        match segment {
            Segment::Markdown { text, line } => {
                if let Some(offset) = text.lines().position(|l| !l.trim().is_empty()) {
                    errors.push(ContentError::new(
                        path,
                        line + offset,
                        "text outside a block: labs hold only `:::` blocks",
                    ));
                }
            }
            Segment::Block(b) if crate::dialogue::BLOCKS.contains(&b.name) => {
                dialogue_blocks.push(b)
            }
            Segment::Block(b) => match BLOCKS.iter().position(|n| *n == b.name) {
                Some(i) if found[i].is_some() => errors.push(ContentError::new(
                    path,
                    b.line,
                    format!("a second `:::{}` block", b.name),
                )),
                Some(_) if b.body.trim().is_empty() => errors.push(ContentError::new(
                    path,
                    b.line,
                    format!("the `:::{}` block is empty", b.name),
                )),
                Some(i) => found[i] = Some(b),
                None => errors.push(ContentError::new(
                    path,
                    b.line,
                    format!(
                        "`:::{}` is not a lab block (labs use: {}, and for the offline peer {})",
                        b.name,
                        BLOCKS.join(", "),
                        crate::dialogue::BLOCKS.join(", ")
                    ),
                )),
            },
        }
    }
    for (name, block) in BLOCKS.iter().zip(&found) {
        if block.is_none() {
            errors.push(ContentError::new(
                path,
                split.body_line,
                format!("a lab needs a `:::{name}` block"),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let [scenario, task, opener, persona, rubric, followups] =
        found.try_into().expect("six blocks");
    let (scenario, task, opener, persona, rubric, followups) = (
        scenario.unwrap(),
        task.unwrap(),
        opener.unwrap(),
        persona.unwrap(),
        rubric.unwrap(),
        followups.unwrap(),
    );

    let rubric_items = list(path, &rubric, 3..=8, &mut errors);
    let followup_items = list(path, &followups, 3..=5, &mut errors);
    #[cfg(feature = "dialogue")]
    let dialogue = (!dialogue_blocks.is_empty())
        .then(|| crate::dialogue::parse(path, &dialogue_blocks, rubric_items.len(), &mut errors));
    #[cfg(not(feature = "dialogue"))]
    let _ = dialogue_blocks;
    let lab = Lab {
        title: split.front.text("title"),
        subtitle: split.front.text("subtitle"),
        badge: split.front.text("badge"),
        scenario: render(path, scenario.body, scenario.body_line, &mut errors),
        task: render(path, task.body, task.body_line, &mut errors),
        opener: Text {
            source: opener.body.trim().to_string(),
            html: render(path, opener.body, opener.body_line, &mut errors),
        },
        persona: persona.body.trim().to_string(),
        rubric: rubric_items,
        followups: followup_items,
        #[cfg(feature = "dialogue")]
        dialogue,
    };
    if errors.is_empty() {
        Ok(lab)
    } else {
        Err(errors)
    }
}

/// A bullet list block: each `- ` line starts an item, indented lines continue it.
fn list(
    path: &str,
    block: &blocks::Block,
    count: std::ops::RangeInclusive<usize>,
    errors: &mut Errors,
) -> Vec<Text> {
    let mut items: Vec<(String, usize)> = Vec::new();
    for (i, line) in block.body.lines().enumerate() {
        let line_no = block.body_line + i;
        let trimmed = line.trim();
        if let Some(item) = trimmed
            .strip_prefix("- ")
            .or_else(|| trimmed.strip_prefix("* "))
        {
            items.push((item.trim().to_string(), line_no));
        } else if trimmed.is_empty() {
        } else if let Some(last) = items.last_mut() {
            last.0.push(' ');
            last.0.push_str(trimmed);
        } else {
            errors.push(ContentError::new(
                path,
                line_no,
                format!(
                    "`:::{}` holds a bullet list: start each item with `- `",
                    block.name
                ),
            ));
        }
    }
    if !count.contains(&items.len()) {
        errors.push(ContentError::new(
            path,
            block.line,
            format!(
                "`:::{}` has {} items; give {} to {}",
                block.name,
                items.len(),
                count.start(),
                count.end()
            ),
        ));
    }
    items
        .into_iter()
        .map(|(source, line)| Text {
            html: render_inline(path, &source, line, errors),
            source,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAB: &str = "---\ntitle: Lab 1\nsubtitle: S\nbadge: Loss Functions\n---\n:::scenario\nVeritas.\n:::\n:::task\nRecommend.\n:::\n:::opener\n6.25% positives.\n:::\n:::persona\nYou are a peer.\n:::\n:::rubric\n- one\n- two,\n  continued\n- three\n:::\n:::followups\n- a?\n- b?\n- c?\n:::\n";

    #[test]
    fn parses_a_lab() {
        let lab = parse("lab.md", LAB).unwrap();
        assert_eq!(lab.badge, "Loss Functions");
        assert_eq!(lab.rubric.len(), 3);
        assert_eq!(lab.rubric[1].source, "two, continued");
        assert_eq!(lab.followups.len(), 3);
        assert_eq!(lab.persona, "You are a peer.");
    }

    const DIALOGUE: &str = ":::expectation 1\nSay: one\nMatch: first thing | the\n  first one\nHint: h?\nPrompt: p?\nAnswer: one\nAssert: a.\n:::\n:::expectation 2\nSay: two\nMatch: two\nHint: h\nPrompt: p\nAnswer: 2\nAssert: a\n:::\n:::expectation 3\nSay: three\nMatch: three\nHint: h\nPrompt: p\nAnswer: 3\nAssert: a\n:::\n:::misconception mse-fine\nMatch: mse fine\nPushback: Is it?\n:::\n:::asks what-recall\nMatch: what recall\nAnswer: The share caught.\nPassage: recall is\n:::\n:::synonyms\nmse = mean squared error\n:::\n";

    #[test]
    fn parses_a_dialogue_for_every_rubric_point() {
        let lab = parse("lab.md", &format!("{LAB}{DIALOGUE}")).unwrap();
        let d = lab.dialogue.unwrap();
        assert_eq!(d.expectations.len(), 3);
        assert_eq!(
            d.expectations[0].matches,
            vec!["first thing", "the first one"]
        );
        assert_eq!(d.misconceptions[0].id, "mse-fine");
        assert_eq!(d.asks[0].passage, "recall is");
        assert_eq!(
            d.synonyms,
            vec![vec!["mse".to_string(), "mean squared error".to_string()]]
        );
        assert!(parse("lab.md", LAB).unwrap().dialogue.is_none());
    }

    #[test]
    fn dialogue_mistakes_are_reported_with_lines() {
        let errs = |text: &str| -> Vec<String> {
            parse("lab.md", &format!("{LAB}{text}"))
                .unwrap_err()
                .iter()
                .map(|e| e.to_string())
                .collect()
        };
        let missing = errs(&DIALOGUE.replace(":::expectation 3\nSay: three\nMatch: three\nHint: h\nPrompt: p\nAnswer: 3\nAssert: a\n:::\n", ""));
        assert!(
            missing
                .iter()
                .any(|e| e.contains("rubric point 3 has no `:::expectation 3`")),
            "{missing:?}"
        );
        let wrong = errs(&DIALOGUE.replace("Pushback: Is it?", "Hint: Is it?"));
        assert!(
            wrong
                .iter()
                .any(|e| e.contains("`Hint:` does not belong in a `:::misconception` block")),
            "{wrong:?}"
        );
        assert!(
            wrong
                .iter()
                .any(|e| e.contains("lacks its `Pushback:` field")),
            "{wrong:?}"
        );
        let range = errs(&DIALOGUE.replace(":::expectation 2", ":::expectation 9"));
        assert!(range.iter().any(|e| e.contains("1 to 3")), "{range:?}");
        let empty = errs(&DIALOGUE.replace("Match: two", "Match: two ||"));
        assert!(
            empty.iter().any(|e| e.contains("empty alternative")),
            "{empty:?}"
        );
        let twice = errs(&DIALOGUE.replace(":::asks what-recall", ":::asks mse-fine"));
        assert!(
            twice.iter().any(|e| e.contains("`mse-fine` is used twice")),
            "{twice:?}"
        );
    }

    #[test]
    fn missing_and_short_blocks_are_reported() {
        let errs: Vec<String> = parse(
            "lab.md",
            &LAB.replace(":::persona\nYou are a peer.\n:::\n", ""),
        )
        .unwrap_err()
        .iter()
        .map(|e| e.to_string())
        .collect();
        assert_eq!(errs, vec!["lab.md:6: a lab needs a `:::persona` block"]);
        let errs: Vec<String> = parse("lab.md", &LAB.replace("- c?\n", ""))
            .unwrap_err()
            .iter()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(
            errs,
            vec!["lab.md:24: `:::followups` has 2 items; give 3 to 5"]
        );
    }
}
