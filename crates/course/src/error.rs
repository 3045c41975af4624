use std::fmt;

/// One problem in one content file, located so a course host can go straight to it.
/// Displayed as `path:line: message`, the same in `cargo test` and on the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentError {
    pub path: String,
    /// 1-based; 0 when the problem concerns the file as a whole (e.g. it is missing).
    pub line: usize,
    pub message: String,
}

impl ContentError {
    pub fn new(path: &str, line: usize, message: impl Into<String>) -> Self {
        Self {
            path: path.to_string(),
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for ContentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.path, self.message)
        } else {
            write!(f, "{}:{}: {}", self.path, self.line, self.message)
        }
    }
}

impl std::error::Error for ContentError {}

/// Errors are gathered rather than stopping at the first, so a host fixes a file in one pass.
pub type Errors = Vec<ContentError>;

/// 1-based line number of a byte offset in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}
