//! The emails Merit sends, each as plain text and HTML. Values from people are escaped in HTML.

/// A rendered email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Which email this is (the template's name), kept with the outbox row for logs and admins.
    pub kind: &'static str,
    /// The subject line.
    pub subject: String,
    /// The plain-text body.
    pub text: String,
    /// The HTML body.
    pub html: String,
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Builds a message from paragraphs and an optional call to action (label, link).
fn message(
    kind: &'static str,
    subject: &str,
    greeting_name: &str,
    paragraphs: &[&str],
    action: Option<(&str, &str)>,
) -> Message {
    let mut text = format!("Hello {greeting_name},\n\n");
    let mut html = format!(
        "<!DOCTYPE html><html><body style=\"font-family:sans-serif\"><p>Hello {},</p>",
        escape(greeting_name)
    );
    for paragraph in paragraphs {
        text.push_str(paragraph);
        text.push_str("\n\n");
        html.push_str(&format!("<p>{}</p>", escape(paragraph)));
    }
    if let Some((label, link)) = action {
        text.push_str(&format!("{label}:\n{link}\n\n"));
        html.push_str(&format!(
            "<p><a href=\"{0}\">{1}</a></p><p>{0}</p>",
            escape(link),
            escape(label)
        ));
    }
    text.push_str("If you did not ask for this, you can ignore this email.\n\n-- Merit, the State's careers portal\n");
    html.push_str("<p>If you did not ask for this, you can ignore this email.</p><p>Merit, the State's careers portal</p></body></html>");
    Message {
        kind,
        subject: subject.into(),
        text,
        html,
    }
}

/// Confirms a new account's email address.
pub fn verify_email(name: &str, link: &str) -> Message {
    message(
        "verify_email",
        "Confirm your email address",
        name,
        &[
            "Thank you for creating your account. Confirm your email address to be able to apply for jobs. The link works once and expires in 24 hours.",
        ],
        Some(("Confirm your email address", link)),
    )
}

/// Tells the owner of an address that someone tried to register it again.
pub fn already_registered(name: &str, reset_link: &str) -> Message {
    message(
        "already_registered",
        "You already have an account",
        name,
        &[
            "Someone (perhaps you) tried to create an account with this email address, which already has one. Sign in with it; if you forgot your password, reset it from the sign-in page.",
        ],
        Some(("Sign-in and password help", reset_link)),
    )
}

/// A link to reset a forgotten password.
pub fn reset_password(name: &str, link: &str) -> Message {
    message(
        "reset_password",
        "Reset your password",
        name,
        &[
            "We received a request to reset your password. The link works once and expires in 30 minutes.",
        ],
        Some(("Choose a new password", link)),
    )
}

/// A code proving control of this account for a profile merge.
pub fn merge_code(name: &str, code: &str) -> Message {
    let paragraphs = [
        "Someone signed in with an Employee ID asked to merge this account into theirs. If that is you, enter this code on the merge page. It works once and expires in 15 minutes."
            .to_owned(),
        format!("Your code: {code}"),
        "If this was not you, do not share the code: nobody can merge your account without it or your password."
            .to_owned(),
    ];
    let refs: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
    message(
        "merge_code",
        "Your code to merge accounts",
        name,
        &refs,
        None,
    )
}

/// Staff and admins cannot reset by email.
pub fn contact_service_desk(name: &str) -> Message {
    message(
        "contact_service_desk",
        "Password help for staff accounts",
        name,
        &[
            "We received a request to reset the password or recall the username of your staff account.",
            "Staff accounts cannot be reset by email. Contact the service desk: an administrator will give you a new temporary password.",
        ],
        None,
    )
}

/// The usernames registered to an address.
pub fn username_reminder(name: &str, sign_in_names: &str) -> Message {
    message(
        "username_reminder",
        "Your username",
        name,
        &[&format!(
            "You asked for the name you sign in with. It is: {sign_in_names}"
        )],
        None,
    )
}

/// An activated employee's link to set a first password.
pub fn set_password(name: &str, link: &str) -> Message {
    message(
        "set_password",
        "Set your password for the employee career section",
        name,
        &[
            "Your Employee ID is activated. Choose a password to sign in with your Employee ID. The link works once and expires in 24 hours.",
        ],
        Some(("Choose your password", link)),
    )
}

/// The email of a notice that is also a message in the person's inbox: its paragraphs, and a
/// pointer to the inbox.
pub fn notice(kind: &'static str, subject: &str, name: &str, paragraphs: &[String]) -> Message {
    let mut all: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
    all.push("You will also find this message in your Merit inbox.");
    message(kind, subject, name, &all, None)
}

/// Tells an admin that a webhook endpoint of an API client they created was disabled.
pub fn webhook_endpoint_disabled(name: &str, client_name: &str, url: &str, why: &str) -> Message {
    let first = format!(
        "Merit stopped sending events to the webhook endpoint {url} of the API client \"{client_name}\": {why}."
    );
    message(
        "webhook_endpoint_disabled",
        "A webhook endpoint was disabled",
        name,
        &[
            &first,
            "Events keep being recorded. Once the receiver works again, enable the endpoint (PUT with enabled: true) and redeliver what it missed from its delivery log.",
        ],
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped_in_html_but_not_in_text() {
        let message = verify_email("<Jo & Al>", "https://x.example/verify?token=a");
        assert!(message.html.contains("&lt;Jo &amp; Al&gt;"));
        assert!(message.text.contains("<Jo & Al>"));
        assert!(message.text.contains("https://x.example/verify?token=a"));
    }
}
