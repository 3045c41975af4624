//! The offline peer over the real labs in content/: every authored point is recognised from
//! paraphrases written here (tests/cases/lab-N.json) and not from its negation, every
//! misconception draws its pushback, every foreseen question its answer, and scripted
//! conversations get the right move at each turn, never the same reply twice in a row and
//! never a point asked for once it is made.

use aesop_course::{lab::Lab, lesson::Lesson, load_dir, Course, StepContent, StepKind};
use aesop_tutor::{Coverage, Move, Peer};
use std::path::Path;

fn course() -> Course {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content");
    let course = load_dir(&root).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(course.errors().is_empty(), "{:?}", course.errors());
    course
}

/// Lab n with its lesson.
fn lab(course: &Course, n: usize) -> (Lab, Lesson) {
    let m = course.module("module-2").unwrap();
    let find = |kind: StepKind, id: String| {
        m.steps
            .iter()
            .find(|s| s.kind == kind && s.id == id)
            .and_then(|s| s.content.clone())
            .and_then(Result::ok)
    };
    let Some(StepContent::Lab(lab)) = find(StepKind::Lab, format!("lab-{n}")) else {
        panic!("lab {n}")
    };
    let Some(StepContent::Lesson(lesson)) = find(StepKind::Lesson, format!("lesson-{n}")) else {
        panic!("lesson {n}")
    };
    (lab, lesson)
}

fn peer(lab: &Lab, lesson: &Lesson, evidence: Vec<String>) -> Peer {
    Peer::new(
        lab.dialogue.as_ref().expect("every lab has a dialogue"),
        lab.followups.iter().map(|f| f.source.clone()).collect(),
        Some((lesson.paragraphs(), "#/module-2/lesson".into())),
        evidence,
    )
}

fn cases(n: usize) -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/cases/lab-{n}.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn every_lab_has_a_dialogue_of_the_size_the_issue_asks() {
    let course = course();
    for n in 1..=4 {
        let (lab, lesson) = lab(&course, n);
        let d = lab
            .dialogue
            .as_ref()
            .unwrap_or_else(|| panic!("lab {n} has no dialogue"));
        assert_eq!(d.expectations.len(), lab.rubric.len(), "lab {n}");
        assert!(
            d.misconceptions.len() >= 6,
            "lab {n}: {} misconceptions",
            d.misconceptions.len()
        );
        assert!(d.asks.len() >= 8, "lab {n}: {} questions", d.asks.len());
        // Each answer's passage is the lesson's own words, so the page can point to it.
        let text = lesson.paragraphs().join(" ");
        for a in &d.asks {
            assert!(
                text.contains(&a.passage),
                "lab {n}, `{}`: passage not in lesson {n}: {:?}",
                a.id,
                a.passage
            );
        }
    }
}

#[test]
fn every_point_is_recognised_from_paraphrases_and_not_from_its_negation() {
    let course = course();
    let mut problems = Vec::new();
    for n in 1..=4 {
        let (lab, lesson) = lab(&course, n);
        let p = peer(&lab, &lesson, vec![]);
        let c = cases(n);
        let expectations = c["expectations"].as_object().unwrap();
        assert_eq!(
            expectations.len(),
            lab.rubric.len(),
            "lab {n}: a case for every point"
        );
        for (k, case) in expectations {
            let i: usize = k.parse::<usize>().unwrap() - 1;
            let paraphrases = case["paraphrases"].as_array().unwrap();
            assert!(paraphrases.len() >= 3);
            for s in paraphrases {
                let s = s.as_str().unwrap();
                if !p.points_made(s).contains(&i) {
                    problems.push(format!("lab {n}, point {k} not recognised in: {s}"));
                }
            }
            let negated = case["negated"].as_str().unwrap();
            if p.points_made(negated).contains(&i) {
                problems.push(format!(
                    "lab {n}, point {k} taken from its negation: {negated}"
                ));
            }
        }
        for s in c["neutral"].as_array().unwrap() {
            let s = s.as_str().unwrap();
            if !p.points_made(s).is_empty() {
                problems.push(format!("lab {n}: a neutral sentence made a point: {s}"));
            }
            let (_, replies) = p.replay([s]);
            if replies[0]
                .moves
                .iter()
                .any(|m| matches!(m, Move::Pushback(_)))
            {
                problems.push(format!("lab {n}: {s} drew {:?}", replies[0].moves));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn every_misconception_draws_its_pushback_and_every_question_its_answer() {
    let course = course();
    let mut problems = Vec::new();
    for n in 1..=4 {
        let (lab, lesson) = lab(&course, n);
        let p = peer(&lab, &lesson, vec![]);
        let c = cases(n);
        let d = lab.dialogue.as_ref().unwrap();
        for m in &d.misconceptions {
            let said = c["misconceptions"][&m.id]
                .as_array()
                .unwrap_or_else(|| panic!("lab {n}: no case for `{}`", m.id));
            for s in said {
                let (_, replies) = p.replay([s.as_str().unwrap()]);
                if !replies[0].moves.contains(&Move::Pushback(m.id.clone()))
                    || !replies[0].text.contains(m.pushback.as_str())
                {
                    problems.push(format!("lab {n}, `{}`: {s} → {:?}", m.id, replies[0].moves));
                }
            }
        }
        for a in &d.asks {
            let q = c["asks"][&a.id]
                .as_str()
                .unwrap_or_else(|| panic!("lab {n}: no case for `{}`", a.id));
            let (_, replies) = p.replay([q]);
            if !replies[0].moves.contains(&Move::Answer(a.id.clone()))
                || !replies[0].text.contains(a.answer.as_str())
            {
                problems.push(format!("lab {n}, `{}`: {q} → {:?}", a.id, replies[0].moves));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

/// Every reply differs from the one before, and no point is hinted, prompted or asserted
/// once the learner has made it.
fn check_conversation(p: &Peer, messages: &[&str]) -> Vec<aesop_tutor::Reply> {
    let mut state = p.start();
    let mut replies: Vec<aesop_tutor::Reply> = Vec::new();
    for m in messages {
        let before = state.coverage.clone();
        let r = p.reply(&mut state, m);
        if let Some(last) = replies.last() {
            assert_ne!(r.text, last.text, "the same reply twice, to {m:?}");
        }
        for mv in &r.moves {
            if let Move::Hint(i) | Move::Prompt(i) | Move::Assert(i) = mv {
                assert_eq!(
                    before[*i],
                    Coverage::Missing,
                    "asked for point {} again, after it was made: {m:?}",
                    i + 1
                );
            }
        }
        // Never the rubric for the asking: outside the summary, a reply names only the points
        // the learner just made.
        let acked: Vec<usize> = r
            .moves
            .iter()
            .flat_map(|mv| match mv {
                Move::Ack(v) => v.clone(),
                _ => vec![],
            })
            .collect();
        let others = p
            .points()
            .iter()
            .enumerate()
            .filter(|(i, s)| !acked.contains(i) && r.text.contains(*s))
            .count();
        assert!(
            others == 0 || r.moves.contains(&Move::Summary),
            "{others} points named in reply to {m:?}: {}",
            r.text
        );
        replies.push(r);
    }
    replies
}

#[test]
fn lab_1_weak_claim_strong_argument_plea_question_second_argument() {
    let course = course();
    let (lab, lesson) = lab(&course, 1);
    let p = peer(
        &lab,
        &lesson,
        vec!["you scored 3 of 5 on the lesson quiz".into()],
    );
    let replies = check_conversation(
        &p,
        &[
            "I think MSE is fine here, it works on 0/1 labels.",
            "Actually cross-entropy is the right loss for classification. With 800 of 12,800 images sick, a model that calls every image healthy already gets 93.75% accuracy, so I'd weight the disease class about 15 times more.",
            "Can you just tell me the answer?",
            "Why does MSE's gradient vanish when the model is confidently wrong?",
            "A missed diagnosis costs far more than a false alarm, so I'd track recall on the disease class instead of accuracy.",
            "banana spaceship",
        ],
    );
    // `cargo test -p aesop-tutor -- --nocapture lab_1` prints the conversation.
    for r in &replies {
        println!("PEER: {}\n    {:?}\n", r.text, r.moves);
    }
    let moves: Vec<&Vec<Move>> = replies.iter().map(|r| &r.moves).collect();
    assert!(
        moves[0].contains(&Move::Pushback("mse-fine".into())),
        "{:?}",
        moves[0]
    );
    assert!(
        moves[0].contains(&Move::Evidence),
        "the learner's own results, quoted once"
    );
    assert!(
        matches!(moves[1].first(), Some(Move::Ack(points)) if points.len() >= 3),
        "{:?}",
        moves[1]
    );
    assert!(
        moves[2].iter().any(|m| matches!(m, Move::Hint(_))),
        "a plea gets a hint: {:?}",
        moves[2]
    );
    assert!(
        !replies[2].text.contains(&lab.rubric[4].source),
        "not the rubric"
    );
    assert!(
        moves[3]
            .iter()
            .any(|m| matches!(m, Move::Answer(_) | Move::Quote(_))),
        "{:?}",
        moves[3]
    );
    assert!(
        matches!(moves[4].first(), Some(Move::Ack(_))),
        "{:?}",
        moves[4]
    );
    // Two pumps, worded differently.
    let pump = |r: &aesop_tutor::Reply| r.text.rsplit("\n\n").next().unwrap().to_string();
    assert_ne!(pump(&replies[1]), pump(&replies[4]));
    assert_eq!(
        moves[5],
        &vec![Move::DontFollow],
        "nothing matched: an honest 'I don't follow'"
    );
    assert!(
        replies[5].text.starts_with("I don't follow")
            || replies[5].text.starts_with("I'm not sure")
    );
}

#[test]
fn a_learner_who_makes_every_point_hears_the_summary_then_the_harder_challenges() {
    let course = course();
    for n in 1..=4 {
        let (lab, lesson) = lab(&course, n);
        let p = peer(&lab, &lesson, vec![]);
        let c = cases(n);
        let mut messages: Vec<String> = c["expectations"]
            .as_object()
            .unwrap()
            .values()
            .map(|e| e["paraphrases"][0].as_str().unwrap().to_string())
            .collect();
        messages.push("What else could go wrong?".into());
        let refs: Vec<&str> = messages.iter().map(String::as_str).collect();
        let replies = check_conversation(&p, &refs);
        let summary = replies
            .iter()
            .position(|r| r.moves.contains(&Move::Summary))
            .expect("a summary");
        assert!(
            replies[summary].text.contains("You made these points"),
            "lab {n}: {}",
            replies[summary].text
        );
        assert!(!replies[summary].text.contains("Still missing"), "lab {n}");
        assert!(
            replies
                .last()
                .unwrap()
                .moves
                .iter()
                .any(|m| matches!(m, Move::Challenge(0) | Move::Answer(_) | Move::Quote(_))),
            "lab {n}: {:?}",
            replies.last().unwrap().moves
        );
    }
}

#[test]
fn pleas_climb_from_hint_to_prompt_to_the_point_and_wrapping_up_names_what_is_missing() {
    let course = course();
    let (lab, lesson) = lab(&course, 3);
    let p = peer(&lab, &lesson, vec![]);
    let replies = check_conversation(
        &p,
        &[
            "just tell me",
            "I give up, what's the answer",
            "no idea",
            "ok, let's wrap up",
        ],
    );
    let steps: Vec<&Move> = replies.iter().take(3).map(|r| &r.moves[0]).collect();
    assert_eq!(
        steps,
        vec![&Move::Hint(0), &Move::Prompt(0), &Move::Assert(0)]
    );
    let last = &replies[3];
    assert!(last.moves.contains(&Move::Summary));
    assert!(
        last.text.contains("I had to spell these out") && last.text.contains("Still missing"),
        "{}",
        last.text
    );
    // The replay of the same messages reaches the same state: a reloaded transcript.
    let (state, again) = p.replay([
        "just tell me",
        "I give up, what's the answer",
        "no idea",
        "ok, let's wrap up",
    ]);
    assert_eq!(again, replies);
    assert_eq!(state.coverage[0], Coverage::Told);
}

#[test]
fn an_unforeseen_question_is_answered_from_the_lesson_not_made_up() {
    let course = course();
    let (lab, lesson) = lab(&course, 4);
    let p = peer(&lab, &lesson, vec![]);
    let (_, replies) =
        p.replay(["What does the momentum term actually accumulate from step to step?"]);
    let r = &replies[0];
    let quoted = r.moves.iter().find_map(|m| match m {
        Move::Quote(i) => Some(*i),
        Move::Answer(_) => Some(usize::MAX),
        _ => None,
    });
    assert!(quoted.is_some(), "{:?}", r.moves);
    if quoted != Some(usize::MAX) {
        // The quote is the lesson's own text.
        let quote = r
            .text
            .split("> ")
            .nth(1)
            .unwrap()
            .split("\n\n")
            .next()
            .unwrap();
        assert!(
            lesson
                .paragraphs()
                .iter()
                .any(|para| para.starts_with(quote)),
            "{quote}"
        );
    }
}
