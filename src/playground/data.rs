//! The data: a generated set (with its noise, split and seed), the learner's own points
//! (drawn on the plane, pasted or opened as CSV, saved as CSV), or the digits.

use super::Pg;
use aesop_train::playground::{csv, snap, Data, Settings};
use aesop_train::spec::Problem;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// What a click or a key does on the plane.
#[derive(Clone, Copy, PartialEq)]
pub enum Tool {
    Class(u8),
    Erase,
}

/// Shared with the plane: the tool, and the target a regression point gets.
#[derive(Clone, Copy)]
pub struct Drawing {
    pub tool: RwSignal<Tool>,
    pub target: RwSignal<f32>,
}

impl Drawing {
    pub fn get() -> Drawing {
        use_context::<Drawing>().expect("the data panel provides the drawing tools")
    }
}

fn apply_csv(pg: Pg, text: &str) {
    let problem = pg.settings.with_untracked(Settings::problem);
    match csv::parse(text, problem) {
        Ok(parsed) => {
            let n = parsed.points.len();
            let words = parsed.scaling.describe();
            pg.update(|s| {
                s.data = Data::Own;
                s.problem = parsed.problem;
                s.points = parsed.points;
            });
            pg.message.set(Some((
                false,
                format!(
                    "Read {n} points ({}). {words}",
                    if parsed.problem == Problem::Regression {
                        "regression"
                    } else {
                        "two classes"
                    }
                ),
            )));
        }
        Err(e) => pg
            .message
            .set(Some((true, format!("Nothing changed. {e}")))),
    }
}

#[component]
pub fn DataPanel(pg: Pg) -> impl IntoView {
    let s = pg.settings;
    let drawing = Drawing {
        tool: RwSignal::new(Tool::Class(1)),
        target: RwSignal::new(0.5),
    };
    provide_context(drawing);
    let data = Memo::new(move |_| s.with(|s| s.data));
    let own = move || data.get() == Data::Own;
    let regression = Memo::new(move |_| s.with(|s| s.problem() == Problem::Regression));
    let pasted = RwSignal::new(String::new());
    let on_file = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        if file.size() > csv::MAX_BYTES as f64 {
            pg.message.set(Some((
                true,
                format!(
                    "Nothing changed. The file is {} KB; the playground reads files up to {} KB.",
                    file.size() as u64 / 1024,
                    csv::MAX_BYTES / 1024
                ),
            )));
            return;
        }
        let promise = file.text();
        input.set_value("");
        leptos::task::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(promise).await {
                Ok(text) => apply_csv(pg, &text.as_string().unwrap_or_default()),
                Err(_) => pg.message.set(Some((
                    true,
                    "Nothing changed: the file could not be read.".into(),
                ))),
            }
        });
    };
    let regenerate = move |_| {
        let seed = (js_sys::Math::random() * u32::MAX as f64) as u32;
        pg.update(|s| s.seed = seed);
    };
    // A generated set becomes own points to edit: every point, training and test alike.
    let edit = move |_| {
        let Some(sets) = pg.sets.get_untracked() else {
            return;
        };
        let (train, test) = &*sets;
        let regression = s.with_untracked(|s| s.problem()) == Problem::Regression;
        let points: Vec<[f32; 3]> = [train, test]
            .into_iter()
            .flat_map(|set| {
                (0..set.len()).map(move |i| {
                    let v = if regression {
                        snap(set.target[i])
                    } else {
                        set.y[i] as f32
                    };
                    [
                        snap(set.x[i][0]).clamp(-6.0, 6.0),
                        snap(set.x[i][1]).clamp(-6.0, 6.0),
                        v,
                    ]
                })
            })
            .collect();
        let n = points.len();
        pg.update(|s| {
            s.problem = if regression {
                Problem::Regression
            } else {
                Problem::Classification
            };
            s.data = Data::Own;
            s.points = points;
        });
        pg.message.set(Some((
            false,
            format!("{n} points to edit: add, erase, or train on them as they are."),
        )));
    };
    let download = move |_| {
        let text = s.with_untracked(|s| csv::to_csv(&s.points, s.problem));
        crate::download::download("playground-points.csv", "text/csv", &text);
    };
    let set_problem = move |p: Problem| {
        let ok = s.with_untracked(|s| {
            p == Problem::Regression || s.points.iter().all(|q| q[2] == 0.0 || q[2] == 1.0)
        });
        if ok {
            pg.update(|s| s.problem = p);
        } else {
            pg.message.set(Some((true, "These points carry targets, not classes: clear them (or open a file with classes) first.".into())));
        }
    };
    let slider = |label: &'static str,
                  class: &'static str,
                  min: u8,
                  max: u8,
                  step: u8,
                  get: fn(&Settings) -> u8,
                  set: fn(&mut Settings, u8),
                  disabled: Signal<bool>| {
        view! {
            <label class=format!("pg-slider {class}")>
                <span>{label}" "<output>{move || s.with(|s| get(s)).to_string()}{if class == "pg-split" { "%" } else { "" }}</output></span>
                <input type="range" min=min.to_string() max=max.to_string() step=step.to_string() prop:value=move || s.with(|s| get(s)).to_string()
                    disabled=disabled on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse::<u8>() { pg.update(|s| set(s, v)) } } />
            </label>
        }
    };
    view! {
        <section class="pg-data" aria-label="Data">
            <fieldset class="pg-datasets">
                <legend>"Data"</legend>
                {Data::ALL.into_iter().map(|d| view! {
                    <label class="pg-dataset">
                        <input type="radio" name="pg-data" value=d.key() prop:checked=move || data.get() == d
                            on:change=move |_| pg.update(|s| {
                                if d == Data::Digits && s.data != Data::Digits {
                                    *s = Settings { seed: s.seed, ..Settings::digits() };
                                } else if d != Data::Digits && s.data == Data::Digits {
                                    *s = Settings { data: d, seed: s.seed, points: std::mem::take(&mut s.points), ..Settings::default() };
                                } else {
                                    s.data = d;
                                }
                            }) />
                        " "{d.label()}
                    </label>
                }).collect_view()}
            </fieldset>
            {slider("Noise", "pg-noise", 0, 50, 5, |s| s.noise, |s, v| s.noise = v, Signal::derive(move || matches!(data.get(), Data::Own | Data::Digits)))}
            {slider("Test data", "pg-split", 10, 90, 10, |s| s.test_percent, |s, v| s.test_percent = v, Signal::derive(|| false))}
            <p class="pg-seed">
                <button type="button" class="button pg-regenerate" on:click=regenerate>"Regenerate"</button>
                <span>{move || format!(" seed {}", s.with(|s| s.seed))}</span>
            </p>
            {move || (!own() && data.get() != Data::Digits).then(|| view! {
                <p><button type="button" class="button pg-edit" on:click=edit>"Edit these points"</button></p>
            })}
            {move || own().then(|| view! {
                <fieldset class="inline-choice pg-problem">
                    <legend>"Problem"</legend>
                    <label><input type="radio" name="pg-problem" prop:checked=move || !regression.get() on:change=move |_| set_problem(Problem::Classification) />" Classes"</label>
                    <label><input type="radio" name="pg-problem" prop:checked=move || regression.get() on:change=move |_| set_problem(Problem::Regression) />" Regression"</label>
                </fieldset>
                <fieldset class="inline-choice pg-tools">
                    <legend>"Draw"</legend>
                    {move || if regression.get() {
                        view! {
                            <label><input type="radio" name="pg-tool" prop:checked=move || drawing.tool.get() != Tool::Erase on:change=move |_| drawing.tool.set(Tool::Class(1)) />" Points"</label>
                        }.into_any()
                    } else {
                        view! {
                            <label class="pg-tool-0"><input type="radio" name="pg-tool" prop:checked=move || drawing.tool.get() == Tool::Class(0) on:change=move |_| drawing.tool.set(Tool::Class(0)) />" Class 0 (orange squares)"</label>
                            <label class="pg-tool-1"><input type="radio" name="pg-tool" prop:checked=move || drawing.tool.get() == Tool::Class(1) on:change=move |_| drawing.tool.set(Tool::Class(1)) />" Class 1 (blue circles)"</label>
                        }.into_any()
                    }}
                    <label class="pg-tool-erase"><input type="radio" name="pg-tool" prop:checked=move || drawing.tool.get() == Tool::Erase on:change=move |_| drawing.tool.set(Tool::Erase) />" Eraser"</label>
                </fieldset>
                {move || regression.get().then(|| view! {
                    <label class="pg-slider pg-target">
                        <span>"Target of new points "<output>{move || format!("{:.2}", drawing.target.get())}</output></span>
                        <input type="range" min="-1" max="1" step="0.05" prop:value=move || drawing.target.get().to_string()
                            on:input=move |ev| { if let Ok(v) = event_target_value(&ev).parse::<f32>() { drawing.target.set(snap(v)) } } />
                    </label>
                })}
                <p class="pg-count">{move || s.with(|s| match s.points.len() { 1 => "1 point".to_string(), n => format!("{n} points") })}</p>
                <p class="pg-own-buttons">
                    <button type="button" class="button pg-clear" on:click=move |_| pg.update(|s| s.points.clear()) disabled=move || s.with(|s| s.points.is_empty())>"Clear points"</button>
                    <button type="button" class="button pg-download" on:click=download disabled=move || s.with(|s| s.points.is_empty())>"Download as CSV"</button>
                </p>
            })}
            {move || (data.get() != Data::Digits).then(|| view! {
                <details class="pg-csv">
                    <summary>"Paste or open a CSV"</summary>
                    <p class="hint">"Rows of "<code>"x,y,label"</code>" (two classes) or "<code>"x,y,target"</code>", a header line optional, up to 5,000 rows. Values are moved and scaled onto the plane."</p>
                    <label class="pg-paste">
                        <span>"CSV text"</span>
                        <textarea rows="5" spellcheck="false" prop:value=move || pasted.get() on:input=move |ev| pasted.set(event_target_value(&ev))></textarea>
                    </label>
                    <p>
                        <button type="button" class="button pg-use-paste" on:click=move |_| apply_csv(pg, &pasted.get_untracked())>"Use pasted data"</button>
                        <label class="button pg-open">"Open a CSV file"<input type="file" class="visually-hidden" accept=".csv,text/csv,text/plain" on:change=on_file /></label>
                    </p>
                </details>
            })}
        </section>
    }
}
