// Kontrakter side om side: Sorø's admin opens the demo collaboration, groups
// the members' shared contracts by supplier and checks a subtotal against
// the rows above it, sorts by a column, and invites Holbæk found by name
// (picked with the keyboard) and Slagelse by its code.
//   SAMUDBUD_BASE_URL=http://127.0.0.1:8080 node --import tsx --test e2e/side_by_side.test.ts
// With SAMUDBUD_SCREENSHOTS=DIR it also saves the page at 1280 and 390 px.

import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, Locator, Page } from "playwright-core";
import { checkA11y, DEMO, launch, login, newPage, printAxeLog } from "./harness.ts";

const TIMEOUT = { timeout: 240_000 };
const COLLABORATION = "Midtsjællands IT-samarbejde";

let browser: Browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser.close();
  printAxeLog();
});

/** "1.234.567,89 kr." in øre; 0 for an empty cell. */
function ore(text: string): bigint {
  const cleaned = text.replace(/\s|kr\./g, "");
  if (cleaned === "") return 0n;
  const match = /^(-?)([\d.]+),(\d{2})$/.exec(cleaned);
  assert.ok(match, `an amount: ${text}`);
  const [, sign, kroner = "0", decimals = "00"] = match;
  const value = BigInt(kroner.replaceAll(".", "") + decimals);
  return sign === "-" ? -value : value;
}

async function columnIndex(table: Locator, name: string): Promise<number> {
  const headers = await table.locator("thead th").allInnerTexts();
  const index = headers.findIndex((h) => h.startsWith(name));
  assert.ok(index >= 0, `column ${name} in ${headers.join(" | ")}`);
  return index;
}

async function openCollaboration(page: Page): Promise<void> {
  await page.goto("/faellesskaber");
  await page.locator(".collaborations-table").getByRole("link", { name: COLLABORATION }).click();
  await page.getByRole("heading", { level: 2, name: "Kontrakter side om side" }).waitFor();
  await page.locator("table.side-table").waitFor();
}

describe("kontrakter side om side", () => {
  it("groups the shared contracts by supplier with subtotals and invites a municipality by name", TIMEOUT, async () => {
    const { context, page, problems } = await newPage(browser);
    await login(page, DEMO.admin);
    await page.waitForURL((url) => url.pathname !== "/login");
    await openCollaboration(page);
    const table = page.locator("table.side-table");

    // Every contract has an end: a date, or Løbende for a running one.
    const endColumn = await columnIndex(table, "Udløber");
    const rows = table.locator("tbody tr:not(.group-row):not(.subtotal-row)");
    assert.ok((await rows.count()) >= 3, "the demo members share contracts");
    for (const end of await rows.locator(`td:nth-child(${String(endColumn + 1)})`).allInnerTexts()) {
      assert.match(end.trim(), /^(\d\d\.\d\d\.\d{4}|Løbende)$/);
    }
    await table.locator("tfoot .totals-row").getByText(/^I alt, alle \d+ kontrakter$/).waitFor();
    await checkA11y(page, "/faellesskaber/:id (side om side)");

    // Grouped by supplier: a header per supplier, and its subtotal adds up the rows above it.
    await page.getByLabel("Gruppering").selectOption({ label: "Leverandør" });
    await page.waitForURL(/group_by=supplier/);
    const firstGroup = table.locator("tbody tr.group-row").first();
    await firstGroup.waitFor();
    const annualColumn = await columnIndex(table, "Årlig værdi");
    const body: { kind: string; cells: string[] }[] = await table.locator("tbody tr").evaluateAll((trs) =>
      trs.map((tr) => ({ kind: tr.getAttribute("class") ?? "", cells: Array.from(tr.children).map((c) => (c as HTMLElement).innerText) })),
    );
    assert.match(body[0]?.kind ?? "", /group-row/);
    const end = body.findIndex((row) => row.kind.includes("subtotal-row"));
    assert.ok(end > 1, "the first group has rows and a subtotal");
    const sum = body.slice(1, end).reduce((total, row) => total + ore(row.cells[annualColumn] ?? ""), 0n);
    const subtotal = body[end]?.cells ?? [];
    assert.match(subtotal[0] ?? "", /^I alt for /);
    // The sum row's label spans the first five columns.
    assert.equal(ore(subtotal[annualColumn - 4] ?? ""), sum, "the subtotal adds up its rows");
    assert.match(await firstGroup.innerText(), /CVR-nr\. \d{8}/);
    await checkA11y(page, "/faellesskaber/:id (side om side, grupperet efter leverandør)");

    // Sorting by a column says so to assistive technology and stays in the address.
    const annualHeader = table.locator("thead th", { hasText: "Årlig værdi" });
    await annualHeader.getByRole("link").click();
    await page.waitForURL(/sort=annual_value/);
    // The header says so once the sorted rows are shown.
    await table.locator('thead th[aria-sort="ascending"]', { hasText: "Årlig værdi" }).waitFor();
    await annualHeader.getByRole("link").click();
    await page.waitForURL(/sort=-annual_value/);
    await table.locator('thead th[aria-sort="descending"]', { hasText: "Årlig værdi" }).waitFor();
    assert.match(page.url(), /group_by=supplier/);

    if (process.env.SAMUDBUD_SCREENSHOTS) {
      for (const [width, height] of [
        [1280, 900],
        [390, 844],
      ] as const) {
        await page.setViewportSize({ width, height });
        await page.screenshot({
          path: join(process.env.SAMUDBUD_SCREENSHOTS, `side-by-side-${String(width)}.png`),
          fullPage: true,
        });
      }
      await page.setViewportSize({ width: 1280, height: 900 });
    }

    // Holbæk is found by name and picked with the keyboard.
    const field = page.getByRole("combobox", { name: "Kommune" });
    await field.fill("Holbæk");
    const option = page.getByRole("option", { name: /Holbæk Kommune/ });
    await option.waitFor();
    await checkA11y(page, "/faellesskaber/:id (kommuneforslag)");
    await field.press("ArrowDown");
    assert.equal(await option.getAttribute("aria-selected"), "true");
    await field.press("Enter");
    assert.equal(await field.inputValue(), "Holbæk Kommune");
    await page.getByRole("button", { name: "Send invitation" }).click();
    await page.getByText("Holbæk Kommune er inviteret til fællesskabet.").waitFor();
    const holbaek = page.locator("table.members-table tbody tr").filter({ hasText: "Holbæk Kommune" });
    assert.match(await holbaek.innerText(), /316[\s\S]*Inviteret/);

    // A code typed without picking works as well.
    await field.fill("330");
    await page.getByRole("button", { name: "Send invitation" }).click();
    await page.getByText("Slagelse Kommune er inviteret til fællesskabet.").waitFor();
    await checkA11y(page, "/faellesskaber/:id (inviteret ved navn og kode)");

    assert.deepEqual(problems.list, []);
    await context.close();
  });

  it("finds a supplier by part of its name in the contract form, with the keyboard", TIMEOUT, async () => {
    const { context, page, problems } = await newPage(browser);
    await login(page, DEMO.editor);
    await page.waitForURL((url) => url.pathname !== "/login");
    await page.goto("/kontrakter/ny");
    const field = page.getByRole("combobox", { name: /Leverandør \(navn eller CVR-nummer\)/ });
    await field.fill("midtpunkt");
    const option = page.getByRole("option", { name: /Midtpunkt Løn A\/S/ });
    await option.waitFor();
    await checkA11y(page, "/kontrakter/ny (leverandørforslag)");
    await field.press("ArrowDown");
    assert.equal(await option.getAttribute("aria-selected"), "true");
    await field.press("Enter");
    await page.locator(".supplier-found", { hasText: "Midtpunkt Løn A/S (CVR 27654312)" }).waitFor();
    assert.equal(await field.inputValue(), "27654312");
    // The CVR number's first digits find it as well.
    await field.fill("276543");
    await option.waitFor();
    await field.press("Escape");
    assert.equal(await page.locator("#contract-cvr-listbox").isHidden(), true);
    assert.equal(await field.getAttribute("aria-expanded"), "false");
    assert.deepEqual(problems.list, []);
    await context.close();
  });
});
