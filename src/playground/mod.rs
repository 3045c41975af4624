//! The learner's playground (a demo file with `"view": "playground"`): TensorFlow
//! Playground's controls on AESOP's one engine, plus own points, CSV files, the digits, the
//! optimizer and the loss. Every setting is `aesop_train::playground::Settings`, which builds
//! the experiment spec; a link carries it (`link`), the worker trains it, and the page draws
//! what the worker's reports bring: the regions, each neuron's output, the weights.

mod controls;
mod data;
mod digits;
mod graph;
mod output;
mod paint;
mod plane;
mod share;

use crate::run::{DemoScope, Run};
use aesop_course::demo::Demo;
use aesop_train::data::{generate, Dataset};
use aesop_train::playground::{link, Data, Settings};
use aesop_train::spec::{ExperimentSpec, Images};
use aesop_train::{Job, Wants};
use leptos::prelude::*;
use std::sync::Arc;

/// The digits file, fetched when the learner first opens the digits.
#[derive(Clone, PartialEq)]
pub enum Digits {
    Idle,
    Loading,
    Ready(Arc<Images>),
    Failed(String),
}

/// The playground's state, shared by its parts.
#[derive(Clone, Copy)]
pub struct Pg {
    pub settings: RwSignal<Settings>,
    pub run: Run,
    pub digits: RwSignal<Digits>,
    /// The spec the settings make, or why they make none.
    pub spec: Memo<Result<ExperimentSpec, String>>,
    /// Training and test sets as the engine will split them (same seed, same points).
    pub sets: Memo<Option<Arc<(Dataset, Dataset)>>>,
    /// What happened to the learner's data last: (is it a problem, the words).
    pub message: RwSignal<Option<(bool, String)>>,
}

impl Pg {
    pub fn images(&self) -> Option<Arc<Images>> {
        match self.digits.get() {
            Digits::Ready(i) => Some(i),
            _ => None,
        }
    }

    /// What this view draws: everything, every epoch (the plane and the graph, or the
    /// digits' confusion matrix and pad).
    fn wants(&self) -> Wants {
        if self.settings.with_untracked(|s| s.data == Data::Digits) {
            Wants {
                params: true,
                val_classes: true,
                every: 1,
                ..Wants::default()
            }
        } else {
            Wants {
                regions: plane::GRID,
                bounds: Some(([-6.0, 6.0], [-6.0, 6.0])),
                neurons: graph::GRID,
                params: true,
                every: 1,
                ..Wants::default()
            }
        }
    }

    /// Trains the current settings from the start; false (and nothing sent) when they make
    /// no valid run.
    pub fn start(&self) -> bool {
        let Ok(spec) = self.spec.get_untracked() else {
            return false;
        };
        self.run.set_wants(self.wants());
        self.run.start(Job::Train(spec));
        true
    }

    /// Changes the settings; the run in progress belonged to the old ones and is reset.
    pub fn update(&self, f: impl FnOnce(&mut Settings)) {
        self.settings.update(f);
    }
}

/// Starting settings: the link's, when it names this demo; else the demo file's `start`.
fn initial(demo: &Demo, name: &str) -> (Settings, Option<(bool, String)>) {
    let start = demo.start_settings().unwrap_or_default();
    let query = crate::run::share::fragment_query();
    let ours = query.iter().any(|(k, v)| k == "demo" && v == name)
        && query.iter().any(|(k, _)| k == "data");
    if !ours {
        return (start, None);
    }
    let kept = query.iter().any(|(k, _)| k == share::KEPT);
    match link::decode(&query) {
        // The playground's own address after a reload: the same setup, nothing to announce.
        Ok((s, notes)) if kept && notes.is_empty() => (s, None),
        Ok((s, notes)) if notes.is_empty() => (s, Some((false, "Opened from a link: the same settings, points and seed, so training replays the same run.".into()))),
        Ok((s, notes)) => (s, Some((true, format!("Opened from a link, with changes: {}.", notes.join("; "))))),
        Err(why) => (start, Some((true, format!("The link could not be used ({why}); the playground opens with its usual settings.")))),
    }
}

#[component]
pub fn Playground(demo: Demo) -> impl IntoView {
    let name = use_context::<DemoScope>()
        .map(|s| s.name)
        .unwrap_or_else(|| "playground".into());
    let (settings, note) = initial(&demo, &name);
    let from_link = note.is_some();
    let settings = RwSignal::new(settings);
    let run = Run::new();
    // The playground trains continuously, epoch after epoch, as TensorFlow Playground does:
    // there is nothing to slow down.
    run.watch.set(false);
    let digits = RwSignal::new(Digits::Idle);
    let spec = Memo::new(move |_| {
        let images = match digits.get() {
            Digits::Ready(i) => Some(i),
            _ => None,
        };
        settings.with(|s| s.spec(images.as_deref()))
    });
    let sets = Memo::new(move |_| match spec.get() {
        Ok(s) if s.dataset.images.is_none() => Some(Arc::new(generate(&s.dataset))),
        _ => None,
    });
    let pg = Pg {
        settings,
        run,
        digits,
        spec,
        sets,
        message: RwSignal::new(note),
    };
    // A run belongs to the settings that started it: any change that alters the spec ends it.
    Effect::new(move |prev: Option<Result<ExperimentSpec, String>>| {
        let now = spec.get();
        if prev.is_some_and(|p| p != now) && run.status.get_untracked() != crate::run::Status::Idle
        {
            run.reset();
        }
        now
    });
    // The digits arrive only when the learner opens them.
    Effect::new(move |_| {
        if settings.with(|s| s.data == Data::Digits) && digits.get_untracked() == Digits::Idle {
            digits::fetch(digits);
        }
    });
    let root = NodeRef::<leptos::html::Div>::new();
    if from_link {
        request_animation_frame(move || {
            if let Some(el) = root.try_get_untracked().flatten() {
                el.scroll_into_view();
            }
        });
    }
    // Every change of setup goes into the address; the first run of this effect is the setup
    // the page opened with, already there or the demo file's default.
    let kept_name = name.clone();
    Effect::new(move |first: Option<()>| {
        settings.with(|s| {
            if first.is_some() {
                share::keep_in_address(&kept_name, s);
            }
        });
    });
    let is_digits = Memo::new(move |_| settings.with(|s| s.data == Data::Digits));
    view! {
        <div class="pg" node_ref=root>
            <controls::Bar pg=pg />
            {move || pg.message.get().map(|(bad, text)| view! {
                <p class=if bad { "pg-message content-warning" } else { "pg-message" } role=if bad { "alert" } else { "status" }>{text}</p>
            })}
            <controls::Settings pg=pg />
            <div class="pg-main">
                <data::DataPanel pg=pg />
                {move || if is_digits.get() {
                    view! { <digits::DigitsPanel pg=pg /> }.into_any()
                } else {
                    view! {
                        <graph::Graph pg=pg />
                        <output::Output pg=pg />
                    }.into_any()
                }}
            </div>
            <share::Share pg=pg name=name.clone() />
        </div>
    }
}
