//! Bulk actions on the contract register, editors sharing, and attachments
//! shared per share.

use reqwest::{Method, StatusCode};
use samudbud_api_tests::{TestApp, expect_json, expect_problem, on_both_databases};
use samudbud_domain::Role;
use serde_json::{Value, json};
use uuid::Uuid;

on_both_databases!(
    bulk_actions_are_all_or_nothing_and_counted,
    bulk_sharing_reaches_the_partners_and_needs_an_editor,
    attachments_go_with_a_share_only_when_included,
);

/// Sorø (editor, viewer, admin) and Ringsted (admin, editor) in one
/// collaboration; Næstved (editor) outside it. Sorø has a supplier.
struct Lab {
    app: TestApp,
    soroe_editor: String,
    soroe_viewer: String,
    ringsted_editor: String,
    outsider_editor: String,
    collaboration: String,
    supplier: Value,
}

impl Lab {
    async fn call(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> reqwest::Response {
        let mut request = self
            .app
            .request(method, &format!("/api/v1{path}"), Some(token));
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.unwrap()
    }

    async fn create(&self, token: &str, title: &str, supplier: &Value) -> String {
        let created = expect_json(
            self.call(
                token,
                Method::POST,
                "/contracts",
                Some(json!({
                    "title": title,
                    "supplier_id": supplier["id"],
                    "start_on": "2024-01-01",
                })),
            )
            .await,
            StatusCode::CREATED,
        )
        .await;
        created["id"].as_str().unwrap().to_owned()
    }

    async fn bulk(&self, token: &str, ids: &[&str], action: Value) -> reqwest::Response {
        self.call(
            token,
            Method::POST,
            "/contracts/bulk",
            Some(json!({"contract_ids": ids, "action": action})),
        )
        .await
    }

    async fn counts(&self, ids: &[&str], action: Value) -> (u64, u64) {
        let done = expect_json(
            self.bulk(&self.soroe_editor, ids, action).await,
            StatusCode::OK,
        )
        .await;
        (
            done["changed"].as_u64().unwrap(),
            done["unchanged"].as_u64().unwrap(),
        )
    }

    async fn contract(&self, id: &str) -> Value {
        expect_json(
            self.call(
                &self.soroe_editor,
                Method::GET,
                &format!("/contracts/{id}"),
                None,
            )
            .await,
            StatusCode::OK,
        )
        .await
    }

    async fn etag(&self, id: &str) -> String {
        let read = self
            .call(
                &self.soroe_editor,
                Method::GET,
                &format!("/contracts/{id}"),
                None,
            )
            .await;
        assert_eq!(read.status(), StatusCode::OK);
        read.headers()["etag"].to_str().unwrap().to_owned()
    }

    async fn actions(&self, id: &str) -> Vec<String> {
        let history = expect_json(
            self.call(
                &self.soroe_editor,
                Method::GET,
                &format!("/contracts/{id}/history"),
                None,
            )
            .await,
            StatusCode::OK,
        )
        .await;
        history["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap().to_owned())
            .collect()
    }
}

async fn lab(app: TestApp) -> Lab {
    let soroe = app.create_tenant("Sorø Kommune", "340").await;
    let ringsted = app.create_tenant("Ringsted Kommune", "329").await;
    let outsider = app.create_tenant("Næstved Kommune", "370").await;
    app.create_user(soroe, "admin@soroe.dk", Role::Admin).await;
    app.create_user(soroe, "redaktoer@soroe.dk", Role::Editor)
        .await;
    app.create_user(soroe, "laeser@soroe.dk", Role::Viewer)
        .await;
    app.create_user(ringsted, "admin@ringsted.dk", Role::Admin)
        .await;
    app.create_user(ringsted, "redaktoer@ringsted.dk", Role::Editor)
        .await;
    app.create_user(outsider, "redaktoer@naestved.dk", Role::Editor)
        .await;
    let soroe_admin = app.token("admin@soroe.dk").await;
    let ringsted_admin = app.token("admin@ringsted.dk").await;
    let mut lab = Lab {
        soroe_editor: app.token("redaktoer@soroe.dk").await,
        soroe_viewer: app.token("laeser@soroe.dk").await,
        ringsted_editor: app.token("redaktoer@ringsted.dk").await,
        outsider_editor: app.token("redaktoer@naestved.dk").await,
        app,
        collaboration: String::new(),
        supplier: Value::Null,
    };
    lab.collaboration = lab
        .app
        .collaboration(&soroe_admin, "Midtsjælland", &[(&ringsted_admin, "329")])
        .await;
    lab.supplier = expect_json(
        lab.call(
            &lab.soroe_editor,
            Method::POST,
            "/suppliers",
            Some(json!({"cvr": "1895 7981", "name": "KMD A/S"})),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    lab
}

async fn bulk_actions_are_all_or_nothing_and_counted(app: TestApp) {
    let lab = lab(app).await;
    let a = lab.create(&lab.soroe_editor, "ESDH", &lab.supplier).await;
    let b = lab
        .create(&lab.soroe_editor, "Økonomi", &lab.supplier)
        .await;
    let c = lab.create(&lab.soroe_editor, "Løn", &lab.supplier).await;
    let ringsted_supplier = expect_json(
        lab.call(
            &lab.ringsted_editor,
            Method::POST,
            "/suppliers",
            Some(json!({"cvr": "1895 7981", "name": "KMD A/S"})),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let foreign = lab
        .create(&lab.ringsted_editor, "Ringsteds ESDH", &ringsted_supplier)
        .await;

    // A foreign id and an unknown one refuse the whole request, named by place.
    let unknown = Uuid::new_v4().to_string();
    let refused = expect_problem(
        lab.bulk(
            &lab.soroe_editor,
            &[&a, &foreign, &b, &unknown],
            json!({"kind": "set_category", "category": "Drift"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    let fields: Vec<&str> = refused["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["contract_ids[1]", "contract_ids[3]"], "{refused}");
    for id in [&a, &b] {
        assert_eq!(lab.contract(id).await["category"], Value::Null);
        assert_eq!(lab.etag(id).await, "\"1\"");
    }
    assert_eq!(lab.actions(&a).await, ["contract.created"]);

    // Changed and unchanged are counted; each change is a versioned, audited write.
    let category = json!({"kind": "set_category", "category": " Drift "});
    assert_eq!(lab.counts(&[&a, &b], category.clone()).await, (2, 0));
    assert_eq!(lab.counts(&[&a, &b, &c, &a], category).await, (1, 2));
    assert_eq!(lab.etag(&a).await, "\"2\"");
    assert_eq!(lab.etag(&c).await, "\"2\"");
    assert_eq!(lab.contract(&a).await["category"], "Drift");
    assert_eq!(
        lab.actions(&a).await,
        ["contract.updated", "contract.created"]
    );

    let unit = |u: Value| json!({"kind": "set_responsible_unit", "responsible_unit": u});
    assert_eq!(
        lab.counts(&[&a, &b], unit(json!("IT-afdelingen"))).await,
        (2, 0)
    );
    assert_eq!(lab.contract(&b).await["responsible_unit"], "IT-afdelingen");
    assert_eq!(lab.counts(&[&a, &c], unit(Value::Null)).await, (1, 1));
    assert_eq!(lab.contract(&a).await["responsible_unit"], Value::Null);

    // Archive and restore; an archived contract takes no field changes.
    assert_eq!(lab.counts(&[&a], json!({"kind": "archive"})).await, (1, 0));
    assert_eq!(
        lab.counts(&[&a, &b], json!({"kind": "archive"})).await,
        (1, 1)
    );
    assert!(lab.contract(&b).await["archived_at"].is_string());
    let archived = expect_problem(
        lab.bulk(
            &lab.soroe_editor,
            &[&c, &b],
            json!({"kind": "set_category", "category": "Andet"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(archived["errors"][0]["field"], "contract_ids[1]");
    assert_eq!(archived["errors"][0]["code"], "archived");
    assert_eq!(lab.contract(&c).await["category"], "Drift");
    assert_eq!(
        lab.counts(&[&a, &b, &c], json!({"kind": "restore"})).await,
        (2, 1)
    );
    let history = lab.actions(&b).await;
    assert_eq!(history[0], "contract.restored");
    assert_eq!(history[1], "contract.archived");

    // Bad input is refused whole: no ids, too many, an empty category, an
    // unknown action.
    for (ids, action) in [
        (vec![], json!({"kind": "archive"})),
        (vec![a.clone(); 1001], json!({"kind": "archive"})),
        (
            vec![a.clone()],
            json!({"kind": "set_category", "category": ""}),
        ),
        (vec![a.clone()], json!({"kind": "delete"})),
    ] {
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let response = lab.bulk(&lab.soroe_editor, &ids, action).await;
        assert!(
            response.status().is_client_error(),
            "{}",
            response.text().await.unwrap()
        );
    }
    assert_eq!(lab.contract(&a).await["category"], "Drift");

    // Viewers do not write; another municipality finds none of the ids.
    expect_problem(
        lab.bulk(&lab.soroe_viewer, &[&a], json!({"kind": "archive"}))
            .await,
        StatusCode::FORBIDDEN,
    )
    .await;
    for outsider in [&lab.outsider_editor, &lab.ringsted_editor] {
        let refused = expect_problem(
            lab.bulk(
                outsider,
                &[&a],
                json!({"kind": "set_category", "category": "Overtaget"}),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert!(!refused.to_string().contains(&a), "{refused}");
    }
    assert_eq!(lab.contract(&a).await["category"], "Drift");
    assert!(lab.contract(&a).await["archived_at"].is_null());
}

async fn bulk_sharing_reaches_the_partners_and_needs_an_editor(app: TestApp) {
    let lab = lab(app).await;
    let cid = lab.collaboration.clone();
    let a = lab.create(&lab.soroe_editor, "ESDH", &lab.supplier).await;
    let b = lab
        .create(&lab.soroe_editor, "Økonomi", &lab.supplier)
        .await;
    let share = json!({"kind": "share", "collaboration_id": cid});

    // Viewers share nothing, one at a time or in bulk.
    expect_problem(
        lab.bulk(&lab.soroe_viewer, &[&a], share.clone()).await,
        StatusCode::FORBIDDEN,
    )
    .await;
    expect_problem(
        lab.call(
            &lab.soroe_viewer,
            Method::POST,
            &format!("/contracts/{a}/shares"),
            Some(json!({"collaboration_id": cid})),
        )
        .await,
        StatusCode::FORBIDDEN,
    )
    .await;

    // An editor shares one contract, then both: the first is unchanged.
    let single = expect_json(
        lab.call(
            &lab.soroe_editor,
            Method::POST,
            &format!("/contracts/{a}/shares"),
            Some(json!({"collaboration_id": cid})),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(single["include_attachments"], false);
    assert_eq!(lab.counts(&[&a, &b], share.clone()).await, (1, 1));
    assert_eq!(lab.counts(&[&a, &b], share.clone()).await, (0, 2));
    assert_eq!(lab.actions(&b).await[0], "contract.shared");
    let seen = expect_json(
        lab.call(
            &lab.ringsted_editor,
            Method::GET,
            &format!("/contracts?scope=shared&shared_with={cid}"),
            None,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(seen["total"], 2);
    let outside = expect_json(
        lab.call(
            &lab.outsider_editor,
            Method::GET,
            "/contracts?scope=all",
            None,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(outside["total"], 0);

    // A collaboration Næstved is not in cannot be shared with by it, nor
    // can a partner share the owner's contracts.
    let not_member = expect_problem(
        lab.bulk(&lab.outsider_editor, &[&a], share.clone()).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(not_member["errors"][0]["code"], "not_found");
    expect_problem(
        lab.bulk(&lab.ringsted_editor, &[&a], share.clone()).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;

    // Unsharing in bulk: the one not shared is unchanged.
    let unshare = json!({"kind": "unshare", "collaboration_id": cid});
    assert_eq!(lab.counts(&[&a], unshare.clone()).await, (1, 0));
    assert_eq!(lab.counts(&[&a, &b], unshare).await, (1, 1));
    assert_eq!(lab.actions(&a).await[0], "contract.unshared");
    let gone = expect_json(
        lab.call(
            &lab.ringsted_editor,
            Method::GET,
            "/contracts?scope=shared",
            None,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(gone["total"], 0);
    expect_problem(
        lab.call(
            &lab.soroe_viewer,
            Method::DELETE,
            &format!("/contracts/{a}/shares/{cid}"),
            None,
        )
        .await,
        StatusCode::FORBIDDEN,
    )
    .await;
}

async fn attachments_go_with_a_share_only_when_included(app: TestApp) {
    let lab = lab(app).await;
    let cid = lab.collaboration.clone();
    let a = lab.create(&lab.soroe_editor, "ESDH", &lab.supplier).await;
    let pdf = b"%PDF-1.7\n% Underskrevet kontrakt\ntrailer<<>>\n%%EOF\n".to_vec();
    let part = reqwest::multipart::Part::bytes(pdf.clone()).file_name("Kontrakt.pdf");
    let uploaded = lab
        .app
        .request(
            Method::POST,
            &format!("/api/v1/contracts/{a}/attachments"),
            Some(&lab.soroe_editor),
        )
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    let file = expect_json(uploaded, StatusCode::CREATED).await;
    let file_id = file["id"].as_str().unwrap().to_owned();
    let list = format!("/contracts/{a}/attachments");
    let download = format!("/contracts/{a}/attachments/{file_id}");

    // Shared without attachments: the partner reads the contract, not its files.
    assert_eq!(
        lab.counts(&[&a], json!({"kind": "share", "collaboration_id": cid}))
            .await,
        (1, 0)
    );
    for path in [&list, &download] {
        expect_problem(
            lab.call(&lab.ringsted_editor, Method::GET, path, None)
                .await,
            StatusCode::NOT_FOUND,
        )
        .await;
    }

    // The owner includes them: the partner lists and downloads; an outsider still cannot.
    let share_path = format!("/contracts/{a}/shares/{cid}");
    expect_problem(
        lab.call(
            &lab.soroe_viewer,
            Method::PATCH,
            &share_path,
            Some(json!({"include_attachments": true})),
        )
        .await,
        StatusCode::FORBIDDEN,
    )
    .await;
    let changed = expect_json(
        lab.call(
            &lab.soroe_editor,
            Method::PATCH,
            &share_path,
            Some(json!({"include_attachments": true})),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(changed["include_attachments"], true);
    assert_eq!(lab.actions(&a).await[0], "contract.share_changed");
    let shares = expect_json(
        lab.call(
            &lab.soroe_editor,
            Method::GET,
            &format!("/contracts/{a}/shares"),
            None,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(shares["items"][0]["include_attachments"], true);
    let seen = expect_json(
        lab.call(&lab.ringsted_editor, Method::GET, &list, None)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(seen["items"][0]["id"], file_id.as_str());
    let fetched = lab
        .call(&lab.ringsted_editor, Method::GET, &download, None)
        .await;
    assert_eq!(fetched.status(), StatusCode::OK);
    assert_eq!(fetched.bytes().await.unwrap().to_vec(), pdf);
    for path in [&list, &download] {
        expect_problem(
            lab.call(&lab.outsider_editor, Method::GET, path, None)
                .await,
            StatusCode::NOT_FOUND,
        )
        .await;
    }
    // Seeing is not changing: the partner cannot remove the file.
    let removed = lab
        .call(&lab.ringsted_editor, Method::DELETE, &download, None)
        .await;
    assert!(removed.status().is_client_error());
    assert_eq!(
        lab.call(&lab.soroe_editor, Method::GET, &download, None)
            .await
            .status(),
        StatusCode::OK
    );
    // Another municipality cannot change the owner's share.
    expect_problem(
        lab.call(
            &lab.outsider_editor,
            Method::PATCH,
            &share_path,
            Some(json!({"include_attachments": false})),
        )
        .await,
        StatusCode::NOT_FOUND,
    )
    .await;

    // Turned off in bulk, the files are gone for the partner again.
    assert_eq!(
        lab.counts(
            &[&a],
            json!({"kind": "share", "collaboration_id": cid, "include_attachments": false})
        )
        .await,
        (1, 0)
    );
    expect_problem(
        lab.call(&lab.ringsted_editor, Method::GET, &list, None)
            .await,
        StatusCode::NOT_FOUND,
    )
    .await;
    // Shared with attachments from the start.
    let b = lab.create(&lab.soroe_editor, "Løn", &lab.supplier).await;
    let created = expect_json(
        lab.call(
            &lab.soroe_editor,
            Method::POST,
            &format!("/contracts/{b}/shares"),
            Some(json!({"collaboration_id": cid, "include_attachments": true})),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(created["include_attachments"], true);
    let empty = expect_json(
        lab.call(
            &lab.ringsted_editor,
            Method::GET,
            &format!("/contracts/{b}/attachments"),
            None,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(empty["items"].as_array().unwrap().len(), 0);
}
