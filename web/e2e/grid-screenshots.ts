// Saves PNGs of the list pages as a grid at 1280 and 390 px (the column
// chooser open, compact rows with chosen columns and the totals row, the
// saved views menu and its save dialog, It-systemer compact, the list as
// printed) and of the printable contract sheet, for a person to look at,
// to SAMUDBUD_SHOTS_DIR or screenshots/:
//   SAMUDBUD_BASE_URL=http://127.0.0.1:8080 node --import tsx e2e/grid-screenshots.ts

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { DEMO, launch, login, newPage } from "./harness.ts";

const OUT = process.env.SAMUDBUD_SHOTS_DIR ?? join(import.meta.dirname, "..", "screenshots");

async function shoot(page: Page, name: string, fullPage = false): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  const path = join(OUT, `grid-${name}.png`);
  await page.screenshot({ path, fullPage });
  console.log(`saved ${path}`);
}

async function table(page: Page, selector: string): Promise<void> {
  await page.locator(`${selector} tbody tr`).first().waitFor();
  await page.waitForTimeout(300);
}

mkdirSync(OUT, { recursive: true });
const browser = await launch();
try {
  for (const [width, height] of [
    [1280, 900],
    [390, 844],
  ] as const) {
    const w = String(width);
    const { context, page } = await newPage(browser, { width, height });
    await login(page, DEMO.editor);
    await page.waitForURL((url) => url.pathname !== "/login");
    await page.goto("/kontrakter?status=active");
    await table(page, ".contracts-table");
    await page.getByRole("button", { name: /^Kolonner/ }).click();
    await page.locator(".column-chooser .grid-popover-panel").scrollIntoViewIfNeeded();
    await shoot(page, `${w}-columns`);
    await page.keyboard.press("Escape");

    const view = "status=active&cols=title,reference,supplier,status,notice_deadline,retender_start,annual_value,total_value&density=compact";
    await page.goto(`/kontrakter?${view}`);
    await table(page, ".contracts-table");
    await shoot(page, `${w}-compact`);
    await page.locator(".contracts-table tfoot").scrollIntoViewIfNeeded();
    await shoot(page, `${w}-totals`);

    await page.getByRole("button", { name: /^Gemte visninger/ }).click();
    await page.getByRole("button", { name: "Gem visning …" }).click();
    const dialog = page.getByRole("dialog", { name: "Gem visning" });
    await dialog.getByLabel("Navn").fill(`Aktive i kompakt visning ${w}`);
    await shoot(page, `${w}-save-dialog`);
    await dialog.getByRole("button", { name: "Gem" }).click();
    await page.getByText(/er gemt\./).waitFor();
    await page.goto("/kontrakter");
    await table(page, ".contracts-table");
    await page.getByRole("button", { name: /^Gemte visninger/ }).click();
    await page.locator(".saved-views-menu .grid-popover-panel").scrollIntoViewIfNeeded();
    await shoot(page, `${w}-saved-views`);
    // Tidy up: the view is deleted again through its menu.
    await page.getByRole("button", { name: `Slet Aktive i kompakt visning ${w}` }).click();
    await page.getByRole("dialog", { name: "Slet visning" }).getByRole("button", { name: "Slet" }).click();
    await page.getByText(/er slettet\./).waitFor();

    await page.goto(`/kontrakter?${view}`);
    await table(page, ".contracts-table");
    await page.emulateMedia({ media: "print" });
    await shoot(page, `${w}-print`, true);
    await page.emulateMedia({ media: null });

    await page.goto("/it-systemer?cols=name,supplier,owner,status&density=compact");
    await table(page, ".systems-table");
    await shoot(page, `${w}-systems`);

    await page.goto("/kontrakter?sort=-annual_value");
    await table(page, ".contracts-table");
    await page.locator(".contracts-table tbody th a").first().click();
    await page.getByRole("link", { name: "Udskriv kontraktark" }).waitFor();
    await shoot(page, `${w}-contract-print-link`);
    await page.getByRole("link", { name: "Udskriv kontraktark" }).click();
    await page.locator(".contract-sheet h1").waitFor();
    await shoot(page, `${w}-sheet`, true);
    if (width === 1280) {
      await page.emulateMedia({ media: "print" });
      await page.setViewportSize({ width: 794, height: 1123 });
      await shoot(page, "a4-sheet-print", true);
      await page.emulateMedia({ media: null });
    }
    await context.close();
  }
} finally {
  await browser.close();
}
