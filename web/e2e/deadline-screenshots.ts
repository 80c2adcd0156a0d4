// Saves PNGs of Overblik's deadline figures (passed ones first, in red), the
// contract list with the deadline filters open, and the contract form at
// the top, scrolled with the save bar, and with errors, at 1280 and 390 px,
// to SAMUDBUD_SHOTS_DIR or screenshots/:
//   SAMUDBUD_BASE_URL=http://127.0.0.1:8080 node --import tsx e2e/deadline-screenshots.ts

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { DEMO, launch, login, newPage } from "./harness.ts";

const OUT = process.env.SAMUDBUD_SHOTS_DIR ?? join(import.meta.dirname, "..", "screenshots");

async function shoot(page: Page, name: string, fullPage = false): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  const path = join(OUT, `deadlines-${name}.png`);
  await page.screenshot({ path, fullPage });
  console.log(`saved ${path}`);
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
    await page.waitForURL((url) => url.pathname === "/overblik");
    await page.locator(".deadlines-table tbody tr").first().waitFor();
    await shoot(page, `${w}-overblik`);
    await page.locator("#deadlines-heading").scrollIntoViewIfNeeded();
    await shoot(page, `${w}-overblik-table`);

    await page.goto("/kontrakter?notice_within_days=90");
    await page.locator(".contract-list .list-status").waitFor({ state: "attached" });
    await page.locator("#contract-retender").scrollIntoViewIfNeeded();
    await shoot(page, `${w}-kontrakter-filters`);

    await page.goto("/kontrakter/ny");
    await page.locator("#contract-system_ids").waitFor();
    await shoot(page, `${w}-form-top`);
    await page.mouse.wheel(0, 2200);
    await page.waitForTimeout(300);
    await shoot(page, `${w}-form-scrolled`);
    await page.locator("#contract-signed_on").fill("15.01.2025");
    await page.locator("#contract-start_on").fill("01.2025");
    await page.locator("#contract-annual_value").fill("mange");
    await page.locator(".sticky-save-bar").getByRole("button", { name: "Opret kontrakt" }).click();
    await page.locator(".error-summary").waitFor();
    await shoot(page, `${w}-form-errors`);
    await context.close();
  }
} finally {
  await browser.close();
}
