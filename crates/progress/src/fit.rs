//! Stored progress checked against the course as it is now. An answer is stored as the index
//! of the option chosen; when a host removes an option, or a file is edited by hand, an index
//! can point past a question's options. Such an answer is left out (the app says so), never
//! used to pick an option.

use crate::schema::Progress;

impl Progress {
    /// Leaves out the answers stored under `key` whose option index does not fit the
    /// question: `questions` gives each question's id and number of options. Returns the ids
    /// of the questions whose answer was left out. Answers to questions no longer in the quiz
    /// are kept: they point at nothing, and a host may bring the question back.
    pub fn fit_answers<'a>(
        &mut self,
        key: &str,
        questions: impl IntoIterator<Item = (&'a str, usize)>,
    ) -> Vec<String> {
        let Some(attempt) = self.steps.get_mut(key).and_then(|s| s.attempt.as_mut()) else {
            return vec![];
        };
        let mut left_out = Vec::new();
        for (id, options) in questions {
            if attempt
                .answers
                .get(id)
                .is_some_and(|&chosen| chosen >= options)
            {
                attempt.answers.remove(id);
                attempt.checked.retain(|c| c != id);
                left_out.push(id.to_string());
            }
        }
        left_out
    }
}

#[cfg(test)]
mod tests {
    use crate::schema::{import, QuizAttempt};

    /// A hostile import: the file reads, and the answer that no longer fits is left out
    /// once the quiz is known, with the rest of the attempt and of progress kept.
    #[test]
    fn an_answer_past_the_options_is_left_out() {
        let mut p = import(
            r#"{"version":3,"progress":{"steps":{
                "module-2/lesson-1":{"done":true},
                "module-2/quiz-1":{"attempt":{"number":1,"answers":{"fraud-accuracy":9,"mse":1},"checked":["fraud-accuracy","mse"]}}}}}"#,
        )
        .unwrap()
        .progress;
        let quiz = [("fraud-accuracy", 4), ("mse", 4), ("gone", 3)];
        assert_eq!(
            p.fit_answers("module-2/quiz-1", quiz),
            vec!["fraud-accuracy"]
        );
        let attempt: &QuizAttempt = p.step("module-2/quiz-1").unwrap().attempt.as_ref().unwrap();
        assert_eq!(attempt.answers.len(), 1);
        assert_eq!(attempt.answers["mse"], 1);
        assert_eq!(attempt.checked, vec!["mse".to_string()]);
        assert!(p.step("module-2/lesson-1").unwrap().done);
        // Fitting again finds nothing; a step with no attempt is left alone.
        assert!(p.fit_answers("module-2/quiz-1", quiz).is_empty());
        assert!(p.fit_answers("module-2/lesson-1", quiz).is_empty());
        assert!(p.fit_answers("module-2/quiz-9", quiz).is_empty());
        assert!(p.step("module-2/quiz-9").is_none());
    }

    /// A host removed the last option of a question that a learner had answered with it.
    #[test]
    fn a_removed_option_leaves_its_answer_out() {
        let mut p = crate::schema::Progress::default();
        p.step_mut("m/test").attempt = Some(QuizAttempt {
            number: 1,
            answers: [("q1".to_string(), 3), ("q2".to_string(), 0)].into(),
            ..Default::default()
        });
        assert_eq!(p.fit_answers("m/test", [("q1", 3), ("q2", 3)]), vec!["q1"]);
        assert_eq!(
            p.fit_answers("m/test", [("q1", 3), ("q2", 3)]),
            Vec::<String>::new()
        );
    }
}
