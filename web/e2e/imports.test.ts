// Importing and exporting the contract register. Sorø's editor opens the
// import wizard from the contract list, uploads a register, checks the
// columns found and the suggested mapping (and that a field mapped twice is
// an error shown at the field), tries the import, imports only the valid
// rows and finds the new contracts in the list. The list's export then gives
// an Excel file (a zip) and a CSV file (UTF-8 with BOM, ";"-separated).
//   SAMUDBUD_BASE_URL=http://127.0.0.1:8080 node --import tsx --test e2e/imports.test.ts

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, Download, Page } from "playwright-core";
import { apiToken, BASE_URL, checkA11y, DEMO, launch, login, newPage, printAxeLog } from "./harness.ts";

const TIMEOUT = { timeout: 240_000 };
const SAMPLE_CSV = join(import.meta.dirname, "..", "..", "tests", "imports", "eksempel-kontraktregister.csv");

let browser: Browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser.close();
  printAxeLog();
});

/** A CVR number with a valid check digit (weights 2, 7, 6, 5, 4, 3, 2, 1; sum divisible by 11). */
function cvr(seed: number): string {
  const weights = [2, 7, 6, 5, 4, 3, 2];
  for (let n = seed; ; n += 1) {
    const digits = String(1_000_000 + (n % 9_000_000)).split("").map(Number);
    const sum = digits.reduce((acc, d, i) => acc + d * (weights[i] ?? 0), 0);
    const check = (11 - (sum % 11)) % 11;
    if (check < 10) return `${digits.join("")}${String(check)}`;
  }
}

/** A small register in the export's own columns: two good rows and one with an unreadable start date. */
function register(tag: string): string {
  const supplier = cvr(Date.now() % 9_000_000);
  const rows = [
    ["Titel", "Referencenummer", "Leverandør CVR", "Leverandør", "Startdato", "Slutdato", "Årlig værdi (kr.)", "Noter"],
    [`Importeret drift ${tag}`, `IMP-${tag}-1`, supplier, `Importleverandøren ${tag} ApS`, "01.02.2025", "31.01.2029", "125.000,00", "Fra regneark"],
    [`Importeret support ${tag}`, `IMP-${tag}-2`, supplier, `Importleverandøren ${tag} ApS`, "2025-03-01", "", "48000", ""],
    [`Importeret fejl ${tag}`, `IMP-${tag}-3`, supplier, `Importleverandøren ${tag} ApS`, "31.02.2025", "", "", ""],
  ];
  return `${rows.map((r) => r.join(";")).join("\r\n")}\r\n`;
}

async function stepHeading(page: Page, name: string): Promise<void> {
  await page.getByRole("heading", { level: 2, name }).waitFor();
  // Focus moves to the new step's heading.
  const focused = await page.evaluate(() => document.activeElement?.textContent ?? "");
  assert.equal(focused, name);
}

async function downloadBytes(download: Download): Promise<Buffer> {
  const path = await download.path();
  return readFileSync(path);
}

describe("kontraktimport og eksport", () => {
  it("imports a register through the wizard and exports the list as Excel and CSV", TIMEOUT, async () => {
    const tag = String(Date.now()).slice(-7);
    const { context, page, problems } = await newPage(browser);
    await login(page, DEMO.editor);
    await page.waitForURL((url) => url.pathname !== "/login");

    await page.goto("/kontrakter");
    await page.getByRole("link", { name: "Importér kontrakter" }).click();
    await page.getByRole("heading", { level: 1, name: "Importér kontrakter" }).waitFor();
    const steps = page.getByRole("navigation", { name: "Trin i importen" });
    assert.equal(await steps.getByRole("listitem").count(), 6);
    await checkA11y(page, "/kontrakter/import (upload)");

    // 1. Upload. Reading without a file says what is missing, at the field.
    await page.getByRole("button", { name: "Læs filen" }).click();
    await page.locator("#import-file-error").getByText("Vælg en fil.").waitFor();
    await page.locator("#import-file").setInputFiles({
      name: `kontrakter-${tag}.csv`,
      mimeType: "text/csv",
      buffer: Buffer.from(register(tag), "utf8"),
    });
    await page.getByText(`Valgt fil: kontrakter-${tag}.csv`).waitFor();
    await page.getByRole("button", { name: "Læs filen" }).click();

    // 2. The columns found, with samples and the suggested field.
    await stepHeading(page, "Kolonner i filen");
    const columns = page.locator("table.import-columns");
    assert.equal(await columns.locator("tbody tr").count(), 8);
    const titleRow = columns.locator("tbody tr").filter({ has: page.getByRole("rowheader", { name: "Titel", exact: true }) });
    await titleRow.getByText(`Importeret drift ${tag}`).waitFor();
    assert.equal((await titleRow.locator("td").last().textContent())?.trim(), "Titel");
    const cvrRow = columns.locator("tbody tr").filter({ has: page.getByRole("rowheader", { name: "Leverandør CVR" }) });
    assert.equal((await cvrRow.locator("td").last().textContent())?.trim(), "Leverandørens CVR-nummer");
    await checkA11y(page, "/kontrakter/import (columns)");
    await page.getByRole("button", { name: "Næste trin" }).click();

    // 3. The mapping: suggestions chosen; a field chosen twice is an error at both fields.
    await stepHeading(page, "Tilknyt felter");
    assert.equal(await page.getByLabel("Felt for »Titel«").inputValue(), "title");
    assert.equal(await page.getByLabel("Felt for »Leverandør CVR«").inputValue(), "supplier_cvr");
    assert.equal(await page.getByLabel("Felt for »Startdato«").inputValue(), "start_on");
    await page.getByLabel("Felt for »Noter«").selectOption("title");
    await page.locator(".import-mapping .form-error").first().waitFor();
    assert.equal(await page.locator(".import-mapping .form-error").count(), 2);
    await page.getByText("Titel er også valgt for »Noter«").waitFor();
    await checkA11y(page, "/kontrakter/import (mapping, duplicate)");
    await page.getByLabel("Felt for »Noter«").selectOption("notes");
    assert.equal(await page.locator(".import-mapping .form-error").count(), 0);

    // Stepping back to the columns and forward again keeps the choice.
    await steps.getByRole("button", { name: /Kolonner i filen/ }).click();
    await stepHeading(page, "Kolonner i filen");
    await page.getByRole("button", { name: "Næste trin" }).click();
    await stepHeading(page, "Tilknyt felter");
    assert.equal(await page.getByLabel("Felt for »Noter«").inputValue(), "notes");

    // 4. The trial: counts and the row that fails, nothing saved.
    await page.getByRole("button", { name: "Prøv importen" }).click();
    await stepHeading(page, "Prøv importen");
    await page.getByText("Der er ikke gemt noget endnu.").waitFor();
    const counts = page.locator("dl.import-counts");
    assert.equal((await counts.locator("div").filter({ hasText: "Rækker i alt" }).locator("dd").textContent())?.trim(), "3");
    assert.equal((await counts.locator("div").filter({ hasText: "Gyldige rækker" }).locator("dd").textContent())?.trim(), "2");
    const errors = page.locator("table.import-errors");
    await errors.getByRole("rowheader", { name: "4" }).waitFor();
    const errorRow = errors.locator("tbody tr").first();
    assert.equal((await errorRow.locator("td").first().textContent())?.trim(), "Startdato");
    assert.equal((await errorRow.locator("td").nth(1).textContent())?.trim(), "31.02.2025");
    await checkA11y(page, "/kontrakter/import (trial)");
    const token = await apiToken(DEMO.editor);
    const saved = await fetch(`${BASE_URL}/api/v1/contracts?q=IMP-${tag}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(saved.status, 200);
    assert.equal(((await saved.json()) as { total: number }).total, 0, "a trial saves nothing");
    await page.getByRole("button", { name: "Næste trin" }).click();

    // 5. Import only the valid rows, with a progress bar while the job runs.
    await stepHeading(page, "Importér");
    assert.equal(await page.getByLabel("Alt eller intet").isChecked(), true);
    await page.getByLabel("Importér kun de gyldige rækker").check();
    await page.getByRole("button", { name: "Importér kontrakterne" }).click();

    // 6. The result.
    await stepHeading(page, "Resultat");
    await page.getByText("2 kontrakter er importeret.").waitFor();
    await page.locator(".import-created").filter({ hasText: "Nye leverandører" }).getByText(`Importleverandøren ${tag} ApS`).waitFor();
    await checkA11y(page, "/kontrakter/import (result)");
    const rejectedDownload = page.waitForEvent("download");
    await page.getByRole("button", { name: "Hent afviste rækker (CSV)" }).click();
    const rejected = (await downloadBytes(await rejectedDownload)).toString("utf8");
    assert.match(rejected, /Fejl/);
    assert.match(rejected, new RegExp(`IMP-${tag}-3`));

    await page.getByRole("link", { name: "Gå til kontraktregistret" }).click();
    await page.getByRole("heading", { level: 1, name: "Kontrakter" }).waitFor();
    await page.getByLabel("Søg", { exact: true }).fill(`IMP-${tag}`);
    await page.getByRole("search").getByRole("button", { name: "Søg" }).first().click();
    await page.getByRole("link", { name: `Importeret drift ${tag}` }).waitFor();
    await page.getByRole("link", { name: `Importeret support ${tag}` }).waitFor();
    assert.equal(await page.getByRole("link", { name: `Importeret fejl ${tag}` }).count(), 0);

    // The export follows the list's search: Excel …
    const exportButton = page.getByRole("button", { name: "Eksportér listen" });
    await exportButton.click();
    await checkA11y(page, "/kontrakter (export menu)");
    const xlsxDownload = page.waitForEvent("download");
    await page.getByRole("button", { name: "Excel (.xlsx)" }).click();
    const xlsx = await xlsxDownload;
    assert.match(xlsx.suggestedFilename(), /\.xlsx$/);
    assert.match(xlsx.suggestedFilename(), /kontrakt/i);
    const xlsxBytes = await downloadBytes(xlsx);
    assert.ok(xlsxBytes.length > 100, "the Excel file is not empty");
    assert.deepEqual([...xlsxBytes.subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04], "an XLSX file is a zip");

    // … and CSV: UTF-8 with BOM, ";"-separated, the register's headers, only the searched contracts.
    await exportButton.click();
    const csvDownload = page.waitForEvent("download");
    await page.getByRole("button", { name: "CSV (.csv)" }).click();
    const csv = await csvDownload;
    assert.match(csv.suggestedFilename(), /\.csv$/);
    const csvBytes = await downloadBytes(csv);
    assert.deepEqual([...csvBytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], "the CSV file starts with a BOM");
    const lines = csvBytes.subarray(3).toString("utf8").split(/\r?\n/).filter((l) => l !== "");
    const header = lines[0] ?? "";
    assert.ok(header.startsWith("Titel;"), header);
    assert.ok(header.includes(";Leverandør CVR;"), header);
    assert.equal(lines.length, 3, "the header and the two contracts the search finds");

    assert.deepEqual(problems.list, []);
    await context.close();
  });

  it("offers the import to editors only", TIMEOUT, async () => {
    const { context, page } = await newPage(browser);
    await login(page, DEMO.viewer);
    await page.waitForURL((url) => url.pathname !== "/login");
    await page.goto("/kontrakter");
    await page.getByRole("heading", { level: 1, name: "Kontrakter" }).waitFor();
    await page.getByRole("button", { name: "Eksportér listen" }).waitFor();
    assert.equal(await page.getByRole("link", { name: "Importér kontrakter" }).count(), 0);
    await context.close();
  });

  it("reads the sample register", TIMEOUT, async () => {
    const { context, page } = await newPage(browser);
    await login(page, DEMO.editor);
    await page.waitForURL((url) => url.pathname !== "/login");
    await page.goto("/kontrakter/import");
    await page.locator("#import-file").setInputFiles(SAMPLE_CSV);
    await page.getByRole("button", { name: "Læs filen" }).click();
    await stepHeading(page, "Kolonner i filen");
    assert.ok((await page.locator("table.import-columns tbody tr").count()) > 5);
    await page.getByRole("button", { name: "Næste trin" }).click();
    await stepHeading(page, "Tilknyt felter");
    assert.equal(await page.getByLabel("Felt for »Titel«").inputValue(), "title");
    await page.getByRole("button", { name: "Prøv importen" }).click();
    await stepHeading(page, "Prøv importen");
    await context.close();
  });
});
