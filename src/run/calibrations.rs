//! Backend speeds this browser has measured, by adapter and network size
//! (`aesop_train::backend`). Facts about the device, not the learner's progress: kept apart from
//! it in `localStorage` (never exported or sent to an LMS), in memory where storage is
//! blocked. A lost entry only means one more background measurement.

use crate::storage::keys::{ADAPTER as ADAPTER_KEY, CALIBRATIONS as KEY};
use crate::storage::{self, Area};
use aesop_train::backend::Calibration;
use std::cell::RefCell;
use std::collections::BTreeMap;

// ADAPTER_KEY: the adapter measured last; where its calibration says the CPU, a worker skips
// the probe.
/// Enough for every demo size on a couple of adapters; past it, entries are dropped (lowest
/// key first): a dropped one is simply measured again.
const MAX_ENTRIES: usize = 64;

thread_local! {
    static MEMORY: RefCell<Option<BTreeMap<String, Calibration>>> = const { RefCell::new(None) };
    static ADAPTER: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn stored() -> Option<BTreeMap<String, Calibration>> {
    storage::get_json(Area::Local, KEY)
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
    if let Some((adapter, _)) = key.split_once('|') {
        let adapter = adapter.to_string();
        let _ = storage::set(Area::Local, ADAPTER_KEY, &adapter);
        ADAPTER.with(|a| *a.borrow_mut() = Some(adapter));
    }
    map.insert(key, calibration);
    let _ = storage::set_json(Area::Local, KEY, &map);
    MEMORY.with(|m| *m.borrow_mut() = Some(map));
}

/// The adapter measured last on this browser, if any.
pub fn last_adapter() -> Option<String> {
    ADAPTER.with(|a| {
        a.borrow()
            .clone()
            .or_else(|| storage::get(Area::Local, ADAPTER_KEY))
    })
}
