//! The digest as the user reads it: a Danish e-mail, plain text with an HTML
//! alternative, listing the coming dates grouped by week and day, each with
//! its kind, title and a link into Samudbud. Pure rendering, no database:
//! the mail and the preview come from here alike.

use chrono::{Datelike, NaiveDate, Weekday};

use super::period::Frequency;

/// One date in the digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestItem {
    /// Machine-readable kind, as the agenda codes it (`notice`, `retender`,
    /// `milestone-bid_deadline`, …).
    pub kind: String,
    /// The kind in Danish: "Opsigelsesfrist", "Genudbud skal forberedes",
    /// a milestone's label.
    pub label: String,
    pub date: NaiveDate,
    pub title: String,
    /// Absolute URL of the object in the web app.
    pub link: String,
}

/// Who gets the digest and what it covers.
#[derive(Debug, Clone)]
pub struct DigestContext<'a> {
    pub recipient_name: &'a str,
    pub municipality: &'a str,
    pub frequency: Frequency,
    /// The local date the digest is written for.
    pub today: NaiveDate,
    /// The last date it covers.
    pub until: NaiveDate,
    /// The web app's base URL, without a trailing slash.
    pub public_url: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digest {
    pub subject: String,
    pub text: String,
    pub html: String,
    pub items: Vec<DigestItem>,
}

const MONTHS: [&str; 12] = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
];

/// "1. december 2026".
pub fn danish_date(date: NaiveDate) -> String {
    format!(
        "{}. {} {}",
        date.day(),
        MONTHS[date.month0() as usize],
        date.year()
    )
}

fn danish_weekday(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "mandag",
        Weekday::Tue => "tirsdag",
        Weekday::Wed => "onsdag",
        Weekday::Thu => "torsdag",
        Weekday::Fri => "fredag",
        Weekday::Sat => "lørdag",
        Weekday::Sun => "søndag",
    }
}

/// "tirsdag 1. december 2026".
fn danish_day(date: NaiveDate) -> String {
    format!("{} {}", danish_weekday(date.weekday()), danish_date(date))
}

/// "Uge 49 (30. november – 6. december 2026)".
fn week_heading(date: NaiveDate) -> String {
    let week = date.iso_week();
    let monday = NaiveDate::from_isoywd_opt(week.year(), week.week(), Weekday::Mon);
    let sunday = NaiveDate::from_isoywd_opt(week.year(), week.week(), Weekday::Sun);
    match (monday, sunday) {
        (Some(monday), Some(sunday)) => {
            let from = if monday.year() == sunday.year() {
                format!("{}. {}", monday.day(), MONTHS[monday.month0() as usize])
            } else {
                danish_date(monday)
            };
            format!("Uge {} ({from} – {})", week.week(), danish_date(sunday))
        }
        _ => format!("Uge {}", week.week()),
    }
}

fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// One day's items.
type Day<'a> = (NaiveDate, Vec<&'a DigestItem>);

/// One week: its heading and its days.
type Week<'a> = (String, Vec<Day<'a>>);

/// The items grouped by ISO week, then by day, both in date order.
fn grouped(items: &[DigestItem]) -> Vec<Week<'_>> {
    let mut weeks: Vec<Week<'_>> = Vec::new();
    let mut last_week = None;
    for item in items {
        let week = item.date.iso_week();
        if last_week != Some(week) {
            weeks.push((week_heading(item.date), Vec::new()));
            last_week = Some(week);
        }
        let Some((_, days)) = weeks.last_mut() else {
            continue;
        };
        match days.last_mut() {
            Some((day, list)) if *day == item.date => list.push(item),
            _ => days.push((item.date, vec![item])),
        }
    }
    weeks
}

fn subject(count: usize, until: NaiveDate) -> String {
    let noun = if count == 1 { "dato" } else { "datoer" };
    format!(
        "Samudbud: {count} {noun} at holde øje med frem til {}",
        danish_date(until)
    )
}

/// The digest for `items`, or `None` when there is nothing to report (no
/// mail is sent then). Items are sorted by date, then kind and title.
pub fn render(context: &DigestContext<'_>, mut items: Vec<DigestItem>) -> Option<Digest> {
    if items.is_empty() {
        return None;
    }
    items.sort_by(|a, b| {
        (a.date, &a.label, &a.title, &a.link).cmp(&(b.date, &b.label, &b.title, &b.link))
    });
    let how_often = match context.frequency {
        Frequency::Daily => "dagligt",
        Frequency::Weekly | Frequency::Off => "ugentligt",
    };
    let profile = format!("{}/profil", context.public_url);
    let intro = format!(
        "Her er fristerne og milepælene for {} fra {} til {}.",
        context.municipality,
        danish_date(context.today),
        danish_date(context.until)
    );
    let footer = format!(
        "Du får denne påmindelse {how_often}. Du kan ændre hvor ofte, hvor langt frem \
         den ser, eller slå den fra under Min profil: {profile}"
    );
    let weeks = grouped(&items);

    let mut text = format!("Hej {},\n\n{intro}\n", context.recipient_name);
    for (heading, days) in &weeks {
        text.push_str(&format!(
            "\n{heading}\n{}\n",
            "=".repeat(heading.chars().count())
        ));
        for (day, list) in days {
            text.push_str(&format!("\n{}\n", danish_day(*day)));
            for item in list {
                text.push_str(&format!(
                    "  - {}: {}\n    {}\n",
                    item.label, item.title, item.link
                ));
            }
        }
    }
    text.push_str(&format!("\n-- \n{footer}\n"));

    let mut html =
        String::from("<!DOCTYPE html>\n<html lang=\"da\">\n<head><meta charset=\"utf-8\"><title>");
    html.push_str(&escape_html(&subject(items.len(), context.until)));
    html.push_str("</title></head>\n<body style=\"font-family: sans-serif; color: #1a1a1a\">\n");
    html.push_str(&format!(
        "<p>Hej {},</p>\n<p>{}</p>\n",
        escape_html(context.recipient_name),
        escape_html(&intro)
    ));
    for (heading, days) in &weeks {
        html.push_str(&format!("<h2>{}</h2>\n", escape_html(heading)));
        for (day, list) in days {
            html.push_str(&format!(
                "<h3>{}</h3>\n<ul>\n",
                escape_html(&danish_day(*day))
            ));
            for item in list {
                html.push_str(&format!(
                    "<li><strong>{}:</strong> <a href=\"{}\">{}</a></li>\n",
                    escape_html(&item.label),
                    escape_html(&item.link),
                    escape_html(&item.title)
                ));
            }
            html.push_str("</ul>\n");
        }
    }
    html.push_str(&format!(
        "<hr>\n<p style=\"font-size: small\">Du får denne påmindelse {how_often}. Du kan ændre \
         hvor ofte, hvor langt frem den ser, eller slå den fra under \
         <a href=\"{}\">Min profil</a>.</p>\n</body>\n</html>\n",
        escape_html(&profile)
    ));

    Some(Digest {
        subject: subject(items.len(), context.until),
        text,
        html,
        items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("a date")
    }

    fn item(kind: &str, label: &str, date: NaiveDate, title: &str, path: &str) -> DigestItem {
        DigestItem {
            kind: kind.into(),
            label: label.into(),
            date,
            title: title.into(),
            link: format!("https://samudbud.example{path}"),
        }
    }

    fn context(frequency: Frequency) -> DigestContext<'static> {
        DigestContext {
            recipient_name: "Birgitte Sørensen",
            municipality: "Sorø Kommune",
            frequency,
            today: d(2026, 12, 28),
            until: d(2027, 1, 27),
            public_url: "https://samudbud.example",
        }
    }

    #[test]
    fn nothing_to_report_is_no_mail() {
        assert_eq!(render(&context(Frequency::Weekly), Vec::new()), None);
    }

    #[test]
    fn items_are_grouped_by_week_and_day_in_danish() {
        let digest = render(
            &context(Frequency::Weekly),
            vec![
                item(
                    "retender",
                    "Genudbud skal forberedes",
                    d(2027, 1, 4),
                    "Økonomisystem",
                    "/kontrakter/2",
                ),
                item(
                    "notice",
                    "Opsigelsesfrist",
                    d(2026, 12, 31),
                    "Lønsystem <drift> & support",
                    "/kontrakter/1",
                ),
                item(
                    "notice",
                    "Opsigelsesfrist",
                    d(2026, 12, 31),
                    "ESDH",
                    "/kontrakter/3",
                ),
            ],
        )
        .expect("a digest");
        assert_eq!(
            digest.subject,
            "Samudbud: 3 datoer at holde øje med frem til 27. januar 2027"
        );
        let text = &digest.text;
        assert!(text.starts_with("Hej Birgitte Sørensen,\n"), "{text}");
        assert!(text.contains("Sorø Kommune fra 28. december 2026 til 27. januar 2027"));
        // The week of New Year spans two years; the next starts 4 January.
        let week53 = text
            .find("Uge 53 (28. december 2026 – 3. januar 2027)")
            .expect(text);
        let week1 = text
            .find("Uge 1 (4. januar – 10. januar 2027)")
            .expect(text);
        assert!(week53 < week1);
        let thursday = text.find("torsdag 31. december 2026").expect(text);
        let esdh =
            text.find("  - Opsigelsesfrist: ESDH\n    https://samudbud.example/kontrakter/3");
        let løn = text.find("  - Opsigelsesfrist: Lønsystem <drift> & support\n");
        assert!(thursday < esdh.expect(text) && esdh < løn, "{text}");
        assert!(text.contains(
            "mandag 4. januar 2027\n  - Genudbud skal forberedes: Økonomisystem\n    https://samudbud.example/kontrakter/2\n"
        ));
        assert!(text.contains("Du får denne påmindelse ugentligt."));
        assert!(text.contains("https://samudbud.example/profil"));
        assert_eq!(digest.items.first().map(|i| i.title.as_str()), Some("ESDH"));

        let html = &digest.html;
        assert!(
            html.contains("Lønsystem &lt;drift&gt; &amp; support"),
            "{html}"
        );
        assert!(!html.contains("<drift>"));
        assert!(
            html.contains("<a href=\"https://samudbud.example/kontrakter/2\">Økonomisystem</a>")
        );
        assert!(html.contains("<a href=\"https://samudbud.example/profil\">Min profil</a>"));
        assert!(html.contains("<h3>mandag 4. januar 2027</h3>"));
    }

    #[test]
    fn a_daily_digest_says_so_and_counts_one_date() {
        let digest = render(
            &context(Frequency::Daily),
            vec![item(
                "milestone-evaluation",
                "Evaluering",
                d(2027, 1, 5),
                "Fælles udbud af telefoni",
                "/udbudsplaner/9",
            )],
        )
        .expect("a digest");
        assert_eq!(
            digest.subject,
            "Samudbud: 1 dato at holde øje med frem til 27. januar 2027"
        );
        assert!(digest.text.contains("Du får denne påmindelse dagligt."));
        assert!(digest.text.contains("Evaluering: Fælles udbud af telefoni"));
    }

    #[test]
    fn danish_dates_read_naturally() {
        assert_eq!(danish_date(d(2026, 12, 1)), "1. december 2026");
        assert_eq!(danish_date(d(2027, 3, 15)), "15. marts 2027");
        assert_eq!(danish_day(d(2026, 12, 5)), "lørdag 5. december 2026");
    }
}
