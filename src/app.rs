//! The shell: loads the course, follows the route, and lays out header, navigation and page.

use crate::content::load_course;
use crate::notice::ContentErrors;
use crate::progress::ProgressStore;
use crate::routing::route_signal;
use crate::{home, lesson, nav};
#[cfg(feature = "full")]
use crate::{lab, quiz};
use aesop_course::{Course, Errors, Route, StepContent};
use leptos::prelude::*;
use std::sync::Arc;

#[derive(Clone)]
enum Load {
    Loading,
    Ready(Arc<Course>),
    Failed(Errors),
}

#[component]
pub fn App() -> impl IntoView {
    let route = route_signal();
    let load = RwSignal::new(Load::Loading);
    let store = ProgressStore::init();
    provide_context(store);
    #[cfg(feature = "full")]
    provide_context(lab::settings::LlmSettings::init());
    leptos::task::spawn_local(async move {
        load.set(match load_course().await {
            Ok(course) => {
                let course = Arc::new(course);
                #[cfg(feature = "full")]
                crate::lms::start(store, course.clone());
                #[cfg(not(feature = "full"))]
                crate::lms::start_reader();
                Load::Ready(course)
            }
            Err(errors) => Load::Failed(errors),
        });
        #[cfg(feature = "full")]
        crate::upgrade::ready();
    });

    let body = move || match load.get() {
        Load::Loading => {
            view! { <p class="loading" role="status">"Loading the course…"</p> }.into_any()
        }
        Load::Failed(errors) => {
            view! { <ContentErrors errors=errors title="The course could not be loaded" /> }
                .into_any()
        }
        Load::Ready(course) => view! { <CoursePage course=course route=route /> }.into_any(),
    };
    view! {
        <a class="skip-link" href="#main" on:click=|ev| {
            // The fragment is the router's; move focus without changing it.
            ev.prevent_default();
            if let Some(main) = document().get_element_by_id("main") {
                use wasm_bindgen::JsCast;
                let _ = main.unchecked_into::<web_sys::HtmlElement>().focus();
            }
        }>"Skip to content"</a>
        {body}
    }
}

#[component]
fn CoursePage(course: Arc<Course>, route: ReadSignal<Route>) -> impl IntoView {
    let store = crate::progress::use_progress();
    // Home goes to the first module; an unknown module or step gets a "not found" page.
    let resolved = {
        let course = course.clone();
        Memo::new(move |_| {
            let r = route.get();
            let module_id = match &r {
                Route::Home | Route::Unknown(_) => course.modules.first().map(|m| m.id.clone()),
                Route::Module(m) | Route::Step { module: m, .. } => Some(m.clone()),
            };
            let module = module_id.and_then(|id| course.modules.iter().position(|m| m.id == id));
            let step = match (&r, module) {
                (Route::Step { step, .. }, Some(m)) => course.modules[m].step_index(step).map(Some),
                _ => Some(None),
            };
            match (r, module, step) {
                (Route::Unknown(_), _, _) | (_, None, _) | (_, _, None) => None,
                (_, Some(m), Some(s)) => Some((m, s)),
            }
        })
    };

    let header_course = course.clone();
    let header = move || {
        let module = resolved.get().map(|(m, _)| &header_course.modules[m]);
        view! {
            <header class="site-header">
                <a class="brand" href="#/">"AESOP"</a>
                <span class="course-title">{header_course.title.clone()}</span>
                {module.map(|m| view! { <span class="module-title">{format!("Module {} · {}", m.number, m.title)}</span> })}
            </header>
        }
    };
    let nav_course = course.clone();
    let navigation = move || {
        resolved
            .get()
            .map(|(m, s)| view! { <nav::StepNav course=nav_course.clone() module=m current=s /> })
    };
    let page_course = course.clone();
    let page = move || match resolved.get() {
        None => view! {
            <section class="not-found">
                <h1>"This page doesn't exist"</h1>
                <p>"The link may be old or mistyped. "<a href="#/">"Go to the course home"</a></p>
            </section>
        }
        .into_any(),
        Some((m, None)) => {
            view! { <home::ModuleHome course=page_course.clone() module=m /> }.into_any()
        }
        Some((m, Some(s))) => {
            let module = &page_course.modules[m];
            let step = &module.steps[s];
            let key = crate::progress::step_key(&module.id, &step.id);
            let footer = view! { <nav::PrevNext module=module.clone() index=s /> };
            let content = match &step.content {
                Err(errors) => view! { <ContentErrors errors=errors.clone() title=format!("{} can't be shown", step.title()) /> }.into_any(),
                Ok(StepContent::Lesson(l)) => view! { <lesson::LessonPage lesson=l.clone() key=key folder=module.folder.clone() /> }.into_any(),
                #[cfg(not(feature = "full"))]
                Ok(StepContent::Quiz(_) | StepContent::Lab(_)) => {
                    let _ = key;
                    view! { <crate::upgrade::Pending /> }.into_any()
                }
                #[cfg(feature = "full")]
                Ok(StepContent::Quiz(q)) => view! { <quiz::QuizPage quiz=q.clone() key=key is_test=step.kind == aesop_course::StepKind::Test /> }.into_any(),
                #[cfg(feature = "full")]
                Ok(StepContent::Lab(l)) => {
                    // The quiz of the same lesson supplies the learner's evidence.
                    let lesson_quiz = module.steps.iter().find(|q| q.lesson == step.lesson && q.kind == aesop_course::StepKind::Quiz).and_then(|q| match &q.content {
                        Ok(StepContent::Quiz(quiz)) => Some(lab::evidence::LessonQuiz {
                            key: crate::progress::step_key(&module.id, &q.id),
                            quiz: quiz.clone(),
                            lesson_key: module.steps.iter().find(|l| l.lesson == step.lesson && l.kind == aesop_course::StepKind::Lesson).map(|l| crate::progress::step_key(&module.id, &l.id)),
                        }),
                        _ => None,
                    });
                    view! { <lab::LabPage lab=l.clone() key=key lesson_quiz=lesson_quiz /> }.into_any()
                }
            };
            view! { {content} {footer} }.into_any()
        }
    };
    let notice = move || {
        store
            .notice
            .get()
            .map(|n| view! { <p class="storage-notice" role="status">{n}</p> })
    };
    let problems = course.errors().len();
    view! {
        {header}
        {navigation}
        {notice}
        {(problems > 0).then(|| view! {
            <p class="content-warning" role="status">{format!("{problems} problem(s) in the course files: the affected pages say where.")}</p>
        })}
        <main id="main" tabindex="-1">{page}</main>
        <footer class="site-footer"><p>"AESOP runs entirely in your browser. Your progress stays on this device."</p></footer>
    }
}
