//! "My Staff Dashboard": the widgets a staff member chose, in order, each with its data, in one
//! request. Each kind is one arm of [`widget`] calling one function; a new kind is one
//! `WidgetKind` variant, one [`Widget`] variant and one function.

use chrono::{DateTime, Datelike, Utc};
use merit_domain::{
    calendar::{pacific_time, start_of_pacific_day},
    case::CaseStatus,
    dashboard::{self as rules, WidgetKind},
};
use merit_persistence::{DbConnection, dashboard, staff_links::StaffLink};

use super::{
    Indicators,
    appointments::CalendarSummary,
    appointments::summary as calendar,
    links::{self, Shelf},
    own_indicators, scope,
    surveys::{self, SurveyView},
};
use crate::{
    auth::AuthUser,
    error::ApiError,
    services::{
        announcements::{AnnouncementSummary, summary as announcements},
        audit::{self, AuditKind},
    },
};

/// How many items the list widgets show.
pub const LATEST: u32 = 3;

/// A widget with its data.
#[derive(Debug, Clone)]
pub enum Widget {
    /// My cases by status.
    ActiveCaseLoad(Vec<(CaseStatus, i64)>),
    /// My inbox: (unread, read).
    MyMessages(i64, i64),
    /// My calendar.
    MyCalendar(CalendarSummary),
    /// The latest announcements.
    LatestAnnouncements(AnnouncementSummary),
    /// My indicators this month (`None` for callers without an office).
    MyReportIndicators(Option<Indicators>),
    /// How many letters I created this month.
    MyCorrespondence(i64),
    /// Staff resources for me: how many, the newest few.
    NeedHelp(i64, Vec<StaffLink>),
    /// Labour-market links for me: how many, the newest few.
    LaborMarketServices(i64, Vec<StaffLink>),
    /// Surveys open to me, how many I have not answered, the newest open one.
    Surveys(i64, i64, Option<SurveyView>),
}

/// The caller's chosen widgets (the default set when they never chose).
pub fn layout(conn: &mut DbConnection, user: &AuthUser) -> Result<Vec<WidgetKind>, ApiError> {
    Ok(match dashboard::widgets(conn, user.id())? {
        None => rules::WidgetKind::DEFAULT.to_vec(),
        // Kinds a later release dropped are skipped.
        Some(text) => text.split(',').filter_map(WidgetKind::parse).collect(),
    })
}

/// The caller's dashboard: each chosen widget with its data, in order.
pub fn dashboard(
    conn: &mut DbConnection,
    user: &AuthUser,
    now: DateTime<Utc>,
) -> Result<Vec<Widget>, ApiError> {
    scope(user)?;
    layout(conn, user)?
        .into_iter()
        .map(|kind| widget(conn, user, kind, now))
        .collect()
}

fn widget(
    conn: &mut DbConnection,
    user: &AuthUser,
    kind: WidgetKind,
    now: DateTime<Utc>,
) -> Result<Widget, ApiError> {
    match kind {
        WidgetKind::ActiveCaseLoad => case_load(conn, user),
        WidgetKind::MyMessages => messages(conn, user),
        WidgetKind::MyCalendar => Ok(Widget::MyCalendar(calendar(
            conn,
            user,
            i64::from(LATEST),
            now,
        )?)),
        WidgetKind::LatestAnnouncements => Ok(Widget::LatestAnnouncements(announcements(
            conn, user, LATEST, now,
        )?)),
        WidgetKind::MyReportIndicators => report_indicators(conn, user, now),
        WidgetKind::MyCorrespondence => correspondence(conn, user, now),
        WidgetKind::NeedHelp => {
            let (count, latest) = links::summary(conn, user, Shelf::Resources, i64::from(LATEST))?;
            Ok(Widget::NeedHelp(count, latest))
        }
        WidgetKind::LaborMarketServices => {
            let (count, latest) =
                links::summary(conn, user, Shelf::LaborMarket, i64::from(LATEST))?;
            Ok(Widget::LaborMarketServices(count, latest))
        }
        WidgetKind::Surveys => {
            let (open, unanswered, latest) = surveys::summary(conn, user, now)?;
            Ok(Widget::Surveys(open, unanswered, latest))
        }
    }
}

/// `now`'s month (Pacific time, the offices' calendar) as a half-open span of instants.
fn this_month(now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    let today = pacific_today(now);
    let first = today.with_day(1).unwrap_or(today);
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first);
    (start_of_pacific_day(first), start_of_pacific_day(next))
}

/// The offices' calendar day at `now` (Pacific time).
fn pacific_today(now: DateTime<Utc>) -> chrono::NaiveDate {
    pacific_time(now).date()
}

fn correspondence(
    conn: &mut DbConnection,
    user: &AuthUser,
    now: DateTime<Utc>,
) -> Result<Widget, ApiError> {
    let me = user.id();
    let (from, to) = this_month(now);
    let created = super::correspondence::created_count(conn, me, from, to)?;
    Ok(Widget::MyCorrespondence(created))
}

fn case_load(conn: &mut DbConnection, user: &AuthUser) -> Result<Widget, ApiError> {
    let found = dashboard::case_load(conn, user.id())?;
    Ok(Widget::ActiveCaseLoad(
        CaseStatus::ALL
            .iter()
            .map(|status| {
                let count = found
                    .iter()
                    .find(|(s, _)| s == status.as_str())
                    .map_or(0, |(_, n)| *n);
                (*status, count)
            })
            .collect(),
    ))
}

fn messages(conn: &mut DbConnection, user: &AuthUser) -> Result<Widget, ApiError> {
    let (unread, read) = dashboard::message_counts(conn, user.id())?;
    Ok(Widget::MyMessages(unread, read))
}

fn report_indicators(
    conn: &mut DbConnection,
    user: &AuthUser,
    now: DateTime<Utc>,
) -> Result<Widget, ApiError> {
    let today = pacific_today(now);
    let from = today.with_day(1).unwrap_or(today);
    Ok(Widget::MyReportIndicators(own_indicators(
        conn, user, from, today,
    )?))
}

/// Sets which widgets the caller's dashboard shows, in order: each kind at most once (422
/// `duplicate_widget` at `widgets[i]`).
pub fn set_layout(
    conn: &mut DbConnection,
    user: &AuthUser,
    kinds: Vec<WidgetKind>,
    now: DateTime<Utc>,
) -> Result<Vec<WidgetKind>, ApiError> {
    scope(user)?;
    rules::check_layout(&kinds).map_err(|e| {
        ApiError::invalid(
            &format!("widgets[{}]", e.index),
            "duplicate_widget",
            "Each widget is shown at most once.",
        )
    })?;
    let text = kinds
        .iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(",");
    dashboard::set_widgets(conn, user.id(), &text, now)?;
    audit::record(
        conn,
        AuditKind::DashboardWidgetsChanged,
        Some(user.id()),
        None,
        serde_json::json!({"widgets": kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>()}),
        now,
    )?;
    Ok(kinds)
}
