//! `course.json`: the course's modules and each module's steps, in order.
//! The format is documented for hosts in content/README.md.

use crate::error::{ContentError, Errors};
use serde::Deserialize;

pub const MANIFEST_PATH: &str = "course.json";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub title: String,
    pub modules: Vec<ModuleEntry>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModuleEntry {
    pub id: String,
    pub folder: String,
    pub number: u32,
    pub title: String,
    #[serde(default)]
    pub summary: String,
    pub steps: Vec<StepEntry>,
    /// The demo file (in the module's `demos/`) that the module's playground page shows, at
    /// `#/<module>/playground`, linked from the module's home.
    #[serde(default)]
    pub playground: Option<String>,
}

/// The step id the playground's page takes: no step may use it.
pub const PLAYGROUND: &str = "playground";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepEntry {
    pub id: String,
    pub kind: StepKind,
    pub file: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StepKind {
    Lesson,
    Quiz,
    Lab,
    Test,
}

impl StepKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Lesson => "lesson",
            StepKind::Quiz => "quiz",
            StepKind::Lab => "lab",
            StepKind::Test => "test",
        }
    }
}

fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// A file or folder name a static host can serve and that cannot climb out of content/.
fn is_relative_path(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('/')
        && s.split('/')
            .all(|part| !part.is_empty() && part != ".." && part != ".")
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
}

impl ModuleEntry {
    /// The path of a step's file relative to content/.
    pub fn path_of(&self, step: &StepEntry) -> String {
        format!("{}/{}", self.folder, step.file)
    }
}

impl Manifest {
    pub fn parse(text: &str) -> Result<Manifest, Errors> {
        let manifest: Manifest = serde_json::from_str(text).map_err(|e| {
            vec![ContentError::new(
                MANIFEST_PATH,
                e.line(),
                format!("{e}")
                    .split(" at line")
                    .next()
                    .unwrap_or_default()
                    .to_string(),
            )]
        })?;
        let errors = manifest.check(text);
        if errors.is_empty() {
            Ok(manifest)
        } else {
            Err(errors)
        }
    }

    /// Every file the manifest names, relative to content/, in course order.
    pub fn files(&self) -> Vec<String> {
        self.modules
            .iter()
            .flat_map(|m| m.steps.iter().map(move |s| m.path_of(s)))
            .collect()
    }

    fn check(&self, text: &str) -> Errors {
        // serde_json keeps no positions after parsing, so a problem is located by finding
        // the offending value's text in the file: good enough to send a host to the right line.
        let line_of = |needle: &str| {
            text.find(&format!("\"{needle}\""))
                .map_or(0, |at| crate::error::line_of(text, at))
        };
        let err =
            |needle: &str, msg: String| ContentError::new(MANIFEST_PATH, line_of(needle), msg);
        let mut errors = Vec::new();
        if self.modules.is_empty() {
            errors.push(ContentError::new(
                MANIFEST_PATH,
                line_of("modules"),
                "the course lists no modules",
            ));
        }
        for (i, m) in self.modules.iter().enumerate() {
            if !is_id(&m.id) {
                errors.push(err(
                    &m.id,
                    format!(
                        "module id `{}` must use only lowercase letters, digits and `-`",
                        m.id
                    ),
                ));
            }
            if self.modules[..i].iter().any(|o| o.id == m.id) {
                errors.push(err(&m.id, format!("module id `{}` is used twice", m.id)));
            }
            if !is_relative_path(&m.folder) {
                errors.push(err(
                    &m.folder,
                    format!(
                        "module folder `{}` must be a relative path inside content/",
                        m.folder
                    ),
                ));
            }
            if m.steps.is_empty() {
                errors.push(err(&m.id, format!("module `{}` has no steps", m.id)));
            }
            if let Some(p) = m.playground.as_deref().filter(|p| !is_id(p)) {
                errors.push(err(
                    p,
                    format!(
                        "playground `{p}` must be a demo name: lowercase letters, digits and `-`"
                    ),
                ));
            }
            let mut seen_lesson = false;
            for (j, s) in m.steps.iter().enumerate() {
                if !is_id(&s.id) {
                    errors.push(err(
                        &s.id,
                        format!(
                            "step id `{}` must use only lowercase letters, digits and `-`",
                            s.id
                        ),
                    ));
                }
                if s.id == PLAYGROUND {
                    errors.push(err(
                        &s.id,
                        format!("step id `{PLAYGROUND}` is taken by the module's playground page"),
                    ));
                }
                if m.steps[..j].iter().any(|o| o.id == s.id) {
                    errors.push(err(
                        &s.id,
                        format!("step id `{}` is used twice in module `{}`", s.id, m.id),
                    ));
                }
                if !is_relative_path(&s.file) || !s.file.ends_with(".md") {
                    errors.push(err(
                        &s.file,
                        format!(
                            "step file `{}` must be a relative path to a `.md` file",
                            s.file
                        ),
                    ));
                }
                match s.kind {
                    StepKind::Lesson => seen_lesson = true,
                    StepKind::Quiz | StepKind::Lab if !seen_lesson => errors.push(err(
                        &s.id,
                        format!(
                            "step `{}` is a {} but no lesson comes before it in module `{}`",
                            s.id,
                            s.kind.as_str(),
                            m.id
                        ),
                    )),
                    _ => {}
                }
            }
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{"title":"T","modules":[{"id":"m","folder":"m","number":1,"title":"M",
        "steps":[{"id":"lesson-1","kind":"lesson","file":"l.md"},{"id":"quiz-1","kind":"quiz","file":"q.md"}]}]}"#;

    #[test]
    fn parses_and_lists_files() {
        let m = Manifest::parse(GOOD).unwrap();
        assert_eq!(m.files(), vec!["m/l.md", "m/q.md"]);
    }

    #[test]
    fn syntax_errors_carry_the_line() {
        let errs = Manifest::parse("{\n\"title\": \"T\",\n\"modules\": [,]\n}").unwrap_err();
        assert_eq!(errs[0].line, 3);
        assert!(
            errs[0].to_string().starts_with("course.json:3: "),
            "{}",
            errs[0]
        );
    }

    #[test]
    fn unknown_kinds_and_fields_are_refused() {
        let errs = Manifest::parse(&GOOD.replace("\"quiz\"", "\"quizz\"")).unwrap_err();
        assert!(
            errs[0].message.contains("unknown variant `quizz`"),
            "{}",
            errs[0]
        );
        let errs = Manifest::parse(&GOOD.replace("\"number\"", "\"numbr\"")).unwrap_err();
        assert!(
            errs[0].message.contains("unknown field `numbr`"),
            "{}",
            errs[0]
        );
    }

    #[test]
    fn structural_problems_are_all_reported() {
        let bad = GOOD
            .replace("\"quiz-1\"", "\"lesson-1\"")
            .replace("\"l.md\"", "\"../l.md\"");
        let errs = Manifest::parse(&bad).unwrap_err();
        let text: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        assert!(
            text.iter()
                .any(|e| e.contains("step id `lesson-1` is used twice")),
            "{text:?}"
        );
        assert!(
            text.iter()
                .any(|e| e.contains("`../l.md` must be a relative path")),
            "{text:?}"
        );
    }

    #[test]
    fn a_quiz_needs_a_lesson_before_it() {
        let bad = GOOD.replace("\"kind\":\"lesson\"", "\"kind\":\"lab\"");
        let errs = Manifest::parse(&bad).unwrap_err();
        assert!(
            errs[0].message.contains("no lesson comes before it"),
            "{}",
            errs[0]
        );
    }

    #[test]
    fn a_playground_is_named_by_its_demo_and_its_page_name_is_reserved() {
        let with = GOOD.replace(
            "\"title\":\"M\",",
            "\"title\":\"M\",\"playground\":\"play-1\",",
        );
        assert_eq!(
            Manifest::parse(&with).unwrap().modules[0]
                .playground
                .as_deref(),
            Some("play-1")
        );
        let bad = GOOD.replace(
            "\"title\":\"M\",",
            "\"title\":\"M\",\"playground\":\"../x\",",
        );
        assert!(Manifest::parse(&bad).unwrap_err()[0]
            .message
            .contains("must be a demo name"));
        let taken = GOOD.replace("\"quiz-1\"", "\"playground\"");
        assert!(Manifest::parse(&taken).unwrap_err()[0]
            .message
            .contains("taken by the module's playground"));
    }
}
