//! The two API dialects behind one trait: how to address the endpoint, what to send, and
//! what each streamed event means.

use crate::error::LlmError;
use crate::sse::Event;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum DialectKind {
    /// Chat completions with SSE: OpenAI, OpenRouter, Groq, Ollama's /v1, LM Studio, llama.cpp, vLLM.
    #[default]
    #[serde(alias = "open-ai")]
    OpenAi,
    /// Anthropic Messages.
    Anthropic,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    User,
    Assistant,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub role: Role,
    pub content: String,
}

/// What to send; `headers` never leave this struct except into the request itself, so the
/// key cannot leak into a URL or a log line.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpRequest {
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// What one streamed event (or a whole non-streamed answer) says.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Step {
    /// Text of the reply to add (may be empty: keep-alives, metadata, usage).
    pub text: String,
    /// The reply says it has ended, and why (OpenAI `finish_reason`, Anthropic `stop_reason`).
    pub finish: Option<Ending>,
    /// The stream's own end marker (`[DONE]`, `message_stop`): nothing more will come.
    pub done: bool,
}

impl Step {
    fn text(text: impl Into<String>) -> Self {
        Step {
            text: text.into(),
            ..Step::default()
        }
    }
}

/// How a reply ended by the server's account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ending {
    /// It finished what it had to say (or stopped at a stop sequence, or for a tool).
    Complete,
    /// It hit the token limit (`length`, `max_tokens`): the text stops mid-answer.
    Truncated,
    /// The provider's content filter or the model's refusal ended it.
    Filtered,
}

impl Ending {
    /// Both APIs' reasons; an unknown one counts as a normal end.
    pub fn from_reason(reason: &str) -> Ending {
        match reason {
            "length" | "max_tokens" | "model_length" => Ending::Truncated,
            "content_filter" | "refusal" | "safety" => Ending::Filtered,
            _ => Ending::Complete,
        }
    }
}

pub trait Dialect {
    fn request(
        &self,
        endpoint: &str,
        model: &str,
        key: &str,
        system: &str,
        messages: &[Message],
    ) -> HttpRequest;
    fn interpret(&self, event: &Event) -> Result<Step, LlmError>;
    /// A whole answer sent as one JSON body (the endpoint ignored `"stream": true`).
    fn whole(&self, body: &Value) -> Result<Step, LlmError>;
}

pub fn dialect(kind: DialectKind) -> &'static dyn Dialect {
    match kind {
        DialectKind::OpenAi => &OpenAi,
        DialectKind::Anthropic => &Anthropic,
    }
}

/// Accepts either the full URL or the base (`…/v1`), as hosts write both.
fn with_path(endpoint: &str, base_suffix: &str, full_suffix: &str) -> String {
    let e = endpoint.trim().trim_end_matches('/');
    if e.ends_with(full_suffix) {
        e.to_string()
    } else if e.ends_with(base_suffix) {
        format!("{e}{}", &full_suffix[base_suffix.len()..])
    } else {
        format!("{e}{full_suffix}")
    }
}

pub struct OpenAi;

impl Dialect for OpenAi {
    fn request(
        &self,
        endpoint: &str,
        model: &str,
        key: &str,
        system: &str,
        messages: &[Message],
    ) -> HttpRequest {
        let mut all = vec![json!({"role": "system", "content": system})];
        all.extend(
            messages
                .iter()
                .map(|m| json!({"role": m.role, "content": m.content})),
        );
        let mut headers = vec![("content-type".to_string(), "application/json".to_string())];
        if !key.is_empty() {
            headers.push(("authorization".into(), format!("Bearer {key}")));
        }
        HttpRequest {
            url: with_path(endpoint, "/v1", "/v1/chat/completions"),
            headers,
            body: json!({"model": model, "messages": all, "stream": true}).to_string(),
        }
    }

    fn interpret(&self, event: &Event) -> Result<Step, LlmError> {
        let data = event.data.trim();
        // An empty `data:` is how some servers keep a quiet connection open.
        if data.is_empty() {
            return Ok(Step::default());
        }
        if data == "[DONE]" {
            return Ok(Step {
                done: true,
                ..Step::default()
            });
        }
        let v: Value =
            serde_json::from_str(data).map_err(|_| LlmError::MalformedStream(snippet(data)))?;
        if let Some(err) = v.get("error") {
            return Err(LlmError::from_body(0, &json!({"error": err}).to_string()));
        }
        let Some(choices) = v.get("choices").and_then(Value::as_array) else {
            return Err(LlmError::MalformedStream(snippet(data)));
        };
        // A final usage chunk has empty choices; the last token may share its chunk with
        // the finish reason.
        Ok(Step {
            text: choices
                .iter()
                .filter_map(|c| c.pointer("/delta/content").and_then(Value::as_str))
                .collect(),
            finish: finish_of(choices),
            done: false,
        })
    }

    fn whole(&self, v: &Value) -> Result<Step, LlmError> {
        if v.get("error").is_some() {
            return Err(LlmError::from_body(0, &v.to_string()));
        }
        let Some(choices) = v.get("choices").and_then(Value::as_array) else {
            return Err(LlmError::MalformedStream(snippet(&v.to_string())));
        };
        Ok(Step {
            text: choices
                .iter()
                .filter_map(|c| c.pointer("/message/content").and_then(Value::as_str))
                .collect(),
            finish: Some(finish_of(choices).unwrap_or(Ending::Complete)),
            done: true,
        })
    }
}

fn finish_of(choices: &[Value]) -> Option<Ending> {
    choices
        .iter()
        .filter_map(|c| c.get("finish_reason").and_then(Value::as_str))
        .map(Ending::from_reason)
        .max_by_key(|e| *e as u8)
}

pub struct Anthropic;

pub const ANTHROPIC_VERSION: &str = "2023-06-01";

impl Dialect for Anthropic {
    fn request(
        &self,
        endpoint: &str,
        model: &str,
        key: &str,
        system: &str,
        messages: &[Message],
    ) -> HttpRequest {
        HttpRequest {
            url: with_path(endpoint, "/v1", "/v1/messages"),
            headers: vec![
                ("content-type".into(), "application/json".into()),
                ("x-api-key".into(), key.to_string()),
                ("anthropic-version".into(), ANTHROPIC_VERSION.into()),
                // Anthropic refuses browser (CORS) calls without this opt-in.
                ("anthropic-dangerous-direct-browser-access".into(), "true".into()),
            ],
            body: json!({"model": model, "system": system, "messages": messages, "max_tokens": 1024, "stream": true}).to_string(),
        }
    }

    fn interpret(&self, event: &Event) -> Result<Step, LlmError> {
        let name = event.name.as_deref().unwrap_or("message");
        let data = event.data.trim();
        if name == "ping" || data.is_empty() {
            return Ok(Step::default());
        }
        let v: Value =
            serde_json::from_str(data).map_err(|_| LlmError::MalformedStream(snippet(data)))?;
        match v.get("type").and_then(Value::as_str).unwrap_or(name) {
            "content_block_delta" => Ok(match v.pointer("/delta/text").and_then(Value::as_str) {
                Some(t)
                    if v.pointer("/delta/type").and_then(Value::as_str) == Some("text_delta") =>
                {
                    Step::text(t)
                }
                _ => Step::default(),
            }),
            "message_delta" => Ok(Step {
                finish: v
                    .pointer("/delta/stop_reason")
                    .and_then(Value::as_str)
                    .map(Ending::from_reason),
                ..Step::default()
            }),
            "message_stop" => Ok(Step {
                done: true,
                ..Step::default()
            }),
            "error" => Err(LlmError::from_body(0, data)),
            // message_start, content_block_start/stop, ping, and whatever comes next.
            _ => Ok(Step::default()),
        }
    }

    fn whole(&self, v: &Value) -> Result<Step, LlmError> {
        if v.get("type").and_then(Value::as_str) == Some("error") || v.get("error").is_some() {
            return Err(LlmError::from_body(0, &v.to_string()));
        }
        let Some(blocks) = v.get("content").and_then(Value::as_array) else {
            return Err(LlmError::MalformedStream(snippet(&v.to_string())));
        };
        Ok(Step {
            text: blocks
                .iter()
                .filter(|b| b.get("type").and_then(Value::as_str) == Some("text"))
                .filter_map(|b| b.get("text").and_then(Value::as_str))
                .collect(),
            finish: Some(
                v.get("stop_reason")
                    .and_then(Value::as_str)
                    .map_or(Ending::Complete, Ending::from_reason),
            ),
            done: true,
        })
    }
}

fn snippet(data: &str) -> String {
    data.chars().take(80).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dialect_names_in_config_files_are_the_documented_ones() {
        // assets/llm-config.json and README say "openai" / "anthropic".
        assert_eq!(
            serde_json::from_str::<DialectKind>("\"openai\"").unwrap(),
            DialectKind::OpenAi
        );
        assert_eq!(
            serde_json::from_str::<DialectKind>("\"anthropic\"").unwrap(),
            DialectKind::Anthropic
        );
        assert_eq!(
            serde_json::to_string(&DialectKind::OpenAi).unwrap(),
            "\"openai\""
        );
        assert!(serde_json::from_str::<DialectKind>("\"gemini\"").is_err());
    }

    fn msgs() -> Vec<Message> {
        vec![Message {
            role: Role::User,
            content: "Cross-entropy, weighted.".into(),
        }]
    }

    #[test]
    fn openai_request() {
        let r = OpenAi.request(
            "http://localhost:11434/v1/",
            "llama3",
            "",
            "Be a peer.",
            &msgs(),
        );
        assert_eq!(r.url, "http://localhost:11434/v1/chat/completions");
        assert!(
            !r.headers.iter().any(|(k, _)| k == "authorization"),
            "no key, no header"
        );
        let body: Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(body["stream"], true);
        assert_eq!(
            body["messages"][0],
            json!({"role": "system", "content": "Be a peer."})
        );
        assert_eq!(body["messages"][1]["role"], "user");
        let r = OpenAi.request("https://api.openai.com", "gpt", "sk-1", "s", &msgs());
        assert_eq!(r.url, "https://api.openai.com/v1/chat/completions");
        assert!(r
            .headers
            .contains(&("authorization".into(), "Bearer sk-1".into())));
        assert!(!r.url.contains("sk-1") && !r.body.contains("sk-1"));
    }

    #[test]
    fn anthropic_request() {
        let r = Anthropic.request(
            "https://api.anthropic.com/v1/messages",
            "claude",
            "k",
            "Be a peer.",
            &msgs(),
        );
        assert_eq!(r.url, "https://api.anthropic.com/v1/messages");
        for h in [
            "x-api-key",
            "anthropic-version",
            "anthropic-dangerous-direct-browser-access",
        ] {
            assert!(r.headers.iter().any(|(k, _)| k == h), "{h}");
        }
        let body: Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(body["system"], "Be a peer.");
        assert_eq!(
            body["messages"][0],
            json!({"role": "user", "content": "Cross-entropy, weighted."})
        );
        assert!(body["max_tokens"].as_u64().unwrap() > 0);
    }

    fn ev(name: Option<&str>, data: &str) -> Event {
        Event {
            name: name.map(Into::into),
            data: data.into(),
        }
    }

    fn text(t: &str) -> Step {
        Step::text(t)
    }

    fn finished(e: Ending) -> Step {
        Step {
            finish: Some(e),
            ..Step::default()
        }
    }

    #[test]
    fn openai_events() {
        let o = |data: &str| OpenAi.interpret(&ev(None, data));
        assert_eq!(
            o(r#"{"choices":[{"delta":{"content":"Hi"}}]}"#).unwrap(),
            text("Hi")
        );
        assert_eq!(
            o(r#"{"choices":[],"usage":{"total_tokens":3}}"#).unwrap(),
            Step::default()
        );
        assert!(o("[DONE]").unwrap().done);
        assert!(matches!(o("{oops"), Err(LlmError::MalformedStream(_))));
        assert!(matches!(
            o(r#"{"error":{"message":"slow down","type":"rate_limit_exceeded"}}"#),
            Err(LlmError::RateLimited { .. })
        ));
    }

    #[test]
    fn an_empty_data_event_is_a_keep_alive() {
        for data in ["", " ", "\n"] {
            assert_eq!(OpenAi.interpret(&ev(None, data)).unwrap(), Step::default());
            assert_eq!(
                Anthropic
                    .interpret(&ev(Some("content_block_delta"), data))
                    .unwrap(),
                Step::default()
            );
        }
    }

    #[test]
    fn openai_finish_reasons() {
        let o = |data: &str| OpenAi.interpret(&ev(None, data)).unwrap();
        assert_eq!(
            o(r#"{"choices":[{"delta":{},"finish_reason":"stop"}]}"#),
            finished(Ending::Complete)
        );
        assert_eq!(
            o(r#"{"choices":[{"delta":{},"finish_reason":"length"}]}"#),
            finished(Ending::Truncated)
        );
        assert_eq!(
            o(r#"{"choices":[{"delta":{},"finish_reason":"content_filter"}]}"#),
            finished(Ending::Filtered)
        );
        // llama.cpp sends the last token with the reason; a null reason is no reason.
        assert_eq!(
            o(r#"{"choices":[{"delta":{"content":"end."},"finish_reason":"stop"}]}"#),
            Step {
                text: "end.".into(),
                finish: Some(Ending::Complete),
                done: false
            }
        );
        assert_eq!(
            o(r#"{"choices":[{"delta":{"content":"x"},"finish_reason":null}]}"#),
            text("x")
        );
    }

    #[test]
    fn anthropic_events() {
        let a = |name: &str, data: &str| Anthropic.interpret(&ev(Some(name), data));
        let delta =
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}"#;
        assert_eq!(a("content_block_delta", delta).unwrap(), text("Hi"));
        assert_eq!(a("ping", r#"{"type":"ping"}"#).unwrap(), Step::default());
        assert!(
            a("message_stop", r#"{"type":"message_stop"}"#)
                .unwrap()
                .done
        );
        assert_eq!(
            a("message_delta", r#"{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":9}}"#).unwrap(),
            finished(Ending::Complete)
        );
        assert_eq!(
            a(
                "message_delta",
                r#"{"type":"message_delta","delta":{"stop_reason":"max_tokens"}}"#
            )
            .unwrap(),
            finished(Ending::Truncated)
        );
        let err = r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#;
        assert!(matches!(a("error", err), Err(LlmError::Server { .. })));
    }

    #[test]
    fn whole_json_answers() {
        let openai: Value = serde_json::from_str(r#"{"id":"c1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"All at once."},"finish_reason":"length"}]}"#).unwrap();
        assert_eq!(
            OpenAi.whole(&openai).unwrap(),
            Step {
                text: "All at once.".into(),
                finish: Some(Ending::Truncated),
                done: true
            }
        );
        let anthropic: Value = serde_json::from_str(r#"{"type":"message","role":"assistant","content":[{"type":"text","text":"One "},{"type":"text","text":"piece."}],"stop_reason":"end_turn"}"#).unwrap();
        assert_eq!(
            Anthropic.whole(&anthropic).unwrap(),
            Step {
                text: "One piece.".into(),
                finish: Some(Ending::Complete),
                done: true
            }
        );
        let err: Value =
            serde_json::from_str(r#"{"error":{"message":"nope","type":"invalid_request_error"}}"#)
                .unwrap();
        assert!(matches!(OpenAi.whole(&err), Err(LlmError::BadRequest(_))));
        assert!(matches!(
            OpenAi.whole(&json!({"hello": 1})),
            Err(LlmError::MalformedStream(_))
        ));
    }
}
