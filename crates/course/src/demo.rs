//! Demo files: `<module folder>/demos/<name>.json`, each an `aesop_train` demo preset. The
//! browser fetches one when a lesson shows it; both sides validate it here.

use crate::error::ContentError;
pub use aesop_train::demo::{CompareMetric, Demo, DemoView, Preset};

pub fn path(module_folder: &str, name: &str) -> String {
    format!("{module_folder}/demos/{name}.json")
}

pub fn parse(path: &str, text: &str) -> Result<Demo, ContentError> {
    Demo::parse(text).map_err(|(line, message)| ContentError::new(path, line.unwrap_or(0), message))
}

#[cfg(test)]
mod tests {
    #[test]
    fn errors_carry_the_file_and_line() {
        let e = super::parse(
            "module-2/demos/x.json",
            "{\n  \"view\": \"curves\",\n  \"title\": 1\n}",
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("module-2/demos/x.json:3:"), "{e}");
    }
}
