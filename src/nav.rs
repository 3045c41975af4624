//! The course navigation (`L1 · Quiz · Lab … Module Test`) and the previous/next links.

use crate::content::CourseFiles;
use crate::progress::{step_key, use_progress};
use aesop_course::{Route, Step, StepContent, StepKind};
use aesop_progress::{schema::Role, StepStatus};
use leptos::prelude::*;

/// How a step's status is judged. The test's pass mark is in its file (`pass:`, required
/// there); until that file is read, a score is shown without a verdict, as a quiz's is
/// (`StepNav` fetches the file once the learner has a score, and the LMS report waits for
/// every file).
pub fn role_of(step: &Step) -> Role {
    match (&step.kind, &step.content) {
        (StepKind::Test, Some(Ok(StepContent::Quiz(q)))) => match q.pass_percent {
            Some(pass_percent) => Role::Test { pass_percent },
            None => Role::Quiz,
        },
        (StepKind::Quiz, _) => Role::Quiz,
        _ => Role::Reading,
    }
}

/// The status as words, for screen readers and tooltips; the mark beside it is only a cue.
pub fn status_text(status: StepStatus) -> String {
    match status {
        StepStatus::NotStarted => "not started".into(),
        StepStatus::InProgress => "in progress".into(),
        StepStatus::Done(None) => "done".into(),
        StepStatus::Done(Some(s)) => format!("done, best score {} of {}", s.correct, s.total),
        StepStatus::Passed(s) => format!("passed, {} of {}", s.correct, s.total),
        StepStatus::Failed(s) => format!("not passed yet, {} of {}", s.correct, s.total),
    }
}

/// For tests and styles: the status without its score.
fn status_name(status: StepStatus) -> &'static str {
    match status {
        StepStatus::NotStarted => "notstarted",
        StepStatus::InProgress => "inprogress",
        StepStatus::Done(_) => "done",
        StepStatus::Passed(_) => "passed",
        StepStatus::Failed(_) => "failed",
    }
}

fn status_mark(status: StepStatus) -> String {
    match status {
        StepStatus::NotStarted => String::new(),
        StepStatus::InProgress => "…".into(),
        StepStatus::Done(None) => "✓".into(),
        // A quiz has a score, not a pass mark: a tick beside 1/5 would read as a pass.
        StepStatus::Done(Some(s)) => format!("{}/{}", s.correct, s.total),
        StepStatus::Passed(s) => format!("✓ {}/{}", s.correct, s.total),
        StepStatus::Failed(s) => format!("✗ {}/{}", s.correct, s.total),
    }
}

#[component]
pub fn StepNav(files: CourseFiles, module: usize, current: Option<usize>) -> impl IntoView {
    let store = use_progress();
    let course = files.outline();
    let m = &course.modules[module];
    // Group the steps as the course does: each lesson with its quiz and lab, then the test.
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, step) in m.steps.iter().enumerate() {
        if step.kind == StepKind::Lesson || step.kind == StepKind::Test || groups.is_empty() {
            groups.push(vec![i]);
        } else {
            groups.last_mut().expect("a group").push(i);
        }
    }
    let link = |i: usize| {
        let step = &m.steps[i];
        let key = step_key(&m.id, &step.id);
        let role = move || files.with_step((module, i), role_of);
        let status = Memo::new(move |_| store.status(&key, role()));
        if step.kind == StepKind::Test {
            // A learner with a test score needs the test's own pass mark to be told right.
            let read = move || files.with_step((module, i), |s| s.content.is_some());
            Effect::new(move |_| {
                if !read() && status.get() != StepStatus::NotStarted {
                    files.prefetch(vec![(module, i)]);
                }
            });
        }
        let is_current = current == Some(i);
        let label = step.nav_label();
        let title = move || files.with_step((module, i), Step::title);
        let href = Route::step(&m.id, &step.id).to_fragment();
        let broken = move || files.with_step((module, i), |s| matches!(s.content, Some(Err(_))));
        view! {
            <a
                href=href
                class="step"
                class:current=is_current
                class:done=move || matches!(status.get(), StepStatus::Done(_) | StepStatus::Passed(_))
                class:scored=move || matches!(status.get(), StepStatus::Done(Some(_)))
                class:broken=broken
                aria-current=is_current.then_some("page")
                title=move || format!("{} — {}", title(), status_text(status.get()))
                data-step=step.id.clone()
                data-status=move || status_name(status.get())
            >
                <span class="step-label">{label}</span>
                <span class="step-mark" aria-hidden="true">{move || status_mark(status.get())}</span>
                <span class="visually-hidden">{move || format!(" ({})", status_text(status.get()))}</span>
            </a>
        }
    };
    let other_modules = (course.modules.len() > 1).then(|| {
        course
            .modules
            .iter()
            .enumerate()
            .map(|(i, om)| {
                view! {
                    <a href=Route::Module(om.id.clone()).to_fragment() class="module-link" class:current=i == module aria-current=(i == module).then_some("true")>
                        {format!("Module {}", om.number)}
                    </a>
                }
            })
            .collect_view()
    });
    // On a phone the strip scrolls sideways: bring the current step into view. (The cue that
    // there is more to scroll is CSS's: see `.course-nav` in style.css.)
    let strip = NodeRef::<leptos::html::Nav>::new();
    strip.on_load(move |nav| {
        use wasm_bindgen::JsCast;
        let el: web_sys::HtmlElement = nav.into();
        if let Ok(Some(current)) = el.query_selector(".step.current") {
            let current: web_sys::HtmlElement = current.unchecked_into();
            el.set_scroll_left(
                current.offset_left() - (el.client_width() - current.offset_width()) / 2,
            );
        }
    });
    view! {
        <nav class="course-nav" aria-label="Course steps" node_ref=strip>
            {other_modules.map(|links| view! { <div class="module-switch">{links}</div> })}
            <ol class="step-groups">
                {groups
                    .into_iter()
                    .map(|g| {
                        let steps = g.into_iter().enumerate().map(|(n, i)| view! {
                            {(n > 0).then(|| view! { <span class="step-sep" aria-hidden="true">"·"</span> })}
                            {link(i)}
                        });
                        view! { <li class="step-group">{steps.collect_view()}</li> }
                    })
                    .collect_view()}
            </ol>
        </nav>
    }
}

#[component]
pub fn PrevNext(files: CourseFiles, module: usize, index: usize) -> impl IntoView {
    let course = files.outline();
    let m = &course.modules[module];
    let link = |i: usize, rel: &'static str| {
        let step = &m.steps[i];
        let label = if rel == "prev" {
            "← Previous"
        } else {
            "Next →"
        };
        let nav_label = step.nav_label();
        let title = move || files.with_step((module, i), Step::title);
        view! {
            <a class=format!("pager-{rel}") rel=rel href=Route::step(&m.id, &step.id).to_fragment()>
                <span class="pager-dir">{label}</span>
                <span class="pager-title">{move || format!("{nav_label} · {}", title())}</span>
            </a>
        }
    };
    let (prev_at, next_at) = (
        index.checked_sub(1),
        (index + 1 < m.steps.len()).then_some(index + 1),
    );
    let prev = prev_at.map(|i| link(i, "prev"));
    let next = next_at.map(|i| link(i, "next"));
    let home = next_at.is_none().then(|| {
        view! { <a class="pager-next" href=Route::Module(m.id.clone()).to_fragment()><span class="pager-dir">"Module home →"</span></a> }
    });
    // The neighbours' titles come from their files, read as the pager nears the screen.
    let pager = NodeRef::<leptos::html::Nav>::new();
    pager.on_load(move |el| {
        let at: Vec<_> = prev_at
            .into_iter()
            .chain(next_at)
            .map(|i| (module, i))
            .collect();
        crate::visible::when_visible(&el, 1.0, move || files.prefetch(at.clone()));
    });
    view! { <nav class="pager" aria-label="Previous and next" node_ref=pager>{prev}<span class="pager-gap"></span>{next}{home}</nav> }
}
