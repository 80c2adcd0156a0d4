//! Bearer authentication for the API: the token becomes a `Principal`.

use poem::Request;
use poem_openapi::SecurityScheme;
use poem_openapi::auth::Bearer;
use samudbud_domain::{Principal, auth};

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
    auth::authenticate(&state.db, &state.keys, &bearer.token)
        .await
        .map_err(|e| ApiError::from(e).into())
}
