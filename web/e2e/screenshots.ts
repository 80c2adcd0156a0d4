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
    await page.getByRole("heading", { level: 1, name: /Velkommen/ }).waitFor();
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
    await page.getByRole("heading", { level: 1, name: /Velkommen/ }).waitFor();
    await shoot(page, "welcome-viewer");
    await context.close();
  }
  {
    const { context, page } = await newPage(browser, { width: 390, height: 844 });
    await login(page, DEMO.admin);
    await page.getByRole("heading", { level: 1, name: /Velkommen/ }).waitFor();
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
} finally {
  await browser.close();
}
