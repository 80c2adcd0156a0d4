// Saves PNGs of bulk actions on the contract list at 1280 and 390 px (the
// chosen contracts with the action bar, the share dialog, the message with
// the counts) and of a contract's sharing section, for a person to look at,
// to SAMUDBUD_SHOTS_DIR or screenshots/:
//   SAMUDBUD_BASE_URL=http://127.0.0.1:8080 npm run screenshots:bulk

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { DEMO, launch, login, newPage } from "./harness.ts";

const OUT = process.env.SAMUDBUD_SHOTS_DIR ?? join(import.meta.dirname, "..", "screenshots");

async function shoot(page: Page, name: string, fullPage = false): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  const path = join(OUT, `bulk-${name}.png`);
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
    const { context, page } = await newPage(browser, { width, height });
    await login(page, DEMO.editor);
    await page.waitForURL((url) => url.pathname !== "/login");
    await page.goto("/kontrakter?scope=own");
    await page.getByLabel("Vælg alle på siden").check();
    const bar = page.getByRole("region", { name: "Handlinger for valgte kontrakter" });
    await bar.waitFor();
    await page.mouse.wheel(0, 900);
    await shoot(page, `${String(width)}-selected`);
    await bar.getByRole("button", { name: "Sæt kategori …" }).click();
    await shoot(page, `${String(width)}-category-dialog`);
    await page.keyboard.press("Escape");
    await bar.getByRole("button", { name: "Del med fællesskab …" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Fællesskab").selectOption({ label: "Midtsjællands IT-samarbejde" });
    await dialog.getByLabel("Del også bilag").check();
    await shoot(page, `${String(width)}-share-dialog`);
    await dialog.getByRole("button", { name: "Del med fællesskab …" }).click();
    await page.locator(".alert-success").waitFor();
    await shoot(page, `${String(width)}-done`);
    const first = page.locator("table.contracts-table tbody th a").first();
    await first.click();
    await page.getByRole("heading", { name: "Deling" }).scrollIntoViewIfNeeded();
    await shoot(page, `${String(width)}-contract-sharing`);
    await context.close();
  }
} finally {
  await browser.close();
}
