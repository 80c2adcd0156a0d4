// Browser tests of Overblik, the start page of a municipality's users.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { checkA11y, DEMO, launch, login, newPage, printAxeLog } from "./harness.ts";

const TIMEOUT = { timeout: 240_000 };

let browser: Browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser.close();
  printAxeLog();
});

const AMOUNT = /^\d{1,3}(\.\d{3})*,\d{2} kr\.$/;

/**
 * The sum of the municipality's key figures (not "Mine frister"), once they are shown: they
 * come from /overview, which may answer after /deadlines has filled the table.
 */
async function figureSum(page: Page): Promise<number> {
  const figures = page.locator('ul[aria-labelledby="municipality-figures"] .key-figure-number');
  await figures.first().waitFor();
  const numbers = await figures.allInnerTexts();
  assert.equal(numbers.length, 4);
  return numbers.reduce((sum, n) => sum + Number(n), 0);
}

/** The list's total as its status line says it, once the list has loaded. */
async function listTotal(page: Page): Promise<number> {
  const list = page.locator(".contract-list");
  await list.locator(".list-status").waitFor({ state: "attached" });
  await page.waitForFunction(() => document.querySelector(".contract-list[aria-busy='true'], .contract-list [aria-busy='true']") === null);
  const status = (await list.locator(".list-status").innerText()).trim();
  if (status === "") return 0;
  if (status === "Viser 1 kontrakt") return 1;
  const match = /af (\d+) kontrakter/.exec(status);
  assert.ok(match, status);
  return Number(match[1]);
}

async function deadlineRows(page: Page): Promise<number> {
  await page.locator(".deadlines-table tbody tr").first().waitFor();
  return page.locator(".deadlines-table tbody tr").count();
}

describe("Overblik", () => {
  it("is where a viewer lands, with deadlines by period, charts with tables, and links to contracts", TIMEOUT, async () => {
    const { context, page, problems } = await newPage(browser);
    await login(page, DEMO.viewer);
    await page.waitForURL((url) => url.pathname === "/overblik");
    await page.getByRole("heading", { level: 1, name: "Overblik" }).waitFor();

    // 90 days is the default period. The table holds the passed deadlines and those of the
    // period, so its rows are the sum of the municipality's four key figures.
    const ninety = await deadlineRows(page);
    assert.ok(ninety > 0, "the demo has deadlines within 90 days");
    assert.match(await page.locator(".list-status").innerText(), new RegExp(`${String(ninety)} frister, overskredne og de næste 90 dage`));
    assert.equal(await figureSum(page), ninety);
    const current = page.getByRole("navigation", { name: "Vis frister de næste" }).locator("[aria-current]");
    assert.equal((await current.innerText()).trim(), "90 dage");
    // Passed deadlines first, marked in words as well as colour; then by date, soonest first.
    const dates = await page.locator(".deadlines-table tbody tr td:first-child").allInnerTexts();
    const iso = dates.map((d) => d.trim().split(".").reverse().join("-"));
    assert.deepEqual(iso, [...iso].sort());
    const overdueRows = page.locator(".deadlines-table tbody tr.deadline-overdue");
    for (const text of await overdueRows.locator("td:nth-child(4)").allInnerTexts()) assert.match(text, /Overskredet/);
    await page.locator(".spend-chart canvas").first().waitFor();
    await checkA11y(page, "/overblik (90 dage)");

    // Switching to 365 days keeps the choice in the address and shows at least as many.
    await page.getByRole("navigation", { name: "Vis frister de næste" }).getByRole("link", { name: "365 dage" }).click();
    await page.waitForURL((url) => url.searchParams.get("dage") === "365");
    await page.locator(".list-status", { hasText: "365 dage" }).waitFor();
    const year = await deadlineRows(page);
    assert.ok(year >= ninety, `365 days (${String(year)}) shows at least as many as 90 days (${String(ninety)})`);
    await page.locator(".key-figure-label", { hasText: "365 dage" }).first().waitFor();
    assert.equal(await figureSum(page), year);

    // Both charts are drawn, named, and have their numbers as a table in Danish format.
    const canvases = page.locator(".spend-chart canvas");
    assert.equal(await canvases.count(), 2);
    assert.match((await canvases.nth(0).getAttribute("aria-label")) ?? "", /leverandør/);
    assert.match((await canvases.nth(1).getAttribute("aria-label")) ?? "", /kategori/);
    for (const name of ["leverandør", "kategori"]) {
      const details = page.locator("details", { hasText: `efter ${name}` });
      await details.locator("summary").click();
      const table = details.getByRole("table", { name: `Årlig værdi af aktive kontrakter efter ${name}` });
      await table.waitFor();
      const amounts = await table.locator("tbody td:nth-child(2)").allInnerTexts();
      assert.ok(amounts.length > 0);
      for (const amount of amounts) assert.match(amount.trim(), AMOUNT);
    }
    await checkA11y(page, "/overblik?dage=365 (tabeller åbne)");

    // A deadline's link opens the contract's own address.
    const link = page.locator(".deadlines-table tbody tr").first().getByRole("link");
    const href = (await link.getAttribute("href")) ?? "";
    assert.match(href, /^\/kontrakter\/[0-9a-f-]{36}$/);
    await link.click();
    await page.waitForURL((url) => url.pathname === href);

    assert.deepEqual(problems.list, []);
    await context.close();
  });

  it("gives the same number as the contract list for the same question", TIMEOUT, async () => {
    const { context, page, problems } = await newPage(browser);
    await login(page, DEMO.editor);
    await page.waitForURL((url) => url.pathname === "/overblik");
    for (const period of ["90", "365"]) {
      await page.goto(period === "90" ? "/overblik" : `/overblik?dage=${period}`);
      const figures = page.locator(".key-figure");
      await figures.first().waitFor();
      await page.locator(".key-figure-label", { hasText: `${period} dage` }).first().waitFor();
      const count = await figures.count();
      assert.equal(count, 8, "four for the municipality, four for the user");
      let overdueSeen = 0;
      for (let i = 0; i < count; i++) {
        const figure = page.locator(".key-figure").nth(i);
        await figure.waitFor();
        const number = Number(await figure.locator(".key-figure-number").innerText());
        const label = await figure.locator(".key-figure-label").innerText();
        const overdue = (await figure.getAttribute("class"))?.includes("is-overdue") ?? false;
        if (overdue) {
          overdueSeen++;
          // Red, and in words too.
          assert.match(await figure.innerText(), /Overskredet/);
          if (overdueSeen === 1) await checkA11y(page, `/overblik (overskredne frister, ${period} dage)`);
        }
        await figure.getByRole("link").click();
        await page.waitForURL((url) => url.pathname === "/kontrakter");
        const total = await listTotal(page);
        assert.equal(total, number, `${label}: Overblik says ${String(number)}, the list ${String(total)} (${page.url()})`);
        const params = new URL(page.url()).searchParams;
        assert.equal(params.get("scope"), null, "the municipality's own contracts, as on Overblik");
        if (i === 0 && period === "90") await checkA11y(page, "/kontrakter?notice_overdue=true");
        await page.goBack();
        await page.waitForURL((url) => url.pathname === "/overblik");
        await page.locator(".key-figure").first().waitFor();
      }
      assert.ok(overdueSeen > 0, "the demo has deadlines that have passed");
    }

    // Asked for, shared contracts join the list; the filter panel names the deadline filters.
    await page.goto("/kontrakter?notice_within_days=365");
    const own = await listTotal(page);
    await page.goto("/kontrakter?notice_within_days=365&scope=all");
    assert.ok((await listTotal(page)) >= own);
    // A filter from the address opens the panel of filters.
    assert.equal(await page.locator(".contract-filters").getAttribute("open"), "");
    assert.equal(await page.locator("#contract-notice").inputValue(), "365");
    await page.getByLabel("Genudbud starter inden for").selectOption("180");
    await page.getByLabel("Opsigelsesfrist inden for").selectOption("");
    await page.getByLabel("Genudbuddet skulle være startet").check();
    await checkA11y(page, "/kontrakter (fristfiltre)");
    await page.locator(".contract-filters").getByRole("button", { name: "Søg" }).click();
    await page.waitForURL((url) => url.searchParams.get("retender_overdue") === "true");
    const url = new URL(page.url());
    assert.equal(url.searchParams.get("retender_within_days"), "180");
    assert.equal(url.searchParams.get("notice_within_days"), null);

    assert.deepEqual(problems.list, []);
    await context.close();
  });

  it("lists contracts missing an owner or an end date, linking to them", TIMEOUT, async () => {
    const { context, page, problems } = await newPage(browser);
    await login(page, DEMO.editor);
    await page.waitForURL((url) => url.pathname === "/overblik");
    // Lists of contracts missing an owner or an end date link to the contracts.
    const missing = page.getByRole("region", { name: "Kontrakter der mangler oplysninger" });
    const refs = missing.locator(".contract-ref-list a");
    await refs.first().waitFor();
    assert.ok((await refs.count()) > 0);
    assert.match((await refs.first().getAttribute("href")) ?? "", /^\/kontrakter\/[0-9a-f-]{36}$/);
    await checkA11y(page, "/overblik (redaktør)");
    assert.deepEqual(problems.list, []);
    await context.close();
  });
});
