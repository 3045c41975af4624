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

/// One streamed event's meaning.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamItem {
    Text(String),
    Done,
    /// Keep-alives, metadata, usage: nothing to show.
    Nothing,
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
    fn interpret(&self, event: &Event) -> Result<StreamItem, LlmError>;
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

    fn interpret(&self, event: &Event) -> Result<StreamItem, LlmError> {
        if event.data.trim() == "[DONE]" {
            return Ok(StreamItem::Done);
        }
        let v: Value = serde_json::from_str(&event.data)
            .map_err(|_| LlmError::MalformedStream(snippet(&event.data)))?;
        if let Some(err) = v.get("error") {
            return Err(LlmError::from_body(0, &json!({"error": err}).to_string()));
        }
        let Some(choices) = v.get("choices").and_then(Value::as_array) else {
            return Err(LlmError::MalformedStream(snippet(&event.data)));
        };
        // A final usage chunk has empty choices.
        let text: String = choices
            .iter()
            .filter_map(|c| c.pointer("/delta/content").and_then(Value::as_str))
            .collect();
        Ok(if text.is_empty() {
            StreamItem::Nothing
        } else {
            StreamItem::Text(text)
        })
    }
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

    fn interpret(&self, event: &Event) -> Result<StreamItem, LlmError> {
        let name = event.name.as_deref().unwrap_or("message");
        if name == "ping" {
            return Ok(StreamItem::Nothing);
        }
        let v: Value = serde_json::from_str(&event.data)
            .map_err(|_| LlmError::MalformedStream(snippet(&event.data)))?;
        match v.get("type").and_then(Value::as_str).unwrap_or(name) {
            "content_block_delta" => Ok(match v.pointer("/delta/text").and_then(Value::as_str) {
                Some(t)
                    if v.pointer("/delta/type").and_then(Value::as_str) == Some("text_delta") =>
                {
                    StreamItem::Text(t.to_string())
                }
                _ => StreamItem::Nothing,
            }),
            "message_stop" => Ok(StreamItem::Done),
            "error" => Err(LlmError::from_body(0, &event.data)),
            "message_start"
            | "content_block_start"
            | "content_block_stop"
            | "message_delta"
            | "ping" => Ok(StreamItem::Nothing),
            _ => Ok(StreamItem::Nothing),
        }
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

    #[test]
    fn openai_events() {
        assert_eq!(
            OpenAi
                .interpret(&ev(None, r#"{"choices":[{"delta":{"content":"Hi"}}]}"#))
                .unwrap(),
            StreamItem::Text("Hi".into())
        );
        assert_eq!(
            OpenAi
                .interpret(&ev(None, r#"{"choices":[],"usage":{"total_tokens":3}}"#))
                .unwrap(),
            StreamItem::Nothing
        );
        assert_eq!(
            OpenAi.interpret(&ev(None, "[DONE]")).unwrap(),
            StreamItem::Done
        );
        assert!(matches!(
            OpenAi.interpret(&ev(None, "{oops")),
            Err(LlmError::MalformedStream(_))
        ));
        assert!(matches!(
            OpenAi.interpret(&ev(
                None,
                r#"{"error":{"message":"slow down","type":"rate_limit_exceeded"}}"#
            )),
            Err(LlmError::RateLimited { .. })
        ));
    }

    #[test]
    fn anthropic_events() {
        let delta =
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}"#;
        assert_eq!(
            Anthropic
                .interpret(&ev(Some("content_block_delta"), delta))
                .unwrap(),
            StreamItem::Text("Hi".into())
        );
        assert_eq!(
            Anthropic
                .interpret(&ev(Some("ping"), r#"{"type":"ping"}"#))
                .unwrap(),
            StreamItem::Nothing
        );
        assert_eq!(
            Anthropic
                .interpret(&ev(Some("message_stop"), r#"{"type":"message_stop"}"#))
                .unwrap(),
            StreamItem::Done
        );
        let err = r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#;
        assert!(matches!(
            Anthropic.interpret(&ev(Some("error"), err)),
            Err(LlmError::Server { .. })
        ));
    }
}
