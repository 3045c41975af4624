//! The offline peer's moves, AutoTutor's way. Each learner message is read against the lab's
//! expectations (the rubric's points), misconceptions and foreseen questions; the peer then
//! acknowledges what landed, pushes back on a wrong belief, answers a question (from the
//! authored answer, or by quoting the lesson), and draws out what is still missing: a pump
//! ("what else?"), then for one point at a time a hint, a prompt for the missing word, and only
//! then the point itself. Points already made are never asked for again; a plea for the answer
//! gets the next hint, never the rubric; a message it cannot read gets an honest "I don't
//! follow". The conversation is a pure function of the learner's messages, so a reloaded
//! transcript replays to the same state.

use crate::matcher::{Alternatives, Synonyms};
use crate::retrieve::Passages;
use crate::text::{Reader, Sentence};
use aesop_course::dialogue::Dialogue;

/// What the peer did in a reply: the tests' view of a turn.
#[derive(Debug, Clone, PartialEq)]
pub enum Move {
    /// Points the message made, by expectation index.
    Ack(Vec<usize>),
    Pushback(String),
    /// A foreseen question, by id.
    Answer(String),
    /// An unforeseen question, answered with a lesson paragraph (its index).
    Quote(usize),
    DontFollow,
    Pump,
    Hint(usize),
    Prompt(usize),
    Assert(usize),
    Summary,
    Challenge(usize),
    Evidence,
}

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Coverage {
    #[default]
    Missing,
    /// The learner made the point.
    Made,
    /// The peer had to state it.
    Told,
}

/// Where the conversation stands.
#[derive(Debug, Clone, Default)]
pub struct State {
    pub coverage: Vec<Coverage>,
    /// Per expectation: 0 untouched, 1 hinted, 2 prompted, 3 asserted.
    level: Vec<u8>,
    pushed: Vec<u8>,
    focus: Option<usize>,
    last: String,
    turn: usize,
    puzzled: u8,
    summarised: bool,
    challenges: usize,
    /// Pumps given so far: each one is worded differently from the last few.
    pumps: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub text: String,
    pub moves: Vec<Move>,
}

struct Point {
    say: String,
    matches: Alternatives,
    hint: String,
    prompt: String,
    answers: Alternatives,
    assert: String,
}

pub struct Peer {
    reader: Reader,
    synonyms: Synonyms,
    points: Vec<Point>,
    misconceptions: Vec<(String, Alternatives, String)>,
    asks: Vec<(String, Alternatives, String, String)>,
    followups: Vec<String>,
    lesson: Option<(Passages, String)>,
    /// Lines about the learner's own results, quoted once.
    evidence: Vec<String>,
}

const PLEAS: &[&str] = &[
    "just tell me",
    "tell me the answer",
    "give me the answer",
    "what's the answer",
    "what is the answer",
    "the right answer",
    "the correct answer",
    "i give up",
    "no idea",
    "i don't know",
    "i dont know",
    "can you just",
    "spoon",
    "what should i say",
];
const WRAPS: &[&str] = &[
    "i'm done",
    "im done",
    "i am done",
    "wrap up",
    "wrap it up",
    "sum up",
    "summarise",
    "summarize",
    "summary",
    "that's all",
    "thats all",
    "let's finish",
    "we're done",
];

const PUMPS: &[&str] = &[
    "Good. What else belongs in your recommendation?",
    "Keep going: what else would you tell the team?",
    "That's part of it. What's still missing from your case?",
];
const DONT_FOLLOW: &[&str] = &[
    "I don't follow. Say it another way, or tell me which part you mean.",
    "I'm not sure what you mean there. Can you put it differently, or point me at the part of the problem you're on?",
];

fn pick<'a>(options: &[&'a str], turn: usize) -> &'a str {
    options[turn % options.len()]
}

impl Peer {
    /// `lesson`: its paragraphs (`Lesson::paragraphs`) and a link to it, for questions the
    /// dialogue did not foresee.
    pub fn new(
        dialogue: &Dialogue,
        followups: Vec<String>,
        lesson: Option<(Vec<String>, String)>,
        evidence: Vec<String>,
    ) -> Self {
        let reader = Reader::default();
        let synonyms = Synonyms::new(&reader, &dialogue.synonyms);
        let alts = |v: &[String]| Alternatives::new(&reader, &synonyms, v);
        let points = dialogue
            .expectations
            .iter()
            .map(|e| Point {
                say: e.say.clone(),
                matches: alts(&e.matches),
                hint: e.hint.clone(),
                prompt: e.prompt.clone(),
                answers: alts(&e.answers),
                assert: e.assert.clone(),
            })
            .collect();
        let misconceptions = dialogue
            .misconceptions
            .iter()
            .map(|m| (m.id.clone(), alts(&m.matches), m.pushback.clone()))
            .collect();
        let asks = dialogue
            .asks
            .iter()
            .map(|a| {
                (
                    a.id.clone(),
                    alts(&a.matches),
                    a.answer.clone(),
                    a.passage.clone(),
                )
            })
            .collect();
        let lesson =
            lesson.map(|(paragraphs, link)| (Passages::new(&reader, &synonyms, paragraphs), link));
        Peer {
            reader,
            synonyms,
            points,
            misconceptions,
            asks,
            followups,
            lesson,
            evidence,
        }
    }

    pub fn start(&self) -> State {
        State {
            coverage: vec![Coverage::Missing; self.points.len()],
            level: vec![0; self.points.len()],
            pushed: vec![0; self.misconceptions.len()],
            ..State::default()
        }
    }

    /// The expectations' short names, for the summary and a coverage list.
    pub fn points(&self) -> Vec<&str> {
        self.points.iter().map(|p| p.say.as_str()).collect()
    }

    fn read(&self, text: &str) -> Vec<Sentence> {
        self.reader
            .sentences(text)
            .into_iter()
            .map(|mut s| {
                s.tokens = self.synonyms.fold(&s.tokens);
                s
            })
            .collect()
    }

    /// Which points a message makes (for a coverage list beside any conversation).
    pub fn points_made(&self, text: &str) -> Vec<usize> {
        let s = self.read(text);
        (0..self.points.len())
            .filter(|&i| self.points[i].matches.find(&s).0)
            .collect()
    }

    /// Replays a whole conversation: the state after it and every reply.
    pub fn replay<'a>(&self, messages: impl IntoIterator<Item = &'a str>) -> (State, Vec<Reply>) {
        let mut state = self.start();
        let replies = messages
            .into_iter()
            .map(|m| self.reply(&mut state, m))
            .collect();
        (state, replies)
    }

    /// The next point to draw out: the one in focus while it is missing, else the first.
    fn focus(&self, state: &mut State) -> Option<usize> {
        let f = state
            .focus
            .filter(|&f| state.coverage[f] == Coverage::Missing)
            .or_else(|| state.coverage.iter().position(|c| *c == Coverage::Missing));
        state.focus = f;
        f
    }

    /// One step further on the point in focus: hint, then prompt, then the point itself.
    fn draw_out(&self, state: &mut State, parts: &mut Vec<String>, moves: &mut Vec<Move>) {
        let Some(f) = self.focus(state) else { return };
        let p = &self.points[f];
        match state.level[f] {
            0 => {
                parts.push(p.hint.clone());
                moves.push(Move::Hint(f));
            }
            1 => {
                parts.push(p.prompt.clone());
                moves.push(Move::Prompt(f));
            }
            _ => {
                parts.push(format!("Let me put this one on the table: {}", p.assert));
                moves.push(Move::Assert(f));
                state.coverage[f] = Coverage::Told;
                // And straight on to the next missing point, if any.
                if let Some(n) = self.focus(state) {
                    parts.push(self.points[n].hint.clone());
                    moves.push(Move::Hint(n));
                    state.level[n] = state.level[n].max(1);
                }
                return;
            }
        }
        state.level[f] += 1;
    }

    fn summary(&self, state: &State) -> String {
        let list = |want: Coverage| -> Vec<&str> {
            self.points
                .iter()
                .zip(&state.coverage)
                .filter(|(_, c)| **c == want)
                .map(|(p, _)| p.say.as_str())
                .collect()
        };
        let (made, told, missing) = (
            list(Coverage::Made),
            list(Coverage::Told),
            list(Coverage::Missing),
        );
        let mut text = String::from("Here's where your case stands.");
        let bullets = |items: &[&str]| items.iter().map(|i| format!("\n- {i}")).collect::<String>();
        if !made.is_empty() {
            text.push_str(&format!("\n\n**You made these points:**{}", bullets(&made)));
        }
        if !told.is_empty() {
            text.push_str(&format!(
                "\n\n**I had to spell these out for you:**{}",
                bullets(&told)
            ));
        }
        if !missing.is_empty() {
            text.push_str(&format!(
                "\n\n**Still missing from your argument:**{}",
                bullets(&missing)
            ));
        }
        if made.len() == self.points.len() {
            text.push_str("\n\nThat's every point I'd want from a consultant. Well argued.");
        }
        text
    }

    /// The peer's reply to the learner's next message.
    pub fn reply(&self, state: &mut State, message: &str) -> Reply {
        let sentences = self.read(message);
        let lower = message.to_lowercase().replace('’', "'");
        let plea = PLEAS.iter().any(|p| lower.contains(p));
        let wrap = WRAPS.iter().any(|p| lower.contains(p));
        let asked = sentences.iter().any(|s| s.question);
        let mut parts: Vec<String> = Vec::new();
        let mut moves: Vec<Move> = Vec::new();

        // What landed: a point stated, or the word the last prompt asked for.
        let mut newly = Vec::new();
        for (i, p) in self.points.iter().enumerate() {
            if state.coverage[i] != Coverage::Missing {
                continue;
            }
            let answered_prompt =
                state.focus == Some(i) && state.level[i] >= 2 && p.answers.find(&sentences).0;
            if p.matches.find(&sentences).0 || answered_prompt {
                state.coverage[i] = Coverage::Made;
                newly.push(i);
            }
        }
        if !newly.is_empty() {
            let says: Vec<&str> = newly.iter().map(|&i| self.points[i].say.as_str()).collect();
            parts.push(match says.as_slice() {
                [one] => format!("That point lands: {}.", lowercase_first(one)),
                many => format!(
                    "Those points land:{}",
                    many.iter().map(|s| format!("\n- {s}")).collect::<String>()
                ),
            });
            moves.push(Move::Ack(newly.clone()));
        }

        // A wrong belief first: it is the thing most worth answering. Only a statement voices
        // one; a question about the same words is a question.
        let statements: Vec<Sentence> = sentences.iter().filter(|s| !s.question).cloned().collect();
        let misconception = self
            .misconceptions
            .iter()
            .enumerate()
            .filter(|(_, (_, alts, _))| alts.find(&statements).0)
            .min_by_key(|(i, _)| state.pushed[*i])
            .map(|(i, _)| i);
        // A question: foreseen (any mention counts, negated or not), or the lesson's words.
        let ask = asked
            .then(|| {
                self.asks.iter().find(|(_, alts, _, _)| {
                    let (stated, negated) = alts.find(&sentences);
                    stated || negated
                })
            })
            .flatten();
        let quote = (asked && ask.is_none() && misconception.is_none())
            .then(|| {
                let (passages, link) = self.lesson.as_ref()?;
                let query: Vec<_> = sentences
                    .iter()
                    .filter(|s| s.question)
                    .flat_map(|s| s.tokens.clone())
                    .collect();
                passages
                    .best(&query)
                    .map(|(i, _)| (i, passages.text(i).to_string(), link.clone()))
            })
            .flatten();

        let mut answered = false;
        if let Some(m) = misconception {
            let (id, _, pushback) = &self.misconceptions[m];
            let again = state.pushed[m] > 0;
            parts.push(if again {
                format!("I'm still not convinced. {pushback}")
            } else {
                pushback.clone()
            });
            moves.push(Move::Pushback(id.clone()));
            state.pushed[m] += 1;
            answered = true;
        } else if let Some((id, _, answer, passage)) = ask {
            let link = self.lesson.as_ref().map(|l| l.1.as_str()).unwrap_or("");
            let source = if link.is_empty() {
                String::new()
            } else {
                format!("\n\n*From [the lesson]({link}): “…{passage}…”*")
            };
            parts.push(format!("{answer}{source}"));
            moves.push(Move::Answer(id.clone()));
            answered = true;
        } else if let Some((i, text, link)) = quote {
            parts.push(format!("I'd answer that from the lesson. [It says]({link}):\n\n> {}\n\nDoes that settle it for your case?", first_sentences(&text, 2)));
            moves.push(Move::Quote(i));
            answered = true;
        }

        let all_made = state.coverage.iter().all(|c| *c != Coverage::Missing);
        if wrap || (all_made && !state.summarised) {
            parts.push(self.summary(state));
            moves.push(Move::Summary);
            state.summarised = true;
        } else if all_made {
            // After the summary: the lab's harder challenges, one at a time.
            if state.challenges < self.followups.len() {
                parts.push(format!(
                    "Here's a harder one: {}",
                    self.followups[state.challenges]
                ));
                moves.push(Move::Challenge(state.challenges));
                state.challenges += 1;
            } else if parts.is_empty() {
                parts.push(self.summary(state));
                moves.push(Move::Summary);
            }
        } else if plea {
            // A plea gets the next step on one point, never the list.
            self.draw_out(state, &mut parts, &mut moves);
        } else if !answered {
            if !newly.is_empty() {
                // Progress: ask for more before hinting (AutoTutor's pump).
                let pump = pick(PUMPS, state.pumps).to_string();
                if state.last.ends_with(&pump) {
                    self.draw_out(state, &mut parts, &mut moves);
                } else {
                    parts.push(pump);
                    moves.push(Move::Pump);
                    state.pumps += 1;
                }
                state.puzzled = 0;
            } else if asked || state.puzzled == 0 {
                parts.push(pick(DONT_FOLLOW, state.turn).to_string());
                moves.push(Move::DontFollow);
                state.puzzled += 1;
            } else {
                // Twice unread: help instead of asking again.
                self.draw_out(state, &mut parts, &mut moves);
                state.puzzled = 0;
            }
        }
        if state.turn == 0 {
            if let Some(line) = self.evidence.first() {
                parts.push(format!("From your own work in this lesson: {line}. Does your argument square with that?"));
                moves.push(Move::Evidence);
            }
        }
        let mut text = parts.join("\n\n");
        // Never the same words twice in a row.
        if text == state.last {
            let mut more = Vec::new();
            self.draw_out(state, &mut parts, &mut more);
            moves.extend(more);
            text = parts.join("\n\n");
            if text == state.last {
                text = format!("{}\n\n{}", pick(DONT_FOLLOW, state.turn + 1), text);
            }
        }
        state.turn += 1;
        state.last = text.clone();
        Reply { text, moves }
    }
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) if c.clone().next().is_some_and(|n| n.is_lowercase()) => {
            f.to_lowercase().chain(c).collect()
        }
        Some(f) => std::iter::once(f).chain(c).collect(),
        None => String::new(),
    }
}

fn first_sentences(text: &str, n: usize) -> String {
    let mut out = String::new();
    let mut count = 0;
    for (i, c) in text.char_indices() {
        if matches!(c, '.' | '!' | '?') && text[i + 1..].starts_with(' ') {
            count += 1;
            if count == n {
                return text[..=i].to_string();
            }
        }
        out.push(c);
    }
    out
}
