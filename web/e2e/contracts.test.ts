// Browser tests of the contract pages: an editor creates a contract (supplier
// by CVR, an IT system, Danish amounts, dates), sees the derived dates,
// edits it, uploads an attachment and is refused a stale edit; an admin
// shares it with the demo collaboration; Ringsted's viewer finds it by
// searching, sees it marked as shared by Sorø and has no edit actions.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { changeBehindTheBrowser, checkA11y, DEMO, launch, login, newPage, printAxeLog } from "./harness.ts";

const TIMEOUT = { timeout: 180_000 };
const COLLABORATION = "Midtsjællands IT-samarbejde";
const RINGSTED_VIEWER = "laeser@ringsted.dk";

let browser: Browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser.close();
  printAxeLog();
});

/** Changes the contract's notes behind the browser's back, as another user would. */
async function changeThroughApi(id: string, notes: string): Promise<void> {
  type Read = Record<string, unknown> & { supplier: { id: string }; systems: { id: string }[] };
  await changeBehindTheBrowser<Read>(`/contracts/${id}`, (c) => {
    const input: Record<string, unknown> = {};
    for (const key of [
      "title",
      "reference",
      "start_on",
      "end_on",
      "annual_value",
      "total_value",
      "notice_period_months",
      "option_months",
      "options_total",
      "options_exercised",
      "contract_type",
      "criticality",
      "notice_to",
      "retender_lead_months",
    ]) {
      if (c[key] !== null && c[key] !== undefined) input[key] = c[key];
    }
    return { ...input, supplier_id: c.supplier.id, system_ids: c.systems.map((s) => s.id), notes };
  });
}

async function loginAs(email: string): Promise<{ page: Page; close: () => Promise<void>; problems: string[] }> {
  const { context, page, problems } = await newPage(browser);
  await login(page, email);
  await page.waitForURL((url) => url.pathname !== "/login");
  return { page, close: () => context.close(), problems: problems.list };
}

function keyDate(page: Page, label: string) {
  return page.locator(".key-date").filter({ hasText: label }).locator(".key-date-value");
}

function fact(page: Page, label: string) {
  return page.locator(".contract-fact").filter({ has: page.locator("dt", { hasText: label }) }).locator("dd");
}

describe("Kontrakter", () => {
  const title = `Testkontrakt ${String(Date.now())}`;
  let id = "";

  it("lets an editor create, edit and attach a file to a contract; bad CVR and stale edits are refused", TIMEOUT, async () => {
    const { page, close, problems } = await loginAs(DEMO.editor);
    await page.goto("/kontrakter");
    await page.locator(".contracts-table tbody tr").first().waitFor();
    assert.match(await page.locator(".list-status").innerText(), /Viser 1–\d+ af \d+ kontrakter/);
    await checkA11y(page, "/kontrakter (redaktør)");

    // Sorting by a column marks it with aria-sort and keeps it in the address.
    await page.locator("thead").getByRole("link", { name: /^Årlig værdi/ }).click();
    await page.waitForURL((url) => url.searchParams.get("sort") === "annual_value");
    await page.locator('th[aria-sort="ascending"]', { hasText: "Årlig værdi" }).waitFor();
    await checkA11y(page, "/kontrakter?sort=annual_value");

    await page.getByRole("link", { name: "Opret kontrakt" }).click();
    await page.waitForURL((url) => url.pathname === "/kontrakter/ny");
    await page.locator("#contract-system_ids").waitFor();
    await checkA11y(page, "/kontrakter/ny");

    // Submitting empty names the missing fields beside them and in the summary.
    await page.getByRole("button", { name: "Opret kontrakt" }).click();
    const summary = page.locator(".error-summary");
    await summary.waitFor();
    const summaryText = await summary.innerText();
    assert.match(summaryText, /Udfyld titel\./);
    assert.match(summaryText, /Udfyld startdato\./);
    assert.match(summaryText, /Vælg leverandøren/);
    assert.equal(await page.locator("#contract-title").getAttribute("aria-invalid"), "true");
    await checkA11y(page, "/kontrakter/ny (fejl)");

    // An invalid CVR number is caught before asking the server.
    await page.locator("#contract-cvr").fill("12345678");
    await page.getByRole("button", { name: "Find leverandør" }).click();
    await page.locator("#contract-cvr-error").filter({ hasText: "kontrolcifferet passer ikke" }).waitFor();
    assert.equal(await page.locator("#contract-cvr").getAttribute("aria-invalid"), "true");
    await checkA11y(page, "/kontrakter/ny (ugyldigt CVR-nummer)");

    await page.locator("#contract-title").fill(title);
    await page.locator("#contract-reference").fill("TEST-1");
    await page.locator("#contract-cvr").fill("27654312");
    await page.getByRole("button", { name: "Find leverandør" }).click();
    await page.locator(".supplier-found", { hasText: "Midtpunkt Løn A/S (CVR 27654312)" }).waitFor();
    await page.locator("#contract-system_ids").getByLabel("Backup", { exact: true }).check();
    await page.locator("#contract-agreement_elements").getByLabel("Drift", { exact: true }).check();
    await page.locator("#contract-annual_value").fill("1.234.567,89");
    await page.locator("#contract-total_value").fill("4.500.000");
    await page.locator("#contract-start_on").fill("01.01.2025");
    await page.locator("#contract-end_on").fill("30.06.2027");
    await page.locator("#contract-option_months").fill("12");
    await page.locator("#contract-options_total").fill("1");
    await page.locator("#contract-options_exercised").fill("0");
    await page.locator("#contract-notice_period_months").fill("6");
    await page.getByRole("button", { name: "Opret kontrakt" }).click();

    await page.waitForURL((url) => /^\/kontrakter\/[0-9a-f-]{36}$/.test(url.pathname));
    id = new URL(page.url()).pathname.split("/").pop() ?? "";
    await page.getByRole("heading", { level: 1, name: title }).waitFor();
    await page.getByText("Kontrakten er oprettet.").waitFor();
    // Derived: notice deadline = end − 6 months; re-tender = that − 12 months; options of 12 months.
    assert.match(await keyDate(page, "Opsigelsesfrist").innerText(), /31\.12\.2026/);
    assert.match(await keyDate(page, "Genudbud skal begynde").innerText(), /31\.12\.2025/);
    assert.match(await keyDate(page, "Udløber (med udnyttede optioner)").innerText(), /30\.06\.2027/);
    assert.match(await keyDate(page, "Seneste udløb (alle optioner)").innerText(), /30\.06\.2028/);
    assert.equal(await fact(page, "Årlig værdi").innerText(), "1.234.567,89 kr.");
    assert.equal(await fact(page, "Samlet værdi").innerText(), "4.500.000,00 kr.");
    assert.match(await fact(page, "Leverandør").first().innerText(), /Midtpunkt Løn A\/S \(CVR 27654312\)/);
    assert.match((await page.locator(".contract-fact").getByRole("link", { name: "Backup" }).getAttribute("href")) ?? "", /^\/it-systemer\/[0-9a-f-]{36}$/);
    await checkA11y(page, "/kontrakter/:id (oprettet)");

    // Edit: change a value, typed the Danish way.
    await page.getByRole("link", { name: "Redigér" }).click();
    await page.waitForURL((url) => url.pathname === `/kontrakter/${id}/rediger`);
    const annual = page.locator("#contract-annual_value");
    await annual.waitFor();
    assert.equal(await annual.inputValue(), "1.234.567,89");
    await checkA11y(page, "/kontrakter/:id/rediger");
    await annual.fill("2.000.000,5");
    await page.getByRole("button", { name: "Gem ændringer" }).click();
    await page.waitForURL((url) => url.pathname === `/kontrakter/${id}`);
    await page.getByText("Ændringerne er gemt.").waitFor();
    assert.equal(await fact(page, "Årlig værdi").innerText(), "2.000.000,50 kr.");
    // The history shows the change, before and after.
    const change = page.locator(".history-table tr", { hasText: "Årlig værdi" }).first();
    await change.waitFor();
    assert.match(await change.innerText(), /1\.234\.567,89 kr\.\s+2\.000\.000,50 kr\./);
    assert.match(await page.locator(".history-entry").first().innerText(), /Ændret – .* af Rasmus Redaktør/);

    // Attachments: a wrong type is refused with a clear message, a small PDF is listed.
    const fileInput = page.locator("#attachment-file");
    await fileInput.setInputFiles({ name: "noter.txt", mimeType: "text/plain", buffer: Buffer.from("hej") });
    await page.getByRole("button", { name: "Upload" }).click();
    await page.locator("#attachment-file-error", { hasText: "er ikke en PDF-, DOCX- eller XLSX-fil" }).waitFor();
    await checkA11y(page, "/kontrakter/:id (forkert filtype)");
    const pdf = Buffer.from(
      "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
    );
    await fileInput.setInputFiles({ name: "underskrevet-kontrakt.pdf", mimeType: "application/pdf", buffer: pdf });
    await page.getByRole("button", { name: "Upload" }).click();
    await page.locator(".attachments-table tbody tr", { hasText: "underskrevet-kontrakt.pdf" }).waitFor();
    await page.getByText("underskrevet-kontrakt.pdf er tilføjet.").waitFor();
    assert.match(await page.locator(".attachments-table tbody tr").first().innerText(), /\d+ B/);
    await checkA11y(page, "/kontrakter/:id (med bilag)");

    // A stale edit: someone changes the contract while the form is open.
    await page.getByRole("link", { name: "Redigér" }).click();
    await page.locator("#contract-annual_value").waitFor();
    await changeThroughApi(id, "Ændret af en anden");
    await page.locator("#contract-reference").fill("TEST-2");
    await page.getByRole("button", { name: "Gem ændringer" }).click();
    const stale = page.locator(".alert-error", { hasText: "ændret af en anden" });
    await stale.waitFor();
    assert.equal(new URL(page.url()).pathname, `/kontrakter/${id}/rediger`);
    await checkA11y(page, "/kontrakter/:id/rediger (ændret af en anden)");
    await stale.getByRole("button", { name: "Indlæs kontrakten igen" }).click();
    await page.locator("#contract-notes").filter({ hasText: "Ændret af en anden" }).waitFor();
    assert.equal(await page.locator("#contract-reference").inputValue(), "TEST-1");

    assert.deepEqual(problems, []);
    await close();
  });

  it("lets an admin share the contract with the collaboration", TIMEOUT, async () => {
    assert.ok(id, "the contract was created");
    const { page, close, problems } = await loginAs(DEMO.admin);
    await page.goto(`/kontrakter/${id}`);
    await page.locator("#share-collaboration").waitFor();
    assert.match(await page.locator("#sharing-heading + p + *").innerText(), /Kontrakten er ikke delt/);
    await checkA11y(page, "/kontrakter/:id (administrator)");
    await page.locator("#share-collaboration").selectOption({ label: COLLABORATION });
    await page.getByRole("button", { name: "Del kontrakt" }).click();
    await page.getByText(`Kontrakten er delt med ${COLLABORATION}.`).waitFor();
    await page.locator(".share-list", { hasText: COLLABORATION }).waitFor();
    await checkA11y(page, "/kontrakter/:id (delt)");
    assert.deepEqual(problems, []);
    await close();
  });

  it("lets Ringsted's viewer find the shared contract, read-only", TIMEOUT, async () => {
    assert.ok(id, "the contract was created");
    const { page, close, problems } = await loginAs(RINGSTED_VIEWER);
    await page.goto("/kontrakter");
    await page.locator("#contract-q").waitFor();
    assert.equal(await page.getByRole("link", { name: "Opret kontrakt" }).count(), 0);
    await page.locator("#contract-q").fill(title);
    // The list shows the municipality's own contracts unless shared ones are asked for.
    await page.locator(".contract-search-row").getByRole("button", { name: "Søg" }).click();
    await page.waitForURL((url) => url.searchParams.get("q") === title);
    await page.locator(".contract-list .alert").waitFor();
    assert.equal(await page.locator(".contracts-table tbody tr", { hasText: title }).count(), 0);
    await page.locator("#contract-scope").selectOption("all");
    await page.locator(".contract-search-row").getByRole("button", { name: "Søg" }).click();
    await page.waitForURL((url) => url.searchParams.get("scope") === "all");
    const row = page.locator(".contracts-table tbody tr", { hasText: title });
    await row.waitFor();
    assert.equal(await page.locator(".contracts-table tbody tr").count(), 1);
    assert.match(await row.innerText(), /Delt af Sorø Kommune/);
    await checkA11y(page, "/kontrakter?q=… (læser i Ringsted)");

    await row.getByRole("link", { name: title }).click();
    await page.waitForURL((url) => url.pathname === `/kontrakter/${id}`);
    await page.locator(".alert-info", { hasText: "Delt af Sorø Kommune" }).waitFor();
    assert.equal(await page.getByRole("link", { name: "Redigér" }).count(), 0);
    assert.equal(await page.getByRole("button", { name: "Arkivér" }).count(), 0);
    assert.equal(await page.locator("#attachments-heading").count(), 0);
    assert.equal(await page.locator("#sharing-heading").count(), 0);
    assert.equal(await fact(page, "Årlig værdi").innerText(), "2.000.000,50 kr.");
    await checkA11y(page, "/kontrakter/:id (delt, læser i Ringsted)");

    // The collaboration's page lists it among what the members share, with its owner.
    await page.goto("/faellesskaber");
    await page.getByRole("link", { name: COLLABORATION, exact: true }).click();
    const shared = page.locator(".side-table tbody tr", { hasText: title });
    await shared.waitFor();
    assert.match(await shared.innerText(), /Sorø Kommune/);
    await checkA11y(page, "/faellesskaber/:id (delte kontrakter, læser i Ringsted)");

    // The writing pages say which role they need.
    await page.goto(`/kontrakter/${id}/rediger`);
    await page.getByText("kræver rollen redaktør eller administrator").waitFor();
    await checkA11y(page, "/kontrakter/:id/rediger (læser)");

    // An empty search result says what to do next.
    await page.goto("/kontrakter?q=findes-ikke-xyz");
    await page.getByText("Ingen kontrakter passer til søgningen.").waitFor();
    await checkA11y(page, "/kontrakter (ingen resultater)");
    assert.deepEqual(problems, []);
    await close();
  });

  it("lets an editor archive and restore the contract after confirming", TIMEOUT, async () => {
    assert.ok(id, "the contract was created");
    const { page, close, problems } = await loginAs(DEMO.editor);
    await page.goto(`/kontrakter/${id}`);
    // Deleting an attachment asks first.
    const attachment = page.locator(".attachments-table tbody tr", { hasText: "underskrevet-kontrakt.pdf" });
    await attachment.getByRole("button", { name: /Slet/ }).click();
    await page.getByRole("dialog", { name: "Slet underskrevet-kontrakt.pdf?" }).getByRole("button", { name: "Slet bilag" }).click();
    await page.getByText("underskrevet-kontrakt.pdf er slettet.").waitFor();
    await page.getByText("Der er ingen bilag endnu.").waitFor();
    assert.match(await page.locator(".history-entry").first().innerText(), /Bilag fjernet[\s\S]*Fil: underskrevet-kontrakt\.pdf/);

    await page.getByRole("button", { name: "Arkivér" }).click();
    const dialog = page.getByRole("dialog", { name: `Arkivér ${title}?` });
    await dialog.waitFor();
    await checkA11y(page, "/kontrakter/:id (arkivér?)");
    await dialog.getByRole("button", { name: "Arkivér kontrakt" }).click();
    await page.getByText("Kontrakten er arkiveret.").waitFor();
    await page.locator(".alert-warning", { hasText: "Kontrakten er arkiveret" }).waitFor();
    assert.equal(await page.getByRole("link", { name: "Redigér" }).count(), 0);
    await checkA11y(page, "/kontrakter/:id (arkiveret)");

    // Archived contracts leave the list unless asked for.
    await page.goto(`/kontrakter?q=${encodeURIComponent(title)}`);
    await page.getByText("Ingen kontrakter passer til søgningen.").waitFor();
    await page.goto(`/kontrakter?q=${encodeURIComponent(title)}&include_archived=true`);
    await page.locator(".contracts-table tbody tr", { hasText: "Arkiveret" }).waitFor();

    await page.goto(`/kontrakter/${id}`);
    await page.getByRole("button", { name: "Gendan" }).click();
    await page.getByRole("dialog", { name: `Gendan ${title}?` }).getByRole("button", { name: "Gendan kontrakt" }).click();
    await page.getByText("Kontrakten er gendannet.").waitFor();
    await page.getByRole("link", { name: "Redigér" }).waitFor();
    assert.deepEqual(problems, []);
    await close();
  });
});
