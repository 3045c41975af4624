//! A lab's authored dialogue for the offline peer (an expectation-and-misconception tutor, as
//! AutoTutor): what a good answer says (one `:::expectation N` per rubric point), the wrong
//! beliefs learners bring (`:::misconception id`), questions they ask (`:::asks id`), and the
//! words they use for the same thing (`:::synonyms`). Kept as written; the tutor engine
//! compiles the `Match:` phrases. Each block holds `Key: value` fields, a field running on
//! until the next `Key:` line.

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Dialogue {
    /// In rubric order: `expectations[i]` is rubric point i + 1.
    pub expectations: Vec<Expectation>,
    pub misconceptions: Vec<Misconception>,
    pub asks: Vec<Ask>,
    /// Each line: words and phrases learners use for the same thing.
    pub synonyms: Vec<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expectation {
    /// The point in a few words, for the closing summary.
    pub say: String,
    pub matches: Vec<String>,
    pub hint: String,
    pub prompt: String,
    /// What completes the prompt.
    pub answers: Vec<String>,
    /// The point stated, when hint and prompt have not brought it out.
    pub assert: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Misconception {
    pub id: String,
    pub matches: Vec<String>,
    pub pushback: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Ask {
    pub id: String,
    pub matches: Vec<String>,
    pub answer: String,
    /// Words of the lesson the answer draws on, verbatim, so the page can point to them.
    pub passage: String,
}

pub const BLOCKS: [&str; 4] = ["expectation", "misconception", "asks", "synonyms"];

#[cfg(feature = "dialogue")]
pub use parse::parse;

#[cfg(feature = "dialogue")]
mod parse {
    use super::*;
    use crate::blocks::Block;
    use crate::error::{ContentError, Errors};

    /// The `Key: value` fields of a block, each with its line; `keys` are the ones allowed.
    fn fields(
        path: &str,
        block: &Block,
        keys: &[&str],
        errors: &mut Errors,
    ) -> Vec<(&'static str, String, usize)> {
        let mut out: Vec<(&'static str, String, usize)> = Vec::new();
        for (i, line) in block.body.lines().enumerate() {
            let line_no = block.body_line + i;
            let trimmed = line.trim();
            if trimmed.is_empty() {
                continue;
            }
            let key = KEYS.iter().copied().find(|k| {
                trimmed
                    .strip_prefix(k)
                    .is_some_and(|rest| rest.starts_with(':'))
            });
            match key {
                Some(k) if keys.contains(&k) => {
                    if out.iter().any(|(seen, _, _)| *seen == k) {
                        errors.push(ContentError::new(
                            path,
                            line_no,
                            format!("a second `{k}:` in this `:::{}` block", block.name),
                        ));
                    }
                    out.push((k, trimmed[k.len() + 1..].trim().to_string(), line_no));
                }
                Some(k) => errors.push(ContentError::new(
                    path,
                    line_no,
                    format!(
                        "`{k}:` does not belong in a `:::{}` block (it takes: {})",
                        block.name,
                        keys.join(", ")
                    ),
                )),
                None => match out.last_mut() {
                    Some(last) => {
                        last.1.push(' ');
                        last.1.push_str(trimmed);
                    }
                    None => errors.push(ContentError::new(
                        path,
                        line_no,
                        format!(
                            "text before the first field of `:::{}`: start with one of {}",
                            block.name,
                            keys.join(", ")
                        ),
                    )),
                },
            }
        }
        for k in keys {
            match out.iter().find(|(seen, _, _)| seen == k) {
                None => errors.push(ContentError::new(
                    path,
                    block.line,
                    format!("`:::{} {}` lacks its `{k}:` field", block.name, block.arg),
                )),
                Some((_, v, line)) if v.is_empty() => {
                    errors.push(ContentError::new(path, *line, format!("`{k}:` is empty")))
                }
                _ => {}
            }
        }
        out
    }

    const KEYS: [&str; 8] = [
        "Say", "Match", "Hint", "Prompt", "Answer", "Assert", "Pushback", "Passage",
    ];

    fn get(fields: &[(&'static str, String, usize)], key: &str) -> String {
        fields
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, v, _)| v.clone())
            .unwrap_or_default()
    }

    /// `a | b | c` as its alternatives; an empty one is an error.
    fn alternatives(
        path: &str,
        fields: &[(&'static str, String, usize)],
        key: &str,
        errors: &mut Errors,
    ) -> Vec<String> {
        let Some((_, v, line)) = fields.iter().find(|(k, _, _)| *k == key) else {
            return Vec::new();
        };
        let alts: Vec<String> = v.split('|').map(|a| a.trim().to_string()).collect();
        if alts.iter().any(String::is_empty) {
            errors.push(ContentError::new(
                path,
                *line,
                format!("`{key}:` has an empty alternative between two `|`"),
            ));
        }
        alts.into_iter().filter(|a| !a.is_empty()).collect()
    }

    fn valid_id(id: &str) -> bool {
        !id.is_empty()
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    }

    /// Builds the dialogue from its blocks, checked against the lab's rubric length.
    pub fn parse(path: &str, blocks: &[Block], rubric_len: usize, errors: &mut Errors) -> Dialogue {
        let mut d = Dialogue::default();
        let mut points: Vec<Option<Expectation>> = vec![None; rubric_len];
        let mut synonyms_seen = false;
        for b in blocks {
            match b.name {
                "expectation" => {
                    let f = fields(
                        path,
                        b,
                        &["Say", "Match", "Hint", "Prompt", "Answer", "Assert"],
                        errors,
                    );
                    let n = b
                        .arg
                        .trim()
                        .parse::<usize>()
                        .ok()
                        .filter(|n| (1..=rubric_len).contains(n));
                    let Some(n) = n else {
                        errors.push(ContentError::new(path, b.line, format!("`:::expectation` takes the number of the rubric point it expands, 1 to {rubric_len}")));
                        continue;
                    };
                    if points[n - 1].is_some() {
                        errors.push(ContentError::new(
                            path,
                            b.line,
                            format!("a second `:::expectation {n}`"),
                        ));
                    }
                    points[n - 1] = Some(Expectation {
                        say: get(&f, "Say"),
                        matches: alternatives(path, &f, "Match", errors),
                        hint: get(&f, "Hint"),
                        prompt: get(&f, "Prompt"),
                        answers: alternatives(path, &f, "Answer", errors),
                        assert: get(&f, "Assert"),
                    });
                }
                "misconception" | "asks" => {
                    let id = b.arg.trim();
                    if !valid_id(id) {
                        errors.push(ContentError::new(
                            path,
                            b.line,
                            format!(
                                "`:::{}` needs an id of lowercase letters, digits and `-`",
                                b.name
                            ),
                        ));
                    }
                    let taken = d
                        .misconceptions
                        .iter()
                        .map(|m| &m.id)
                        .chain(d.asks.iter().map(|a| &a.id))
                        .any(|seen| seen == id);
                    if taken {
                        errors.push(ContentError::new(
                            path,
                            b.line,
                            format!("the id `{id}` is used twice"),
                        ));
                    }
                    if b.name == "misconception" {
                        let f = fields(path, b, &["Match", "Pushback"], errors);
                        d.misconceptions.push(Misconception {
                            id: id.to_string(),
                            matches: alternatives(path, &f, "Match", errors),
                            pushback: get(&f, "Pushback"),
                        });
                    } else {
                        let f = fields(path, b, &["Match", "Answer", "Passage"], errors);
                        d.asks.push(Ask {
                            id: id.to_string(),
                            matches: alternatives(path, &f, "Match", errors),
                            answer: get(&f, "Answer"),
                            passage: get(&f, "Passage"),
                        });
                    }
                }
                "synonyms" => {
                    if synonyms_seen {
                        errors.push(ContentError::new(
                            path,
                            b.line,
                            "a second `:::synonyms` block",
                        ));
                    }
                    synonyms_seen = true;
                    for (i, line) in b.body.lines().enumerate() {
                        if line.trim().is_empty() {
                            continue;
                        }
                        let words: Vec<String> =
                            line.split('=').map(|w| w.trim().to_lowercase()).collect();
                        if words.len() < 2 || words.iter().any(String::is_empty) {
                            errors.push(ContentError::new(
                                path,
                                b.body_line + i,
                                "a synonyms line reads `word = another word = …`",
                            ));
                            continue;
                        }
                        d.synonyms.push(words);
                    }
                }
                _ => unreachable!("only dialogue blocks are passed"),
            }
        }
        for (i, p) in points.iter().enumerate() {
            if p.is_none() {
                let line = blocks.first().map_or(1, |b| b.line);
                errors.push(ContentError::new(path, line, format!("rubric point {} has no `:::expectation {}`: the offline peer needs one for every point", i + 1, i + 1)));
            }
        }
        d.expectations = points.into_iter().flatten().collect();
        d
    }
}
