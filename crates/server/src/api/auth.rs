//! `/auth/*` and `/me`.

use poem::Request;
use poem::web::Data;
use poem_openapi::payload::{Form, Json};
use poem_openapi::{ApiResponse, Enum, Object, OpenApi};
use samudbud_domain::auth::{self, ClientCredentials, LoginAttempt, TokenPair};
use samudbud_domain::{Principal, tenants, users};
use uuid::Uuid;

use super::ApiTags;
use super::tenants::TenantDto;
use super::text::Code;
use crate::problem::ApiResult;
use crate::security::BearerAuth;
use crate::state::AppState;

pub struct AuthApi;

#[derive(Object)]
#[oai(deny_unknown_fields)]
struct LoginRequest {
    /// The user's e-mail address.
    email: Code,
    #[oai(write_only)]
    password: Code,
}

#[derive(Object)]
#[oai(deny_unknown_fields)]
struct RefreshRequest {
    /// The refresh token from the last login or refresh. Each works once.
    refresh_token: Code,
}

/// A session's tokens.
#[derive(Object)]
struct TokenResponse {
    /// Send as `Authorization: Bearer …`. Valid for `expires_in` seconds.
    access_token: String,
    /// Exchange at `POST /auth/refresh` for a new pair; single use.
    refresh_token: String,
    /// Always `Bearer`.
    token_type: String,
    /// Seconds until the access token expires.
    expires_in: i64,
}

impl From<TokenPair> for TokenResponse {
    fn from(pair: TokenPair) -> Self {
        Self {
            access_token: pair.access_token,
            refresh_token: pair.refresh_token,
            token_type: "Bearer".into(),
            expires_in: pair.expires_in_secs,
        }
    }
}

/// An OAuth 2.0 client-credentials token request (RFC 6749 §4.4). The
/// client id and secret come here or as HTTP Basic credentials.
#[derive(Object, serde::Deserialize)]
struct ClientTokenRequest {
    /// Must be `client_credentials`.
    grant_type: String,
    client_id: Option<String>,
    client_secret: Option<String>,
    /// Space-separated subset of the client's scopes; default all of them.
    scope: Option<String>,
}

/// An API client's access token.
#[derive(Object)]
struct ClientTokenResponse {
    access_token: String,
    /// Always `Bearer`.
    token_type: String,
    /// Seconds until the token expires; then ask for a new one.
    expires_in: i64,
    /// The scopes the token carries, space-separated.
    scope: String,
}

/// Client id and secret from an `Authorization: Basic` header.
fn basic_credentials(req: &Request) -> Option<(String, String)> {
    use base64::Engine;
    let value = req.headers().get("authorization")?.to_str().ok()?;
    let encoded = value
        .strip_prefix("Basic ")
        .or_else(|| value.strip_prefix("basic "))?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

/// What the principal is in Samudbud.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[oai(rename_all = "lowercase")]
pub enum PrincipalRole {
    Admin,
    Editor,
    Viewer,
    Operator,
    /// An integrator's API client.
    Client,
}

/// The logged-in user and their municipality.
#[derive(Object)]
#[oai(skip_serializing_if_is_none)]
struct Me {
    id: Uuid,
    email: String,
    name: String,
    role: PrincipalRole,
    /// The user's municipality; absent for platform operators.
    tenant: Option<TenantDto>,
}

#[derive(ApiResponse)]
enum LogoutResponse {
    /// The session has ended (also when it had already ended).
    #[oai(status = 204)]
    Ended,
}

#[OpenApi(tag = "ApiTags::Auth")]
impl AuthApi {
    /// Log in with e-mail and password.
    ///
    /// Repeated failures for one account or from one address are refused
    /// with 429 and `Retry-After` for the rest of a 15-minute window.
    #[oai(path = "/auth/login", method = "post", operation_id = "login")]
    async fn login(
        &self,
        state: Data<&AppState>,
        req: &Request,
        body: Json<LoginRequest>,
    ) -> ApiResult<Json<TokenResponse>> {
        let attempt = LoginAttempt {
            email: body.0.email.into(),
            password: body.0.password.into(),
            client_address: state.trusted_proxies.client_address_of(req),
        };
        let pair = auth::login(&state.db, &state.keys, attempt).await?;
        Ok(Json(pair.into()))
    }

    /// Exchange a refresh token for a new token pair.
    ///
    /// The presented token is used up. Presenting a used token again revokes
    /// the whole session, since it means the token was copied.
    #[oai(path = "/auth/refresh", method = "post", operation_id = "refreshToken")]
    async fn refresh(
        &self,
        state: Data<&AppState>,
        body: Json<RefreshRequest>,
    ) -> ApiResult<Json<TokenResponse>> {
        let pair = auth::refresh(&state.db, &state.keys, &body.0.refresh_token).await?;
        Ok(Json(pair.into()))
    }

    /// End the session the refresh token belongs to.
    #[oai(path = "/auth/logout", method = "post", operation_id = "logout")]
    async fn logout(
        &self,
        state: Data<&AppState>,
        body: Json<RefreshRequest>,
    ) -> ApiResult<LogoutResponse> {
        auth::logout(&state.db, &body.0.refresh_token).await?;
        Ok(LogoutResponse::Ended)
    }

    /// Exchange an API client's id and secret for an access token
    /// (OAuth 2.0 client credentials). The token acts for the client's
    /// municipality alone, within the scopes it carries.
    #[oai(
        path = "/auth/token",
        method = "post",
        operation_id = "issueClientToken"
    )]
    async fn token(
        &self,
        state: Data<&AppState>,
        req: &Request,
        body: Form<ClientTokenRequest>,
    ) -> ApiResult<Json<ClientTokenResponse>> {
        let body = body.0;
        if body.grant_type != "client_credentials" {
            return Err(samudbud_domain::DomainError::invalid(
                "grant_type",
                "unsupported_grant_type",
                "only the client_credentials grant is supported",
            )
            .into());
        }
        let (client_id, client_secret) =
            match (body.client_id, body.client_secret, basic_credentials(req)) {
                (Some(id), Some(secret), _) => (id, secret),
                (_, _, Some(basic)) => basic,
                _ => {
                    return Err(samudbud_domain::DomainError::Unauthenticated(
                        "send client_id and client_secret, in the form or as Basic credentials",
                    )
                    .into());
                }
            };
        let token = auth::client_token(
            &state.db,
            &state.keys,
            ClientCredentials {
                client_id,
                client_secret,
                scope: body.scope,
                client_address: state.trusted_proxies.client_address_of(req),
            },
        )
        .await?;
        Ok(Json(ClientTokenResponse {
            access_token: token.access_token,
            token_type: "Bearer".into(),
            expires_in: token.expires_in_secs,
            scope: samudbud_domain::principal::ClientScope::join(&token.scopes),
        }))
    }

    /// The logged-in user (or API client), their role and municipality.
    #[oai(path = "/me", method = "get", operation_id = "getMe")]
    async fn me(&self, state: Data<&AppState>, auth: BearerAuth) -> ApiResult<Json<Me>> {
        let tenant = tenants::own_tenant(&state.db, &auth.0).await?;
        if let Principal::Client {
            client_id, name, ..
        } = &auth.0.principal
        {
            return Ok(Json(Me {
                id: *client_id,
                email: String::new(),
                name: name.clone(),
                role: PrincipalRole::Client,
                tenant: tenant.map(TenantDto::from),
            }));
        }
        let user = users::current_user(&state.db, &auth.0).await?;
        let role = match &auth.0.principal {
            Principal::User { role, .. } => match role {
                samudbud_domain::Role::Admin => PrincipalRole::Admin,
                samudbud_domain::Role::Editor => PrincipalRole::Editor,
                samudbud_domain::Role::Viewer => PrincipalRole::Viewer,
            },
            Principal::Operator { .. } | Principal::Console => PrincipalRole::Operator,
            Principal::Client { .. } => PrincipalRole::Client,
        };
        Ok(Json(Me {
            id: user.id,
            email: user.email,
            name: user.name,
            role,
            tenant: tenant.map(TenantDto::from),
        }))
    }
}
