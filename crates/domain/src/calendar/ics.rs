//! The agenda as an iCalendar document (RFC 5545), written with the
//! `icalendar` crate: one all-day event per item, with a UID that stays the
//! same when the date moves and a SEQUENCE that grows when it does.
//!
//! The crate escapes TEXT values (`\`, `;`, `,`, newlines) and folds content
//! lines at 75 octets on character boundaries; the tests below hold it to
//! that. Two things it does not do are done here: its `all_day` writes a
//! DTEND equal to DTSTART (RFC 5545 wants the exclusive next day), and it
//! cannot write a VTIMEZONE (every component it writes gets a UID and a
//! DTSTAMP, which a VTIMEZONE must not have), so the fixed
//! Europe/Copenhagen definition is added as text.

use chrono::{DateTime, Days, NaiveDate, Utc};
use icalendar::{Calendar, Component, Event, EventLike, Property};

use crate::agenda::AgendaItem;

/// The time zone the municipalities live in.
pub const TIME_ZONE: &str = "Europe/Copenhagen";

/// Central European Time with the EU's summer time rules (last Sunday of
/// March and of October at 01:00 UTC), as RFC 5545 describes a zone.
const VTIMEZONE: &str = "BEGIN:VTIMEZONE\r\n\
TZID:Europe/Copenhagen\r\n\
X-LIC-LOCATION:Europe/Copenhagen\r\n\
BEGIN:DAYLIGHT\r\n\
TZOFFSETFROM:+0100\r\n\
TZOFFSETTO:+0200\r\n\
TZNAME:CEST\r\n\
DTSTART:19700329T020000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n\
END:DAYLIGHT\r\n\
BEGIN:STANDARD\r\n\
TZOFFSETFROM:+0200\r\n\
TZOFFSETTO:+0100\r\n\
TZNAME:CET\r\n\
DTSTART:19701025T030000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n\
END:STANDARD\r\n\
END:VTIMEZONE\r\n";

const END: &str = "END:VCALENDAR\r\n";

/// What the feed is written for.
pub struct FeedHeader<'a> {
    /// The calendar's name as clients show it.
    pub name: &'a str,
    /// The host part of every UID (`…@host`).
    pub host: &'a str,
    /// The web app's public address, without a trailing slash.
    pub base_url: &'a str,
}

/// The iCalendar document of `items`.
pub fn write(header: &FeedHeader<'_>, items: &[AgendaItem]) -> String {
    let calendar = Calendar::empty()
        .append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new("PRODID", "-//Samudbud//Kalender//DA"))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .append_property(Property::new("METHOD", "PUBLISH"))
        .name(header.name)
        .timezone(TIME_ZONE)
        .append_property(
            Property::new("REFRESH-INTERVAL", "PT4H")
                .add_parameter("VALUE", "DURATION")
                .done(),
        )
        .append_property(Property::new("X-PUBLISHED-TTL", "PT4H"))
        .done();
    let text = calendar.to_string();
    let mut out = text.strip_suffix(END).unwrap_or(&text).to_owned();
    out.push_str(VTIMEZONE);
    for item in items {
        out.push_str(&event(header, item).to_string());
    }
    out.push_str(END);
    out
}

/// `{kind}-{subject}@{host}`: the same for an item whatever its date.
pub fn uid(item: &AgendaItem, host: &str) -> String {
    format!("{}@{host}", item.key())
}

fn event(header: &FeedHeader<'_>, item: &AgendaItem) -> Event {
    let url = format!("{}{}", header.base_url, item.link_path);
    let next_day = item
        .date
        .checked_add_days(Days::new(1))
        .unwrap_or(item.date);
    let stamp = item.last_modified;
    Event::new()
        .uid(&uid(item, header.host))
        .timestamp(stamp)
        .last_modified(stamp)
        .sequence(sequence(item.revision))
        .starts(item.date)
        .ends(next_day)
        .summary(&single_line(&item.title))
        .description(&description(item, &url))
        .url(&url)
        .append_property(Property::new("TRANSP", "TRANSPARENT"))
        .append_property(Property::new("CATEGORIES", category(item)))
        .done()
}

/// The revision as SEQUENCE, a non-negative 32-bit integer.
fn sequence(revision: i64) -> u32 {
    u32::try_from(revision.clamp(0, i64::from(i32::MAX))).unwrap_or(0)
}

fn category(item: &AgendaItem) -> &'static str {
    if item.contract_id.is_some() {
        "Kontrakt"
    } else {
        "Planlagt udbud"
    }
}

fn description(item: &AgendaItem, url: &str) -> String {
    let what = match (&item.contract_id, &item.plan_name) {
        (Some(_), _) => format!("Kontrakt: {}", single_line(&item.subject_title)),
        (None, Some(plan)) => format!(
            "Planlagt udbud: {}\nUdbudsplan: {}",
            single_line(&item.subject_title),
            single_line(plan)
        ),
        (None, None) => format!("Planlagt udbud: {}", single_line(&item.subject_title)),
    };
    format!(
        "{what}\nDato: {}\n\nSe i Samudbud: {url}",
        danish_date(item.date)
    )
}

fn danish_date(day: NaiveDate) -> String {
    crate::tender_plans::text::date(day)
}

/// Text for a one-line value: line breaks and other control characters
/// become spaces (a title never has them, but the feed must stay valid).
fn single_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// When the document was last built from these items: the latest change.
pub fn last_modified(items: &[AgendaItem]) -> Option<DateTime<Utc>> {
    items.iter().map(|i| i.last_modified).max()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agenda::AgendaKind;
    use chrono::TimeZone;
    use uuid::Uuid;

    fn item(title: &str) -> AgendaItem {
        let id = Uuid::from_u128(0x1234);
        AgendaItem {
            kind: AgendaKind::NoticeDeadline,
            date: NaiveDate::from_ymd_opt(2027, 6, 30).unwrap_or_default(),
            title: format!("Opsigelsesfrist: {title}"),
            subject_id: id,
            subject_title: title.to_owned(),
            contract_id: Some(id),
            plan_id: None,
            plan_name: None,
            tender_id: None,
            link_path: format!("/kontrakter/{id}"),
            revision: 12,
            last_modified: Utc
                .with_ymd_and_hms(2026, 11, 30, 8, 15, 0)
                .single()
                .unwrap_or_default(),
        }
    }

    fn header() -> FeedHeader<'static> {
        FeedHeader {
            name: "Samudbud – Sorø Kommune",
            host: "samudbud.example.dk",
            base_url: "https://samudbud.example.dk",
        }
    }

    /// The logical lines: folded lines joined again (RFC 5545 §3.1).
    fn unfold(text: &str) -> Vec<String> {
        text.replace("\r\n ", "")
            .split("\r\n")
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// The first line named `name`, the events' own before the calendar's.
    fn line<'a>(lines: &'a [String], name: &str) -> Option<&'a str> {
        let event = lines.iter().position(|l| l == "BEGIN:VEVENT").unwrap_or(0);
        lines[event..]
            .iter()
            .chain(&lines[..event])
            .find(|l| l.starts_with(name) && l[name.len()..].starts_with([':', ';']))
            .map(String::as_str)
    }

    #[test]
    fn every_line_ends_in_crlf_and_fits_in_75_octets() {
        let text = write(&header(), &[item("Økonomisystem")]);
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(!text.replace("\r\n", "").contains('\n'));
        for physical in text.split("\r\n") {
            assert!(
                physical.len() <= 75,
                "{physical:?} is {} octets",
                physical.len()
            );
        }
    }

    #[test]
    fn an_event_is_all_day_with_a_stable_uid_and_its_revision() {
        let lines = unfold(&write(&header(), &[item("Økonomisystem")]));
        assert_eq!(line(&lines, "DTSTART"), Some("DTSTART;VALUE=DATE:20270630"));
        assert_eq!(line(&lines, "DTEND"), Some("DTEND;VALUE=DATE:20270701"));
        assert_eq!(
            line(&lines, "UID"),
            Some("UID:notice-00000000-0000-0000-0000-000000001234@samudbud.example.dk")
        );
        assert_eq!(line(&lines, "SEQUENCE"), Some("SEQUENCE:12"));
        assert_eq!(line(&lines, "DTSTAMP"), Some("DTSTAMP:20261130T081500Z"));
        assert_eq!(
            line(&lines, "LAST-MODIFIED"),
            Some("LAST-MODIFIED:20261130T081500Z")
        );
        assert_eq!(
            line(&lines, "SUMMARY"),
            Some("SUMMARY:Opsigelsesfrist: Økonomisystem")
        );
        assert_eq!(
            line(&lines, "URL"),
            Some("URL:https://samudbud.example.dk/kontrakter/00000000-0000-0000-0000-000000001234")
        );
        assert_eq!(
            line(&lines, "X-WR-CALNAME"),
            Some("X-WR-CALNAME:Samudbud – Sorø Kommune")
        );
        assert_eq!(
            line(&lines, "X-WR-TIMEZONE"),
            Some("X-WR-TIMEZONE:Europe/Copenhagen")
        );
        assert_eq!(line(&lines, "TZID"), Some("TZID:Europe/Copenhagen"));
        assert_eq!(
            line(&lines, "PRODID"),
            Some("PRODID:-//Samudbud//Kalender//DA")
        );
        assert_eq!(lines.iter().filter(|l| l.starts_with("PRODID")).count(), 1);
        let description = line(&lines, "DESCRIPTION").unwrap_or_default();
        assert!(description.contains("Dato: 30. juni 2027"), "{description}");
        assert!(description.contains(
            "Se i Samudbud: https://samudbud.example.dk/kontrakter/00000000-0000-0000-0000-000000001234"
        ));
    }

    #[test]
    fn the_time_zone_comes_before_the_events_and_has_no_uid() {
        let text = write(&header(), &[item("A")]);
        let zone = text.find("BEGIN:VTIMEZONE").unwrap_or(usize::MAX);
        let event = text.find("BEGIN:VEVENT").unwrap_or(0);
        assert!(zone < event);
        let block = &text[zone..text.find("END:VTIMEZONE").unwrap_or(zone)];
        assert!(!block.contains("UID") && !block.contains("DTSTAMP"));
    }

    #[test]
    fn text_special_characters_are_escaped() {
        let lines = unfold(&write(&header(), &[item(r"Drift; support, og \ backup")]));
        assert_eq!(
            line(&lines, "SUMMARY"),
            Some(r"SUMMARY:Opsigelsesfrist: Drift\; support\, og \\ backup")
        );
        let description = line(&lines, "DESCRIPTION").unwrap_or_default();
        assert!(
            description
                .starts_with(r"DESCRIPTION:Kontrakt: Drift\; support\, og \\ backup\nDato: ")
        );
    }

    #[test]
    fn line_breaks_in_a_title_do_not_break_the_document() {
        let lines = unfold(&write(&header(), &[item("To\r\nlinjer")]));
        assert_eq!(
            line(&lines, "SUMMARY"),
            Some("SUMMARY:Opsigelsesfrist: To  linjer")
        );
    }

    #[test]
    fn long_danish_titles_fold_between_characters_and_unfold_to_the_same_text() {
        // Every offset of the multi-octet letters against the 75-octet boundary.
        for pad in 0..8 {
            let title = format!(
                "{}Økonomisystem til løn, ærinder og årsopgørelser på tværs af forvaltninger æøå ÆØÅ",
                "x".repeat(pad)
            );
            let text = write(&header(), &[item(&title)]);
            for physical in text.split("\r\n") {
                assert!(physical.len() <= 75, "{physical:?}");
            }
            let summary = text
                .split("\r\n")
                .skip_while(|l| !l.starts_with("SUMMARY:"))
                .take_while(|l| l.starts_with("SUMMARY:") || l.starts_with(' '))
                .collect::<Vec<_>>();
            assert!(summary.len() > 1, "the summary is folded");
            let joined: String = summary
                .iter()
                .enumerate()
                .map(|(n, l)| if n == 0 { *l } else { &l[1..] })
                .collect();
            assert_eq!(
                joined,
                format!("SUMMARY:Opsigelsesfrist: {}", title.replace(',', "\\,"))
            );
        }
    }

    #[test]
    fn the_same_items_give_the_same_document() {
        let items = [item("A"), item("B")];
        assert_eq!(write(&header(), &items), write(&header(), &items));
    }
}
