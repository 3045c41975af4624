//! BM25 over a lesson's paragraphs (Robertson and Zaragoza's ranking, k1 = 1.2, b = 0.75):
//! a question the lab's authors did not foresee is answered by quoting the lesson, never by
//! making something up.

use crate::matcher::Synonyms;
use crate::text::{Reader, Token};

const K1: f64 = 1.2;
const B: f64 = 0.75;

pub struct Passages {
    /// Each paragraph as the learner reads it, and its terms.
    paragraphs: Vec<(String, Vec<String>)>,
    average: f64,
}

fn terms(tokens: Vec<Token>) -> Vec<String> {
    tokens
        .into_iter()
        .filter_map(|t| match t {
            Token::Word(w) => Some(w),
            _ => None,
        })
        .collect()
}

impl Passages {
    /// The lesson's paragraphs as plain text (`aesop_course::lesson::Lesson::paragraphs`);
    /// those of under eight words (captions, labels) are left out.
    pub fn new(reader: &Reader, synonyms: &Synonyms, paragraphs: Vec<String>) -> Self {
        let paragraphs: Vec<(String, Vec<String>)> = paragraphs
            .into_iter()
            .filter(|p| p.split_whitespace().count() >= 8)
            .map(|p| {
                let t = terms(synonyms.fold(&reader.tokens(&p)));
                (p, t)
            })
            .collect();
        let average = paragraphs.iter().map(|p| p.1.len() as f64).sum::<f64>()
            / paragraphs.len().max(1) as f64;
        Passages {
            paragraphs,
            average,
        }
    }

    pub fn len(&self) -> usize {
        self.paragraphs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.paragraphs.is_empty()
    }

    pub fn text(&self, i: usize) -> &str {
        &self.paragraphs[i].0
    }

    /// The best paragraph for the query's terms, when it shares at least two of them (one,
    /// for a one-term query): a single common word is no evidence of an answer.
    pub fn best(&self, query: &[Token]) -> Option<(usize, f64)> {
        let mut q = terms(query.to_vec());
        q.sort();
        q.dedup();
        let n = self.paragraphs.len() as f64;
        let idf = |term: &str| {
            let df = self
                .paragraphs
                .iter()
                .filter(|p| p.1.iter().any(|t| t == term))
                .count() as f64;
            ((n - df + 0.5) / (df + 0.5) + 1.0).ln()
        };
        let need = q.len().min(2);
        self.paragraphs
            .iter()
            .enumerate()
            .filter_map(|(i, (_, t))| {
                let len = t.len() as f64;
                let mut shared = 0;
                let score: f64 = q
                    .iter()
                    .map(|term| {
                        let f = t.iter().filter(|x| *x == term).count() as f64;
                        if f > 0.0 {
                            shared += 1;
                        }
                        idf(term) * f * (K1 + 1.0)
                            / (f + K1 * (1.0 - B + B * len / self.average.max(1.0)))
                    })
                    .sum();
                (shared >= need && need > 0).then_some((i, score))
            })
            .max_by(|a, b| a.1.total_cmp(&b.1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_paragraph_that_answers() {
        let r = Reader::default();
        let s = Synonyms::new(&r, &[]);
        let p = Passages::new(&r, &s, vec![
            "Heading words".into(),
            "The learning rate sets how far each step moves the weights downhill on the loss surface.".into(),
            "Momentum keeps a running average of past gradients so that steps build speed along a valley floor.".into(),
            "Adam divides each parameter's step by the root of its recent squared gradients, so steps stay near the rate.".into(),
        ]);
        assert_eq!(p.len(), 3);
        let q = |text: &str| {
            p.best(&r.tokens(text))
                .map(|(i, _)| p.text(i).split_whitespace().next().unwrap().to_string())
        };
        assert_eq!(
            q("why does momentum build speed in a valley?").as_deref(),
            Some("Momentum")
        );
        assert_eq!(
            q("what does Adam divide the step by").as_deref(),
            Some("Adam")
        );
        assert_eq!(q("what about pizza toppings"), None);
    }
}
