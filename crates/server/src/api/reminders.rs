//! `/me/reminders`: the logged-in user's reminder digest — how often it
//! comes, how far ahead it looks, and a preview of the next one.

use chrono::{DateTime, NaiveDate, Utc};
use poem::web::Data;
use poem_openapi::payload::Json;
use poem_openapi::types::Example;
use poem_openapi::{Enum, Object, OpenApi};
use samudbud_domain::agenda::Coverage;
use samudbud_domain::reminders::{
    self, DigestItem, Frequency, Preview, ReminderChoice, ReminderSettings,
};

use super::ApiTags;
use crate::problem::ApiResult;
use crate::security::BearerAuth;
use crate::state::AppState;

pub struct RemindersApi;

/// How often the digest comes.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[oai(rename = "ReminderFrequency", rename_all = "lowercase")]
pub enum FrequencyDto {
    /// Never.
    Off,
    /// Every morning.
    Daily,
    /// Monday mornings.
    Weekly,
}

impl From<Frequency> for FrequencyDto {
    fn from(frequency: Frequency) -> Self {
        match frequency {
            Frequency::Off => FrequencyDto::Off,
            Frequency::Daily => FrequencyDto::Daily,
            Frequency::Weekly => FrequencyDto::Weekly,
        }
    }
}

/// The user's choice: one of the frequencies, or `default` for the role's
/// (weekly for admins and editors, off for viewers).
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[oai(rename = "ReminderFrequencyChoice", rename_all = "lowercase")]
pub enum FrequencyChoiceDto {
    Default,
    Off,
    Daily,
    Weekly,
}

impl FrequencyChoiceDto {
    fn into_domain(self) -> Option<Frequency> {
        match self {
            FrequencyChoiceDto::Default => None,
            FrequencyChoiceDto::Off => Some(Frequency::Off),
            FrequencyChoiceDto::Daily => Some(Frequency::Daily),
            FrequencyChoiceDto::Weekly => Some(Frequency::Weekly),
        }
    }

    fn from_domain(frequency: Option<Frequency>) -> Self {
        match frequency {
            None => FrequencyChoiceDto::Default,
            Some(Frequency::Off) => FrequencyChoiceDto::Off,
            Some(Frequency::Daily) => FrequencyChoiceDto::Daily,
            Some(Frequency::Weekly) => FrequencyChoiceDto::Weekly,
        }
    }
}

/// Whose contracts the digest or the calendar feed follows.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[oai(rename = "ContractCoverage", rename_all = "lowercase")]
pub enum CoverageDto {
    /// Only the contracts the user owns ("Kun kontrakter jeg ejer").
    Owned,
    /// All the municipality's contracts ("Alle kommunens kontrakter").
    All,
}

impl From<Coverage> for CoverageDto {
    fn from(coverage: Coverage) -> Self {
        match coverage {
            Coverage::Owned => CoverageDto::Owned,
            Coverage::All => CoverageDto::All,
        }
    }
}

/// The user's choice of contracts: `owned`, `all`, or `default` (`owned`
/// for users who own a contract, else `all`).
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[oai(rename = "ContractCoverageChoice", rename_all = "lowercase")]
pub enum CoverageChoiceDto {
    Default,
    Owned,
    All,
}

impl CoverageChoiceDto {
    fn into_domain(self) -> Option<Coverage> {
        match self {
            CoverageChoiceDto::Default => None,
            CoverageChoiceDto::Owned => Some(Coverage::Owned),
            CoverageChoiceDto::All => Some(Coverage::All),
        }
    }

    fn from_domain(coverage: Option<Coverage>) -> Self {
        match coverage {
            None => CoverageChoiceDto::Default,
            Some(Coverage::Owned) => CoverageChoiceDto::Owned,
            Some(Coverage::All) => CoverageChoiceDto::All,
        }
    }
}

/// The user's reminder digest setting: `frequency` is their choice
/// (`default`: the role's), `effective` what applies after the role's
/// default. `contracts` and `calendar_contracts` say whose contracts the
/// digest and the calendar feed follow, as chosen; `effective_contracts` and
/// `effective_calendar_contracts` what applies after the default.
#[derive(Object)]
#[oai(rename = "ReminderSettings", skip_serializing_if_is_none)]
struct ReminderSettingsDto {
    frequency: FrequencyChoiceDto,
    /// How many days ahead the digest looks.
    horizon_days: i32,
    effective: FrequencyDto,
    /// When the last digest with content was sent.
    last_sent_at: Option<DateTime<Utc>>,
    /// The local (Danish) date the next digest goes out; absent when off.
    next_send_on: Option<NaiveDate>,
    contracts: CoverageChoiceDto,
    effective_contracts: CoverageDto,
    calendar_contracts: CoverageChoiceDto,
    effective_calendar_contracts: CoverageDto,
}

impl From<ReminderSettings> for ReminderSettingsDto {
    fn from(settings: ReminderSettings) -> Self {
        Self {
            frequency: FrequencyChoiceDto::from_domain(settings.frequency),
            horizon_days: settings.horizon_days,
            effective: settings.effective.into(),
            last_sent_at: settings.last_sent_at,
            next_send_on: settings.next_send_on,
            contracts: CoverageChoiceDto::from_domain(settings.contracts),
            effective_contracts: settings.effective_contracts.into(),
            calendar_contracts: CoverageChoiceDto::from_domain(settings.calendar_contracts),
            effective_calendar_contracts: settings.effective_calendar_contracts.into(),
        }
    }
}

/// A change of the reminder digest setting; `contracts` (the digest's) and
/// `calendar_contracts` (the calendar feed's) left out stay as they are.
#[derive(Object)]
#[oai(rename = "ReminderSettingsInput", deny_unknown_fields, example)]
struct ReminderSettingsInput {
    frequency: FrequencyChoiceDto,
    /// Days ahead, 1–365.
    horizon_days: u32,
    contracts: Option<CoverageChoiceDto>,
    calendar_contracts: Option<CoverageChoiceDto>,
}

impl Example for ReminderSettingsInput {
    fn example() -> Self {
        Self {
            frequency: FrequencyChoiceDto::Weekly,
            horizon_days: 30,
            contracts: Some(CoverageChoiceDto::Owned),
            calendar_contracts: Some(CoverageChoiceDto::All),
        }
    }
}

/// One date in the digest.
#[derive(Object)]
#[oai(rename = "ReminderItem")]
struct ReminderItemDto {
    /// `notice` (notice deadline), `retender` (re-tender start) or
    /// `milestone-{kind}` (a planned tender's milestone, e.g.
    /// `milestone-bid_deadline`), as in the calendar feed.
    kind: String,
    /// The kind in Danish ("Opsigelsesfrist", "Genudbud skal forberedes", …).
    label: String,
    date: NaiveDate,
    title: String,
    /// Where the object is in the web app (absolute URL).
    link: String,
}

impl From<DigestItem> for ReminderItemDto {
    fn from(item: DigestItem) -> Self {
        Self {
            kind: item.kind,
            label: item.label,
            date: item.date,
            title: item.title,
            link: item.link,
        }
    }
}

/// The digest the user would get next, rendered as the mail would be.
#[derive(Object)]
#[oai(rename = "ReminderPreview", skip_serializing_if_is_none)]
struct ReminderPreviewDto {
    effective: FrequencyDto,
    /// The local date the next digest goes out; absent when off.
    send_on: Option<NaiveDate>,
    /// The dates covered: from …
    from: NaiveDate,
    /// … to, both included.
    until: NaiveDate,
    /// The mail's subject; absent when there is nothing to report (no mail
    /// is sent then).
    subject: Option<String>,
    /// The mail as plain text; absent when there is nothing to report.
    text: Option<String>,
    /// The mail's HTML alternative; absent when there is nothing to report.
    html: Option<String>,
    /// The dates, in order.
    items: Vec<ReminderItemDto>,
}

impl From<Preview> for ReminderPreviewDto {
    fn from(preview: Preview) -> Self {
        let (subject, text, html) = match preview.digest {
            Some(digest) => (Some(digest.subject), Some(digest.text), Some(digest.html)),
            None => (None, None, None),
        };
        Self {
            effective: preview.effective.into(),
            send_on: preview.send_on,
            from: preview.from,
            until: preview.until,
            subject,
            text,
            html,
            items: preview.items.into_iter().map(Into::into).collect(),
        }
    }
}

#[OpenApi(prefix_path = "/me/reminders", tag = "ApiTags::Reminders")]
impl RemindersApi {
    /// The logged-in user's reminder digest setting.
    #[oai(path = "/", method = "get", operation_id = "getReminderSettings")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
    ) -> ApiResult<Json<ReminderSettingsDto>> {
        let settings = reminders::get_settings(&state.db, &auth.0).await?;
        Ok(Json(settings.into()))
    }

    /// Change how often the digest comes and how far ahead it looks.
    #[oai(path = "/", method = "put", operation_id = "updateReminderSettings")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        body: Json<ReminderSettingsInput>,
    ) -> ApiResult<Json<ReminderSettingsDto>> {
        let choice = ReminderChoice {
            frequency: body.0.frequency.into_domain(),
            horizon_days: i32::try_from(body.0.horizon_days).unwrap_or(i32::MAX),
            contracts: body.0.contracts.map(CoverageChoiceDto::into_domain),
            calendar_contracts: body
                .0
                .calendar_contracts
                .map(CoverageChoiceDto::into_domain),
        };
        let settings = reminders::update_settings(&state.db, &auth.0, choice).await?;
        Ok(Json(settings.into()))
    }

    /// The digest the user would get next (Danish), from today over the
    /// chosen horizon.
    #[oai(
        path = "/preview",
        method = "get",
        operation_id = "previewReminderDigest"
    )]
    async fn preview(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
    ) -> ApiResult<Json<ReminderPreviewDto>> {
        let preview = reminders::preview(&state.db, &auth.0, &state.public_url).await?;
        Ok(Json(preview.into()))
    }
}
