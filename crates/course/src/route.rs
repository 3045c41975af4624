//! Where the learner is, as the URL fragment says: `#/module-2/lesson-3`.
//!
//! Fragment routing, not path routing: the part after `#` never reaches the server, so every
//! deep link reloads from the same `index.html` on any static host, under any sub-path and
//! inside an LMS package's folder, with no rewrite rules (leptos_router has no hash mode).

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// The course's front page: the first module's home.
    Home,
    Module(String),
    Step {
        module: String,
        step: String,
    },
    /// A module's playground page, `#/module-2/playground`.
    Playground(String),
    /// A fragment that names nothing we know; shown as "not found" with a way home.
    Unknown(String),
}

impl Route {
    pub fn parse(fragment: &str) -> Route {
        // A query after the route (`?demo=…&run=…`, a demo's shared run) is not part of it.
        let fragment = fragment.split('?').next().unwrap_or_default();
        let path = fragment
            .trim_start_matches('#')
            .trim_start_matches('/')
            .trim_end_matches('/');
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        let ok = |s: &str| s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        match parts.as_slice() {
            [] => Route::Home,
            [m] if ok(m) => Route::Module(m.to_string()),
            [m, s] if ok(m) && *s == crate::manifest::PLAYGROUND => {
                Route::Playground(m.to_string())
            }
            [m, s] if ok(m) && ok(s) => Route::Step {
                module: m.to_string(),
                step: s.to_string(),
            },
            _ => Route::Unknown(path.to_string()),
        }
    }

    pub fn to_fragment(&self) -> String {
        match self {
            Route::Home => "#/".into(),
            Route::Module(m) => format!("#/{m}"),
            Route::Step { module, step } => format!("#/{module}/{step}"),
            Route::Playground(m) => format!("#/{m}/{}", crate::manifest::PLAYGROUND),
            Route::Unknown(p) => format!("#/{p}"),
        }
    }

    pub fn step(module: &str, step: &str) -> Route {
        Route::Step {
            module: module.into(),
            step: step.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for r in [
            Route::Home,
            Route::Module("module-2".into()),
            Route::step("module-2", "lesson-3"),
            Route::Playground("module-2".into()),
        ] {
            assert_eq!(Route::parse(&r.to_fragment()), r);
        }
    }

    #[test]
    fn tolerates_missing_slashes_and_rejects_junk() {
        assert_eq!(Route::parse(""), Route::Home);
        assert_eq!(Route::parse("#"), Route::Home);
        assert_eq!(
            Route::parse("#module-2/quiz-1/"),
            Route::step("module-2", "quiz-1")
        );
        assert!(matches!(Route::parse("#/a/b/c"), Route::Unknown(_)));
        assert!(matches!(Route::parse("#/<script>"), Route::Unknown(_)));
        assert_eq!(
            Route::parse("#/module-2/lesson-3?demo=depth&run=%7B%7D"),
            Route::step("module-2", "lesson-3")
        );
        assert_eq!(
            Route::parse("#/module-2/playground?demo=playground&data=xor"),
            Route::Playground("module-2".into())
        );
    }
}
