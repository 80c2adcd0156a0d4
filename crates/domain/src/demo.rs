//! The demo: three neighbouring municipalities with a user of each role, for
//! trying Samudbud out. Seeding is idempotent: what exists is left alone.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::db::{Db, Scope};
use crate::entities::user;
use crate::error::DomainResult;
use crate::principal::{Principal, Role, TenantId};
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

/// Seeds the demo and returns its logins (all with `DEMO_PASSWORD`).
pub async fn seed(db: &Db) -> DomainResult<Vec<DemoLogin>> {
    let console = Principal::Console;
    let mut logins = Vec::new();
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
            logins.push(DemoLogin {
                municipality: tenant.name.clone(),
                email,
                role,
            });
        }
    }
    Ok(logins)
}

async fn user_exists(db: &Db, email: &str) -> DomainResult<bool> {
    let txn = db.read(Scope::System).await?;
    let found = user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(&txn)
        .await?;
    txn.commit().await?;
    Ok(found.is_some())
}
