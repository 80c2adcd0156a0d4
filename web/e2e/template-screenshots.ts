// Saves a PNG of each template page for a person to look at:
//   SAMUDBUD_BASE_URL=http://127.0.0.1:8080 SAMUDBUD_SCREENSHOTS_DIR=/tmp/shots \
//     node --import tsx e2e/template-screenshots.ts
// It needs the demo data (samudbud serve --demo).

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { launch, login, newPage } from "./harness.ts";

const OUT = process.env.SAMUDBUD_SCREENSHOTS_DIR ?? join(import.meta.dirname, "..", "screenshots");
const TEMPLATE = "Fælles driftsvilkår";

async function shoot(page: Page, name: string, fullPage = true): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  const path = join(OUT, `templates-${name}.png`);
  await page.screenshot({ path, fullPage });
  console.log(`saved ${path}`);
}

async function openTemplate(page: Page, owner: RegExp): Promise<void> {
  await page.goto(`/skabeloner?q=${encodeURIComponent(TEMPLATE)}`);
  await page.locator(".templates-table").waitFor();
  await page.locator(".templates-table tbody tr").filter({ hasText: owner }).first().getByRole("link").first().click();
  await page.locator("#history-heading").waitFor();
}

mkdirSync(OUT, { recursive: true });
const browser = await launch();
try {
  for (const [prefix, viewport] of [
    ["", { width: 1280, height: 900 }],
    ["phone-", { width: 390, height: 844 }],
  ] as const) {
    const { context, page } = await newPage(browser, viewport);
    await login(page, "redaktoer@soroe.dk");
    await page.waitForURL((url) => url.pathname !== "/login");
    await page.goto("/skabeloner");
    await page.locator(".templates-table").waitFor();
    await shoot(page, `${prefix}library`);
    await openTemplate(page, /Midtsjællands/);
    await page.locator(".diff-view").waitFor();
    await page.locator(".usage-versions, section[aria-labelledby=usage-heading] p").first().waitFor();
    await shoot(page, `${prefix}template`);
    if (prefix === "") {
      await page.getByRole("link", { name: /Redigér kladde/ }).click();
      await page.locator(".clause-list-editor").waitFor();
      await page.locator(".clause-item").nth(1).getByRole("button", { name: "Vis klausul" }).click();
      await shoot(page, "editor");
      const item = page.locator(".clause-item").nth(1);
      await item.getByRole("button", { name: "Tilføj parameter" }).click();
      await item.getByLabel("Navn i teksten").fill("Oppetid %");
      await item.getByLabel("Type").selectOption({ label: "Varighed" });
      await item.getByLabel("Standardværdi").fill("2,5");
      await item.getByRole("button", { name: "Gem parameter" }).click();
      await item.locator(".parameter-form .error-summary").waitFor();
      await item.locator(".parameter-form").scrollIntoViewIfNeeded();
      await shoot(page, "editor-parameter-errors", false);
      await item.getByRole("button", { name: "Annullér" }).click();
      await item.getByRole("button", { name: "Vis", exact: true }).click();
      await item.locator(".markdown-preview").scrollIntoViewIfNeeded();
      await shoot(page, "editor-preview", false);
    }
    await context.close();
  }
  {
    const { context, page } = await newPage(browser);
    await login(page, "redaktoer@ringsted.dk");
    await page.waitForURL((url) => url.pathname !== "/login");
    await page.goto("/skabeloner?has_newer_origin=true");
    await page.locator(".templates-table").waitFor();
    await shoot(page, "library-newer");
    await page.locator(".templates-table tbody tr").first().getByRole("link").first().click();
    await page.locator(".origin-notice").waitFor();
    await page.locator(".origin-notice details").evaluate((d) => { d.setAttribute("open", ""); });
    await page.locator(".origin-notice .diff-view").waitFor();
    await shoot(page, "origin-notice");
    await page.goto("/kontrakter?has_deviations=true");
    await page.locator(".contracts-table").waitFor();
    await shoot(page, "contracts-deviations");
    await page.locator(".contracts-table tbody tr").first().getByRole("link").first().click();
    await page.locator(".contract-template").waitFor();
    await page.locator(".contract-template").scrollIntoViewIfNeeded();
    await shoot(page, "contract", false);
    await page.goto("/kontrakter/ny");
    const select = page.locator("#template-use-template");
    await select.locator("option", { hasText: TEMPLATE }).first().waitFor({ state: "attached" });
    const value = await select.locator("option", { hasText: "Ringsted" }).first().getAttribute("value");
    await select.selectOption(value ?? "");
    await page.locator(".template-use .parameter-form-grid input").first().waitFor();
    await page.locator(".template-use input[type=checkbox]").nth(4).check();
    await page.locator(".template-use").scrollIntoViewIfNeeded();
    await shoot(page, "contract-form", false);
    await context.close();
  }
} finally {
  await browser.close();
}
