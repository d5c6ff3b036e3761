//! "My Staff Dashboard": one request for every chosen widget with its data.

use actix_web::{get, put, web};
use merit_domain::dashboard as domain;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::dto::{AppointmentResponse, CalendarSummaryResponse};
use crate::{
    auth::StaffUser,
    error::ApiError,
    extract::Json,
    routes::{
        announcements::AnnouncementResponse,
        staff::{
            ActivityCount, CaseStatus, IndicatorsDto,
            links::{LaborMarketLinkResponse, StaffResourceResponse},
            surveys::SurveyResponse,
        },
        terms::api_enum,
    },
    services::staff::dashboard::{self as service, Widget},
    state::AppState,
};

api_enum!(
    /// A dashboard widget: `active_case_load` (my cases by status), `my_messages` (my inbox,
    /// unread and read), `my_calendar` (new and upcoming appointments, the next few),
    /// `latest_announcements` (the latest few, unread count), `my_report_indicators` (my
    /// indicators this month), `my_correspondence` (letters I created this month),
    /// `need_help` (staff resources for me), `labor_market_services` (labour-market links for
    /// me), `surveys` (open to me, unanswered, the newest).
    WidgetKind => domain::WidgetKind {
        /// My cases by status.
        ActiveCaseLoad,
        /// My inbox: unread and read counts.
        MyMessages,
        /// My calendar: new and upcoming counts and the next appointments.
        MyCalendar,
        /// The latest announcements addressed to me and how many I have not read.
        LatestAnnouncements,
        /// My report indicators for the current month (Pacific time), to today.
        MyReportIndicators,
        /// How many letters (correspondence) I created this month (Pacific time).
        MyCorrespondence,
        /// "Need Help or More Information": the staff resources for me, how many and the newest.
        NeedHelp,
        /// "Labor Market Services": the labour-market links for me, how many and the newest.
        LaborMarketServices,
        /// Surveys open to me: how many, how many I have not answered, the newest.
        Surveys,
    }
);

/// How many of my cases are in one status.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusCount {
    /// The status.
    pub status: CaseStatus,
    /// How many of my cases are in it.
    pub count: i64,
}

/// My inbox's counts (archived messages aside).
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageCounts {
    /// Not read yet.
    pub unread: i64,
    /// Read.
    pub read: i64,
}

/// The latest announcements addressed to me.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnnouncementsWidget {
    /// Shown now and not read by me.
    pub unread: i64,
    /// The latest three, newest first.
    pub latest: Vec<AnnouncementResponse>,
}

/// One widget: its `kind`, and the data of that kind in the field named for it (the other
/// data fields are absent).
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WidgetResponse {
    /// Which widget.
    pub kind: WidgetKind,
    /// `active_case_load`: my cases per status (every status, zeros included).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case_load: Option<Vec<StatusCount>>,
    /// `my_messages`: my inbox's counts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub messages: Option<MessageCounts>,
    /// `my_calendar`: upcoming and new counts, the next three appointments.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calendar: Option<CalendarSummaryResponse>,
    /// `latest_announcements`: the latest three and the unread count.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub announcements: Option<AnnouncementsWidget>,
    /// `my_report_indicators`: my counts this month (absent for admins without an office).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indicators: Option<IndicatorsDto>,
    /// `my_correspondence`: the letters I created this month.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correspondence: Option<CorrespondenceCount>,
    /// `need_help`: the staff resources for me.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourcesWidget>,
    /// `labor_market_services`: the labour-market links for me.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub labor_market_links: Option<LaborMarketWidget>,
    /// `surveys`: the surveys open to me.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub surveys: Option<SurveysWidget>,
}

/// The staff resources for me (every office's and my office's).
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResourcesWidget {
    /// How many.
    pub count: i64,
    /// The newest three.
    pub latest: Vec<StaffResourceResponse>,
}

/// The labour-market links for me (every office's and my office's).
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LaborMarketWidget {
    /// How many.
    pub count: i64,
    /// The newest three.
    pub latest: Vec<LaborMarketLinkResponse>,
}

/// The surveys open to me.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveysWidget {
    /// Open to me now.
    pub open: i64,
    /// Of those, how many I have not answered.
    pub unanswered: i64,
    /// The newest open to me, with whether I answered it.
    pub latest: Option<SurveyResponse>,
}

/// The letters (correspondence) I created this month.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrespondenceCount {
    /// Created since the first of the month (Pacific time).
    pub created_this_month: i64,
}

/// My dashboard.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DashboardResponse {
    /// The widgets I chose (the default set until I choose), in order.
    pub widgets: Vec<WidgetResponse>,
}

/// Which widgets my dashboard shows, in order.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DashboardWidgetsRequest {
    /// Known kinds, each at most once (422 `duplicate_widget`); empty shows none.
    #[schema(max_items = 9)]
    pub widgets: Vec<WidgetKind>,
}

impl WidgetResponse {
    fn empty(kind: WidgetKind) -> Self {
        WidgetResponse {
            kind,
            case_load: None,
            messages: None,
            calendar: None,
            announcements: None,
            indicators: None,
            correspondence: None,
            resources: None,
            labor_market_links: None,
            surveys: None,
        }
    }

    fn new(widget: Widget, now: chrono::DateTime<chrono::Utc>) -> Self {
        match widget {
            Widget::ActiveCaseLoad(counts) => WidgetResponse {
                case_load: Some(
                    counts
                        .into_iter()
                        .map(|(status, count)| StatusCount {
                            status: status.into(),
                            count,
                        })
                        .collect(),
                ),
                ..Self::empty(WidgetKind::ActiveCaseLoad)
            },
            Widget::MyMessages(unread, read) => WidgetResponse {
                messages: Some(MessageCounts { unread, read }),
                ..Self::empty(WidgetKind::MyMessages)
            },
            Widget::MyCalendar(summary) => WidgetResponse {
                calendar: Some(CalendarSummaryResponse {
                    upcoming: summary.upcoming,
                    new: summary.new,
                    next: summary
                        .next
                        .into_iter()
                        .map(AppointmentResponse::new)
                        .collect(),
                }),
                ..Self::empty(WidgetKind::MyCalendar)
            },
            Widget::LatestAnnouncements(summary) => WidgetResponse {
                announcements: Some(AnnouncementsWidget {
                    unread: summary.unread,
                    latest: summary
                        .latest
                        .into_iter()
                        .map(|(a, read)| AnnouncementResponse::new(a, read, now))
                        .collect(),
                }),
                ..Self::empty(WidgetKind::LatestAnnouncements)
            },
            Widget::MyReportIndicators(found) => WidgetResponse {
                indicators: found.map(|i| IndicatorsDto {
                    placements: i.placements,
                    activities: i
                        .activities
                        .into_iter()
                        .map(|(code, count)| ActivityCount {
                            code: code.into(),
                            count,
                        })
                        .collect(),
                    cases_opened: i.cases_opened,
                    cases_closed: i.cases_closed,
                }),
                ..Self::empty(WidgetKind::MyReportIndicators)
            },
            Widget::MyCorrespondence(created) => WidgetResponse {
                correspondence: Some(CorrespondenceCount {
                    created_this_month: created,
                }),
                ..Self::empty(WidgetKind::MyCorrespondence)
            },
            Widget::NeedHelp(count, latest) => WidgetResponse {
                resources: Some(ResourcesWidget {
                    count,
                    latest: latest.into_iter().map(StaffResourceResponse::new).collect(),
                }),
                ..Self::empty(WidgetKind::NeedHelp)
            },
            Widget::LaborMarketServices(count, latest) => WidgetResponse {
                labor_market_links: Some(LaborMarketWidget {
                    count,
                    latest: latest
                        .into_iter()
                        .map(LaborMarketLinkResponse::new)
                        .collect(),
                }),
                ..Self::empty(WidgetKind::LaborMarketServices)
            },
            Widget::Surveys(open, unanswered, latest) => WidgetResponse {
                surveys: Some(SurveysWidget {
                    open,
                    unanswered,
                    latest: latest.map(|v| SurveyResponse::new(v, now)),
                }),
                ..Self::empty(WidgetKind::Surveys)
            },
        }
    }
}

/// My dashboard
///
/// Every widget I chose (`PUT /staff/dashboard/widgets`; until then all of them), in order,
/// each with its data, in one request.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    responses((status = 200, description = "My dashboard.", body = DashboardResponse))
)]
#[get("/staff/dashboard")]
pub async fn get_dashboard(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
) -> Result<web::Json<DashboardResponse>, ApiError> {
    let now = state.clock.now();
    let widgets = state
        .db
        .read(move |conn| service::dashboard(conn, &user, now))
        .await?;
    Ok(web::Json(DashboardResponse {
        widgets: widgets
            .into_iter()
            .map(|w| WidgetResponse::new(w, now))
            .collect(),
    }))
}

/// Choose my dashboard's widgets
///
/// Which widgets my dashboard shows and in which order; each kind at most once (422
/// `duplicate_widget` at `widgets[i]`).
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    request_body = DashboardWidgetsRequest,
    responses((status = 200, description = "The widgets, as saved.", body = DashboardWidgetsRequest))
)]
#[put("/staff/dashboard/widgets")]
pub async fn set_dashboard_widgets(
    state: web::Data<AppState>,
    StaffUser(user): StaffUser,
    Json(body): Json<DashboardWidgetsRequest>,
) -> Result<web::Json<DashboardWidgetsRequest>, ApiError> {
    let kinds = body.widgets.into_iter().map(Into::into).collect();
    let now = state.clock.now();
    let saved = state
        .db
        .write(move |conn| service::set_layout(conn, &user, kinds, now))
        .await?;
    Ok(web::Json(DashboardWidgetsRequest {
        widgets: saved.into_iter().map(Into::into).collect(),
    }))
}
