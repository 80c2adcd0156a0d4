//! Tenant isolation over every operation in the committed OpenAPI document:
//! each is tried without a token and by every role of an unrelated
//! municipality, against the objects of an owner municipality. Nothing of
//! the owner may leak and nothing of the owner may change. An operation
//! without a probe here fails the test, so no new endpoint can skip it.

use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};
use samudbud_api_tests::{PASSWORD, TestApp, on_both_databases};
use samudbud_domain::Role;
use samudbud_domain::entities::{
    api_client, attachment, calendar_feed, collaboration, collaboration_member, contract,
    contract_decision, contract_import, contract_import_mapping, contract_template, it_system,
    planned_tender, procedure_time_limit, refresh_token, reminder_setting, saved_view, share,
    supplier, template, template_version, tender_invitation, tender_participation, tender_plan,
    threshold, user, webhook_delivery, webhook_endpoint,
};
use samudbud_domain::principal::ClientScope;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use uuid::Uuid;

on_both_databases!(no_operation_leaks_or_changes_another_municipality_s_data);

/// What the owner municipality has, for probes to aim at.
struct Owner {
    tenant_id: Uuid,
    user_id: Uuid,
    admin_email: String,
    refresh_token: String,
    collaboration_id: Uuid,
    api_client_id: Uuid,
    client_id: String,
    contract_id: Uuid,
    system_id: Uuid,
    supplier_id: Uuid,
    attachment_id: Uuid,
    plan_id: Uuid,
    tender_id: Uuid,
    template_id: Uuid,
    /// The owner admin's calendar feed token.
    calendar_token: String,
    import_id: Uuid,
    /// The owner admin's saved view of the contract list.
    view_id: Uuid,
    /// The owner's webhook endpoint and one of its deliveries.
    webhook_id: Uuid,
    delivery_id: Uuid,
    /// Strings that must never appear in a response to someone else.
    secrets: Vec<String>,
}

/// How the owner's data may be reached through one operation.
struct Probe {
    method: Method,
    path: String,
    body: Option<Value>,
    /// A form body instead of JSON.
    form: Option<Vec<(&'static str, String)>>,
    /// A multipart upload of a small PDF instead of JSON.
    upload: bool,
    /// Raw bytes as `application/octet-stream` instead of JSON.
    octets: Option<&'static [u8]>,
    /// Anyone may call it (login and session endpoints).
    public: bool,
}

fn probe(method: Method, path: String, body: Option<Value>) -> Probe {
    Probe {
        method,
        path,
        body,
        form: None,
        upload: false,
        octets: None,
        public: false,
    }
}

/// One probe per operation of the spec, keyed by operation id.
fn probes(owner: &Owner) -> Vec<(&'static str, Probe)> {
    let user = format!("/users/{}", owner.user_id);
    let collaboration = format!("/collaborations/{}", owner.collaboration_id);
    let member = format!("{collaboration}/members/{}", owner.tenant_id);
    let client = format!("/api-clients/{}", owner.api_client_id);
    let contract = format!("/contracts/{}", owner.contract_id);
    let system = format!("/systems/{}", owner.system_id);
    let plan = format!("/tender-plans/{}", owner.plan_id);
    let tender = format!("{plan}/tenders/{}", owner.tender_id);
    let participant = format!("{tender}/participants/{}", owner.tenant_id);
    let plan_body = json!({
        "name": "Overtaget plan",
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
    });
    let tender_body = json!({"subject": "Overtaget udbud", "procedure": "open"});
    let attachment = format!("{contract}/attachments/{}", owner.attachment_id);
    let template = format!("/templates/{}", owner.template_id);
    let import = format!("/contracts/imports/{}", owner.import_id);
    let contract_body = json!({
        "title": "Indtrængerens kontrakt",
        "supplier_id": owner.supplier_id,
        "system_ids": [owner.system_id],
        "parent_id": owner.contract_id,
        "owner_user_id": owner.user_id,
        "start_on": "2026-01-01",
        "template": {"template_id": owner.template_id, "version_number": 1},
    });
    let template_content = json!({"clauses": [{
        "key": Uuid::new_v4(), "number": "1", "heading": "Overtaget",
        "text": "Indtrængerens tekst", "required": true
    }]});
    vec![
        (
            "login",
            Probe {
                public: true,
                ..probe(
                    Method::POST,
                    "/auth/login".into(),
                    Some(json!({"email": owner.admin_email, "password": "a guess"})),
                )
            },
        ),
        (
            "refreshToken",
            Probe {
                public: true,
                ..probe(
                    Method::POST,
                    "/auth/refresh".into(),
                    Some(json!({"refresh_token": format!("{}x", owner.refresh_token)})),
                )
            },
        ),
        (
            "logout",
            Probe {
                public: true,
                ..probe(
                    Method::POST,
                    "/auth/logout".into(),
                    Some(json!({"refresh_token": format!("{}x", owner.refresh_token)})),
                )
            },
        ),
        (
            "getSite",
            Probe {
                public: true,
                ..probe(Method::GET, "/site".into(), None)
            },
        ),
        ("getMe", probe(Method::GET, "/me".into(), None)),
        // The caller's own feed only: there is no way to name another's.
        (
            "getCalendarFeed",
            probe(Method::GET, "/me/calendar".into(), None),
        ),
        (
            "createCalendarFeed",
            probe(Method::POST, "/me/calendar".into(), None),
        ),
        (
            "revokeCalendarFeed",
            probe(Method::DELETE, "/me/calendar".into(), None),
        ),
        (
            "calendarFeed",
            Probe {
                public: true,
                ..probe(
                    Method::GET,
                    format!(
                        "/calendar/{}x.ics",
                        &owner.calendar_token[..owner.calendar_token.len() - 1]
                    ),
                    None,
                )
            },
        ),
        (
            "listSavedViews",
            probe(Method::GET, "/me/views?page=contracts".into(), None),
        ),
        (
            "listChanges",
            probe(Method::GET, "/changes?limit=1000".into(), None),
        ),
        (
            "createSavedView",
            probe(
                Method::POST,
                "/me/views".into(),
                Some(
                    json!({"page": "contracts", "name": "Min egen visning", "query": "status=active"}),
                ),
            ),
        ),
        (
            "updateSavedView",
            probe(
                Method::PUT,
                format!("/me/views/{}", owner.view_id),
                Some(json!({"name": "Overtaget", "query": "status=expired"})),
            ),
        ),
        (
            "deleteSavedView",
            probe(Method::DELETE, format!("/me/views/{}", owner.view_id), None),
        ),
        (
            "getReminderSettings",
            probe(Method::GET, "/me/reminders".into(), None),
        ),
        (
            "updateReminderSettings",
            probe(
                Method::PUT,
                "/me/reminders".into(),
                Some(json!({"frequency": "daily", "horizon_days": 7})),
            ),
        ),
        (
            "previewReminderDigest",
            probe(Method::GET, "/me/reminders/preview".into(), None),
        ),
        (
            "listUsers",
            probe(Method::GET, format!("/users?q={}", owner.admin_email), None),
        ),
        (
            "listPeople",
            probe(
                Method::GET,
                format!("/people?q={}", owner.admin_email),
                None,
            ),
        ),
        (
            "createUser",
            probe(
                Method::POST,
                "/users".into(),
                Some(
                    json!({"email": format!("{}@intruder.dk", Uuid::new_v4()), "name": "Indtrænger", "role": "admin", "password": PASSWORD}),
                ),
            ),
        ),
        ("getUser", probe(Method::GET, user.clone(), None)),
        (
            "updateUser",
            probe(
                Method::PATCH,
                user.clone(),
                Some(json!({"role": "viewer", "active": false})),
            ),
        ),
        ("deactivateUser", probe(Method::DELETE, user, None)),
        (
            "issueClientToken",
            Probe {
                public: true,
                form: Some(vec![
                    ("grant_type", "client_credentials".into()),
                    ("client_id", owner.client_id.clone()),
                    ("client_secret", "a guess".into()),
                ]),
                ..probe(Method::POST, "/auth/token".into(), None)
            },
        ),
        (
            "listCollaborations",
            probe(Method::GET, "/collaborations".into(), None),
        ),
        (
            "createCollaboration",
            probe(
                Method::POST,
                "/collaborations".into(),
                Some(json!({"name": "Indtrængerens samarbejde"})),
            ),
        ),
        (
            "getCollaboration",
            probe(Method::GET, collaboration.clone(), None),
        ),
        (
            "updateCollaboration",
            probe(
                Method::PATCH,
                collaboration.clone(),
                Some(json!({"name": "Overtaget"})),
            ),
        ),
        (
            "inviteMunicipality",
            probe(
                Method::POST,
                format!("{collaboration}/invitations"),
                Some(json!({"municipality_code": "329"})),
            ),
        ),
        (
            "listCollaborationContracts",
            probe(
                Method::GET,
                format!("{collaboration}/contracts?group_by=supplier"),
                None,
            ),
        ),
        (
            // Which municipalities use the platform is known to everyone
            // signed in; the probe asks for the intruder's own.
            "searchMunicipalities",
            probe(Method::GET, "/municipalities?q=329".into(), None),
        ),
        (
            "acceptInvitation",
            probe(Method::POST, format!("{collaboration}/accept"), None),
        ),
        (
            "declineInvitation",
            probe(Method::POST, format!("{collaboration}/decline"), None),
        ),
        (
            "leaveCollaboration",
            probe(Method::POST, format!("{collaboration}/leave"), None),
        ),
        ("removeMember", probe(Method::DELETE, member.clone(), None)),
        (
            "setMemberRole",
            probe(Method::PATCH, member, Some(json!({"role": "member"}))),
        ),
        (
            "listApiClients",
            probe(Method::GET, "/api-clients".into(), None),
        ),
        (
            "createApiClient",
            probe(
                Method::POST,
                "/api-clients".into(),
                Some(json!({"name": "Indtrænger", "scopes": ["contracts:read"]})),
            ),
        ),
        ("getApiClient", probe(Method::GET, client.clone(), None)),
        (
            "updateApiClient",
            probe(
                Method::PATCH,
                client.clone(),
                Some(json!({"scopes": ["contracts:write"]})),
            ),
        ),
        (
            "rotateApiClientSecret",
            probe(Method::POST, format!("{client}/rotate-secret"), None),
        ),
        ("revokeApiClient", probe(Method::DELETE, client, None)),
        (
            "listWebhookEndpoints",
            probe(Method::GET, "/webhooks/endpoints".into(), None),
        ),
        (
            "createWebhookEndpoint",
            probe(
                Method::POST,
                "/webhooks/endpoints".into(),
                Some(
                    json!({"url": "https://indtraenger.example/hook", "event_types": ["contract.updated"]}),
                ),
            ),
        ),
        (
            "getWebhookEndpoint",
            probe(
                Method::GET,
                format!("/webhooks/endpoints/{}", owner.webhook_id),
                None,
            ),
        ),
        (
            "updateWebhookEndpoint",
            probe(
                Method::PATCH,
                format!("/webhooks/endpoints/{}", owner.webhook_id),
                Some(json!({"url": "https://indtraenger.example/hook"})),
            ),
        ),
        (
            "deleteWebhookEndpoint",
            probe(
                Method::DELETE,
                format!("/webhooks/endpoints/{}", owner.webhook_id),
                None,
            ),
        ),
        (
            "rotateWebhookSecret",
            probe(
                Method::POST,
                format!("/webhooks/endpoints/{}/rotate-secret", owner.webhook_id),
                None,
            ),
        ),
        (
            "listWebhookDeliveries",
            probe(
                Method::GET,
                format!("/webhooks/endpoints/{}/deliveries", owner.webhook_id),
                None,
            ),
        ),
        (
            "redeliverWebhook",
            probe(
                Method::POST,
                format!("/webhooks/deliveries/{}/redeliver", owner.delivery_id),
                None,
            ),
        ),
        (
            "getKitosConnection",
            probe(Method::GET, "/kitos/connection".into(), None),
        ),
        (
            "putKitosConnection",
            probe(
                Method::PUT,
                "/kitos/connection".into(),
                // Not HTTPS: an admin of the intruding municipality is
                // refused before anything would reach out.
                Some(json!({
                    "base_url": "http://indtraenger.example",
                    "email": "x@indtraenger.example",
                    "password": "x",
                })),
            ),
        ),
        (
            "deleteKitosConnection",
            probe(Method::DELETE, "/kitos/connection".into(), None),
        ),
        (
            "previewKitosImport",
            probe(Method::POST, "/kitos/preview".into(), None),
        ),
        (
            "startKitosImport",
            probe(Method::POST, "/kitos/import".into(), None),
        ),
        (
            "listKitosRuns",
            probe(Method::GET, "/kitos/runs".into(), None),
        ),
        (
            "getKitosRun",
            probe(Method::GET, format!("/kitos/runs/{}", Uuid::new_v4()), None),
        ),
        (
            "listAuditEvents",
            probe(
                Method::GET,
                format!("/audit-events?object_id={}", owner.user_id),
                None,
            ),
        ),
        (
            "exportAuditEvents",
            probe(
                Method::GET,
                format!(
                    "/audit-events/export?format=csv&object_id={}",
                    owner.user_id
                ),
                None,
            ),
        ),
        ("listTenants", probe(Method::GET, "/tenants".into(), None)),
        // An admin's download is their own municipality's, whoever asks.
        (
            "exportMunicipalityArchive",
            probe(Method::GET, "/tenant/archive".into(), None),
        ),
        (
            "importMunicipalityArchive",
            Probe {
                octets: Some(b"PK\x03\x04 not really an archive"),
                ..probe(Method::POST, "/tenants/import".into(), None)
            },
        ),
        (
            "listContracts",
            probe(Method::GET, "/contracts?scope=all&q=hemmelig".into(), None),
        ),
        (
            "exportContracts",
            probe(
                Method::GET,
                "/contracts/export?format=csv&scope=all".into(),
                None,
            ),
        ),
        (
            "createContract",
            probe(
                Method::POST,
                "/contracts".into(),
                Some(contract_body.clone()),
            ),
        ),
        ("getContract", probe(Method::GET, contract.clone(), None)),
        (
            "updateContract",
            probe(Method::PUT, contract.clone(), Some(contract_body)),
        ),
        (
            "archiveContract",
            probe(Method::DELETE, contract.clone(), None),
        ),
        (
            "restoreContract",
            probe(Method::POST, format!("{contract}/restore"), None),
        ),
        (
            "getContractHistory",
            probe(Method::GET, format!("{contract}/history"), None),
        ),
        (
            "listContractShares",
            probe(Method::GET, format!("{contract}/shares"), None),
        ),
        (
            "shareContract",
            probe(
                Method::POST,
                format!("{contract}/shares"),
                Some(json!({"collaboration_id": owner.collaboration_id})),
            ),
        ),
        (
            "unshareContract",
            probe(
                Method::DELETE,
                format!("{contract}/shares/{}", owner.collaboration_id),
                None,
            ),
        ),
        (
            "updateContractShare",
            probe(
                Method::PATCH,
                format!("{contract}/shares/{}", owner.collaboration_id),
                Some(json!({"include_attachments": true})),
            ),
        ),
        (
            "bulkUpdateContracts",
            probe(
                Method::POST,
                "/contracts/bulk".to_owned(),
                Some(json!({
                    "contract_ids": [owner.contract_id],
                    "action": {"kind": "set_category", "category": "Lækket"},
                })),
            ),
        ),
        (
            "listContractDecisions",
            probe(Method::GET, format!("{contract}/decisions"), None),
        ),
        (
            "createContractDecision",
            probe(
                Method::POST,
                format!("{contract}/decisions"),
                Some(json!({"kind": "continue", "decided_on": "2026-01-15"})),
            ),
        ),
        (
            "previewContractNotice",
            probe(
                Method::GET,
                format!("{contract}/notice-preview?given_on=2026-01-15"),
                None,
            ),
        ),
        (
            "listAttachments",
            probe(Method::GET, format!("{contract}/attachments"), None),
        ),
        (
            "uploadAttachment",
            Probe {
                upload: true,
                ..probe(Method::POST, format!("{contract}/attachments"), None)
            },
        ),
        (
            "downloadAttachment",
            probe(Method::GET, attachment.clone(), None),
        ),
        ("deleteAttachment", probe(Method::DELETE, attachment, None)),
        (
            "createContractImport",
            Probe {
                upload: true,
                ..probe(Method::POST, "/contracts/imports".into(), None)
            },
        ),
        (
            "getContractImport",
            probe(Method::GET, import.clone(), None),
        ),
        (
            "runContractImport",
            probe(
                Method::POST,
                format!("{import}/run"),
                Some(json!({"mode": "valid_rows"})),
            ),
        ),
        (
            "downloadRejectedRows",
            probe(
                Method::GET,
                format!("{import}/rejected-rows?format=csv"),
                None,
            ),
        ),
        (
            "getImportMapping",
            probe(Method::GET, "/contracts/import-mapping".into(), None),
        ),
        (
            "listSystems",
            probe(
                Method::GET,
                format!("/systems?owner={}", owner.user_id),
                None,
            ),
        ),
        (
            "exportSystems",
            probe(Method::GET, "/systems/export?format=csv".into(), None),
        ),
        (
            "createSystem",
            probe(
                Method::POST,
                "/systems".into(),
                Some(json!({"name": "Indtrængerens system", "owner_user_id": owner.user_id})),
            ),
        ),
        ("getSystem", probe(Method::GET, system.clone(), None)),
        (
            "updateSystem",
            probe(
                Method::PUT,
                system.clone(),
                Some(json!({"name": "Overtaget system"})),
            ),
        ),
        ("archiveSystem", probe(Method::DELETE, system.clone(), None)),
        (
            "restoreSystem",
            probe(Method::POST, format!("{system}/restore"), None),
        ),
        (
            "listSystemContracts",
            probe(Method::GET, format!("{system}/contracts"), None),
        ),
        (
            "listSuppliers",
            probe(Method::GET, "/suppliers".into(), None),
        ),
        (
            "registerSupplier",
            probe(
                Method::POST,
                "/suppliers".into(),
                Some(json!({"cvr": "29188955", "name": "Omdøbt leverandør"})),
            ),
        ),
        (
            "listDeadlines",
            probe(Method::GET, "/deadlines?within_days=3650".into(), None),
        ),
        (
            "exportDeadlines",
            probe(
                Method::GET,
                "/deadlines/export?format=csv&within_days=3650".into(),
                None,
            ),
        ),
        ("getOverview", probe(Method::GET, "/overview".into(), None)),
        ("listOptions", probe(Method::GET, "/options".into(), None)),
        (
            "contractDocument",
            probe(Method::GET, format!("{contract}/document.docx"), None),
        ),
        (
            "contractHtml",
            probe(Method::GET, format!("{contract}/document.html"), None),
        ),
        (
            "listTemplates",
            probe(
                Method::GET,
                "/templates?q=hemmelig&include_archived=true".into(),
                None,
            ),
        ),
        (
            "createTemplate",
            probe(
                Method::POST,
                "/templates".into(),
                Some(
                    json!({"name": "Indtrængerens skabelon", "kind": "own", "collaboration_id": owner.collaboration_id}),
                ),
            ),
        ),
        (
            "listTemplateKinds",
            probe(Method::GET, "/templates/kinds".into(), None),
        ),
        ("getTemplate", probe(Method::GET, template.clone(), None)),
        (
            "updateTemplate",
            probe(
                Method::PUT,
                template.clone(),
                Some(json!({"name": "Overtaget", "kind": "other"})),
            ),
        ),
        (
            "archiveTemplate",
            probe(Method::POST, format!("{template}/archive"), None),
        ),
        (
            "restoreTemplate",
            probe(Method::POST, format!("{template}/restore"), None),
        ),
        (
            "createTemplateDraft",
            probe(Method::POST, format!("{template}/versions"), None),
        ),
        (
            "getTemplateVersion",
            probe(Method::GET, format!("{template}/versions/1"), None),
        ),
        (
            "updateTemplateDraft",
            probe(
                Method::PUT,
                format!("{template}/versions/1"),
                Some(json!({"content": template_content})),
            ),
        ),
        (
            "publishTemplateVersion",
            probe(
                Method::POST,
                format!("{template}/versions/1/publish"),
                Some(json!({"change_note": "Overtaget"})),
            ),
        ),
        (
            "templateDocument",
            probe(
                Method::GET,
                format!("{template}/versions/1/document.docx"),
                None,
            ),
        ),
        (
            "templateHtml",
            probe(
                Method::GET,
                format!("{template}/versions/1/document.html"),
                None,
            ),
        ),
        (
            "diffTemplateVersions",
            probe(Method::GET, format!("{template}/diff?from=1&to=1"), None),
        ),
        (
            "shareTemplate",
            probe(
                Method::POST,
                format!("{template}/shares"),
                Some(json!({"collaboration_id": owner.collaboration_id})),
            ),
        ),
        (
            "unshareTemplate",
            probe(
                Method::DELETE,
                format!("{template}/shares/{}", owner.collaboration_id),
                None,
            ),
        ),
        (
            "adoptTemplate",
            probe(Method::POST, format!("{template}/adopt"), None),
        ),
        (
            "originDiff",
            probe(Method::GET, format!("{template}/origin-diff"), None),
        ),
        (
            "updateFromOrigin",
            probe(Method::POST, format!("{template}/update-from-origin"), None),
        ),
        (
            "templateUsage",
            probe(Method::GET, format!("{template}/usage"), None),
        ),
        (
            "listTenderPlans",
            probe(
                Method::GET,
                "/tender-plans?include_archived=true".into(),
                None,
            ),
        ),
        (
            "createTenderPlan",
            probe(
                Method::POST,
                "/tender-plans".into(),
                Some(json!({
                    "name": "Indtrængerens plan",
                    "period_start": "2026-01-01",
                    "period_end": "2026-12-31",
                    "collaboration_id": owner.collaboration_id,
                })),
            ),
        ),
        ("getTenderPlan", probe(Method::GET, plan.clone(), None)),
        (
            "updateTenderPlan",
            probe(Method::PUT, plan.clone(), Some(plan_body)),
        ),
        (
            "archiveTenderPlan",
            probe(Method::POST, format!("{plan}/archive"), None),
        ),
        (
            "restoreTenderPlan",
            probe(Method::POST, format!("{plan}/restore"), None),
        ),
        (
            "exportTenderPlan",
            probe(Method::GET, format!("{plan}/export.xlsx"), None),
        ),
        (
            "listPlannedTenders",
            probe(Method::GET, format!("{plan}/tenders"), None),
        ),
        (
            "createPlannedTender",
            probe(
                Method::POST,
                format!("{plan}/tenders"),
                Some(tender_body.clone()),
            ),
        ),
        ("getPlannedTender", probe(Method::GET, tender.clone(), None)),
        (
            "updatePlannedTender",
            probe(Method::PUT, tender.clone(), Some(tender_body)),
        ),
        (
            "inviteParticipant",
            probe(
                Method::POST,
                format!("{tender}/participants"),
                Some(json!({"tenant_id": owner.tenant_id})),
            ),
        ),
        (
            "updateParticipation",
            probe(
                Method::PUT,
                participant.clone(),
                Some(json!({"estimated_value": "1.00"})),
            ),
        ),
        (
            "confirmParticipation",
            probe(Method::POST, format!("{participant}/confirm"), None),
        ),
        (
            "declineParticipation",
            probe(
                Method::POST,
                format!("{participant}/decline"),
                Some(json!({"reason": "Indtrænger"})),
            ),
        ),
        (
            "withdrawParticipation",
            probe(
                Method::POST,
                format!("{participant}/withdraw"),
                Some(json!({"reason": "Indtrænger"})),
            ),
        ),
        (
            "listCommitments",
            probe(Method::GET, "/commitments".into(), None),
        ),
        (
            "listOpportunities",
            probe(
                Method::GET,
                format!(
                    "/opportunities?collaboration_id={}&from=2026-01-01&window_months=60",
                    owner.collaboration_id
                ),
                None,
            ),
        ),
        (
            "listMyOpportunities",
            probe(
                Method::GET,
                "/opportunities/mine?from=2026-01-01&window_months=60".into(),
                None,
            ),
        ),
        (
            "createTenderFromOpportunity",
            probe(
                Method::POST,
                "/opportunities/planned-tenders".into(),
                Some(json!({
                    "collaboration_id": owner.collaboration_id,
                    "group_key": "cpv:48311",
                    "from": "2026-01-01",
                    "window_months": 60,
                    "plan_id": owner.plan_id,
                })),
            ),
        ),
        (
            "listThresholds",
            probe(Method::GET, "/reference/thresholds".into(), None),
        ),
        (
            "replaceThresholds",
            probe(
                Method::PUT,
                "/reference/thresholds".into(),
                Some(
                    json!({"items": [{"kind": "works", "valid_from": "2026-01-01", "valid_to": "2027-12-31", "eur": "1.00"}]}),
                ),
            ),
        ),
        (
            "listTimeLimits",
            probe(Method::GET, "/reference/time-limits".into(), None),
        ),
        (
            "setTimeLimits",
            probe(
                Method::PUT,
                "/reference/time-limits".into(),
                Some(
                    json!({"items": [{"procedure": "open", "min_days_from_notice": 1, "standstill_days": 0}]}),
                ),
            ),
        ),
        (
            "searchCpv",
            probe(Method::GET, "/cpv?q=hemmelig".into(), None),
        ),
        (
            "createTenant",
            probe(
                Method::POST,
                "/tenants".into(),
                Some(json!({"name": "Falsk Kommune", "municipality_code": "101"})),
            ),
        ),
    ]
}

/// What the owner's client with only `plans:read` may do: what every
/// principal may, and read its own municipality's plans.
const READ_BY_THE_SCOPELESS_CLIENT: [&str; 12] = [
    "getMe",
    "listOptions",
    "listThresholds",
    "listTimeLimits",
    "searchCpv",
    "listTenderPlans",
    "getTenderPlan",
    "exportTenderPlan",
    "listPlannedTenders",
    "getPlannedTender",
    "listCommitments",
    // The change feed, of the tender plans only.
    "listChanges",
];

/// A multipart form holding a tiny PDF.
fn pdf_form() -> reqwest::multipart::Form {
    let part =
        reqwest::multipart::Part::bytes(b"%PDF-1.4\n% underskrevet kontrakt\n%%EOF\n".to_vec())
            .file_name("kontrakt.pdf")
            .mime_str("application/pdf")
            .unwrap();
    reqwest::multipart::Form::new().part("file", part)
}

/// Every operation id in the committed spec, with method and path.
fn spec_operations() -> Vec<(String, String, String)> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi/openapi.json");
    let spec: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("openapi.json"))
        .expect("valid JSON");
    let mut operations = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("path item") {
            let id = operation["operationId"]
                .as_str()
                .expect("operationId")
                .to_owned();
            operations.push((id, method.to_uppercase(), path.clone()));
        }
    }
    operations
}

/// The owner's rows that matter, to compare before and after.
async fn owner_state(app: &TestApp, owner: Uuid) -> Vec<String> {
    let txn = app.db.read(samudbud_domain::Scope::System).await.unwrap();
    let mut state: Vec<String> = user::Entity::find()
        .filter(user::Column::TenantId.eq(owner))
        .order_by_asc(user::Column::Email)
        .all(&txn)
        .await
        .unwrap()
        .into_iter()
        .map(|u| {
            format!(
                "user {} {} {} {} {}",
                u.email, u.role, u.active, u.version, u.password_hash
            )
        })
        .collect();
    state.extend(
        refresh_token::Entity::find()
            .filter(refresh_token::Column::TenantId.eq(owner))
            .order_by_asc(refresh_token::Column::Id)
            .all(&txn)
            .await
            .unwrap()
            .into_iter()
            .map(|t| format!("token {} {:?}", t.id, t.revoked_at.is_some())),
    );
    let memberships = collaboration_member::Entity::find()
        .filter(collaboration_member::Column::TenantId.eq(owner))
        .all(&txn)
        .await
        .unwrap();
    for membership in memberships {
        let collaboration = collaboration::Entity::find_by_id(membership.collaboration_id)
            .one(&txn)
            .await
            .unwrap()
            .unwrap();
        state.push(format!(
            "collaboration {} {}",
            collaboration.name, collaboration.version
        ));
        state.extend(
            collaboration_member::Entity::find()
                .filter(collaboration_member::Column::CollaborationId.eq(collaboration.id))
                .order_by_asc(collaboration_member::Column::Id)
                .all(&txn)
                .await
                .unwrap()
                .into_iter()
                .map(|m| format!("member {} {} {}", m.tenant_id, m.role, m.status)),
        );
    }
    state.extend(
        contract::Entity::find()
            .filter(contract::Column::TenantId.eq(owner))
            .order_by_asc(contract::Column::Id)
            .all(&txn)
            .await
            .unwrap()
            .into_iter()
            .map(|c| {
                format!(
                    "contract {} {} {} {:?} {:?}",
                    c.title, c.version, c.supplier_id, c.parent_id, c.archived_at
                )
            }),
    );
    state.extend(
        reminder_setting::Entity::find()
            .filter(reminder_setting::Column::TenantId.eq(owner))
            .all(&txn)
            .await
            .unwrap()
            .into_iter()
            .map(|r| {
                format!(
                    "reminders {} {:?} {}",
                    r.user_id, r.frequency, r.horizon_days
                )
            }),
    );
    state.extend(
        saved_view::Entity::find()
            .filter(saved_view::Column::TenantId.eq(owner))
            .order_by_asc(saved_view::Column::Id)
            .all(&txn)
            .await
            .unwrap()
            .into_iter()
            .map(|v| format!("view {} {} {} {}", v.id, v.name, v.query, v.updated_at)),
    );
    state.extend(
        it_system::Entity::find()
            .filter(it_system::Column::TenantId.eq(owner))
            .all(&txn)
            .await
            .unwrap()
            .into_iter()
            .map(|s| format!("system {} {} {:?}", s.name, s.version, s.archived_at)),
    );
    state.extend(
        share::Entity::find()
            .filter(share::Column::TenantId.eq(owner))
            .all(&txn)
            .await
            .unwrap()
            .into_iter()
            .map(|s| format!("share {} {}", s.object_id, s.collaboration_id)),
    );
    state.extend(
        contract_import::Entity::find()
            .filter(contract_import::Column::TenantId.eq(owner))
            .all(&txn)
            .await
            .unwrap()
            .into_iter()
            .map(|i| format!("import {} {} {} {:?}", i.id, i.state, i.mode, i.report)),
    );
    state.extend(
        contract_import_mapping::Entity::find()
            .filter(contract_import_mapping::Column::TenantId.eq(owner))
            .all(&txn)
            .await
            .unwrap()
            .into_iter()
            .map(|m| format!("import mapping {}", m.mapping)),
    );
    state.extend(
        contract_decision::Entity::find()
            .filter(contract_decision::Column::TenantId.eq(owner))
            .all(&txn)
            .await
            .unwrap()
            .into_iter()
            .map(|d| format!("decision {} {} {}", d.id, d.kind, d.decided_on)),
    );
    state.extend(
        attachment::Entity::find()
            .filter(attachment::Column::TenantId.eq(owner))
            .all(&txn)
            .await
            .unwrap()
            .into_iter()
            .map(|a| format!("attachment {} {}", a.id, a.sha256)),
    );
    state.extend(
        supplier::Entity::find()
            .all(&txn)
            .await
            .unwrap()
            .into_iter()
            .filter(|s| s.cvr == "29188955")
            .map(|s| format!("supplier {} {}", s.cvr, s.name)),
    );
    state.extend(
        template::Entity::find()
            .filter(template::Column::TenantId.eq(owner))
            .order_by_asc(template::Column::Id)
            .all(&txn)
            .await
            .unwrap()
            .into_iter()
            .map(|t| {
                format!(
                    "template {} {} {} {:?} {:?}",
                    t.name, t.kind, t.version, t.origin_template_id, t.archived_at
                )
            }),
    );
    state.extend(
        template_version::Entity::find()
            .filter(template_version::Column::TenantId.eq(owner))
            .order_by_asc(template_version::Column::Id)
            .all(&txn)
            .await
            .unwrap()
            .into_iter()
            .map(|v| {
                format!(
                    "template version {} {} {} {}",
                    v.number, v.status, v.version, v.content
                )
            }),
    );
    state.extend(
        contract_template::Entity::find()
            .filter(contract_template::Column::TenantId.eq(owner))
            .all(&txn)
            .await
            .unwrap()
            .into_iter()
            .map(|l| {
                format!(
                    "contract template {} {} {}",
                    l.contract_id, l.values, l.deviations
                )
            }),
    );
    state.extend(
        tender_plan::Entity::find()
            .filter(tender_plan::Column::TenantId.eq(owner))
            .all(&txn)
            .await
            .unwrap()
            .into_iter()
            .map(|p| format!("plan {} {} {} {:?}", p.id, p.name, p.version, p.archived_at)),
    );
    state.extend(
        planned_tender::Entity::find()
            .filter(planned_tender::Column::TenantId.eq(owner))
            .all(&txn)
            .await
            .unwrap()
            .into_iter()
            .map(|t| format!("tender {} {} {} {}", t.id, t.subject, t.status, t.version)),
    );
    state.extend(
        tender_invitation::Entity::find()
            .filter(tender_invitation::Column::TenantId.eq(owner))
            .all(&txn)
            .await
            .unwrap()
            .into_iter()
            .map(|i| format!("invitation {} {}", i.tender_id, i.participant_tenant_id)),
    );
    state.extend(
        tender_participation::Entity::find()
            .all(&txn)
            .await
            .unwrap()
            .into_iter()
            .map(|p| {
                format!(
                    "participation {} {} {} {}",
                    p.tenant_id, p.tender_id, p.state, p.version
                )
            }),
    );
    state.extend(
        threshold::Entity::find()
            .all(&txn)
            .await
            .unwrap()
            .into_iter()
            .map(|t| format!("threshold {} {} {:?}", t.kind, t.valid_from, t.eur)),
    );
    state.extend(
        procedure_time_limit::Entity::find()
            .all(&txn)
            .await
            .unwrap()
            .into_iter()
            .map(|l| format!("limits {} {}", l.procedure, l.min_days_from_notice)),
    );
    state.extend(
        calendar_feed::Entity::find()
            .filter(calendar_feed::Column::TenantId.eq(owner))
            .order_by_asc(calendar_feed::Column::Id)
            .all(&txn)
            .await
            .unwrap()
            .into_iter()
            .map(|f| {
                format!(
                    "calendar feed {} {} {} {:?}",
                    f.id, f.user_id, f.token_hash, f.revoked_at
                )
            }),
    );
    state.extend(
        webhook_endpoint::Entity::find()
            .filter(webhook_endpoint::Column::TenantId.eq(owner))
            .order_by_asc(webhook_endpoint::Column::Id)
            .all(&txn)
            .await
            .unwrap()
            .into_iter()
            .map(|e| {
                format!(
                    "webhook {} {} {} {} {} {}",
                    e.id, e.url, e.event_types, e.secret, e.enabled, e.version
                )
            }),
    );
    state.extend(
        samudbud_domain::entities::kitos_connection::Entity::find()
            .filter(samudbud_domain::entities::kitos_connection::Column::TenantId.eq(owner))
            .all(&txn)
            .await
            .unwrap()
            .into_iter()
            .map(|k| {
                format!(
                    "kitos {} {} {} {}",
                    k.base_url, k.email, k.password_sealed, k.version
                )
            }),
    );
    state.extend(
        webhook_delivery::Entity::find()
            .filter(webhook_delivery::Column::TenantId.eq(owner))
            .order_by_asc(webhook_delivery::Column::Id)
            .all(&txn)
            .await
            .unwrap()
            .into_iter()
            .map(|d| format!("delivery {} {} {}", d.id, d.status, d.next_attempt_at)),
    );
    state.extend(
        api_client::Entity::find()
            .filter(api_client::Column::TenantId.eq(owner))
            .order_by_asc(api_client::Column::Id)
            .all(&txn)
            .await
            .unwrap()
            .into_iter()
            .map(|c| {
                format!(
                    "client {} {} {} {} {:?}",
                    c.name, c.scopes, c.secret_hash, c.version, c.revoked_at
                )
            }),
    );
    state
}

async fn no_operation_leaks_or_changes_another_municipality_s_data(app: TestApp) {
    let owner_tenant = app.create_tenant("Sorø Kommune", "340").await;
    let owner_admin = app
        .create_user(owner_tenant, "admin@soroe.dk", Role::Admin)
        .await;
    let owner_user = app
        .create_user(owner_tenant, "hemmelig.person@soroe.dk", Role::Editor)
        .await;
    let (admin_token, refresh_token) = app.login("admin@soroe.dk").await;
    let collaboration = app
        .request(Method::POST, "/api/v1/collaborations", Some(&admin_token))
        .json(&json!({"name": "Hemmeligt Samarbejde"}))
        .send()
        .await
        .unwrap();
    assert_eq!(collaboration.status(), StatusCode::CREATED);
    let collaboration: Value = collaboration.json().await.unwrap();
    // The owner's own reminder setting, which no one else may change.
    let reminders = app
        .request(Method::PUT, "/api/v1/me/reminders", Some(&admin_token))
        .json(&json!({"frequency": "weekly", "horizon_days": 60}))
        .send()
        .await
        .unwrap();
    assert_eq!(reminders.status(), StatusCode::OK);
    let (owner_client_id, owner_client, _) = app
        .create_api_client(&admin_token, "Sorøs ERP", &["contracts:read"])
        .await;
    let webhook = app
        .request(
            Method::POST,
            "/api/v1/webhooks/endpoints",
            Some(&admin_token),
        )
        .json(&json!({
            "url": "https://hemmelig-modtager.example/hooks",
            "description": "Hemmelig modtager",
            "event_types": ["contract.created", "contract.updated"],
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(webhook.status(), StatusCode::CREATED);
    let webhook: Value = webhook.json().await.unwrap();
    let webhook_id: Uuid = webhook["endpoint"]["id"].as_str().unwrap().parse().unwrap();
    let webhook_secret = webhook["secret"].as_str().unwrap().to_owned();
    let kitos = app
        .request(Method::PUT, "/api/v1/kitos/connection", Some(&admin_token))
        .json(&json!({
            "base_url": "https://hemmelig-kitos.example.dk",
            "email": "hemmelig-api@soroe.dk",
            "password": "hemmelig-kitos-adgangskode",
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(kitos.status(), StatusCode::OK);
    let call = |method: Method, path: String, body: Value| {
        let app = &app;
        let token = admin_token.clone();
        async move {
            let response = app
                .request(method, &format!("/api/v1{path}"), Some(&token))
                .json(&body)
                .send()
                .await
                .unwrap();
            assert!(
                response.status().is_success(),
                "{path}: {}",
                response.status()
            );
            response.json::<Value>().await.unwrap()
        }
    };
    let supplier = call(
        Method::POST,
        "/suppliers".into(),
        json!({"cvr": "29188955", "name": "Hemmelig Leverandør A/S"}),
    )
    .await;
    let system = call(
        Method::POST,
        "/systems".into(),
        json!({"name": "Hemmeligt ESDH"}),
    )
    .await;
    let template = call(
        Method::POST,
        "/templates".into(),
        json!({"name": "Hemmelig skabelon", "kind": "k04", "description": "Hemmelig driftsaftale"}),
    )
    .await;
    let template_id: Uuid = template["id"].as_str().unwrap().parse().unwrap();
    let draft = app
        .request(
            Method::PUT,
            &format!("/api/v1/templates/{template_id}/versions/1"),
            Some(&admin_token),
        )
        .header("if-match", "\"1\"")
        .json(&json!({"content": {"clauses": [{
            "key": Uuid::new_v4(), "number": "1", "heading": "Hemmelig oppetid",
            "text": "Oppetid {{hemmelig_oppetid}} %", "required": true,
            "parameters": [{"name": "hemmelig_oppetid", "label": "Oppetid", "kind": "percent",
                "default": {"kind": "percent", "value": "99.5"}, "min": "90", "max": "100"}]
        }]}}))
        .send()
        .await
        .unwrap();
    assert_eq!(draft.status(), StatusCode::OK);
    let published = app
        .request(
            Method::POST,
            &format!("/api/v1/templates/{template_id}/versions/1/publish"),
            Some(&admin_token),
        )
        .header("if-match", "\"2\"")
        .json(&json!({"change_note": "Hemmelig udgave"}))
        .send()
        .await
        .unwrap();
    assert_eq!(published.status(), StatusCode::OK);
    call(
        Method::POST,
        format!("/templates/{template_id}/shares"),
        json!({"collaboration_id": collaboration["id"]}),
    )
    .await;
    let contract = call(
        Method::POST,
        "/contracts".into(),
        json!({
            "template": {"template_id": template_id, "version_number": 1,
                "values": {"hemmelig_oppetid": {"kind": "percent", "value": "99.9"}}},
            "title": "Hemmelig kontrakt om ESDH",
            "owner_user_id": owner_user,
            "supplier_id": supplier["id"],
            "system_ids": [system["id"]],
            "start_on": "2024-01-01",
            "end_on": "2027-12-31",
            "notice_period_months": 6,
            "annual_value": "1234567.89",
        }),
    )
    .await;
    let contract_id: Uuid = contract["id"].as_str().unwrap().parse().unwrap();
    call(
        Method::POST,
        format!("/contracts/{contract_id}/shares"),
        json!({"collaboration_id": collaboration["id"]}),
    )
    .await;
    let attachment = app
        .request(
            Method::POST,
            &format!("/api/v1/contracts/{contract_id}/attachments"),
            Some(&admin_token),
        )
        .multipart(pdf_form())
        .send()
        .await
        .unwrap();
    assert_eq!(attachment.status(), StatusCode::CREATED);
    // A register being imported, run once so that it has rejected rows.
    let register = "Titel;Leverandør CVR;Startdato\nHemmelig import;12345678;01-01-2026\n";
    let import = app
        .request(
            Method::POST,
            "/api/v1/contracts/imports",
            Some(&admin_token),
        )
        .multipart(
            reqwest::multipart::Form::new()
                .part(
                    "file",
                    reqwest::multipart::Part::bytes(register.as_bytes().to_vec())
                        .file_name("hemmelig-import.csv"),
                )
                .text("options", json!({"mode": "dry_run"}).to_string()),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(import.status(), StatusCode::ACCEPTED);
    let import: Value = import.json().await.unwrap();
    let import_id: Uuid = import["id"].as_str().unwrap().parse().unwrap();
    for _ in 0..400 {
        let current: Value = app
            .request(
                Method::GET,
                &format!("/api/v1/contracts/imports/{import_id}"),
                Some(&admin_token),
            )
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if current["state"] == "done" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    let attachment: Value = attachment.json().await.unwrap();
    let view = call(
        Method::POST,
        "/me/views".into(),
        json!({"page": "contracts", "name": "Hemmelig visning", "query": "q=hemmelig&cols=title"}),
    )
    .await;
    let view_id: Uuid = view["id"].as_str().unwrap().parse().unwrap();
    let plan = call(
        Method::POST,
        "/tender-plans".into(),
        json!({"name": "Hemmelig udbudsplan", "period_start": "2026-01-01", "period_end": "2029-12-31"}),
    )
    .await;
    let plan_id: Uuid = plan["id"].as_str().unwrap().parse().unwrap();
    let tender = call(
        Method::POST,
        format!("/tender-plans/{plan_id}/tenders"),
        json!({"subject": "Hemmeligt udbud af ESDH", "procedure": "open"}),
    )
    .await;
    let tender_id: Uuid = tender["id"].as_str().unwrap().parse().unwrap();
    call(
        Method::POST,
        format!("/tender-plans/{plan_id}/tenders/{tender_id}/participants"),
        json!({"tenant_id": owner_tenant.0}),
    )
    .await;
    let feed = app
        .request(Method::POST, "/api/v1/me/calendar", Some(&admin_token))
        .send()
        .await
        .unwrap();
    assert_eq!(feed.status(), StatusCode::CREATED);
    let feed: Value = feed.json().await.unwrap();
    let calendar_token = feed["url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .trim_end_matches(".ics")
        .to_owned();
    let delivery_id = {
        let txn = app.db.read(samudbud_domain::Scope::System).await.unwrap();
        let found = webhook_delivery::Entity::find()
            .filter(webhook_delivery::Column::EndpointId.eq(webhook_id))
            .one(&txn)
            .await
            .unwrap()
            .expect("the owner's contract made a delivery");
        txn.commit().await.unwrap();
        found.id
    };
    let owner = Owner {
        webhook_id,
        delivery_id,
        calendar_token: calendar_token.clone(),
        import_id,
        view_id,
        plan_id,
        tender_id,
        contract_id,
        template_id,
        system_id: system["id"].as_str().unwrap().parse().unwrap(),
        supplier_id: supplier["id"].as_str().unwrap().parse().unwrap(),
        attachment_id: attachment["id"].as_str().unwrap().parse().unwrap(),
        tenant_id: owner_tenant.0,
        user_id: owner_user,
        admin_email: "admin@soroe.dk".into(),
        refresh_token,
        collaboration_id: collaboration["id"].as_str().unwrap().parse().unwrap(),
        api_client_id: owner_client_id,
        client_id: owner_client.clone(),
        secrets: vec![
            owner_admin.to_string(),
            owner_user.to_string(),
            owner_tenant.to_string(),
            "hemmelig.person@soroe.dk".into(),
            "Sorø".into(),
            "Hemmeligt Samarbejde".into(),
            collaboration["id"].as_str().unwrap().to_owned(),
            owner_client_id.to_string(),
            owner_client,
            "Hemmelig kontrakt".into(),
            "Hemmeligt ESDH".into(),
            contract_id.to_string(),
            system["id"].as_str().unwrap().to_owned(),
            "1234567".into(),
            "Hemmelig udbudsplan".into(),
            "Hemmeligt udbud".into(),
            plan_id.to_string(),
            tender_id.to_string(),
            "kontrakt.pdf".into(),
            "hemmelig-import.csv".into(),
            "Hemmelig import".into(),
            import_id.to_string(),
            view_id.to_string(),
            "Hemmelig visning".into(),
            "q=hemmelig".into(),
            "Hemmelig skabelon".into(),
            "Hemmelig driftsaftale".into(),
            "Hemmelig oppetid".into(),
            "hemmelig_oppetid".into(),
            template_id.to_string(),
            calendar_token,
            webhook_id.to_string(),
            webhook_secret,
            delivery_id.to_string(),
            "hemmelig-modtager".into(),
            "hemmelig-kitos".into(),
            "hemmelig-api@soroe.dk".into(),
        ],
    };

    let intruder_tenant = app.create_tenant("Ringsted Kommune", "329").await;
    let mut intruders: Vec<(String, Option<String>)> = vec![("no token".into(), None)];
    for (email, role) in [
        ("admin@ringsted.dk", Role::Admin),
        ("redaktoer@ringsted.dk", Role::Editor),
        ("laeser@ringsted.dk", Role::Viewer),
    ] {
        app.create_user(intruder_tenant, email, role).await;
        intruders.push((email.into(), Some(app.token(email).await)));
    }
    let intruder_admin = app.token("admin@ringsted.dk").await;
    let every_scope: Vec<&str> = ClientScope::ALL.iter().map(|s| s.as_str()).collect();
    let (_, id, secret) = app
        .create_api_client(&intruder_admin, "Ringsteds ERP", &every_scope)
        .await;
    intruders.push((
        "Ringsted's API client".into(),
        Some(app.client_token(&id, &secret).await),
    ));
    // The owner's own client, with a scope no operation here needs.
    let (_, id, secret) = app
        .create_api_client(&admin_token, "Sorøs BI", &["plans:read"])
        .await;
    let scopeless_owner_client = app.client_token(&id, &secret).await;
    intruders.push((
        "Sorø's client without the scope".into(),
        Some(scopeless_owner_client.clone()),
    ));

    let probes = probes(&owner);
    let spec = spec_operations();
    let probed: BTreeSet<&str> = probes.iter().map(|(id, _)| *id).collect();
    let missing: Vec<&String> = spec
        .iter()
        .map(|(id, _, _)| id)
        .filter(|id| !probed.contains(id.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "operations without an isolation probe: {missing:?}"
    );

    let before = owner_state(&app, owner.tenant_id).await;
    let mut tried = 0;
    for (operation, method, path) in &spec {
        let (_, probe) = probes
            .iter()
            .find(|(id, _)| id == operation)
            .expect("probed");
        assert_eq!(&probe.method.to_string(), method, "{operation}");
        let template = path.split('{').next().unwrap_or(path);
        assert!(
            probe.path.starts_with(template),
            "{operation}: {} vs {path}",
            probe.path
        );

        for (who, token) in &intruders {
            let mut request = app.request(
                probe.method.clone(),
                &format!("/api/v1{}", probe.path),
                token.as_deref(),
            );
            if let Some(body) = &probe.body {
                request = request.json(body);
            }
            if let Some(form) = &probe.form {
                request = request.form(form);
            }
            if let Some(bytes) = probe.octets {
                request = request
                    .header("content-type", "application/octet-stream")
                    .body(bytes);
            }
            if probe.upload {
                request = request.multipart(pdf_form());
            }
            // Writes quote the owner's current version, so that only the
            // access check stands between an intruder and the change.
            if probe.method != Method::GET {
                request = request.header("if-match", "\"1\"");
            }
            let response = request.send().await.unwrap();
            let status = response.status();
            let body = response.text().await.unwrap();
            tried += 1;

            if token.is_none() && !probe.public {
                assert_eq!(
                    status,
                    StatusCode::UNAUTHORIZED,
                    "{operation} without a token: {body}"
                );
            }
            assert!(
                status != StatusCode::INTERNAL_SERVER_ERROR,
                "{operation} as {who}: {body}"
            );
            if token.as_deref() == Some(scopeless_owner_client.as_str()) {
                // Its own municipality's data is no leak; what it may do is the question.
                if !READ_BY_THE_SCOPELESS_CLIENT.contains(&operation.as_str()) && !probe.public {
                    assert_eq!(
                        status,
                        StatusCode::FORBIDDEN,
                        "{operation} as {who}: {body}"
                    );
                }
                continue;
            }
            for secret in &owner.secrets {
                assert!(
                    !body.contains(secret.as_str()),
                    "{operation} as {who} leaked {secret}: {body}"
                );
            }
        }
    }
    assert_eq!(
        owner_state(&app, owner.tenant_id).await,
        before,
        "the owner's data changed"
    );
    assert_eq!(tried, spec.len() * intruders.len());
    eprintln!(
        "isolation: {} operations × {} principals = {tried} requests",
        spec.len(),
        intruders.len()
    );
}
