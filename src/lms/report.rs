//! The full app's side of living in a host: SCORM resume and reporting, and the learning
//! events an embedding page listens for.

use super::{embed, register_offline_worker, scorm};
use crate::content::CourseFiles;
use crate::nav::role_of;
use crate::progress::{step_key, ProgressStore};
use aesop_course::StepKind;
use aesop_progress::{encode_compact, import, StepStatus};
use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

pub fn start(store: ProgressStore, files: CourseFiles) {
    let embedded = embed::is_embedded();
    if embedded {
        embed::start();
    }
    let api = scorm::find().filter(|api| api.initialize());
    if !embedded && api.is_none() {
        register_offline_worker();
    }
    if let Some(api) = &api {
        // Inside an LMS its suspend data is the source of truth: the browser's storage may
        // be partitioned or blocked in the LMS's frame.
        let data = api.get_value(api.suspend_key());
        if let Ok(progress) = import(&data) {
            store.progress.set(progress);
        }
        store.notice.set(None);
        let started = js_sys::Date::now();
        let finished = Rc::new(Cell::new(false));
        let (api, finished) = (
            send_wrapper::SendWrapper::new(api.clone()),
            send_wrapper::SendWrapper::new(finished),
        );
        let handle = window_event_listener(leptos::ev::pagehide, move |_| {
            if !finished.replace(true) {
                api.session_time(((js_sys::Date::now() - started) / 1000.0) as u64);
                api.commit();
                api.finish();
            }
        });
        std::mem::forget(handle);
    }

    let previous: RefCell<Option<HashMap<String, StepStatus>>> = RefCell::new(None);
    let api = api.map(send_wrapper::SendWrapper::new);
    // Statuses depend on every step's file (the test's pass mark): report once all are read.
    leptos::task::spawn_local(async move { files.read_all().await });
    Effect::new(move |_| {
        let Some(statuses) = files.with(|course| {
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
                    .collect::<Vec<(String, String, StepKind, StepStatus)>>()
            })
        }) else {
            return;
        };
        let mut prev = previous.borrow_mut();
        if let Some(prev) = prev.as_ref() {
            for (module, step, kind, status) in &statuses {
                if prev.get(&step_key(module, step)) != Some(status) {
                    emit(module, step, *kind, *status);
                }
            }
        }
        *prev = Some(
            statuses
                .iter()
                .map(|(m, s, _, st)| (step_key(m, s), *st))
                .collect(),
        );

        if let Some(api) = api.as_ref() {
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
            api.set_value(
                api.suspend_key(),
                &store
                    .progress
                    .with(|p| encode_compact(p, api.suspend_limit())),
            );
            api.report(score, completed);
            api.commit();
        }
    });
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
