//! SQLite backups: taken while the server writes, they hold every write it
//! acknowledged before they began; a restore refuses while a server runs.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use reqwest::{Method, StatusCode};
use samudbud_api_tests::{Backend, TestApp};
use samudbud_domain::Role;
use samudbud_server::backup::{self, ServeLock};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use tokio::sync::Mutex;
use uuid::Uuid;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_under_write_load_holds_every_acknowledged_write() {
    let app = TestApp::start(Backend::Sqlite).await.unwrap();
    let tenant = app.create_tenant("Sorø Kommune", "340").await;
    app.create_user(tenant, "redaktoer@soroe.dk", Role::Editor)
        .await;
    let token = app.token("redaktoer@soroe.dk").await;
    let app = Arc::new(app);

    // Four writers register systems as fast as the server takes them.
    let acknowledged = Arc::new(Mutex::new(Vec::<Uuid>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for writer in 0..4 {
        let (app, token, acknowledged, stop) = (
            app.clone(),
            token.clone(),
            acknowledged.clone(),
            stop.clone(),
        );
        writers.push(tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                let response = app
                    .request(Method::POST, "/api/v1/systems", Some(&token))
                    .json(&serde_json::json!({"name": format!("System {writer}-{n}")}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), StatusCode::CREATED);
                let body: serde_json::Value = response.json().await.unwrap();
                acknowledged
                    .lock()
                    .await
                    .push(body["id"].as_str().unwrap().parse().unwrap());
                n += 1;
            }
        }));
    }
    while acknowledged.lock().await.len() < 40 {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backup.db");
    let before: Vec<Uuid> = acknowledged.lock().await.clone();
    backup::backup(&app.db, &file).await.unwrap();
    // Writes went on during the backup.
    let during = acknowledged.lock().await.len();
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.await.unwrap();
    }
    assert!(
        backup::backup(&app.db, &file).await.is_err(),
        "an existing file is never overwritten"
    );

    // Restored into a database of its own, every acknowledged write is there.
    let restored = dir.path().join("restored.db");
    let url = format!("sqlite://{}?mode=rwc", restored.display());
    backup::restore(&url, &file).await.unwrap();
    let db = samudbud_domain::Db::connect(&url).await.unwrap();
    let rows = db
        .connection()
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT id FROM it_systems",
        ))
        .await
        .unwrap();
    let found: BTreeSet<Uuid> = rows
        .iter()
        .map(|row| row.try_get::<Uuid>("", "id").unwrap())
        .collect();
    let missing: Vec<&Uuid> = before.iter().filter(|id| !found.contains(id)).collect();
    assert!(
        missing.is_empty(),
        "acknowledged writes missing: {missing:?}"
    );
    eprintln!(
        "backup: {} writes acknowledged before it, {during} by its end, {} in the copy",
        before.len(),
        found.len()
    );
    db.connection().clone().close().await.ok();

    // While a server holds the database, a restore refuses and changes nothing.
    let serving = ServeLock::acquire(&url).unwrap();
    let refused = backup::restore(&url, &file).await.unwrap_err();
    assert!(
        refused.to_string().contains("stop every server"),
        "{refused}"
    );
    drop(serving);
    // A file that is no database is refused before anything is replaced.
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, b"not a database at all, just some bytes").unwrap();
    assert!(backup::restore(&url, &junk).await.is_err());
    let db = samudbud_domain::Db::connect(&url).await.unwrap();
    let rows = db
        .connection()
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT id FROM it_systems",
        ))
        .await
        .unwrap();
    assert_eq!(rows.len(), found.len());
}
