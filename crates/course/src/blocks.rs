//! Splits a file's body into plain Markdown and `:::name argument` … `:::` blocks.
//!
//! Grammar (documented for hosts in content/README.md):
//! - a block opens with a line starting `:::` followed by a name of lowercase letters and `-`,
//!   then an optional argument (the rest of the line);
//! - it closes with a line that is exactly `:::`; blocks do not nest;
//! - inside fenced code (``` or ~~~) nothing is a block marker.

use crate::error::{ContentError, Errors};

#[derive(Debug, Clone, PartialEq)]
pub enum Segment<'a> {
    Markdown { text: &'a str, line: usize },
    Block(Block<'a>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Block<'a> {
    pub name: &'a str,
    pub arg: &'a str,
    pub body: &'a str,
    /// Line of the opening `:::name`.
    pub line: usize,
    /// Line where the body starts.
    pub body_line: usize,
}

pub fn split<'a>(
    path: &str,
    body: &'a str,
    first_line: usize,
    errors: &mut Errors,
) -> Vec<Segment<'a>> {
    let mut segments = Vec::new();
    let mut open: Option<(Block<'a>, usize)> = None; // block and its body's byte start
    let mut md_start = (0usize, first_line);
    let mut offset = 0;
    let mut fence: Option<&str> = None;

    for (i, raw) in body.split_inclusive('\n').enumerate() {
        let line_no = first_line + i;
        let line = raw.trim_end();
        let start = offset;
        offset += raw.len();

        let trimmed = line.trim_start();
        if let Some(f) = fence {
            if trimmed.starts_with(f) {
                fence = None;
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
            continue;
        }
        let Some(marker) = line.strip_prefix(":::") else {
            continue;
        };

        if marker.trim().is_empty() {
            match open.take() {
                Some((mut block, body_start)) => {
                    block.body = &body[body_start..start];
                    segments.push(Segment::Block(block));
                    md_start = (offset, line_no + 1);
                }
                None => errors.push(ContentError::new(
                    path,
                    line_no,
                    "`:::` closes a block, but no block is open",
                )),
            }
            continue;
        }
        let (name, arg) = marker
            .split_once(char::is_whitespace)
            .unwrap_or((marker, ""));
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_lowercase() || c == '-') {
            errors.push(ContentError::new(
                path,
                line_no,
                format!("`:::{name}` is not a block name: use lowercase letters and `-`"),
            ));
            continue;
        }
        if let Some((outer, _)) = &open {
            errors.push(ContentError::new(
                path,
                line_no,
                format!("`:::{name}` opens inside the `:::{}` block of line {}: blocks do not nest (close it with `:::` first)", outer.name, outer.line),
            ));
            continue;
        }
        if !body[md_start.0..start].trim().is_empty() {
            segments.push(Segment::Markdown {
                text: &body[md_start.0..start],
                line: md_start.1,
            });
        }
        open = Some((
            Block {
                name,
                arg: arg.trim(),
                body: "",
                line: line_no,
                body_line: line_no + 1,
            },
            offset,
        ));
    }
    if let Some((block, _)) = open {
        errors.push(ContentError::new(
            path,
            block.line,
            format!(
                "the `:::{}` block is never closed: add a line `:::` after its body",
                block.name
            ),
        ));
    } else if !body[md_start.0..].trim().is_empty() {
        segments.push(Segment::Markdown {
            text: &body[md_start.0..],
            line: md_start.1,
        });
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_markdown_and_blocks_with_lines() {
        let body = "Intro\n\n:::term Loss\nA number.\n:::\nAfter\n";
        let mut errors = vec![];
        let segs = split("f.md", body, 5, &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(segs.len(), 3);
        assert_eq!(
            segs[0],
            Segment::Markdown {
                text: "Intro\n\n",
                line: 5
            }
        );
        let Segment::Block(b) = &segs[1] else {
            panic!("expected a block")
        };
        assert_eq!(
            (b.name, b.arg, b.body, b.line, b.body_line),
            ("term", "Loss", "A number.\n", 7, 8)
        );
        assert_eq!(
            segs[2],
            Segment::Markdown {
                text: "After\n",
                line: 10
            }
        );
    }

    #[test]
    fn reports_unclosed_nested_and_stray_markers() {
        let mut errors = vec![];
        split("f.md", ":::\n", 1, &mut errors);
        assert_eq!(
            errors[0].to_string(),
            "f.md:1: `:::` closes a block, but no block is open"
        );

        let mut errors = vec![];
        split("f.md", ":::term A\n:::term B\n", 3, &mut errors);
        assert_eq!(errors.len(), 2);
        assert!(errors[0]
            .to_string()
            .starts_with("f.md:4: `:::term` opens inside"));
        assert_eq!(
            errors[1].to_string(),
            "f.md:3: the `:::term` block is never closed: add a line `:::` after its body"
        );
    }

    #[test]
    fn ignores_markers_inside_code_fences() {
        let mut errors = vec![];
        let segs = split("f.md", "```\n:::term X\n```\n", 1, &mut errors);
        assert!(errors.is_empty());
        assert_eq!(segs.len(), 1);
    }
}
