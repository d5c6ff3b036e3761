//! A department's own stages.

use actix_web::{get, put, web};
use merit_domain::{
    application::{Stage, StageError, StageSet},
    reference::DepartmentCode,
};

use super::department_dto::{StageDto, StagesDto};
use crate::{
    auth::AuthUser, error::ApiError, extract::Json, openapi::NotFound,
    services::applications as service, state::AppState,
};

fn department(code: &str) -> Result<DepartmentCode, ApiError> {
    DepartmentCode::parse(code).map_err(|_| ApiError::not_found("department"))
}

fn stages_dto(stages: Vec<Stage>) -> StagesDto {
    StagesDto {
        stages: stages
            .into_iter()
            .map(|s| StageDto {
                name: s.name.into(),
                status: s.status.into(),
                notify: s.notify,
            })
            .collect(),
    }
}

/// A department's application stages
///
/// For its employers and admins: the stage names the department moves applications through,
/// each mapped to one public status.
#[utoipa::path(
    tag = "applications",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "The department's code.")),
    responses((status = 200, description = "The stages, in order.", body = StagesDto), (status = 404, response = NotFound))
)]
#[get("/departments/{code}/application-stages")]
pub async fn get_application_stages(
    state: web::Data<AppState>,
    user: AuthUser,
    code: web::Path<String>,
) -> Result<web::Json<StagesDto>, ApiError> {
    let department = department(&code)?;
    let stages = state
        .db
        .read(move |conn| service::stages(conn, &user, &department))
        .await?;
    Ok(web::Json(stages_dto(stages)))
}

fn stage_error(error: StageError) -> ApiError {
    let field = match &error {
        StageError::TooMany => "stages".to_owned(),
        StageError::Name(i) => format!("stages[{i}].name"),
        StageError::Duplicate(i) => format!("stages[{i}].name"),
        StageError::Status(i, _) => format!("stages[{i}].status"),
    };
    let code = match &error {
        StageError::TooMany => "too_many",
        StageError::Name(_) => "invalid",
        StageError::Duplicate(_) => "duplicate",
        StageError::Status(..) => "status_not_settable",
    };
    ApiError::invalid(&field, code, format!("{error}."))
}

/// Replace a department's application stages
///
/// Each stage names one public status (one a department sets: not `draft`, `received`,
/// `withdrawn` or `cancelled`) and whether reaching it emails the applicant.
#[utoipa::path(
    tag = "applications",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "The department's code.")),
    request_body = StagesDto,
    responses((status = 200, description = "The stages, in order.", body = StagesDto), (status = 404, response = NotFound))
)]
#[put("/departments/{code}/application-stages")]
pub async fn replace_application_stages(
    state: web::Data<AppState>,
    user: AuthUser,
    code: web::Path<String>,
    Json(body): Json<StagesDto>,
) -> Result<web::Json<StagesDto>, ApiError> {
    let department = department(&code)?;
    let stages = body
        .stages
        .into_iter()
        .map(|s| Stage {
            name: s.name.0,
            status: s.status.into(),
            notify: s.notify,
        })
        .collect();
    let set = StageSet::parse(stages).map_err(stage_error)?;
    let saved = state
        .db
        .write(move |conn| service::replace_stages(conn, &user, &department, set))
        .await?;
    Ok(web::Json(stages_dto(saved)))
}
