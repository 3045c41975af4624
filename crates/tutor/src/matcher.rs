//! Authored phrases against learner sentences. A phrase matches a sentence when each of its
//! tokens is there (any order; numbers within a tolerance), after both were stemmed and their
//! synonyms folded to one term. A match with a negation just before or inside it ("not
//! weighted", "MSE is not fine") is negated and counts for nothing.

use crate::text::{Reader, Sentence, Token};

/// How far before a phrase's first matched word a negation still applies.
const NEGATION_REACH: usize = 3;

/// Synonym groups, each folded to the first member's stems.
#[derive(Debug, Default)]
pub struct Synonyms {
    /// (the member's stems, the group's term), longest members first.
    members: Vec<(Vec<String>, String)>,
}

/// Terms the whole course uses interchangeably, before any lab's own.
const BUILT_IN: &[&[&str]] = &[
    &["learning rate", "lr", "step size"],
    &[
        "cross entropy",
        "crossentropy",
        "log loss",
        "logloss",
        "bce",
        "binary cross entropy",
    ],
    &[
        "mse",
        "mean squared error",
        "squared error",
        "l2 loss",
        "mean square error",
    ],
    &["gradient", "gradients", "grad", "derivative", "slope"],
    &["backpropagation", "backprop", "backward pass"],
];

impl Synonyms {
    pub fn new(reader: &Reader, groups: &[Vec<String>]) -> Self {
        let mut members = Vec::new();
        let built_in = BUILT_IN
            .iter()
            .map(|g| g.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        for group in built_in.chain(groups.iter().cloned()) {
            let stems = |p: &str| -> Vec<String> {
                reader
                    .tokens(p)
                    .into_iter()
                    .filter_map(|t| match t {
                        Token::Word(w) => Some(w),
                        _ => None,
                    })
                    .collect()
            };
            let Some(term) = group.first().map(|g| format!("≡{}", stems(g).join("_"))) else {
                continue;
            };
            for m in &group {
                let s = stems(m);
                if !s.is_empty() {
                    members.push((s, term.clone()));
                }
            }
        }
        members.sort_by(|a, b| b.0.len().cmp(&a.0.len()));
        Synonyms { members }
    }

    /// Replaces each run of words that is a group member by the group's term.
    pub fn fold(&self, tokens: &[Token]) -> Vec<Token> {
        let mut out = Vec::with_capacity(tokens.len());
        let mut i = 0;
        'next: while i < tokens.len() {
            for (stems, term) in &self.members {
                let n = stems.len();
                if i + n <= tokens.len()
                    && tokens[i..i + n]
                        .iter()
                        .zip(stems)
                        .all(|(t, s)| matches!(t, Token::Word(w) if w == s))
                {
                    out.push(Token::Word(term.clone()));
                    i += n;
                    continue 'next;
                }
            }
            out.push(tokens[i].clone());
            i += 1;
        }
        out
    }
}

/// One authored phrase, ready to match.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    pub source: String,
    tokens: Vec<Token>,
}

/// Where a pattern met a sentence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub negated: bool,
}

fn same(a: &Token, b: &Token) -> bool {
    match (a, b) {
        (Token::Word(x), Token::Word(y)) => x == y,
        // Learners round: 93.75 is "94", 6.25% is "about 6%".
        (Token::Number(x, _), Token::Number(y, _)) => (x - y).abs() <= (0.03 * x.abs()).max(0.26),
        _ => false,
    }
}

impl Pattern {
    pub fn new(reader: &Reader, synonyms: &Synonyms, source: &str) -> Self {
        let tokens = synonyms
            .fold(&reader.tokens(source))
            .into_iter()
            .filter(|t| *t != Token::Negation)
            .collect();
        Pattern {
            source: source.to_string(),
            tokens,
        }
    }

    /// Nothing left after stop words: it could match anything, so it matches nothing.
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// Matches a sentence already folded with the same synonyms.
    pub fn hit(&self, sentence: &[Token]) -> Option<Hit> {
        if self.tokens.is_empty() {
            return None;
        }
        let mut at = Vec::with_capacity(self.tokens.len());
        for t in &self.tokens {
            at.push(sentence.iter().position(|s| same(t, s))?);
        }
        let (first, last) = (*at.iter().min()?, *at.iter().max()?);
        let negated = sentence[first.saturating_sub(NEGATION_REACH)..=last]
            .iter()
            .any(|t| *t == Token::Negation);
        Some(Hit { negated })
    }
}

/// A set of alternatives: matched when any one is, unnegated, in any sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Alternatives(pub Vec<Pattern>);

impl Alternatives {
    pub fn new(reader: &Reader, synonyms: &Synonyms, sources: &[String]) -> Self {
        Alternatives(
            sources
                .iter()
                .map(|s| Pattern::new(reader, synonyms, s))
                .filter(|p| !p.is_empty())
                .collect(),
        )
    }

    /// Whether some sentence states it (unnegated); and whether some sentence negates it.
    pub fn find(&self, sentences: &[Sentence]) -> (bool, bool) {
        let (mut stated, mut negated) = (false, false);
        for s in sentences {
            for p in &self.0 {
                if let Some(h) = p.hit(&s.tokens) {
                    if h.negated {
                        negated = true;
                    } else {
                        stated = true;
                    }
                }
            }
        }
        (stated, negated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (Reader, Synonyms) {
        let r = Reader::default();
        let s = Synonyms::new(
            &r,
            &[vec![
                "false negative".into(),
                "missed case".into(),
                "missed diagnosis".into(),
            ]],
        );
        (r, s)
    }

    fn folded(r: &Reader, s: &Synonyms, text: &str) -> Vec<Sentence> {
        r.sentences(text)
            .into_iter()
            .map(|mut x| {
                x.tokens = s.fold(&x.tokens);
                x
            })
            .collect()
    }

    #[test]
    fn paraphrase_stems_synonyms_and_numbers() {
        let (r, s) = setup();
        let p = Alternatives::new(
            &r,
            &s,
            &[
                "weight rare class".into(),
                "false negative costs more".into(),
                "93.75% accuracy".into(),
            ],
        );
        for text in [
            "I'd weight the rare classes more heavily.",
            "Weighting the class that is rare fixes it",
            "A missed diagnosis costs far more than a false alarm.",
            "It would still get about 94% accuracy",
        ] {
            assert_eq!(p.find(&folded(&r, &s, text)), (true, false), "{text}");
        }
        assert_eq!(p.find(&folded(&r, &s, "accuracy of 90%")), (false, false));
    }

    #[test]
    fn negation_before_or_inside_the_phrase_negates_it() {
        let (r, s) = setup();
        let mse_fine = Alternatives::new(&r, &s, &["mse fine".into()]);
        assert_eq!(
            mse_fine.find(&folded(&r, &s, "MSE is fine here.")),
            (true, false)
        );
        assert_eq!(
            mse_fine.find(&folded(&r, &s, "MSE is not fine here.")),
            (false, true)
        );
        assert_eq!(
            mse_fine.find(&folded(&r, &s, "Mean squared error isn't fine")),
            (false, true)
        );
        let weight = Alternatives::new(&r, &s, &["weight class".into()]);
        assert_eq!(
            weight.find(&folded(&r, &s, "I would never weight the class")),
            (false, true)
        );
        // A negation far before the phrase belongs to something else.
        assert_eq!(
            weight.find(&folded(
                &r,
                &s,
                "Not accuracy: recall matters, so weight the class"
            )),
            (true, false)
        );
    }
}
