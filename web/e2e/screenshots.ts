// Saves a PNG of each page to screenshots/ for a person to look at:
//   SAMUDBUD_BASE_URL=http://127.0.0.1:8080 npm run screenshots

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { DEMO, launch, login, newPage } from "./harness.ts";

const OUT = join(import.meta.dirname, "..", "screenshots");

async function shoot(page: Page, name: string): Promise<void> {
  // Let fonts and icons settle before the picture.
  await page.evaluate(() => document.fonts.ready);
  const path = join(OUT, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`saved ${path}`);
}

mkdirSync(OUT, { recursive: true });
const browser = await launch();
try {
  {
    const { context, page } = await newPage(browser);
    await page.goto("/login");
    await page.getByRole("heading", { level: 1 }).waitFor();
    await shoot(page, "login");

    await page.getByLabel("E-mail").fill("laeser@naestved.dk");
    await page.getByLabel("Adgangskode", { exact: true }).fill("forkert-adgangskode");
    await page.getByRole("button", { name: "Log ind" }).click();
    await page.locator(".error-summary").waitFor();
    await shoot(page, "login-wrong-password");

    await login(page, DEMO.admin);
    await page.getByRole("heading", { level: 1, name: /Velkommen|Overblik/ }).waitFor();
    await shoot(page, "welcome-admin");

    await page.goto("/administration/brugere");
    await page.locator("table.users-table").waitFor();
    await shoot(page, "users");

    const form = page.locator("section.create-user");
    await form.getByLabel("Navn").fill("Ny Bruger");
    await form.getByLabel("Rolle").selectOption("editor");
    await form.getByLabel("E-mail").fill("ikke-en-adresse");
    await form.getByLabel("Første adgangskode").fill("kort");
    await form.getByRole("button", { name: "Opret bruger" }).click();
    await form.locator(".error-summary").waitFor();
    await shoot(page, "users-create-errors");

    await page.locator("table.users-table tbody tr").first().getByRole("button", { name: /Skift rolle/ }).click();
    await page.getByRole("dialog").getByLabel("Ny rolle").waitFor();
    await shoot(page, "users-change-role");
    await page.keyboard.press("Escape");

    await page.getByRole("button", { name: "Administration" }).click();
    await shoot(page, "menu-open");
    await context.close();
  }
  {
    const { context, page } = await newPage(browser);
    await login(page, DEMO.viewer);
    await page.getByRole("heading", { level: 1, name: /Velkommen|Overblik/ }).waitFor();
    await shoot(page, "welcome-viewer");
    await context.close();
  }
  {
    const { context, page } = await newPage(browser, { width: 390, height: 844 });
    await login(page, DEMO.admin);
    await page.getByRole("heading", { level: 1, name: /Velkommen|Overblik/ }).waitFor();
    await shoot(page, "phone-welcome");
    await page.getByRole("button", { name: "Menu" }).click();
    await page.getByRole("dialog", { name: "Menu" }).waitFor();
    // The drawer slides in; wait for it to come to rest.
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(OUT, "phone-menu.png") });
    console.log(`saved ${join(OUT, "phone-menu.png")}`);
    await page.goto("/administration/brugere");
    await page.locator("table.users-table").waitFor();
    await shoot(page, "phone-users");
    await context.close();
  }
  // Overblik and It-systemer.
  for (const [prefix, viewport] of [
    ["", { width: 1280, height: 900 }],
    ["phone-", { width: 390, height: 844 }],
  ] as const) {
    const { context, page } = await newPage(browser, viewport);
    await login(page, DEMO.editor);
    await page.waitForURL((url) => url.pathname === "/overblik");
    await page.locator(".deadlines-table").waitFor();
    await page.locator(".spend-chart canvas").first().waitFor();
    await page.locator("details").evaluateAll((all) => {
      for (const d of all) d.setAttribute("open", "");
    });
    await shoot(page, `${prefix}overview`);
    await page.goto("/it-systemer");
    await page.locator(".systems-table").waitFor();
    await shoot(page, `${prefix}systems`);
    await page.locator(".systems-table tbody tr").first().getByRole("link").click();
    await page.locator(".system-facts").waitFor();
    await shoot(page, `${prefix}system`);
    await page.getByRole("link", { name: "Redigér" }).click();
    await page.getByLabel("Status").waitFor();
    await shoot(page, `${prefix}system-edit`);
    await context.close();
  }
  // Kontrakter.
  for (const [prefix, viewport] of [
    ["", { width: 1280, height: 900 }],
    ["phone-", { width: 390, height: 844 }],
  ] as const) {
    const { context, page } = await newPage(browser, viewport);
    await login(page, DEMO.editor);
    await page.waitForURL((url) => url.pathname !== "/login");
    await page.goto("/kontrakter");
    await page.locator(".contracts-table").waitFor();
    await shoot(page, `${prefix}contracts`);
    await page.locator(".contracts-table tbody tr").first().getByRole("link").first().click();
    await page.locator("#history-heading").waitFor();
    await shoot(page, `${prefix}contract`);
    await page.getByRole("link", { name: "Redigér" }).click();
    await page.locator("#contract-title").waitFor();
    await shoot(page, `${prefix}contract-edit`);
    // A half-typed date and a wrong amount, then leaving without saving.
    await page.locator("#contract-end_on").fill("12.2027");
    await page.locator("#contract-annual_value").fill("mange penge");
    await page.getByRole("button", { name: "Gem ændringer" }).click();
    await page.locator(".error-summary").waitFor();
    await page.locator(".error-summary").scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(OUT, `${prefix}contract-edit-errors.png`) });
    await page.getByRole("link", { name: "Annullér" }).click();
    await page.getByRole("dialog", { name: "Ændringer er ikke gemt" }).waitFor();
    await page.screenshot({ path: join(OUT, `${prefix}contract-leave.png`) });
    console.log(`saved ${prefix}contract-edit-errors.png and ${prefix}contract-leave.png`);
    await page.getByRole("button", { name: "Forlad siden" }).click();
    await page.locator("#history-heading").waitFor();
    // The list's end-date filter refuses an impossible date.
    await page.goto("/kontrakter");
    await page.locator(".contract-filters summary").click();
    await page.locator("#contract-ends-after").fill("31.02.2027");
    await page.locator(".contract-filters").getByRole("button", { name: "Søg" }).click();
    await page.locator(".error-summary").waitFor();
    await shoot(page, `${prefix}contracts-filter-error`);
    await context.close();
  }
  // Fællesskaber, API-klienter and Log. No client is created, so no secret is saved in a picture.
  for (const [prefix, viewport] of [
    ["", { width: 1280, height: 900 }],
    ["phone-", { width: 390, height: 844 }],
  ] as const) {
    const { context, page } = await newPage(browser, viewport);
    await login(page, DEMO.admin);
    await page.waitForURL((url) => url.pathname !== "/login");
    await page.goto("/faellesskaber");
    await page.locator(".collaborations-table").waitFor();
    await shoot(page, `${prefix}collaborations`);
    await page.locator(".collaborations-table").getByRole("link", { name: "Midtsjællands IT-samarbejde" }).click();
    await page.locator(".members-table").waitFor();
    await page.locator(".collaboration-shared table, .collaboration-shared .alert").first().waitFor();
    await shoot(page, `${prefix}collaboration`);
    await page.goto("/administration/api-klienter");
    await page.locator(".clients-table").waitFor();
    await shoot(page, `${prefix}api-clients`);
    await page.goto("/administration/log");
    await page.locator(".audit-table").waitFor();
    await page.locator(".audit-table summary").first().click();
    await shoot(page, `${prefix}audit-log`);
    await context.close();
  }
} finally {
  await browser.close();
}
