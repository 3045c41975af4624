//! The end of an attempt: the score and, for the module test, passed or not against its
//! pass mark and each question with the learner's answer, the right one and why.

use super::QuizCtx;
use aesop_progress::QuizAttempt;
use leptos::prelude::*;

#[component]
pub fn Results(ctx: QuizCtx, attempt: QuizAttempt) -> impl IntoView {
    let score = ctx.score(&attempt);
    let pass = ctx.quiz.pass_percent;
    let passed = pass.map(|p| score.passes(p));
    let verdict = match (passed, pass) {
        (Some(true), Some(p)) => format!("Passed: {}% (the pass mark is {p}%).", score.percent()),
        (Some(false), Some(p)) => format!(
            "Not passed yet: {}% (the pass mark is {p}%, {} of {}).",
            score.percent(),
            (p * score.total).div_ceil(100),
            score.total
        ),
        _ => format!("{}%.", score.percent()),
    };
    let review = ctx.quiz.questions.iter().enumerate().map(|(i, q)| {
        let chosen = attempt.answers.get(&q.id).copied();
        let right = chosen == Some(q.correct_index());
        // A stored index is data from outside: one past the options reads as no answer.
        let picked = chosen.and_then(|c| q.options.get(c));
        let yours = picked.map(|o| o.label.as_str().to_string()).unwrap_or_else(|| "no answer".into());
        let why_not = picked.filter(|_| !right).and_then(|o| o.why_not.as_ref()).map(|w| w.as_str().to_string());
        view! {
            <li class="review-item" class:right=right class:wrong=!right data-question=q.id.clone()>
                <p class="review-verdict">{format!("Question {} — {}", i + 1, if right { "✓ right" } else { "✗ wrong" })}</p>
                <div class="prompt" inner_html=q.prompt.as_str().to_string()></div>
                <p><strong>"Your answer: "</strong><span inner_html=yours></span></p>
                {why_not.map(|w| view! { <p class="why-not"><strong>"Why not: "</strong><span inner_html=w></span></p> })}
                {(!right).then(|| view! { <p><strong>"Correct answer: "</strong><span inner_html=q.options[q.correct_index()].label.as_str().to_string()></span></p> })}
                <p class="why"><strong>"Why: "</strong><span inner_html=q.why.as_str().to_string()></span></p>
            </li>
        }
    }).collect_view();
    let retry = {
        let ctx = ctx.clone();
        move |_| ctx.retry()
    };
    view! {
        <section class="results" aria-labelledby="results-title" class:passed=passed == Some(true) class:failed=passed == Some(false)>
            <h2 id="results-title" tabindex="-1">{format!("You scored {} of {}", score.correct, score.total)}</h2>
            <p class="verdict-line" role="status">{verdict}</p>
            <button type="button" class="button primary" on:click=retry>{if ctx.is_test { "Retake the test" } else { "Try the quiz again" }}</button>
            <h3>"Question by question"</h3>
            <ol class="review">{review}</ol>
        </section>
    }
}
