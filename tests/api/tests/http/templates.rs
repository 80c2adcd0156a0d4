//! Standard contract templates: drafts and immutable published versions,
//! comparison, collaboration ownership, sharing and adoption, contracts
//! based on a version, use across contracts, and documents.

use reqwest::{Method, StatusCode};
use samudbud_api_tests::{TestApp, expect_json, expect_problem, on_both_databases};
use serde_json::{Value, json};
use uuid::Uuid;

on_both_databases!(
    drafts_are_published_and_then_never_change,
    an_unknown_parameter_is_a_field_error,
    coordinators_write_members_read_outsiders_see_nothing,
    shared_templates_are_adopted_and_follow_their_origin,
    contracts_are_based_on_published_versions,
    usage_counts_only_contracts_the_viewer_may_see,
    documents_are_word_files_and_printable_pages,
);

const SORØ: usize = 0;
const RINGSTED: usize = 1;
const NÆSTVED: usize = 2;

/// Sorø and Ringsted in a collaboration Sorø coordinates; Næstved outside.
struct Lab {
    app: TestApp,
    admins: Vec<String>,
    collaboration: String,
}

async fn lab(app: TestApp) -> Lab {
    let (_, admins) = app.three_municipalities().await;
    let lab = Lab {
        app,
        admins,
        collaboration: String::new(),
    };
    let created = lab
        .call(
            SORØ,
            Method::POST,
            "/collaborations",
            Some(json!({"name": "Midtsjællands Indkøbsfællesskab"})),
        )
        .await;
    let collaboration = expect_json(created, StatusCode::CREATED).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let invited = lab
        .call(
            SORØ,
            Method::POST,
            &format!("/collaborations/{collaboration}/invitations"),
            Some(json!({"municipality_code": "329"})),
        )
        .await;
    assert!(invited.status().is_success());
    let accepted = lab
        .call(
            RINGSTED,
            Method::POST,
            &format!("/collaborations/{collaboration}/accept"),
            None,
        )
        .await;
    assert!(accepted.status().is_success());
    Lab {
        collaboration,
        ..lab
    }
}

fn key(n: u128) -> String {
    Uuid::from_u128(0x0c1a_0000_0000_4000_8000_0000_0000_0000 | n).to_string()
}

/// An operations agreement: an uptime between 90 and 100 % (default 99,5)
/// and an optional clause on notice.
fn content(uptime_default: &str) -> Value {
    json!({"clauses": [
        {
            "key": key(1),
            "number": "1",
            "heading": "Oppetid",
            "text": "Leverandøren sikrer en oppetid på mindst {{oppetid_procent}} %.",
            "required": true,
            "guidance": "Brug 99,5 % for forretningskritiske systemer.",
            "parameters": [{
                "name": "oppetid_procent",
                "label": "Oppetid",
                "kind": "percent",
                "unit": "%",
                "required": true,
                "default": {"kind": "percent", "value": uptime_default},
                "min": "90",
                "max": "100"
            }]
        },
        {
            "key": key(2),
            "number": "2",
            "heading": "Opsigelse",
            "text": "Kunden kan opsige med {{varsel}} varsel.",
            "required": false,
            "parameters": [{
                "name": "varsel",
                "label": "Opsigelsesvarsel",
                "kind": "duration",
                "duration_unit": "months",
                "required": true,
                "default": {"kind": "duration", "value": 6},
                "min": "1",
                "max": "24"
            }]
        }
    ]})
}

impl Lab {
    async fn call(
        &self,
        who: usize,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> reqwest::Response {
        self.call_if(who, method, path, body, None).await
    }

    async fn call_if(
        &self,
        who: usize,
        method: Method,
        path: &str,
        body: Option<Value>,
        if_match: Option<&str>,
    ) -> reqwest::Response {
        let mut request =
            self.app
                .request(method, &format!("/api/v1{path}"), Some(&self.admins[who]));
        if let Some(body) = body {
            request = request.json(&body);
        }
        if let Some(tag) = if_match {
            request = request.header("if-match", tag);
        }
        request.send().await.unwrap()
    }

    async fn get(&self, who: usize, path: &str) -> Value {
        expect_json(
            self.call(who, Method::GET, path, None).await,
            StatusCode::OK,
        )
        .await
    }

    /// Creates a template; returns its id.
    async fn create(&self, who: usize, name: &str, collaboration: Option<&str>) -> String {
        let mut body = json!({"name": name, "kind": "k04", "description": "Driftsaftale"});
        if let Some(c) = collaboration {
            body["collaboration_id"] = json!(c);
        }
        let created = self.call(who, Method::POST, "/templates", Some(body)).await;
        let created = expect_json(created, StatusCode::CREATED).await;
        assert_eq!(created["draft_number"], 1);
        assert_eq!(created["versions"][0]["status"], "draft");
        created["id"].as_str().unwrap().to_owned()
    }

    /// Writes `content` into draft `number`.
    async fn edit(&self, who: usize, id: &str, number: i64, content: Value) -> Value {
        let path = format!("/templates/{id}/versions/{number}");
        let current = self.get(who, &path).await;
        let tag = format!("\"{}\"", current["version"]);
        let response = self
            .call_if(
                who,
                Method::PUT,
                &path,
                Some(json!({"content": content})),
                Some(&tag),
            )
            .await;
        expect_json(response, StatusCode::OK).await
    }

    async fn publish(&self, who: usize, id: &str, number: i64, note: &str) -> Value {
        let path = format!("/templates/{id}/versions/{number}");
        let current = self.get(who, &path).await;
        let tag = format!("\"{}\"", current["version"]);
        let response = self
            .call_if(
                who,
                Method::POST,
                &format!("{path}/publish"),
                Some(json!({"change_note": note})),
                Some(&tag),
            )
            .await;
        expect_json(response, StatusCode::OK).await
    }

    async fn new_draft(&self, who: usize, id: &str) -> Value {
        let template = self.get(who, &format!("/templates/{id}")).await;
        let tag = format!("\"{}\"", template["version"]);
        let response = self
            .call_if(
                who,
                Method::POST,
                &format!("/templates/{id}/versions"),
                None,
                Some(&tag),
            )
            .await;
        expect_json(response, StatusCode::CREATED).await
    }

    /// A published template of `who`'s (version 1).
    async fn published(&self, who: usize, name: &str, collaboration: Option<&str>) -> String {
        let id = self.create(who, name, collaboration).await;
        self.edit(who, &id, 1, content("99.5")).await;
        self.publish(who, &id, 1, "Første udgave").await;
        id
    }

    async fn supplier(&self, who: usize) -> String {
        let created = self
            .call(
                who,
                Method::POST,
                "/suppliers",
                Some(json!({"cvr": "29188955", "name": "Driftsleverandøren A/S"})),
            )
            .await;
        assert!(created.status().is_success(), "{}", created.status());
        created.json::<Value>().await.unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    async fn contract(&self, who: usize, title: &str, template: Value) -> reqwest::Response {
        let supplier = self.supplier(who).await;
        self.call(
            who,
            Method::POST,
            "/contracts",
            Some(json!({
                "title": title,
                "supplier_id": supplier,
                "start_on": "2026-01-01",
                "template": template,
            })),
        )
        .await
    }

    async fn share_contract(&self, who: usize, contract: &str) {
        let shared = self
            .call(
                who,
                Method::POST,
                &format!("/contracts/{contract}/shares"),
                Some(json!({"collaboration_id": self.collaboration})),
            )
            .await;
        assert_eq!(shared.status(), StatusCode::CREATED);
    }

    async fn status(&self, who: usize, method: Method, path: &str, body: Option<Value>) -> u16 {
        self.call_if(who, method, path, body, Some("\"1\""))
            .await
            .status()
            .as_u16()
    }
}

async fn drafts_are_published_and_then_never_change(app: TestApp) {
    let lab = lab(app).await;
    let id = lab.create(SORØ, "K04 Drift", None).await;
    let path = format!("/templates/{id}/versions/1");

    // Writes need If-Match: missing is 428, stale is 412, and neither changes anything.
    let missing = lab
        .call(
            SORØ,
            Method::PUT,
            &path,
            Some(json!({"content": content("99.5")})),
        )
        .await;
    expect_problem(missing, StatusCode::PRECONDITION_REQUIRED).await;
    let stale = lab
        .call_if(
            SORØ,
            Method::PUT,
            &path,
            Some(json!({"content": content("99.5")})),
            Some("\"7\""),
        )
        .await;
    expect_problem(stale, StatusCode::PRECONDITION_FAILED).await;
    assert_eq!(lab.get(SORØ, &path).await["content"]["clauses"], json!([]));

    let draft = lab.edit(SORØ, &id, 1, content("99.5")).await;
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["version"], 2);
    assert_eq!(
        draft["content"]["clauses"][0]["parameters"][0]["default"],
        json!({"kind": "percent", "value": "99.5"})
    );
    let empty_note = lab
        .call_if(
            SORØ,
            Method::POST,
            &format!("{path}/publish"),
            Some(json!({"change_note": "  "})),
            Some("\"2\""),
        )
        .await;
    let problem = expect_problem(empty_note, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(problem["errors"][0]["field"], "change_note");

    let published = lab.publish(SORØ, &id, 1, "Første udgave").await;
    assert_eq!(published["status"], "published");
    assert_eq!(published["change_note"], "Første udgave");
    assert!(published["published_at"].is_string());

    // A published version is immutable: 409, and it stays as it was.
    let tag = format!("\"{}\"", published["version"]);
    let edit = lab
        .call_if(
            SORØ,
            Method::PUT,
            &path,
            Some(json!({"content": content("90")})),
            Some(&tag),
        )
        .await;
    expect_problem(edit, StatusCode::CONFLICT).await;
    let again = lab
        .call_if(
            SORØ,
            Method::POST,
            &format!("{path}/publish"),
            Some(json!({"change_note": "Igen"})),
            Some(&tag),
        )
        .await;
    expect_problem(again, StatusCode::CONFLICT).await;
    let unchanged = lab.get(SORØ, &path).await;
    assert_eq!(unchanged, published);

    // Further work starts a new draft, copied from the published version.
    let second = lab.new_draft(SORØ, &id).await;
    assert_eq!(second["number"], 2);
    assert_eq!(second["status"], "draft");
    assert_eq!(second["content"], published["content"]);
    let template = lab.get(SORØ, &format!("/templates/{id}")).await;
    assert_eq!(template["draft_number"], 2);
    assert_eq!(template["latest_published_number"], 1);
    let twice = lab
        .call_if(
            SORØ,
            Method::POST,
            &format!("/templates/{id}/versions"),
            None,
            Some(&format!("\"{}\"", template["version"])),
        )
        .await;
    expect_problem(twice, StatusCode::CONFLICT).await;

    let mut changed = content("99.9");
    changed["clauses"][1]["text"] = json!("Kunden kan opsige med {{varsel}} skriftligt varsel.");
    changed["clauses"]
        .as_array_mut()
        .unwrap()
        .push(json!({"key": key(3), "number": "3", "heading": "Exit", "text": "Leverandøren bistår ved exit.", "required": true}));
    lab.edit(SORØ, &id, 2, changed).await;
    lab.publish(SORØ, &id, 2, "Højere oppetid og exit").await;

    let history = lab.get(SORØ, &format!("/templates/{id}")).await;
    let statuses: Vec<&str> = history["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["published", "published"]);
    assert_eq!(
        history["versions"][1]["change_note"],
        "Højere oppetid og exit"
    );

    let diff = lab
        .get(SORØ, &format!("/templates/{id}/diff?from=1&to=2"))
        .await;
    assert_eq!(diff["from_number"], 1);
    assert_eq!(diff["to_number"], 2);
    let text = diff.to_string();
    assert!(text.contains("Exit"), "{diff}");
    assert!(text.contains(&key(3)), "{diff}");
    let unknown = lab
        .call(
            SORØ,
            Method::GET,
            &format!("/templates/{id}/diff?from=1&to=9"),
            None,
        )
        .await;
    let problem = expect_problem(unknown, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(problem["errors"][0]["field"], "to");

    // The audit trail has every change.
    let audit = lab
        .get(SORØ, &format!("/audit-events?object_id={id}"))
        .await;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for action in [
        "template.created",
        "template.draft_updated",
        "template.published",
        "template.draft_created",
    ] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }

    // Another municipality sees none of it and changes none of it.
    for (method, path, body) in [
        (Method::GET, format!("/templates/{id}"), None),
        (Method::GET, format!("/templates/{id}/versions/1"), None),
        (
            Method::GET,
            format!("/templates/{id}/diff?from=1&to=2"),
            None,
        ),
        (
            Method::PUT,
            format!("/templates/{id}"),
            Some(json!({"name": "Overtaget", "kind": "other"})),
        ),
        (
            Method::PUT,
            format!("/templates/{id}/versions/2"),
            Some(json!({"content": content("90")})),
        ),
        (
            Method::POST,
            format!("/templates/{id}/versions/2/publish"),
            Some(json!({"change_note": "x"})),
        ),
        (Method::POST, format!("/templates/{id}/versions"), None),
        (Method::POST, format!("/templates/{id}/archive"), None),
        (Method::POST, format!("/templates/{id}/restore"), None),
    ] {
        assert_eq!(
            lab.status(NÆSTVED, method.clone(), &path, body).await,
            404,
            "{method} {path}"
        );
    }
    let list = lab.get(NÆSTVED, "/templates").await;
    assert_eq!(list["total"], 0);
}

async fn an_unknown_parameter_is_a_field_error(app: TestApp) {
    let lab = lab(app).await;
    let id = lab.create(SORØ, "K04 Drift", None).await;
    let mut bad = content("99.5");
    bad["clauses"][1]["text"] = json!("Varsel: {{varsel}}, bod: {{bod_pr_dag}}.");
    let response = lab
        .call_if(
            SORØ,
            Method::PUT,
            &format!("/templates/{id}/versions/1"),
            Some(json!({"content": bad})),
            Some("\"1\""),
        )
        .await;
    let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["content.clauses[1].text"], "{problem}");
    assert!(problem.to_string().contains("bod_pr_dag"), "{problem}");
    // Nothing was stored.
    let draft = lab.get(SORØ, &format!("/templates/{id}/versions/1")).await;
    assert_eq!(draft["version"], 1);
    assert_eq!(draft["content"]["clauses"], json!([]));

    // A default outside its bounds, and a malformed body.
    let mut out = content("101");
    out["clauses"][0]["parameters"][0]["min"] = json!("90");
    let response = lab
        .call_if(
            SORØ,
            Method::PUT,
            &format!("/templates/{id}/versions/1"),
            Some(json!({"content": out})),
            Some("\"1\""),
        )
        .await;
    let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(
        problem["errors"][0]["field"]
            .as_str()
            .unwrap()
            .starts_with("content.clauses[0].parameters[0]"),
        "{problem}"
    );
    let mut number = content("99.5");
    number["clauses"][0]["parameters"][0]["min"] = json!(90.0);
    let response = lab
        .call_if(
            SORØ,
            Method::PUT,
            &format!("/templates/{id}/versions/1"),
            Some(json!({"content": number})),
            Some("\"1\""),
        )
        .await;
    expect_problem(response, StatusCode::BAD_REQUEST).await;

    // A version without clauses is not published.
    let response = lab
        .call_if(
            SORØ,
            Method::POST,
            &format!("/templates/{id}/versions/1/publish"),
            Some(json!({"change_note": "Tom"})),
            Some("\"1\""),
        )
        .await;
    expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
}

async fn coordinators_write_members_read_outsiders_see_nothing(app: TestApp) {
    let lab = lab(app).await;
    let collaboration = lab.collaboration.clone();
    // Only a coordinator creates a collaboration's template.
    let refused = lab
        .call(
            RINGSTED,
            Method::POST,
            "/templates",
            Some(json!({"name": "Ringsteds forsøg", "kind": "own", "collaboration_id": collaboration})),
        )
        .await;
    let problem = expect_problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(problem["errors"][0]["field"], "collaboration_id");

    let id = lab
        .published(SORØ, "Fælles K04", Some(&collaboration))
        .await;
    let coordinator = lab.get(SORØ, &format!("/templates/{id}")).await;
    assert_eq!(coordinator["owner"]["kind"], "collaboration");
    assert_eq!(
        coordinator["owner"]["name"],
        "Midtsjællands Indkøbsfællesskab"
    );
    assert_eq!(coordinator["editable"], true);

    // A member reads every version, the draft too, but writes nothing.
    lab.new_draft(SORØ, &id).await;
    let member = lab.get(RINGSTED, &format!("/templates/{id}")).await;
    assert_eq!(member["editable"], false);
    assert_eq!(member["shared"], false);
    assert_eq!(member["draft_number"], 2);
    lab.get(RINGSTED, &format!("/templates/{id}/versions/2"))
        .await;
    let listed = lab.get(RINGSTED, "/templates?origin=collaboration").await;
    assert_eq!(listed["total"], 1);
    let tag = format!("\"{}\"", member["version"]);
    for (method, path, body) in [
        (
            Method::PUT,
            format!("/templates/{id}"),
            Some(json!({"name": "Overtaget", "kind": "other"})),
        ),
        (
            Method::PUT,
            format!("/templates/{id}/versions/2"),
            Some(json!({"content": content("90")})),
        ),
        (
            Method::POST,
            format!("/templates/{id}/versions/2/publish"),
            Some(json!({"change_note": "x"})),
        ),
        (Method::POST, format!("/templates/{id}/archive"), None),
        (
            Method::POST,
            format!("/templates/{id}/shares"),
            Some(json!({"collaboration_id": collaboration})),
        ),
    ] {
        let response = lab
            .call_if(RINGSTED, method.clone(), &path, body, Some(&tag))
            .await;
        expect_problem(response, StatusCode::FORBIDDEN).await;
    }
    // The coordinator changes it.
    let renamed = lab
        .call_if(
            SORØ,
            Method::PUT,
            &format!("/templates/{id}"),
            Some(json!({"name": "Fælles K04 Drift", "kind": "k04"})),
            Some(&tag),
        )
        .await;
    assert_eq!(
        expect_json(renamed, StatusCode::OK).await["name"],
        "Fælles K04 Drift"
    );

    // An outsider sees nothing.
    assert_eq!(
        lab.status(NÆSTVED, Method::GET, &format!("/templates/{id}"), None)
            .await,
        404
    );
    assert_eq!(
        lab.status(
            NÆSTVED,
            Method::GET,
            &format!("/templates/{id}/versions/1"),
            None
        )
        .await,
        404
    );
    assert_eq!(lab.get(NÆSTVED, "/templates").await["total"], 0);
    assert_eq!(
        lab.status(
            NÆSTVED,
            Method::POST,
            &format!("/templates/{id}/adopt"),
            None
        )
        .await,
        404
    );
}

async fn shared_templates_are_adopted_and_follow_their_origin(app: TestApp) {
    let lab = lab(app).await;
    let collaboration = lab.collaboration.clone();
    let origin = lab.published(SORØ, "Sorøs K04", None).await;
    lab.new_draft(SORØ, &origin).await;

    // Not shared yet: Ringsted sees nothing.
    assert_eq!(
        lab.status(RINGSTED, Method::GET, &format!("/templates/{origin}"), None)
            .await,
        404
    );
    let shared = lab
        .call(
            SORØ,
            Method::POST,
            &format!("/templates/{origin}/shares"),
            Some(json!({"collaboration_id": collaboration})),
        )
        .await;
    let shared = expect_json(shared, StatusCode::CREATED).await;
    assert_eq!(
        shared["collaboration_name"],
        "Midtsjællands Indkøbsfællesskab"
    );
    let owner_view = lab.get(SORØ, &format!("/templates/{origin}")).await;
    assert_eq!(
        owner_view["shares"][0]["collaboration_id"],
        json!(collaboration)
    );

    // Ringsted sees it marked with its owner, published versions only.
    let list = lab.get(RINGSTED, "/templates?origin=shared").await;
    assert_eq!(list["total"], 1);
    let item = &list["items"][0];
    assert_eq!(item["shared"], true);
    assert_eq!(item["editable"], false);
    assert_eq!(item["owner"]["name"], "Sorø Kommune");
    assert!(item.get("draft_number").is_none(), "{item}");
    lab.get(RINGSTED, &format!("/templates/{origin}/versions/1"))
        .await;
    assert_eq!(
        lab.status(
            RINGSTED,
            Method::GET,
            &format!("/templates/{origin}/versions/2"),
            None
        )
        .await,
        404
    );
    assert_eq!(
        lab.status(
            RINGSTED,
            Method::PUT,
            &format!("/templates/{origin}"),
            Some(json!({"name": "x", "kind": "other"}))
        )
        .await,
        403
    );

    // Ringsted adopts it: a copy that remembers its origin and version.
    let adopted = lab
        .call(
            RINGSTED,
            Method::POST,
            &format!("/templates/{origin}/adopt"),
            None,
        )
        .await;
    let adopted = expect_json(adopted, StatusCode::CREATED).await;
    let copy = adopted["id"].as_str().unwrap().to_owned();
    assert_eq!(adopted["owner"]["name"], "Ringsted Kommune");
    assert_eq!(adopted["editable"], true);
    assert_eq!(adopted["origin"]["template_id"], json!(origin));
    assert_eq!(adopted["origin"]["version_number"], 1);
    assert_eq!(adopted["origin"]["owner_name"], "Sorø Kommune");
    assert!(adopted["origin"].get("newer_version_number").is_none());
    let copied = lab
        .get(RINGSTED, &format!("/templates/{copy}/versions/1"))
        .await;
    let original = lab
        .get(SORØ, &format!("/templates/{origin}/versions/1"))
        .await;
    assert_eq!(copied["content"], original["content"]);
    assert_eq!(
        lab.get(RINGSTED, "/templates?has_newer_origin=true").await["total"],
        0
    );
    // Næstved, outside, cannot adopt it; Sorø cannot adopt its own.
    assert_eq!(
        lab.status(
            NÆSTVED,
            Method::POST,
            &format!("/templates/{origin}/adopt"),
            None
        )
        .await,
        404
    );
    assert_eq!(
        lab.status(
            SORØ,
            Method::POST,
            &format!("/templates/{origin}/adopt"),
            None
        )
        .await,
        409
    );

    // Sorø publishes version 2: Ringsted's copy says so, with the diff.
    let mut newer = content("99.9");
    newer["clauses"][0]["heading"] = json!("Oppetid og målinger");
    lab.edit(SORØ, &origin, 2, newer).await;
    lab.publish(SORØ, &origin, 2, "Skærpet oppetid").await;
    let notice = lab.get(RINGSTED, "/templates?has_newer_origin=true").await;
    assert_eq!(notice["total"], 1);
    assert_eq!(notice["items"][0]["id"], json!(copy));
    assert_eq!(notice["items"][0]["origin"]["newer_version_number"], 2);
    let diff = lab
        .get(RINGSTED, &format!("/templates/{copy}/origin-diff"))
        .await;
    assert_eq!(diff["from_template_id"], json!(origin));
    assert_eq!(diff["from_number"], 1);
    assert_eq!(diff["to_number"], 2);
    assert!(diff.to_string().contains("Oppetid og målinger"), "{diff}");

    // One click: the draft becomes the origin's newest version.
    let before = lab.get(RINGSTED, &format!("/templates/{copy}")).await;
    let stale = lab
        .call_if(
            RINGSTED,
            Method::POST,
            &format!("/templates/{copy}/update-from-origin"),
            None,
            Some("\"99\""),
        )
        .await;
    expect_problem(stale, StatusCode::PRECONDITION_FAILED).await;
    let updated = lab
        .call_if(
            RINGSTED,
            Method::POST,
            &format!("/templates/{copy}/update-from-origin"),
            None,
            Some(&format!("\"{}\"", before["version"])),
        )
        .await;
    let updated = expect_json(updated, StatusCode::OK).await;
    assert_eq!(updated["origin"]["version_number"], 2);
    assert!(updated["origin"].get("newer_version_number").is_none());
    let draft = lab
        .get(RINGSTED, &format!("/templates/{copy}/versions/1"))
        .await;
    let newest = lab
        .get(SORØ, &format!("/templates/{origin}/versions/2"))
        .await;
    assert_eq!(draft["content"], newest["content"]);
    let again = lab
        .call_if(
            RINGSTED,
            Method::POST,
            &format!("/templates/{copy}/update-from-origin"),
            None,
            Some(&format!("\"{}\"", updated["version"])),
        )
        .await;
    expect_problem(again, StatusCode::CONFLICT).await;
    // Næstved cannot see or update the copy.
    assert_eq!(
        lab.status(
            NÆSTVED,
            Method::GET,
            &format!("/templates/{copy}/origin-diff"),
            None
        )
        .await,
        404
    );
    assert_eq!(
        lab.status(
            NÆSTVED,
            Method::POST,
            &format!("/templates/{copy}/update-from-origin"),
            None
        )
        .await,
        404
    );

    // Unsharing ends Ringsted's view of the origin (its copy stays).
    assert_eq!(
        lab.status(
            NÆSTVED,
            Method::DELETE,
            &format!("/templates/{origin}/shares/{collaboration}"),
            None
        )
        .await,
        404
    );
    let unshared = lab
        .call(
            SORØ,
            Method::DELETE,
            &format!("/templates/{origin}/shares/{collaboration}"),
            None,
        )
        .await;
    assert_eq!(unshared.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        lab.status(RINGSTED, Method::GET, &format!("/templates/{origin}"), None)
            .await,
        404
    );
    let copy_view = lab.get(RINGSTED, &format!("/templates/{copy}")).await;
    assert!(copy_view["origin"].get("owner_name").is_none());
}

async fn contracts_are_based_on_published_versions(app: TestApp) {
    let lab = lab(app).await;
    let id = lab.published(SORØ, "K04 Drift", None).await;
    lab.new_draft(SORØ, &id).await;

    // Values are checked against type and bounds, named by their path.
    let out_of_bounds = lab
        .contract(
            SORØ,
            "Drift af ESDH",
            json!({"template_id": id, "version_number": 1,
                   "values": {"oppetid_procent": {"kind": "percent", "value": "80"}}}),
        )
        .await;
    let problem = expect_problem(out_of_bounds, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(
        problem["errors"][0]["field"], "template.values.oppetid_procent",
        "{problem}"
    );
    let wrong_kind = lab
        .contract(
            SORØ,
            "Drift af ESDH",
            json!({"template_id": id, "version_number": 1,
                   "values": {"varsel": {"kind": "text", "value": "seks"}}}),
        )
        .await;
    let problem = expect_problem(wrong_kind, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(problem["errors"][0]["field"], "template.values.varsel");
    let draft = lab
        .contract(
            SORØ,
            "Drift af ESDH",
            json!({"template_id": id, "version_number": 2}),
        )
        .await;
    let problem = expect_problem(draft, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(problem["errors"][0]["field"], "template.version_number");
    let foreign = lab
        .contract(
            NÆSTVED,
            "Næstveds forsøg",
            json!({"template_id": id, "version_number": 1}),
        )
        .await;
    let problem = expect_problem(foreign, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(problem["errors"][0]["field"], "template.template_id");
    let reasonless = lab
        .contract(
            SORØ,
            "Drift af ESDH",
            json!({"template_id": id, "version_number": 1,
                   "deviations": [{"clause_key": key(2), "text": "Tre måneders varsel.", "reason": ""}]}),
        )
        .await;
    let problem = expect_problem(reasonless, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(
        problem["errors"][0]["field"]
            .as_str()
            .unwrap()
            .starts_with("template.deviations[0]"),
        "{problem}"
    );
    let listed = lab.get(SORØ, "/contracts").await;
    assert_eq!(listed["total"], 0, "nothing was stored");

    // A valid contract: chosen value, default prefilled, a deviation.
    let created = lab
        .contract(
            SORØ,
            "Drift af ESDH",
            json!({"template_id": id, "version_number": 1,
                   "values": {"oppetid_procent": {"kind": "percent", "value": "99.7"}},
                   "deviations": [{"clause_key": key(2), "text": "Kunden kan opsige med tre måneders varsel.", "reason": "Kortere varsel aftalt ved forhandling"}]}),
        )
        .await;
    let created = expect_json(created, StatusCode::CREATED).await;
    let contract = created["id"].as_str().unwrap().to_owned();
    let section = &created["template"];
    assert_eq!(section["template_id"], json!(id));
    assert_eq!(section["template_name"], "K04 Drift");
    assert_eq!(section["version_number"], 1);
    assert_eq!(
        section["values"]["oppetid_procent"],
        json!({"kind": "percent", "value": "99.7"})
    );
    assert_eq!(
        section["values"]["varsel"],
        json!({"kind": "duration", "value": 6})
    );
    assert_eq!(
        section["deviations"][0]["reason"],
        "Kortere varsel aftalt ved forhandling"
    );
    let read = lab.get(SORØ, &format!("/contracts/{contract}")).await;
    assert_eq!(read["template"], created["template"]);

    // A plain contract, and the register's filters.
    let plain = lab
        .call(
            SORØ,
            Method::POST,
            "/contracts",
            Some(json!({"title": "Licensaftale", "supplier_id": lab.supplier(SORØ).await, "start_on": "2026-01-01"})),
        )
        .await;
    let plain = expect_json(plain, StatusCode::CREATED).await;
    assert!(plain.get("template").is_none());
    for (query, expected) in [
        (format!("template_id={id}"), 1),
        (format!("template_id={}", Uuid::new_v4()), 0),
        ("template_version=1".to_owned(), 1),
        ("template_version=2".to_owned(), 0),
        ("has_deviations=true".to_owned(), 1),
        ("has_deviations=false".to_owned(), 0),
        (String::new(), 2),
    ] {
        let found = lab.get(SORØ, &format!("/contracts?{query}")).await;
        assert_eq!(found["total"], expected, "{query}");
    }
    // The list reads the section as the contract's own read does; the
    // plain contract beside it has none.
    let listed = lab.get(SORØ, "/contracts?sort=title").await;
    let items = listed["items"].as_array().unwrap();
    let of = |id: &Value| items.iter().find(|c| &c["id"] == id).unwrap();
    assert_eq!(of(&created["id"])["template"], created["template"]);
    assert!(of(&plain["id"]).get("template").is_none());

    // Updating keeps or replaces the section; leaving it out removes it.
    let mut body = json!({"title": "Drift af ESDH", "supplier_id": read["supplier"]["id"], "start_on": "2026-01-01",
        "template": {"template_id": id, "version_number": 1}});
    let updated = lab
        .call_if(
            SORØ,
            Method::PUT,
            &format!("/contracts/{contract}"),
            Some(body.clone()),
            Some("\"1\""),
        )
        .await;
    let updated = expect_json(updated, StatusCode::OK).await;
    assert_eq!(updated["template"]["deviations"], json!([]));
    assert_eq!(
        lab.get(SORØ, "/contracts?has_deviations=false").await["total"],
        1
    );
    body["template"]["values"] = json!({"oppetid_procent": {"kind": "percent", "value": "100.5"}});
    let refused = lab
        .call_if(
            SORØ,
            Method::PUT,
            &format!("/contracts/{contract}"),
            Some(body),
            Some("\"2\""),
        )
        .await;
    expect_problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
    let kept = lab.get(SORØ, &format!("/contracts/{contract}")).await;
    assert_eq!(kept["template"], updated["template"]);
    assert_eq!(
        kept["template"]["values"]["oppetid_procent"],
        json!({"kind": "percent", "value": "99.5"}),
        "the default, prefilled"
    );
}

async fn usage_counts_only_contracts_the_viewer_may_see(app: TestApp) {
    let lab = lab(app).await;
    let collaboration = lab.collaboration.clone();
    let id = lab
        .published(SORØ, "Fælles K04", Some(&collaboration))
        .await;
    lab.new_draft(SORØ, &id).await;
    lab.publish(SORØ, &id, 2, "Uændret genudgivelse").await;
    let deviation = |reason: &str| json!([{"clause_key": key(2), "text": "Tre måneders varsel.", "reason": reason}]);
    // Sorø: one contract on version 1 with a deviation.
    let sorø = lab
        .contract(
            SORØ,
            "Sorøs drift",
            json!({"template_id": id, "version_number": 1, "deviations": deviation("Sorøs grund")}),
        )
        .await;
    expect_json(sorø, StatusCode::CREATED).await;
    // Ringsted: one on version 2 shared with the collaboration, one private on version 1.
    let shared = lab
        .contract(
            RINGSTED,
            "Ringsteds delte drift",
            json!({"template_id": id, "version_number": 2, "deviations": deviation("Ringsteds grund")}),
        )
        .await;
    let shared = expect_json(shared, StatusCode::CREATED).await;
    lab.share_contract(RINGSTED, shared["id"].as_str().unwrap())
        .await;
    let private = lab
        .contract(
            RINGSTED,
            "Ringsteds private drift",
            json!({"template_id": id, "version_number": 1, "deviations": deviation("Hemmelig grund")}),
        )
        .await;
    expect_json(private, StatusCode::CREATED).await;

    // Sorø sees its own and the shared one.
    let usage = lab.get(SORØ, &format!("/templates/{id}/usage")).await;
    assert_eq!(usage["contracts"], 2, "{usage}");
    assert_eq!(
        usage["versions"],
        json!([{"number": 1, "contracts": 1}, {"number": 2, "contracts": 1}])
    );
    assert_eq!(usage["clauses"][0]["clause_key"], json!(key(2)));
    assert_eq!(usage["clauses"][0]["heading"], "Opsigelse");
    assert_eq!(usage["clauses"][0]["deviations"], 2);
    let text = usage.to_string();
    assert!(text.contains("Sorøs grund") && text.contains("Ringsteds grund"));
    assert!(!text.contains("Hemmelig grund"), "{usage}");

    // Sorø's register shows the shared contract with its template section
    // as Ringsted stored it, beside Sorø's own.
    let both = lab
        .get(
            SORØ,
            &format!("/contracts?scope=all&template_id={id}&sort=title"),
        )
        .await;
    assert_eq!(both["total"], 2, "{both}");
    let listed = both["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == shared["id"])
        .expect("the shared contract is listed");
    assert_eq!(listed["template"], shared["template"]);
    assert!(
        both["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["template"]["version_number"].is_number())
    );
    let outsider = lab
        .get(NÆSTVED, &format!("/contracts?scope=all&template_id={id}"))
        .await;
    assert_eq!(outsider["total"], 0);

    // Ringsted sees its own two and nothing of Sorø's.
    let usage = lab.get(RINGSTED, &format!("/templates/{id}/usage")).await;
    assert_eq!(usage["contracts"], 2);
    assert!(!usage.to_string().contains("Sorøs grund"));

    // Næstved sees no template and no use.
    assert_eq!(
        lab.status(
            NÆSTVED,
            Method::GET,
            &format!("/templates/{id}/usage"),
            None
        )
        .await,
        404
    );
}

fn is_word_file(bytes: &[u8]) -> bool {
    // A zip whose central directory names the main document part.
    bytes.starts_with(b"PK")
        && bytes
            .windows(b"word/document.xml".len())
            .any(|w| w == b"word/document.xml")
}

async fn documents_are_word_files_and_printable_pages(app: TestApp) {
    let lab = lab(app).await;
    let id = lab.published(SORØ, "K04 Drift", None).await;
    let docx = lab
        .call(
            SORØ,
            Method::GET,
            &format!("/templates/{id}/versions/1/document.docx"),
            None,
        )
        .await;
    assert_eq!(docx.status(), StatusCode::OK);
    assert_eq!(
        docx.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    assert!(
        docx.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains(".docx")
    );
    assert!(is_word_file(&docx.bytes().await.unwrap()));
    let html = lab
        .call(
            SORØ,
            Method::GET,
            &format!("/templates/{id}/versions/1/document.html"),
            None,
        )
        .await;
    assert_eq!(html.status(), StatusCode::OK);
    assert!(
        html.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let page = html.text().await.unwrap();
    assert!(page.contains("Oppetid"), "{page}");

    let contract = lab
        .contract(
            SORØ,
            "Drift af ESDH",
            json!({"template_id": id, "version_number": 1,
                   "values": {"oppetid_procent": {"kind": "percent", "value": "99.7"}}}),
        )
        .await;
    let contract = expect_json(contract, StatusCode::CREATED).await;
    let contract = contract["id"].as_str().unwrap().to_owned();
    let docx = lab
        .call(
            SORØ,
            Method::GET,
            &format!("/contracts/{contract}/document.docx"),
            None,
        )
        .await;
    assert_eq!(docx.status(), StatusCode::OK);
    assert!(is_word_file(&docx.bytes().await.unwrap()));
    let page = lab
        .call(
            SORØ,
            Method::GET,
            &format!("/contracts/{contract}/document.html"),
            None,
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("99,7"), "{page}");

    // Another municipality gets neither.
    for path in [
        format!("/templates/{id}/versions/1/document.docx"),
        format!("/templates/{id}/versions/1/document.html"),
        format!("/contracts/{contract}/document.docx"),
        format!("/contracts/{contract}/document.html"),
    ] {
        assert_eq!(
            lab.status(NÆSTVED, Method::GET, &path, None).await,
            404,
            "{path}"
        );
    }
    // A contract without a template has no document.
    let plain = lab
        .call(
            SORØ,
            Method::POST,
            "/contracts",
            Some(json!({"title": "Licensaftale", "supplier_id": lab.supplier(SORØ).await, "start_on": "2026-01-01"})),
        )
        .await;
    let plain = expect_json(plain, StatusCode::CREATED).await;
    assert_eq!(
        lab.status(
            SORØ,
            Method::GET,
            &format!("/contracts/{}/document.html", plain["id"].as_str().unwrap()),
            None
        )
        .await,
        404
    );
}
