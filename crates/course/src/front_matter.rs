//! Front matter: `key: value` lines between two `---` lines at the top of a file.
//! Deliberately not YAML: one key per line, the value is the rest of the line, so a host
//! cannot trip over quoting rules.

use crate::error::{ContentError, Errors};

pub struct FrontMatter {
    /// (key, value, line) in file order.
    entries: Vec<(String, String, usize)>,
}

/// A file split into its front matter and its body; `body_line` is the file line the body starts on.
pub struct Split<'a> {
    pub front: FrontMatter,
    pub body: &'a str,
    pub body_line: usize,
}

pub fn split<'a>(path: &str, text: &'a str) -> Result<Split<'a>, ContentError> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        return Err(ContentError::new(
            path,
            1,
            "the file must start with front matter: a line `---`, `key: value` lines, then `---`",
        ));
    }
    let mut offset = first.len();
    let mut entries = Vec::new();
    for (i, line) in lines.enumerate() {
        let line_no = i + 2;
        offset += line.len();
        let trimmed = line.trim();
        if trimmed == "---" {
            return Ok(Split {
                front: FrontMatter { entries },
                body: &text[offset..],
                body_line: line_no + 1,
            });
        }
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let Some((key, value)) = trimmed.split_once(':') else {
            return Err(ContentError::new(
                path,
                line_no,
                format!("expected `key: value` in the front matter, found `{trimmed}`"),
            ));
        };
        entries.push((key.trim().to_string(), value.trim().to_string(), line_no));
    }
    Err(ContentError::new(
        path,
        1,
        "the front matter is never closed: add a line `---` after its last key",
    ))
}

impl FrontMatter {
    /// Checks the keys against what this kind of file allows, reporting unknown,
    /// repeated and missing keys (and empty values) all at once.
    pub fn check(&self, path: &str, required: &[&str], optional: &[&str], errors: &mut Errors) {
        for (i, (key, value, line)) in self.entries.iter().enumerate() {
            if !required.contains(&key.as_str()) && !optional.contains(&key.as_str()) {
                let allowed: Vec<&str> = required.iter().chain(optional).copied().collect();
                errors.push(ContentError::new(
                    path,
                    *line,
                    format!(
                        "unknown front matter key `{key}` (allowed: {})",
                        allowed.join(", ")
                    ),
                ));
            } else if self.entries[..i].iter().any(|(k, _, _)| k == key) {
                errors.push(ContentError::new(
                    path,
                    *line,
                    format!("front matter key `{key}` is given twice"),
                ));
            } else if value.is_empty() {
                errors.push(ContentError::new(
                    path,
                    *line,
                    format!("front matter key `{key}` has no value"),
                ));
            }
        }
        for key in required {
            if self.get(key).is_none() {
                errors.push(ContentError::new(
                    path,
                    1,
                    format!("the front matter lacks `{key}`"),
                ));
            }
        }
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, v, _)| v.as_str())
    }

    pub fn line(&self, key: &str) -> usize {
        self.entries
            .iter()
            .find(|(k, _, _)| k == key)
            .map_or(1, |(_, _, l)| *l)
    }

    /// The value, or an empty string when missing (already reported by `check`).
    pub fn text(&self, key: &str) -> String {
        self.get(key).unwrap_or_default().to_string()
    }
}
