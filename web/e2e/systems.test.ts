// Browser tests of the IT system pages: list, search, create, edit (with a
// refused stale edit), archive and restore, covering contracts, and roles.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { changeBehindTheBrowser, checkA11y, DEMO, launch, login, newPage, printAxeLog } from "./harness.ts";

const TIMEOUT = { timeout: 120_000 };

let browser: Browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser.close();
  printAxeLog();
});

/** Changes a system behind the browser's back, as another user would. */
async function changeThroughApi(id: string, description: string): Promise<void> {
  await changeBehindTheBrowser<{ name: string; status: string }>(`/systems/${id}`, (system) => ({
    name: system.name,
    status: system.status,
    description,
  }));
}

async function heading(page: Page): Promise<string> {
  return (await page.getByRole("heading", { level: 1 }).innerText()).trim();
}

describe("It-systemer", () => {
  it("lets an editor create, find, edit, archive and restore a system; a stale edit is refused", TIMEOUT, async () => {
    const { context, page, problems } = await newPage(browser);
    await login(page, DEMO.editor);
    await page.waitForURL((url) => url.pathname === "/overblik");
    await page.getByRole("navigation", { name: "Hovedmenu" }).first().getByRole("link", { name: "It-systemer" }).click();
    await page.waitForURL((url) => url.pathname === "/it-systemer");
    await page.locator(".systems-table tbody tr").first().waitFor();
    assert.match(await page.locator(".list-status").innerText(), /Viser 1–\d+ af \d+ it-systemer/);
    await checkA11y(page, "/it-systemer (redaktør)");

    // An empty name is refused beside the field and in the summary.
    await page.getByRole("link", { name: "Opret it-system" }).click();
    await page.waitForURL((url) => url.pathname === "/it-systemer/ny");
    await page.getByLabel("Status").waitFor();
    await checkA11y(page, "/it-systemer/ny");
    await page.getByRole("button", { name: "Opret it-system" }).click();
    const summary = page.locator(".error-summary");
    await summary.waitFor();
    assert.match(await summary.innerText(), /Udfyld navn\./);
    assert.equal(await page.getByLabel("Navn (skal udfyldes)").getAttribute("aria-invalid"), "true");
    await checkA11y(page, "/it-systemer/ny (fejl)");

    const name = `Testsystem ${String(Date.now())}`;
    await page.getByLabel("Navn (skal udfyldes)").fill(name);
    await page.getByLabel("Kategori").fill("Test og afprøvning");
    const supplier = page.getByLabel("Leverandør");
    await supplier.locator("option", { hasText: "Fjordsyd IT ApS" }).waitFor({ state: "attached" });
    await supplier.selectOption({ label: "Fjordsyd IT ApS (CVR 28447310)" });
    await page.getByLabel("Systemejer").fill("Testleder, Digitalisering");
    await page.getByLabel("Status").selectOption({ label: "Planlagt" });
    await page.getByLabel("Beskrivelse").fill("Oprettet af en browsertest.");
    await page.getByRole("button", { name: "Opret it-system" }).click();
    await page.waitForURL((url) => /^\/it-systemer\/[0-9a-f-]{36}$/.test(url.pathname));
    const id = new URL(page.url()).pathname.split("/").pop() ?? "";
    await page.locator(".alert-success", { hasText: `${name} er oprettet.` }).waitFor();
    await page.getByRole("heading", { level: 1, name }).waitFor();
    assert.equal(await heading(page), name);
    const facts = await page.locator(".system-facts").innerText();
    assert.match(facts, /Fjordsyd IT ApS \(CVR 28447310\)/);
    assert.match(facts, /Planlagt/);
    assert.match(facts, /Testleder, Digitalisering/);
    await page.locator(".system-contracts", { hasText: /Ingen af kommunens kontrakter dækker/ }).waitFor();
    await checkA11y(page, "/it-systemer/:id (ny)");

    // Search finds it by part of its name.
    await page.getByRole("link", { name: "Tilbage til it-systemer" }).click();
    await page.getByLabel("Søg i navn").fill(name.slice(-9));
    await page.getByRole("button", { name: "Søg", exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get("q") === name.slice(-9));
    await page.locator(".list-status", { hasText: "Viser 1 it-system" }).waitFor();
    // The status filter narrows it away and back; the address keeps both.
    await page.getByLabel("Status").selectOption({ label: "Udfaset" });
    await page.getByRole("button", { name: "Søg", exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get("status") === "retired");
    await page.locator(".alert-info", { hasText: "Ingen it-systemer passer til søgningen" }).waitFor();
    await page.getByLabel("Status").selectOption({ label: "Planlagt" });
    await page.getByRole("button", { name: "Søg", exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get("status") === "planned" && url.searchParams.get("q") !== null);
    await page.locator(".list-status", { hasText: "Viser 1 it-system" }).waitFor();
    await page.locator(".systems-table").getByRole("link", { name }).click();
    await page.waitForURL((url) => url.pathname === `/it-systemer/${id}`);

    // Edit.
    await page.getByRole("link", { name: "Redigér" }).click();
    await page.waitForURL((url) => url.pathname === `/it-systemer/${id}/rediger`);
    await page.getByLabel("Status").selectOption({ label: "I drift" });
    await page.getByLabel("Systemejer").fill("Ny systemejer");
    await checkA11y(page, "/it-systemer/:id/rediger");
    await page.getByRole("button", { name: "Gem ændringer" }).click();
    await page.locator(".alert-success", { hasText: `Ændringerne i ${name} er gemt.` }).waitFor();
    await page.locator(".system-facts", { hasText: "Ny systemejer" }).waitFor();
    assert.match(await page.locator(".system-facts").innerText(), /I drift/);
    assert.match(await page.locator(".system-facts").innerText(), /Ny systemejer/);

    // A stale edit: someone else changes the system while the form is open.
    await page.getByRole("link", { name: "Redigér" }).click();
    await page.getByLabel("Kategori").waitFor();
    await page.getByLabel("Kategori").fill("Ændret i browseren");
    await changeThroughApi(id, "Ændret gennem API'et imens.");
    await page.getByRole("button", { name: "Gem ændringer" }).click();
    const stale = page.locator(".alert-error", { hasText: "ændret af en anden" });
    await stale.waitFor();
    assert.equal(await stale.evaluate((el) => el === document.activeElement), true);
    await checkA11y(page, "/it-systemer/:id/rediger (412)");
    await stale.getByRole("button", { name: "Indlæs igen" }).click();
    await page.locator("#system-description").waitFor();
    assert.equal(await page.locator("#system-description").inputValue(), "Ændret gennem API'et imens.");
    await page.getByRole("button", { name: "Gem ændringer" }).click();
    await page.locator(".alert-success", { hasText: `Ændringerne i ${name} er gemt.` }).waitFor();

    // Archive, then restore.
    await page.getByRole("button", { name: "Arkivér" }).click();
    const archive = page.getByRole("dialog", { name: `Arkivér ${name}?` });
    await archive.waitFor();
    await checkA11y(page, "/it-systemer/:id (arkivér)");
    await archive.getByRole("button", { name: "Arkivér it-system" }).click();
    await page.locator(".alert-success", { hasText: `${name} er arkiveret.` }).waitFor();
    await page.locator(".alert-warning", { hasText: "arkiveret" }).waitFor();
    assert.equal(await page.getByRole("link", { name: "Redigér" }).count(), 0);
    await checkA11y(page, "/it-systemer/:id (arkiveret)");

    // Archived systems leave the list unless asked for.
    await page.goto(`/it-systemer?q=${encodeURIComponent(name)}`);
    await page.locator(".alert-info", { hasText: "Ingen it-systemer passer til søgningen" }).waitFor();
    await checkA11y(page, "/it-systemer (tom søgning)");
    await page.getByLabel("Vis også arkiverede").check();
    await page.getByRole("button", { name: "Søg", exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get("arkiverede") === "ja");
    const archivedRow = page.locator(".systems-table tbody tr", { hasText: name });
    await archivedRow.waitFor();
    assert.match(await archivedRow.innerText(), /Arkiveret/);
    await archivedRow.getByRole("link", { name }).click();

    await page.getByRole("button", { name: "Gendan" }).click();
    const restore = page.getByRole("dialog", { name: `Gendan ${name}?` });
    await restore.getByRole("button", { name: "Gendan it-system" }).click();
    await page.locator(".alert-success", { hasText: `${name} er gendannet.` }).waitFor();
    await page.getByRole("link", { name: "Redigér" }).waitFor();

    assert.deepEqual(problems.list, []);
    await context.close();
  });

  it("shows a viewer the systems and their covering contracts, without write actions", TIMEOUT, async () => {
    const { context, page, problems } = await newPage(browser);
    await login(page, DEMO.viewer);
    await page.waitForURL((url) => url.pathname === "/overblik");
    await page.goto("/it-systemer?q=Backup");
    await page.locator(".systems-table tbody tr").first().waitFor();
    assert.equal(await page.getByRole("link", { name: "Opret it-system" }).count(), 0);
    await checkA11y(page, "/it-systemer?q=Backup (læser)");

    await page.locator(".systems-table").getByRole("link", { name: "Backup", exact: true }).click();
    await page.waitForURL((url) => /^\/it-systemer\/[0-9a-f-]{36}$/.test(url.pathname));
    const id = new URL(page.url()).pathname.split("/").pop() ?? "";
    const contracts = page.locator(".covering-table tbody tr");
    await contracts.first().waitFor();
    assert.ok((await contracts.count()) >= 1);
    const link = contracts.first().getByRole("link");
    assert.match((await link.getAttribute("href")) ?? "", /^\/kontrakter\/[0-9a-f-]{36}$/);
    const all = page.getByRole("link", { name: "Søg i kontrakter der dækker Backup" });
    assert.equal(await all.getAttribute("href"), `/kontrakter?system_id=${id}`);
    assert.equal(await page.getByRole("link", { name: "Redigér" }).count(), 0);
    assert.equal(await page.getByRole("button", { name: "Arkivér" }).count(), 0);
    await checkA11y(page, "/it-systemer/:id (læser)");

    // The edit page itself is closed to a viewer.
    await page.goto(`/it-systemer/${id}/rediger`);
    await page.getByRole("heading", { level: 1, name: "Ingen adgang" }).waitFor();

    assert.deepEqual(problems.list, []);
    await context.close();
  });
});
