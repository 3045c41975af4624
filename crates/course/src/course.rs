//! The whole course, assembled from the manifest and each step's file. A step whose file
//! is broken keeps its errors instead of its content, so one bad file shows its own error
//! page while the rest of the course still works. The browser starts from the outline (the
//! manifest alone) and reads each step's file when a page needs it, so a first visit
//! fetches one file, not the whole course.

use crate::error::{ContentError, Errors};
use crate::manifest::{Manifest, StepKind};
use crate::{lab, lesson, quiz};

#[derive(Debug, Clone, PartialEq)]
pub struct Course {
    pub title: String,
    pub modules: Vec<Module>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Module {
    pub id: String,
    pub number: u32,
    pub title: String,
    pub summary: String,
    /// Folder under content/ holding the module's files (and its `demos/`).
    pub folder: String,
    pub steps: Vec<Step>,
    /// The demo the module's playground page shows, if it has one.
    pub playground: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub id: String,
    pub kind: StepKind,
    /// Path relative to content/, as errors name it.
    pub path: String,
    /// The lesson this step belongs to (1-based); 0 for the module test.
    pub lesson: usize,
    /// `None` until the step's file has been read.
    pub content: Option<Result<StepContent, Errors>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StepContent {
    Lesson(lesson::Lesson),
    Quiz(quiz::Quiz),
    Lab(lab::Lab),
}

/// Parses one step file by kind.
pub fn parse_step(kind: StepKind, path: &str, text: &str) -> Result<StepContent, Errors> {
    match kind {
        StepKind::Lesson => lesson::parse(path, text).map(StepContent::Lesson),
        StepKind::Quiz => quiz::parse(path, text, false).map(StepContent::Quiz),
        StepKind::Test => quiz::parse(path, text, true).map(StepContent::Quiz),
        StepKind::Lab => lab::parse(path, text).map(StepContent::Lab),
    }
}

impl Course {
    /// The course as the manifest lays it out, no step's file read yet.
    pub fn outline(manifest: &Manifest) -> Course {
        let modules = manifest
            .modules
            .iter()
            .map(|m| {
                let mut lesson = 0;
                let steps = m
                    .steps
                    .iter()
                    .map(|s| {
                        if s.kind == StepKind::Lesson {
                            lesson += 1;
                        }
                        Step {
                            id: s.id.clone(),
                            kind: s.kind,
                            lesson: if s.kind == StepKind::Test { 0 } else { lesson },
                            path: m.path_of(s),
                            content: None,
                        }
                    })
                    .collect();
                Module {
                    id: m.id.clone(),
                    number: m.number,
                    title: m.title.clone(),
                    summary: m.summary.clone(),
                    folder: m.folder.clone(),
                    steps,
                    playground: m.playground.clone(),
                }
            })
            .collect();
        Course {
            title: manifest.title.clone(),
            modules,
        }
    }

    /// Builds the course with every step read; `read` returns a file's text by its path
    /// relative to content/, or why it could not be read. Tests read from disk.
    pub fn assemble(
        manifest: &Manifest,
        mut read: impl FnMut(&str) -> Result<String, String>,
    ) -> Course {
        let mut course = Course::outline(manifest);
        for step in course.modules.iter_mut().flat_map(|m| &mut m.steps) {
            let text = read(&step.path);
            step.read(text);
        }
        course
    }

    /// Every problem in every file read so far, in course order.
    pub fn errors(&self) -> Vec<&ContentError> {
        self.modules
            .iter()
            .flat_map(|m| &m.steps)
            .filter_map(|s| s.content.as_ref()?.as_ref().err())
            .flatten()
            .collect()
    }

    /// Whether every step's file has been read.
    pub fn fully_read(&self) -> bool {
        self.modules
            .iter()
            .flat_map(|m| &m.steps)
            .all(|s| s.content.is_some())
    }

    pub fn module(&self, id: &str) -> Option<&Module> {
        self.modules.iter().find(|m| m.id == id)
    }
}

impl Module {
    pub fn step_index(&self, id: &str) -> Option<usize> {
        self.steps.iter().position(|s| s.id == id)
    }

    pub fn lessons(&self) -> impl Iterator<Item = &Step> {
        self.steps.iter().filter(|s| s.kind == StepKind::Lesson)
    }
}

impl Step {
    /// Parses the step's file (or records why it could not be read).
    pub fn read(&mut self, text: Result<String, String>) {
        self.content = Some(self.parse(text));
    }

    /// What `read` would record, leaving the step as it is.
    pub fn parse(&self, text: Result<String, String>) -> Result<StepContent, Errors> {
        let path = &self.path;
        text.map_err(|why| {
            vec![ContentError::new(
                path,
                0,
                format!("could not be read: {why}"),
            )]
        })
        .and_then(|text| parse_step(self.kind, path, &text))
    }

    /// The label in the course navigation: `L1 · Quiz · Lab … Module Test`.
    pub fn nav_label(&self) -> String {
        match self.kind {
            StepKind::Lesson => format!("L{}", self.lesson),
            StepKind::Quiz => "Quiz".into(),
            StepKind::Lab => "Lab".into(),
            StepKind::Test => "Module Test".into(),
        }
    }

    /// The title from the step's file, or a plain description while the file is unread
    /// or when it is broken.
    pub fn title(&self) -> String {
        match &self.content {
            Some(Ok(StepContent::Lesson(l))) => l.title.clone(),
            Some(Ok(StepContent::Quiz(q))) => q.title.clone(),
            Some(Ok(StepContent::Lab(l))) => l.title.clone(),
            _ => match self.kind {
                StepKind::Lesson => format!("Lesson {}", self.lesson),
                StepKind::Test => "Module test".into(),
                kind => format!("Lesson {} {}", self.lesson, kind.as_str()),
            },
        }
    }
}
