//! One question on screen: a native radio group (arrow keys move within it), Enter or the
//! button checks (lesson quiz) or moves on (test), feedback announced through a live region.

use super::QuizCtx;
use aesop_progress::{shuffle::option_order, QuizAttempt};
use leptos::prelude::*;

#[component]
pub fn QuestionView(ctx: QuizCtx, index: usize, attempt: QuizAttempt) -> impl IntoView {
    let q = ctx.quiz.questions[index].clone();
    let total = ctx.quiz.questions.len();
    let order = option_order(&ctx.key, &q.id, attempt.number, q.options.len());
    let chosen = attempt.answers.get(&q.id).copied();
    let checked = attempt.checked.contains(&q.id);
    let is_test = ctx.is_test;
    let selection = RwSignal::new(chosen);
    let warn = RwSignal::new(false);
    let name = format!("q-{}", q.id);
    let answered = {
        let ctx = ctx.clone();
        move || {
            ctx.store.progress.with(|p| {
                p.step(&ctx.key)
                    .and_then(|s| s.attempt.as_ref())
                    .map_or(0, |a| a.answers.len())
            })
        }
    };

    let choose = {
        let (ctx, id) = (ctx.clone(), q.id.clone());
        move |original: usize| {
            selection.set(Some(original));
            warn.set(false);
            // Every choice is saved at once, so a reload keeps it.
            ctx.update(|a| {
                a.answers.insert(id.clone(), original);
            });
        }
    };
    let check = {
        let (ctx, id) = (ctx.clone(), q.id.clone());
        move || match selection.get_untracked() {
            None => warn.set(true),
            Some(original) => ctx.update(|a| {
                a.answers.insert(id.clone(), original);
                if !a.checked.contains(&id) {
                    a.checked.push(id.clone());
                }
            }),
        }
    };
    let go = {
        let ctx = ctx.clone();
        move |to: usize| ctx.update(|a| a.current = to)
    };
    let finish = {
        let ctx = ctx.clone();
        move || ctx.finish()
    };

    let options = order
        .iter()
        .enumerate()
        .map(|(pos, &original)| {
            let option = &q.options[original];
            let id = format!("{name}-{pos}");
            let choose = choose.clone();
            let verdict = (checked && !is_test).then(|| {
                if option.correct {
                    "correct"
                } else if chosen == Some(original) {
                    "wrong"
                } else {
                    ""
                }
            });
            view! {
                <li class="option" class:correct=verdict == Some("correct") class:wrong=verdict == Some("wrong")>
                    <input
                        type="radio"
                        id=id.clone()
                        name=name.clone()
                        value=original.to_string()
                        prop:checked=move || selection.get() == Some(original)
                        disabled=checked && !is_test
                        on:change=move |_| choose(original)
                    />
                    // The badge sits under the option's text, so on a phone it never squeezes it.
                    <div class="option-body">
                        <label for=id inner_html=option.label.as_str().to_string()></label>
                        {match verdict {
                            Some("correct") => Some(view! { <span class="verdict">"✓ correct answer"</span> }),
                            Some("wrong") => Some(view! { <span class="verdict">"✗ your answer"</span> }),
                            _ => None,
                        }}
                    </div>
                </li>
            }
        })
        .collect_view();

    // The screen is rebuilt on check and on moving, which drops focus; put it where the
    // learner continues: on the feedback after a check, on the new question otherwise.
    let feedback_ref = NodeRef::<leptos::html::Div>::new();
    let prompt_ref = NodeRef::<leptos::html::Legend>::new();
    if ctx.interacted.get_untracked() {
        Effect::new(move |_| {
            let target: Option<web_sys::HtmlElement> = if checked && !is_test {
                feedback_ref.get().map(Into::into)
            } else {
                prompt_ref.get().map(Into::into)
            };
            if let Some(el) = target {
                let _ = el.focus();
            }
        });
    }
    // Feedback fits the verdict: under a wrong answer, why that option is wrong, which one is
    // right, then the explanation. The hint is gone by then: it can no longer help.
    let feedback = (checked && !is_test).then(|| {
        let right = chosen == Some(q.correct_index());
        let why = q.why.as_str().to_string();
        if right {
            view! {
                <div class="feedback right" tabindex="-1" node_ref=feedback_ref>
                    <p><strong>"Right. "</strong><span inner_html=why></span></p>
                </div>
            }
            .into_any()
        } else {
            let why_not = chosen
                .and_then(|c| q.options.get(c))
                .and_then(|o| o.why_not.as_ref())
                .map(|w| w.as_str().to_string());
            let answer = q.options[q.correct_index()].label.as_str().to_string();
            view! {
                <div class="feedback wrong" tabindex="-1" node_ref=feedback_ref>
                    <p><strong>"Not quite. "</strong>{why_not.map(|w| view! { <span class="why-not" inner_html=w></span> })}</p>
                    <p class="the-answer"><strong>"The answer: "</strong><span inner_html=answer></span></p>
                    <p class="why"><strong>"Why: "</strong><span inner_html=why></span></p>
                </div>
            }
            .into_any()
        }
    });
    // Before checking, a hint can still change the learner's mind; the test offers none.
    let hint = (!checked && !is_test).then(|| {
        view! {
            <details class="hint">
                <summary>"Show a hint"</summary>
                <p inner_html=q.hint.as_str().to_string()></p>
            </details>
        }
    });

    let last = index + 1 == total;
    let actions = if is_test {
        let (go_prev, finish) = (go.clone(), finish.clone());
        view! {
            <div class="quiz-actions">
                {(index > 0).then(|| view! { <button type="button" class="button" on:click=move |_| go_prev(index - 1)>"← Previous"</button> })}
                {(!last).then(|| view! { <button type="submit" class="button primary">"Next question →"</button> })}
                {last.then(|| view! {
                    <button type="button" class="button primary" on:click=move |_| finish()>"Submit the test"</button>
                })}
                <span class="answered">{move || format!("{} of {total} answered", answered())}</span>
            </div>
        }
        .into_any()
    } else if !checked {
        view! { <div class="quiz-actions"><button type="submit" class="button primary">"Check answer"</button></div> }.into_any()
    } else if last {
        let finish = finish.clone();
        view! { <div class="quiz-actions"><button type="button" class="button primary" on:click=move |_| finish()>"See your score"</button></div> }.into_any()
    } else {
        let go = go.clone();
        view! { <div class="quiz-actions"><button type="button" class="button primary" on:click=move |_| go(index + 1)>"Next question →"</button></div> }.into_any()
    };

    let on_submit = {
        let check = check.clone();
        let go = go.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if is_test {
                if index + 1 < total {
                    go(index + 1);
                }
            } else if !checked {
                check();
            }
        }
    };
    // Enter on a radio button submits too: browsers differ on implicit submission from radios.
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Enter" && !checked {
            ev.prevent_default();
            if let Some(form) = event_target::<web_sys::HtmlElement>(&ev)
                .closest("form")
                .ok()
                .flatten()
            {
                use wasm_bindgen::JsCast;
                let _ = form
                    .unchecked_into::<web_sys::HtmlFormElement>()
                    .request_submit();
            }
        }
    };

    view! {
        <form class="question" on:submit=on_submit>
            <p class="quiz-progress" aria-live="polite">{format!("Question {} of {total}", index + 1)}</p>
            <progress max=total value=index + 1 aria-hidden="true"></progress>
            <fieldset on:keydown=on_key>
                <legend class="prompt" tabindex="-1" node_ref=prompt_ref inner_html=q.prompt.as_str().to_string()></legend>
                <ul class="options" role="presentation">{options}</ul>
            </fieldset>
            {hint}
            <div class="live" aria-live="polite" role="status">
                {feedback}
                {move || warn.get().then(|| view! { <p class="feedback warn">"Pick an answer first."</p> })}
            </div>
            {actions}
        </form>
    }
}
