//! The demo's standard contract template: the collaboration owns "Fælles
//! driftsvilkår" (K04) with two published versions and a draft of a third;
//! Ringsted adopted version 1 (so its copy tells that a newer version is
//! out), and contracts in Sorø and Ringsted are based on it, some with
//! deviations and their reasons.

use chrono::Duration;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::contracts::{self, ContractInput};
use crate::error::DomainResult;
use crate::paging::PageRequest;
use crate::principal::Principal;
use crate::templates::service::{self, OriginFilter, TemplateFilter, TemplateInput};
use crate::templates::usage::TemplateUseInput;
use crate::templates::{
    Clause, ContractTemplateUse, Deviation, DurationUnit, Parameter, ParameterKind, ParameterValue,
    TemplateKind, VersionContent,
};

/// The name of the collaboration's template.
pub const TEMPLATE: &str = "Fælles driftsvilkår";

// Clause keys stay the same across versions; that is how versions compare.
const SCOPE: Uuid = Uuid::from_u128(0x5a0d_d001_0000_4000_8000_0000_0000_0001);
const UPTIME: Uuid = Uuid::from_u128(0x5a0d_d001_0000_4000_8000_0000_0000_0002);
const RESPONSE: Uuid = Uuid::from_u128(0x5a0d_d001_0000_4000_8000_0000_0000_0003);
const REPORTING: Uuid = Uuid::from_u128(0x5a0d_d001_0000_4000_8000_0000_0000_0004);
const PENALTY: Uuid = Uuid::from_u128(0x5a0d_d001_0000_4000_8000_0000_0000_0005);
const TERMINATION: Uuid = Uuid::from_u128(0x5a0d_d001_0000_4000_8000_0000_0000_0006);
const EXIT: Uuid = Uuid::from_u128(0x5a0d_d001_0000_4000_8000_0000_0000_0007);
const SECURITY: Uuid = Uuid::from_u128(0x5a0d_d001_0000_4000_8000_0000_0000_0008);

fn parameter(name: &str, label: &str, kind: ParameterKind) -> Parameter {
    Parameter {
        name: name.into(),
        label: label.into(),
        kind,
        duration_unit: None,
        unit: None,
        required: true,
        default: None,
        min: None,
        max: None,
        choices: Vec::new(),
    }
}

fn clause(
    key: Uuid,
    number: &str,
    heading: &str,
    text: &str,
    parameters: Vec<Parameter>,
) -> Clause {
    Clause {
        key,
        number: number.into(),
        heading: heading.into(),
        text: text.into(),
        required: true,
        guidance: None,
        parameters,
    }
}

fn uptime(default: &str, min: i64) -> Parameter {
    Parameter {
        unit: None,
        default: Some(ParameterValue::Percent(dec(default))),
        min: Some(Decimal::from(min)),
        max: Some(Decimal::from(100)),
        ..parameter("oppetid_procent", "Oppetid", ParameterKind::Percent)
    }
}

fn dec(text: &str) -> Decimal {
    text.parse().unwrap_or_default()
}

/// Version 1: scope, uptime, response times, reporting, penalty, termination.
fn version_1() -> VersionContent {
    VersionContent {
        clauses: vec![
            Clause {
                guidance: Some("Beskriv kort, hvilke systemer og ydelser driften omfatter.".into()),
                ..clause(
                    SCOPE,
                    "1",
                    "Aftalens omfang",
                    "Leverandøren drifter de systemer, der er nævnt i bilag 1, og leverer de ydelser, der er beskrevet i denne aftale.",
                    vec![],
                )
            },
            clause(
                UPTIME,
                "2",
                "Oppetid",
                "Systemerne skal være tilgængelige mindst {{oppetid_procent}} af tiden i driftsvinduet, opgjort pr. måned. Planlagt vedligehold varsles mindst 5 arbejdsdage i forvejen.",
                vec![uptime("99.5", 95)],
            ),
            clause(
                RESPONSE,
                "3",
                "Svartider ved fejl",
                "Leverandøren reagerer på kritiske fejl inden for {{svartid_timer}} i driftsvinduet og holder kunden orienteret, indtil fejlen er rettet.",
                vec![Parameter {
                    unit: Some("timer".into()),
                    default: Some(ParameterValue::Integer(4)),
                    min: Some(Decimal::from(1)),
                    max: Some(Decimal::from(72)),
                    ..parameter(
                        "svartid_timer",
                        "Svartid ved kritiske fejl",
                        ParameterKind::Integer,
                    )
                }],
            ),
            clause(
                REPORTING,
                "4",
                "Rapportering",
                "Leverandøren rapporterer {{rapportering}} om oppetid, hændelser og servicemål.",
                vec![Parameter {
                    default: Some(ParameterValue::Choice("månedligt".into())),
                    choices: vec!["månedligt".into(), "kvartalsvis".into()],
                    ..parameter("rapportering", "Rapportering", ParameterKind::Choice)
                }],
            ),
            clause(
                PENALTY,
                "5",
                "Bod",
                "Overholdes oppetiden ikke, betaler leverandøren en bod på {{bod_beloeb}} pr. påbegyndt måned.",
                vec![Parameter {
                    default: Some(ParameterValue::Money(dec("25000.00"))),
                    min: Some(Decimal::ZERO),
                    ..parameter("bod_beloeb", "Bod pr. måned", ParameterKind::Money)
                }],
            ),
            clause(
                TERMINATION,
                "6",
                "Opsigelse",
                "Kunden kan opsige aftalen med {{opsigelsesvarsel}} varsel til udgangen af en måned.",
                vec![Parameter {
                    duration_unit: Some(DurationUnit::Months),
                    default: Some(ParameterValue::Duration(6)),
                    min: Some(Decimal::ZERO),
                    max: Some(Decimal::from(24)),
                    ..parameter(
                        "opsigelsesvarsel",
                        "Opsigelsesvarsel",
                        ParameterKind::Duration,
                    )
                }],
            ),
        ],
    }
}

/// Version 2: higher uptime, quarterly reporting allowed only on request,
/// and a new clause on exit that comes before termination.
fn version_2() -> VersionContent {
    let mut content = version_1();
    for clause in &mut content.clauses {
        if clause.key == UPTIME {
            clause.text = "Systemerne skal være tilgængelige mindst {{oppetid_procent}} af tiden i driftsvinduet, opgjort pr. måned. Planlagt vedligehold varsles mindst 10 arbejdsdage i forvejen og lægges uden for kontortid.".into();
            clause.parameters = vec![uptime("99.7", 98)];
        }
        if clause.key == TERMINATION {
            clause.number = "7".into();
        }
    }
    let exit = Clause {
        required: false,
        ..clause(
            EXIT,
            "6",
            "Exit og tilbagelevering af data",
            "Ved aftalens ophør leverer leverandøren alle kundens data i et åbent, dokumenteret format og bistår en ny leverandør i op til {{exitperiode_maaneder}}.",
            vec![Parameter {
                duration_unit: Some(DurationUnit::Months),
                default: Some(ParameterValue::Duration(3)),
                min: Some(Decimal::ZERO),
                ..parameter(
                    "exitperiode_maaneder",
                    "Exitperiode",
                    ParameterKind::Duration,
                )
            }],
        )
    };
    let at = content
        .clauses
        .iter()
        .position(|c| c.key == TERMINATION)
        .unwrap_or(content.clauses.len());
    content.clauses.insert(at, exit);
    content
}

/// The draft of version 3: a clause on information security.
fn version_3() -> VersionContent {
    let mut content = version_2();
    content.clauses.push(clause(
        SECURITY,
        "8",
        "Informationssikkerhed",
        "Leverandøren følger ISO/IEC 27001 og giver kunden en årlig revisionserklæring (ISAE 3402 type 2).",
        vec![],
    ));
    content
}

async fn publish_draft(
    db: &crate::db::Db,
    principal: &Principal,
    id: Uuid,
    number: i32,
    content: VersionContent,
    note: Option<&str>,
) -> DomainResult<()> {
    let draft = service::get_version(db, principal, id, number).await?;
    let saved =
        service::update_draft(db, principal, id, number, Some(draft.version), content).await?;
    if let Some(note) = note {
        service::publish(db, principal, id, number, Some(saved.version), note.into()).await?;
    }
    Ok(())
}

/// A contract based on a template version: values chosen and deviations.
fn based_on(
    template_id: Uuid,
    version_number: i32,
    values: &[(&str, ParameterValue)],
    deviations: &[(Uuid, &str, &str)],
) -> TemplateUseInput {
    TemplateUseInput {
        template_id,
        version_number,
        template_use: ContractTemplateUse {
            values: values
                .iter()
                .map(|(n, v)| ((*n).into(), v.clone()))
                .collect(),
            deviations: deviations
                .iter()
                .map(|(key, text, reason)| Deviation {
                    clause_key: *key,
                    text: (*text).into(),
                    reason: (*reason).into(),
                })
                .collect(),
        },
    }
}

async fn contract_on(
    db: &crate::db::Db,
    principal: &Principal,
    title: &str,
    years_ago: i64,
    annual: i64,
    template: TemplateUseInput,
) -> DomainResult<()> {
    let today = contracts::today();
    // The demo register's hosting supplier.
    let supplier_id = crate::suppliers::search(db, principal, Some("Strandgaard"), 1)
        .await?
        .first()
        .map(|s| s.id);
    let input = ContractInput {
        title: title.into(),
        supplier_id,
        contract_type: Some("service_agreement".into()),
        category: Some("Infrastruktur".into()),
        cpv_code: Some("72510000-3".into()),
        agreement_elements: vec!["operation".into(), "support".into()],
        annual_value: Some(Decimal::from(annual)),
        total_value: Some(Decimal::from(annual * 4)),
        start_on: Some(today - Duration::days(365 * years_ago)),
        end_on: Some(today + Duration::days(365 * (4 - years_ago))),
        notice_period_months: Some(6),
        responsible_unit: Some("Digitalisering og IT".into()),
        template: Some(template),
        ..Default::default()
    };
    contracts::create_contract(db, principal, input).await?;
    Ok(())
}

/// Seeds the template unless the collaboration already has it. `admins`
/// are the demo municipalities' administrators, the coordinator first.
pub async fn seed(
    db: &crate::db::Db,
    admins: &[Principal],
    collaboration: Option<Uuid>,
) -> DomainResult<()> {
    let (Some(collaboration), [coordinator, ringsted, ..]) = (collaboration, admins) else {
        return Ok(());
    };
    let existing = service::list_templates(
        db,
        coordinator,
        TemplateFilter {
            origin: Some(OriginFilter::Collaboration),
            q: Some(TEMPLATE.into()),
            ..Default::default()
        },
        PageRequest::new(None, None)?,
    )
    .await?;
    if existing.items.iter().any(|t| t.name == TEMPLATE) {
        return Ok(());
    }

    let template = service::create_template(
        db,
        coordinator,
        TemplateInput {
            name: TEMPLATE.into(),
            kind: TemplateKind::K04,
            description: Some(
                "Fællesskabets driftsvilkår bygget på statens K04: servicemål for oppetid og svartider, rapportering, bod og opsigelse.".into(),
            ),
        },
        Some(collaboration),
    )
    .await?;
    let id = template.summary.id;
    publish_draft(
        db,
        coordinator,
        id,
        1,
        version_1(),
        Some("Første udgave, vedtaget i styregruppen."),
    )
    .await?;

    // Ringsted adopts version 1 and publishes its copy unchanged.
    let copy = service::adopt(db, ringsted, id).await?;
    let copy_id = copy.summary.id;
    publish_draft(
        db,
        ringsted,
        copy_id,
        1,
        version_1(),
        Some("Overtaget fra fællesskabet uden ændringer."),
    )
    .await?;

    // The collaboration publishes version 2 and starts on version 3.
    let current = service::get_template(db, coordinator, id).await?;
    let draft = service::create_draft(db, coordinator, id, Some(current.summary.version)).await?;
    publish_draft(
        db,
        coordinator,
        id,
        draft.number,
        version_2(),
        Some("Oppetid hævet til 99,7 %, længere varsel for vedligehold og ny klausul om exit og tilbagelevering af data."),
    )
    .await?;
    let current = service::get_template(db, coordinator, id).await?;
    let draft = service::create_draft(db, coordinator, id, Some(current.summary.version)).await?;
    publish_draft(db, coordinator, id, draft.number, version_3(), None).await?;

    // Contracts based on the template, some deviating.
    contract_on(
        db,
        coordinator,
        "Drift af fagsystemer (Fælles driftsvilkår)",
        1,
        1_350_000,
        based_on(
            id,
            2,
            &[("svartid_timer", ParameterValue::Integer(2))],
            &[(
                REPORTING,
                "Leverandøren rapporterer ugentligt om oppetid, hændelser og servicemål i de første tre måneder og derefter månedligt.",
                "Tæt opfølgning i indkøringsperioden efter skift af leverandør.",
            )],
        ),
    )
    .await?;
    contract_on(
        db,
        coordinator,
        "Hosting af hjemmeside og selvbetjening",
        2,
        420_000,
        based_on(id, 2, &[], &[]),
    )
    .await?;
    contract_on(
        db,
        ringsted,
        "Drift af ESDH og arkiv (Fælles driftsvilkår)",
        1,
        980_000,
        based_on(
            copy_id,
            1,
            &[("oppetid_procent", ParameterValue::Percent(dec("99.8")))],
            &[(
                PENALTY,
                "Overholdes oppetiden ikke, nedsættes månedens driftsvederlag med 10 % for hver påbegyndt time ud over servicemålet.",
                "Leverandøren ville ikke acceptere fast bod; forholdsmæssigt afslag blev aftalt i forhandlingen.",
            )],
        ),
    )
    .await?;
    contract_on(
        db,
        ringsted,
        "Drift af økonomisystem",
        2,
        760_000,
        based_on(
            copy_id,
            1,
            &[("opsigelsesvarsel", ParameterValue::Duration(12))],
            &[
                (
                    TERMINATION,
                    "Kunden kan tidligst opsige aftalen til udløbet af det andet driftsår med 12 måneders varsel.",
                    "Leverandøren investerer i migreringen og har fået uopsigelighed i to år mod lavere pris.",
                ),
                (
                    REPORTING,
                    "Leverandøren rapporterer kvartalsvis og ved enhver kritisk hændelse inden for 24 timer.",
                    "Ringsted ønsker besked ved kritiske hændelser ud over den faste rapportering.",
                ),
            ],
        ),
    )
    .await?;
    contract_on(
        db,
        ringsted,
        "Drift af borgerservice-selvbetjening",
        1,
        310_000,
        based_on(copy_id, 1, &[], &[]),
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates::validate_content;

    #[test]
    fn every_version_of_the_demo_template_is_valid() {
        for content in [version_1(), version_2(), version_3()] {
            assert_eq!(validate_content(&content), Ok(()), "{content:?}");
        }
    }

    #[test]
    fn version_2_moves_no_key_and_adds_exit() {
        let keys = |c: &VersionContent| c.clauses.iter().map(|c| c.key).collect::<Vec<_>>();
        let v2 = version_2();
        assert!(keys(&v2).contains(&EXIT));
        assert_eq!(keys(&version_1()).len() + 1, keys(&v2).len());
    }
}
