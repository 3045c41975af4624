//! The shell: loads the course, follows the route, and lays out header, navigation and page.

#[cfg(feature = "full")]
use crate::content::lab_lesson;
#[cfg(feature = "full")]
use crate::content::lesson_quiz;
use crate::content::{At, CourseFiles};
use crate::notice::ContentErrors;
use crate::progress::ProgressStore;
use crate::routing::route_signal;
use crate::{home, lesson, nav};
#[cfg(feature = "full")]
use crate::{lab, quiz};
use aesop_course::{Errors, Route, StepContent, StepKind};
use leptos::prelude::*;

#[derive(Clone)]
enum Load {
    Loading,
    Ready(CourseFiles),
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
        load.set(match CourseFiles::load(&route.get_untracked()).await {
            Ok(files) => {
                #[cfg(feature = "full")]
                crate::lms::start(store, files);
                // Stored answers that no longer fit their quiz are left out before use.
                #[cfg(feature = "full")]
                crate::quiz::watch(store, files);
                #[cfg(not(feature = "full"))]
                crate::lms::start_reader();
                Load::Ready(files)
            }
            Err(errors) => Load::Failed(errors),
        });
        #[cfg(feature = "full")]
        crate::handover::ready();
    });

    let body = move || match load.get() {
        Load::Loading => {
            view! { <p class="loading" role="status">"Loading the course…"</p> }.into_any()
        }
        Load::Failed(errors) => {
            view! { <ContentErrors errors=errors title="The course could not be loaded" /> }
                .into_any()
        }
        Load::Ready(files) => view! { <CoursePage files=files route=route /> }.into_any(),
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
fn CoursePage(files: CourseFiles, route: ReadSignal<Route>) -> impl IntoView {
    let course = files.outline();
    // Home goes to the first module; an unknown module or step gets a "not found" page.
    let resolved = {
        let course = course.clone();
        Memo::new(move |_| {
            let r = route.get();
            let module_id = match &r {
                Route::Home | Route::Unknown(_) => course.modules.first().map(|m| m.id.clone()),
                Route::Module(m) | Route::Step { module: m, .. } | Route::Playground(m) => {
                    Some(m.clone())
                }
            };
            let module = module_id.and_then(|id| course.modules.iter().position(|m| m.id == id));
            let step = match (&r, module) {
                (Route::Step { step, .. }, Some(m)) => course.modules[m].step_index(step).map(Some),
                _ => Some(None),
            };
            match (r, module, step) {
                (Route::Unknown(_), _, _) | (_, None, _) | (_, _, None) => None,
                (Route::Playground(_), Some(m), _) if course.modules[m].playground.is_none() => {
                    None
                }
                (_, Some(m), Some(s)) => Some((m, s)),
            }
        })
    };
    // Each page's files, fetched as the learner moves (the first page's came with the load).
    Effect::new(move |_| files.prefetch(files.needed_by(&route.get())));

    let header_course = course.clone();
    let header = move || {
        let module = resolved.get().map(|(m, _)| &header_course.modules[m]);
        view! {
            <header class="site-header">
                <a class="brand" href="#/">{header_course.title.clone()}</a>
                // The course's title already names a one-topic module: say only which module.
                {module.map(|m| {
                    let label = if header_course.title.contains(&m.title) {
                        format!("Module {}", m.number)
                    } else {
                        format!("Module {} · {}", m.number, m.title)
                    };
                    view! { <span class="module-title">{label}</span> }
                })}
            </header>
        }
    };
    let navigation = move || {
        resolved
            .get()
            .map(|(m, s)| view! { <nav::StepNav files=files module=m current=s /> })
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
        Some((m, None)) if matches!(route.get(), Route::Playground(_)) => {
            playground_page(&page_course.modules[m]).into_any()
        }
        Some((m, None)) => view! { <home::ModuleHome files=files module=m /> }.into_any(),
        Some((m, Some(s))) => view! {
            <StepPage files=files at=(m, s) />
            <nav::PrevNext files=files module=m index=s />
        }
        .into_any(),
    };
    let store = crate::progress::use_progress();
    let notice = move || {
        store
            .notice
            .get()
            .map(|n| view! { <p class="storage-notice" role="status">{n}</p> })
    };
    // Problems in the files read so far; each broken page also says what is wrong.
    let problems = Memo::new(move |_| files.with(|c| c.errors().len()));
    view! {
        {header}
        {navigation}
        {notice}
        {move || (problems.get() > 0).then(|| view! {
            <p class="content-warning" role="status">{format!("{} problem(s) in the course files: the affected pages say where.", problems.get())}</p>
        })}
        <main id="main" tabindex="-1">{page}</main>
        <footer class="site-footer"><p>"AESOP runs entirely in your browser. Your progress stays on this device. " <a href="host.html">"Hosting this course?"</a></p></footer>
    }
}

/// One step's page, shown once its file (and, for a lab, its lesson's quiz) has arrived.
#[component]
fn StepPage(files: CourseFiles, at: At) -> impl IntoView {
    let course = files.outline();
    let (m, s) = at;
    let module = &course.modules[m];
    let step = &module.steps[s];
    let key = crate::progress::step_key(&module.id, &step.id);
    let kind = step.kind;
    let folder = module.folder.clone();
    let title = move || files.with_step(at, |s| s.title());
    let content = files.content(at);
    #[cfg(feature = "full")]
    let lesson_quiz = lesson_quiz(&course, m, s).map(|q| {
        let quiz_step = &module.steps[q];
        let lesson_key = module
            .steps
            .iter()
            .find(|l| l.lesson == quiz_step.lesson && l.kind == StepKind::Lesson)
            .map(|l| crate::progress::step_key(&module.id, &l.id));
        (
            crate::progress::step_key(&module.id, &quiz_step.id),
            lesson_key,
            files.content((m, q)),
        )
    });
    // A lab's lesson, for the offline peer's answers from it (optional: the lab runs without).
    #[cfg(feature = "full")]
    let lab_lesson = lab_lesson(&course, m, s).map(|l| {
        let link = aesop_course::Route::step(&module.id, &module.steps[l].id).to_fragment();
        (files.content((m, l)), link)
    });
    move || {
        let key = key.clone();
        // The reader hands quizzes, the test and labs to the full app without reading them.
        #[cfg(not(feature = "full"))]
        if kind != StepKind::Lesson {
            return view! { <crate::handover::Pending /> }.into_any();
        }
        match content.get() {
            None => loading().into_any(),
            Some(Err(errors)) => view! { <ContentErrors errors=errors title=format!("{} can't be shown", untrack(title)) /> }.into_any(),
            Some(Ok(StepContent::Lesson(l))) => view! { <lesson::LessonPage lesson=l key=key folder=folder.clone() /> }.into_any(),
            #[cfg(not(feature = "full"))]
            Some(Ok(_)) => view! { <crate::handover::Pending /> }.into_any(),
            #[cfg(feature = "full")]
            Some(Ok(StepContent::Quiz(q))) => view! { <quiz::QuizPage quiz=q key=key is_test=kind == StepKind::Test /> }.into_any(),
            #[cfg(feature = "full")]
            Some(Ok(StepContent::Lab(l))) => {
                // The quiz of the same lesson supplies the learner's evidence.
                let lesson_quiz = match &lesson_quiz {
                    Some((_, _, quiz)) if quiz.get().is_none() => {
                        return loading().into_any()
                    }
                    Some((key, lesson_key, quiz)) => match quiz.get() {
                        Some(Ok(StepContent::Quiz(quiz))) => Some(lab::evidence::LessonQuiz {
                            key: key.clone(),
                            quiz,
                            lesson_key: lesson_key.clone(),
                        }),
                        _ => None,
                    },
                    None => None,
                };
                if lab_lesson.as_ref().is_some_and(|(content, _)| content.get().is_none()) {
                    return loading().into_any();
                }
                let lesson = lab_lesson.as_ref().and_then(|(content, link)| match content.get() {
                    Some(Ok(StepContent::Lesson(lesson))) => Some((lesson.paragraphs(), link.clone())),
                    _ => None,
                });
                view! { <lab::LabPage lab=l key=key lesson_quiz=lesson_quiz lesson=lesson /> }.into_any()
            }
        }
    }
}

/// A module's playground: the full app shows it; the reader fetches the full app first.
fn playground_page(module: &aesop_course::course::Module) -> impl IntoView {
    let name = module.playground.clone().unwrap_or_default();
    #[cfg(feature = "full")]
    let body =
        view! { <crate::demo::DemoBlock folder=module.folder.clone() name=name /> }.into_any();
    #[cfg(not(feature = "full"))]
    let body = {
        let _ = name;
        view! { <crate::handover::Pending /> }.into_any()
    };
    view! {
        <section class="playground-page">
            <p class="kicker">{format!("Module {} · Playground", module.number)}</p>
            <h1>"Playground"</h1>
            {body}
        </section>
    }
}

fn loading() -> impl IntoView {
    view! { <p class="loading" role="status">"Loading the page…"</p> }
}
