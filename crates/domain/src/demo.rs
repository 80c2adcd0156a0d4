//! The demo: three neighbouring municipalities with a user of each role, for
//! trying Samudbud out, with their contracts and the collaboration's joint
//! tender plan. Seeding is idempotent: what exists is left alone.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::auth::tokens::token_hash;
use crate::collaborations::{self, MemberStatus};
use crate::db::{Db, Scope};
use crate::entities::{api_client, user};
use crate::error::DomainResult;
use crate::principal::{ClientScope, Principal, Role, TenantId};
use crate::tenants::{self, NewTenant};
use crate::users::{self, NewUser};

/// The password of every demo login. Printed by `samudbud demo`; a demo is
/// for trying things out, never for real data.
pub const DEMO_PASSWORD: &str = "Demo-adgangskode-1";

pub struct DemoMunicipality {
    pub name: &'static str,
    pub code: &'static str,
    pub cvr: &'static str,
    pub mail_domain: &'static str,
}

pub const MUNICIPALITIES: [DemoMunicipality; 3] = [
    DemoMunicipality {
        name: "Sorø Kommune",
        code: "340",
        cvr: "29188955",
        mail_domain: "soroe.dk",
    },
    DemoMunicipality {
        name: "Ringsted Kommune",
        code: "329",
        cvr: "18957981",
        mail_domain: "ringsted.dk",
    },
    DemoMunicipality {
        name: "Næstved Kommune",
        code: "370",
        cvr: "29189617",
        mail_domain: "naestved.dk",
    },
];

/// Neighbours on the platform outside the demo collaboration, with no
/// users of their own: municipalities a coordinator may invite.
pub const NEIGHBOURS: [(&str, &str); 2] = [("Holbæk Kommune", "316"), ("Slagelse Kommune", "330")];

const PEOPLE: [(&str, &str, Role); 3] = [
    ("admin", "Anne Administrator", Role::Admin),
    ("redaktoer", "Rasmus Redaktør", Role::Editor),
    ("laeser", "Lene Læser", Role::Viewer),
];

pub struct DemoLogin {
    pub municipality: String,
    pub email: String,
    pub role: Role,
}

pub use crate::demo_plans::PLAN;

/// The collaboration the demo municipalities share.
pub const COLLABORATION: &str = "Midtsjællands IT-samarbejde";

/// The demo's API client (of the first municipality). Its secret is fixed
/// so that the printed curl command keeps working; demo data only.
pub const CLIENT_ID: &str = "sbc_demo_soroe_integration";
pub const CLIENT_SECRET: &str = "sbs_demo-hemmelighed-kun-til-afproevning";

pub struct Demo {
    pub logins: Vec<DemoLogin>,
    pub client_id: &'static str,
    pub client_secret: &'static str,
}

/// Seeds the demo and returns its logins (all with `DEMO_PASSWORD`) and API client.
pub async fn seed(db: &Db) -> DomainResult<Demo> {
    let console = Principal::Console;
    let mut logins = Vec::new();
    let mut admins = Vec::new();
    for municipality in &MUNICIPALITIES {
        let tenant = match tenants::find_by_code(db, &console, municipality.code).await {
            Ok(existing) => existing,
            Err(crate::error::DomainError::NotFound) => {
                tenants::create_tenant(
                    db,
                    &console,
                    NewTenant {
                        name: municipality.name.into(),
                        municipality_code: municipality.code.into(),
                        cvr: Some(municipality.cvr.into()),
                    },
                )
                .await?
            }
            Err(other) => return Err(other),
        };
        for (local, name, role) in PEOPLE {
            let email = format!("{local}@{}", municipality.mail_domain);
            if !user_exists(db, &email).await? {
                users::create_user_in(
                    db,
                    &console,
                    TenantId(tenant.id),
                    NewUser {
                        email: email.clone(),
                        name: name.into(),
                        role,
                        password: DEMO_PASSWORD.into(),
                    },
                )
                .await?;
            }
            if role == Role::Admin {
                admins.push(admin_principal(db, TenantId(tenant.id), &email).await?);
            }
            logins.push(DemoLogin {
                municipality: tenant.name.clone(),
                email,
                role,
            });
        }
    }
    for (name, code) in NEIGHBOURS {
        match tenants::find_by_code(db, &console, code).await {
            Ok(_) => {}
            Err(crate::error::DomainError::NotFound) => {
                tenants::create_tenant(
                    db,
                    &console,
                    NewTenant {
                        name: name.into(),
                        municipality_code: code.into(),
                        cvr: None,
                    },
                )
                .await?;
            }
            Err(other) => return Err(other),
        }
    }
    let collaboration = seed_collaboration(db, &admins).await?;
    for (index, admin) in admins.iter().enumerate() {
        crate::demo_register::seed(db, admin, index, collaboration).await?;
    }
    crate::demo_plans::seed(db, &admins, collaboration).await?;
    crate::demo_opportunities::seed(db, &admins, collaboration).await?;
    crate::demo_templates::seed(db, &admins, collaboration).await?;
    if let Some(Principal::User {
        tenant_id, user_id, ..
    }) = admins.first()
    {
        seed_api_client(db, *tenant_id, *user_id).await?;
    }
    Ok(Demo {
        logins,
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
    })
}

async fn admin_principal(db: &Db, tenant: TenantId, email: &str) -> DomainResult<Principal> {
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let found = crate::db::scoped::<user::Entity>(tenant)
        .filter(user::Column::Email.eq(email))
        .one(&txn)
        .await?
        .ok_or(crate::error::DomainError::NotFound)?;
    txn.commit().await?;
    Ok(Principal::User {
        user_id: found.id,
        tenant_id: tenant,
        role: Role::Admin,
        email: found.email,
    })
}

/// The first municipality coordinates; the others are invited and accept.
async fn seed_collaboration(db: &Db, admins: &[Principal]) -> DomainResult<Option<Uuid>> {
    let Some((coordinator, others)) = admins.split_first() else {
        return Ok(None);
    };
    let existing = collaborations::list_collaborations(db, coordinator, None)
        .await?
        .into_iter()
        .find(|c| c.name == COLLABORATION);
    let collaboration = match existing {
        Some(found) => found,
        None => {
            collaborations::create_collaboration(
                db,
                coordinator,
                COLLABORATION,
                Some("Fælles udbud og standardkontrakter for kommunerne i Midtsjælland."),
            )
            .await?
        }
    };
    for (other, municipality) in others.iter().zip(MUNICIPALITIES.iter().skip(1)) {
        let status = collaboration
            .members
            .iter()
            .find(|m| m.municipality_code == municipality.code)
            .map(|m| m.status);
        if status == Some(MemberStatus::Active) {
            continue;
        }
        if status != Some(MemberStatus::Invited) {
            collaborations::invite(db, coordinator, collaboration.id, municipality.code).await?;
        }
        collaborations::respond(db, other, collaboration.id, true).await?;
    }
    Ok(Some(collaboration.id))
}

async fn seed_api_client(db: &Db, tenant: TenantId, created_by: Uuid) -> DomainResult<()> {
    let txn = db.write(Scope::Tenant(tenant)).await?;
    let exists = crate::db::scoped::<api_client::Entity>(tenant)
        .filter(api_client::Column::ClientId.eq(CLIENT_ID))
        .one(&txn)
        .await?
        .is_some();
    if !exists {
        let now = Utc::now();
        api_client::ActiveModel {
            id: Set(Uuid::new_v4()),
            tenant_id: Set(tenant.0),
            name: Set("Demo-integration (porteføljeværktøj)".into()),
            client_id: Set(CLIENT_ID.into()),
            secret_hash: Set(token_hash(CLIENT_SECRET)),
            scopes: Set(ClientScope::join(&[
                ClientScope::ContractsRead,
                ClientScope::PlansRead,
                ClientScope::TemplatesRead,
                ClientScope::CollaborationsRead,
            ])),
            version: Set(1),
            created_by: Set(Some(created_by)),
            created_at: Set(now),
            updated_at: Set(now),
            secret_rotated_at: Set(None),
            last_used_at: Set(None),
            revoked_at: Set(None),
            rate_limit_per_minute: Set(crate::rate_limits::DEFAULT_PER_MINUTE),
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

async fn user_exists(db: &Db, email: &str) -> DomainResult<bool> {
    let txn = db.read(Scope::System).await?;
    let found = crate::db::all_tenants::<user::Entity>()
        .filter(user::Column::Email.eq(email))
        .one(&txn)
        .await?;
    txn.commit().await?;
    Ok(found.is_some())
}
