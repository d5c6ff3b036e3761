//! The first admin, created at start when there is none.

use merit_domain::{
    account::{PersonName, Role, Username, temporary_password},
    ids::{AccountId, EntityId},
};
use merit_persistence::accounts;
use secrecy::ExposeSecret;
use serde_json::json;

use crate::{
    auth::tokens,
    error::{ApiError, Code},
    services::audit::{self, AuditKind},
    settings::Settings,
    state::AppState,
};

/// The first admin's username.
pub const ADMIN_USERNAME: &str = "admin";

/// Checks `MERIT_BOOTSTRAP_ADMIN_PASSWORD` against the password policy, so that `merit serve`
/// stops on it at once rather than after reaching the database.
pub fn check_configured_password(settings: &Settings) -> anyhow::Result<()> {
    let Some(configured) = &settings.bootstrap_admin_password else {
        return Ok(());
    };
    if let Err(broken) = settings
        .password_policy()
        .check(configured.expose_secret(), &[ADMIN_USERNAME])
    {
        let rules: Vec<String> = broken.iter().map(ToString::to_string).collect();
        anyhow::bail!(
            "MERIT_BOOTSTRAP_ADMIN_PASSWORD breaks the password policy: {}",
            rules.join(" ")
        );
    }
    Ok(())
}

/// Creates the `admin` account when no admin exists, with `MERIT_BOOTSTRAP_ADMIN_PASSWORD` or a
/// random password. Returns the random password, which the caller shows once.
pub async fn ensure_admin(state: &AppState) -> anyhow::Result<Option<String>> {
    let exists = state
        .db
        .read(|conn| Ok(accounts::any_with_role(conn, Role::Admin)?))
        .await;
    if exists.map_err(|e| anyhow::anyhow!("cannot look for an admin: {e}"))? {
        return Ok(None);
    }
    check_configured_password(&state.settings)?;
    let (password, generated) = match &state.settings.bootstrap_admin_password {
        Some(configured) => (configured.expose_secret().to_owned(), false),
        None => (temporary_password(&tokens::random_bytes(32)), true),
    };
    let hash = state
        .hasher
        .hash(password.clone())
        .await
        .map_err(|e| anyhow::anyhow!("cannot hash: {e}"))?;
    let now = state.clock.now();
    let created = state
        .db
        .write(move |conn| {
            let id = AccountId::from_uuid(uuid::Uuid::now_v7());
            let username = Username::parse(ADMIN_USERNAME).map_err(ApiError::internal)?;
            let first = PersonName::parse("Merit").map_err(ApiError::internal)?;
            let last = PersonName::parse("Administrator").map_err(ApiError::internal)?;
            let new = accounts::NewAccount {
                id,
                username: Some(&username),
                email: None,
                employee_id: None,
                first_name: &first,
                last_name: &last,
                password_hash: Some(&hash),
                temporary_password_expires_at: None,
                department: None,
                office: None,
                roles: &[Role::Admin],
            };
            accounts::insert(conn, &new, now)?;
            audit::record(
                conn,
                AuditKind::AccountCreated,
                None,
                Some(id),
                json!({"roles": ["admin"], "bootstrap": true}),
                now,
            )?;
            Ok(())
        })
        .await;
    match created {
        Ok(()) => Ok(generated.then_some(password)),
        // Another instance starting at the same moment made it first: nothing to do.
        Err(e) if e.code() == Code::Conflict => Ok(None),
        Err(e) => Err(anyhow::anyhow!("cannot create the first admin: {e}")),
    }
}
