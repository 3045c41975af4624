//! A module's home: its title, its lessons with their quizzes and labs, and the module test.

use crate::content::CourseFiles;
use crate::nav::{role_of, status_text};
use crate::progress::{step_key, use_progress};
use aesop_course::{Route, Step, StepContent, StepKind};
use leptos::prelude::*;

#[component]
pub fn ModuleHome(files: CourseFiles, module: usize) -> impl IntoView {
    let store = use_progress();
    let course = files.outline();
    let m = &course.modules[module];
    let entry = |i: usize| {
        let step = &m.steps[i];
        let key = step_key(&m.id, &step.id);
        let role = move || files.with_step((module, i), role_of);
        let title = move || files.with_step((module, i), Step::title);
        let subtitle = move || {
            files.with_step((module, i), |step| match &step.content {
                Some(Ok(StepContent::Lesson(l))) => l.subtitle.clone(),
                Some(Ok(StepContent::Quiz(q))) => q.subtitle.clone(),
                Some(Ok(StepContent::Lab(l))) => l.subtitle.clone(),
                Some(Err(_)) => "This step's file has a problem; open it to see where.".into(),
                None => String::new(),
            })
        };
        let kicker = match step.kind {
            StepKind::Lesson => format!("Lesson {}", step.lesson),
            StepKind::Quiz => "Quiz".into(),
            StepKind::Lab => "Lab".into(),
            StepKind::Test => "Module test".into(),
        };
        view! {
            <li class=format!("home-step home-{}", step.kind.as_str())>
                <a href=Route::step(&m.id, &step.id).to_fragment()>
                    <span class="home-kicker">{kicker}</span>
                    <span class="home-title">{title}</span>
                </a>
                <span class="home-subtitle">{subtitle}</span>
                <span class="home-status">{move || status_text(store.status(&key, role()))}</span>
            </li>
        }
    };
    let lessons: Vec<Vec<usize>> = {
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for (i, s) in m.steps.iter().enumerate() {
            match s.kind {
                StepKind::Lesson => groups.push(vec![i]),
                StepKind::Test => groups.push(vec![i]),
                _ => groups
                    .last_mut()
                    .expect("the manifest puts a lesson first")
                    .push(i),
            }
        }
        groups
    };
    let first = m
        .steps
        .first()
        .map(|s| Route::step(&m.id, &s.id).to_fragment());
    view! {
        <section class="module-home">
            <p class="kicker">{format!("Module {}", m.number)}</p>
            <h1>{m.title.clone()}</h1>
            <p class="lede">{m.summary.clone()}</p>
            {first.map(|href| view! { <p><a class="button primary" href=href>"Start with lesson 1"</a></p> })}
            {m.playground.as_ref().map(|_| view! {
                <p class="home-playground">
                    <a class="button" href=Route::Playground(m.id.clone()).to_fragment()>"Open the playground"</a>
                    " Draw or paste your own data, build a network and watch every neuron learn; or train one on handwritten digits."
                </p>
            })}
            <ol class="home-groups">
                {lessons.into_iter().map(|g| view! { <li><ul class="home-group">{g.into_iter().map(entry).collect_view()}</ul></li> }).collect_view()}
            </ol>
            <crate::progress::ProgressPanel />
        </section>
    }
}
