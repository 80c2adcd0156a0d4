// Saves a PNG of Muligheder and Min profil for a person to look at, to
// SAMUDBUD_SHOTS_DIR or screenshots/, on a wide screen and a phone:
//   SAMUDBUD_BASE_URL=http://127.0.0.1:8080 npm run screenshots:opportunities

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { DEMO, launch, login, newPage } from "./harness.ts";

const OUT = process.env.SAMUDBUD_SHOTS_DIR ?? join(import.meta.dirname, "..", "screenshots");

async function shoot(page: Page, name: string, fullPage = true): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  const path = join(OUT, `${name}.png`);
  await page.screenshot({ path, fullPage });
  console.log(`saved ${path}`);
}

mkdirSync(OUT, { recursive: true });
const browser = await launch();
try {
  for (const [prefix, viewport] of [
    ["", { width: 1280, height: 900 }],
    ["phone-", { width: 390, height: 844 }],
  ] as const) {
    const { context, page } = await newPage(browser, viewport);
    await login(page, DEMO.editor);
    await page.waitForURL((url) => url.pathname !== "/login");
    await page.goto("/muligheder");
    await page.locator("article.opportunity-card").first().waitFor();
    await shoot(page, `${prefix}opportunities`);
    await page
      .locator("article.opportunity-card")
      .filter({ has: page.getByRole("button", { name: "Opret planlagt udbud" }) })
      .first()
      .getByRole("button", { name: "Opret planlagt udbud" })
      .click();
    await page.getByRole("dialog").getByLabel("Udbudsplan").waitFor();
    await shoot(page, `${prefix}opportunities-dialog`, false);
    await page.keyboard.press("Escape");
    await page.getByRole("button", { name: "Vores kontrakter" }).click();
    await page.locator(".my-opportunities .alert, .my-opportunities article").first().waitFor();
    await shoot(page, `${prefix}opportunities-mine`);

    await page.goto("/profil");
    await page.locator(".reminder-effective").waitFor();
    await page.getByRole("button", { name: "Se næste påmindelse" }).click();
    await page.locator("section.reminder-preview").waitFor();
    await page.locator("section.calendar-feed").getByRole("button", { name: /Opret/ }).click();
    await page.getByLabel("Adresse til kalenderen").waitFor();
    await shoot(page, `${prefix}profile`);
    await context.close();
  }
} finally {
  await browser.close();
}
