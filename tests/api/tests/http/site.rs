//! The operator's details for the footer, and the web app's assets sent
//! compressed as the browser accepts.

use std::path::PathBuf;

use reqwest::{Method, StatusCode};
use samudbud_api_tests::{
    TestApp, expect_json, expect_problem, on_both_databases, on_both_databases_with,
};
use samudbud_server::config::{Settings, SiteSettings};

on_both_databases!(without_settings_the_site_names_no_operator);
on_both_databases_with!(operated, an_operator;
    the_site_names_its_operator_and_serves_the_logo,
);
on_both_databases_with!(built_web_app, a_built_web_app;
    hashed_assets_come_compressed_when_accepted_and_plain_otherwise,
);

const SCRIPT: &str = "console.log('Samudbud');\n";
const BROTLI: &[u8] = b"brotli bytes stand in for the real thing";
const GZIP: &[u8] = b"\x1f\x8b gzip bytes stand in for the real thing";

/// A directory of its own under the system's temporary directory.
fn fresh_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("samudbud-{name}-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn an_operator(settings: &mut Settings) {
    let dir = fresh_dir("logo");
    let logo = dir.join("logo.svg");
    std::fs::write(&logo, "<svg xmlns=\"http://www.w3.org/2000/svg\"/>").unwrap();
    settings.site = SiteSettings {
        operator_name: Some("Sorø Kommune, Digitalisering".into()),
        contact_email: Some("digitalisering@soroe.dk".into()),
        contact_phone: Some("57 87 60 00".into()),
        logo_file: Some(logo),
        ..SiteSettings::default()
    };
}

fn a_built_web_app(settings: &mut Settings) {
    let dir = fresh_dir("web");
    std::fs::create_dir_all(dir.join("assets")).unwrap();
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>Samudbud</title>",
    )
    .unwrap();
    std::fs::write(dir.join("assets/index-4f2a9c.js"), SCRIPT).unwrap();
    std::fs::write(dir.join("assets/index-4f2a9c.js.br"), BROTLI).unwrap();
    std::fs::write(dir.join("assets/index-4f2a9c.js.gz"), GZIP).unwrap();
    // Too small to be worth compressing: the build wrote no copies.
    std::fs::write(dir.join("assets/tiny-77aa.css"), "a{}").unwrap();
    settings.web_dir = Some(dir);
}

async fn without_settings_the_site_names_no_operator(app: TestApp) {
    let site = expect_json(
        app.request(Method::GET, "/api/v1/site", None)
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(site, serde_json::json!({}));
    let logo = app
        .request(Method::GET, "/api/v1/site/logo", None)
        .send()
        .await
        .unwrap();
    expect_problem(logo, StatusCode::NOT_FOUND).await;
}

async fn the_site_names_its_operator_and_serves_the_logo(app: TestApp) {
    // No login needed: the login page has the footer too.
    let site = expect_json(
        app.request(Method::GET, "/api/v1/site", None)
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(site["operator_name"], "Sorø Kommune, Digitalisering");
    assert_eq!(site["contact_email"], "digitalisering@soroe.dk");
    assert_eq!(site["contact_phone"], "57 87 60 00");
    assert_eq!(site["logo_url"], "/api/v1/site/logo");
    let logo = app
        .request(Method::GET, "/api/v1/site/logo", None)
        .send()
        .await
        .unwrap();
    assert_eq!(logo.status(), StatusCode::OK);
    assert_eq!(logo.headers()["content-type"], "image/svg+xml");
    assert!(logo.text().await.unwrap().starts_with("<svg"));
}

async fn hashed_assets_come_compressed_when_accepted_and_plain_otherwise(app: TestApp) {
    let get = |encoding: Option<&'static str>, path: &'static str| {
        let mut request = app.request_as_sent(Method::GET, path, None);
        if let Some(encoding) = encoding {
            request = request.header("accept-encoding", encoding);
        }
        request.send()
    };

    let brotli = get(Some("gzip, deflate, br"), "/assets/index-4f2a9c.js")
        .await
        .unwrap();
    assert_eq!(brotli.status(), StatusCode::OK);
    let headers = brotli.headers().clone();
    assert_eq!(headers["content-encoding"], "br");
    assert_eq!(headers["vary"], "Accept-Encoding");
    assert_eq!(
        headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    assert_eq!(brotli.bytes().await.unwrap().as_ref(), BROTLI);

    let gzip = get(Some("gzip"), "/assets/index-4f2a9c.js").await.unwrap();
    assert_eq!(gzip.headers()["content-encoding"], "gzip");
    assert_eq!(gzip.headers()["vary"], "Accept-Encoding");
    assert_eq!(gzip.bytes().await.unwrap().as_ref(), GZIP);

    // Brotli refused outright: gzip it is.
    let no_br = get(Some("br;q=0, gzip"), "/assets/index-4f2a9c.js")
        .await
        .unwrap();
    assert_eq!(no_br.headers()["content-encoding"], "gzip");

    for accept in [None, Some("identity"), Some("deflate")] {
        let plain = get(accept, "/assets/index-4f2a9c.js").await.unwrap();
        assert_eq!(plain.status(), StatusCode::OK, "{accept:?}");
        assert!(
            plain.headers().get("content-encoding").is_none(),
            "{accept:?}"
        );
        assert_eq!(plain.headers()["vary"], "Accept-Encoding");
        assert_eq!(
            plain.headers()["cache-control"],
            "public, max-age=31536000, immutable"
        );
        assert_eq!(plain.text().await.unwrap(), SCRIPT);
    }

    // No copy on disk: the plain file, whatever is accepted.
    let tiny = get(Some("br, gzip"), "/assets/tiny-77aa.css")
        .await
        .unwrap();
    assert_eq!(tiny.status(), StatusCode::OK);
    assert!(tiny.headers().get("content-encoding").is_none());
    assert_eq!(tiny.text().await.unwrap(), "a{}");

    // A missing asset is not found, compressed or not; the page itself is not an asset.
    let missing = get(Some("br"), "/assets/gone-000.js").await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let page = get(Some("br"), "/").await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.headers().get("content-encoding").is_none());
    assert_eq!(page.headers()["cache-control"], "no-cache");
}
