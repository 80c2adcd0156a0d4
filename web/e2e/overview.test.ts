// Browser tests of Overblik, the start page of a municipality's users.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { checkA11y, DEMO, launch, login, newPage, printAxeLog } from "./harness.ts";

const TIMEOUT = { timeout: 90_000 };

let browser: Browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser.close();
  printAxeLog();
});

const AMOUNT = /^\d{1,3}(\.\d{3})*,\d{2} kr\.$/;

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

    // 90 days is the default period.
    const ninety = await deadlineRows(page);
    assert.ok(ninety > 0, "the demo has deadlines within 90 days");
    assert.match(await page.locator(".list-status").innerText(), new RegExp(`${String(ninety)} frister de næste 90 dage`));
    const current = page.getByRole("navigation", { name: "Vis frister de næste" }).locator("[aria-current]");
    assert.equal((await current.innerText()).trim(), "90 dage");
    // Sorted by date, soonest first.
    const dates = await page.locator(".deadlines-table tbody tr td:first-child").allInnerTexts();
    const iso = dates.map((d) => d.trim().split(".").reverse().join("-"));
    assert.deepEqual(iso, [...iso].sort());
    await page.locator(".spend-chart canvas").first().waitFor();
    await checkA11y(page, "/overblik (90 dage)");

    // Switching to 365 days keeps the choice in the address and shows at least as many.
    await page.getByRole("navigation", { name: "Vis frister de næste" }).getByRole("link", { name: "365 dage" }).click();
    await page.waitForURL((url) => url.searchParams.get("dage") === "365");
    await page.locator(".list-status", { hasText: "365 dage" }).waitFor();
    const year = await deadlineRows(page);
    assert.ok(year >= ninety, `365 days (${String(year)}) shows at least as many as 90 days (${String(ninety)})`);
    const figure = page.locator(".key-figure.is-current .key-figure-number");
    assert.equal(Number(await figure.innerText()), year);

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
