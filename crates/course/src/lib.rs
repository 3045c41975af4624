//! AESOP's course content: the model, the loader and its validation. The same code parses
//! `content/` in the browser and in `cargo test`, so a host sees the same `path:line: message`
//! in both places. No UI here.

mod blocks;
pub mod course;
pub mod demo;
pub mod dialogue;
pub mod error;
mod front_matter;
pub mod lab;
pub mod lesson;
pub mod manifest;
pub mod markdown;
pub mod quiz;
pub mod route;

pub use course::{Course, Module, Step, StepContent};
pub use error::{ContentError, Errors};
pub use manifest::{Manifest, StepKind, MANIFEST_PATH};
pub use route::Route;

/// Loads a course from a folder on disk (the native counterpart of the browser's fetches).
pub fn load_dir(dir: &std::path::Path) -> Result<Course, Errors> {
    let manifest_text = std::fs::read_to_string(dir.join(MANIFEST_PATH)).map_err(|e| {
        vec![ContentError::new(
            MANIFEST_PATH,
            0,
            format!("could not be read: {e}"),
        )]
    })?;
    let manifest = Manifest::parse(&manifest_text)?;
    let course = Course::assemble(&manifest, |path| {
        std::fs::read_to_string(dir.join(path)).map_err(|e| e.to_string())
    });
    // Demo files are fetched by the browser only when a lesson shows them; natively every
    // one a lesson names is checked now, so a broken preset fails `cargo test`.
    let mut errors = Vec::new();
    for (module, step) in course
        .modules
        .iter()
        .flat_map(|m| m.steps.iter().map(move |s| (m, s)))
    {
        let playground = (step.id == module.steps[0].id)
            .then_some(module.playground.as_deref())
            .flatten();
        if let Some(name) = playground {
            let path = demo::path(&module.folder, name);
            let result = std::fs::read_to_string(dir.join(&path))
                .map_err(|e| ContentError::new(&path, 0, format!("could not be read: {e}")));
            if let Err(e) = result.and_then(|text| demo::parse(&path, &text)) {
                errors.push(e);
            }
        }
        if let Some(Ok(StepContent::Lesson(lesson))) = &step.content {
            for name in lesson.demos() {
                let path = demo::path(&module.folder, name);
                let result = std::fs::read_to_string(dir.join(&path))
                    .map_err(|e| ContentError::new(&path, 0, format!("could not be read: {e}")));
                if let Err(e) = result.and_then(|text| demo::parse(&path, &text)) {
                    errors.push(e);
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(course)
    } else {
        Err(errors)
    }
}
