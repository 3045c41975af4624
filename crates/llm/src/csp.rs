//! Whether the page's Content-Security-Policy lets it connect to an endpoint. A request
//! `connect-src` refuses never leaves the browser and fails like a CORS refusal, so the app
//! checks the policy itself: to name the real cause after a failure, and to warn in
//! Settings before the first message. Source matching follows CSP Level 3 §6.7.2 for what
//! `connect-src` can hold: `'self'`, `'none'`, `*`, schemes (`https:`) and hosts
//! (`https://*.example.com:*/path/`).

/// The parts of a URL the policy looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    pub scheme: String,
    pub host: String,
    pub port: u16,
    pub path: String,
}

fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" | "ws" => Some(80),
        "https" | "wss" => Some(443),
        _ => None,
    }
}

impl Url {
    pub fn parse(text: &str) -> Option<Url> {
        let text = text.trim();
        let (scheme, rest) = text.split_once("://")?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme.is_empty()
            || !scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        {
            return None;
        }
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(end);
        let authority = authority.rsplit('@').next().unwrap_or_default();
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let (h, after) = v6.split_once(']')?;
            (
                format!("[{}]", h.to_ascii_lowercase()),
                after.strip_prefix(':'),
            )
        } else {
            match authority.rsplit_once(':') {
                Some((h, p)) => (h.to_ascii_lowercase(), Some(p)),
                None => (authority.to_ascii_lowercase(), None),
            }
        };
        if host.is_empty() {
            return None;
        }
        let port = match port {
            Some(p) if !p.is_empty() => p.parse().ok()?,
            _ => default_port(&scheme)?,
        };
        let path = tail.split(['?', '#']).next().unwrap_or_default();
        Some(Url {
            scheme,
            host,
            port,
            path: if path.is_empty() {
                "/".into()
            } else {
                path.into()
            },
        })
    }

    /// `scheme://host[:port]`, the port left out when it is the scheme's default.
    pub fn origin(&self) -> String {
        if default_port(&self.scheme) == Some(self.port) {
            format!("{}://{}", self.scheme, self.host)
        } else {
            format!("{}://{}:{}", self.scheme, self.host, self.port)
        }
    }
}

/// The origin of an endpoint URL as a policy or a learner would write it.
pub fn origin_of(url: &str) -> Option<String> {
    Url::parse(url).map(|u| u.origin())
}

/// The source list that governs `fetch` in one policy: `connect-src`, else `default-src`;
/// `None` when the policy does not restrict connections.
pub fn connect_sources(policy: &str) -> Option<Vec<String>> {
    let directives: Vec<(String, Vec<String>)> = policy
        .split(';')
        .filter_map(|d| {
            let mut words = d.split_ascii_whitespace();
            let name = words.next()?.to_ascii_lowercase();
            Some((name, words.map(str::to_string).collect()))
        })
        .collect();
    // The first occurrence of a directive counts; later duplicates are ignored.
    let find = |name: &str| {
        directives
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    find("connect-src").or_else(|| find("default-src"))
}

/// Whether every policy on the page lets `page_origin` connect to `url`.
pub fn allowed(policies: &[String], page_origin: &str, url: &str) -> bool {
    let (Some(page), Some(target)) = (Url::parse(page_origin), Url::parse(url)) else {
        // Nothing to judge by (a relative or odd URL): let the browser decide.
        return true;
    };
    policies.iter().all(|policy| match connect_sources(policy) {
        None => true,
        Some(sources) => sources.iter().any(|s| matches(s, &page, &target)),
    })
}

fn scheme_matches(expr: &str, url: &str) -> bool {
    // An expression's scheme also allows its secure upgrade.
    expr == url
        || matches!(
            (expr, url),
            ("http", "https") | ("ws", "wss") | ("http", "ws" | "wss") | ("https", "wss")
        )
}

fn matches(source: &str, page: &Url, url: &Url) -> bool {
    let lower = source.to_ascii_lowercase();
    match lower.as_str() {
        "'none'" => return false,
        "'self'" => {
            return url.host == page.host
                && (url.scheme == page.scheme && url.port == page.port
                    || (page.scheme == "http"
                        && matches!(url.scheme.as_str(), "https" | "wss")
                        && url.port == 443)
                    || (scheme_matches(&page.scheme, &url.scheme) && url.port == page.port));
        }
        "*" => {
            return matches!(url.scheme.as_str(), "http" | "https" | "ws" | "wss")
                || url.scheme == page.scheme
        }
        s if s.starts_with('\'') => return false, // nonces, hashes, keywords: not for URLs
        _ => {}
    }
    // A scheme source: `https:`.
    if let Some(scheme) = lower.strip_suffix(':') {
        if !scheme.contains(['/', ':']) {
            return scheme_matches(scheme, &url.scheme);
        }
    }
    // A host source: [scheme://]host[:port][/path]
    let (scheme, rest) = match lower.split_once("://") {
        Some((s, r)) => (Some(s), r),
        None => (None, lower.as_str()),
    };
    let scheme_ok = match scheme {
        Some(s) => scheme_matches(s, &url.scheme),
        None => scheme_matches(&page.scheme, &url.scheme),
    };
    let end = rest.find('/').unwrap_or(rest.len());
    let (hostport, path) = rest.split_at(end);
    let (host, port) = match hostport.find(']') {
        Some(close) => {
            let (h, after) = hostport.split_at(close + 1);
            (h, after.strip_prefix(':'))
        }
        None => match hostport.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (hostport, None),
        },
    };
    let host_ok = match host.strip_prefix("*.") {
        Some(suffix) => url.host.ends_with(&format!(".{suffix}")),
        None => host == "*" || host == url.host,
    };
    let port_ok = match port {
        Some("*") => true,
        Some(p) => p
            .parse::<u16>()
            .is_ok_and(|p| p == url.port || (p == 80 && url.port == 443 && url.scheme == "https")),
        None => {
            let expected = scheme.or(Some(page.scheme.as_str())).and_then(default_port);
            Some(url.port) == expected
                || (expected == Some(80) && url.port == 443 && url.scheme == "https")
        }
    };
    let path_ok = path.is_empty()
        || path == "/"
        || if path.ends_with('/') {
            url.path.starts_with(path)
        } else {
            url.path == path
        };
    scheme_ok && host_ok && port_ok && path_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The policy scripts/csp.mjs writes with no endpoint preset.
    const BUILT: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' https://api.openai.com https://api.anthropic.com https://openrouter.ai https://api.groq.com http://localhost:* http://127.0.0.1:*; worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'none'";
    const PAGE: &str = "https://course.example.edu";

    fn ok(url: &str) -> bool {
        allowed(&[BUILT.to_string()], PAGE, url)
    }

    #[test]
    fn the_built_policy() {
        assert!(ok("https://api.openai.com/v1/chat/completions"));
        assert!(ok("https://api.anthropic.com/v1/messages"));
        assert!(ok("http://localhost:11434/v1/chat/completions"));
        assert!(ok("http://127.0.0.1:40123/v1/chat/completions"));
        assert!(ok("https://course.example.edu/llm-proxy/v1"), "'self'");
        assert!(!ok("https://llm.example.edu/v1/chat/completions"));
        assert!(!ok("http://127.0.0.2:40123/v1"));
        assert!(!ok("https://api.openai.com:8443/v1"), "another port");
        assert!(!ok("http://api.openai.com/v1"), "no downgrade");
    }

    #[test]
    fn source_expressions() {
        let page = Url::parse("http://127.0.0.1:8080").unwrap();
        let m = |s: &str, u: &str| matches(s, &page, &Url::parse(u).unwrap());
        assert!(m("https:", "https://any.where/x"));
        assert!(!m("https:", "http://any.where/x"));
        assert!(m("http:", "https://any.where/x"), "an upgrade is allowed");
        assert!(m("*.example.com", "http://a.b.example.com/"));
        assert!(!m("*.example.com", "http://example.com/"));
        assert!(m(
            "https://*.example.com:*",
            "https://x.example.com:9000/v1"
        ));
        assert!(
            m("example.com", "https://example.com/"),
            "no scheme: the page's, or its upgrade"
        );
        assert!(m(
            "https://example.com/v1/",
            "https://example.com/v1/messages"
        ));
        assert!(!m(
            "https://example.com/v1/",
            "https://example.com/v2/messages"
        ));
        assert!(
            !m("https://example.com/v1", "https://example.com/v1/messages"),
            "exact path"
        );
        assert!(m("*", "https://whatever.org/"));
        assert!(!m("'none'", "http://127.0.0.1:8080/"));
        assert!(m("'self'", "http://127.0.0.1:8080/v1"));
        assert!(!m("'self'", "http://127.0.0.1:9090/v1"));
        assert!(m("HTTP://LOCALHOST:*", "http://localhost:1/"));
        assert!(m("http://[::1]:*", "http://[::1]:11434/v1"));
    }

    #[test]
    fn which_directive_governs() {
        assert_eq!(connect_sources("script-src 'self'"), None);
        assert_eq!(
            connect_sources("default-src 'self' https:"),
            Some(vec!["'self'".into(), "https:".into()])
        );
        assert_eq!(
            connect_sources("default-src *; connect-src 'none'"),
            Some(vec!["'none'".into()])
        );
        // Two policies: both must allow.
        let two = [
            "connect-src *".to_string(),
            "connect-src https://a.example".to_string(),
        ];
        assert!(allowed(&two, PAGE, "https://a.example/v1"));
        assert!(!allowed(&two, PAGE, "https://b.example/v1"));
        assert!(
            allowed(&[], PAGE, "https://b.example/v1"),
            "no policy, no limit"
        );
    }

    #[test]
    fn urls_and_origins() {
        assert_eq!(
            origin_of("https://api.openai.com/v1/chat/completions"),
            Some("https://api.openai.com".into())
        );
        assert_eq!(
            origin_of("http://localhost:11434/v1"),
            Some("http://localhost:11434".into())
        );
        assert_eq!(
            origin_of("HTTPS://User:pw@Example.COM:443/x?y"),
            Some("https://example.com".into())
        );
        assert_eq!(
            origin_of("http://[::1]:8080"),
            Some("http://[::1]:8080".into())
        );
        assert_eq!(origin_of("not a url"), None);
        assert_eq!(origin_of("http://:80"), None);
    }
}
