// Browser tests of the list pages as a grid: choosing columns, compact
// rows, the totals row against the rows themselves, saved views (save,
// reload from the address, apply, delete), the view in the address, the
// print stylesheet, and the printable contract sheet on at most two A4 pages.

import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { axeLog, checkA11y, DEMO, launch, login, newPage, printAxeLog } from "./harness.ts";

const TIMEOUT = { timeout: 180_000 };

let browser: Browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser.close();
  printAxeLog();
});

/** Axe on a new state: nothing at all may be found, not just nothing serious. */
async function strictA11y(page: Page, name: string): Promise<void> {
  await checkA11y(page, name);
  const found = axeLog.at(-1)?.violations ?? [];
  assert.deepEqual(found, [], `axe found problems on ${name}`);
}

/** "1.234.567,89 kr." in øre. */
function ore(text: string): bigint {
  const m = /(-?[\d.]+),(\d{2}) kr\./.exec(text);
  assert.ok(m, `an amount: ${text}`);
  return BigInt(`${m[1]?.replace(/\./g, "") ?? ""}${m[2] ?? ""}`);
}

async function headers(page: Page, table: string): Promise<string[]> {
  return (await page.locator(`${table} thead th:not(.select-cell)`).allInnerTexts()).map((h) => h.replace(/[▲▼↕]/g, "").trim()).filter(Boolean);
}

/** Waits (up to 10 s) for the table's column headers to be `expected`. */
async function expectHeaders(page: Page, table: string, expected: readonly string[]): Promise<void> {
  let actual: string[] = [];
  for (let i = 0; i < 100; i++) {
    actual = await headers(page, table);
    if (JSON.stringify(actual) === JSON.stringify(expected)) return;
    await page.waitForTimeout(100);
  }
  assert.deepEqual(actual, expected);
}

async function waitForTable(page: Page, table: string): Promise<void> {
  await page.locator(`${table} tbody tr`).first().waitFor();
  await page.waitForFunction((selector) => document.querySelector(selector)?.closest("[aria-busy]")?.getAttribute("aria-busy") === "false", table);
}

describe("Kontrakter and It-systemer as a grid", () => {
  it("chooses columns, compact rows, totals, saved views and the view in the address", TIMEOUT, async () => {
    const { context, page, problems } = await newPage(browser);
    await login(page, DEMO.editor);
    await page.waitForURL((url) => url.pathname === "/overblik");
    await page.goto("/kontrakter?status=active&page_size=200");
    await waitForTable(page, ".contracts-table");
    await expectHeaders(page, ".contracts-table", [
      "Titel",
      "Leverandør",
      "Kontraktejer",
      "Status",
      "Udløber",
      "Opsigelsesfrist",
      "Årlig værdi",
    ]);

    // Columns: a disclosure of checkboxes; the choice joins the address.
    const chooser = page.getByRole("button", { name: /^Kolonner \(7 af 13\)/ });
    await chooser.click();
    assert.equal(await chooser.getAttribute("aria-expanded"), "true");
    const panel = page.locator(".column-chooser .grid-popover-panel");
    assert.equal(await panel.getByLabel(/^Titel/).isDisabled(), true);
    await strictA11y(page, "/kontrakter (kolonner)");
    await panel.getByLabel("Samlet værdi", { exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get("cols")?.includes("total_value") ?? false);
    await panel.getByLabel("Kontraktnummer", { exact: true }).focus();
    await page.keyboard.press("Space");
    await page.waitForURL((url) => url.searchParams.get("cols")?.includes("reference") ?? false);
    await panel.getByLabel("Kontraktejer", { exact: true }).click();
    await page.waitForURL((url) => !(url.searchParams.get("cols")?.includes("owner") ?? true));
    await page.keyboard.press("Escape");
    assert.equal(await panel.count(), 0);
    const chosen = ["Titel", "Kontraktnummer", "Leverandør", "Status", "Udløber", "Opsigelsesfrist", "Årlig værdi", "Samlet værdi"];
    await expectHeaders(page, ".contracts-table", chosen);

    // Compact rows: one line each.
    const compact = page.getByRole("button", { name: "Kompakte rækker" });
    await compact.click();
    await page.waitForURL((url) => url.searchParams.get("density") === "compact");
    await page.locator(".density-toggle[aria-pressed='true']").waitFor();
    await page.locator(".contracts-table.is-compact").waitFor();
    assert.equal(await page.locator(".contracts-table tbody .contract-reference").count(), 0);
    const heights = await page.locator(".contracts-table tbody tr").evaluateAll((rows) => rows.map((r) => r.getBoundingClientRect().height));
    assert.ok(Math.max(...heights) < 48, `one line per row: ${String(Math.max(...heights))}px`);
    await strictA11y(page, "/kontrakter (kompakt)");

    // Totals: everything the filters match, and the sum of the rows shown
    // (all of them fit on one page of 200).
    const status = await page.locator(".list-status").innerText();
    const count = Number(/af (\d+) kontrakter/.exec(status)?.[1] ?? /Viser (1) kontrakt/.exec(status)?.[1]);
    const footer = page.locator(".contracts-table tfoot .totals-row");
    assert.match(await footer.locator("th").innerText(), new RegExp(`I alt: ${String(count)} kontrakter`));
    const annualIndex = chosen.indexOf("Årlig værdi");
    const totalIndex = chosen.indexOf("Samlet værdi");
    const selectOffset = (await page.locator(".contracts-table thead th.select-cell").count()) > 0 ? 1 : 0;
    const rows = await page.locator(".contracts-table tbody tr").evaluateAll((trs) =>
      trs.map((tr) => Array.from(tr.children).map((cell) => (cell as HTMLElement).innerText.trim())),
    );
    assert.equal(rows.length, count);
    const sum = (index: number) =>
      rows.reduce((acc, cells) => {
        const text = cells[index + selectOffset] ?? "";
        return text.endsWith("kr.") ? acc + ore(text) : acc;
      }, 0n);
    const footCells = await footer.locator("th, td").allInnerTexts();
    assert.equal(ore(footCells[annualIndex + selectOffset] ?? ""), sum(annualIndex));
    assert.equal(ore(footCells[totalIndex + selectOffset] ?? ""), sum(totalIndex));

    // A filtered page's totals cover every page, not just the one shown.
    await page.goto(`/kontrakter?page_size=25&${new URL(page.url()).searchParams.toString().replace(/page_size=\d+&?/, "")}`);
    await waitForTable(page, ".contracts-table");
    assert.match(await page.locator(".contracts-table tfoot th").first().innerText(), new RegExp(`I alt: ${String(count)} kontrakter`));

    // Save the view under a name.
    const name = `Aktive kompakt ${String(Date.now())}`;
    const menu = page.getByRole("button", { name: /^Gemte visninger/ });
    await menu.click();
    await page.getByRole("button", { name: "Gem visning …" }).click();
    const dialog = page.getByRole("dialog", { name: "Gem visning" });
    await dialog.waitFor();
    await strictA11y(page, "/kontrakter (gem visning)");
    await dialog.getByRole("button", { name: "Gem" }).click();
    assert.match(await dialog.locator(".form-error-message").innerText(), /Udfyld navn/);
    await dialog.getByLabel("Navn").fill(name);
    await dialog.getByRole("button", { name: "Gem" }).click();
    await page.getByText(`Visningen »${name}« er gemt.`).waitFor();
    const saved = page.url();

    // The address alone opens the same view.
    await page.reload();
    await waitForTable(page, ".contracts-table");
    await expectHeaders(page, ".contracts-table", chosen);
    assert.equal(await page.locator(".contracts-table.is-compact").count(), 1);

    // Applying the saved view from the default list.
    await page.goto("/kontrakter");
    await waitForTable(page, ".contracts-table");
    assert.equal(await page.locator(".contracts-table.is-compact").count(), 0);
    await page.getByRole("button", { name: /^Gemte visninger/ }).click();
    await strictA11y(page, "/kontrakter (gemte visninger)");
    await page.getByRole("link", { name, exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get("density") === "compact" && url.searchParams.get("status") === "active");
    await waitForTable(page, ".contracts-table");
    await expectHeaders(page, ".contracts-table", chosen);
    assert.equal(new URL(saved).searchParams.get("cols"), new URL(page.url()).searchParams.get("cols"));

    // Another user of the municipality does not see it.
    const other = await newPage(browser);
    await login(other.page, DEMO.viewer);
    await other.page.waitForURL((url) => url.pathname === "/overblik");
    await other.page.goto("/kontrakter");
    await other.page.getByRole("button", { name: /^Gemte visninger/ }).click();
    await other.page.locator(".saved-views-menu .grid-popover-panel").waitFor();
    assert.equal(await other.page.getByRole("link", { name, exact: true }).count(), 0);
    await other.context.close();

    // An unknown column in the address is ignored.
    await page.goto("/kontrakter?cols=bogus,total_value,%3Cscript%3E");
    await waitForTable(page, ".contracts-table");
    await expectHeaders(page, ".contracts-table", ["Titel", "Samlet værdi"]);
    assert.match(await page.locator(".contracts-table tfoot th").first().innerText(), /Årlig værdi i alt: .* kr\./);

    // Print: the list, its title, filters and totals; no menu, filters or buttons.
    await page.goto(saved);
    await waitForTable(page, ".contracts-table");
    await page.emulateMedia({ media: "print" });
    for (const hidden of ["header.header", "form[role='search']", ".grid-tools", ".list-actions", ".pagination", "footer"]) {
      const shown = await page.locator(hidden).evaluateAll((els) => els.some((el) => (el as HTMLElement).offsetParent !== null));
      assert.equal(shown, false, `${hidden} is hidden in print`);
    }
    assert.equal(await page.getByRole("heading", { level: 1 }).isVisible(), true);
    assert.match(await page.locator(".list-print-filters").innerText(), /Filtre: Status: /);
    assert.equal(await page.locator(".contracts-table tfoot").isVisible(), true);
    const tableWidth = await page.locator(".contracts-table").evaluate((el) => el.getBoundingClientRect().width);
    const pageWidth = await page.evaluate(() => document.documentElement.clientWidth);
    assert.ok(tableWidth > pageWidth * 0.9, `full width: ${String(tableWidth)} of ${String(pageWidth)}`);
    const linkAfter = await page
      .locator(".contracts-table tbody a")
      .first()
      .evaluate((a) => getComputedStyle(a, "::after").content);
    assert.ok(linkAfter === "none" || linkAfter === "normal", `no address after links: ${linkAfter}`);
    await page.emulateMedia({ media: null });

    // Delete the saved view again.
    await page.getByRole("button", { name: /^Gemte visninger/ }).click();
    await page.getByRole("button", { name: `Slet ${name}` }).click();
    await page.getByRole("dialog", { name: "Slet visning" }).getByRole("button", { name: "Slet" }).click();
    await page.getByText(`Visningen »${name}« er slettet.`).waitFor();

    assert.deepEqual(problems.list, []);
    await context.close();
  });

  it("keeps columns, density and a saved view on It-systemer", TIMEOUT, async () => {
    const { context, page, problems } = await newPage(browser);
    await login(page, DEMO.viewer);
    await page.waitForURL((url) => url.pathname === "/overblik");
    await page.goto("/it-systemer");
    await waitForTable(page, ".systems-table");
    await page.getByRole("button", { name: /^Kolonner \(5 af 5\)/ }).click();
    await page.locator(".column-chooser .grid-popover-panel").getByLabel("Kategori", { exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get("cols") === "name,supplier,owner,status");
    await page.keyboard.press("Escape");
    await page.getByRole("button", { name: "Kompakte rækker" }).click();
    await page.waitForURL((url) => url.searchParams.get("density") === "compact");
    await page.locator(".systems-table.is-compact").waitFor();
    await expectHeaders(page, ".systems-table", ["Navn", "Leverandør", "Systemejer", "Status"]);
    await strictA11y(page, "/it-systemer (kolonner, kompakt)");

    const name = `Uden kategori ${String(Date.now())}`;
    await page.getByRole("button", { name: /^Gemte visninger/ }).click();
    await page.getByRole("button", { name: "Gem visning …" }).click();
    const dialog = page.getByRole("dialog", { name: "Gem visning" });
    await dialog.getByLabel("Navn").fill(name);
    await dialog.getByRole("button", { name: "Gem" }).click();
    await page.getByText(`Visningen »${name}« er gemt.`).waitFor();

    await page.goto("/it-systemer");
    await waitForTable(page, ".systems-table");
    assert.equal((await headers(page, ".systems-table")).length, 5);
    await page.getByRole("button", { name: /^Gemte visninger/ }).click();
    await page.getByRole("link", { name, exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get("density") === "compact");
    await waitForTable(page, ".systems-table");
    await expectHeaders(page, ".systems-table", ["Navn", "Leverandør", "Systemejer", "Status"]);

    await page.emulateMedia({ media: "print" });
    assert.equal(await page.locator("header.header").isVisible(), false);
    assert.equal(await page.locator(".grid-tools").isVisible(), false);
    assert.match(await page.locator(".list-print-filters").innerText(), /Alle it-systemer uden filtre/);
    await page.emulateMedia({ media: null });

    await page.getByRole("button", { name: /^Gemte visninger/ }).click();
    await page.getByRole("button", { name: `Slet ${name}` }).click();
    await page.getByRole("dialog", { name: "Slet visning" }).getByRole("button", { name: "Slet" }).click();
    await page.getByText(`Visningen »${name}« er slettet.`).waitFor();
    assert.deepEqual(problems.list, []);
    await context.close();
  });

  it("prints a contract sheet on at most two A4 pages", TIMEOUT, async () => {
    const { context, page, problems } = await newPage(browser);
    await login(page, DEMO.viewer);
    await page.waitForURL((url) => url.pathname === "/overblik");
    await page.goto("/kontrakter?sort=-annual_value");
    await waitForTable(page, ".contracts-table");
    const first = page.locator(".contracts-table tbody th a").first();
    const title = (await first.innerText()).trim();
    await first.click();
    await page.getByRole("link", { name: "Udskriv kontraktark" }).click();
    await page.waitForURL((url) => url.pathname.endsWith("/udskriv"));
    assert.equal((await page.getByRole("heading", { level: 1 }).innerText()).trim(), title);
    const sheet = await page.locator(".contract-sheet").innerText();
    assert.match(sheet, /Kontraktark · .+ Kommune/);
    for (const expected of ["CVR", "Opsigelsesfrist", "Genudbud skal begynde", "Udskrevet "]) {
      assert.ok(sheet.includes(expected), `the sheet shows ${expected}`);
    }
    assert.match(sheet, /\d{2}\.\d{2}\.\d{4}/);
    assert.match(sheet, /\d,\d{2} kr\./);
    await strictA11y(page, "/kontrakter/:id/udskriv");

    await page.emulateMedia({ media: "print" });
    assert.equal(await page.locator("header.header").isVisible(), false);
    assert.equal(await page.getByRole("button", { name: "Udskriv" }).isVisible(), false);
    await page.emulateMedia({ media: null });
    const pdf = await page.pdf({ format: "A4", printBackground: true, preferCSSPageSize: true });
    if (process.env.SAMUDBUD_SHOTS_DIR) writeFileSync(join(process.env.SAMUDBUD_SHOTS_DIR, "contract-sheet.pdf"), pdf);
    const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
    assert.ok(pages >= 1 && pages <= 2, `the sheet takes ${String(pages)} A4 pages`);
    assert.deepEqual(problems.list, []);
    await context.close();
  });
});
