//! Bearer authentication for the API: the token becomes a `Principal`.

use poem::Request;
use poem::http::StatusCode;
use poem_openapi::SecurityScheme;
use poem_openapi::auth::Bearer;
use samudbud_domain::{Principal, auth, rate_limits};

use crate::problem::ApiError;
use crate::state::AppState;

/// An access token from `POST /auth/login` or `POST /auth/refresh`.
#[derive(SecurityScheme)]
#[oai(ty = "bearer", bearer_format = "JWT", checker = "check_bearer")]
pub struct BearerAuth(pub Principal);

async fn check_bearer(req: &Request, bearer: Bearer) -> poem::Result<Principal> {
    let state = req
        .data::<AppState>()
        .ok_or_else(|| poem::Error::from(ApiError::internal()))?;
    let principal = auth::authenticate(&state.db, &state.keys, &bearer.token)
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
    Ok(principal)
}
