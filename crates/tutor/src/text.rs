//! Learner text as the matcher reads it: sentences of tokens, each a stemmed content word, a
//! number, or a negation. Stop words are dropped, so "the loss is weighted" and "weighting
//! loss" read alike; negations are kept, so "not weighted" can be told apart.

use rust_stemmers::{Algorithm, Stemmer};

#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    Word(String),
    /// A number, and whether it was written as a percentage.
    Number(f64, bool),
    Negation,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sentence {
    pub tokens: Vec<Token>,
    /// Ends with "?" or opens like a question ("why …", "how …").
    pub question: bool,
}

/// Words that carry no point on their own. Kept short and documented for authors (content/
/// README.md): a word listed here can never make a `Match:` phrase match.
const STOP: &[&str] = &[
    "a", "an", "the", "is", "are", "was", "were", "be", "been", "to", "of", "and", "or", "it",
    "its", "this", "that", "these", "those", "for", "in", "on", "with", "as", "by", "at", "so",
    "i", "you", "we", "they", "my", "your", "our", "me", "us", "would", "should", "could", "will",
    "can", "do", "does", "did", "just", "also", "very", "really", "then", "than", "there", "here",
    "what", "which", "who", "how", "why", "when", "if", "but", "about", "into", "from", "up",
    "out", "over", "only", "such", "i'm", "i'd", "it's", "that's", "what's", "there's", "let's",
];

const NEGATIONS: &[&str] = &[
    "not",
    "no",
    "never",
    "without",
    "nor",
    "neither",
    "none",
    "isn't",
    "doesn't",
    "don't",
    "won't",
    "can't",
    "cannot",
    "aren't",
    "wasn't",
    "weren't",
    "shouldn't",
    "wouldn't",
    "couldn't",
    "didn't",
    "hasn't",
    "haven't",
];

const QUESTION_OPENINGS: &[&str] = &[
    "why", "how", "what", "what's", "which", "when", "where", "who", "is", "are", "does", "do",
    "can", "could", "should", "would", "will", "explain",
];

pub struct Reader {
    stemmer: Stemmer,
}

impl Default for Reader {
    fn default() -> Self {
        Reader {
            stemmer: Stemmer::create(Algorithm::English),
        }
    }
}

/// A raw word: lowercase letters, digits, apostrophes and a number's point or percent sign.
fn words(text: &str) -> Vec<String> {
    let text = text
        .to_lowercase()
        .replace(['’', '‘'], "'")
        .replace('−', "-");
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let digit_around = |j: Option<usize>| {
            j.and_then(|j| chars.get(j))
                .is_some_and(|c| c.is_ascii_digit())
        };
        let keep = c.is_alphanumeric()
            || (c == '\'' && !cur.is_empty())
            // 93.75 and 12,800 stay one number; a full stop does not.
            || ((c == '.' || c == ',') && cur.chars().last().is_some_and(|l| l.is_ascii_digit()) && digit_around(Some(i + 1)))
            || (c == '%' && cur.chars().last().is_some_and(|l| l.is_ascii_digit()));
        if keep {
            cur.push(c);
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out.into_iter()
        .map(|w| w.trim_end_matches('\'').to_string())
        .filter(|w| !w.is_empty())
        .collect()
}

fn number(word: &str) -> Option<(f64, bool)> {
    let percent = word.ends_with('%');
    let digits = word.trim_end_matches('%').replace(',', "");
    let lead = digits.chars().next()?;
    if !lead.is_ascii_digit() {
        return None;
    }
    // "15x", "2nd": the number part.
    let end = digits
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(digits.len());
    digits[..end].parse::<f64>().ok().map(|v| (v, percent))
}

impl Reader {
    pub fn stem(&self, word: &str) -> String {
        self.stemmer.stem(word).into_owned()
    }

    /// One run of words as tokens (no sentence split): for phrases and synonyms.
    pub fn tokens(&self, text: &str) -> Vec<Token> {
        words(text)
            .into_iter()
            .filter_map(|w| {
                if NEGATIONS.contains(&w.as_str()) || w.ends_with("n't") {
                    Some(Token::Negation)
                } else if let Some((v, p)) = number(&w) {
                    Some(Token::Number(v, p))
                } else if STOP.contains(&w.as_str()) {
                    None
                } else {
                    Some(Token::Word(self.stem(w.trim_end_matches("'s"))))
                }
            })
            .collect()
    }

    /// The text's sentences: split at . ! ? ; and line breaks (not inside a number).
    pub fn sentences(&self, text: &str) -> Vec<Sentence> {
        let mut out = Vec::new();
        let mut start = 0;
        let bytes: Vec<(usize, char)> = text.char_indices().collect();
        for (k, &(i, c)) in bytes.iter().enumerate() {
            let next_is_digit = bytes.get(k + 1).is_some_and(|(_, n)| n.is_ascii_digit());
            let ends = matches!(c, '!' | '?' | ';' | '\n') || (c == '.' && !next_is_digit);
            if ends {
                self.push_sentence(&text[start..i], c == '?', &mut out);
                start = i + c.len_utf8();
            }
        }
        self.push_sentence(&text[start..], false, &mut out);
        out
    }

    fn push_sentence(&self, raw: &str, asked: bool, out: &mut Vec<Sentence>) {
        let first = words(raw).into_iter().next();
        let tokens = self.tokens(raw);
        if tokens.is_empty() && !asked {
            return;
        }
        let opens_like_one = first.is_some_and(|w| QUESTION_OPENINGS.contains(&w.as_str()));
        out.push(Sentence {
            tokens,
            question: asked || opens_like_one,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_numbers_and_negations() {
        let r = Reader::default();
        let t = r.tokens("The model isn't weighting 12,800 images: 6.25% are positive.");
        assert_eq!(
            t,
            vec![
                Token::Word("model".into()),
                Token::Negation,
                Token::Word("weight".into()),
                Token::Number(12800.0, false),
                Token::Word("imag".into()),
                Token::Number(6.25, true),
                Token::Word("posit".into()),
            ]
        );
    }

    #[test]
    fn sentences_split_but_not_inside_numbers() {
        let r = Reader::default();
        let s = r.sentences("Accuracy is 93.75. Why does MSE fail?\nIt vanishes");
        assert_eq!(s.len(), 3);
        assert!(!s[0].question && s[1].question && !s[2].question);
        assert_eq!(s[0].tokens[1], Token::Number(93.75, false));
        assert!(
            r.sentences("how would you weight it")
                .first()
                .unwrap()
                .question
        );
    }
}
