// Muligheder: Sorø's editor finds contracts of several municipalities in
// the demo collaboration that are up for re-tender at about the same time,
// sees which group a planned tender already covers, and creates a planned
// tender from an uncovered group in the demo's joint plan; every
// municipality of the group is invited and pending. A user of another
// municipality in the group then finds it and confirms participation.
//   SAMUDBUD_BASE_URL=http://127.0.0.1:8080 node --import tsx --test e2e/opportunities.test.ts

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { checkA11y, launch, login, newPage, printAxeLog } from "./harness.ts";

const TIMEOUT = { timeout: 240_000 };
const PLAN = "Fælles udbudsplan 2027–2028";
const EMAIL_DOMAIN: Record<string, string> = {
  "Sorø Kommune": "soroe.dk",
  "Ringsted Kommune": "ringsted.dk",
  "Næstved Kommune": "naestved.dk",
};

let browser: Browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser.close();
  printAxeLog();
});

async function loggedIn(email: string): Promise<{ page: Page; close: () => Promise<void>; problems: string[] }> {
  const { context, page, problems } = await newPage(browser);
  await login(page, email);
  await page.waitForURL((url) => url.pathname !== "/login");
  return { page, close: () => context.close(), problems: problems.list };
}

describe("muligheder", () => {
  it("turns an opportunity into a planned tender that the other municipalities confirm", TIMEOUT, async () => {
    const soroe = await loggedIn("redaktoer@soroe.dk");
    const { page } = soroe;

    // The menu leads to Muligheder; the demo collaboration is chosen and CPV groups over 18 months shown.
    await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "Muligheder" }).click();
    await page.getByRole("heading", { level: 1, name: "Muligheder" }).waitFor();
    assert.equal(await page.getByLabel("Periode i måneder").inputValue(), "18");
    assert.equal(
      await page.getByLabel("Saml efter").locator("option:checked").innerText(),
      "CPV-gruppe (5 cifre)",
    );
    const cards = page.locator("article.opportunity-card");
    await cards.first().waitFor();
    assert.ok((await cards.count()) >= 3, "the demo has at least three opportunities");
    await page.locator(".opportunity-summary").getByText(/muligheder for fælles udbud fra \d\d\.\d\d\.\d{4}/).waitFor();

    // One is already covered by a planned tender, with a link to it.
    const covered = cards.filter({ has: page.getByRole("link", { name: /^Dækket af planlagt udbud/ }) });
    assert.ok((await covered.count()) >= 1, "one opportunity is covered");
    assert.equal(await covered.first().getByRole("button", { name: "Opret planlagt udbud" }).count(), 0);

    // Each card names the municipalities, lists their contracts and compares the combined value with the threshold.
    const card = cards.filter({ has: page.getByRole("button", { name: "Opret planlagt udbud" }) }).first();
    const label = (await card.getByRole("heading", { level: 3 }).innerText()).trim();
    const table = card.locator("table.opportunity-contracts");
    assert.match(await table.locator("caption").innerText(), new RegExp(`Kontrakter i muligheden`));
    const municipalities = (await card.locator(".opportunity-facts dd").first().innerText()).split(", ");
    assert.ok(municipalities.length >= 2, "an opportunity spans at least two municipalities");
    assert.ok((await table.locator("tbody tr").count()) >= 2);
    await card.locator(".opportunity-threshold").getByText(/^(Over|Under) tærskelværdien:$/).waitFor();
    await card.getByText("EU's tærskelværdi").waitFor();
    await checkA11y(page, "/muligheder");

    // Other views of the same collaboration: broader groups, and the municipality's own contracts.
    await page.getByLabel("Saml efter").selectOption({ label: "CPV-afdeling (2 cifre)" });
    await page.getByRole("button", { name: "Vis muligheder" }).click();
    await page.waitForURL(/niveau=afdeling/);
    await page.locator(".opportunity-summary").waitFor();
    await page.getByRole("button", { name: "Vores kontrakter" }).click();
    await page.getByRole("heading", { level: 2, name: "Vores kontrakter" }).waitFor();
    await page.locator(".my-opportunities").getByText(/Hvem andre genudbyder det samme snart/).waitFor();
    await page
      .locator(".my-opportunities article.opportunity-card")
      .first()
      .or(page.getByText(/Ingen af kommunens kontrakter/))
      .waitFor();
    await checkA11y(page, "/muligheder?visning=vores-kontrakter");
    await page.goBack();
    await page.goBack();
    await page.waitForURL((url) => url.pathname === "/muligheder" && url.search === "");
    await page.locator(".opportunity-summary").waitFor();
    assert.equal(await page.getByLabel("Saml efter").inputValue(), "group");

    // The dialog offers the collaboration's plans Sorø may edit; the server builds the tender from the group.
    const again = page
      .locator("article.opportunity-card")
      .filter({ has: page.getByRole("heading", { level: 3, name: label, exact: true }) });
    await again.getByRole("button", { name: "Opret planlagt udbud" }).click();
    const dialog = page.getByRole("dialog", { name: "Opret planlagt udbud" });
    await dialog.waitFor();
    const planSelect = dialog.getByLabel("Udbudsplan");
    await planSelect.selectOption({ label: PLAN });
    await checkA11y(page, "/muligheder (create dialog)");
    await dialog.getByRole("button", { name: "Opret planlagt udbud" }).click();

    // The new planned tender's page: subject from the group, every municipality invited and pending.
    const heading = page.getByRole("heading", { level: 1 });
    await page.getByText("Det planlagte udbud er oprettet ud fra muligheden.", { exact: false }).waitFor();
    assert.match(await heading.innerText(), new RegExp(label));
    const subject = (await heading.innerText()).trim();
    const tenderPath = new URL(page.url()).pathname;
    assert.match(tenderPath, /^\/udbudsplaner\/[0-9a-f-]{36}\/udbud\/[0-9a-f-]{36}$/);
    const rows = page.locator("table.participants-table tbody tr");
    for (const name of municipalities) {
      assert.match(await rows.filter({ hasText: name }).innerText(), /Afventer bekræftelse/, name);
    }
    await checkA11y(page, "/udbudsplaner/:id/udbud/:id (from an opportunity)");

    // Back on Muligheder the group is now covered by the new tender.
    await page.goto("/muligheder");
    const nowCovered = page
      .locator("article.opportunity-card")
      .filter({ has: page.getByRole("heading", { level: 3, name: label, exact: true }) });
    const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    await nowCovered.getByRole("link", { name: new RegExp(`^Dækket af planlagt udbud »[^«]*${escaped}«`) }).waitFor();

    // A user of another municipality in the group confirms participation.
    const other = municipalities.find((m) => m !== "Sorø Kommune");
    assert.ok(other, "another municipality takes part");
    const domain = EMAIL_DOMAIN[other];
    assert.ok(domain, `a demo login for ${other}`);
    const them = await loggedIn(`redaktoer@${domain}`);
    const tp = them.page;
    await tp.goto(tenderPath);
    await tp.getByRole("heading", { level: 1, name: subject, exact: true }).waitFor();
    const part = tp.locator("section.own-participation");
    await part.waitFor();
    await checkA11y(tp, "/udbudsplaner/:id/udbud/:id (invited from an opportunity)");
    await part.getByRole("button", { name: "Bekræft deltagelse" }).click();
    await tp.getByText("Deltagelsen er bekræftet.").waitFor();
    assert.match(
      await tp.locator("table.participants-table tbody tr").filter({ hasText: other }).innerText(),
      /Bekræftet/,
    );

    assert.deepEqual([...soroe.problems, ...them.problems], []);
    await them.close();
    await soroe.close();
  });
});
