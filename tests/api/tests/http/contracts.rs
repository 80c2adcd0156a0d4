//! The contract register over HTTP: contracts, derived dates, search and
//! filters, concurrency, archive, history, sharing, attachments, systems,
//! suppliers, deadlines and the overview.

use reqwest::{Method, StatusCode};
use samudbud_api_tests::{
    TestApp, expect_announced_problem, expect_json, expect_problem, on_both_databases,
};
use samudbud_domain::Role;
use serde_json::{Value, json};

on_both_databases!(
    contracts_are_registered_with_derived_dates,
    contract_input_is_validated,
    stale_writes_change_nothing,
    archived_contracts_keep_their_history,
    lists_search_filter_and_sort,
    shared_contracts_are_read_only_for_members,
    attachments_are_checked_and_served,
    systems_and_suppliers,
    a_renamed_system_is_searched_by_its_new_name,
    deadlines_and_overview,
    viewers_read_but_do_not_write,
    kept_answers_give_way_to_every_change_they_show,
    kept_lists_go_gzipped_to_clients_that_accept_it,
);

struct Register {
    app: TestApp,
    tenant: samudbud_domain::TenantId,
    editor: String,
    supplier: Value,
    system: Value,
}

impl Register {
    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> reqwest::Response {
        self.call_as(&self.editor, method, path, body).await
    }

    async fn call_as(
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

    /// Replaces what `path` names with `body` as `token`'s user, quoting
    /// the first version in `If-Match`.
    async fn put_first_version(&self, token: &str, path: &str, body: &Value) -> reqwest::Response {
        self.app
            .request(Method::PUT, &format!("/api/v1{path}"), Some(token))
            .header("if-match", "\"1\"")
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// Archives (`restore = false`) or restores the contract or system at
    /// `path`, quoting the version just read in `If-Match`.
    async fn set_archived(&self, path: &str, restore: bool) -> reqwest::Response {
        let read = self.call(Method::GET, path, None).await;
        assert_eq!(read.status(), StatusCode::OK, "{path}");
        let etag = read.headers()["etag"].to_str().unwrap().to_owned();
        let (method, target) = if restore {
            (Method::POST, format!("{path}/restore"))
        } else {
            (Method::DELETE, path.to_owned())
        };
        self.app
            .request(method, &format!("/api/v1{target}"), Some(&self.editor))
            .header("if-match", etag)
            .send()
            .await
            .unwrap()
    }

    async fn create(&self, body: Value) -> Value {
        expect_json(
            self.call(Method::POST, "/contracts", Some(body)).await,
            StatusCode::CREATED,
        )
        .await
    }

    fn contract(&self, title: &str) -> Value {
        json!({
            "title": title,
            "supplier_id": self.supplier["id"],
            "start_on": "2024-01-01",
        })
    }
}

async fn register(app: TestApp) -> Register {
    let tenant = app.create_tenant("Sorø Kommune", "340").await;
    app.create_user(tenant, "redaktoer@soroe.dk", Role::Editor)
        .await;
    app.create_user(tenant, "laeser@soroe.dk", Role::Viewer)
        .await;
    let editor = app.token("redaktoer@soroe.dk").await;
    let mut register = Register {
        app,
        tenant,
        editor,
        supplier: Value::Null,
        system: Value::Null,
    };
    let supplier = register
        .call(
            Method::POST,
            "/suppliers",
            Some(json!({"cvr": "1895 7981", "name": "KMD A/S"})),
        )
        .await;
    register.supplier = expect_json(supplier, StatusCode::OK).await;
    let system = register
        .call(
            Method::POST,
            "/systems",
            Some(json!({"name": "Opus Økonomi", "category": "Økonomi"})),
        )
        .await;
    register.system = expect_json(system, StatusCode::CREATED).await;
    register
}

async fn contracts_are_registered_with_derived_dates(app: TestApp) {
    let r = register(app).await;
    let response = r
        .call(
            Method::POST,
            "/contracts",
            Some(json!({
                "title": "Økonomisystem",
                "reference": "KON-2024-017",
                "contract_type": "main",
                "supplier_id": r.supplier["id"],
                "system_ids": [r.system["id"]],
                "category": "Økonomi",
                "cpv_code": "48000000-8",
                "agreement_elements": ["operation", "licence", "licence"],
                "procedure": "framework_mini_competition",
                "framework_agreement": "SKI 02.19",
                "annual_value": "1234567.8",
                "total_value": "9876543.21",
                "payment_model": "licence",
                "payment_frequency": "quarterly",
                "signed_on": "2024-01-15",
                "start_on": "2024-02-01",
                "end_on": "2028-01-31",
                "option_months": 12,
                "options_total": 2,
                "options_exercised": 1,
                "notice_period_months": 6,
                "retender_lead_months": 18,
                "system_owner": "Anne Økonomichef",
                "criticality": "high",
            })),
        )
        .await;
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let c = expect_json(response, StatusCode::CREATED).await;
    assert_eq!(etag, "\"1\"");
    assert_eq!(c["annual_value"], "1234567.80", "money is a decimal string");
    assert_eq!(c["total_value"], "9876543.21");
    assert_eq!(c["agreement_elements"], json!(["licence", "operation"]));
    assert_eq!(c["systems"][0]["name"], "Opus Økonomi");
    assert_eq!(c["supplier"]["cvr"], "18957981");
    assert_eq!(c["owner"]["municipality_code"], "340");
    assert_eq!(c["shared"], false);
    // One option exercised: ends 31 January 2029; both: 2030.
    assert_eq!(c["effective_end"], "2029-01-31");
    assert_eq!(c["latest_end"], "2030-01-31");
    assert_eq!(c["notice_deadline"], "2028-07-31");
    assert_eq!(c["retender_start"], "2027-01-31");
    assert_eq!(c["status"], "active");

    let read = r
        .call(
            Method::GET,
            &format!("/contracts/{}", c["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(expect_json(read, StatusCode::OK).await, c);

    // The read by id finds the covered systems in the contract's own
    // statement: the same systems, in the same order, whatever their names
    // hold; none for a contract that covers none.
    let tricky = expect_json(
        r.call(
            Method::POST,
            "/systems",
            Some(json!({"name": "ESDH \"Sag\" \\ Ærø"})),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let mut both = r.contract("Drift af to systemer");
    both["system_ids"] = json!([tricky["id"], r.system["id"]]);
    let mut none = r.contract("Rådgivning");
    none["system_ids"] = json!([]);
    let both = r.create(both).await;
    let names: Vec<&Value> = both["systems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["name"])
        .collect();
    assert_eq!(names, [&tricky["name"], &r.system["name"]]);
    let none = r.create(none).await;
    for created in [&both, &none] {
        let read = r
            .call(
                Method::GET,
                &format!("/contracts/{}", created["id"].as_str().unwrap()),
                None,
            )
            .await;
        assert_eq!(&expect_json(read, StatusCode::OK).await, created);
    }
    // The list reads them in its page's statement: the same contracts, on
    // the first page and on the one past it.
    let mut listed = Vec::new();
    for page in [1, 2] {
        let found = expect_json(
            r.call(
                Method::GET,
                &format!("/contracts?sort=-title&page={page}&page_size=2"),
                None,
            )
            .await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(found["total"], 3);
        listed.extend(found["items"].as_array().unwrap().iter().cloned());
    }
    let by_id = |v: &Value| v["id"].as_str().unwrap().to_owned();
    listed.sort_by_key(by_id);
    let mut expected = vec![c.clone(), both, none];
    expected.sort_by_key(by_id);
    assert_eq!(listed, expected);

    // A supplementary contract hangs under it; a running one gets a notice
    // deadline from today.
    let mut child = r.contract("Tillæg om integrationer");
    child["contract_type"] = json!("supplementary");
    child["parent_id"] = c["id"].clone();
    child["notice_period_months"] = json!(3);
    child["notice_to"] = json!("quarter");
    let child = r.create(child).await;
    assert_eq!(child["parent_id"], c["id"]);
    assert!(child["end_on"].is_null());
    assert!(child["notice_deadline"].is_string());
}

async fn contract_input_is_validated(app: TestApp) {
    let r = register(app).await;
    let codes = |problem: &Value| -> Vec<(String, String)> {
        problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["field"].as_str().unwrap().to_owned(),
                    e["code"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let empty = r
        .call(Method::POST, "/contracts", Some(json!({"title": " "})))
        .await;
    let problem = expect_problem(empty, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(
        codes(&problem),
        [
            ("title".into(), "required".into()),
            ("start_on".into(), "required".into()),
            ("supplier_id".into(), "required".into())
        ]
    );

    let mut bad = r.contract("Forkert");
    bad["end_on"] = json!("2023-12-31");
    bad["contract_type"] = json!("lease");
    bad["cpv_code"] = json!("4800");
    bad["options_total"] = json!(1);
    bad["options_exercised"] = json!(2);
    bad["notice_to"] = json!("week");
    let problem = expect_problem(
        r.call(Method::POST, "/contracts", Some(bad)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    let fields: Vec<String> = codes(&problem).into_iter().map(|(f, _)| f).collect();
    for expected in [
        "end_on",
        "contract_type",
        "cpv_code",
        "options_exercised",
        "option_months",
        "notice_to",
    ] {
        assert!(
            fields.contains(&expected.to_owned()),
            "{expected} in {fields:?}"
        );
    }

    for (field, value) in [
        ("annual_value", json!(1234.5)),
        ("annual_value", json!("12.345")),
        ("total_value", json!("-5")),
    ] {
        let mut body = r.contract("Penge");
        body[field] = value;
        let response = r.call(Method::POST, "/contracts", Some(body)).await;
        expect_problem(response, StatusCode::BAD_REQUEST).await;
    }

    // Another municipality's system, and a parent that is not the municipality's.
    let other = r.app.create_tenant("Ringsted Kommune", "329").await;
    r.app
        .create_user(other, "redaktoer@ringsted.dk", Role::Editor)
        .await;
    let other_token = r.app.token("redaktoer@ringsted.dk").await;
    let mut foreign = r.contract("Fremmed");
    foreign["system_ids"] = json!([r.system["id"]]);
    let response = r
        .call_as(&other_token, Method::POST, "/contracts", Some(foreign))
        .await;
    let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(codes(&problem), [("system_ids".into(), "unknown".into())]);

    // Cycles between main and supplementary contracts.
    let main = r.create(r.contract("Hoved")).await;
    let mut sub = r.contract("Under");
    sub["parent_id"] = main["id"].clone();
    let sub = r.create(sub).await;
    let mut cycle = r.contract("Hoved");
    cycle["parent_id"] = sub["id"].clone();
    let path = format!("/contracts/{}", main["id"].as_str().unwrap());
    let response = r.put_first_version(&r.editor, &path, &cycle).await;
    let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(codes(&problem), [("parent_id".into(), "cycle".into())]);

    let list = expect_json(
        r.call(Method::GET, "/contracts", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        list["total"], 2,
        "nothing was stored by the refused requests"
    );
}

async fn stale_writes_change_nothing(app: TestApp) {
    let r = register(app).await;
    let c = r.create(r.contract("Lønsystem")).await;
    let path = format!("/api/v1/contracts/{}", c["id"].as_str().unwrap());
    let put = |etag: Option<&'static str>, title: &str| {
        let mut body = r.contract(title);
        body["reference"] = json!("L-1");
        let mut request = r
            .app
            .request(Method::PUT, &path, Some(&r.editor))
            .json(&body);
        if let Some(etag) = etag {
            request = request.header("if-match", etag);
        }
        request.send()
    };
    expect_problem(
        put(None, "Uden").await.unwrap(),
        StatusCode::PRECONDITION_REQUIRED,
    )
    .await;
    let updated = expect_json(
        put(Some("\"1\""), "Lønsystem v2").await.unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(updated["title"], "Lønsystem v2");
    expect_problem(
        put(Some("\"1\""), "Forældet").await.unwrap(),
        StatusCode::PRECONDITION_FAILED,
    )
    .await;
    let current = expect_json(
        r.app
            .request(Method::GET, &path, Some(&r.editor))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(current["title"], "Lønsystem v2");

    // Two editors with the same ETag: one wins, the other gets 412.
    let (a, b) = tokio::join!(put(Some("\"2\""), "Først"), put(Some("\"2\""), "Sidst"));
    let mut statuses = [a.unwrap().status(), b.unwrap().status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::PRECONDITION_FAILED]);
}

async fn archived_contracts_keep_their_history(app: TestApp) {
    let r = register(app).await;
    let c = r.create(r.contract("ESDH")).await;
    let id = c["id"].as_str().unwrap();
    // Archiving is a write like any other: it names the version it read.
    let path = format!("/contracts/{id}");
    expect_problem(
        r.call(Method::DELETE, &path, None).await,
        StatusCode::PRECONDITION_REQUIRED,
    )
    .await;
    let stale = r
        .app
        .request(Method::DELETE, &format!("/api/v1{path}"), Some(&r.editor))
        .header("if-match", "\"0\"")
        .send()
        .await
        .unwrap();
    expect_problem(stale, StatusCode::PRECONDITION_FAILED).await;
    let archived = expect_json(r.set_archived(&path, false).await, StatusCode::OK).await;
    assert!(archived["archived_at"].is_string());
    let list = expect_json(
        r.call(Method::GET, "/contracts", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(list["total"], 0);
    let with_archived = expect_json(
        r.call(Method::GET, "/contracts?include_archived=true", None)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(with_archived["total"], 1);
    expect_problem(
        r.call(Method::POST, &format!("{path}/restore"), None).await,
        StatusCode::PRECONDITION_REQUIRED,
    )
    .await;
    let restored = expect_json(r.set_archived(&path, true).await, StatusCode::OK).await;
    assert!(restored["archived_at"].is_null());

    let history = expect_json(
        r.call(Method::GET, &format!("/contracts/{id}/history"), None)
            .await,
        StatusCode::OK,
    )
    .await;
    let actions: Vec<&str> = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["contract.restored", "contract.archived", "contract.created"]
    );
    assert_eq!(history["items"][2]["actor"], "redaktoer@soroe.dk");
    assert_eq!(history["items"][2]["after"]["title"], "ESDH");
}

async fn lists_search_filter_and_sort(app: TestApp) {
    let r = register(app).await;
    let other_supplier = expect_json(
        r.call(
            Method::POST,
            "/suppliers",
            Some(json!({"cvr": "29188955", "name": "Netcompany A/S"})),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let mut esdh = r.contract("ESDH-løsning");
    esdh["supplier_id"] = other_supplier["id"].clone();
    esdh["cpv_code"] = json!("48311000-1");
    esdh["end_on"] = json!("2027-03-31");
    esdh["annual_value"] = json!("500000");
    esdh["criticality"] = json!("high");
    esdh["system_owner"] = json!("Bo Digitalisering");
    r.create(esdh).await;
    let mut payroll = r.contract("Lønsystem");
    payroll["system_ids"] = json!([r.system["id"]]);
    payroll["cpv_code"] = json!("48450000-7");
    payroll["end_on"] = json!("2030-12-31");
    payroll["annual_value"] = json!("2000000");
    r.create(payroll).await;
    let mut old = r.contract("Gammel skoleplatform");
    old["end_on"] = json!("2025-06-30");
    r.create(old).await;

    let titles = |list: &Value| -> Vec<String> {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["title"].as_str().unwrap().to_owned())
            .collect()
    };
    let r = &r;
    let get = |query: String| async move {
        expect_json(
            r.call(Method::GET, &format!("/contracts{query}"), None)
                .await,
            StatusCode::OK,
        )
        .await
    };
    assert_eq!(titles(&get("?q=netcompany".into()).await), ["ESDH-løsning"]);
    // Upper case finds lower case, also beyond ASCII ("LØN" in the address).
    assert_eq!(titles(&get("?q=Netcompany".into()).await), ["ESDH-løsning"]);
    assert_eq!(titles(&get("?q=L%C3%98N".into()).await), ["Lønsystem"]);
    assert_eq!(
        titles(&get("?q=opus".into()).await),
        ["Lønsystem"],
        "by system name"
    );
    assert_eq!(
        titles(&get("?q=29188955".into()).await),
        ["ESDH-løsning"],
        "by CVR"
    );
    assert_eq!(
        titles(&get("?status=expired".into()).await),
        ["Gammel skoleplatform"]
    );
    assert_eq!(get("?status=active".into()).await["total"], 2);
    assert_eq!(
        titles(
            &get(format!(
                "?supplier_id={}",
                other_supplier["id"].as_str().unwrap()
            ))
            .await
        ),
        ["ESDH-løsning"]
    );
    assert_eq!(
        titles(&get(format!("?system_id={}", r.system["id"].as_str().unwrap())).await),
        ["Lønsystem"]
    );
    assert_eq!(get("?cpv=48000000".into()).await["total"], 2, "a CPV group");
    assert_eq!(titles(&get("?cpv=4831".into()).await), ["ESDH-løsning"]);
    assert_eq!(
        titles(&get("?owner=digital".into()).await),
        ["ESDH-løsning"]
    );
    assert_eq!(
        titles(&get("?criticality=high".into()).await),
        ["ESDH-løsning"]
    );
    assert_eq!(
        titles(&get("?ends_before=2028-01-01&ends_after=2026-01-01".into()).await),
        ["ESDH-løsning"]
    );
    assert_eq!(
        titles(&get("?sort=-annual_value&status=active".into()).await),
        ["Lønsystem", "ESDH-løsning"]
    );
    // A contract without the value sorted by comes last either way, on both
    // databases (one of the three has no annual value).
    for sort in ["annual_value", "-annual_value"] {
        assert_eq!(
            titles(&get(format!("?sort={sort}")).await)[2],
            "Gammel skoleplatform",
            "{sort}"
        );
    }
    assert_eq!(
        titles(&get("?sort=supplier&status=active".into()).await),
        ["Lønsystem", "ESDH-løsning"],
        "KMD before Netcompany"
    );
    // Sorting by supplier joins the supplier once more: searches, totals
    // and the other scope still read as one list.
    let by_supplier = get("?sort=-supplier&status=active&scope=all&q=system".into()).await;
    assert_eq!(
        (by_supplier["total"].as_u64(), titles(&by_supplier)),
        (Some(1), vec!["Lønsystem".to_owned()])
    );
    assert_eq!(
        titles(&get("?sort=-supplier&status=active".into()).await),
        ["ESDH-løsning", "Lønsystem"]
    );
    let page = get("?sort=title&page_size=2&page=2".into()).await;
    assert_eq!(
        (page["total"].as_u64(), titles(&page)),
        (Some(3), vec!["Lønsystem".to_owned()])
    );
    let since = get("?changed_since=2000-01-01T00:00:00Z".into()).await;
    assert_eq!(titles(&since)[0], "ESDH-løsning", "sorted by last change");

    for bad in [
        "?sort=secret",
        "?status=lost",
        "?page_size=201",
        "?cpv=abc",
        "?ends_before=31-12-2027",
    ] {
        let response = r.call(Method::GET, &format!("/contracts{bad}"), None).await;
        let status = response.status();
        assert!(
            status == StatusCode::BAD_REQUEST || status == StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}: {status}"
        );
        expect_problem(response, status).await;
    }
}

async fn shared_contracts_are_read_only_for_members(app: TestApp) {
    let r = register(app).await;
    r.app
        .create_user(r.tenant, "admin@soroe.dk", Role::Admin)
        .await;
    let ringsted = r.app.create_tenant("Ringsted Kommune", "329").await;
    r.app
        .create_user(ringsted, "admin@ringsted.dk", Role::Admin)
        .await;
    r.app
        .create_user(ringsted, "redaktoer@ringsted.dk", Role::Editor)
        .await;
    let næstved = r.app.create_tenant("Næstved Kommune", "370").await;
    r.app
        .create_user(næstved, "redaktoer@naestved.dk", Role::Editor)
        .await;
    let sorø_admin = r.app.token("admin@soroe.dk").await;
    let ringsted_admin = r.app.token("admin@ringsted.dk").await;
    let ringsted_editor = r.app.token("redaktoer@ringsted.dk").await;
    let næstved_editor = r.app.token("redaktoer@naestved.dk").await;

    let cid = r
        .app
        .collaboration(&sorø_admin, "Midtsjælland", &[(&ringsted_admin, "329")])
        .await;
    let cid = cid.as_str();

    let mut covering = r.contract("Fælles ESDH");
    covering["system_ids"] = json!([r.system["id"]]);
    let c = r.create(covering).await;
    let id = c["id"].as_str().unwrap();
    let shared = r
        .call(
            Method::POST,
            &format!("/contracts/{id}/shares"),
            Some(json!({"collaboration_id": cid})),
        )
        .await;
    expect_json(shared, StatusCode::CREATED).await;
    let twice = r
        .call(
            Method::POST,
            &format!("/contracts/{id}/shares"),
            Some(json!({"collaboration_id": cid})),
        )
        .await;
    expect_problem(twice, StatusCode::CONFLICT).await;
    let shares = expect_json(
        r.call(Method::GET, &format!("/contracts/{id}/shares"), None)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(shares["items"][0]["collaboration_id"], cid);
    let own_shared = expect_json(
        r.call(Method::GET, &format!("/contracts?shared_with={cid}"), None)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(own_shared["total"], 1);

    // Ringsted sees it, marked with its owner, and cannot change it.
    let list = expect_json(
        r.call_as(
            &ringsted_editor,
            Method::GET,
            "/contracts?scope=shared",
            None,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["owner"]["name"], "Sorø Kommune");
    assert_eq!(list["items"][0]["shared"], true);
    assert_eq!(
        list["items"][0]["systems"], c["systems"],
        "the owner's systems"
    );
    assert_eq!(c["systems"].as_array().map(Vec::len), Some(1));
    let own_only = expect_json(
        r.call_as(&ringsted_editor, Method::GET, "/contracts", None)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(own_only["total"], 0, "own contracts by default");
    // What is shared with the collaboration, asked by each municipality.
    let shared_with = |token: &str, scope: &str| {
        let path = format!("/contracts?scope={scope}&shared_with={cid}");
        let token = token.to_owned();
        let r = &r;
        async move {
            expect_json(
                r.call_as(&token, Method::GET, &path, None).await,
                StatusCode::OK,
            )
            .await["total"]
                .clone()
        }
    };
    assert_eq!(shared_with(&ringsted_editor, "shared").await, 1);
    assert_eq!(shared_with(&ringsted_editor, "all").await, 1);
    assert_eq!(shared_with(&ringsted_editor, "own").await, 0);
    assert_eq!(shared_with(&r.editor, "all").await, 1);
    assert_eq!(
        shared_with(&næstved_editor, "all").await,
        0,
        "not a member: nothing is shared with it"
    );
    let read = r
        .call_as(
            &ringsted_editor,
            Method::GET,
            &format!("/contracts/{id}"),
            None,
        )
        .await;
    assert_eq!(expect_json(read, StatusCode::OK).await["shared"], true);
    let change = r
        .put_first_version(
            &ringsted_editor,
            &format!("/contracts/{id}"),
            &r.contract("Overtaget"),
        )
        .await;
    expect_problem(change, StatusCode::FORBIDDEN).await;
    let archive = r
        .call_as(
            &ringsted_editor,
            Method::DELETE,
            &format!("/contracts/{id}"),
            None,
        )
        .await;
    expect_problem(archive, StatusCode::FORBIDDEN).await;
    for path in [
        format!("/contracts/{id}/history"),
        format!("/contracts/{id}/attachments"),
    ] {
        let response = r.call_as(&ringsted_editor, Method::GET, &path, None).await;
        expect_problem(response, StatusCode::NOT_FOUND).await;
    }

    // Næstved is no member: the contract does not exist for it.
    let outsider = r
        .call_as(
            &næstved_editor,
            Method::GET,
            &format!("/contracts/{id}"),
            None,
        )
        .await;
    expect_problem(outsider, StatusCode::NOT_FOUND).await;
    let outsider_list = expect_json(
        r.call_as(&næstved_editor, Method::GET, "/contracts?scope=all", None)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(outsider_list["total"], 0);

    // Unshared, it is gone for Ringsted.
    let unshared = r
        .call(
            Method::DELETE,
            &format!("/contracts/{id}/shares/{cid}"),
            None,
        )
        .await;
    assert_eq!(unshared.status(), StatusCode::NO_CONTENT);
    let gone = r
        .call_as(
            &ringsted_editor,
            Method::GET,
            &format!("/contracts/{id}"),
            None,
        )
        .await;
    expect_problem(gone, StatusCode::NOT_FOUND).await;
}

async fn attachments_are_checked_and_served(app: TestApp) {
    let r = register(app).await;
    let c = r.create(r.contract("Hosting")).await;
    let id = c["id"].as_str().unwrap();
    let upload = |name: &'static str, bytes: Vec<u8>| {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(name);
        r.app
            .request(
                Method::POST,
                &format!("/api/v1/contracts/{id}/attachments"),
                Some(&r.editor),
            )
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
    };
    let pdf = b"%PDF-1.7\n% Underskrevet kontrakt\ntrailer<<>>\n%%EOF\n".to_vec();
    let created = expect_json(
        upload("Underskrevet kontrakt.pdf", pdf.clone())
            .await
            .unwrap(),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(created["content_type"], "application/pdf");
    assert_eq!(created["size_bytes"], pdf.len());

    let fake = upload("virus.pdf", b"MZ\x90\x00".to_vec()).await.unwrap();
    let problem = expect_problem(fake, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(problem["errors"][0]["code"], "unsupported_type");
    expect_problem(
        upload("notes.txt", b"hello".to_vec()).await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    let big = r
        .app
        .announce_body(
            Method::POST,
            &format!("/api/v1/contracts/{id}/attachments"),
            Some(&r.editor),
            "multipart/form-data; boundary=x",
            100 * 1024,
        )
        .await;
    expect_announced_problem(big, StatusCode::PAYLOAD_TOO_LARGE);

    let list = expect_json(
        r.call(Method::GET, &format!("/contracts/{id}/attachments"), None)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    let file = r
        .call(
            Method::GET,
            &format!(
                "/contracts/{id}/attachments/{}",
                created["id"].as_str().unwrap()
            ),
            None,
        )
        .await;
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(file.headers()["content-type"], "application/pdf");
    let disposition = file.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.contains("filename*=UTF-8''Underskrevet%20kontrakt.pdf"),
        "{disposition}"
    );
    assert_eq!(file.bytes().await.unwrap().to_vec(), pdf);

    let removed = r
        .call(
            Method::DELETE,
            &format!(
                "/contracts/{id}/attachments/{}",
                created["id"].as_str().unwrap()
            ),
            None,
        )
        .await;
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
}

/// The titles a search for `q` lists, as `token`'s municipality.
async fn found_by(r: &Register, token: &str, q: &str) -> Vec<String> {
    let found = expect_json(
        r.call_as(token, Method::GET, &format!("/contracts?q={q}"), None)
            .await,
        StatusCode::OK,
    )
    .await;
    found["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["title"].as_str().unwrap().to_owned())
        .collect()
}

/// A contract is found by the names of the systems it covers: renaming a
/// system makes its contracts found by the new name and no longer by the
/// old, without changing the contracts themselves. Another municipality's
/// system of the same name, and its contracts, are left as they were.
async fn a_renamed_system_is_searched_by_its_new_name(app: TestApp) {
    let r = register(app).await;
    let system_id = r.system["id"].as_str().unwrap().to_owned();
    let mut covered = r.contract("Økonomidrift");
    covered["system_ids"] = json!([system_id]);
    let created = r.create(covered).await;

    let ringsted = r.app.create_tenant("Ringsted Kommune", "329").await;
    r.app
        .create_user(ringsted, "redaktoer@ringsted.dk", Role::Editor)
        .await;
    let other = r.app.token("redaktoer@ringsted.dk").await;
    let their_system = expect_json(
        r.call_as(
            &other,
            Method::POST,
            "/systems",
            Some(json!({"name": "Opus Økonomi", "category": "Økonomi"})),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    expect_json(
        r.call_as(
            &other,
            Method::POST,
            "/contracts",
            Some(json!({
                "title": "Ringsteds økonomi",
                "supplier_id": r.supplier["id"],
                "start_on": "2024-01-01",
                "system_ids": [their_system["id"]],
            })),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(found_by(&r, &r.editor, "opus").await, ["Økonomidrift"]);

    // Ringsted cannot rename Sorø's system.
    let refused = r
        .put_first_version(
            &other,
            &format!("/systems/{system_id}"),
            &json!({"name": "Prisme Økonomi"}),
        )
        .await;
    expect_problem(refused, StatusCode::NOT_FOUND).await;
    assert_eq!(
        found_by(&r, &r.editor, "prisme").await,
        Vec::<String>::new()
    );

    let renamed = r
        .put_first_version(
            &r.editor,
            &format!("/systems/{system_id}"),
            &json!({"name": "Prisme Økonomi", "category": "Økonomi"}),
        )
        .await;
    expect_json(renamed, StatusCode::OK).await;
    assert_eq!(found_by(&r, &r.editor, "prisme").await, ["Økonomidrift"]);
    assert_eq!(found_by(&r, &r.editor, "opus").await, Vec::<String>::new());
    assert_eq!(found_by(&r, &other, "opus").await, ["Ringsteds økonomi"]);
    assert_eq!(found_by(&r, &other, "prisme").await, Vec::<String>::new());

    let id = created["id"].as_str().unwrap();
    let read = expect_json(
        r.call(Method::GET, &format!("/contracts/{id}"), None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        read["version"], created["version"],
        "the contract is unchanged"
    );
    assert_eq!(read["updated_at"], created["updated_at"]);
    assert_eq!(read["systems"][0]["name"], "Prisme Økonomi");
}

async fn systems_and_suppliers(app: TestApp) {
    let r = register(app).await;
    let invalid = r
        .call(
            Method::POST,
            "/suppliers",
            Some(json!({"cvr": "18957982", "name": "X"})),
        )
        .await;
    let problem = expect_problem(invalid, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(problem["errors"][0]["code"], "checksum");
    let again = expect_json(
        r.call(
            Method::POST,
            "/suppliers",
            Some(json!({"cvr": "18957981", "name": "Et andet navn"})),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(again["id"], r.supplier["id"]);
    assert_eq!(
        again["name"], "KMD A/S",
        "the catalogue keeps the registered name"
    );
    let found = expect_json(
        r.call(Method::GET, "/suppliers?q=kmd", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(found["items"][0]["cvr"], "18957981");
    let upper = expect_json(
        r.call(Method::GET, "/suppliers?q=KMD", None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(upper["items"][0]["cvr"], "18957981", "any case");

    let system_id = r.system["id"].as_str().unwrap();
    let mut covered = r.contract("Opus-drift");
    covered["system_ids"] = json!([system_id]);
    r.create(covered).await;
    let contracts = expect_json(
        r.call(
            Method::GET,
            &format!("/systems/{system_id}/contracts"),
            None,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(contracts["items"][0]["title"], "Opus-drift");

    let update = r
        .put_first_version(
            &r.editor,
            &format!("/systems/{system_id}"),
            &json!({"name": "Opus Økonomi", "status": "retired", "supplier_id": r.supplier["id"]}),
        )
        .await;
    let updated = expect_json(update, StatusCode::OK).await;
    assert_eq!(updated["status"], "retired");
    assert_eq!(updated["supplier"]["name"], "KMD A/S");
    let bad = r
        .call(
            Method::POST,
            "/systems",
            Some(json!({"name": "X", "status": "broken"})),
        )
        .await;
    expect_problem(bad, StatusCode::UNPROCESSABLE_ENTITY).await;

    // The catalogue is searched in any case, filtered and sorted.
    for (name, category, status) in [
        ("ESDH", "Sagsbehandling", "in_use"),
        ("Skoleportal", "Skole", "planned"),
    ] {
        let created = r
            .call(
                Method::POST,
                "/systems",
                Some(json!({"name": name, "category": category, "status": status})),
            )
            .await;
        expect_json(created, StatusCode::CREATED).await;
    }
    let r = &r;
    let names = |query: &'static str| async move {
        let list = expect_json(
            r.call(Method::GET, &format!("/systems{query}"), None).await,
            StatusCode::OK,
        )
        .await;
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names("?q=%C3%B8konomi").await,
        ["Opus Økonomi"],
        "ø finds Ø"
    );
    assert_eq!(names("?q=OPUS").await, ["Opus Økonomi"]);
    assert_eq!(names("?status=retired").await, ["Opus Økonomi"]);
    assert_eq!(names("?category=Skole").await, ["Skoleportal"]);
    let supplier = r.supplier["id"].as_str().unwrap();
    let by_supplier = format!("/systems?supplier_id={supplier}");
    let list = expect_json(
        r.call(Method::GET, &by_supplier, None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(list["total"], 1);
    assert_eq!(
        names("?sort=-name").await,
        ["Skoleportal", "Opus Økonomi", "ESDH"]
    );
    assert_eq!(
        names("?sort=status").await,
        ["ESDH", "Skoleportal", "Opus Økonomi"],
        "in_use, planned, retired"
    );
    for bad in ["?status=broken", "?sort=price"] {
        expect_problem(
            r.call(Method::GET, &format!("/systems{bad}"), None).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }

    let archived = expect_json(
        r.set_archived(&format!("/systems/{system_id}"), false)
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(archived["archived_at"].is_string());
    assert_eq!(names("").await, ["ESDH", "Skoleportal"]);
}

async fn deadlines_and_overview(app: TestApp) {
    let r = register(app).await;
    let today = samudbud_domain::clock::today();
    let in_days = |days: i64| (today + chrono::Duration::days(days)).to_string();
    // Ends in about eight months with three months' notice: notice within 180 days.
    let mut soon = r.contract("Snart");
    soon["end_on"] = json!(in_days(240));
    soon["notice_period_months"] = json!(3);
    soon["annual_value"] = json!("100.50");
    soon["category"] = json!("Skole");
    r.create(soon).await;
    let mut later = r.contract("Senere");
    later["end_on"] = json!(in_days(3000));
    later["annual_value"] = json!("200");
    later["system_owner"] = json!("Lene");
    r.create(later).await;
    // A responsible unit answers for a contract without a system owner.
    let mut unit = r.contract("Enheden svarer");
    unit["end_on"] = json!(in_days(200));
    unit["notice_period_months"] = json!(3);
    unit["responsible_unit"] = json!("Skoleafdelingen");
    r.create(unit).await;

    let deadlines = expect_json(
        r.call(Method::GET, "/deadlines?within_days=180", None)
            .await,
        StatusCode::OK,
    )
    .await;
    let items = deadlines["items"].as_array().unwrap();
    assert!(
        items
            .iter()
            .any(|d| d["title"] == "Snart" && d["kind"] == "notice_deadline")
    );
    assert!(items.iter().all(|d| d["title"] != "Senere"));
    let owner_of = |title: &str| {
        items
            .iter()
            .find(|d| d["title"] == title)
            .map(|d| d["owner"].clone())
    };
    assert_eq!(owner_of("Snart"), Some(Value::Null));
    assert_eq!(owner_of("Enheden svarer"), Some(json!("Skoleafdelingen")));
    assert!(
        items
            .windows(2)
            .all(|w| w[0]["date"].as_str() <= w[1]["date"].as_str())
    );

    let overview = expect_json(r.call(Method::GET, "/overview", None).await, StatusCode::OK).await;
    assert!(
        overview["deadlines"]["notice_within_180_days"]
            .as_u64()
            .unwrap()
            >= 1
    );
    assert_eq!(overview["spend_by_supplier"][0]["annual_value"], "300.50");
    assert_eq!(overview["spend_by_category"][0]["label"], "");
    let without_owner: Vec<&str> = overview["without_owner"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["title"].as_str().unwrap())
        .collect();
    assert_eq!(without_owner, ["Snart"]);

    let options = expect_json(r.call(Method::GET, "/options", None).await, StatusCode::OK).await;
    let procedures = options["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == "procedure")
        .unwrap();
    assert!(
        procedures["values"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["label"] == "Offentligt udbud")
    );
}

async fn viewers_read_but_do_not_write(app: TestApp) {
    let r = register(app).await;
    let c = r.create(r.contract("Læsbar")).await;
    let viewer = r.app.token("laeser@soroe.dk").await;
    let read = r
        .call_as(
            &viewer,
            Method::GET,
            &format!("/contracts/{}", c["id"].as_str().unwrap()),
            None,
        )
        .await;
    expect_json(read, StatusCode::OK).await;
    let write = r
        .call_as(&viewer, Method::POST, "/contracts", Some(r.contract("Nej")))
        .await;
    expect_problem(write, StatusCode::FORBIDDEN).await;
    let archive = r
        .call_as(
            &viewer,
            Method::DELETE,
            &format!("/contracts/{}", c["id"].as_str().unwrap()),
            None,
        )
        .await;
    expect_problem(archive, StatusCode::FORBIDDEN).await;
}

/// `token`'s answer to a GET of `path`, which must succeed.
async fn read(r: &Register, token: &str, path: &str) -> Value {
    expect_json(
        r.call_as(token, Method::GET, path, None).await,
        StatusCode::OK,
    )
    .await
}

/// The titles of a contract list's page.
fn titles(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["title"].as_str().unwrap())
        .collect()
}

/// Runs `sql` straight in the database past the API, as an operator's
/// command would: on PostgreSQL as the tables' owner, in the system scope.
async fn write_past_the_api(app: &TestApp, sql: &str) {
    use sea_orm::{ConnectionTrait, Database, TransactionTrait};
    let url = app
        .owner_database_url
        .as_deref()
        .unwrap_or(&app.database_url);
    let conn = Database::connect(url).await.unwrap();
    let txn = conn.begin().await.unwrap();
    if app.backend == samudbud_api_tests::Backend::Postgres {
        txn.execute_unprepared("SELECT set_config('app.system', 'on', true)")
            .await
            .unwrap();
    }
    let done = txn.execute_unprepared(sql).await.unwrap();
    assert_eq!(done.rows_affected(), 1, "{sql}");
    txn.commit().await.unwrap();
}

/// The server keeps the register's most read answers (the list, a
/// contract, the deadlines, Overblik) until the data they show changes:
/// every change below, through the API or straight in the database, shows
/// in the very next answer, and a kept answer never reaches another caller.
async fn kept_answers_give_way_to_every_change_they_show(app: TestApp) {
    let r = register(app).await;
    let today = samudbud_domain::clock::today();
    let soon = (today + chrono::Duration::days(60)).to_string();
    let mut ending = r.contract("Lønsystem");
    ending["end_on"] = json!(soon);
    ending["notice_period_months"] = json!(1);
    let c = r.create(ending.clone()).await;
    let id = c["id"].as_str().unwrap().to_owned();
    let by_id = format!("/contracts/{id}");
    let editor = r.editor.clone();

    // Each answer twice: the second is the kept one.
    for _ in 0..2 {
        assert_eq!(
            titles(&read(&r, &editor, "/contracts").await),
            ["Lønsystem"]
        );
        assert_eq!(read(&r, &editor, &by_id).await["title"], "Lønsystem");
        assert!(titles(&read(&r, &editor, "/deadlines").await).contains(&"Lønsystem"));
        let overview = read(&r, &editor, "/overview").await;
        assert_eq!(overview["deadlines"]["notice_within_90_days"], 1);
    }

    // Another municipality's editor asks the same: nothing of Sorø's.
    let ringsted = r.app.create_tenant("Ringsted Kommune", "329").await;
    r.app
        .create_user(ringsted, "admin@ringsted.dk", Role::Admin)
        .await;
    let other = r.app.token("admin@ringsted.dk").await;
    assert!(titles(&read(&r, &other, "/contracts").await).is_empty());
    assert!(titles(&read(&r, &other, "/deadlines").await).is_empty());
    let foreign = r.call_as(&other, Method::GET, &by_id, None).await;
    expect_problem(foreign, StatusCode::NOT_FOUND).await;

    // An edit through the API: a new title, and the end moved past the deadlines.
    let mut edited = ending.clone();
    edited["title"] = json!("Lønsystem 2");
    edited["end_on"] = json!("2099-12-31");
    let put = r.put_first_version(&editor, &by_id, &edited).await;
    expect_json(put, StatusCode::OK).await;
    assert_eq!(
        titles(&read(&r, &editor, "/contracts").await),
        ["Lønsystem 2"]
    );
    let read_again = r.call(Method::GET, &by_id, None).await;
    assert_eq!(read_again.headers()["etag"], "\"2\"");
    assert_eq!(
        expect_json(read_again, StatusCode::OK).await["title"],
        "Lønsystem 2"
    );
    assert!(titles(&read(&r, &editor, "/deadlines").await).is_empty());
    let overview = read(&r, &editor, "/overview").await;
    assert_eq!(overview["deadlines"]["notice_within_90_days"], 0);

    // Past the API: a municipality's row, then a row every municipality sees.
    write_past_the_api(
        &r.app,
        "UPDATE contracts SET title = 'Omdøbt i databasen' WHERE title = 'Lønsystem 2'",
    )
    .await;
    assert_eq!(
        titles(&read(&r, &editor, "/contracts").await),
        ["Omdøbt i databasen"]
    );
    write_past_the_api(
        &r.app,
        "UPDATE suppliers SET name = 'KMD Danmark A/S' WHERE name = 'KMD A/S'",
    )
    .await;
    assert_eq!(
        read(&r, &editor, &by_id).await["supplier"]["name"],
        "KMD Danmark A/S"
    );

    // What another municipality shares: its changes reach the members' answers.
    r.app
        .create_user(r.tenant, "admin@soroe.dk", Role::Admin)
        .await;
    let sorø_admin = r.app.token("admin@soroe.dk").await;
    let shared = "/contracts?scope=shared";
    assert!(titles(&read(&r, &other, shared).await).is_empty());
    let cid = r
        .app
        .collaboration(&sorø_admin, "Midtsjælland", &[(&other, "329")])
        .await;
    let share = r
        .call(
            Method::POST,
            &format!("/contracts/{id}/shares"),
            Some(json!({"collaboration_id": cid})),
        )
        .await;
    expect_json(share, StatusCode::CREATED).await;
    assert_eq!(
        titles(&read(&r, &other, shared).await),
        ["Omdøbt i databasen"]
    );
    let etag = r.call(Method::GET, &by_id, None).await.headers()["etag"].clone();
    edited["title"] = json!("Fælles lønsystem");
    let put = r
        .app
        .request(Method::PUT, &format!("/api/v1{by_id}"), Some(&editor))
        .header("if-match", etag)
        .json(&edited)
        .send()
        .await
        .unwrap();
    expect_json(put, StatusCode::OK).await;
    assert_eq!(
        titles(&read(&r, &other, shared).await),
        ["Fælles lønsystem"]
    );
    assert_eq!(read(&r, &other, &by_id).await["title"], "Fælles lønsystem");
    let unshared = r
        .call(
            Method::DELETE,
            &format!("/contracts/{id}/shares/{cid}"),
            None,
        )
        .await;
    assert!(unshared.status().is_success(), "{}", unshared.status());
    assert!(titles(&read(&r, &other, shared).await).is_empty());
    let gone = r.call_as(&other, Method::GET, &by_id, None).await;
    expect_problem(gone, StatusCode::NOT_FOUND).await;

    if r.app.backend == samudbud_api_tests::Backend::Postgres {
        // The application's role cannot set a version back to one an
        // answer was kept under.
        use sea_orm::{ConnectionTrait, Database};
        let conn = Database::connect(r.app.database_url.as_str())
            .await
            .unwrap();
        for sql in [
            "UPDATE view_versions SET version = 0",
            "DELETE FROM view_versions",
            "UPDATE shared_view_version SET version = 0",
        ] {
            let refused = conn.execute_unprepared(sql).await;
            assert!(refused.is_err(), "{sql}");
        }
    }
}

/// Kept lists are kept gzip-compressed: a client that accepts gzip gets
/// them so, any other the same JSON inflated. A contract, with its `ETag`,
/// is always sent as written.
async fn kept_lists_go_gzipped_to_clients_that_accept_it(app: TestApp) {
    let r = register(app).await;
    let soon = (samudbud_domain::clock::today() + chrono::Duration::days(30)).to_string();
    for n in 0..5 {
        let mut contract = r.contract(&format!("Lønsystem {n}"));
        contract["end_on"] = json!(soon);
        contract["notice_period_months"] = json!(0);
        r.create(contract).await;
    }
    let ringsted = r.app.create_tenant("Ringsted Kommune", "329").await;
    r.app
        .create_user(ringsted, "admin@ringsted.dk", Role::Admin)
        .await;
    let other = r.app.token("admin@ringsted.dk").await;
    let get = |token: &str, path: &str, gzip: bool| {
        as_sent(&r.app, path.to_owned(), token.to_owned(), gzip)
    };

    // Each contract has a notice deadline and a re-tender start.
    for (path, total) in [("/contracts", 5), ("/deadlines", 10)] {
        // The first answer is written for this request, then kept.
        let (written, gzipped) = get(&r.editor, path, false).await;
        assert!(!gzipped, "{path}");
        let page: Value = serde_json::from_slice(&written).unwrap();
        assert_eq!(page["total"], total, "{path}");
        let (kept, gzipped) = get(&r.editor, path, true).await;
        assert!(gzipped, "{path}: kept, and the client takes gzip");
        assert_eq!(kept, written, "{path}");
        let (inflated, gzipped) = get(&r.editor, path, false).await;
        assert!(!gzipped, "{path}: the client does not take gzip");
        assert_eq!(inflated, written, "{path}");

        // Another municipality's kept answer is its own, gzipped or not.
        for gzip in [false, true, true] {
            let (theirs, _) = get(&other, path, gzip).await;
            let page: Value = serde_json::from_slice(&theirs).unwrap();
            assert_eq!(page["total"], 0, "{path}");
        }
    }

    // A first answer goes gzipped too, to a client that takes it.
    let (first, gzipped) = get(&r.editor, "/contracts?q=system", true).await;
    assert!(gzipped);
    let page: Value = serde_json::from_slice(&first).unwrap();
    assert_eq!(page["total"], 5);

    let id = read(&r, &r.editor, "/contracts").await["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/contracts/{id}");
    for _ in 0..2 {
        let response = r
            .app
            .request_as_sent(Method::GET, &format!("/api/v1{path}"), Some(&r.editor))
            .header("accept-encoding", "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["etag"], "\"1\"");
        assert!(response.headers().get("content-encoding").is_none());
        let contract = expect_json(response, StatusCode::OK).await;
        assert!(contract["title"].as_str().unwrap().starts_with("Lønsystem"));
    }
    let foreign = r
        .app
        .request_as_sent(Method::GET, &format!("/api/v1{path}"), Some(&other))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    expect_problem(foreign, StatusCode::NOT_FOUND).await;
}

/// The JSON `path` (under `/api/v1`) answers `token`'s user, asking for
/// gzip or not, and whether it came gzipped; every such answer varies by
/// `Accept-Encoding`.
async fn as_sent(app: &TestApp, path: String, token: String, gzip: bool) -> (Vec<u8>, bool) {
    use std::io::Read as _;

    let url = format!("/api/v1{path}");
    let mut request = app.request_as_sent(Method::GET, &url, Some(&token));
    if gzip {
        request = request.header("accept-encoding", "gzip, deflate, br");
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{url}");
    let headers = response.headers().clone();
    assert_eq!(headers["vary"], "accept-encoding", "{url}");
    let body = response.bytes().await.unwrap().to_vec();
    match headers.get("content-encoding") {
        Some(coding) => {
            assert_eq!(coding, "gzip", "{url}");
            let mut json = Vec::new();
            flate2::read::GzDecoder::new(&body[..])
                .read_to_end(&mut json)
                .unwrap();
            (json, true)
        }
        None => (body, false),
    }
}
