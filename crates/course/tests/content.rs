//! The loader over the real `content/` folder: what ships must validate, and must hold
//! the whole module (four lessons with their scenarios and term cards, five-question
//! quizzes with four options, a fifteen-question test at 80%, four complete labs).

use aesop_course::{lesson::LessonBlock, load_dir, Course, Manifest, StepContent, StepKind};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn course() -> Course {
    let course = load_dir(&root().join("content")).unwrap_or_else(|errors| {
        panic!(
            "{}",
            errors
                .iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    let errors: Vec<String> = course.errors().iter().map(|e| e.to_string()).collect();
    assert!(
        errors.is_empty(),
        "content/ has problems:\n{}",
        errors.join("\n")
    );
    course
}

#[test]
fn every_step_in_the_manifest_exists_and_parses() {
    let course = course();
    let m = course.module("module-2").expect("module 2");
    let labels: Vec<String> = m.steps.iter().map(|s| s.nav_label()).collect();
    assert_eq!(
        labels,
        [
            "L1",
            "Quiz",
            "Lab",
            "L2",
            "Quiz",
            "Lab",
            "L3",
            "Quiz",
            "Lab",
            "L4",
            "Quiz",
            "Lab",
            "Module Test"
        ]
    );
}

#[test]
fn every_lesson_has_its_scenario_terms_and_callouts() {
    let course = course();
    let m = course.module("module-2").unwrap();
    let people = ["Priya", "Marcus", "Kezia", "Jordan"];
    for (i, step) in m.lessons().enumerate() {
        let Some(Ok(StepContent::Lesson(lesson))) = &step.content else {
            panic!("{} is not a lesson", step.path)
        };
        assert_eq!(
            lesson.kicker,
            format!("Module 2 · Lesson {}", i + 1),
            "{}",
            step.path
        );
        assert!(
            lesson
                .blocks
                .iter()
                .any(|b| matches!(b, LessonBlock::Scenario { name, .. } if name == people[i])),
            "{} lacks {}'s scenario",
            step.path,
            people[i]
        );
        assert!(
            lesson.terms().count() >= 3,
            "{} has too few term cards",
            step.path
        );
        for (term, definition) in lesson.terms() {
            assert!(
                !term.is_empty() && definition.as_str().len() > 30,
                "{}: term card `{term}` lacks a definition",
                step.path
            );
        }
        assert!(
            lesson
                .blocks
                .iter()
                .any(|b| matches!(b, LessonBlock::Callout { .. })),
            "{} has no callout",
            step.path
        );
    }
}

#[test]
fn lesson_one_names_the_four_loss_curve_patterns() {
    let course = course();
    let step = &course.module("module-2").unwrap().steps[0];
    let Some(Ok(StepContent::Lesson(lesson))) = &step.content else {
        panic!()
    };
    let patterns = lesson
        .blocks
        .iter()
        .filter(|b| matches!(b, LessonBlock::Pattern { .. }))
        .count();
    assert_eq!(patterns, 4);
}

#[test]
fn quizzes_have_five_questions_of_four_options_and_the_test_fifteen_at_eighty_percent() {
    let course = course();
    for step in &course.module("module-2").unwrap().steps {
        let Some(Ok(StepContent::Quiz(quiz))) = &step.content else {
            continue;
        };
        let expected = if step.kind == StepKind::Test { 15 } else { 5 };
        assert_eq!(quiz.questions.len(), expected, "{}", step.path);
        for q in &quiz.questions {
            assert_eq!(q.options.len(), 4, "{}: question `{}`", step.path, q.id);
            assert!(
                !q.why.is_empty() && !q.hint.is_empty(),
                "{}: question `{}`",
                step.path,
                q.id
            );
            // A learner who picks a wrong option hears why that one is wrong, not only
            // the explanation of the right one.
            for (i, o) in q.options.iter().enumerate() {
                assert_eq!(
                    o.why_not.is_some(),
                    !o.correct,
                    "{}: question `{}`, option {}: every wrong option, and only a wrong one, has `Why not:`",
                    step.path,
                    q.id,
                    i + 1
                );
            }
        }
        if step.kind == StepKind::Test {
            assert_eq!(quiz.pass_percent, Some(80));
        }
        // Authored positions of the right answer vary, so a learner can't learn "always B".
        let positions: std::collections::HashSet<usize> =
            quiz.questions.iter().map(|q| q.correct_index()).collect();
        assert!(
            positions.len() >= 2,
            "{}: the right answer is always option {}",
            step.path,
            quiz.questions[0].correct_index() + 1
        );
    }
}

#[test]
fn every_lab_is_complete() {
    let course = course();
    let labs: Vec<_> = course
        .module("module-2")
        .unwrap()
        .steps
        .iter()
        .filter(|s| s.kind == StepKind::Lab)
        .collect();
    assert_eq!(labs.len(), 4);
    for step in labs {
        let Some(Ok(StepContent::Lab(lab))) = &step.content else {
            panic!("{}", step.path)
        };
        assert!(
            !lab.badge.is_empty() && !lab.persona.is_empty(),
            "{}",
            step.path
        );
        assert!(
            lab.rubric.len() >= 3 && (3..=5).contains(&lab.followups.len()),
            "{}",
            step.path
        );
    }
}

/// A second module is a folder plus a manifest entry: no Rust changes.
#[test]
fn a_second_module_loads_from_a_folder_and_a_manifest_entry() {
    let content = root().join("content");
    let fixture = root().join("tests/fixtures/second-module");
    let mut manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(content.join("course.json")).unwrap())
            .unwrap();
    let entry: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture.join("module.json")).unwrap())
            .unwrap();
    manifest["modules"].as_array_mut().unwrap().push(entry);
    let manifest = Manifest::parse(&manifest.to_string()).unwrap();
    let course = Course::assemble(&manifest, |path| {
        let file = if path.starts_with("module-9/") {
            fixture.join(path)
        } else {
            content.join(path)
        };
        std::fs::read_to_string(file).map_err(|e| e.to_string())
    });
    assert!(course.errors().is_empty(), "{:?}", course.errors());
    let m9 = course.module("module-9").expect("the fixture module");
    assert_eq!(
        m9.steps.iter().map(|s| s.nav_label()).collect::<Vec<_>>(),
        ["L1", "Quiz", "Module Test"]
    );
    assert_eq!(course.modules.len(), 2);
}

#[test]
fn a_missing_step_file_is_reported_by_path() {
    let manifest =
        Manifest::parse(&std::fs::read_to_string(root().join("content/course.json")).unwrap())
            .unwrap();
    let course = Course::assemble(&manifest, |path| {
        if path.ends_with("lab-3.md") {
            Err("not found".into())
        } else {
            Ok(std::fs::read_to_string(root().join("content").join(path)).unwrap())
        }
    });
    let errors: Vec<String> = course.errors().iter().map(|e| e.to_string()).collect();
    assert_eq!(errors, ["module-2/lab-3.md: could not be read: not found"]);
}

/// The browser reads the manifest first and each step's file only when a page needs it.
#[test]
fn the_outline_reads_no_file_until_a_step_is_read() {
    let manifest =
        Manifest::parse(&std::fs::read_to_string(root().join("content/course.json")).unwrap())
            .unwrap();
    let mut course = Course::outline(&manifest);
    let module = &course.modules[0];
    assert!(module.steps.iter().all(|s| s.content.is_none()));
    assert!(!course.fully_read());
    // Unread steps are named plainly, so the navigation has a label before any file.
    let titles: Vec<String> = module.steps.iter().take(3).map(|s| s.title()).collect();
    assert_eq!(titles, ["Lesson 1", "Lesson 1 quiz", "Lesson 1 lab"]);
    assert_eq!(module.steps.last().unwrap().title(), "Module test");

    let lesson = &mut course.modules[0].steps[0];
    let text = std::fs::read_to_string(root().join("content").join(&lesson.path)).unwrap();
    lesson.read(Ok(text));
    assert_eq!(
        course.modules[0].steps[0].title(),
        "Loss: The Number That Tells the Network It's Wrong"
    );
    assert!(course.errors().is_empty());

    course.modules[0].steps[1].read(Err("the server answered 404 Not Found".into()));
    let errors: Vec<String> = course.errors().iter().map(|e| e.to_string()).collect();
    assert_eq!(
        errors,
        ["module-2/quiz-1.md: could not be read: the server answered 404 Not Found"]
    );
    assert_eq!(course.modules[0].steps[1].title(), "Lesson 1 quiz");

    for step in course.modules[0].steps.iter_mut().skip(2) {
        let text = std::fs::read_to_string(root().join("content").join(&step.path));
        step.read(text.map_err(|e| e.to_string()));
    }
    assert!(course.fully_read());
}
