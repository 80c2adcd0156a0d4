// Saves a PNG of each step of the contract import wizard and of the export
// menu, for a person to look at, to SAMUDBUD_SHOTS_DIR or screenshots/:
//   SAMUDBUD_BASE_URL=http://127.0.0.1:8080 npm run screenshots:imports

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { DEMO, launch, login, newPage } from "./harness.ts";

const OUT = process.env.SAMUDBUD_SHOTS_DIR ?? join(import.meta.dirname, "..", "screenshots");

async function shoot(page: Page, name: string, fullPage = true): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  const path = join(OUT, `imports-${name}.png`);
  await page.screenshot({ path, fullPage });
  console.log(`saved ${path}`);
}

const tag = String(Date.now()).slice(-6);
const csv = [
  "Titel;Referencenummer;Leverandør CVR;Leverandør;IT-systemer;Startdato;Slutdato;Årlig værdi (kr.);Intern kommentar",
  `Drift af borgerportal;SKS-${tag}-1;25052943;Netcompany A/S;Borgerportalen;01.01.2025;31.12.2028;350.000,00;Forlænges måske`,
  `Licens til løn;SKS-${tag}-2;25052943;Netcompany A/S;Lønsystem;01.03.2024;;120.000;`,
  `Support uden start;SKS-${tag}-3;25052943;Netcompany A/S;;;;ikke et beløb;`,
].join("\r\n");

mkdirSync(OUT, { recursive: true });
const browser = await launch();
try {
  const { context, page } = await newPage(browser);
  await login(page, DEMO.editor);
  await page.waitForURL((url) => url.pathname !== "/login");
  await page.goto("/kontrakter");
  await page.locator("table.contracts-table").waitFor();
  await page.getByRole("button", { name: "Eksportér listen" }).click();
  await shoot(page, "export-menu", false);
  await page.keyboard.press("Escape");

  await page.getByRole("link", { name: "Importér kontrakter" }).click();
  await page.getByRole("heading", { level: 1, name: "Importér kontrakter" }).waitFor();
  await page.locator("#import-file").setInputFiles({ name: "kontraktregister.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await shoot(page, "1-upload");
  await page.getByRole("button", { name: "Læs filen" }).click();
  await page.getByRole("heading", { level: 2, name: "Kolonner i filen" }).waitFor();
  await shoot(page, "2-columns");
  await page.getByRole("button", { name: "Næste trin" }).click();
  await page.getByRole("heading", { level: 2, name: "Tilknyt felter" }).waitFor();
  await page.getByLabel("Felt for »Intern kommentar«").selectOption("reference");
  await shoot(page, "3-mapping-duplicate");
  await page.getByLabel("Felt for »Intern kommentar«").selectOption("notes");
  await page.getByRole("button", { name: "Prøv importen" }).click();
  await page.getByRole("heading", { level: 2, name: "Prøv importen" }).waitFor();
  await shoot(page, "4-trial");
  await page.getByRole("button", { name: "Næste trin" }).click();
  await page.getByRole("heading", { level: 2, name: "Importér" }).waitFor();
  await page.getByLabel("Importér kun de gyldige rækker").check();
  await shoot(page, "5-import");
  await page.getByRole("button", { name: "Importér kontrakterne" }).click();
  await page.getByRole("heading", { level: 2, name: "Resultat" }).waitFor();
  await shoot(page, "6-result");

  for (const [path, name] of [
    ["/it-systemer", "systems"],
    ["/overblik", "deadlines"],
  ] as const) {
    await page.goto(path);
    await page.getByRole("button", { name: "Eksportér listen" }).first().click();
    await shoot(page, `export-${name}`, false);
  }
  await context.close();

  const admin = await newPage(browser);
  await login(admin.page, DEMO.admin);
  await admin.page.waitForURL((url) => url.pathname !== "/login");
  await admin.page.goto("/administration/log");
  await admin.page.getByRole("button", { name: "Eksportér listen" }).click();
  await shoot(admin.page, "export-log", false);
  await admin.context.close();
} finally {
  await browser.close();
}
