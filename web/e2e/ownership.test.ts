// Browser tests of ownership: an editor makes themselves the contract
// owner in the contract form, "Mine kontrakter" then lists the contract
// (in the address, so it can be bookmarked), the owner shows on the
// contract, and Min profil offers whose contracts reminders follow.
// Screenshots at 1280 and 390 px go to screenshots/ for a person to look at.

import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser } from "playwright-core";
import { checkA11y, DEMO, launch, login, newPage, printAxeLog } from "./harness.ts";

const TIMEOUT = { timeout: 180_000 };
const OUT = join(import.meta.dirname, "..", "screenshots");

let browser: Browser;

before(async () => {
  browser = await launch();
  mkdirSync(OUT, { recursive: true });
});

after(async () => {
  await browser.close();
  printAxeLog();
});

describe("Kontraktejer", () => {
  it("sets the owner in the form, and Mine kontrakter lists the contract", TIMEOUT, async () => {
    const { context, page, problems } = await newPage(browser);
    await login(page, DEMO.editor);
    await page.waitForURL((url) => url.pathname === "/overblik");
    await page.getByRole("heading", { name: "Mine frister" }).waitFor();
    await checkA11y(page, "/overblik (mine frister)");

    // A contract without an owner.
    await page.goto("/kontrakter?owner=none");
    await page.locator(".contracts-table tbody tr").first().waitFor();
    const link = page.locator(".contracts-table tbody tr th a").first();
    const title = (await link.innerText()).trim();
    await link.click();
    await page.waitForURL((url) => /^\/kontrakter\/[0-9a-f-]{36}$/.test(url.pathname));
    const id = new URL(page.url()).pathname.split("/").pop() ?? "";

    await page.getByRole("link", { name: "Redigér" }).click();
    await page.waitForURL((url) => url.pathname === `/kontrakter/${id}/rediger`);
    const owner = page.getByLabel("Kontraktejer");
    await owner.locator("option", { hasText: "Rasmus Redaktør" }).waitFor({ state: "attached" });
    assert.equal(await owner.inputValue(), "");
    assert.equal(await owner.locator("option").first().innerText(), "Ingen kontraktejer");
    await checkA11y(page, "/kontrakter/:id/rediger (kontraktejer)");
    await owner.selectOption({ label: "Rasmus Redaktør (redaktoer@soroe.dk)" });
    await page.getByRole("button", { name: "Gem ændringer" }).click();
    await page.waitForURL((url) => url.pathname === `/kontrakter/${id}`);
    await page.getByText("Ændringerne er gemt.").waitFor();
    await page.getByText("Rasmus Redaktør (redaktoer@soroe.dk)").first().waitFor();
    const change = page.locator(".history-table tr", { hasText: "Kontraktejer" }).first();
    await change.waitFor();
    assert.match(await change.innerText(), /Rasmus Redaktør/);

    // Mine kontrakter: a tab on Kontrakter, kept in the address.
    await page.goto("/kontrakter");
    await page.getByRole("navigation", { name: "Vis" }).getByRole("link", { name: "Mine kontrakter" }).click();
    await page.waitForURL((url) => url.pathname === "/kontrakter" && url.searchParams.get("owner") === "me");
    const row = page.locator(".contracts-table tbody tr", { hasText: title });
    await row.first().waitFor();
    assert.match(await row.first().innerText(), /Rasmus Redaktør/);
    // The tab is marked once the page has rendered the new address.
    const current = page.getByRole("navigation", { name: "Vis" }).getByRole("link", { name: "Mine kontrakter" });
    await page.getByRole("navigation", { name: "Vis" }).locator('a[aria-current="page"]', { hasText: "Mine kontrakter" }).waitFor();
    assert.equal(await current.getAttribute("aria-current"), "page");
    await checkA11y(page, "/kontrakter?owner=me");
    await page.screenshot({ path: join(OUT, "mine-kontrakter-1280.png"), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(OUT, "mine-kontrakter-390.png"), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    // Bookmarked, the address opens the same view.
    await page.goto("/kontrakter?owner=me");
    await page.locator(".contracts-table tbody tr", { hasText: title }).first().waitFor();

    // Mine it-systemer.
    await page.goto("/it-systemer?ejer=mig");
    await page.locator(".systems-table tbody tr").first().waitFor();
    await checkA11y(page, "/it-systemer?ejer=mig");

    // Min profil: whose contracts the reminders and the calendar follow.
    await page.goto("/profil");
    await page.getByLabel("Kun kontrakter jeg ejer").first().waitFor();
    assert.equal(await page.locator("#reminders-contracts-owned").isChecked(), true);
    await page.locator("#calendar-contracts-all").check();
    await page.getByRole("button", { name: "Gem valg for kalenderen" }).click();
    await page.getByText("Kalenderens valg er gemt.").waitFor();
    await checkA11y(page, "/profil (kontrakter)");
    await page.screenshot({ path: join(OUT, "profil-kontrakter-1280.png"), fullPage: true });

    // Put the contract back without an owner, so that the test can run again.
    await page.goto(`/kontrakter/${id}/rediger`);
    await page.getByLabel("Kontraktejer").locator("option", { hasText: "Rasmus Redaktør" }).waitFor({ state: "attached" });
    await page.getByLabel("Kontraktejer").selectOption({ label: "Ingen kontraktejer" });
    await page.getByRole("button", { name: "Gem ændringer" }).click();
    await page.waitForURL((url) => url.pathname === `/kontrakter/${id}`);

    assert.deepEqual(problems.list, []);
    await context.close();
  });
});
