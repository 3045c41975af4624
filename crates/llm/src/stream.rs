//! A reply as it streams in: bytes in, text out, and at the end whether it was complete.

use crate::dialect::{dialect, Dialect, DialectKind, StreamItem};
use crate::error::LlmError;
use crate::sse::Parser;

pub struct ReplyStream {
    parser: Parser,
    dialect: &'static dyn Dialect,
    done: bool,
}

impl ReplyStream {
    pub fn new(kind: DialectKind) -> Self {
        ReplyStream {
            parser: Parser::new(),
            dialect: dialect(kind),
            done: false,
        }
    }

    /// Feeds one network read; returns the text it added (possibly empty).
    pub fn push(&mut self, bytes: &[u8]) -> Result<String, LlmError> {
        let mut text = String::new();
        for event in self.parser.push(bytes) {
            if self.done {
                break;
            }
            match self.dialect.interpret(&event)? {
                StreamItem::Text(t) => text.push_str(&t),
                StreamItem::Done => self.done = true,
                StreamItem::Nothing => {}
            }
        }
        Ok(text)
    }

    /// The body ended: complete only if the dialect's end marker arrived.
    pub fn finish(&self) -> Result<(), LlmError> {
        if self.done {
            Ok(())
        } else {
            Err(LlmError::Cut)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openai_stream_in_pieces() {
        let body = "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n: comment\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"lo\"}}]}\r\n\r\ndata: [DONE]\n\n";
        let mut s = ReplyStream::new(DialectKind::OpenAi);
        let text: String = body
            .as_bytes()
            .chunks(7)
            .map(|c| s.push(c).unwrap())
            .collect();
        assert_eq!(text, "Hello");
        assert_eq!(s.finish(), Ok(()));
    }

    #[test]
    fn anthropic_stream() {
        let body = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{}}\n\nevent: ping\ndata: {\"type\":\"ping\"}\n\nevent: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
        let mut s = ReplyStream::new(DialectKind::Anthropic);
        assert_eq!(s.push(body.as_bytes()).unwrap(), "Hi");
        assert_eq!(s.finish(), Ok(()));
    }

    #[test]
    fn a_stream_cut_midway_is_reported() {
        let mut s = ReplyStream::new(DialectKind::OpenAi);
        assert_eq!(
            s.push(b"data: {\"choices\":[{\"delta\":{\"content\":\"Part\"}}]}\n\ndata: {\"cho")
                .unwrap(),
            "Part"
        );
        assert_eq!(s.finish(), Err(LlmError::Cut));
    }

    #[test]
    fn an_error_event_mid_stream() {
        let mut s = ReplyStream::new(DialectKind::Anthropic);
        let r = s.push(b"event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n");
        assert!(matches!(r, Err(LlmError::Server { .. })));
    }
}
