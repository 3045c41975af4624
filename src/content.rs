//! Fetches `content/` from the deployed site at run time and hands the texts to the shared
//! loader, so a host edits Markdown and redeploys without a Rust toolchain.
//!
//! The manifest comes first; a step's file is fetched when a page needs it (the page itself,
//! a lab's quiz, the module home, the neighbours named in the pager). A first visit to a
//! lesson fetches two small files instead of the whole course.

use aesop_course::MANIFEST_PATH;
use aesop_course::{ContentError, Course, Errors, Manifest, Route, Step, StepContent, StepKind};
use futures::future::join_all;
use leptos::prelude::*;
use std::collections::HashSet;
use std::sync::Arc;

/// Relative to the page, so the site works under any sub-path and inside an LMS package.
const CONTENT_BASE: &str = "content/";

/// A fetch `boot.js` started for this path before the wasm arrived, taken once.
async fn early(path: &str) -> Option<gloo_net::http::Response> {
    use wasm_bindgen::{JsCast, JsValue};
    let get = |target: &JsValue, key: &str| js_sys::Reflect::get(target, &key.into()).ok();
    let early = get(&window().into(), "aesopEarly")?;
    // `ready` settles once boot.js knows which files it fetches.
    let ready = get(&early, "ready")?.dyn_into::<js_sys::Promise>().ok()?;
    let _ = wasm_bindgen_futures::JsFuture::from(ready).await;
    let files: js_sys::Object = get(&early, "files")?.dyn_into().ok()?;
    let promise = get(&files, path)?.dyn_into::<js_sys::Promise>().ok()?;
    let _ = js_sys::Reflect::delete_property(&files, &path.into());
    // A failed early fetch is simply made again by the caller.
    let response = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?;
    Some(response.unchecked_into::<web_sys::Response>().into())
}

/// The texts the reader has read, by path, on boot.js's `window.aesopTexts`: the full app
/// that takes over starts from them instead of fetching the same files again.
fn read_by_reader() -> Option<wasm_bindgen::JsValue> {
    // Without boot.js it is undefined, and reading or writing it fails harmlessly.
    js_sys::Reflect::get(&window(), &"aesopTexts".into()).ok()
}

/// A file of `content/`: what the reader read (in the full app), boot.js's early fetch when
/// it started one, else a request.
pub(crate) async fn fetch_text(path: &str) -> Result<String, String> {
    let key = wasm_bindgen::JsValue::from_str(path);
    #[cfg(feature = "full")]
    if let Some(texts) = read_by_reader() {
        if let Some(text) = js_sys::Reflect::get(&texts, &key)
            .ok()
            .and_then(|v| v.as_string())
        {
            let _ = js_sys::Reflect::delete_property(&texts.into(), &key);
            return Ok(text);
        }
    }
    let response = match early(path).await {
        Some(response) => response,
        None => gloo_net::http::Request::get(&format!("{CONTENT_BASE}{path}"))
            .send()
            .await
            .map_err(|e| format!("the request failed ({e})"))?,
    };
    if !response.ok() {
        return Err(format!(
            "the server answered {} {}",
            response.status(),
            response.status_text()
        ));
    }
    let text = response
        .text()
        .await
        .map_err(|e| format!("the response could not be read ({e})"))?;
    #[cfg(not(feature = "full"))]
    if let Some(texts) = read_by_reader() {
        let _ = js_sys::Reflect::set(&texts, &key, &text.as_str().into());
    }
    Ok(text)
}

/// A step by position: (module index, step index).
pub type At = (usize, usize);

/// The course, filled in as its files arrive. Structure (modules, steps, kinds) is fixed
/// once the manifest is read; only steps' contents change.
#[derive(Clone, Copy)]
pub struct CourseFiles {
    course: RwSignal<Arc<Course>>,
    /// Steps whose file has been asked for, so each is fetched once.
    asked: StoredValue<HashSet<At>>,
}

impl CourseFiles {
    /// Reads the manifest, then the files the route's page needs, so the first render is
    /// complete. `Err` only when the manifest itself is unusable; a broken step file
    /// becomes that step's errors.
    pub async fn load(route: &Route) -> Result<CourseFiles, Errors> {
        let manifest_text = fetch_text(MANIFEST_PATH).await.map_err(|why| {
            vec![ContentError::new(
                MANIFEST_PATH,
                0,
                format!("could not be read: {why}"),
            )]
        })?;
        let manifest = Manifest::parse(&manifest_text)?;
        let files = CourseFiles {
            course: RwSignal::new(Arc::new(Course::outline(&manifest))),
            asked: StoredValue::new(HashSet::new()),
        };
        files.read(files.needed_by(route)).await;
        Ok(files)
    }

    /// The course's structure, not tracked: it does not change after loading.
    pub fn outline(&self) -> Arc<Course> {
        self.course.get_untracked()
    }

    /// The steps a page shows: a step (a lab with its lesson's quiz), or a module's home.
    pub fn needed_by(&self, route: &Route) -> Vec<At> {
        let course = self.outline();
        let module = |id: &str| course.modules.iter().position(|m| m.id == id);
        match route {
            Route::Home => steps_of(&course, 0).collect(),
            Route::Module(id) => module(id)
                .map(|m| steps_of(&course, m).collect())
                .unwrap_or_default(),
            Route::Step { module: id, step } => {
                let Some(m) = module(id) else { return vec![] };
                let Some(s) = course.modules[m].step_index(step) else {
                    return vec![];
                };
                // The reader shows lessons only; it hands other pages to the full app.
                if cfg!(not(feature = "full"))
                    && course.modules[m].steps[s].kind != StepKind::Lesson
                {
                    return vec![];
                }
                let mut at = vec![(m, s)];
                at.extend(lesson_quiz(&course, m, s).map(|q| (m, q)));
                at.extend(lab_lesson(&course, m, s).map(|l| (m, l)));
                at
            }
            // The playground reads its own files (a demo file, the digits) when it shows.
            Route::Unknown(_) | Route::Playground(_) => vec![],
        }
    }

    /// Fetches the steps' files not asked for yet, in parallel, and waits for them.
    pub async fn read(&self, steps: Vec<At>) {
        let new: Vec<At> = self
            .asked
            .try_update_value(|asked| steps.into_iter().filter(|at| asked.insert(*at)).collect())
            .unwrap_or_default();
        if new.is_empty() {
            return;
        }
        let course = self.outline();
        let texts = join_all(
            new.iter()
                .map(|&(m, s)| fetch_text(&course.modules[m].steps[s].path)),
        )
        .await;
        // A file that could not be fetched (offline, a server hiccup) is asked for again
        // the next time a page needs it; its page says why meanwhile.
        let failed: Vec<At> = new
            .iter()
            .zip(&texts)
            .filter(|(_, text)| text.is_err())
            .map(|(at, _)| *at)
            .collect();
        // One file per task: a whole module parsed at once (reading every step for the offline
        // copy) took 80 ms on the main thread with the CPU slowed 4×, as on a phone.
        let mut parsed = Vec::with_capacity(new.len());
        for (i, (&(m, s), text)) in new.iter().zip(texts).enumerate() {
            if i > 0 {
                next_task().await;
            }
            parsed.push(course.modules[m].steps[s].parse(text));
        }
        // Parsing and rendering are separate tasks, so neither blocks input for long.
        next_task().await;
        // One update for the batch: each page re-renders once, not once per file.
        self.course.update(|course| {
            let course = Arc::make_mut(course);
            for (&(m, s), content) in new.iter().zip(parsed) {
                course.modules[m].steps[s].content = Some(content);
            }
        });
        self.asked.update_value(|asked| {
            for at in &failed {
                asked.remove(at);
            }
        });
    }

    /// Starts fetching without waiting.
    pub fn prefetch(&self, steps: Vec<At>) {
        let files = *self;
        leptos::task::spawn_local(async move { files.read(steps).await });
    }

    /// Fetches every file of the course (the LMS report needs every step's status).
    #[cfg(feature = "full")]
    pub async fn read_all(&self) {
        let course = self.outline();
        let all = (0..course.modules.len())
            .flat_map(|m| steps_of(&course, m))
            .collect();
        self.read(all).await;
    }

    /// Tracks the course: anything derived re-runs as files arrive.
    pub fn with<T>(&self, f: impl FnOnce(&Course) -> T) -> T {
        self.course.with(|c| f(c))
    }

    /// A step's content, changing only when that step's file arrives (None until then).
    pub fn content(&self, (m, s): At) -> Memo<Option<Result<StepContent, Errors>>> {
        let course = self.course;
        Memo::new(move |_| course.with(|c| c.modules[m].steps[s].content.clone()))
    }

    /// Reads one step, tracked: call it inside a closure that should re-run as files arrive.
    pub fn with_step<T>(&self, (m, s): At, f: impl FnOnce(&Step) -> T) -> T {
        self.course.with(|c| f(&c.modules[m].steps[s]))
    }
}

/// Every step of module `m` (none if there is no such module).
fn steps_of(course: &Course, m: usize) -> impl Iterator<Item = At> {
    let steps = course.modules.get(m).map_or(0, |module| module.steps.len());
    (0..steps).map(move |s| (m, s))
}

/// Resumes in a new task of the browser's event loop (a zero-delay timeout).
async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback(&resolve);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// The step of `kind` in the same lesson as lab `s`, if `s` is a lab.
fn beside_lab(course: &Course, m: usize, s: usize, kind: StepKind) -> Option<usize> {
    let steps = &course.modules[m].steps;
    let step = &steps[s];
    (step.kind == StepKind::Lab)
        .then(|| {
            steps
                .iter()
                .position(|q| q.lesson == step.lesson && q.kind == kind)
        })
        .flatten()
}

/// The lesson a lab belongs to: its offline peer quotes it to answer unforeseen questions.
pub fn lab_lesson(course: &Course, m: usize, s: usize) -> Option<usize> {
    beside_lab(course, m, s, StepKind::Lesson)
}

/// The quiz of the lesson a lab belongs to: the lab quotes the learner's answers.
pub fn lesson_quiz(course: &Course, m: usize, s: usize) -> Option<usize> {
    beside_lab(course, m, s, StepKind::Quiz)
}
