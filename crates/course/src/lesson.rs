//! A lesson file: front matter, Markdown sections, and the lesson blocks
//! (scenario, term cards, callouts, loss-curve patterns).

use crate::blocks::{self, Segment};
use crate::error::{ContentError, Errors};
use crate::front_matter;
use crate::markdown::{render, Html};

#[derive(Debug, Clone, PartialEq)]
pub struct Lesson {
    pub kicker: String,
    pub title: String,
    pub subtitle: String,
    pub question: String,
    pub blocks: Vec<LessonBlock>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum LessonBlock {
    Markdown(Html),
    Scenario {
        name: String,
        body: Html,
    },
    Term {
        term: String,
        definition: Html,
    },
    Callout {
        kind: CalloutKind,
        body: Html,
    },
    Pattern {
        name: String,
        signal: String,
        body: Html,
    },
    /// A live demo, by the name of its file in the module's `demos/` folder.
    Demo {
        name: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalloutKind {
    RealityCheck,
    PracticalMove,
}

impl CalloutKind {
    pub fn title(self) -> &'static str {
        match self {
            CalloutKind::RealityCheck => "Peer Reality Check",
            CalloutKind::PracticalMove => "Practical Move",
        }
    }
}

const BLOCKS: &str = "scenario, term, reality-check, practical-move, pattern, demo";

impl Lesson {
    /// The lesson's prose as plain-text paragraphs (list items and table rows count as
    /// paragraphs), headings left out: what a lab's peer may quote back from it.
    pub fn paragraphs(&self) -> Vec<String> {
        let mut out = Vec::new();
        for block in &self.blocks {
            let (prefix, html) = match block {
                LessonBlock::Markdown(h) => (String::new(), h),
                LessonBlock::Scenario { body, .. } => (String::new(), body),
                LessonBlock::Term { term, definition } => (format!("{term}: "), definition),
                LessonBlock::Callout { body, .. } => (String::new(), body),
                LessonBlock::Pattern { name, signal, body } => {
                    (format!("{name} ({signal}): "), body)
                }
                LessonBlock::Demo { .. } => continue,
            };
            let mut first = true;
            let mut rest = html.as_str();
            while !rest.is_empty() {
                // Up to the next block-level closing tag.
                let end = ["</p>", "</li>", "</tr>", "</blockquote>"]
                    .iter()
                    .filter_map(|t| rest.find(t).map(|i| i + t.len()))
                    .min()
                    .unwrap_or(rest.len());
                let (chunk, tail) = rest.split_at(end);
                rest = tail;
                if chunk.contains("</h") {
                    // A heading and what follows it in the chunk: keep only what follows.
                    let after = chunk
                        .rfind("</h")
                        .and_then(|i| chunk[i..].find('>').map(|j| i + j + 1));
                    let text =
                        crate::markdown::plain_text_of(&chunk[after.unwrap_or(chunk.len())..]);
                    if !text.is_empty() {
                        out.push(text);
                    }
                    continue;
                }
                let text = crate::markdown::plain_text_of(chunk);
                if !text.is_empty() {
                    out.push(if first {
                        format!("{prefix}{text}")
                    } else {
                        text
                    });
                    first = false;
                }
            }
        }
        out
    }
}

pub fn parse(path: &str, text: &str) -> Result<Lesson, Errors> {
    let split = front_matter::split(path, text).map_err(|e| vec![e])?;
    let mut errors = Vec::new();
    split.front.check(
        path,
        &["kicker", "title", "subtitle", "question"],
        &[],
        &mut errors,
    );

    let mut out = Vec::new();
    for segment in blocks::split(path, split.body, split.body_line, &mut errors) {
        let block = match segment {
            Segment::Markdown { text, line } => {
                LessonBlock::Markdown(render(path, text, line, &mut errors))
            }
            Segment::Block(b) => {
                if b.name == "demo" {
                    let valid = !b.arg.is_empty()
                        && b.arg
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
                    if !valid {
                        errors.push(ContentError::new(
                            path,
                            b.line,
                            "`:::demo` needs a demo name (lowercase letters, digits, `-`) after it",
                        ));
                    }
                    out.push(LessonBlock::Demo {
                        name: b.arg.to_string(),
                    });
                    continue;
                }
                let body = render(path, b.body, b.body_line, &mut errors);
                if body.is_empty() {
                    errors.push(ContentError::new(
                        path,
                        b.line,
                        format!("the `:::{}` block is empty", b.name),
                    ));
                }
                let needs_arg = |what: &str, errors: &mut Errors| {
                    if b.arg.is_empty() {
                        errors.push(ContentError::new(
                            path,
                            b.line,
                            format!("`:::{}` needs {what} after it", b.name),
                        ));
                    }
                };
                match b.name {
                    "scenario" => {
                        needs_arg("the person's name", &mut errors);
                        LessonBlock::Scenario {
                            name: b.arg.to_string(),
                            body,
                        }
                    }
                    "term" => {
                        needs_arg("the term", &mut errors);
                        LessonBlock::Term {
                            term: b.arg.to_string(),
                            definition: body,
                        }
                    }
                    "reality-check" => LessonBlock::Callout {
                        kind: CalloutKind::RealityCheck,
                        body,
                    },
                    "practical-move" => LessonBlock::Callout {
                        kind: CalloutKind::PracticalMove,
                        body,
                    },
                    "pattern" => {
                        let (name, signal) = b.arg.split_once('|').unwrap_or((b.arg, ""));
                        if name.trim().is_empty() || signal.trim().is_empty() {
                            errors.push(ContentError::new(
                                path,
                                b.line,
                                "`:::pattern` needs `Name | what you see` after it",
                            ));
                        }
                        LessonBlock::Pattern {
                            name: name.trim().to_string(),
                            signal: signal.trim().to_string(),
                            body,
                        }
                    }
                    other => {
                        errors.push(ContentError::new(
                            path,
                            b.line,
                            format!("`:::{other}` is not a lesson block (lessons use: {BLOCKS})"),
                        ));
                        continue;
                    }
                }
            }
        };
        out.push(block);
    }
    if !out
        .iter()
        .any(|b| matches!(b, LessonBlock::Scenario { .. }))
    {
        errors.push(ContentError::new(
            path,
            split.body_line,
            "a lesson needs a `:::scenario` block",
        ));
    }
    if !out.iter().any(|b| matches!(b, LessonBlock::Term { .. })) {
        errors.push(ContentError::new(
            path,
            split.body_line,
            "a lesson needs at least one `:::term` block",
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let f = &split.front;
    Ok(Lesson {
        kicker: f.text("kicker"),
        title: f.text("title"),
        subtitle: f.text("subtitle"),
        question: f.text("question"),
        blocks: out,
    })
}

impl Lesson {
    /// Names of the demos this lesson places.
    pub fn demos(&self) -> impl Iterator<Item = &str> {
        self.blocks.iter().filter_map(|b| match b {
            LessonBlock::Demo { name } => Some(name.as_str()),
            _ => None,
        })
    }

    pub fn terms(&self) -> impl Iterator<Item = (&str, &Html)> {
        self.blocks.iter().filter_map(|b| match b {
            LessonBlock::Term { term, definition } => Some((term.as_str(), definition)),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "---\nkicker: K\ntitle: T\nsubtitle: S\nquestion: Q?\n---\n\n:::scenario Priya\nShe stares.\n:::\n\n## Part\n\nText $x$.\n\n:::term Loss\nA number.\n:::\n\n:::pattern Overfitting | Validation rises\nMemorising.\n:::\n";

    #[test]
    fn parses_a_lesson() {
        let l = parse("l.md", GOOD).unwrap();
        assert_eq!(l.title, "T");
        assert_eq!(l.terms().map(|(t, _)| t).collect::<Vec<_>>(), vec!["Loss"]);
        assert!(matches!(&l.blocks[0], LessonBlock::Scenario { name, .. } if name == "Priya"));
        assert!(l.blocks.iter().any(
            |b| matches!(b, LessonBlock::Pattern { signal, .. } if signal == "Validation rises")
        ));
    }

    #[test]
    fn an_empty_term_card_is_located() {
        let bad = GOOD.replace(":::term Loss\nA number.\n:::", ":::term\n\n:::");
        let errs: Vec<String> = parse("l.md", &bad)
            .unwrap_err()
            .iter()
            .map(|e| e.to_string())
            .collect();
        assert!(
            errs.contains(&"l.md:16: the `:::term` block is empty".to_string()),
            "{errs:?}"
        );
        assert!(
            errs.contains(&"l.md:16: `:::term` needs the term after it".to_string()),
            "{errs:?}"
        );
    }

    #[test]
    fn unknown_blocks_and_keys_are_refused() {
        let bad = GOOD
            .replace("question: Q?", "question: Q?\ntitel: X")
            .replace(":::pattern", ":::patern");
        let errs: Vec<String> = parse("l.md", &bad)
            .unwrap_err()
            .iter()
            .map(|e| e.to_string())
            .collect();
        assert!(
            errs.iter()
                .any(|e| e.starts_with("l.md:6: unknown front matter key `titel`")),
            "{errs:?}"
        );
        assert!(
            errs.iter()
                .any(|e| e.starts_with("l.md:21: `:::patern` is not a lesson block")),
            "{errs:?}"
        );
    }

    #[test]
    fn missing_front_matter_is_reported() {
        let errs = parse("l.md", "# Hello").unwrap_err();
        assert_eq!(errs[0].line, 1);
        let errs: Vec<String> = parse("l.md", &GOOD.replace("subtitle: S\n", ""))
            .unwrap_err()
            .iter()
            .map(|e| e.to_string())
            .collect();
        assert!(
            errs.contains(&"l.md:1: the front matter lacks `subtitle`".to_string()),
            "{errs:?}"
        );
    }
}
