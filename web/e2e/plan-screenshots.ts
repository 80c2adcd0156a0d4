// Saves a PNG of each tender plan page (the demo's joint plan) for a person
// to look at, to SAMUDBUD_SHOTS_DIR or screenshots/:
//   SAMUDBUD_BASE_URL=http://127.0.0.1:8080 npm run screenshots:plans

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { DEMO, launch, login, newPage } from "./harness.ts";

const OUT = process.env.SAMUDBUD_SHOTS_DIR ?? join(import.meta.dirname, "..", "screenshots");
const PLAN = "Fælles udbudsplan 2027–2028";

async function shoot(page: Page, name: string, fullPage = true): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  const path = join(OUT, `plans-${name}.png`);
  await page.screenshot({ path, fullPage });
  console.log(`saved ${path}`);
}

async function openPlan(page: Page): Promise<void> {
  await page.goto("/udbudsplaner");
  await page.locator(".plans-table").getByRole("link", { name: PLAN }).click();
  await page.getByRole("heading", { level: 1, name: PLAN }).waitFor();
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
    await page.goto("/udbudsplaner");
    await page.locator(".plans-table").waitFor();
    await shoot(page, `${prefix}list`);
    await openPlan(page);
    await page.locator(".tenders-table").waitFor();
    await shoot(page, `${prefix}plan-table`);
    await page.getByRole("button", { name: "Tidslinje" }).click();
    await page.locator("svg.timeline-chart").waitFor();
    await shoot(page, `${prefix}timeline`);
    // Keyboard: into the chart and along the first row's markers.
    await page.locator(".timeline-row-link").first().focus();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await shoot(page, `${prefix}timeline-focus`);
    await page.getByRole("button", { name: "År" }).click();
    await page.locator("details.details summary").first().click();
    await shoot(page, `${prefix}timeline-year-table`);
    await page.getByRole("button", { name: "Tabel" }).click();
    await page.locator(".tenders-table tbody tr").filter({ hasText: "samlet" }).first().getByRole("link").click();
    await page.locator(".tender-verdict").waitFor();
    await shoot(page, `${prefix}tender`);
    await page.getByRole("link", { name: "Redigér planlagt udbud" }).click();
    await page.locator("#tender-subject").waitFor();
    await shoot(page, `${prefix}tender-edit`);
    await context.close();
  }
  {
    // A municipality with a participation waiting for its answer.
    const { context, page } = await newPage(browser);
    await login(page, "admin@naestved.dk");
    await page.waitForURL((url) => url.pathname === "/overblik");
    await page.locator(".pending-participations").waitFor();
    await shoot(page, "overview-notice", false);
    await page.locator(".pending-participations").getByRole("link").first().click();
    await page.locator("section.own-participation").waitFor();
    await shoot(page, "participant");
    await page.goto("/mine-forpligtelser");
    await page.locator(".commitments-table").waitFor();
    await shoot(page, "commitments");
    await context.close();
  }
} finally {
  await browser.close();
}
