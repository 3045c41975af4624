//! Points from a CSV file or a paste: `x,y,label` (two classes) or `x,y,target` (regression).
//!
//! - A header line is optional: a first line whose first field is not a number. Its third
//!   name says the kind: `label` or `class` for classes, `target` or `value` for regression;
//!   without one, the playground's current problem type decides.
//! - Fields are separated by commas (or, in a file without commas, by semicolons or tabs).
//!   Blank lines and lines starting with `#` are skipped.
//! - Classes may be numbers or words; there must be exactly two. Numbers are ordered (the
//!   smaller is class 0), words taken in the order they first appear.
//! - At most 5,000 rows, at least 8.
//! - Values are moved and scaled onto the plane: the points' box is centred and its longer
//!   side made to span [-5, 5] (the same factor for x and y, so shapes keep their form), and
//!   targets are mapped onto [-1, 1]. A file this playground wrote (its first line is
//!   `EXPORT_MARK`) is already on the plane and is kept as it is.
//!
//! Any problem stops the reading with the line and what is wrong; the caller keeps the points
//! it had.

use super::{snap, SPREAD};
use crate::spec::{Problem, MAX_OWN_POINTS, PLANE};

/// The first line of a file `to_csv` writes: its values are plane coordinates already.
pub const EXPORT_MARK: &str = "# aesop playground points";
/// Files are refused above this size before any parsing (5,000 rows need far less).
pub const MAX_BYTES: usize = 1 << 20;

#[derive(Debug, Clone, PartialEq)]
pub struct CsvError {
    /// 1-based; 0 when the problem is the file as a whole.
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for CsvError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.message)
        } else {
            write!(f, "Line {}: {}", self.line, self.message)
        }
    }
}

/// How the file's values were put on the plane: `plane = (value − centre) × factor`.
#[derive(Debug, Clone, PartialEq)]
pub struct Scaling {
    pub center: [f32; 2],
    pub factor: f32,
    /// Regression: the targets' centre and factor.
    pub target: Option<(f32, f32)>,
    /// The words or numbers that became class 0 and class 1.
    pub classes: Option<[String; 2]>,
}

impl Scaling {
    /// One sentence for the page.
    pub fn describe(&self) -> String {
        let f = |v: f32| format!("{}", (v * 1000.0).round() / 1000.0);
        let mut t = if self.factor == 1.0 && self.center == [0.0, 0.0] {
            "Coordinates kept as they are (already on the plane)".to_string()
        } else {
            format!(
                "Rescaled onto the plane: x → (x − {}) × {}, y → (y − {}) × {}",
                f(self.center[0]),
                f(self.factor),
                f(self.center[1]),
                f(self.factor)
            )
        };
        if let Some((c, k)) = self.target {
            if !(c == 0.0 && k == 1.0) {
                t.push_str(&format!("; target → (target − {}) × {}", f(c), f(k)));
            }
        }
        if let Some([a, b]) = &self.classes {
            t.push_str(&format!("; class 0 is \"{a}\", class 1 is \"{b}\""));
        }
        t.push('.');
        t
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// On the plane and on the 0.01 grid, in the file's order.
    pub points: Vec<[f32; 3]>,
    pub problem: Problem,
    pub scaling: Scaling,
}

fn err(line: usize, message: impl Into<String>) -> CsvError {
    CsvError {
        line,
        message: message.into(),
    }
}

pub fn parse(text: &str, default: Problem) -> Result<Parsed, CsvError> {
    if text.len() > MAX_BYTES {
        return Err(err(
            0,
            format!(
                "The file is {} KB; the playground reads files up to {} KB.",
                text.len() / 1024,
                MAX_BYTES / 1024
            ),
        ));
    }
    let text = text.trim_start_matches('\u{feff}');
    let kept = text.lines().next().is_some_and(|l| l.trim() == EXPORT_MARK);
    let rows: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let Some(&(_, first)) = rows.first() else {
        return Err(err(0, "The file holds no rows of data."));
    };
    let sep = if first.contains(',') {
        ','
    } else if first.contains(';') {
        ';'
    } else {
        '\t'
    };
    fn fields(l: &str, sep: char) -> Vec<&str> {
        l.split(sep).map(str::trim).collect()
    }
    let number = |s: &str| s.parse::<f32>().ok().filter(|v| v.is_finite());
    let mut problem = default;
    let mut body = &rows[..];
    let head = fields(first, sep);
    if number(head[0]).is_none() {
        if head.len() != 3 {
            return Err(err(rows[0].0, format!("the header names {} columns; the playground reads 3 (x, y, and a label or a target)", head.len())));
        }
        match head[2].to_ascii_lowercase().as_str() {
            "label" | "class" => problem = Problem::Classification,
            "target" | "value" => problem = Problem::Regression,
            _ => {}
        }
        body = &rows[1..];
    }
    if body.len() > MAX_OWN_POINTS {
        return Err(err(
            body[MAX_OWN_POINTS].0,
            format!(
                "more than {MAX_OWN_POINTS} rows; the playground takes at most {MAX_OWN_POINTS}"
            ),
        ));
    }
    if body.len() < 8 {
        return Err(err(
            0,
            format!(
                "The file has {} rows of data; the playground needs at least 8.",
                body.len()
            ),
        ));
    }
    let column = ["x", "y", "label"];
    let mut raw: Vec<[f32; 3]> = Vec::with_capacity(body.len());
    let mut labels: Vec<(String, usize)> = Vec::new();
    for &(line, text) in body {
        let f = fields(text, sep);
        if f.len() != 3 {
            return Err(err(
                line,
                format!(
                    "expected 3 values (x, y, {}), found {}",
                    if problem == Problem::Regression {
                        "target"
                    } else {
                        "label"
                    },
                    f.len()
                ),
            ));
        }
        let mut p = [0.0f32; 3];
        for c in 0..2 {
            p[c] = number(f[c]).ok_or_else(|| {
                err(
                    line,
                    format!(
                        "\"{}\" in column {} ({}) is not a number",
                        clip(f[c]),
                        c + 1,
                        column[c]
                    ),
                )
            })?;
        }
        if problem == Problem::Regression {
            p[2] = number(f[2]).ok_or_else(|| {
                err(
                    line,
                    format!("\"{}\" in column 3 (target) is not a number", clip(f[2])),
                )
            })?;
        } else {
            let label = f[2].to_string();
            if label.is_empty() {
                return Err(err(line, "the label in column 3 is empty"));
            }
            if !labels.iter().any(|(l, _)| *l == label) {
                if labels.len() == 2 {
                    return Err(err(line, format!("a third class, \"{}\": the playground separates two classes (here \"{}\" and \"{}\")", clip(&label), clip(&labels[0].0), clip(&labels[1].0))));
                }
                labels.push((label.clone(), line));
            }
            p[2] = labels.iter().position(|(l, _)| *l == label).unwrap_or(0) as f32;
        }
        if kept && (p[0].abs() > PLANE || p[1].abs() > PLANE) {
            return Err(err(
                line,
                format!("this point lies off the plane [-{PLANE}, {PLANE}]"),
            ));
        }
        raw.push(p);
    }
    let mut classes = None;
    if problem == Problem::Classification {
        if labels.len() < 2 {
            return Err(err(
                0,
                format!(
                    "Every row has the class \"{}\": a classifier needs two classes.",
                    clip(&labels[0].0)
                ),
            ));
        }
        // Numbers in their order (0 before 1, -1 before 1); words as they came.
        let numeric: Option<Vec<f32>> = labels.iter().map(|(l, _)| number(l)).collect();
        if let Some(v) = numeric {
            if v[1] < v[0] {
                labels.swap(0, 1);
                raw.iter_mut().for_each(|p| p[2] = 1.0 - p[2]);
            }
        }
        classes = Some([labels[0].0.clone(), labels[1].0.clone()]);
    }
    let (center, factor) = if kept {
        ([0.0, 0.0], 1.0)
    } else {
        let range = |c: usize| {
            raw.iter().fold((f32::MAX, f32::MIN), |(lo, hi), p| {
                (lo.min(p[c]), hi.max(p[c]))
            })
        };
        let (x, y) = (range(0), range(1));
        let half = ((x.1 - x.0).max(y.1 - y.0) / 2.0).max(f32::MIN_POSITIVE);
        let factor = if half > 0.0 && half.is_finite() {
            SPREAD / half
        } else {
            1.0
        };
        ([(x.0 + x.1) / 2.0, (y.0 + y.1) / 2.0], factor)
    };
    let target = (problem == Problem::Regression).then(|| {
        if kept {
            return (0.0, 1.0);
        }
        let (lo, hi) = raw.iter().fold((f32::MAX, f32::MIN), |(lo, hi), p| {
            (lo.min(p[2]), hi.max(p[2]))
        });
        let half = (hi - lo) / 2.0;
        ((lo + hi) / 2.0, if half > 0.0 { 1.0 / half } else { 1.0 })
    });
    let points = raw
        .into_iter()
        .map(|p| {
            let t = match target {
                Some((c, k)) => snap((p[2] - c) * k),
                None => p[2],
            };
            [
                snap((p[0] - center[0]) * factor).clamp(-PLANE, PLANE),
                snap((p[1] - center[1]) * factor).clamp(-PLANE, PLANE),
                t,
            ]
        })
        .collect();
    Ok(Parsed {
        points,
        problem,
        scaling: Scaling {
            center,
            factor,
            target,
            classes,
        },
    })
}

/// The points as a file `parse` reads back unchanged (marked as plane coordinates).
pub fn to_csv(points: &[[f32; 3]], problem: Problem) -> String {
    let mut out = format!(
        "{EXPORT_MARK}\nx,y,{}\n",
        if problem == Problem::Regression {
            "target"
        } else {
            "label"
        }
    );
    for p in points {
        out.push_str(&format!("{},{},{}\n", p[0], p[1], p[2]));
    }
    out
}

/// A value quoted in a message, cut short.
fn clip(v: &str) -> String {
    let cut: String = v.chars().take(20).collect();
    if cut.len() < v.len() {
        format!("{cut}…")
    } else {
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RING: &str =
        "x,y,label\n0,0,0\n1,0,0\n0,1,0\n1,1,0\n10,10,1\n11,10,1\n10,11,1\n11,11,1\n";

    #[test]
    fn a_header_names_the_kind_and_values_land_on_the_plane() {
        let p = parse(RING, Problem::Regression).unwrap();
        assert_eq!(p.problem, Problem::Classification);
        assert_eq!(p.points.len(), 8);
        // The box [0, 11]² is centred on 5.5 and scaled by 5 / 5.5.
        assert_eq!(p.points[0], [-5.0, -5.0, 0.0]);
        assert_eq!(p.points[7], [5.0, 5.0, 1.0]);
        assert_eq!(p.scaling.center, [5.5, 5.5]);
        assert!(p.scaling.describe().contains("x → (x − 5.5) × 0.909"));
        // Without a header the caller's problem type decides; targets go onto [-1, 1].
        let t = "1;2;10\n2;2;20\n3;2;30\n4;2;40\n5;2;50\n6;2;60\n7;2;70\n8;3;80\n";
        let p = parse(t, Problem::Regression).unwrap();
        assert_eq!((p.points[0][2], p.points[7][2]), (-1.0, 1.0));
        assert_eq!(p.scaling.target, Some((45.0, 1.0 / 35.0)));
    }

    #[test]
    fn word_labels_and_reversed_numbers_become_classes_0_and_1() {
        let words = RING.replace(",0\n", ",cat\n").replace(",1\n", ",dog\n");
        let p = parse(&words, Problem::Classification).unwrap();
        assert_eq!(
            p.scaling.classes,
            Some(["cat".to_string(), "dog".to_string()])
        );
        assert_eq!(p.points[0][2], 0.0);
        let reversed = RING.replace(",0\n", ",7\n").replace(",1\n", ",-1\n");
        let p = parse(&reversed, Problem::Classification).unwrap();
        assert_eq!((p.points[0][2], p.points[7][2]), (1.0, 0.0));
    }

    #[test]
    fn each_bad_line_is_named_with_its_problem() {
        let e = parse(&RING.replace("1,1,0", "1,one,0"), Problem::Classification).unwrap_err();
        assert_eq!(e.line, 5);
        assert!(
            e.to_string()
                .starts_with("Line 5: \"one\" in column 2 (y) is not a number"),
            "{e}"
        );
        let e = parse(&RING.replace("11,11,1", "11,11,2"), Problem::Classification).unwrap_err();
        assert_eq!(e.line, 9);
        assert!(e.message.contains("a third class, \"2\""), "{e}");
        let e = parse(&RING.replace("0,1,0", "0,1"), Problem::Classification).unwrap_err();
        assert_eq!((e.line, e.message.contains("found 2")), (4, true));
        let e = parse(&RING.replace("1,0,0", "1,inf,0"), Problem::Classification).unwrap_err();
        assert_eq!(e.line, 3);
        let many: String = (0..5001)
            .map(|i| format!("{i},{},{}\n", i % 7, i % 2))
            .collect();
        let e = parse(&format!("x,y,label\n{many}"), Problem::Classification).unwrap_err();
        assert_eq!(e.line, 5002);
        assert!(e.message.contains("more than 5000 rows"));
        assert!(parse("x,y,label\n1,2,0\n", Problem::Classification)
            .unwrap_err()
            .message
            .contains("at least 8"));
        assert!(
            parse(&RING.replace(",1\n", ",0\n"), Problem::Classification)
                .unwrap_err()
                .message
                .contains("two classes")
        );
        assert!(parse(&"0,0,0\n".repeat(300_000), Problem::Classification)
            .unwrap_err()
            .message
            .contains("KB"));
    }

    #[test]
    fn an_exported_file_reads_back_unchanged() {
        let p = parse(RING, Problem::Classification).unwrap();
        let again = parse(&to_csv(&p.points, p.problem), Problem::Regression).unwrap();
        assert_eq!(again.points, p.points);
        assert_eq!(again.problem, Problem::Classification);
        assert!(again.scaling.describe().starts_with("Coordinates kept"));
        let off = to_csv(&[[7.0, 0.0, 0.0]; 8], Problem::Classification);
        assert_eq!(parse(&off, Problem::Classification).unwrap_err().line, 3);
    }
}
