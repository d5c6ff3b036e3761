//! The configurable security headers: `Content-Security-Policy` (one policy for the API's
//! answers, another for the docs UI) and `Strict-Transport-Security`. The fixed ones
//! (`nosniff`, `DENY` framing, `no-referrer`, `no-store`) are set in `startup`.

use actix_web::{
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    http::header::{self, HeaderValue},
    middleware::Next,
    web,
};
use anyhow::Context;

use crate::settings::Settings;

/// The headers built from the settings once, at start.
#[derive(Debug, Clone, Default)]
pub struct SecurityHeaders {
    api_policy: Option<HeaderValue>,
    docs_policy: Option<HeaderValue>,
    hsts: Option<HeaderValue>,
}

impl SecurityHeaders {
    /// Reads the settings; a policy that is not a valid header value stops Merit at start.
    pub fn from_settings(settings: &Settings) -> anyhow::Result<SecurityHeaders> {
        Ok(SecurityHeaders {
            api_policy: policy(&settings.content_security_policy)
                .context("MERIT_CONTENT_SECURITY_POLICY is not a valid header value")?,
            docs_policy: policy(&settings.docs_content_security_policy)
                .context("MERIT_DOCS_CONTENT_SECURITY_POLICY is not a valid header value")?,
            hsts: (settings.hsts_max_age_seconds > 0).then(|| {
                HeaderValue::from_str(&format!("max-age={}", settings.hsts_max_age_seconds))
                    .unwrap_or_else(|_| unreachable!("digits make a valid header value"))
            }),
        })
    }

    /// The policy for an answer to `path`: the docs UI's under `/docs`, else the API's.
    fn policy_for(&self, path: &str) -> Option<&HeaderValue> {
        if path == "/docs" || path.starts_with("/docs/") {
            self.docs_policy.as_ref()
        } else {
            self.api_policy.as_ref()
        }
    }
}

fn policy(text: &str) -> anyhow::Result<Option<HeaderValue>> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    Ok(Some(HeaderValue::from_str(text)?))
}

/// Middleware: adds the configured headers to every answer that does not set them already.
pub async fn add_security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let headers = req.app_data::<web::Data<SecurityHeaders>>().cloned();
    let path = req.path().to_owned();
    let mut response = next.call(req).await?;
    if let Some(headers) = headers {
        let answer = response.headers_mut();
        if let Some(policy) = headers.policy_for(&path)
            && !answer.contains_key(header::CONTENT_SECURITY_POLICY)
        {
            answer.insert(header::CONTENT_SECURITY_POLICY, policy.clone());
        }
        if let Some(hsts) = &headers.hsts
            && !answer.contains_key(header::STRICT_TRANSPORT_SECURITY)
        {
            answer.insert(header::STRICT_TRANSPORT_SECURITY, hsts.clone());
        }
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_policy_sends_no_header_and_a_broken_one_is_refused() {
        assert!(policy("  ").unwrap().is_none());
        assert_eq!(
            policy("default-src 'none'").unwrap().unwrap(),
            "default-src 'none'"
        );
        assert!(policy("default-src\n'none'").is_err());
    }

    #[test]
    fn the_docs_ui_gets_its_own_policy() {
        let headers = SecurityHeaders {
            api_policy: Some(HeaderValue::from_static("api")),
            docs_policy: Some(HeaderValue::from_static("docs")),
            hsts: None,
        };
        assert_eq!(headers.policy_for("/docs/").unwrap(), "docs");
        assert_eq!(headers.policy_for("/docs").unwrap(), "docs");
        assert_eq!(headers.policy_for("/docsx").unwrap(), "api");
        assert_eq!(headers.policy_for("/api/v1/postings").unwrap(), "api");
    }
}
