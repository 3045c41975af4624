//! A demo as content: which view shows it and the named runs (presets) it offers. Lives in
//! `content/<module>/demos/<name>.json`, placed in a lesson by `:::demo <name>`.

use crate::job::Job;
use crate::predict::PredictSpec;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DemoView {
    /// Cross-entropy against MSE for one prediction: pure math, no training.
    LossExplorer,
    /// ∂L/∂z at a sigmoid output for cross-entropy (p − y) and squared error
    /// (2(p − y)·p(1 − p)) as the prediction moves: pure math, no training.
    OutputGradient,
    /// Train and validation curves with the controls that make the four patterns appear.
    Curves,
    /// Accuracy, recall and a confusion matrix on an imbalanced set.
    Imbalance,
    /// A 2-D surface; the learner clicks a start and the descent path is drawn.
    Landscape,
    /// The 2-2-1 network worked by hand: a forward and a reverse-mode sweep stepped node by
    /// node, chain-rule products, and the check against finite differences and burn's autodiff.
    Backprop,
    /// f and f′ of each activation: pure math, no training.
    ActivationGallery,
    /// Per-layer mean |gradient| live while one run trains: the stuck-loss mysteries.
    GradientMonitor,
    /// Finished runs overlaid, one curve per preset, on the demo's metric.
    Compare,
    /// Optimizers descending one surface side by side.
    Race,
    /// Milliseconds per training step on the CPU and the GPU as the network grows: where a
    /// GPU starts to pay off on the learner's own machine.
    Crossover,
    /// The learner's own playground: any data (drawn, pasted, generated, the digits), any
    /// network up to 6 × 8, every neuron drawn; it opens with `start`.
    Playground,
}

impl DemoView {
    /// Whether the reader may train this view's demo before the full app arrives
    /// (assets/early-demo.js, which lists the same views): its Train runs the chosen preset's
    /// job as it is, asks the engine for nothing beyond the numbers, and follows no
    /// prediction. The full app then takes that run over (the app's `Run::restore`).
    pub fn trains_early(self) -> bool {
        matches!(self, DemoView::Imbalance)
    }
}

/// What a compare view plots for each run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum CompareMetric {
    /// Training loss by epoch.
    #[default]
    TrainLoss,
    ValLoss,
    /// Fraction of ReLU-family units that never fire, by epoch.
    DeadFraction,
    /// Mean |gradient| of each layer's weights at the end of the run, input side first.
    LayerGradients,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Preset {
    /// Short id, used in links and tests.
    pub name: String,
    /// Button label.
    pub label: String,
    /// What the learner should look for in this run; shown before it runs, so it says
    /// nothing a prediction asks about.
    #[serde(default)]
    pub note: String,
    /// What the run showed: shown once this preset's run has ended, never before.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub after: String,
    pub job: Job,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Demo {
    pub view: DemoView,
    pub title: String,
    /// One or two sentences above the demo.
    pub intro: String,
    #[serde(default)]
    pub presets: Vec<Preset>,
    /// Compare views: what to overlay.
    #[serde(default)]
    pub metric: CompareMetric,
    /// Compare views: also plot each preset's learning-rate schedule.
    #[serde(default)]
    pub show_schedule: bool,
    /// Compare views: the metric on a log axis, where the runs' differences are small
    /// against their values (late in training, say).
    #[serde(default)]
    pub log_y: bool,
    /// Compare views of training runs: a box that rebuilds the chosen network from residual
    /// blocks (`model.residual`).
    #[serde(default)]
    pub residual_toggle: bool,
    /// Asked before a run; the run's evidence answers it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predict: Option<PredictSpec>,
    /// Playground views: the settings it opens with, written as a playground link's query
    /// (`data=xor&net=4,2&act=relu`, see `playground::link`); the defaults where absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
}

/// A descent must start on the surface's map (finite, inside the plotted square).
fn on_the_map(surface: crate::surface::Surface, start: [f64; 2]) -> Result<(), String> {
    let (x, y) = surface.bounds();
    if start.iter().all(|v| v.is_finite())
        && (x[0]..=x[1]).contains(&start[0])
        && (y[0]..=y[1]).contains(&start[1])
    {
        Ok(())
    } else {
        Err(format!(
            "start must lie on the map, x in [{}, {}] and y in [{}, {}]",
            x[0], x[1], y[0], y[1]
        ))
    }
}

impl Demo {
    /// Parses and checks a demo file; errors carry serde's line where it has one.
    pub fn parse(text: &str) -> Result<Self, (Option<usize>, String)> {
        let demo: Demo = serde_json::from_str(text).map_err(|e| (Some(e.line()), e.to_string()))?;
        let line_of = |name: &str| {
            text.lines()
                .position(|l| l.contains(&format!("\"{name}\"")))
                .map(|i| i + 1)
        };
        if demo.start.is_some() && demo.view != DemoView::Playground {
            return Err((
                line_of("start"),
                "only a playground view takes `start`".into(),
            ));
        }
        if demo.start.is_some() {
            demo.start_settings().map_err(|e| (line_of("start"), e))?;
        }
        if matches!(
            demo.view,
            DemoView::LossExplorer
                | DemoView::OutputGradient
                | DemoView::ActivationGallery
                | DemoView::Playground
        ) {
            if !demo.presets.is_empty() {
                return Err((
                    line_of("presets"),
                    "this view computes everything itself and takes no presets".into(),
                ));
            }
        } else if demo.presets.is_empty() {
            return Err((None, "this view needs at least one preset".into()));
        }
        let mut seen = std::collections::HashSet::new();
        for p in &demo.presets {
            if !seen.insert(p.name.as_str()) {
                return Err((
                    line_of(&p.name),
                    format!("preset name \"{}\" is used twice", p.name),
                ));
            }
            let fail = |why: String| (line_of(&p.name), format!("preset \"{}\": {why}", p.name));
            demo.check_job(&p.job).map_err(fail)?;
        }
        if (demo.residual_toggle || demo.show_schedule) && demo.view != DemoView::Compare {
            return Err((
                line_of("residual_toggle").or(line_of("show_schedule")),
                "residual_toggle and show_schedule belong to compare views".into(),
            ));
        }
        if let Some(q) = &demo.predict {
            if let Some(n) = q.rule.option_count() {
                if q.options.len() != n {
                    return Err((
                        line_of("predict"),
                        format!(
                            "a {:?} prediction needs exactly {n} options, in the rule's order",
                            q.rule
                        )
                        .to_lowercase(),
                    ));
                }
            }
        }
        Ok(demo)
    }

    /// Whether this demo can show `job`: a preset, or a run from a shared link.
    pub fn check_job(&self, job: &Job) -> Result<(), String> {
        match (job, self.view) {
            (
                Job::Train(spec),
                DemoView::Curves
                | DemoView::Imbalance
                | DemoView::GradientMonitor
                | DemoView::Compare,
            ) => spec.validate(),
            (Job::Descend(d), DemoView::Landscape) => {
                if !(1..=5000).contains(&d.steps) {
                    return Err("steps must be 1 to 5000".into());
                }
                on_the_map(d.surface, d.start)?;
                d.optimizer.validate()
            }
            (Job::Race(r), DemoView::Race) => {
                if !(1..=5000).contains(&r.steps)
                    || !(1..=6).contains(&r.racers.len())
                    || !(r.tolerance > 0.0 && r.tolerance.is_finite())
                {
                    return Err(
                        "a race takes 1 to 5000 steps, 1 to 6 racers, and a positive tolerance"
                            .into(),
                    );
                }
                on_the_map(r.surface, r.start)?;
                for racer in &r.racers {
                    racer.optimizer.validate()?;
                }
                if r.finish_line().is_none() {
                    return Err("this surface has no minimum, so the race needs a finish_loss: a racer finishes once its loss is at or below it".into());
                }
                if let Some(q) = &self.predict {
                    if q.options.len() != r.racers.len() {
                        return Err(format!(
                            "the prediction offers {} options but the race has {} racers",
                            q.options.len(),
                            r.racers.len()
                        ));
                    }
                }
                Ok(())
            }
            (Job::Crossover(c), DemoView::Crossover) => c.validate(),
            (Job::Backprop(n), DemoView::Backprop) => {
                let numbers =
                    n.x.iter()
                        .chain(&n.b1)
                        .chain(&n.w2)
                        .chain(n.w1.iter().flatten())
                        .chain([&n.target, &n.b2]);
                if numbers.into_iter().any(|v| !v.is_finite() || v.abs() > 1e3) {
                    return Err(
                        "every backprop number must be finite and at most 1000 in size".into(),
                    );
                }
                Ok(())
            }
            _ => Err(
                format!("this is not the kind of run a {:?} view shows", self.view).to_lowercase(),
            ),
        }
    }

    /// A playground's opening settings: `start` read as a link, where every value must be
    /// known and in range (a link from a learner is clamped; a content file is corrected).
    pub fn start_settings(&self) -> Result<crate::playground::Settings, String> {
        let Some(start) = &self.start else {
            return Ok(Default::default());
        };
        let pairs: Vec<(String, String)> = start
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (k.to_string(), v.to_string())
            })
            .collect();
        let (settings, notes) = crate::playground::link::decode(&pairs)?;
        if let Some(n) = notes.first() {
            return Err(format!("start: {n}"));
        }
        Ok(settings)
    }

    pub fn preset(&self, name: &str) -> Option<&Preset> {
        self.presets.iter().find(|p| p.name == name)
    }
}

#[cfg(test)]
mod tests {
    /// assets/early-demo.js trains, before the full app, exactly the views `trains_early`
    /// names: a view added on one side only would train there without what it needs, or
    /// never early.
    #[test]
    fn the_reader_trains_early_the_views_named_here() {
        let js = include_str!("../../../assets/early-demo.js");
        let line = js
            .lines()
            .find(|l| l.starts_with("const VIEWS = "))
            .expect("early-demo.js lists its views on a `const VIEWS = [...]` line");
        let listed: Vec<String> = serde_json::from_str(
            &line["const VIEWS = ".len()..]
                .trim_end_matches(';')
                .replace('\'', "\""),
        )
        .expect("a list of names");
        use super::DemoView::*;
        let all = [
            LossExplorer,
            OutputGradient,
            Curves,
            Imbalance,
            Landscape,
            Backprop,
            ActivationGallery,
            GradientMonitor,
            Compare,
            Race,
            Crossover,
            Playground,
        ];
        let named: Vec<String> = all
            .into_iter()
            .filter(|v| {
                // A view added to the enum stops this match compiling until it is listed above.
                match v {
                    LossExplorer | OutputGradient | Curves | Imbalance | Landscape | Backprop
                    | ActivationGallery | GradientMonitor | Compare | Race | Crossover
                    | Playground => v.trains_early(),
                }
            })
            .map(|v| {
                serde_json::to_string(&v)
                    .expect("a name")
                    .trim_matches('"')
                    .to_string()
            })
            .collect();
        assert!(!named.is_empty());
        assert_eq!(listed, named);
    }

    use super::*;

    #[test]
    fn a_bad_preset_names_its_line() {
        let text = r#"{
  "view": "curves", "title": "t", "intro": "i",
  "presets": [
    { "name": "fast", "label": "Fast",
      "job": { "kind": "train",
        "dataset": { "generator": "moons", "seed": 1, "size": 100, "noise": 0.1, "validation": 0.2 },
        "model": { "hidden": [] }, "loss": { "kind": "mse" },
        "optimizer": { "kind": "sgd", "lr": 0 }, "batch_size": 10, "epochs": 1 } }
  ]
}"#;
        let (line, message) = Demo::parse(text).unwrap_err();
        assert_eq!(line, Some(4));
        assert!(message.contains("optimizer.lr"), "{message}");
        let (line, _) = Demo::parse("{\n \"view\": \"curves\",\n \"title\": 3 }").unwrap_err();
        assert_eq!(line, Some(3));
    }

    #[test]
    fn a_playground_opens_with_its_start_and_a_bad_start_is_named() {
        let text = |start: &str| {
            format!("{{\n \"view\": \"playground\", \"title\": \"t\", \"intro\": \"i\",\n \"start\": \"{start}\"\n}}")
        };
        let demo = Demo::parse(&text("data=xor&net=2&act=relu")).unwrap();
        let s = demo.start_settings().unwrap();
        assert_eq!(
            (s.data, s.hidden.clone()),
            (crate::playground::Data::Xor, vec![2])
        );
        let (line, message) = Demo::parse(&text("data=xor&noise=90")).unwrap_err();
        assert_eq!(line, Some(3));
        assert!(message.contains("noise 90 is out of range"), "{message}");
        assert!(Demo::parse(&text("data=own"))
            .unwrap_err()
            .1
            .contains("not the points"));
    }

    /// A shared link is checked like a preset: a start off the map, or a β that makes the
    /// averages grow without bound, is refused with the reason.
    #[test]
    fn a_link_cannot_start_off_the_map_or_with_a_runaway_beta() {
        let demo = |start: &str, beta: &str| {
            format!(
                r#"{{ "view": "landscape", "title": "t", "intro": "i", "presets": [
  {{ "name": "a", "label": "A", "job": {{ "kind": "descend", "surface": "saddle", "start": {start},
    "optimizer": {{ "kind": "momentum", "lr": 0.01, "momentum": {beta} }}, "steps": 10 }} }} ] }}"#
            )
        };
        assert!(Demo::parse(&demo("[0.5, 0.5]", "0.9")).is_ok());
        let (_, far) = Demo::parse(&demo("[1e300, 0.5]", "0.9")).unwrap_err();
        assert!(far.contains("on the map"), "{far}");
        let (_, beta) = Demo::parse(&demo("[0.5, 0.5]", "1.5")).unwrap_err();
        assert!(beta.contains("momentum"), "{beta}");
    }
}
