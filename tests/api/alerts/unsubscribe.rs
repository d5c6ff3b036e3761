//! RFC 8058 one-click unsubscribe: alert emails carry `List-Unsubscribe` (one HTTPS address
//! with a signed token naming that alert) and `List-Unsubscribe-Post`; a GET changes nothing;
//! a POST turns that alert (and only it) off, once, answering the same when repeated; a
//! tampered token is refused.

use reqwest::Method;
use serde_json::json;

use super::{alert, alert_messages, run_worker};
use crate::{
    postings::{open, with_dmv_employer},
    staff::audit,
    support::{Mail, assert_problem},
};

const PREFIX: &str = "https://careers.example.gov/api/v1/alerts/unsubscribe?token=";

fn unsubscribe_url(mail: &Mail) -> String {
    let value = mail
        .header("List-Unsubscribe")
        .unwrap_or_else(|| panic!("no List-Unsubscribe: {}", mail.headers));
    let url = value
        .trim()
        .strip_prefix('<')
        .and_then(|v| v.strip_suffix('>'))
        .unwrap_or_else(|| panic!("one address in angle brackets: {value}"));
    assert!(url.starts_with(PREFIX), "{url}");
    url.to_owned()
}

#[actix_web::test]
async fn the_one_click_link_turns_off_only_its_alert_once_and_a_get_changes_nothing() {
    let (app, employer) = with_dmv_employer().await;
    let ana = app.applicant("ana@example.org").await;
    let first = alert(&app, &ana, json!({}), "email", "instant").await;
    let second = alert(
        &app,
        &ana,
        json!({"county": ["sacramento"]}),
        "in_app",
        "instant",
    )
    .await;
    open(&app, &employer, json!({})).await;
    run_worker(&app).await;

    let alerts: Vec<Mail> = app
        .mail_to("ana@example.org")
        .await
        .into_iter()
        .filter(|m| m.subject.starts_with("New job"))
        .collect();
    assert_eq!(
        alerts.len(),
        1,
        "only the email channel sends email: {alerts:#?}"
    );
    assert_eq!(
        alerts[0].header("List-Unsubscribe-Post"),
        Some("List-Unsubscribe=One-Click")
    );
    let url = unsubscribe_url(&alerts[0]);
    let path = url.trim_start_matches("https://careers.example.gov");
    let token = url.trim_start_matches(PREFIX).to_owned();
    assert!(token.starts_with(&first), "the token names its alert");
    let messages = alert_messages(&app, &ana).await;
    assert_eq!(messages.len(), 2);
    assert_eq!(messages.iter().filter(|m| m["emailed"] == true).count(), 1);

    // A mail scanner's GET changes nothing.
    let looked = app.get(path).await;
    looked.assert_status(200);
    assert_eq!(looked.body, json!({"alert_id": first, "active": true}));
    let mine = app
        .get_as(&ana.token, &format!("/api/v1/me/alerts/{first}"))
        .await;
    assert_eq!(mine.body["active"], true);

    // The one-click POST (no cookie, no token, a form body) turns it off, and never redirects.
    let post = || {
        app.request(Method::POST, path)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("List-Unsubscribe=One-Click")
    };
    let done = app.send(post()).await;
    done.assert_status(200);
    assert_eq!(done.body, json!({"alert_id": first, "active": false}));
    let again = app.send(post()).await;
    again.assert_status(200);
    assert_eq!(again.body, done.body);
    let mine = app
        .get_as(&ana.token, &format!("/api/v1/me/alerts/{first}"))
        .await;
    assert_eq!(mine.body["active"], false);
    let other = app
        .get_as(&ana.token, &format!("/api/v1/me/alerts/{second}"))
        .await;
    assert_eq!(other.body["active"], true, "only the alert the link names");
    assert_eq!(
        audit(&app, "alert_unsubscribed").await.len(),
        1,
        "audited once"
    );

    // A tampered token, or another alert's id under this signature, is refused.
    let mut tampered = token.clone();
    tampered.pop();
    tampered.push(if token.ends_with('A') { 'B' } else { 'A' });
    let forged = format!("{second}{}", &token[first.len()..]);
    for bad in [tampered, forged, "nope".to_owned()] {
        let refused = app
            .send(app.request(
                Method::POST,
                &format!("/api/v1/alerts/unsubscribe?token={bad}"),
            ))
            .await;
        assert_problem(&refused, 400, "invalid_token");
    }
    let other = app
        .get_as(&ana.token, &format!("/api/v1/me/alerts/{second}"))
        .await;
    assert_eq!(other.body["active"], true);

    // The alert that is off sends nothing more; the other one still does.
    open(&app, &employer, json!({})).await;
    run_worker(&app).await;
    let messages = alert_messages(&app, &ana).await;
    assert_eq!(messages.len(), 3);
}
