//! Every way a call to the endpoint can fail, each with a message a learner can act on, and
//! each with its own judgement of whether retrying can help. Text from the endpoint is
//! shown as the endpoint's reason, scrubbed of the key (`scrubbed`).

use crate::scrub::scrub;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub enum LlmError {
    /// 401: the key is wrong or missing.
    Unauthorized {
        status: u16,
    },
    /// 403: the key is known but this request is not allowed (the model, the region, the
    /// account); `reason` is the server's own words, when it gave any.
    Forbidden {
        reason: String,
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
    /// No response headers within the time allowed.
    Timeout {
        seconds: u32,
    },
    /// The reply started, then nothing arrived for this long.
    Stalled {
        seconds: u32,
    },
    /// The reply was still coming after the overall cap.
    TooSlow {
        seconds: u32,
    },
    /// No response at all: offline, wrong host, or a CORS refusal (the browser hides which).
    Network {
        origin: String,
    },
    /// The page's own Content-Security-Policy refused the request before it left.
    CspBlocked {
        endpoint_origin: String,
    },
    MalformedStream(String),
    /// The stream ended before the reply said it was complete.
    Cut,
}

/// The error object's kind (`type` and `code`) and message, from either API's error body.
fn error_fields(body: &str) -> (String, String) {
    let v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let e = v.get("error").unwrap_or(&Value::Null);
    let kind = [e.get("type"), e.get("code"), e.get("status")]
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect::<Vec<_>>()
        .join(" ");
    let message = e
        .get("message")
        .and_then(Value::as_str)
        .or_else(|| e.as_str())
        .or_else(|| v.get("message").and_then(Value::as_str))
        .or_else(|| v.get("detail").and_then(Value::as_str))
        .map(str::to_string)
        .unwrap_or_else(|| plain_reason(body));
    (kind, short(&message))
}

/// A body that is short plain text (not JSON, not an HTML page) is itself the reason.
fn plain_reason(body: &str) -> String {
    let t = body.trim();
    if t.is_empty() || t.starts_with('<') || t.starts_with('{') || t.starts_with('[') {
        return String::new();
    }
    t.to_string()
}

fn short(text: &str) -> String {
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if words.chars().count() <= 300 {
        words
    } else {
        words.chars().take(299).chain(['…']).collect()
    }
}

impl LlmError {
    /// An error event inside a stream (no HTTP status of its own).
    pub fn from_body(status: u16, body: &str) -> LlmError {
        Self::from_response(status, body, None)
    }

    /// An HTTP error response; `retry_after_s` from [`crate::retry_after::parse`].
    pub fn from_response(status: u16, body: &str, retry_after_s: Option<u32>) -> LlmError {
        let (kind, message) = error_fields(body);
        let has = |s: &str| kind.contains(s);
        if has("insufficient_quota") || status == 402 {
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
                retry_after_s,
                quota: false,
            };
        }
        if status == 401 || has("authentication_error") || has("invalid_api_key") {
            return LlmError::Unauthorized { status: 401 };
        }
        if status == 403 || has("permission_error") || has("unsupported_country") {
            return LlmError::Forbidden { reason: message };
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

    /// The same error with every text that came from the endpoint scrubbed of `key`.
    pub fn scrubbed(self, key: &str) -> LlmError {
        match self {
            LlmError::Forbidden { reason } => LlmError::Forbidden {
                reason: scrub(&reason, key),
            },
            LlmError::BadRequest(m) => LlmError::BadRequest(scrub(&m, key)),
            LlmError::Server { status, message } => LlmError::Server {
                status,
                message: scrub(&message, key),
            },
            LlmError::MalformedStream(s) => LlmError::MalformedStream(scrub(&s, key)),
            other => other,
        }
    }

    /// Whether sending the same request again can succeed. A wrong key, a refused model, a
    /// malformed request, a wrong dialect, an exhausted quota or a blocked origin need a change
    /// first (in Settings or in the conversation), so they get no "Retry".
    pub fn retryable(&self) -> bool {
        match self {
            LlmError::RateLimited { quota, .. } => !quota,
            LlmError::Server { .. }
            | LlmError::Timeout { .. }
            | LlmError::Stalled { .. }
            | LlmError::TooSlow { .. }
            | LlmError::Network { .. }
            | LlmError::Cut => true,
            LlmError::Unauthorized { .. }
            | LlmError::Forbidden { .. }
            | LlmError::NotFound
            | LlmError::ContextTooLong
            | LlmError::BadRequest(_)
            | LlmError::CspBlocked { .. }
            | LlmError::MalformedStream(_) => false,
        }
    }

    pub fn message(&self) -> String {
        match self {
            LlmError::Unauthorized { status } => format!("The endpoint refused the API key ({status}). Check the key in Settings."),
            LlmError::Forbidden { reason } if reason.is_empty() => "The endpoint refused this request (403) without giving a reason. The key may not have access to this model, or the account or region may be restricted: check with the provider, or pick another model in Settings.".into(),
            LlmError::Forbidden { reason } => format!("The endpoint refused this request (403): \"{reason}\""),
            LlmError::NotFound => "The endpoint answered 404: the URL or the model name is wrong. Check both in Settings.".into(),
            LlmError::RateLimited { quota: true, .. } => "The account behind this key has no quota or credit left. Add credit, or use another key or endpoint.".into(),
            LlmError::RateLimited { retry_after_s: Some(0), .. } => "The endpoint is rate-limiting requests. It says you may try again now.".into(),
            LlmError::RateLimited { retry_after_s: Some(s), .. } => format!("The endpoint is rate-limiting requests. Try again in {}.", duration(*s)),
            LlmError::RateLimited { retry_after_s: None, .. } => "The endpoint is rate-limiting requests. Wait a little, then retry.".into(),
            LlmError::ContextTooLong => "The conversation is too long for this model. Clear the chat or export it and start afresh.".into(),
            LlmError::BadRequest(m) => format!("The endpoint rejected the request: {m}"),
            LlmError::Server { status, message } if message.is_empty() => format!("The endpoint had a server error ({status}). Retry in a moment."),
            LlmError::Server { status, message } => format!("The endpoint had a server error ({status}: {message}). Retry in a moment."),
            LlmError::Timeout { seconds } => format!("No answer from the endpoint within {seconds} seconds. It may be overloaded or unreachable."),
            LlmError::Stalled { seconds } => format!("The endpoint stopped sending in the middle of the reply: nothing arrived for {seconds} seconds, so AESOP stopped waiting. What arrived is kept; retry for a complete answer."),
            LlmError::TooSlow { seconds } => format!("The reply was still arriving after {}, the longest AESOP waits for one, so it was stopped there. What arrived is kept.", duration(*seconds)),
            LlmError::Network { origin } => format!(
                "Couldn't reach the endpoint. Check the URL and that the server is running. If it is, it must allow requests from this page's origin ({origin}) — for a local Ollama, start it with OLLAMA_ORIGINS={origin} (LM Studio: enable CORS; llama.cpp: --cors-origins)."
            ),
            LlmError::CspBlocked { endpoint_origin } => format!(
                "This site's security policy does not allow connections to {endpoint_origin}, so the browser blocked the request before it left (this is not a CORS problem of the endpoint). The site's host can allow it by adding \"{endpoint_origin}\" to \"connect_src\" in llm-config.json and rebuilding (see the README, \"Security\"); or pick an endpoint the site allows."
            ),
            LlmError::MalformedStream(s) => format!("The endpoint sent something that isn't a chat stream (\"{s}\"). Check the API dialect in Settings."),
            LlmError::Cut => "The reply was cut off before it finished. Retry to get a complete answer.".into(),
        }
    }
}

fn duration(seconds: u32) -> String {
    match seconds {
        1 => "1 second".into(),
        s if s < 120 => format!("{s} seconds"),
        s if s < 7200 => format!("{} minutes", s.div_ceil(60)),
        s => format!("{} hours", s.div_ceil(3600)),
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
            LlmError::from_response(429, r#"{"error":{"code":"rate_limit_exceeded"}}"#, Some(7)),
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
    fn a_403_gives_the_servers_reason_not_the_key() {
        let region = LlmError::from_response(
            403,
            r#"{"error":{"code":"unsupported_country_region_territory","message":"Country, region, or territory not supported","type":"request_forbidden"}}"#,
            None,
        );
        assert_eq!(
            region,
            LlmError::Forbidden {
                reason: "Country, region, or territory not supported".into()
            }
        );
        assert!(!region.message().contains("key"), "{}", region.message());
        assert!(region.message().contains("territory not supported"));
        let model = LlmError::from_response(
            403,
            r#"{"type":"error","error":{"type":"permission_error","message":"Your organization does not have access to model claude-x"}}"#,
            None,
        );
        assert!(model
            .message()
            .contains("does not have access to model claude-x"));
        let plain = LlmError::from_response(403, "Model not allowed on this plan\n", None);
        assert!(
            plain
                .message()
                .ends_with("\"Model not allowed on this plan\""),
            "{}",
            plain.message()
        );
        let bare = LlmError::from_response(403, "<html><body>Forbidden</body></html>", None);
        assert!(
            bare.message().contains("without giving a reason"),
            "{}",
            bare.message()
        );
        // An error event in an Anthropic stream has no status of its own.
        assert!(matches!(
            LlmError::from_body(
                0,
                r#"{"type":"error","error":{"type":"permission_error","message":"no"}}"#
            ),
            LlmError::Forbidden { .. }
        ));
    }

    #[test]
    fn endpoint_text_is_scrubbed_of_the_key() {
        let key = "sk-live-0123456789abcdefXYZ";
        let e = LlmError::from_response(
            403,
            &format!(r#"{{"error":{{"message":"key {key} may not use gpt-9"}}}}"#),
            None,
        )
        .scrubbed(key);
        assert_eq!(
            e.message(),
            "The endpoint refused this request (403): \"key [key removed] may not use gpt-9\""
        );
        let e = LlmError::from_response(
            400,
            &format!("bad header Authorization: Bearer {key}"),
            None,
        )
        .scrubbed(key);
        assert!(!e.message().contains("0123456789"), "{}", e.message());
        let e = LlmError::MalformedStream(format!("<p>{key}")).scrubbed(key);
        assert!(!e.message().contains("0123456789"));
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
    fn a_csp_block_names_the_origin_and_the_setting() {
        let m = LlmError::CspBlocked {
            endpoint_origin: "https://llm.example.edu".into(),
        }
        .message();
        assert!(
            m.contains("\"https://llm.example.edu\" to \"connect_src\" in llm-config.json"),
            "{m}"
        );
        assert!(!m.contains("OLLAMA_ORIGINS"), "no CORS advice: {m}");
    }

    #[test]
    fn what_can_be_retried() {
        for no in [
            LlmError::from_response(401, "", None),
            LlmError::from_response(400, r#"{"error":{"message":"bad"}}"#, None),
            LlmError::from_response(403, "", None),
            LlmError::from_response(404, "", None),
            LlmError::from_response(400, r#"{"error":{"code":"context_length_exceeded"}}"#, None),
            LlmError::from_response(429, r#"{"error":{"code":"insufficient_quota"}}"#, None),
            LlmError::MalformedStream("x".into()),
            LlmError::CspBlocked {
                endpoint_origin: "https://x".into(),
            },
        ] {
            assert!(!no.retryable(), "{no:?}");
        }
        for yes in [
            LlmError::from_response(429, "", Some(3)),
            LlmError::from_response(500, "", None),
            LlmError::from_response(529, "", None),
            LlmError::Timeout { seconds: 3 },
            LlmError::Stalled { seconds: 3 },
            LlmError::TooSlow { seconds: 3 },
            LlmError::Network { origin: "o".into() },
            LlmError::Cut,
        ] {
            assert!(yes.retryable(), "{yes:?}");
        }
    }

    #[test]
    fn waits_read_in_words() {
        let wait = |s| {
            LlmError::RateLimited {
                retry_after_s: Some(s),
                quota: false,
            }
            .message()
        };
        assert!(wait(3).ends_with("Try again in 3 seconds."));
        assert!(wait(1).ends_with("Try again in 1 second."));
        assert!(wait(600).ends_with("Try again in 10 minutes."));
        assert!(wait(0).contains("try again now"));
    }
}
