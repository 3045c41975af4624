//! A reply as it arrives: bytes in, text out, and at the end how it ended. Most endpoints
//! stream server-sent events; some ignore `"stream": true` and answer with one JSON body,
//! which is read whole at the end. The text is scrubbed of the key on its way out.

use crate::dialect::{dialect, Dialect, DialectKind, Ending, Step};
use crate::error::LlmError;
use crate::scrub::StreamScrubber;
use crate::sse::Parser;

/// The body's form, told from its first byte that is not white space.
enum Form {
    Unknown,
    Events(Parser),
    /// `{…}`: a whole answer, kept until the end.
    Json(Vec<u8>),
}

/// How a reply that arrived ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Finished {
    /// Text still to show: a whole JSON answer's, or the scrubber's last few characters.
    pub text: String,
    pub ending: Ending,
}

pub struct ReplyStream {
    form: Form,
    dialect: &'static dyn Dialect,
    scrubber: StreamScrubber,
    key: String,
    /// The reason the reply gave for ending, if any.
    finish: Option<Ending>,
    /// The end marker arrived: anything after it is ignored.
    done: bool,
}

impl ReplyStream {
    /// `key`: the learner's API key, which never reaches the text.
    pub fn new(kind: DialectKind, key: &str) -> Self {
        ReplyStream {
            form: Form::Unknown,
            dialect: dialect(kind),
            scrubber: StreamScrubber::new(key),
            key: key.to_string(),
            finish: None,
            done: false,
        }
    }

    /// Feeds one network read; returns the text it added (possibly empty).
    pub fn push(&mut self, bytes: &[u8]) -> Result<String, LlmError> {
        self.push_raw(bytes).map_err(|e| e.scrubbed(&self.key))
    }

    fn push_raw(&mut self, bytes: &[u8]) -> Result<String, LlmError> {
        if matches!(self.form, Form::Unknown) {
            match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
                None => return Ok(String::new()),
                Some(b'{') => self.form = Form::Json(Vec::new()),
                Some(_) => self.form = Form::Events(Parser::new()),
            }
        }
        let events = match &mut self.form {
            Form::Json(body) => {
                body.extend_from_slice(bytes);
                return Ok(String::new());
            }
            Form::Events(parser) => parser.push(bytes),
            Form::Unknown => unreachable!("set above"),
        };
        let mut text = String::new();
        for event in events {
            if self.done {
                break;
            }
            let step = self.dialect.interpret(&event)?;
            self.take(step, &mut text);
        }
        Ok(self.scrubber.push(&text))
    }

    fn take(&mut self, step: Step, text: &mut String) {
        text.push_str(&step.text);
        self.finish = step.finish.or(self.finish);
        self.done |= step.done;
    }

    /// The body ended. A reply is whole if its end marker arrived, or if it gave a reason
    /// for ending (some servers close without `[DONE]` after the last chunk).
    pub fn finish(&mut self) -> Result<Finished, LlmError> {
        self.finish_raw().map_err(|e| e.scrubbed(&self.key))
    }

    fn finish_raw(&mut self) -> Result<Finished, LlmError> {
        let mut text = String::new();
        if let Form::Json(body) = &self.form {
            let value: serde_json::Value = serde_json::from_slice(body).map_err(|_| {
                let body = String::from_utf8_lossy(body);
                // Most likely a whole answer cut short by the network; else not JSON at all.
                if body.trim_end().ends_with('}') {
                    LlmError::MalformedStream(body.chars().take(80).collect())
                } else {
                    LlmError::Cut
                }
            })?;
            let step = self.dialect.whole(&value)?;
            self.take(step, &mut text);
        }
        let mut text = self.scrubber.push(&text);
        text.push_str(&self.scrubber.finish());
        match (self.done, self.finish) {
            (_, Some(ending)) => Ok(Finished { text, ending }),
            (true, None) => Ok(Finished {
                text,
                ending: Ending::Complete,
            }),
            (false, None) => Err(LlmError::Cut),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(kind: DialectKind, body: &str, piece: usize) -> (String, Result<Finished, LlmError>) {
        let mut s = ReplyStream::new(kind, "");
        let mut text = String::new();
        for c in body.as_bytes().chunks(piece) {
            text.push_str(&s.push(c).unwrap());
        }
        let end = s.finish();
        if let Ok(f) = &end {
            text.push_str(&f.text);
        }
        (text, end)
    }

    fn ended(e: Ending) -> Result<Finished, LlmError> {
        Ok(Finished {
            text: String::new(),
            ending: e,
        })
    }

    #[test]
    fn openai_stream_in_pieces() {
        let body = "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n: comment\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"lo\"}}]}\r\n\r\ndata: [DONE]\n\n";
        for piece in [1, 7, 1000] {
            let (text, end) = run(DialectKind::OpenAi, body, piece);
            assert_eq!(text, "Hello");
            assert_eq!(end, ended(Ending::Complete));
        }
    }

    #[test]
    fn anthropic_stream() {
        let body = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{}}\n\nevent: ping\ndata: {\"type\":\"ping\"}\n\nevent: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\nevent: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
        let (text, end) = run(DialectKind::Anthropic, body, 5);
        assert_eq!(text, "Hi");
        assert_eq!(end, ended(Ending::Complete));
    }

    #[test]
    fn a_stream_cut_midway_is_reported() {
        let mut s = ReplyStream::new(DialectKind::OpenAi, "");
        assert_eq!(
            s.push(b"data: {\"choices\":[{\"delta\":{\"content\":\"Part\"}}]}\n\ndata: {\"cho")
                .unwrap(),
            "Part"
        );
        assert_eq!(s.finish(), Err(LlmError::Cut));
        let (_, end) = run(DialectKind::Anthropic, "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n", 9);
        assert_eq!(end, Err(LlmError::Cut));
    }

    #[test]
    fn empty_data_events_keep_the_stream_alive() {
        let body = "data:\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"A\"}}]}\n\ndata: \n\ndata:\r\n\r\ndata: {\"choices\":[{\"delta\":{\"content\":\"B\"}}]}\n\ndata: [DONE]\n\n";
        let (text, end) = run(DialectKind::OpenAi, body, 3);
        assert_eq!(text, "AB");
        assert_eq!(end, ended(Ending::Complete));
    }

    #[test]
    fn a_finish_reason_without_done_is_complete() {
        let body = "data: {\"choices\":[{\"delta\":{\"content\":\"Whole.\"}}]}\n\ndata: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n";
        let (text, end) = run(DialectKind::OpenAi, body, 11);
        assert_eq!(text, "Whole.");
        assert_eq!(end, ended(Ending::Complete));
        // Anthropic: stop_reason arrived, message_stop did not.
        let body = "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\nevent: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"}}\n\n";
        assert_eq!(
            run(DialectKind::Anthropic, body, 4).1,
            ended(Ending::Complete)
        );
    }

    #[test]
    fn a_length_stop_is_truncated() {
        let body = "data: {\"choices\":[{\"delta\":{\"content\":\"Half an\"},\"finish_reason\":null}]}\n\ndata: {\"choices\":[{\"delta\":{},\"finish_reason\":\"length\"}]}\n\ndata: [DONE]\n\n";
        assert_eq!(
            run(DialectKind::OpenAi, body, 8).1,
            ended(Ending::Truncated)
        );
        let body = "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"max_tokens\"}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
        assert_eq!(
            run(DialectKind::Anthropic, body, 8).1,
            ended(Ending::Truncated)
        );
    }

    #[test]
    fn a_plain_json_answer_is_the_reply() {
        let body = "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Not streamed, but whole.\"},\"finish_reason\":\"stop\"}]}";
        for piece in [1, 10, 1000] {
            let (text, end) = run(DialectKind::OpenAi, body, piece);
            assert_eq!(text, "Not streamed, but whole.");
            assert_eq!(end.unwrap().ending, Ending::Complete);
        }
        let body = "\n{\"type\":\"message\",\"content\":[{\"type\":\"text\",\"text\":\"Whole\"}],\"stop_reason\":\"max_tokens\"}";
        let (text, end) = run(DialectKind::Anthropic, body, 4);
        assert_eq!(text, "Whole");
        assert_eq!(end.unwrap().ending, Ending::Truncated);
        // Cut short by the network: not a reply.
        let (_, end) = run(DialectKind::OpenAi, "{\"choices\":[{\"mess", 4);
        assert_eq!(end, Err(LlmError::Cut));
        // A 200 that is an error object.
        let (_, end) = run(
            DialectKind::OpenAi,
            r#"{"error":{"message":"model is loading","type":"server_error"}}"#,
            4,
        );
        assert!(matches!(end, Err(LlmError::Server { .. })));
    }

    #[test]
    fn an_error_event_mid_stream() {
        let mut s = ReplyStream::new(DialectKind::Anthropic, "");
        let r = s.push(b"event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n");
        assert!(matches!(r, Err(LlmError::Server { .. })));
    }

    #[test]
    fn the_key_never_reaches_the_text() {
        let key = "sk-secret-0123456789abcdef";
        let body = format!("data: {{\"choices\":[{{\"delta\":{{\"content\":\"You sent {key} in\"}}}}]}}\n\ndata: {{\"choices\":[{{\"delta\":{{\"content\":\" the header.\"}}}}]}}\n\ndata: [DONE]\n\n");
        let mut s = ReplyStream::new(DialectKind::OpenAi, key);
        let mut text = String::new();
        for c in body.as_bytes().chunks(6) {
            let piece = s.push(c).unwrap();
            assert!(!piece.contains("0123456789"));
            text.push_str(&piece);
        }
        text.push_str(&s.finish().unwrap().text);
        assert_eq!(text, "You sent [key removed] in the header.");
    }
}
