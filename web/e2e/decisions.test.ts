// Browser test of handling a deadline: an editor records that notice was
// given, sees the end it leads to before confirming, and the deadline
// leaves Overblik. Screenshots at 1280 and 390 px go to SAMUDBUD_SHOTS_DIR.

import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { apiToken, BASE_URL, checkA11y, DEMO, launch, login, newPage, printAxeLog } from "./harness.ts";

const TIMEOUT = { timeout: 120_000 };
const SHOTS = process.env.SAMUDBUD_SHOTS_DIR ?? "";

let browser: Browser;

before(async () => {
  browser = await launch();
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await browser.close();
  printAxeLog();
});

function iso(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${String(d.getFullYear())}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function da(isoDate: string): string {
  return isoDate.split("-").reverse().join(".");
}

async function shot(page: Page, name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/** A contract ending in three and a half months with three months' notice: notice is due in about two weeks. */
async function contractDueSoon(title: string): Promise<{ id: string; end: string }> {
  const token = await apiToken(DEMO.editor);
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const suppliers = (await (await fetch(`${BASE_URL}/api/v1/suppliers`, { headers })).json()) as { items: { id: string }[] };
  const supplier = suppliers.items[0];
  assert.ok(supplier, "the demo has suppliers");
  const endDate = new Date();
  endDate.setMonth(endDate.getMonth() + 3);
  endDate.setDate(endDate.getDate() + 14);
  const end = iso(endDate);
  const created = await fetch(`${BASE_URL}/api/v1/contracts`, {
    method: "POST",
    headers,
    body: JSON.stringify({
      title,
      supplier_id: supplier.id,
      start_on: "2024-01-01",
      end_on: end,
      notice_period_months: 3,
    }),
  });
  assert.equal(created.status, 201);
  const body = (await created.json()) as { id: string };
  return { id: body.id, end };
}

async function onOverblik(page: Page, title: string): Promise<boolean> {
  await page.goto("/overblik");
  await page.getByRole("heading", { level: 1, name: "Overblik" }).waitFor();
  await page.locator(".deadlines-table tbody tr").first().waitFor();
  return (await page.locator(".deadlines-table tbody tr", { hasText: title }).count()) > 0;
}

describe("Håndtér frist", () => {
  it("records notice given, shows the end before confirming, and the deadline leaves Overblik", TIMEOUT, async () => {
    const title = `Fristtest ${String(Date.now())}`;
    const { id, end } = await contractDueSoon(title);
    const { context, page, problems } = await newPage(browser);
    await login(page, DEMO.editor);
    await page.waitForURL((url) => url.pathname === "/overblik");
    assert.ok(await onOverblik(page, title), "the notice deadline is on Overblik before");

    await page.goto(`/kontrakter/${id}`);
    const panel = page.getByRole("region", { name: "Håndtér frist" });
    await panel.waitFor();
    for (const name of ["Registrér opsigelse", "Lad kontrakten løbe"]) {
      await panel.getByRole("button", { name }).waitFor();
    }
    await page.getByRole("region", { name: "Beslutninger" }).getByText("Der er ikke registreret nogen beslutninger.").waitFor();
    await checkA11y(page, "/kontrakter/:id (Håndtér frist)");
    await shot(page, "contract-panel-1280");

    await panel.getByRole("button", { name: "Registrér opsigelse" }).click();
    const dialog = page.getByRole("dialog", { name: `Registrér opsigelse af ${title}` });
    await dialog.waitFor();
    await checkA11y(page, "Registrér opsigelse (formular)");

    // A date that does not exist: the error summary names the field.
    const date = dialog.getByLabel("Dato for opsigelsen");
    await date.fill("31.02.2027");
    await dialog.getByLabel("Opsagt af").selectOption({ label: "En anden (skriv navnet)" });
    await dialog.getByRole("button", { name: "Fortsæt" }).click();
    const summary = dialog.locator(".error-summary");
    await summary.waitFor();
    const summaryText = await summary.innerText();
    assert.match(summaryText, /Dato for opsigelsen/);
    assert.match(summaryText, /Skriv navnet/);
    await checkA11y(page, "Registrér opsigelse (fejl)");
    await shot(page, "notice-errors-1280");

    const today = iso(new Date());
    await date.fill(da(today));
    await dialog.getByLabel("Navn", { exact: true }).fill("Jens Hansen");
    await dialog.getByLabel("Journalnummer eller anden reference").fill("2027-123");
    await dialog.getByLabel("Note").fill("Opsagt med henblik på fælles genudbud.");
    await dialog.getByRole("button", { name: "Fortsæt" }).click();

    // The consequence, before anything is saved.
    const confirm = dialog.getByTestId("decision-confirm");
    await confirm.waitFor();
    assert.match(await confirm.innerText(), new RegExp(`Kontrakten ophører ${da(end).replace(/\./g, "\\.")}\\.`));
    await checkA11y(page, "Registrér opsigelse (bekræft)");
    await shot(page, "notice-confirm-1280");

    await dialog.getByRole("button", { name: "Bekræft" }).click();
    await dialog.waitFor({ state: "detached" });
    const notice = page.locator(".alert-success", { hasText: "Registreret: Opsigelse afgivet" });
    await notice.waitFor();
    assert.match(await notice.innerText(), new RegExp(`af Jens Hansen \\(j\\.nr\\. 2027-123\\)`));
    await panel.getByText(`Kontrakten er opsagt og ophører ${da(end)}.`).waitFor();
    const decisions = page.getByRole("region", { name: "Beslutninger" });
    await decisions.getByText(`Opsigelse afgivet ${da(today)} af Jens Hansen (j.nr. 2027-123)`).waitFor();
    const history = page.getByRole("region", { name: "Historik" });
    await history.getByRole("heading", { name: /Opsigelse afgivet/ }).first().waitFor();
    await checkA11y(page, "/kontrakter/:id (opsagt)");
    await shot(page, "contract-after-notice-1280");

    assert.equal(await onOverblik(page, title), false, "the handled deadline has left Overblik");
    assert.deepEqual(problems.list, []);
    await context.close();
  });

  it("fits a phone: the panel and the dialog at 390 px", TIMEOUT, async () => {
    const title = `Fristtest mobil ${String(Date.now())}`;
    const { id } = await contractDueSoon(title);
    const { context, page, problems } = await newPage(browser, { width: 390, height: 844 });
    await login(page, DEMO.editor);
    await page.waitForURL((url) => url.pathname === "/overblik");
    await page.goto(`/kontrakter/${id}`);
    const panel = page.getByRole("region", { name: "Håndtér frist" });
    await panel.waitFor();
    await shot(page, "contract-panel-390");
    await panel.getByRole("button", { name: "Lad kontrakten løbe" }).click();
    const dialog = page.getByRole("dialog", { name: `Lad ${title} løbe` });
    await dialog.waitFor();
    await dialog.getByRole("button", { name: "Fortsæt" }).click();
    await dialog.getByTestId("decision-confirm").waitFor();
    assert.match(await dialog.innerText(), /markeres som håndteret/);
    await checkA11y(page, "Lad kontrakten løbe (bekræft, 390 px)");
    await shot(page, "continue-confirm-390");
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `no sideways scrolling (${String(width)} px)`);
    await dialog.getByRole("button", { name: "Bekræft" }).click();
    await page.locator(".alert-success", { hasText: "Besluttet at lade kontrakten løbe" }).waitFor();
    await shot(page, "contract-after-continue-390");
    assert.deepEqual(problems.list, []);
    await context.close();
  });
});
