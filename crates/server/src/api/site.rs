//! `/site`: who runs the installation, for the web app's footer and
//! accessibility statement. Public: the login page shows it too.

use poem::http::{HeaderValue, StatusCode, header};
use poem::web::Data;
use poem::{IntoResponse, Response, handler};
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};

use super::{API_PREFIX, ApiTags};
use crate::problem::{ApiError, ApiResult};
use crate::state::AppState;

pub struct SiteApi;

/// The operator of the installation and how to reach them.
#[derive(Object)]
#[oai(rename = "Site", skip_serializing_if_is_none)]
struct SiteDto {
    /// Who runs the installation, e.g. `Sorø Kommune, Digitalisering`.
    operator_name: Option<String>,
    /// Where users write about the service and its accessibility.
    contact_email: Option<String>,
    contact_phone: Option<String>,
    /// The operator's logo, when one is configured.
    logo_url: Option<String>,
}

#[OpenApi(prefix_path = "/site", tag = "ApiTags::Site")]
impl SiteApi {
    /// The operator's name, contact and logo (no login needed).
    #[oai(path = "/", method = "get", operation_id = "getSite")]
    async fn get(&self, state: Data<&AppState>) -> ApiResult<Json<SiteDto>> {
        let site = &state.site;
        Ok(Json(SiteDto {
            operator_name: site.operator_name.clone(),
            contact_email: site.contact_email.clone(),
            contact_phone: site.contact_phone.clone(),
            logo_url: state
                .logo
                .as_ref()
                .map(|_| format!("{API_PREFIX}/site/logo")),
        }))
    }
}

/// The logo as configured: an image, outside the API document since it is
/// not JSON and only the web app shows it.
#[handler]
pub fn site_logo(state: Data<&AppState>) -> Response {
    match &state.logo {
        Some(logo) => {
            let mut response = Response::builder().body(logo.bytes.clone());
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(logo.content_type),
            );
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            );
            response
        }
        None => ApiError::new(
            StatusCode::NOT_FOUND,
            "not-found",
            "Not found",
            Some("no logo is configured".to_owned()),
        )
        .into_response(),
    }
}
