// Browser tests of standard contract templates: write a draft (clauses,
// a parameter, reordering by button), publish, start and publish version 2,
// compare the versions word by word, share with the collaboration, adopt
// the template in a second municipality, base a contract on it with a
// deviation, and download the filled contract as a Word file.

import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { checkA11y, launch, login, newPage, printAxeLog } from "./harness.ts";

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

/** The clause item named by its heading. */
function clauseItem(page: Page, heading: string) {
  return page.locator(".clause-item").filter({ has: page.locator(".clause-title", { hasText: heading }) });
}

async function addClause(page: Page, heading: string, text: string) {
  await page.getByRole("button", { name: "Tilføj klausul" }).click();
  const item = page.locator(".clause-item").last();
  await item.getByRole("textbox", { name: "Overskrift", exact: true }).fill(heading);
  await item.getByRole("textbox", { name: "Tekst", exact: true }).fill(text);
  return item;
}

async function publish(page: Page, note: string, number: number) {
  await page.getByLabel("Ændringsnote").fill(note);
  await page.getByRole("button", { name: `Offentliggør version ${String(number)}` }).click();
  await page.locator(".alert-success", { hasText: `Version ${String(number)} er offentliggjort.` }).waitFor();
}

describe("Skabeloner", () => {
  it("edits, publishes, compares, shares, adopts, bases a contract on a template and downloads it", TIMEOUT, async () => {
    const name = `Driftsvilkår ${String(Date.now())}`;
    const soroe = await newPage(browser);
    const page = soroe.page;
    await login(page, "redaktoer@soroe.dk");
    await page.waitForURL((url) => url.pathname !== "/login");
    await page.getByRole("navigation", { name: "Hovedmenu" }).first().getByRole("link", { name: "Skabeloner" }).click();
    await page.waitForURL((url) => url.pathname === "/skabeloner");
    await page.locator(".template-list table, .template-list .alert").first().waitFor();
    await checkA11y(page, "/skabeloner");

    // Create: a new template opens its empty draft.
    await page.getByRole("link", { name: "Opret skabelon" }).click();
    await page.getByLabel("Navn (skal udfyldes)").fill(name);
    await page.getByLabel("Beskrivelse").fill("Oprettet af en browsertest.");
    await page.getByRole("button", { name: "Opret skabelon" }).click();
    await page.waitForURL((url) => /^\/skabeloner\/[0-9a-f-]{36}\/kladde$/.test(url.pathname));
    const id = new URL(page.url()).pathname.split("/")[2] ?? "";

    // Two clauses, one with a percentage parameter.
    const uptime = await addClause(page, "Oppetid", "Systemet er tilgængeligt mindst {{oppetid_procent}} pr. måned.");
    await uptime.getByRole("button", { name: "Tilføj parameter" }).click();
    await uptime.getByLabel("Navn i teksten").fill("oppetid_procent");
    await uptime.getByLabel("Betegnelse").fill("Oppetid");
    await uptime.getByLabel("Type").selectOption({ label: "Procent" });
    await uptime.getByLabel("Standardværdi").fill("99.5");
    await uptime.getByRole("button", { name: "Gem parameter" }).click();
    // A dot as decimal separator is refused in Danish, beside the field.
    await uptime.locator(".form-error-message", { hasText: "Brug komma som decimaltegn" }).first().waitFor();
    await uptime.getByLabel("Standardværdi").fill("99,5");
    await uptime.getByRole("button", { name: "Gem parameter" }).click();
    await uptime.locator(".parameter-table", { hasText: "99,5 %" }).waitFor();
    await addClause(page, "Opsigelse", "Kunden kan opsige aftalen med 6 måneders varsel.");
    await checkA11y(page, "/skabeloner/:id/kladde");

    // Reorder by button: the move is announced and focus stays on the button.
    await page.getByRole("button", { name: "Flyt Opsigelse op" }).click();
    await page.locator(".clause-list-editor [role=status]", { hasText: "Opsigelse er flyttet til plads 1 af 2." }).waitFor();
    assert.deepEqual(await page.locator(".clause-title").allInnerTexts(), ["Opsigelse", "Oppetid"]);
    // And back with Alt+↓ from the focused handle.
    await clauseItem(page, "Opsigelse").getByRole("button", { name: /Træk for at flytte Opsigelse/ }).focus();
    await page.keyboard.press("Alt+ArrowDown");
    await page.locator(".clause-list-editor [role=status]", { hasText: "Opsigelse er flyttet til plads 2 af 2." }).waitFor();
    assert.deepEqual(await page.locator(".clause-title").allInnerTexts(), ["Oppetid", "Opsigelse"]);

    await page.getByRole("button", { name: "Gem kladde" }).click();
    await page.locator(".alert-success", { hasText: "Kladden (version 1) er gemt." }).waitFor();
    await publish(page, "Første udgave.", 1);
    await page.waitForURL((url) => url.pathname === `/skabeloner/${id}`);

    // Version 2: a new draft from version 1, one word changed.
    await page.getByRole("button", { name: "Start ny kladde" }).click();
    await page.waitForURL((url) => url.pathname === `/skabeloner/${id}/kladde`);
    const item = clauseItem(page, "Oppetid");
    await item.getByRole("button", { name: "Vis klausul" }).click();
    await item.getByRole("textbox", { name: "Tekst", exact: true }).fill("Systemet er tilgængeligt mindst {{oppetid_procent}} pr. kvartal.");
    await publish(page, "Oppetid opgøres pr. kvartal.", 2);

    // Compare 1 → 2: the changed word is deleted and inserted.
    const compare = page.locator("section[aria-labelledby=compare-heading]");
    await compare.locator(".word-diff").first().waitFor();
    assert.match(await compare.locator(".word-diff del").first().innerText(), /måned\./);
    assert.match(await compare.locator(".word-diff ins").first().innerText(), /kvartal\./);
    assert.match(await page.locator(".template-history").innerText(), /Oppetid opgøres pr\. kvartal\./);
    await checkA11y(page, "/skabeloner/:id (sammenligning)");

    // Share with the collaboration.
    await page.getByLabel("Fællesskab").selectOption({ label: COLLABORATION });
    await page.getByRole("button", { name: "Del", exact: true }).click();
    await page.locator(".alert-success", { hasText: `Skabelonen er delt med ${COLLABORATION}.` }).waitFor();
    await soroe.context.close();

    // Ringsted adopts it and publishes its copy.
    const ringsted = await newPage(browser);
    const other = ringsted.page;
    await login(other, "redaktoer@ringsted.dk");
    await other.waitForURL((url) => url.pathname !== "/login");
    await other.goto(`/skabeloner/${id}`);
    await other.getByRole("button", { name: "Overtag i vores bibliotek" }).click();
    await other.waitForURL((url) => /^\/skabeloner\/[0-9a-f-]{36}$/.test(url.pathname) && !url.pathname.endsWith(id));
    await other.locator(".alert-success", { hasText: "er overtaget i kommunens bibliotek" }).waitFor();
    const copy = new URL(other.url()).pathname.split("/")[2] ?? "";
    assert.match(await other.locator(".template-meta").innerText(), /Sorø Kommune, version 2/);
    await other.getByRole("link", { name: "Redigér kladde (version 1)" }).click();
    await other.waitForURL((url) => url.pathname === `/skabeloner/${copy}/kladde`);
    await publish(other, "Overtaget uden ændringer.", 1);

    // A contract based on the copy, with a deviation.
    await other.goto("/kontrakter/ny");
    await other.locator("#contract-title").fill(`Drift efter ${name}`);
    await other.locator("#contract-cvr").fill("27654312");
    await other.getByRole("button", { name: "Find leverandør" }).click();
    await other.locator(".supplier-found", { hasText: "Midtpunkt Løn A/S" }).waitFor();
    await other.locator("#contract-start_on").fill("01.01.2026");
    const templateSelect = other.locator("#template-use-template");
    await templateSelect.locator("option", { hasText: name }).first().waitFor({ state: "attached" });
    const value = await templateSelect.locator("option", { hasText: `${name} (` }).filter({ hasText: "Ringsted" }).getAttribute("value");
    await templateSelect.selectOption(value ?? "");
    const uptimeValue = other.getByLabel("Oppetid");
    await uptimeValue.waitFor();
    assert.equal(await uptimeValue.inputValue(), "99,5");
    await uptimeValue.fill("99,9");
    await other.getByLabel("Kontrakten afviger fra klausul 2").check();
    await other.getByLabel("Tekst, der gælder i stedet").fill("Kunden kan opsige aftalen med 3 måneders varsel.");
    await other.getByRole("button", { name: "Opret kontrakt" }).click();
    // The reason is required: refused beside the field.
    await other.locator(".error-summary", { hasText: "Skriv, hvorfor kontrakten afviger." }).waitFor();
    await other.getByLabel("Begrundelse for afvigelsen").fill("Kortere varsel aftalt i forhandlingen.");
    await checkA11y(other, "/kontrakter/ny (skabelon)");
    await other.getByRole("button", { name: "Opret kontrakt" }).click();
    await other.waitForURL((url) => /^\/kontrakter\/[0-9a-f-]{36}$/.test(url.pathname));
    const section = other.locator(".contract-template");
    await section.waitFor();
    assert.match(await section.innerText(), /version 1/);
    assert.match(await section.innerText(), /99,9 %/);
    assert.match(await section.innerText(), /Kortere varsel aftalt i forhandlingen\./);
    await checkA11y(other, "/kontrakter/:id (skabelon)");

    // The filled contract as a Word file: a zip with word/document.xml.
    const [download] = await Promise.all([
      other.waitForEvent("download"),
      other.getByRole("button", { name: "Hent udfyldt kontrakt (.docx)" }).click(),
    ]);
    const path = await download.path();
    const bytes = await readFile(path);
    assert.equal(bytes.subarray(0, 2).toString("latin1"), "PK");
    assert.ok(bytes.includes(Buffer.from("word/document.xml")), "the file holds word/document.xml");
    assert.match(download.suggestedFilename(), /\.docx$/);
    assert.deepEqual(ringsted.problems.list, []);
    await ringsted.context.close();
  });
});
