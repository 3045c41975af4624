//! The full app's side of living in a host: SCORM resume and reporting, and the learning
//! events an embedding page listens for.
//!
//! On a real LMS each Commit is a synchronous request, so the course commits on meaningful
//! events only: a step finished (a lesson read, a quiz scored, the test submitted), the page
//! hidden, and the page going away. In between nothing is sent: answering a question or
//! typing in a lab changes nothing the LMS sees until one of those comes.

use super::{embed, register_offline_worker, scorm};
use crate::content::CourseFiles;
use crate::nav::role_of;
use crate::progress::{step_key, ProgressStore};
use crate::storage::Leaving;
use aesop_course::StepKind;
use aesop_progress::{encode_compact, import, StepStatus};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;

/// Every step's status, in course order, once every step's file is read.
type Statuses = Vec<(String, String, StepKind, StepStatus)>;

pub fn start(store: ProgressStore, files: CourseFiles) {
    let embedded = embed::is_embedded();
    if embedded {
        embed::start();
    }
    let api = scorm::find().filter(|api| api.initialize());
    let host = embedded || api.is_some();
    // Every step's file. A host's report needs them all (a status depends on the test's pass
    // mark), so they are read at once. Without a host they are read only for the offline
    // copy (the service worker keeps each as it passes), once the learner no longer waits on
    // the network (boot.js's `aesopSettled`), not while the first demo's engine is on its way
    // or its first Train is starting.
    let settled = (!host)
        .then(|| js_sys::Reflect::get(&window(), &"aesopSettled".into()).ok())
        .flatten()
        .and_then(|p| wasm_bindgen::JsCast::dyn_into::<js_sys::Promise>(p).ok());
    leptos::task::spawn_local(async move {
        if let Some(settled) = settled {
            let _ = wasm_bindgen_futures::JsFuture::from(settled).await;
        }
        files.read_all().await
    });
    if !host {
        // Nobody to report to.
        register_offline_worker();
        return;
    }
    if let Some(api) = &api {
        resume(api, store);
    }

    let statuses: Memo<Option<Statuses>> = Memo::new(move |_| {
        files.with(|course| {
            course.fully_read().then(|| {
                course
                    .modules
                    .iter()
                    .flat_map(|m| m.steps.iter().map(move |s| (m, s)))
                    .map(|(m, s)| {
                        (
                            m.id.clone(),
                            s.id.clone(),
                            s.kind,
                            store.status(&step_key(&m.id, &s.id), role_of(s)),
                        )
                    })
                    .collect()
            })
        })
    });
    let reporter = api.map(|api| {
        Rc::new(Reporter {
            api,
            store,
            statuses,
            started: js_sys::Date::now(),
            ended: Cell::new(false),
        })
    });
    if let Some(reporter) = &reporter {
        reporter.listen();
    }

    let previous = StoredValue::new(None::<HashMap<String, StepStatus>>);
    let reporter = reporter.map(SendWrapper::new);
    Effect::new(move |_| {
        let Some(statuses) = statuses.get() else {
            return;
        };
        let mut finished = false;
        previous.update_value(|prev| {
            if let Some(prev) = prev.as_ref() {
                for (module, step, kind, status) in &statuses {
                    if prev.get(&step_key(module, step)) != Some(status) {
                        emit(module, step, *kind, *status);
                        finished |= matches!(
                            status,
                            StepStatus::Done(_) | StepStatus::Passed(_) | StepStatus::Failed(_)
                        );
                    }
                }
            } else {
                // The first report of this launch: status and exit as they stand.
                finished = true;
            }
            *prev = Some(
                statuses
                    .iter()
                    .map(|(m, s, _, st)| (step_key(m, s), *st))
                    .collect(),
            );
        });
        if finished {
            if let Some(reporter) = reporter.as_ref() {
                reporter.commit(false);
            }
        }
    });
}

/// Takes the LMS's suspend data as the learner's progress, when this launch resumes one.
/// Inside an LMS it is the source of truth: the browser's storage may be partitioned or
/// blocked in the LMS's frame.
fn resume(api: &scorm::Api, store: ProgressStore) {
    // The note that progress is lost on leaving does not hold: the LMS keeps it.
    store.notice.set(None);
    if !api.resumes() {
        return;
    }
    let data = api.get_value(api.suspend_key());
    if data.is_empty() {
        return;
    }
    match import(&data) {
        Ok(loaded) => {
            store.progress.set(loaded.progress);
            if let Some(problem) = loaded.problem {
                store.note(format!("Note: {problem}."));
            }
        }
        Err(why) => store.note(format!(
            "The progress your learning platform kept could not be read ({why}), so this visit starts fresh."
        )),
    }
}

struct Reporter {
    api: scorm::Api,
    store: ProgressStore,
    statuses: Memo<Option<Statuses>>,
    started: f64,
    ended: Cell<bool>,
}

impl Reporter {
    /// Sends what changed since the last commit (suspend data, score, status, exit) and
    /// commits if anything did, or if `force`d.
    fn commit(&self, force: bool) {
        if self.ended.get() {
            return;
        }
        let api = &self.api;
        let mut sent = api.set_value(
            api.suspend_key(),
            &self
                .store
                .progress
                .with_untracked(|p| encode_compact(p, api.suspend_limit())),
        );
        if let Some(statuses) = self.statuses.get_untracked() {
            let score = statuses
                .iter()
                .find_map(|(_, _, kind, status)| match (kind, status) {
                    (StepKind::Test, StepStatus::Passed(s)) => Some((s.percent(), true)),
                    (StepKind::Test, StepStatus::Failed(s)) => Some((s.percent(), false)),
                    _ => None,
                });
            let completed = statuses.iter().all(|(_, _, _, status)| {
                matches!(status, StepStatus::Done(_) | StepStatus::Passed(_))
            });
            sent |= api.report(score, completed);
            sent |= api.set_exit(!completed);
        }
        if sent || force {
            api.commit();
        }
    }

    /// Commits when the page is hidden (a tab switch, a phone's lock: the page may never
    /// come back), and ends the session when it goes away.
    fn listen(self: &Rc<Self>) {
        let me = self.clone();
        crate::storage::on_page_hide(move |why| match why {
            Leaving::Hidden => me.commit(false),
            Leaving::Gone if !me.ended.get() => {
                me.api
                    .session_time(((js_sys::Date::now() - me.started) / 1000.0) as u64);
                me.commit(true);
                me.ended.set(true);
                me.api.finish();
            }
            Leaving::Gone => {}
        });
    }
}

fn emit(module: &str, step: &str, kind: StepKind, status: StepStatus) {
    let (event, score) = match (kind, status) {
        (StepKind::Lesson, StepStatus::Done(_)) => ("lesson-read", None),
        (StepKind::Quiz, StepStatus::Done(Some(s))) => ("quiz-scored", Some(s)),
        (StepKind::Test, StepStatus::Passed(s)) => ("test-passed", Some(s)),
        (StepKind::Test, StepStatus::Failed(s)) => ("test-failed", Some(s)),
        _ => return,
    };
    embed::post_event(&embed::Event {
        kind: "aesop:event",
        event,
        module,
        step,
        correct: score.map(|s| s.correct),
        total: score.map(|s| s.total),
    });
}
