//! Backend speeds this browser has measured, by adapter and network size
//! (`aesop_train::backend`). Facts about the device, not the learner's progress: kept beside
//! it in `localStorage` (never exported or sent to an LMS), in memory where storage is
//! blocked. A lost entry only means one more background measurement.

use aesop_train::backend::Calibration;
use std::cell::RefCell;
use std::collections::BTreeMap;

const KEY: &str = "aesop.calibrations";
/// Enough for every demo size on a couple of adapters; past it, entries are dropped (lowest
/// key first): a dropped one is simply measured again.
const MAX_ENTRIES: usize = 64;

thread_local! {
    static MEMORY: RefCell<Option<BTreeMap<String, Calibration>>> = const { RefCell::new(None) };
}

fn stored() -> Option<BTreeMap<String, Calibration>> {
    let text = super::local_storage().ok()?.get_item(KEY).ok()??;
    serde_json::from_str(&text).ok()
}

/// Every remembered calibration.
pub fn all() -> BTreeMap<String, Calibration> {
    MEMORY.with(|m| {
        m.borrow_mut()
            .get_or_insert_with(|| stored().unwrap_or_default())
            .clone()
    })
}

/// Remembers one measurement, replacing an older one of the same key.
pub fn remember(key: String, calibration: Calibration) {
    let mut map = all();
    map.remove(&key);
    while map.len() >= MAX_ENTRIES {
        let Some(first) = map.keys().next().cloned() else {
            break;
        };
        map.remove(&first);
    }
    map.insert(key, calibration);
    if let (Ok(storage), Ok(text)) = (super::local_storage(), serde_json::to_string(&map)) {
        let _ = storage.set_item(KEY, &text);
    }
    MEMORY.with(|m| *m.borrow_mut() = Some(map));
}
