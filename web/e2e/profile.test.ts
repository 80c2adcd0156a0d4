// Min profil: a user sets how often reminders come and how far ahead they
// look, previews the next one, and subscribes to the calendar: the address
// is shown once, serves an iCalendar file with events, is replaced by a new
// one, and stops working when revoked.
//   SAMUDBUD_BASE_URL=http://127.0.0.1:8080 node --import tsx --test e2e/profile.test.ts

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { APIRequestContext, Browser } from "playwright-core";
import { BASE_URL, checkA11y, launch, login, newPage, printAxeLog } from "./harness.ts";

const TIMEOUT = { timeout: 180_000 };

// The reminder and calendar operations this page uses; the test runs against a server that has them.
const NEEDED = [
  "getReminderSettings",
  "updateReminderSettings",
  "previewReminderDigest",
  "createCalendarFeed",
  "getCalendarFeed",
  "revokeCalendarFeed",
  "calendarFeed",
];
const spec = await (await fetch(`${BASE_URL}/api/v1/openapi.json`)).text();
const missing = NEEDED.filter((id) => !spec.includes(`"${id}"`));
const SKIP = missing.length > 0 ? `the server has no ${missing.join(", ")} yet` : false;

let browser: Browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser.close();
  printAxeLog();
});

/**
 * The feed at the address the page shows, fetched from the server under
 * test (the address names the public URL, which in a test may be another host).
 */
async function fetchFeed(request: APIRequestContext, url: string) {
  const path = new URL(url).pathname;
  return request.get(`${BASE_URL}${path}`);
}

describe("min profil", () => {
  it("sets reminders, previews the next one and manages the calendar subscription", { ...TIMEOUT, skip: SKIP }, async () => {
    const { context, page, problems } = await newPage(browser);
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: BASE_URL });
    await login(page, "redaktoer@soroe.dk");
    await page.waitForURL((url) => url.pathname !== "/login");

    // The header's user area leads to Min profil.
    await page.locator(".portal-user").getByRole("link", { name: "Min profil" }).click();
    await page.getByRole("heading", { level: 1, name: "Min profil" }).waitFor();
    await page.getByText("Du er logget ind som Rasmus Redaktør", { exact: false }).waitFor();
    await page.locator(".reminder-effective").waitFor();
    await checkA11y(page, "/profil");

    // Daily, 60 days ahead.
    await page.getByRole("radio", { name: "Dagligt" }).check();
    await page.getByLabel("Antal dage frem").fill("400");
    await page.getByRole("button", { name: "Gem påmindelser" }).click();
    await page.locator("#reminders-horizon-error", { hasText: "Skriv et helt antal dage fra 1 til 365." }).waitFor();
    await page.getByLabel("Antal dage frem").fill("60");
    await page.getByRole("button", { name: "Gem påmindelser" }).click();
    await page.getByText("Dine påmindelser er gemt.").waitFor();
    assert.equal(await page.locator(".reminder-effective").innerText(), "Lige nu får du: dagligt.");

    // Kept after a reload.
    await page.reload();
    await page.locator(".reminder-effective").waitFor();
    assert.equal(await page.getByRole("radio", { name: "Dagligt" }).isChecked(), true);
    assert.equal(await page.getByLabel("Antal dage frem").inputValue(), "60");

    // The preview: a subject and the dates it would carry.
    await page.getByRole("button", { name: "Se næste påmindelse" }).click();
    const preview = page.locator("section.reminder-preview");
    await preview.getByRole("heading", { name: "Næste påmindelse" }).waitFor();
    await preview.getByText("Datoer fra ", { exact: false }).waitFor();
    const table = preview.locator("table.reminder-preview-table");
    await table.or(preview.getByText("Der er ingen datoer i perioden")).waitFor();
    // A subject only when there is something to send.
    if (await table.isVisible()) assert.match(await preview.innerText(), /Emne: \S+/);
    else assert.doesNotMatch(await preview.innerText(), /Emne:/);
    await checkA11y(page, "/profil (preview)");

    // The calendar subscription: the address shown once, with a copy button and instructions.
    const section = page.locator("section.calendar-feed");
    await section.getByRole("button", { name: "Opret kalenderabonnement" }).click();
    await page.getByText("Kalenderabonnementet er oprettet.").waitFor();
    const field = page.getByLabel("Adresse til kalenderen");
    const first = await field.inputValue();
    assert.match(first, /^https?:\/\/.+\/calendar\/[^/]+\.ics$/);
    assert.equal(await field.getAttribute("readonly"), "");
    await section.getByRole("button", { name: "Kopiér adresse" }).click();
    await section.locator(".calendar-copy-status").getByText("Adressen er kopieret.").waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), first);
    await section.getByText("Tilføj kalender og derefter Fra internettet", { exact: false }).waitFor();
    await section.getByText("Andre kalendere, og vælg Fra webadresse", { exact: false }).waitFor();
    await section.getByText(new RegExp(`Adressen slutter på …${first.slice(-8, -4)}`)).waitFor();
    await checkA11y(page, "/profil (calendar address)");

    // The address serves an iCalendar file with events.
    const feed = await fetchFeed(page.request, first);
    assert.equal(feed.status(), 200);
    assert.match(feed.headers()["content-type"] ?? "", /^text\/calendar/);
    const ics = await feed.text();
    assert.match(ics, /^BEGIN:VCALENDAR/);
    assert.match(ics, /BEGIN:VEVENT[\s\S]*END:VEVENT/);

    // The address is not shown again after a reload; the status tells it is active.
    await page.reload();
    await section.getByText("Aktivt", { exact: false }).waitFor();
    assert.equal(await page.getByLabel("Adresse til kalenderen").count(), 0);

    // A new address replaces the old one.
    await section.getByRole("button", { name: "Opret ny adresse" }).click();
    await page.getByText("Kalenderabonnementet er oprettet.").waitFor();
    const second = await page.getByLabel("Adresse til kalenderen").inputValue();
    assert.notEqual(second, first);
    assert.equal((await fetchFeed(page.request, first)).status(), 404);
    assert.equal((await fetchFeed(page.request, second)).status(), 200);

    // Revoking asks first, then the address stops working.
    await section.getByRole("button", { name: "Tilbagekald" }).click();
    const dialog = page.getByRole("dialog", { name: "Tilbagekald kalenderabonnement" });
    await dialog.waitFor();
    await checkA11y(page, "/profil (revoke dialog)");
    await dialog.getByRole("button", { name: "Tilbagekald" }).click();
    await page.getByText("Kalenderabonnementet er tilbagekaldt.").waitFor();
    await section.getByText("Du har ikke noget kalenderabonnement.").waitFor();
    assert.equal(await page.getByLabel("Adresse til kalenderen").count(), 0);
    assert.equal((await fetchFeed(page.request, second)).status(), 404);

    assert.deepEqual(problems.list, []);
    await context.close();
  });
});
