//! A tender plan as an XLSX workbook: one sheet of planned tenders and one
//! of participants, with typed cells (dates as dates, amounts as numbers in
//! a kroner format), a frozen header row, filters and column widths.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::model::MilestoneKind;
use super::service::{PlannedTender, acting, readable_plan, tenant_of, tender_views};
use crate::db::{Db, Scope, owned_readable};
use crate::entities::planned_tender;
use crate::error::{DomainError, DomainResult};
use crate::policy::Action;
use crate::principal::Principal;

/// The media type of an XLSX workbook.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub struct Export {
    pub filename: String,
    pub bytes: Vec<u8>,
}

/// The plan with every planned tender and participant, as XLSX.
pub async fn export_plan(db: &Db, principal: &Principal, plan_id: Uuid) -> DomainResult<Export> {
    let tenant = tenant_of(principal, Action::ReadPlans)?;
    let txn = db.read(Scope::Tenant(tenant)).await?;
    let acting = acting(&txn, tenant).await?;
    let plan = readable_plan(&txn, &acting, plan_id).await?;
    let tenders = owned_readable::<planned_tender::Entity>(&acting.standing)
        .filter(planned_tender::Column::PlanId.eq(plan.id))
        .order_by_asc(planned_tender::Column::CreatedAt)
        .order_by_asc(planned_tender::Column::Id)
        .all(&txn)
        .await?;
    let views = tender_views(&txn, &acting, &plan, tenders).await?;
    txn.commit().await?;
    let bytes = workbook(&plan.name, &views)
        .map_err(|e| DomainError::Internal(format!("writing the workbook: {e}")))?;
    let stem: String = plan
        .name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok(Export {
        filename: format!("udbudsplan-{stem}.xlsx"),
        bytes,
    })
}

struct Formats {
    header: Format,
    date: Format,
    money: Format,
    text: Format,
}

fn formats() -> Formats {
    Formats {
        header: Format::new().set_bold().set_background_color("#DDE6F0"),
        date: Format::new().set_num_format("dd-mm-yyyy"),
        money: Format::new().set_num_format("#,##0.00 \"kr.\""),
        text: Format::new().set_text_wrap(),
    }
}

enum Cell<'a> {
    Text(&'a str),
    Owned(String),
    Date(Option<NaiveDate>),
    Money(Option<Decimal>),
    Number(u32),
}

fn write_row(
    sheet: &mut Worksheet,
    formats: &Formats,
    row: u32,
    cells: &[Cell<'_>],
) -> Result<(), XlsxError> {
    for (col, cell) in cells.iter().enumerate() {
        let col = col as u16;
        match cell {
            Cell::Text(text) => {
                sheet.write_string_with_format(row, col, *text, &formats.text)?;
            }
            Cell::Owned(text) => {
                sheet.write_string_with_format(row, col, text, &formats.text)?;
            }
            Cell::Date(Some(date)) => {
                let excel = ExcelDateTime::from_ymd(
                    date.year() as u16,
                    date.month() as u8,
                    date.day() as u8,
                )?;
                sheet.write_datetime_with_format(row, col, &excel, &formats.date)?;
            }
            Cell::Money(Some(amount)) => {
                sheet.write_number_with_format(
                    row,
                    col,
                    amount.to_f64().unwrap_or_default(),
                    &formats.money,
                )?;
            }
            Cell::Number(n) => {
                sheet.write_number(row, col, f64::from(*n))?;
            }
            Cell::Date(None) | Cell::Money(None) => {}
        }
    }
    Ok(())
}

fn header(
    sheet: &mut Worksheet,
    formats: &Formats,
    columns: &[(&str, f64)],
    rows: u32,
) -> Result<(), XlsxError> {
    for (col, (title, width)) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *title, &formats.header)?;
        sheet.set_column_width(col as u16, *width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, rows.max(1), columns.len() as u16 - 1)?;
    Ok(())
}

fn yes_no(value: bool) -> &'static str {
    if value { "Ja" } else { "Nej" }
}

fn milestone(tender: &PlannedTender, kind: MilestoneKind) -> Option<NaiveDate> {
    tender
        .milestones
        .iter()
        .find(|m| m.kind == kind)
        .map(|m| m.date)
}

fn workbook(plan_name: &str, tenders: &[PlannedTender]) -> Result<Vec<u8>, XlsxError> {
    let formats = formats();
    let mut workbook = Workbook::new();
    workbook.set_properties(&DocProperties::new().set_title(plan_name));

    let sheet = workbook.add_worksheet();
    sheet.set_name("Udbud")?;
    header(
        sheet,
        &formats,
        &[
            ("Emne", 40.0),
            ("Status", 18.0),
            ("Udbudsform", 30.0),
            ("Rammeaftale", 24.0),
            ("CPV-kode", 12.0),
            ("Kategori", 18.0),
            ("Ledende kommune", 22.0),
            ("Løbetid (mdr.)", 12.0),
            ("Optioner (mdr.)", 12.0),
            ("Samlet anslået værdi", 20.0),
            ("Tærskelværdi", 18.0),
            ("Over tærskelværdien", 12.0),
            ("Kun samlet over", 12.0),
            ("Behovsafdækning", 14.0),
            ("Markedsdialog", 14.0),
            ("Offentliggørelse", 14.0),
            ("Tilbudsfrist", 14.0),
            ("Tildeling", 14.0),
            ("Kontraktstart", 14.0),
            ("Seneste offentliggørelse", 14.0),
            ("Advarsler", 60.0),
        ],
        tenders.len() as u32,
    )?;
    for (n, t) in tenders.iter().enumerate() {
        let warnings: Vec<&str> = t.warnings.iter().map(|w| w.message.as_str()).collect();
        write_row(
            sheet,
            &formats,
            n as u32 + 1,
            &[
                Cell::Text(&t.subject),
                Cell::Text(t.status.label_da()),
                Cell::Text(t.procedure.label_da()),
                Cell::Text(t.framework_agreement.as_deref().unwrap_or("")),
                Cell::Text(t.cpv_code.as_deref().unwrap_or("")),
                Cell::Text(t.category.as_deref().unwrap_or("")),
                Cell::Text(&t.lead_tenant.name),
                Cell::Number(t.term_months),
                Cell::Number(t.option_months),
                Cell::Money(Some(t.aggregate_value)),
                Cell::Money(t.threshold.as_ref().map(|v| v.dkk)),
                Cell::Text(t.threshold.as_ref().map_or("", |v| yes_no(v.above))),
                Cell::Text(
                    t.threshold
                        .as_ref()
                        .map_or("", |v| yes_no(v.crosses_only_in_aggregate)),
                ),
                Cell::Date(milestone(t, MilestoneKind::NeedsAnalysis)),
                Cell::Date(milestone(t, MilestoneKind::MarketDialogue)),
                Cell::Date(milestone(t, MilestoneKind::Publication)),
                Cell::Date(milestone(t, MilestoneKind::BidDeadline)),
                Cell::Date(milestone(t, MilestoneKind::Award)),
                Cell::Date(milestone(t, MilestoneKind::ContractStart)),
                Cell::Date(t.backplan.as_ref().map(|b| b.latest_publication)),
                Cell::Owned(warnings.join("\n")),
            ],
        )?;
    }

    let sheet = workbook.add_worksheet();
    sheet.set_name("Deltagere")?;
    let participants: Vec<_> = tenders
        .iter()
        .flat_map(|t| t.participants.iter().map(move |p| (t, p)))
        .collect();
    header(
        sheet,
        &formats,
        &[
            ("Udbud", 40.0),
            ("Kommune", 22.0),
            ("CVR-nr.", 12.0),
            ("Status", 20.0),
            ("Anslået værdi", 20.0),
            ("Erstatter kontrakter", 40.0),
            ("Seneste udløb", 14.0),
            ("Opsigelsesfrist", 14.0),
            ("Begrundelse", 40.0),
        ],
        participants.len() as u32,
    )?;
    for (n, (t, p)) in participants.iter().enumerate() {
        let titles: Vec<&str> = p
            .replaced_contracts
            .iter()
            .map(|c| c.title.as_str())
            .collect();
        write_row(
            sheet,
            &formats,
            n as u32 + 1,
            &[
                Cell::Text(&t.subject),
                Cell::Text(&p.tenant.name),
                Cell::Text(p.tenant.cvr.as_deref().unwrap_or("")),
                Cell::Text(p.state.label_da()),
                Cell::Money(p.estimated_value),
                Cell::Owned(titles.join("\n")),
                Cell::Date(p.replaced_contracts.iter().filter_map(|c| c.end_date).min()),
                Cell::Date(
                    p.replaced_contracts
                        .iter()
                        .filter_map(|c| c.notice_deadline)
                        .min(),
                ),
                Cell::Text(p.reason.as_deref().unwrap_or("")),
            ],
        )?;
    }
    workbook.save_to_buffer()
}
