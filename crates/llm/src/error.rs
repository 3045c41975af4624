//! Every way a call to the endpoint can fail, each with a message a learner can act on.
//! No message ever includes the API key.

use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub enum LlmError {
    Unauthorized {
        status: u16,
    },
    NotFound,
    RateLimited {
        retry_after_s: Option<u32>,
        quota: bool,
    },
    ContextTooLong,
    BadRequest(String),
    Server {
        status: u16,
        message: String,
    },
    Timeout {
        seconds: u32,
    },
    /// No response at all: offline, wrong host, or a CORS refusal (the browser hides which).
    Network {
        origin: String,
    },
    MalformedStream(String),
    /// The stream ended before the reply said it was complete.
    Cut,
}

fn error_fields(body: &str) -> (String, String) {
    let v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let e = v.get("error").unwrap_or(&Value::Null);
    let kind = [e.get("type"), e.get("code")]
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect::<Vec<_>>()
        .join(" ");
    let message = e
        .get("message")
        .and_then(Value::as_str)
        .or_else(|| e.as_str())
        .unwrap_or_default();
    (kind, message.chars().take(300).collect())
}

impl LlmError {
    /// An HTTP error response, or an error event inside a stream (`status` 0).
    pub fn from_body(status: u16, body: &str) -> LlmError {
        Self::from_response(status, body, None)
    }

    pub fn from_response(status: u16, body: &str, retry_after: Option<&str>) -> LlmError {
        let (kind, message) = error_fields(body);
        let has = |s: &str| kind.contains(s);
        if has("insufficient_quota") {
            return LlmError::RateLimited {
                retry_after_s: None,
                quota: true,
            };
        }
        if has("context_length_exceeded") {
            return LlmError::ContextTooLong;
        }
        if status == 429 || has("rate_limit") {
            return LlmError::RateLimited {
                retry_after_s: retry_after.and_then(|r| r.trim().parse().ok()),
                quota: false,
            };
        }
        if status == 401
            || status == 403
            || has("authentication_error")
            || has("invalid_api_key")
            || has("permission_error")
        {
            return LlmError::Unauthorized {
                status: if status == 0 { 401 } else { status },
            };
        }
        if status == 404 || has("not_found") || has("model_not_found") {
            return LlmError::NotFound;
        }
        if status >= 500 || has("overloaded") || has("api_error") || has("server_error") {
            return LlmError::Server {
                status: if status == 0 { 500 } else { status },
                message,
            };
        }
        LlmError::BadRequest(if message.is_empty() {
            format!("the endpoint answered {status}")
        } else {
            message
        })
    }

    /// Worth offering "Retry" for (the learner's message is kept either way).
    pub fn retryable(&self) -> bool {
        !matches!(
            self,
            LlmError::Unauthorized { .. }
                | LlmError::NotFound
                | LlmError::RateLimited { quota: true, .. }
                | LlmError::BadRequest(_)
        )
    }

    pub fn message(&self) -> String {
        match self {
            LlmError::Unauthorized { status } => format!("The endpoint refused the API key ({status}). Check the key in Settings."),
            LlmError::NotFound => "The endpoint answered 404: the URL or the model name is wrong. Check both in Settings.".into(),
            LlmError::RateLimited { quota: true, .. } => "The account behind this key has no quota left. Add credit or use another key or endpoint.".into(),
            LlmError::RateLimited { retry_after_s: Some(s), .. } => format!("The endpoint is rate-limiting requests. Try again in {s} seconds."),
            LlmError::RateLimited { retry_after_s: None, .. } => "The endpoint is rate-limiting requests. Wait a little, then retry.".into(),
            LlmError::ContextTooLong => "The conversation is too long for this model. Clear the chat or export it and start afresh.".into(),
            LlmError::BadRequest(m) => format!("The endpoint rejected the request: {m}"),
            LlmError::Server { status, message } if message.is_empty() => format!("The endpoint had a server error ({status}). Retry in a moment."),
            LlmError::Server { status, message } => format!("The endpoint had a server error ({status}: {message}). Retry in a moment."),
            LlmError::Timeout { seconds } => format!("No answer from the endpoint within {seconds} seconds. It may be overloaded or unreachable."),
            LlmError::Network { origin } => format!(
                "Couldn't reach the endpoint. Check the URL and that the server is running. If it is, it must allow requests from this page's origin ({origin}) — for a local Ollama, start it with OLLAMA_ORIGINS={origin} (LM Studio: enable CORS; llama.cpp: --cors-origins)."
            ),
            LlmError::MalformedStream(s) => format!("The endpoint sent something that isn't a chat stream (\"{s}\"). Check the API dialect in Settings."),
            LlmError::Cut => "The reply was cut off before it finished. Retry to get a complete answer.".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_statuses_and_bodies() {
        assert_eq!(
            LlmError::from_response(401, "", None),
            LlmError::Unauthorized { status: 401 }
        );
        assert_eq!(LlmError::from_response(404, "{}", None), LlmError::NotFound);
        assert_eq!(
            LlmError::from_response(
                429,
                r#"{"error":{"code":"rate_limit_exceeded"}}"#,
                Some("7")
            ),
            LlmError::RateLimited {
                retry_after_s: Some(7),
                quota: false
            }
        );
        assert_eq!(
            LlmError::from_response(429, r#"{"error":{"type":"insufficient_quota"}}"#, None),
            LlmError::RateLimited {
                retry_after_s: None,
                quota: true
            }
        );
        assert_eq!(
            LlmError::from_response(400, r#"{"error":{"code":"context_length_exceeded"}}"#, None),
            LlmError::ContextTooLong
        );
        assert!(matches!(
            LlmError::from_response(
                529,
                r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#,
                None
            ),
            LlmError::Server { status: 529, .. }
        ));
        assert!(matches!(
            LlmError::from_response(503, "<html>", None),
            LlmError::Server { status: 503, .. }
        ));
    }

    #[test]
    fn network_errors_explain_cors_for_ollama() {
        let m = LlmError::Network {
            origin: "http://127.0.0.1:8080".into(),
        }
        .message();
        assert!(m.contains("OLLAMA_ORIGINS=http://127.0.0.1:8080"), "{m}");
    }

    #[test]
    fn what_can_be_retried() {
        assert!(!LlmError::Unauthorized { status: 401 }.retryable());
        assert!(LlmError::Cut.retryable());
        assert!(LlmError::RateLimited {
            retry_after_s: None,
            quota: false
        }
        .retryable());
    }
}
