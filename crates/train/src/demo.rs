//! A demo as content: which view shows it and the named runs (presets) it offers. Lives in
//! `content/<module>/demos/<name>.json`, placed in a lesson by `:::demo <name>`.

use crate::protocol::Job;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DemoView {
    /// Cross-entropy against MSE for one prediction: pure math, no training.
    LossExplorer,
    /// Train and validation curves with the controls that make the four patterns appear.
    Curves,
    /// Accuracy, recall and a confusion matrix on an imbalanced set.
    Imbalance,
    /// A 2-D surface; the learner clicks a start and the descent path is drawn.
    Landscape,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedJob {
    /// Short id, used in links and tests.
    pub name: String,
    /// Button label.
    pub label: String,
    /// What the learner should look for in this run.
    #[serde(default)]
    pub note: String,
    pub job: Job,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoPreset {
    pub view: DemoView,
    pub title: String,
    /// One or two sentences above the demo.
    pub intro: String,
    #[serde(default)]
    pub presets: Vec<NamedJob>,
}

impl DemoPreset {
    /// Parses and checks a demo file; errors carry serde's line where it has one.
    pub fn parse(text: &str) -> Result<Self, (Option<usize>, String)> {
        let demo: DemoPreset = serde_json::from_str(text).map_err(|e| (Some(e.line()), e.to_string()))?;
        let line_of = |name: &str| text.lines().position(|l| l.contains(&format!("\"{name}\""))).map(|i| i + 1);
        let wants_training = matches!(demo.view, DemoView::Curves | DemoView::Imbalance);
        if demo.view != DemoView::LossExplorer && demo.presets.is_empty() {
            return Err((None, "this view needs at least one preset".into()));
        }
        let mut seen = std::collections::HashSet::new();
        for p in &demo.presets {
            if !seen.insert(p.name.as_str()) {
                return Err((line_of(&p.name), format!("preset name \"{}\" is used twice", p.name)));
            }
            match (&p.job, wants_training) {
                (Job::Train(spec), true) => spec.validate().map_err(|e| (line_of(&p.name), format!("preset \"{}\": {e}", p.name)))?,
                (Job::Descend(d), false) if demo.view == DemoView::Landscape => {
                    if !(1..=5000).contains(&d.steps) || !(d.optimizer.lr() > 0.0) {
                        return Err((line_of(&p.name), format!("preset \"{}\": steps must be 1 to 5000 and lr positive", p.name)));
                    }
                }
                _ => return Err((line_of(&p.name), format!("preset \"{}\" is not the kind of run a {:?} view shows", p.name, demo.view).to_lowercase())),
            }
        }
        Ok(demo)
    }

    pub fn preset(&self, name: &str) -> Option<&NamedJob> {
        self.presets.iter().find(|p| p.name == name)
    }
}

#[cfg(test)]
mod tests {
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
        let (line, message) = DemoPreset::parse(text).unwrap_err();
        assert_eq!(line, Some(4));
        assert!(message.contains("optimizer.lr"), "{message}");
        let (line, _) = DemoPreset::parse("{\n \"view\": \"curves\",\n \"title\": 3 }").unwrap_err();
        assert_eq!(line, Some(3));
    }
}
