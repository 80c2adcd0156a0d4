//! Bearer authentication for the API: the token becomes a `Caller`, the
//! acting `Principal` with its municipality's view version.

use std::ops::Deref;

use poem::Request;
use poem::http::StatusCode;
use poem_openapi::SecurityScheme;
use poem_openapi::auth::Bearer;
use samudbud_domain::contracts::ContractAhead;
use samudbud_domain::view_versions::ViewVersion;
use samudbud_domain::{Principal, auth, rate_limits};
use uuid::Uuid;

use crate::problem::ApiError;
use crate::state::AppState;

/// An access token from `POST /auth/login` or `POST /auth/refresh`.
#[derive(SecurityScheme)]
#[oai(ty = "bearer", bearer_format = "JWT", checker = "check_bearer")]
pub struct BearerAuth(pub Caller);

/// Who makes the request, read with the request's first statement.
pub struct Caller {
    pub principal: Principal,
    /// The view version of the caller's municipality (none for an
    /// operator), for answers the response cache may keep.
    pub view: Option<ViewVersion>,
}

/// A caller is used as its principal everywhere but in the response cache.
impl Deref for Caller {
    type Target = Principal;

    fn deref(&self) -> &Principal {
        &self.principal
    }
}

/// The same token as [`BearerAuth`], for reading the contract of the
/// path's `id`: on PostgreSQL the contract is read in the statement that
/// reads the account, so the request makes one round trip to the database
/// instead of two.
#[derive(SecurityScheme)]
#[oai(
    rename = "BearerAuth",
    ty = "bearer",
    bearer_format = "JWT",
    checker = "check_bearer_reading_contract"
)]
pub struct BearerReadingContract(pub ReadingContract);

/// The caller of a request for one contract, with what was read of it.
pub struct ReadingContract {
    pub caller: Caller,
    pub ahead: Option<ContractAhead>,
}

async fn check_bearer(req: &Request, bearer: Bearer) -> poem::Result<Caller> {
    Ok(check(req, bearer, None).await?.caller)
}

async fn check_bearer_reading_contract(
    req: &Request,
    bearer: Bearer,
) -> poem::Result<ReadingContract> {
    // The scheme serves `GET /contracts/{id}` only: the id is the path's
    // last segment (poem-openapi names path parameters by position). A
    // segment that is no id reads nothing ahead; the parameter's own check
    // answers it.
    let contract = req
        .uri()
        .path()
        .rsplit('/')
        .next()
        .and_then(|id| Uuid::parse_str(id).ok());
    check(req, bearer, contract).await
}

async fn check(
    req: &Request,
    bearer: Bearer,
    contract: Option<Uuid>,
) -> poem::Result<ReadingContract> {
    let state = req
        .data::<AppState>()
        .ok_or_else(|| poem::Error::from(ApiError::internal()))?;
    let (principal, view, ahead) =
        auth::authenticate(&state.db, &state.keys, &bearer.token, contract)
            .await
            .map_err(ApiError::from)?;
    // An integrator's request counts against its client's rate limit.
    if let Some(admission) = rate_limits::admit(&state.db, &principal)
        .await
        .map_err(ApiError::from)?
    {
        crate::middleware::note_admission(admission);
        if !admission.admitted {
            let mut error = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate-limited",
                "Too many requests",
                Some(format!(
                    "the API client may make {} requests a minute; try again in {} seconds",
                    admission.limit, admission.retry_after_secs
                )),
            );
            error.retry_after_secs = Some(admission.retry_after_secs);
            return Err(error.into());
        }
    }
    Ok(ReadingContract {
        caller: Caller { principal, view },
        ahead,
    })
}
