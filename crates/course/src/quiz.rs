//! A quiz or test file: front matter, then `:::question id` blocks. Inside a question:
//! the prompt (Markdown), options as `- [ ]` / `- [x]` lines (a wrong one may carry a
//! `Why not:` line under it), then a `Why:` paragraph (the explanation, shown after a right
//! and a wrong answer alike) and a `Hint:` paragraph (shown only before an answer is checked).

use crate::blocks::{self, Segment};
use crate::error::{ContentError, Errors};
use crate::front_matter;
use crate::markdown::{render, render_inline, Html};

#[derive(Debug, Clone, PartialEq)]
pub struct Quiz {
    pub title: String,
    pub subtitle: String,
    /// Percent needed to pass; set for the module test.
    pub pass_percent: Option<u32>,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub id: String,
    pub prompt: Html,
    pub options: Vec<Answer>,
    /// The explanation of the right answer, worded to fit either verdict.
    pub why: Html,
    pub hint: Html,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub label: Html,
    pub correct: bool,
    /// For a wrong option: why that choice is wrong, shown to a learner who picked it.
    pub why_not: Option<Html>,
}

impl Question {
    pub fn correct_index(&self) -> usize {
        self.options.iter().position(|o| o.correct).unwrap_or(0)
    }
}

const MIN_OPTIONS: usize = 2;
const MAX_OPTIONS: usize = 6;

pub fn parse(path: &str, text: &str, is_test: bool) -> Result<Quiz, Errors> {
    let split = front_matter::split(path, text).map_err(|e| vec![e])?;
    let mut errors = Vec::new();
    let required: &[&str] = if is_test {
        &["title", "subtitle", "pass"]
    } else {
        &["title", "subtitle"]
    };
    split.front.check(path, required, &[], &mut errors);
    let pass_percent = if is_test {
        match split
            .front
            .get("pass")
            .map(|p| p.trim_end_matches('%').parse::<u32>())
        {
            Some(Ok(p)) if (1..=100).contains(&p) => Some(p),
            Some(_) => {
                errors.push(ContentError::new(
                    path,
                    split.front.line("pass"),
                    "`pass` must be a whole percent from 1 to 100, e.g. `80`",
                ));
                None
            }
            None => None,
        }
    } else {
        None
    };
    // The pass mark is read from `pass` alone; a subtitle that also states it must agree, or
    // a host who changes one would tell learners the wrong mark.
    #[cfg(feature = "authoring")]
    if pass_percent.is_some_and(|pass| {
        percent_in(&split.front.text("subtitle")).is_some_and(|said| said != pass)
    }) {
        errors.push(ContentError::new(
            path,
            split.front.line("subtitle"),
            "the subtitle states a pass mark other than `pass`: make them the same",
        ));
    }

    let mut questions: Vec<Question> = Vec::new();
    for segment in blocks::split(path, split.body, split.body_line, &mut errors) {
        match segment {
            Segment::Markdown { text, line } => {
                if let Some(offset) = text.lines().position(|l| !l.trim().is_empty()) {
                    errors.push(ContentError::new(
                        path,
                        line + offset,
                        "text outside a `:::question` block: put it inside one, or remove it",
                    ));
                }
            }
            Segment::Block(b) if b.name == "question" => {
                if b.arg.is_empty() || !b.arg.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                {
                    errors.push(ContentError::new(
                        path,
                        b.line,
                        "`:::question` needs an id of letters, digits and `-` after it",
                    ));
                } else if questions.iter().any(|q| q.id == b.arg) {
                    errors.push(ContentError::new(
                        path,
                        b.line,
                        format!("question id `{}` is used twice", b.arg),
                    ));
                }
                if let Some(q) =
                    parse_question(path, b.arg, b.body, b.body_line, b.line, &mut errors)
                {
                    questions.push(q);
                }
            }
            Segment::Block(b) => errors.push(ContentError::new(
                path,
                b.line,
                format!(
                    "`:::{}` is not a quiz block (quizzes use: question)",
                    b.name
                ),
            )),
        }
    }
    if questions.is_empty() && errors.is_empty() {
        errors.push(ContentError::new(
            path,
            split.body_line,
            "a quiz needs at least one `:::question` block",
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Quiz {
        title: split.front.text("title"),
        subtitle: split.front.text("subtitle"),
        pass_percent,
        questions,
    })
}

/// The first whole percent in `text` ("score 80% or more" → 80).
#[cfg(feature = "authoring")]
fn percent_in(text: &str) -> Option<u32> {
    let end = text.find('%')?;
    let digits = text[..end]
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .count();
    text[end - digits..end].parse().ok()
}

enum Part {
    Prompt,
    Option,
    WhyNot,
    Why,
    Hint,
}

/// `Why:` is shown under ✓ and ✗ alike, so it may not open with a verdict: a "Right." under a
/// wrong answer is what made the feedback contradict itself.
const VERDICT_OPENINGS: &[&str] = &[
    "correct",
    "right",
    "yes",
    "exactly",
    "indeed",
    "true",
    "no",
    "nope",
    "wrong",
    "incorrect",
    "good",
    "spot",
    "that's right",
    "that is right",
    "not quite",
];

fn opens_with_verdict(text: &str) -> Option<&'static str> {
    // ASCII case folding only (the verdicts are ASCII; a curly apostrophe counts as a straight
    // one): full Unicode lowercasing would cost the reader's wasm some 2 KB.
    let text = text.trim_start().as_bytes();
    VERDICT_OPENINGS.iter().copied().find(|v| {
        let mut t = 0;
        for &c in v.as_bytes() {
            match (c, text.get(t..)) {
                (b'\'', Some([0xE2, 0x80, 0x99, ..])) => t += 3,
                (_, Some([x, ..])) if x.eq_ignore_ascii_case(&c) => t += 1,
                _ => return false,
            }
        }
        text.get(t)
            .is_none_or(|c| !c.is_ascii_alphanumeric() && *c != b'\'')
    })
}

fn parse_question(
    path: &str,
    id: &str,
    body: &str,
    first_line: usize,
    open_line: usize,
    errors: &mut Errors,
) -> Option<Question> {
    let before = errors.len();
    let mut prompt = (String::new(), first_line);
    // (label, correct, line, why not and its line)
    let mut options: Vec<(String, bool, usize, Option<(String, usize)>)> = Vec::new();
    let mut right: Option<(String, usize)> = None;
    let mut hint: Option<(String, usize)> = None;
    let mut part = Part::Prompt;

    for (i, line) in body.lines().enumerate() {
        let line_no = first_line + i;
        let trimmed = line.trim();
        let option = ["- [ ] ", "- [x] ", "- [X] "]
            .iter()
            .find_map(|m| trimmed.strip_prefix(m).map(|rest| (rest, *m != "- [ ] ")));
        if let Some((label, correct)) = option {
            if right.is_some() || hint.is_some() {
                errors.push(ContentError::new(
                    path,
                    line_no,
                    "options must come before the `Why:` and `Hint:` paragraphs",
                ));
            }
            options.push((label.to_string(), correct, line_no, None));
            part = Part::Option;
        } else if let Some(rest) = trimmed.strip_prefix("Why not:") {
            match options.last_mut() {
                Some(o) if matches!(part, Part::Option) && o.3.is_none() => {
                    if o.1 {
                        errors.push(ContentError::new(path, line_no, "`Why not:` under the correct option: it explains a wrong choice, so put it under a `- [ ]` option"));
                    }
                    o.3 = Some((rest.trim().to_string(), line_no));
                    part = Part::WhyNot;
                }
                _ => errors.push(ContentError::new(
                    path,
                    line_no,
                    "`Why not:` must come right under the option it explains, once",
                )),
            }
        } else if trimmed.starts_with("Right:") {
            errors.push(ContentError::new(path, line_no, "`Right:` is now `Why:`: the explanation is shown after right and wrong answers alike, so word it to fit both"));
            part = Part::Why;
        } else if let Some(rest) = trimmed.strip_prefix("Why:") {
            if right.is_some() {
                errors.push(ContentError::new(
                    path,
                    line_no,
                    "a second `Why:` paragraph",
                ));
            }
            if let Some(v) = opens_with_verdict(rest) {
                errors.push(ContentError::new(path, line_no, format!("`Why:` opens with the verdict \"{v}\", but it is shown after a wrong answer too: start with the explanation")));
            }
            right = Some((rest.trim().to_string(), line_no));
            part = Part::Why;
        } else if let Some(rest) = trimmed.strip_prefix("Hint:") {
            if hint.is_some() {
                errors.push(ContentError::new(
                    path,
                    line_no,
                    "a second `Hint:` paragraph",
                ));
            }
            hint = Some((rest.trim().to_string(), line_no));
            part = Part::Hint;
        } else if trimmed.is_empty() {
            if let Part::Prompt = part {
                prompt.0.push('\n');
            } else if !matches!(part, Part::Option | Part::WhyNot) {
                part = Part::Prompt;
            }
        } else {
            // A continuation line belongs to whatever it follows.
            match part {
                Part::Prompt if !options.is_empty() || right.is_some() => {
                    errors.push(ContentError::new(path, line_no, "prompt text after the options: the prompt comes first, then options, then `Why:` and `Hint:`"));
                }
                Part::Prompt => {
                    if prompt.0.trim().is_empty() {
                        prompt = (String::new(), line_no);
                    }
                    prompt.0.push_str(line);
                    prompt.0.push('\n');
                }
                Part::Option => push_words(
                    &mut options.last_mut().expect("an option is open").0,
                    trimmed,
                ),
                Part::WhyNot => push_words(
                    &mut options
                        .last_mut()
                        .and_then(|o| o.3.as_mut())
                        .expect("a why-not is open")
                        .0,
                    trimmed,
                ),
                Part::Why => {
                    if let Some(r) = right.as_mut() {
                        push_words(&mut r.0, trimmed)
                    }
                }
                Part::Hint => push_words(&mut hint.as_mut().expect("hint is open").0, trimmed),
            }
        }
    }

    let at = |msg: &str| ContentError::new(path, open_line, format!("question `{id}`: {msg}"));
    if prompt.0.trim().is_empty() {
        errors.push(at("has no question text before its options"));
    }
    if !(MIN_OPTIONS..=MAX_OPTIONS).contains(&options.len()) {
        errors.push(at(&format!(
            "has {} options; give {MIN_OPTIONS} to {MAX_OPTIONS} as `- [ ]` lines",
            options.len()
        )));
    }
    match options.iter().filter(|o| o.1).count() {
        1 => {}
        0 => errors.push(at("has no correct option: mark one with `- [x]`")),
        n => errors.push(at(&format!(
            "has {n} options marked correct: mark exactly one with `- [x]`"
        ))),
    }
    let right = right.filter(|r| !r.0.is_empty());
    let hint = hint.filter(|h| !h.0.is_empty());
    if right.is_none() {
        errors.push(at("lacks its `Why:` paragraph, the explanation"));
    }
    if hint.is_none() {
        errors.push(at(
            "lacks its `Hint:` paragraph, offered before the answer is checked",
        ));
    }
    if errors.len() > before {
        return None;
    }
    let (right, hint) = (right?, hint?);
    Some(Question {
        id: id.to_string(),
        prompt: render(path, &prompt.0, prompt.1, errors),
        options: options
            .iter()
            .map(|(label, correct, line, why_not)| Answer {
                label: render_inline(path, label, *line, errors),
                correct: *correct,
                why_not: why_not
                    .as_ref()
                    .filter(|w| !w.0.is_empty())
                    .map(|(text, line)| render_inline(path, text, *line, errors)),
            })
            .collect(),
        why: render_inline(path, &right.0, right.1, errors),
        hint: render_inline(path, &hint.0, hint.1, errors),
    })
}

fn push_words(target: &mut String, more: &str) {
    if !target.is_empty() {
        target.push(' ');
    }
    target.push_str(more);
}

#[cfg(test)]
mod tests {
    use super::*;

    const Q: &str = ":::question mse\nWhat does MSE do to big errors?\n\n- [ ] Ignores them\n  Why not: it counts\n  every error.\n- [x] Squares them,\n  so they dominate\n- [ ] Halves them\n- [ ] Clips them\n\nWhy: Squaring makes 10 cost 100.\n\nHint: Think of 10 squared.\n:::\n";

    fn quiz(body: &str) -> Result<Quiz, Errors> {
        parse(
            "q.md",
            &format!("---\ntitle: T\nsubtitle: S\n---\n{body}"),
            false,
        )
    }

    fn messages(r: Result<Quiz, Errors>) -> Vec<String> {
        r.unwrap_err().iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn parses_a_question() {
        let q = &quiz(Q).unwrap().questions[0];
        assert_eq!(q.id, "mse");
        assert_eq!(q.options.len(), 4);
        assert_eq!(q.correct_index(), 1);
        assert_eq!(
            q.options[1].label.as_str(),
            "Squares them, so they dominate"
        );
        assert_eq!(q.why.as_str(), "Squaring makes 10 cost 100.");
        assert_eq!(
            q.options[0].why_not.as_ref().map(Html::as_str),
            Some("it counts every error.")
        );
        assert_eq!(q.options[2].why_not, None);
        assert!(q.prompt.as_str().contains("What does MSE do"));
    }

    #[test]
    fn no_correct_option_is_an_error_with_line() {
        assert_eq!(
            messages(quiz(&Q.replace("[x]", "[ ]"))),
            vec!["q.md:5: question `mse`: has no correct option: mark one with `- [x]`"]
        );
    }

    #[test]
    fn several_correct_options_are_an_error() {
        let errs = messages(quiz(&Q.replace("- [ ] Halves", "- [x] Halves")));
        assert_eq!(errs, vec!["q.md:5: question `mse`: has 2 options marked correct: mark exactly one with `- [x]`"]);
    }

    #[test]
    fn duplicate_ids_and_missing_feedback_are_errors() {
        let errs = messages(quiz(&format!(
            "{Q}{}",
            Q.replace("Why: Squaring makes 10 cost 100.\n", "")
        )));
        assert!(
            errs.contains(&"q.md:20: question id `mse` is used twice".to_string()),
            "{errs:?}"
        );
        assert!(
            errs.contains(
                &"q.md:20: question `mse`: lacks its `Why:` paragraph, the explanation".to_string()
            ),
            "{errs:?}"
        );
    }

    #[test]
    fn an_explanation_that_opens_with_a_verdict_is_an_error() {
        for opening in [
            "Right.",
            "Correct:",
            "Yes, and",
            "That’s right",
            "Not quite",
            "No,",
        ] {
            let errs = messages(quiz(
                &Q.replace("Why: Squaring", &format!("Why: {opening} Squaring")),
            ));
            assert_eq!(errs.len(), 1, "{opening}: {errs:?}");
            assert!(
                errs[0].starts_with("q.md:16: `Why:` opens with the verdict"),
                "{errs:?}"
            );
        }
        // A word that merely starts like one is fine.
        assert!(quiz(&Q.replace("Why: Squaring", "Why: Nothing but squaring")).is_ok());
        assert!(quiz(&Q.replace("Why: Squaring", "Why: Rightly, squaring")).is_ok());
    }

    #[test]
    fn why_not_belongs_under_a_wrong_option() {
        let errs = messages(quiz(&Q.replace(
            "  so they dominate\n",
            "  so they dominate\n  Why not: oops\n",
        )));
        assert_eq!(errs, vec!["q.md:13: `Why not:` under the correct option: it explains a wrong choice, so put it under a `- [ ]` option"]);
        let errs = messages(quiz(&Q.replace("\nHint:", "\nWhy not: stray\n\nHint:")));
        assert!(
            errs.iter()
                .any(|e| e.contains("`Why not:` must come right under the option")),
            "{errs:?}"
        );
        let errs = messages(quiz(&Q.replace("Why: ", "Right: ")));
        assert!(
            errs.iter().any(|e| e.contains("`Right:` is now `Why:`")),
            "{errs:?}"
        );
    }

    /// The errors of `text` read as the module test.
    fn test_errors(text: &str) -> Vec<String> {
        parse("t.md", text, true)
            .unwrap_err()
            .iter()
            .map(|e| e.to_string())
            .collect()
    }

    #[test]
    fn the_test_needs_a_valid_pass_mark() {
        let text = format!("---\ntitle: T\nsubtitle: S\npass: 180\n---\n{Q}");
        let errs = test_errors(&text);
        assert_eq!(
            errs,
            vec!["t.md:4: `pass` must be a whole percent from 1 to 100, e.g. `80`"]
        );
        assert_eq!(
            parse("t.md", &text.replace("180", "80"), true)
                .unwrap()
                .pass_percent,
            Some(80)
        );
    }

    #[test]
    #[cfg(feature = "authoring")]
    fn a_subtitle_that_states_the_pass_mark_must_agree_with_it() {
        let text =
            format!("---\ntitle: T\nsubtitle: score 80% or more to pass\npass: 70\n---\n{Q}");
        let errs = test_errors(&text);
        assert_eq!(
            errs,
            vec!["t.md:3: the subtitle states a pass mark other than `pass`: make them the same"]
        );
        assert!(parse("t.md", &text.replace("70", "80"), true).is_ok());
        assert!(parse("t.md", &text.replace("80% or more ", ""), true).is_ok());
        assert_eq!(percent_in("no mark"), None);
        assert_eq!(percent_in("at least 75% of 15"), Some(75));
    }
}
