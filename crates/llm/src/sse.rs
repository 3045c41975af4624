//! Server-sent events, parsed incrementally: network reads split events (and UTF-8
//! characters) anywhere, so bytes are buffered until a blank line ends an event.
//! Per the SSE spec: lines end in LF, CRLF or CR; `:` starts a comment; `data:` lines of
//! one event join with `\n`; one space after the colon is dropped.

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Event {
    /// The `event:` name; `None` means the default `message`.
    pub name: Option<String>,
    pub data: String,
}

#[derive(Default)]
pub struct Parser {
    /// Bytes of an incomplete UTF-8 character from the previous read.
    partial: Vec<u8>,
    /// Text not yet ended by a line break.
    line: String,
    /// A CR ended the last read: an LF first in the next read belongs to it.
    after_cr: bool,
    event: Option<Event>,
}

impl Parser {
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds one network read; returns the events it completed.
    pub fn push(&mut self, bytes: &[u8]) -> Vec<Event> {
        self.partial.extend_from_slice(bytes);
        let valid = match std::str::from_utf8(&self.partial) {
            Ok(_) => self.partial.len(),
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            // Invalid bytes mid-stream: replace them rather than stall.
            Err(_) => self.partial.len(),
        };
        let rest = self.partial.split_off(valid);
        let text = String::from_utf8_lossy(&self.partial).into_owned();
        self.partial = rest;
        self.push_text(&text)
    }

    fn push_text(&mut self, text: &str) -> Vec<Event> {
        let mut out = Vec::new();
        let mut chars = text.chars().peekable();
        if self.after_cr && chars.peek() == Some(&'\n') {
            chars.next();
        }
        self.after_cr = false;
        while let Some(c) = chars.next() {
            match c {
                '\r' | '\n' => {
                    if c == '\r' {
                        match chars.peek() {
                            Some('\n') => {
                                chars.next();
                            }
                            None => self.after_cr = true,
                            _ => {}
                        }
                    }
                    let line = std::mem::take(&mut self.line);
                    if let Some(event) = self.line_done(&line) {
                        out.push(event);
                    }
                }
                c => self.line.push(c),
            }
        }
        out
    }

    /// The stream ended: an event not closed by a blank line is dropped, as the spec says.
    pub fn has_partial_event(&self) -> bool {
        self.event.is_some() || !self.line.is_empty()
    }

    fn line_done(&mut self, line: &str) -> Option<Event> {
        if line.is_empty() {
            // Dispatch: drop the data buffer's last newline; an event without data is not one.
            let mut event = self.event.take()?;
            if !event.data.ends_with('\n') {
                return None;
            }
            event.data.pop();
            return Some(event);
        }
        if line.starts_with(':') {
            return None;
        }
        let (field, value) = match line.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (line, ""),
        };
        let event = self.event.get_or_insert_with(Event::default);
        match field {
            "data" => {
                event.data.push_str(value);
                event.data.push('\n');
            }
            "event" => event.name = Some(value.to_string()),
            _ => {} // id, retry and unknown fields do not matter here.
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(chunks: &[&[u8]]) -> Vec<Event> {
        let mut p = Parser::new();
        chunks.iter().flat_map(|c| p.push(c)).collect()
    }

    fn data(d: &str) -> Event {
        Event {
            name: None,
            data: d.into(),
        }
    }

    #[test]
    fn events_split_anywhere_come_out_whole() {
        let stream = b"data: {\"a\":1}\n\ndata: [DONE]\n\n";
        let whole = all(&[stream]);
        assert_eq!(whole, vec![data("{\"a\":1}"), data("[DONE]")]);
        for cut in 1..stream.len() {
            assert_eq!(
                all(&[&stream[..cut], &stream[cut..]]),
                whole,
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn crlf_cr_and_comments() {
        assert_eq!(
            all(&[b": keep-alive\r\n\r\nevent: ping\r\ndata: x\r\n\r\n"]),
            vec![Event {
                name: Some("ping".into()),
                data: "x".into()
            }]
        );
        assert_eq!(all(&[b"data: a\r", b"\ndata: b\r\r"]), vec![data("a\nb")]);
    }

    #[test]
    fn multibyte_characters_split_across_reads() {
        let stream = "data: héllo — ✓\n\n".as_bytes();
        for cut in 1..stream.len() {
            assert_eq!(
                all(&[&stream[..cut], &stream[cut..]]),
                vec![data("héllo — ✓")],
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn an_unterminated_event_is_partial() {
        let mut p = Parser::new();
        assert!(p.push(b"data: half").is_empty());
        assert!(p.has_partial_event());
    }
}
