//! The frontend pages Merit's emails link to: a documented, configurable contract. Each link is
//! `public_url` + the page's path, with the single-use token as the `token` query parameter
//! (`https://careers.example.gov/verify-email?token=...`).

use super::Settings;

/// A page of the frontend that an email links to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrontendPage {
    /// Confirms an email address with `?token=` (`POST /api/v1/auth/email-verifications/confirm`).
    VerifyEmail,
    /// Sets a new password with `?token=` (`POST /api/v1/auth/password-resets/confirm`).
    ResetPassword,
    /// An activated employee's first password, with `?token=` (same confirm operation).
    SetPassword,
    /// Sign-in help, linked from the "you already have an account" email (no token).
    ForgotPassword,
}

/// Every page, with its setting's name (for messages).
pub const PAGES: [(FrontendPage, &str); 4] = [
    (FrontendPage::VerifyEmail, "verify_email_path"),
    (FrontendPage::ResetPassword, "reset_password_path"),
    (FrontendPage::SetPassword, "set_password_path"),
    (FrontendPage::ForgotPassword, "forgot_password_path"),
];

impl Settings {
    /// The configured path of `page`.
    pub fn page_path(&self, page: FrontendPage) -> &str {
        match page {
            FrontendPage::VerifyEmail => &self.verify_email_path,
            FrontendPage::ResetPassword => &self.reset_password_path,
            FrontendPage::SetPassword => &self.set_password_path,
            FrontendPage::ForgotPassword => &self.forgot_password_path,
        }
    }

    /// The address of `page`: `public_url` + its path.
    pub fn page_url(&self, page: FrontendPage) -> String {
        format!(
            "{}{}",
            self.public_url.trim_end_matches('/'),
            self.page_path(page)
        )
    }

    /// The address of `page` carrying `token` as its `token` query parameter.
    pub fn page_link(&self, page: FrontendPage, token: &str) -> String {
        let url = self.page_url(page);
        let separator = if url.contains('?') { '&' } else { '?' };
        format!("{url}{separator}token={token}")
    }

    /// Refuses a `public_url` that is not an `http(s)://` address, and a page path that does not
    /// start with `/` or holds white space or control characters.
    pub fn check_frontend(&self) -> Result<(), String> {
        if !(self.public_url.starts_with("https://") || self.public_url.starts_with("http://")) {
            return Err(format!(
                "public_url must start with https:// or http://, got {:?}",
                self.public_url
            ));
        }
        for (page, name) in PAGES {
            let path = self.page_path(page);
            if !path.starts_with('/') || path.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err(format!(
                    "{name} must be a path starting with / and without spaces, got {path:?}"
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use figment::providers::Serialized;

    use super::*;

    fn settings(changes: &[(&str, &str)]) -> Settings {
        changes
            .iter()
            .fold(Settings::figment(None), |f, (key, value)| {
                f.merge(Serialized::default(key, value))
            })
            .extract()
            .unwrap()
    }

    #[test]
    fn links_are_the_public_url_the_path_and_the_token() {
        let s = settings(&[("public_url", "https://careers.example.gov/")]);
        assert_eq!(
            s.page_link(FrontendPage::VerifyEmail, "abc"),
            "https://careers.example.gov/verify-email?token=abc"
        );
        assert_eq!(
            s.page_url(FrontendPage::ForgotPassword),
            "https://careers.example.gov/forgot-password"
        );
        let custom = settings(&[("reset_password_path", "/app?page=reset")]);
        assert_eq!(
            custom.page_link(FrontendPage::ResetPassword, "t"),
            "http://127.0.0.1:8080/app?page=reset&token=t"
        );
    }

    #[test]
    fn a_path_without_a_slash_or_a_url_without_a_scheme_is_refused() {
        assert!(settings(&[]).check_frontend().is_ok());
        let no_slash = settings(&[("set_password_path", "set-password")]);
        assert!(
            no_slash
                .check_frontend()
                .unwrap_err()
                .contains("set_password_path")
        );
        let no_scheme = settings(&[("public_url", "careers.example.gov")]);
        assert!(
            no_scheme
                .check_frontend()
                .unwrap_err()
                .contains("public_url")
        );
    }
}
