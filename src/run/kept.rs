//! Each demo's last run, kept for the tab's life (sessionStorage, as the reading position is):
//! a reload brings a lesson back where the learner was reading, with the runs they had made
//! still on its plots. Only a run of one of the demo's own presets comes back, with that preset
//! chosen; a run the learner had edited, or a demo opened from a shared link, starts clean.
//! Storage that is full or blocked only means a reload starts clean.

use crate::storage::{self, keys::KEPT_PREFIX, Area};
use aesop_train::{Job, Metrics, Snapshot};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// A finished run, as the page shows it.
#[derive(Serialize, Deserialize)]
pub struct KeptRun {
    pub job: Job,
    pub history: Vec<Metrics>,
    pub path: Vec<[f64; 3]>,
    pub paths: Vec<Vec<[f64; 3]>>,
    pub stopped: Vec<Option<String>>,
    pub snapshot: Option<Snapshot>,
    /// The NaN alarm's message, for a run that ended on it.
    pub alarm: Option<String>,
    /// Which backend trained it and why.
    pub device: Option<(String, Option<String>)>,
}

fn key(demo: &str, what: &str) -> String {
    format!("{KEPT_PREFIX}{demo}.{what}")
}

/// Keeps `value` under this demo (its progress key, `module/lesson/demo`) and `what`.
pub fn save<T: Serialize>(demo: &str, what: &str, value: &T) {
    let _ = storage::set_json(Area::Session, &key(demo, what), value);
}

/// What `save` kept, if it is still there and still reads.
pub fn load<T: DeserializeOwned>(demo: &str, what: &str) -> Option<T> {
    storage::get_json(Area::Session, &key(demo, what))
}
