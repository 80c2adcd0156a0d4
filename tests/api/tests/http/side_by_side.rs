//! The collaboration's contracts side by side over HTTP: only what active
//! members share, exact totals and subtotals, grouping, sorting, filters and
//! pages, running contracts never without an end; suppliers found by name
//! or CVR number, and municipalities found by name or code and invited by id.

use chrono::{Days, Utc};
use reqwest::{Method, StatusCode};
use samudbud_api_tests::{TestApp, expect_json, expect_problem, on_both_databases};
use samudbud_domain::Role;
use serde_json::{Value, json};

on_both_databases!(
    shared_contracts_side_by_side_with_totals_groups_and_sorting,
    only_active_members_see_the_side_by_side_view,
    suppliers_are_found_by_name_or_cvr_prefix,
    municipalities_are_found_by_name_or_code_and_invited_by_id,
);

const EKSEMPEL: &str = "29403473";
const KMD: &str = "18957981";

struct Setup {
    app: TestApp,
    /// Sorø (coordinator), Ringsted and Næstved, all active members.
    admins: Vec<String>,
    tenants: Vec<String>,
    collaboration: String,
    /// Slagelse, outside the collaboration.
    outsider: String,
}

async fn call(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut request = app.request(method, &format!("/api/v1{path}"), Some(token));
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.unwrap()
}

async fn setup(app: TestApp) -> Setup {
    let (tenants, admins) = app.three_municipalities().await;
    let collaboration = app
        .collaboration(
            &admins[0],
            "Midtsjællands Indkøb",
            &[(&admins[1], "329"), (&admins[2], "370")],
        )
        .await;
    let slagelse = app.create_tenant("Slagelse Kommune", "330").await;
    app.create_user(slagelse, "admin@slagelse.dk", Role::Admin)
        .await;
    let outsider = app.token("admin@slagelse.dk").await;
    Setup {
        tenants: tenants.iter().map(|t| t.0.to_string()).collect(),
        app,
        admins,
        collaboration,
        outsider,
    }
}

impl Setup {
    async fn supplier(&self, who: usize, cvr: &str, name: &str) -> String {
        let found = expect_json(
            call(
                &self.app,
                &self.admins[who],
                Method::POST,
                "/suppliers",
                Some(json!({"cvr": cvr, "name": name})),
            )
            .await,
            StatusCode::OK,
        )
        .await;
        found["id"].as_str().unwrap().to_owned()
    }

    /// A contract of `who`, shared with the collaboration when `shared`.
    async fn contract(&self, who: usize, mut body: Value, shared: bool) -> Value {
        let supplier = match body["supplier"].as_str().unwrap() {
            "kmd" => self.supplier(who, KMD, "KMD A/S").await,
            _ => self.supplier(who, EKSEMPEL, "Eksempel Software A/S").await,
        };
        let fields = body.as_object_mut().unwrap();
        fields.remove("supplier");
        fields.insert("supplier_id".into(), json!(supplier));
        fields.insert("start_on".into(), json!("2022-01-01"));
        let created = expect_json(
            call(
                &self.app,
                &self.admins[who],
                Method::POST,
                "/contracts",
                Some(body),
            )
            .await,
            StatusCode::CREATED,
        )
        .await;
        if shared {
            let id = created["id"].as_str().unwrap();
            let response = call(
                &self.app,
                &self.admins[who],
                Method::POST,
                &format!("/contracts/{id}/shares"),
                Some(json!({"collaboration_id": self.collaboration})),
            )
            .await;
            assert!(response.status().is_success(), "{}", response.status());
        }
        created
    }

    async fn view(&self, who: &str, query: &str) -> Value {
        expect_json(
            call(
                &self.app,
                who,
                Method::GET,
                &format!("/collaborations/{}/contracts?{query}", self.collaboration),
                None,
            )
            .await,
            StatusCode::OK,
        )
        .await
    }
}

fn titles(view: &Value) -> Vec<String> {
    view["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_owned())
        .collect()
}

/// Sorø's and Ringsted's shared contracts; Ringsted's unshared one and
/// Næstved's, whose municipality then leaves, never show.
async fn register(s: &Setup) {
    let soon = Utc::now()
        .date_naive()
        .checked_add_days(Days::new(100))
        .unwrap()
        .to_string();
    s.contract(
        0,
        json!({"title": "Økonomisystem", "supplier": "eksempel", "category": "Økonomi",
               "cpv_code": "48440000-4", "end_on": "2040-12-31",
               "annual_value": "100000.10", "total_value": "400000.40"}),
        true,
    )
    .await;
    s.contract(
        1,
        json!({"title": "Driftsaftale", "supplier": "eksempel", "category": "Drift",
               "notice_period_months": 3, "notice_to": "quarter",
               "annual_value": "250000.25"}),
        true,
    )
    .await;
    s.contract(
        1,
        json!({"title": "Lønsystem", "supplier": "kmd", "category": "Drift",
               "end_on": soon, "annual_value": "1234567.89", "total_value": "9876543.21"}),
        true,
    )
    .await;
    s.contract(
        1,
        json!({"title": "Hemmelig aftale", "supplier": "kmd", "annual_value": "5.00"}),
        false,
    )
    .await;
    s.contract(
        2,
        json!({"title": "Næstveds ESDH", "supplier": "kmd", "annual_value": "7.00"}),
        true,
    )
    .await;
    let left = call(
        &s.app,
        &s.admins[2],
        Method::POST,
        &format!("/collaborations/{}/leave", s.collaboration),
        None,
    )
    .await;
    assert!(left.status().is_success(), "{}", left.status());
}

async fn shared_contracts_side_by_side_with_totals_groups_and_sorting(app: TestApp) {
    let s = setup(app).await;
    register(&s).await;
    let viewer = s.app.token("laeser@ringsted.dk").await;

    let all = s.view(&s.admins[0], "").await;
    assert_eq!(all["total"], 3, "{all}");
    assert_eq!(titles(&all), ["Driftsaftale", "Lønsystem", "Økonomisystem"]);
    assert_eq!(all["totals"]["count"], 3);
    assert_eq!(all["totals"]["annual_value"], "1584568.24");
    assert_eq!(all["totals"]["annual_value_count"], 3);
    assert_eq!(all["totals"]["total_value"], "10276543.61");
    assert_eq!(all["totals"]["total_value_count"], 2);
    assert!(all.get("groups").is_none_or(|g| g == &json!([])), "{all}");

    // A running contract says so and has its deadlines; every other row has an end.
    for item in all["items"].as_array().unwrap() {
        let running = item["running"].as_bool().unwrap();
        assert_eq!(running, item["title"] == "Driftsaftale", "{item}");
        assert_eq!(item.get("effective_end").is_none(), running, "{item}");
        assert!(item["notice_deadline"].is_string(), "{item}");
        assert!(item["retender_start"].is_string(), "{item}");
        assert!(item["municipality"]["name"].is_string(), "{item}");
        assert!(item["supplier"]["cvr"].is_string(), "{item}");
    }
    let running = &all["items"][0];
    assert_eq!(running["municipality"]["name"], "Ringsted Kommune");
    assert_eq!(running["supplier"]["name"], "Eksempel Software A/S");
    assert_eq!(running["annual_value"], "250000.25");
    assert!(running.get("total_value").is_none());

    // Grouped by supplier: subtotals per supplier, rows in group order.
    let grouped = s.view(&viewer, "group_by=supplier").await;
    assert_eq!(grouped["group_by"], "supplier");
    let groups = grouped["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 2, "{grouped}");
    assert_eq!(groups[0]["label"], "Eksempel Software A/S");
    assert_eq!(groups[0]["cvr"], EKSEMPEL);
    assert_eq!(groups[0]["subtotal"]["count"], 2);
    assert_eq!(groups[0]["subtotal"]["annual_value"], "350000.35");
    assert_eq!(groups[0]["subtotal"]["total_value"], "400000.40");
    assert_eq!(groups[1]["label"], "KMD A/S");
    assert_eq!(groups[1]["subtotal"]["annual_value"], "1234567.89");
    assert_eq!(grouped["totals"]["annual_value"], "1584568.24");
    assert_eq!(
        titles(&grouped),
        ["Driftsaftale", "Økonomisystem", "Lønsystem"]
    );
    assert_eq!(grouped["items"][2]["group_key"], groups[1]["key"]);

    let by_category = s
        .view(&viewer, "group_by=category&sort=-annual_value")
        .await;
    let labels: Vec<&Value> = by_category["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| &g["label"])
        .collect();
    assert_eq!(labels, [&json!("Drift"), &json!("Økonomi")]);
    assert_eq!(
        titles(&by_category),
        ["Lønsystem", "Driftsaftale", "Økonomisystem"]
    );
    let by_municipality = s.view(&viewer, "group_by=municipality").await;
    assert_eq!(by_municipality["groups"][0]["label"], "Ringsted Kommune");
    assert_eq!(by_municipality["groups"][0]["subtotal"]["count"], 2);
    assert_eq!(by_municipality["groups"][1]["label"], "Sorø Kommune");

    // Sorting: by value, by end (running contracts last ascending), by municipality.
    let by_value = s.view(&s.admins[1], "sort=-annual_value").await;
    assert_eq!(
        titles(&by_value),
        ["Lønsystem", "Driftsaftale", "Økonomisystem"]
    );
    let by_end = s.view(&s.admins[1], "sort=end").await;
    assert_eq!(
        titles(&by_end),
        ["Lønsystem", "Økonomisystem", "Driftsaftale"]
    );
    let by_end_desc = s.view(&s.admins[1], "sort=-end").await;
    assert_eq!(
        titles(&by_end_desc),
        ["Driftsaftale", "Økonomisystem", "Lønsystem"]
    );
    let by_owner = s.view(&s.admins[1], "sort=-municipality").await;
    assert_eq!(by_owner["items"][0]["municipality"]["name"], "Sorø Kommune");

    // Filters and pages; the totals follow the filters, not the page.
    let ringsted = s
        .view(&s.admins[0], &format!("municipality={}", s.tenants[1]))
        .await;
    assert_eq!(titles(&ringsted), ["Driftsaftale", "Lønsystem"]);
    assert_eq!(ringsted["totals"]["annual_value"], "1484568.14");
    let drift = s.view(&s.admins[0], "category=Drift").await;
    assert_eq!(drift["total"], 2);
    let kmd = s.view(&s.admins[0], "q=kmd").await;
    assert_eq!(titles(&kmd), ["Lønsystem"]);
    let kmd_id = kmd["items"][0]["supplier"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let by_supplier = s.view(&s.admins[0], &format!("supplier_id={kmd_id}")).await;
    assert_eq!(
        titles(&by_supplier),
        ["Lønsystem"],
        "Næstved's share left with it"
    );
    let soon = s
        .view(&s.admins[0], "notice_within_days=200&sort=title")
        .await;
    assert!(titles(&soon).contains(&"Lønsystem".to_owned()), "{soon}");
    assert!(
        !titles(&soon).contains(&"Økonomisystem".to_owned()),
        "{soon}"
    );
    let page = s.view(&s.admins[0], "page=2&page_size=1").await;
    assert_eq!(titles(&page), ["Lønsystem"]);
    assert_eq!(page["total"], 3);
    assert_eq!(page["totals"]["count"], 3);

    // Bad input is refused and explained.
    for (query, field) in [
        ("sort=price", "sort"),
        ("page_size=500", "page_size"),
        ("q=a%00b", "q"),
    ] {
        let problem = expect_problem(
            call(
                &s.app,
                &s.admins[0],
                Method::GET,
                &format!("/collaborations/{}/contracts?{query}", s.collaboration),
                None,
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
    let bad_grouping = call(
        &s.app,
        &s.admins[0],
        Method::GET,
        &format!(
            "/collaborations/{}/contracts?group_by=price",
            s.collaboration
        ),
        None,
    )
    .await;
    assert_eq!(bad_grouping.status(), StatusCode::BAD_REQUEST);
}

async fn only_active_members_see_the_side_by_side_view(app: TestApp) {
    let s = setup(app).await;
    register(&s).await;
    let path = format!("/collaborations/{}/contracts", s.collaboration);
    // Another municipality, a former member, and an unknown collaboration.
    for token in [&s.outsider, &s.admins[2]] {
        expect_problem(
            call(&s.app, token, Method::GET, &path, None).await,
            StatusCode::NOT_FOUND,
        )
        .await;
    }
    expect_problem(
        call(
            &s.app,
            &s.admins[0],
            Method::GET,
            &format!("/collaborations/{}/contracts", uuid::Uuid::new_v4()),
            None,
        )
        .await,
        StatusCode::NOT_FOUND,
    )
    .await;
    // Invited but not yet a member: nothing either.
    expect_json(
        call(
            &s.app,
            &s.admins[0],
            Method::POST,
            &format!("/collaborations/{}/invitations", s.collaboration),
            Some(json!({"municipality_code": "330"})),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    expect_problem(
        call(&s.app, &s.outsider, Method::GET, &path, None).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    // Without a token: 401.
    let anonymous = s
        .app
        .request(Method::GET, &format!("/api/v1{path}"), None)
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}

async fn suppliers_are_found_by_name_or_cvr_prefix(app: TestApp) {
    let s = setup(app).await;
    s.supplier(0, EKSEMPEL, "Eksempel Software A/S").await;
    s.supplier(0, KMD, "KMD A/S").await;
    let find = |q: &'static str| {
        let token = s.admins[1].clone();
        let app = &s.app;
        async move {
            let found = expect_json(
                call(app, &token, Method::GET, &format!("/suppliers?q={q}"), None).await,
                StatusCode::OK,
            )
            .await;
            found["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["cvr"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(find("software").await, [EKSEMPEL]);
    assert_eq!(find("SOFTWARE").await, [EKSEMPEL], "any case");
    assert_eq!(find("eksempel%20soft").await, [EKSEMPEL]);
    assert_eq!(find("2940").await, [EKSEMPEL], "CVR prefix");
    assert_eq!(find("189579").await, [KMD]);
    assert!(
        find("403473").await.is_empty(),
        "not the middle of a CVR number"
    );
    assert_eq!(find("a%2Fs").await, [EKSEMPEL, KMD], "by name");
}

async fn municipalities_are_found_by_name_or_code_and_invited_by_id(app: TestApp) {
    let s = setup(app).await;
    let holbaek = s.app.create_tenant("Holbæk Kommune", "316").await;
    s.app
        .create_user(holbaek, "admin@holbaek.dk", Role::Admin)
        .await;
    let viewer = s.app.token("laeser@ringsted.dk").await;
    let find = |token: String, q: &'static str| {
        let app = &s.app;
        async move {
            expect_json(
                call(
                    app,
                    &token,
                    Method::GET,
                    &format!("/municipalities?q={q}"),
                    None,
                )
                .await,
                StatusCode::OK,
            )
            .await
        }
    };
    let found = find(viewer.clone(), "holb%C3%A6k").await;
    assert_eq!(found["total"], 1, "{found}");
    let item = found["items"][0].as_object().unwrap();
    assert_eq!(item["name"], "Holbæk Kommune");
    assert_eq!(item["municipality_code"], "316");
    assert_eq!(item["id"], holbaek.0.to_string());
    let mut keys: Vec<&String> = item.keys().collect();
    keys.sort();
    assert_eq!(keys, ["id", "municipality_code", "name"], "nothing more");
    assert_eq!(
        find(viewer.clone(), "HOLB%C3%86K").await["items"][0]["name"],
        "Holbæk Kommune",
        "any case, æ included"
    );
    assert_eq!(
        find(viewer.clone(), "316").await["items"][0]["name"],
        "Holbæk Kommune"
    );
    let threes = find(viewer.clone(), "3").await;
    let codes: Vec<&str> = threes["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["municipality_code"].as_str().unwrap())
        .collect();
    assert_eq!(codes.len(), 5, "{threes}");
    assert!(
        find(viewer.clone(), "kolding").await["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    expect_problem(
        call(&s.app, &viewer, Method::GET, "/municipalities?q=a%00", None).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    let anonymous = s
        .app
        .request(Method::GET, "/api/v1/municipalities?q=316", None)
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

    // The coordinator invites by the id it found; the code still works too.
    let invitations = format!("/collaborations/{}/invitations", s.collaboration);
    let invited = expect_json(
        call(
            &s.app,
            &s.admins[0],
            Method::POST,
            &invitations,
            Some(json!({"tenant_id": holbaek.0})),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let member = invited["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["municipality_code"] == "316")
        .unwrap();
    assert_eq!(member["status"], "invited");
    let again = expect_problem(
        call(
            &s.app,
            &s.admins[0],
            Method::POST,
            &invitations,
            Some(json!({"tenant_id": holbaek.0})),
        )
        .await,
        StatusCode::CONFLICT,
    )
    .await;
    assert!(again.to_string().contains("tenant_id"), "{again}");
    for (body, field) in [
        (json!({"tenant_id": uuid::Uuid::new_v4()}), "tenant_id"),
        (
            json!({"tenant_id": holbaek.0, "municipality_code": "316"}),
            "tenant_id",
        ),
        (json!({}), "municipality_code"),
    ] {
        let problem = expect_problem(
            call(&s.app, &s.admins[0], Method::POST, &invitations, Some(body)).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
    let by_code = expect_json(
        call(
            &s.app,
            &s.admins[0],
            Method::POST,
            &invitations,
            Some(json!({"municipality_code": "330"})),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert!(by_code.to_string().contains("Slagelse Kommune"));
    // Only coordinators invite: the invited municipality's admin may not.
    let holbaek_admin = s.app.token("admin@holbaek.dk").await;
    let invited_admin = call(
        &s.app,
        &holbaek_admin,
        Method::POST,
        &invitations,
        Some(json!({"tenant_id": holbaek.0})),
    )
    .await;
    assert_eq!(invited_admin.status(), StatusCode::FORBIDDEN);
}
