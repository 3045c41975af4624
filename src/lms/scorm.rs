//! The SCORM runtime, when an LMS provides one: found by walking up the window chain
//! (then the opener's) for `API_1484_11` (2004) or `API` (1.2). Every value is a string.
//! A value is sent only when it differs from the last one sent, so reporting the same state
//! twice costs the LMS nothing, and `set_value` says whether anything went.

use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Version {
    V12,
    V2004,
}

#[derive(Clone)]
pub struct Api {
    object: JsValue,
    pub version: Version,
    /// What was last sent for each element (a dozen at most: a list is enough, and keeps a
    /// hash map out of the reader, which only looks for the API).
    sent: Rc<RefCell<Vec<(&'static str, String)>>>,
}

/// SCORM's discovery algorithm looks at most this far up.
const MAX_DEPTH: usize = 500;

fn get(target: &JsValue, name: &str) -> Option<JsValue> {
    // A cross-origin window throws on access: that ends the search on this side.
    js_sys::Reflect::get(target, &JsValue::from_str(name))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

fn search(start: JsValue) -> Option<Api> {
    let mut win = start;
    for _ in 0..MAX_DEPTH {
        if let Some(object) = get(&win, "API_1484_11") {
            return Some(Api {
                object,
                version: Version::V2004,
                sent: Rc::default(),
            });
        }
        if let Some(object) = get(&win, "API") {
            return Some(Api {
                object,
                version: Version::V12,
                sent: Rc::default(),
            });
        }
        let parent = get(&win, "parent")?;
        if js_sys::Object::is(&parent, &win) {
            return None;
        }
        win = parent;
    }
    None
}

pub fn find() -> Option<Api> {
    let window: JsValue = web_sys::window()?.into();
    search(window.clone()).or_else(|| get(&window, "opener").and_then(search))
}

impl Api {
    fn call(&self, method: &str, args: &[&str]) -> String {
        let Some(f) = get(&self.object, method).and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        else {
            return String::new();
        };
        let result = match args {
            [] => f.call0(&self.object),
            [a] => f.call1(&self.object, &JsValue::from_str(a)),
            [a, b, ..] => f.call2(&self.object, &JsValue::from_str(a), &JsValue::from_str(b)),
        };
        result
            .ok()
            .and_then(|v| v.as_string().or_else(|| v.as_bool().map(|b| b.to_string())))
            .unwrap_or_default()
    }

    fn name(&self, v12: &'static str, v2004: &'static str) -> &'static str {
        match self.version {
            Version::V12 => v12,
            Version::V2004 => v2004,
        }
    }

    pub fn initialize(&self) -> bool {
        self.call(self.name("LMSInitialize", "Initialize"), &[""]) == "true"
    }
    pub fn get_value(&self, key: &str) -> String {
        self.call(self.name("LMSGetValue", "GetValue"), &[key])
    }
    /// Sends `value` unless it was the last one sent; true when it went.
    pub fn set_value(&self, key: &'static str, value: &str) -> bool {
        let mut sent = self.sent.borrow_mut();
        match sent.iter_mut().find(|(k, _)| *k == key) {
            Some((_, last)) if last == value => return false,
            Some((_, last)) => *last = value.to_string(),
            None => sent.push((key, value.to_string())),
        }
        drop(sent);
        self.call(self.name("LMSSetValue", "SetValue"), &[key, value]);
        true
    }
    pub fn commit(&self) {
        self.call(self.name("LMSCommit", "Commit"), &[""]);
    }
    pub fn finish(&self) {
        self.call(self.name("LMSFinish", "Terminate"), &[""]);
    }

    /// Whether this launch continues an earlier one, so `suspend_data` holds its progress.
    /// Asked first: in SCORM 2004 a new attempt starts with no suspend data at all, and
    /// asking for it is an error (403, not initialized). SCORM 1.2 LMSs keep suspend data
    /// across launches more loosely; only a first launch (`ab-initio`) is known to be empty.
    pub fn resumes(&self) -> bool {
        match self.version {
            Version::V12 => self.get_value("cmi.core.entry") != "ab-initio",
            Version::V2004 => self.get_value("cmi.entry") == "resume",
        }
    }

    /// While work is unfinished the attempt is suspended, so the next launch resumes it with
    /// its suspend data; otherwise a conforming LMS starts a new, empty attempt.
    pub fn set_exit(&self, suspend: bool) -> bool {
        match (self.version, suspend) {
            (Version::V12, true) => self.set_value("cmi.core.exit", "suspend"),
            (Version::V12, false) => self.set_value("cmi.core.exit", ""),
            (Version::V2004, true) => self.set_value("cmi.exit", "suspend"),
            (Version::V2004, false) => self.set_value("cmi.exit", "normal"),
        }
    }

    /// SCORM 1.2 caps suspend data at 4,096 characters; 2004 allows 64,000.
    pub fn suspend_limit(&self) -> usize {
        match self.version {
            Version::V12 => 4096,
            Version::V2004 => 64000,
        }
    }

    pub fn suspend_key(&self) -> &'static str {
        self.name("cmi.suspend_data", "cmi.suspend_data")
    }

    /// Reports the module test (score 0–100 and passed/failed) and completion; true when
    /// any value changed.
    pub fn report(&self, score: Option<(u32, bool)>, completed: bool) -> bool {
        let mut sent = false;
        match self.version {
            Version::V12 => {
                if let Some((percent, passed)) = score {
                    sent |= self.set_value("cmi.core.score.raw", &percent.to_string());
                    sent |= self.set_value("cmi.core.score.min", "0");
                    sent |= self.set_value("cmi.core.score.max", "100");
                    // 1.2 has one status field: passed/failed wins over completed.
                    sent |= self.set_value(
                        "cmi.core.lesson_status",
                        if passed { "passed" } else { "failed" },
                    );
                } else {
                    sent |= self.set_value(
                        "cmi.core.lesson_status",
                        if completed { "completed" } else { "incomplete" },
                    );
                }
            }
            Version::V2004 => {
                if let Some((percent, passed)) = score {
                    sent |= self.set_value(
                        "cmi.score.scaled",
                        &format!("{:.2}", f64::from(percent) / 100.0),
                    );
                    sent |= self.set_value("cmi.score.raw", &percent.to_string());
                    sent |= self.set_value("cmi.score.min", "0");
                    sent |= self.set_value("cmi.score.max", "100");
                    sent |= self.set_value(
                        "cmi.success_status",
                        if passed { "passed" } else { "failed" },
                    );
                }
                sent |= self.set_value(
                    "cmi.completion_status",
                    if completed { "completed" } else { "incomplete" },
                );
            }
        }
        sent
    }

    pub fn session_time(&self, seconds: u64) {
        let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
        match self.version {
            Version::V12 => {
                self.set_value("cmi.core.session_time", &format!("{h:04}:{m:02}:{s:02}"))
            }
            Version::V2004 => self.set_value("cmi.session_time", &format!("PT{h}H{m}M{s}S")),
        };
    }
}
