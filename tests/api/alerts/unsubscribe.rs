//! RFC 8058 one-click unsubscribe: alert emails carry `List-Unsubscribe` (one HTTPS address
//! with a signed token naming that alert) and `List-Unsubscribe-Post`; a GET changes nothing;
//! a POST turns that alert (and only it) off, once, answering the same when repeated; a
//! tampered token is refused.

use chrono::{TimeZone, Utc};
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

#[actix_web::test]
async fn a_digest_of_several_alerts_carries_one_click_unsubscribe_for_exactly_those_alerts() {
    let (app, employer) = with_dmv_employer().await;
    let ana = app.applicant("ana@example.org").await;
    let ben = app.applicant("ben@example.org").await;
    // Two of Ana's daily email alerts match the posting; a third does not (Fresno), a fourth
    // is instant, a fifth is daily but in the inbox only. Ben's daily alert matches too.
    let by_county = alert(
        &app,
        &ana,
        json!({"county": ["sacramento"]}),
        "email",
        "daily",
    )
    .await;
    let by_class = alert(
        &app,
        &ana,
        json!({"classification": ["5393"]}),
        "email",
        "daily",
    )
    .await;
    let elsewhere = alert(&app, &ana, json!({"county": ["fresno"]}), "email", "daily").await;
    let instant = alert(&app, &ana, json!({"county": ["kern"]}), "email", "instant").await;
    let inbox_only = alert(&app, &ana, json!({}), "in_app", "daily").await;
    let bens = alert(&app, &ben, json!({}), "email", "daily").await;

    // Monday 09:30 UTC; the daily digests are due at Tuesday 00:00.
    open(&app, &employer, json!({})).await;
    run_worker(&app).await;
    app.clock
        .set(Utc.with_ymd_and_hms(2026, 3, 3, 0, 0, 1).unwrap());
    let ana = app.signed_in(&ana.login, &ana.password).await;
    run_worker(&app).await;

    let digests: Vec<Mail> = app
        .mail_to("ana@example.org")
        .await
        .into_iter()
        .filter(|m| m.subject.contains("digest"))
        .collect();
    assert_eq!(digests.len(), 1, "{digests:#?}");
    assert_eq!(
        digests[0].header("List-Unsubscribe-Post"),
        Some("List-Unsubscribe=One-Click")
    );
    let url = unsubscribe_url(&digests[0]);
    let path = url.trim_start_matches("https://careers.example.gov");
    let token = url.trim_start_matches(PREFIX).to_owned();
    let mut named = vec![by_county.clone(), by_class.clone()];
    named.sort();

    // A GET names the two email alerts that listed the posting, and changes nothing.
    let looked = app.get(path).await;
    looked.assert_status(200);
    assert_eq!(
        looked.body,
        json!({"alert_id": named[0], "alert_ids": named, "active": true})
    );

    // A forged token (the ids changed under the same MAC) is refused and changes nothing.
    let (ids, mac) = token.split_once('.').unwrap();
    let flipped = if ids.starts_with('A') { 'B' } else { 'A' };
    let forged_ids = format!("{flipped}{}", &ids[1..]);
    for bad in [
        format!("{forged_ids}.{mac}"),
        format!("{ids}.{}", &mac[1..]),
    ] {
        let refused = app
            .send(app.request(
                Method::POST,
                &format!("/api/v1/alerts/unsubscribe?token={bad}"),
            ))
            .await;
        assert_problem(&refused, 400, "invalid_token");
    }

    // The one-click POST turns off exactly those two, once.
    let post = || {
        app.request(Method::POST, path)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("List-Unsubscribe=One-Click")
    };
    let done = app.send(post()).await;
    done.assert_status(200);
    assert_eq!(
        done.body,
        json!({"alert_id": named[0], "alert_ids": named, "active": false})
    );
    let again = app.send(post()).await;
    again.assert_status(200);
    assert_eq!(again.body, done.body);
    assert_eq!(
        audit(&app, "alert_unsubscribed").await.len(),
        2,
        "each alert once"
    );
    for (id, on) in [
        (&by_county, false),
        (&by_class, false),
        (&elsewhere, true),
        (&instant, true),
        (&inbox_only, true),
    ] {
        let mine = app
            .get_as(&ana.token, &format!("/api/v1/me/alerts/{id}"))
            .await;
        assert_eq!(mine.body["active"], on, "{id}");
    }
    let ben = app.signed_in(&ben.login, &ben.password).await;
    let his = app
        .get_as(&ben.token, &format!("/api/v1/me/alerts/{bens}"))
        .await;
    assert_eq!(
        his.body["active"], true,
        "another person's alert is untouched"
    );

    // Ben's digest (one alert) keeps the one-alert link, naming his alert.
    let his_digest: Vec<Mail> = app
        .mail_to("ben@example.org")
        .await
        .into_iter()
        .filter(|m| m.subject.contains("digest"))
        .collect();
    assert_eq!(his_digest.len(), 1);
    let his_token = unsubscribe_url(&his_digest[0])
        .trim_start_matches(PREFIX)
        .to_owned();
    assert!(his_token.starts_with(&bens), "{his_token}");
}
