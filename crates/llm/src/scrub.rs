//! Keeps the learner's API key out of anything the endpoint sends back that AESOP shows or
//! stores (error messages, odd stream data, replies): a proxy or a server error may echo
//! request headers. The whole key goes, and so does any long run of it (a key cut short or
//! wrapped); short keys are no secret worth that, and short runs would hit ordinary words.

use std::ops::Range;

pub const REMOVED: &str = "[key removed]";

/// Keys shorter than this are not looked for.
const MIN_KEY: usize = 6;
/// A run of the key this long is removed on its own.
const MIN_RUN: usize = 16;

/// Byte ranges of `text` that hold the key or a long run of it, in order, not overlapping.
pub fn key_ranges(text: &str, key: &str) -> Vec<Range<usize>> {
    let key = key.trim();
    if key.chars().count() < MIN_KEY || text.is_empty() {
        return vec![];
    }
    let run = MIN_RUN.min(key.len());
    let (t, k) = (text.as_bytes(), key.as_bytes());
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut i = 0;
    while i + run <= t.len() {
        // The longest run of the key starting at i.
        let best = (0..k.len())
            .map(|j| {
                t[i..]
                    .iter()
                    .zip(&k[j..])
                    .take_while(|(a, b)| a == b)
                    .count()
            })
            .max()
            .unwrap_or(0);
        if best >= run && text.is_char_boundary(i) && text.is_char_boundary(i + best) {
            out.push(i..i + best);
            i += best;
        } else {
            i += 1;
        }
    }
    out
}

pub fn scrub(text: &str, key: &str) -> String {
    let ranges = key_ranges(text, key);
    if ranges.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for r in ranges {
        out.push_str(&text[at..r.start]);
        out.push_str(REMOVED);
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Scrubs text that arrives in pieces: what could still be the start of the key stays
/// behind until the next piece (or the end) shows whether it is.
#[derive(Default)]
pub struct StreamScrubber {
    key: String,
    held: String,
}

impl StreamScrubber {
    pub fn new(key: &str) -> Self {
        StreamScrubber {
            key: key.trim().to_string(),
            held: String::new(),
        }
    }

    /// Text safe to show now.
    pub fn push(&mut self, text: &str) -> String {
        if self.key.chars().count() < MIN_KEY {
            return text.to_string();
        }
        self.held.push_str(text);
        // A run of the key that starts before `cut` ends before the end of `held`, so it
        // is found whole; one that straddles `cut` moves `cut` back to its start.
        let mut cut = self.held.len().saturating_sub(self.key.len());
        while !self.held.is_char_boundary(cut) {
            cut -= 1;
        }
        for r in key_ranges(&self.held, &self.key) {
            if r.start < cut && r.end > cut {
                cut = r.start;
            }
        }
        let rest = self.held.split_off(cut);
        let ready = std::mem::replace(&mut self.held, rest);
        scrub(&ready, &self.key)
    }

    /// The stream ended: the rest.
    pub fn finish(&mut self) -> String {
        scrub(&std::mem::take(&mut self.held), &self.key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "sk-proj-Abc123Def456Ghi789Jkl012";

    #[test]
    fn removes_the_key_and_long_runs_of_it() {
        assert_eq!(
            scrub(&format!("bad key {KEY}."), KEY),
            "bad key [key removed]."
        );
        assert_eq!(
            scrub("header was Bearer sk-proj-Abc123Def456 (cut)", KEY),
            "header was Bearer [key removed] (cut)"
        );
        // Ordinary text, and a short run such as the public prefix, stay.
        assert_eq!(
            scrub("keys look like sk-proj-…", KEY),
            "keys look like sk-proj-…"
        );
        assert_eq!(
            scrub("twice: k1234567 k1234567", "k1234567"),
            "twice: [key removed] [key removed]"
        );
        assert_eq!(
            scrub("a b c", "abc"),
            "a b c",
            "a tiny key is not looked for"
        );
        assert_eq!(scrub("héllo ✓", KEY), "héllo ✓");
    }

    #[test]
    fn a_key_split_across_pieces_never_shows() {
        let text = format!("Your header said {KEY}, which you should rotate. ✓ done");
        for cut in 0..=text.len() {
            if !text.is_char_boundary(cut) {
                continue;
            }
            let mut s = StreamScrubber::new(KEY);
            let mut shown = String::new();
            for piece in [&text[..cut], &text[cut..]] {
                let out = s.push(piece);
                assert!(!out.contains("Abc123"), "cut {cut}: {out}");
                shown.push_str(&out);
            }
            shown.push_str(&s.finish());
            assert_eq!(
                shown, "Your header said [key removed], which you should rotate. ✓ done",
                "cut {cut}"
            );
        }
    }

    #[test]
    fn without_a_key_text_passes_at_once() {
        let mut s = StreamScrubber::new("");
        assert_eq!(s.push("Hello"), "Hello");
        assert_eq!(s.finish(), "");
    }
}
