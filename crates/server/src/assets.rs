//! The web app's hashed assets, sent compressed when the browser accepts
//! it: the build writes a `.br` and a `.gz` copy next to each text asset,
//! and the smallest one the `Accept-Encoding` header allows is sent. An
//! asset that is not there is a 404, never the page.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use poem::error::NotFoundError;
use poem::http::{HeaderValue, Method, header};
use poem::{Endpoint, IntoResponse, Request, Response, Result};

/// Content codings we have files for, best first, with their suffixes.
const CODINGS: [(&str, &str); 2] = [("br", ".br"), ("gzip", ".gz")];

/// Whether `accept` (an `Accept-Encoding` value) allows `coding`: named,
/// or covered by `*`, with a quality above zero.
pub fn accepts(accept: &str, coding: &str) -> bool {
    let mut named = None;
    let mut wildcard = None;
    for item in accept.split(',') {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let quality = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .filter_map(|q| q.trim().parse::<f32>().ok())
            .next()
            .unwrap_or(1.0);
        if name == coding {
            named = Some(quality);
        } else if name == "*" {
            wildcard = Some(quality);
        }
    }
    named.or(wildcard).is_some_and(|q| q > 0.0)
}

fn content_type(path: &str) -> Option<&'static str> {
    let extension = path.rsplit_once('.')?.1;
    Some(match extension {
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "json" | "map" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        _ => return None,
    })
}

/// The file under `root` that `path` names, if it is a plain relative path.
fn file_under(root: &Path, path: &str) -> Option<PathBuf> {
    let relative = path.strip_prefix('/')?;
    let plain = relative.split('/').all(|segment| {
        !segment.is_empty() && segment != "." && segment != ".." && !segment.contains('\\')
    });
    plain.then(|| root.join(relative))
}

/// Sends a precompressed copy of a hashed asset when there is one and the
/// browser accepts it; everything else goes to `next` (the plain files).
/// Either way an asset's response says that it varies by `Accept-Encoding`.
pub async fn precompressed<E: Endpoint>(
    next: Arc<E>,
    req: Request,
    root: Arc<PathBuf>,
) -> Result<Response> {
    let path = req.uri().path().to_owned();
    if !path.starts_with("/assets/") {
        return next.call(req).await.map(IntoResponse::into_response);
    }
    let method_fits = req.method() == Method::GET || req.method() == Method::HEAD;
    let accept = req
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let ranged = req.headers().contains_key(header::RANGE);
    let file = file_under(&root, &path);
    // A hashed asset that is not there is not the page either: the index
    // would otherwise be cached for a year under the asset's name.
    let exists = match &file {
        Some(file) => tokio::fs::metadata(file)
            .await
            .is_ok_and(|meta| meta.is_file()),
        None => false,
    };
    if !exists {
        return Err(NotFoundError.into());
    }
    if method_fits
        && !ranged
        && let (Some(kind), Some(file)) = (content_type(&path), file)
    {
        for (coding, suffix) in CODINGS {
            if !accepts(&accept, coding) {
                continue;
            }
            let mut compressed = file.clone().into_os_string();
            compressed.push(suffix);
            // A missing copy (a small file, or one the build skipped) falls through.
            let Ok(bytes) = tokio::fs::read(&compressed).await else {
                continue;
            };
            let head = req.method() == Method::HEAD;
            let length = bytes.len();
            let mut response = Response::builder()
                .header(header::CONTENT_TYPE, kind)
                .header(header::CONTENT_ENCODING, coding)
                .header(header::VARY, "Accept-Encoding")
                .body(if head { Vec::new() } else { bytes });
            if head {
                response
                    .headers_mut()
                    .insert(header::CONTENT_LENGTH, HeaderValue::from(length));
            }
            return Ok(response);
        }
    }
    let mut response = next.call(req).await.map(IntoResponse::into_response)?;
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_encoding_is_read_with_its_qualities() {
        assert!(accepts("gzip, deflate, br, zstd", "br"));
        assert!(accepts("gzip, deflate, br, zstd", "gzip"));
        assert!(!accepts("gzip", "br"));
        assert!(!accepts("", "gzip"));
        assert!(!accepts("br;q=0, gzip", "br"));
        assert!(accepts("BR;q=0.5", "br"));
        assert!(accepts("*", "gzip"));
        assert!(!accepts("*;q=0", "gzip"));
        assert!(!accepts("*, gzip;q=0", "gzip"));
    }

    #[test]
    fn only_plain_paths_name_files() {
        let root = Path::new("/srv/web");
        assert_eq!(
            file_under(root, "/assets/index-abc.js"),
            Some(PathBuf::from("/srv/web/assets/index-abc.js"))
        );
        assert_eq!(file_under(root, "/assets/../secret"), None);
        assert_eq!(file_under(root, "/assets//x.js"), None);
        assert_eq!(file_under(root, "/assets/a\\..\\b.js"), None);
    }
}
