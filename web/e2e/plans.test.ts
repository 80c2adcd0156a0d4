// Udbudsplaner: a joint tender planned across two municipalities, each in
// its own browser context. Sorø's editor creates a plan for the
// collaboration, adds a planned tender, states Sorø's own value and invites
// Ringsted; Ringsted's admin finds the invitation on Overblik, states its
// value and the contract it replaces, and confirms. Both values are below
// the EU threshold, their sum is above it: the tender's page says so, and
// the timeline shows the tender with the contract's end.
//   SAMUDBUD_BASE_URL=http://127.0.0.1:8080 node --import tsx --test e2e/plans.test.ts

import assert from "node:assert/strict";
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

async function loggedIn(email: string): Promise<{ page: Page; close: () => Promise<void>; problems: string[] }> {
  const { context, page, problems } = await newPage(browser);
  await login(page, email);
  await page.waitForURL((url) => url.pathname !== "/login");
  return { page, close: () => context.close(), problems: problems.list };
}

/** States the municipality's value and replaced contract in its own part of the tender page, and saves. */
async function statePart(page: Page, value: string, contract: RegExp | null): Promise<void> {
  const part = page.locator("section.own-participation");
  await part.getByLabel("Anslået værdi i kroner").fill(value);
  if (contract) await part.getByRole("checkbox", { name: contract }).first().check();
  await part.getByRole("button", { name: "Gem værdi og kontrakter" }).click();
  await page.getByText("Kommunens værdi og kontrakter er gemt.").waitFor();
}

describe("udbudsplaner", () => {
  it("plans a joint tender that crosses the EU threshold only in aggregate and shows it on the timeline", TIMEOUT, async () => {
    const planName = `Testplan ${String(Date.now())}`;
    const subject = "Fælles borgerservicesystem";
    const soroe = await loggedIn("redaktoer@soroe.dk");
    const { page } = soroe;

    // The menu leads to Udbudsplaner; the plan is created for the collaboration.
    await page.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "Udbudsplaner" }).click();
    await page.getByRole("heading", { level: 1, name: "Udbudsplaner" }).waitFor();
    await page.getByRole("button", { name: "Opret udbudsplan" }).click();
    await page.locator(".error-summary").getByText("Udfyld navn.").waitFor();
    await checkA11y(page, "/udbudsplaner (create, missing name)");
    await page.getByLabel("Navn (skal udfyldes)").fill(planName);
    await page.getByLabel("Periode fra (skal udfyldes)").fill("01.01.2027");
    await page.getByLabel("Periode til (skal udfyldes)").fill("31.12.2028");
    await page.getByLabel("Ejer").selectOption({ label: COLLABORATION });
    await page.getByRole("button", { name: "Opret udbudsplan" }).click();
    await page.getByRole("heading", { level: 1, name: planName }).waitFor();
    await page.getByText("Udbudsplanen er oprettet.").waitFor();
    const planPath = new URL(page.url()).pathname;
    assert.match(planPath, /^\/udbudsplaner\/[0-9a-f-]{36}$/);
    await checkA11y(page, "/udbudsplaner/:id (empty)");

    // A planned tender led by Sorø, with a CPV code picked by keyboard and its milestones.
    await page.getByRole("link", { name: "Opret planlagt udbud" }).click();
    await page.getByRole("heading", { level: 1, name: /Opret planlagt udbud/ }).waitFor();
    await page.getByLabel("Emne (skal udfyldes)").fill(subject);
    // The CPV picker answers by keyboard: a suggestion is chosen with ↓ and Enter, or it says none matched
    // (a server without the CPV vocabulary loaded accepts any well-formed code and suggests none).
    const cpv = page.getByRole("combobox", { name: "CPV-kode" });
    await cpv.fill("48");
    const option = page.getByRole("listbox").getByRole("option").first();
    const none = page.getByText("Ingen CPV-koder passer til søgningen.");
    await option.or(none).waitFor();
    if (await option.isVisible()) {
      await cpv.press("ArrowDown");
      assert.equal(await cpv.getAttribute("aria-expanded"), "true");
      await cpv.press("Enter");
      assert.match(await cpv.inputValue(), /^48\d{6}-\d /);
    } else {
      await cpv.fill("");
    }
    await page.getByLabel("Ledende kommune (skal udfyldes)").selectOption({ label: "Sorø Kommune" });
    await page.getByLabel("Status (skal udfyldes)").selectOption({ label: "Planlagt" });
    await page.getByLabel("Udbudsform (skal udfyldes)").selectOption({ label: "Offentligt udbud" });
    await page.getByLabel("Offentliggørelse", { exact: true }).fill("01.03.2027");
    await page.getByLabel("Tilbudsfrist", { exact: true }).fill("12.04.2027");
    await page.getByLabel("Tildeling", { exact: true }).fill("01.06.2027");
    await page.getByLabel("Kontraktstart", { exact: true }).fill("01.10.2027");
    await checkA11y(page, "/udbudsplaner/:id/udbud/ny");
    await page.getByRole("button", { name: "Opret planlagt udbud" }).click();
    await page.getByRole("heading", { level: 1, name: subject }).waitFor();
    await page.getByText("Det planlagte udbud er oprettet.").waitFor();
    const tenderPath = new URL(page.url()).pathname;

    // Sorø takes part with a value below the threshold.
    if ((await page.locator("section.own-participation").count()) === 0) {
      await page.getByLabel("Kommune", { exact: true }).selectOption({ label: "Sorø Kommune" });
      await page.getByRole("button", { name: "Invitér" }).click();
      await page.getByText("Sorø Kommune er inviteret og afventer bekræftelse.").waitFor();
    }
    await statePart(page, "900.000", null);
    const soroePart = page.locator("section.own-participation");
    if ((await soroePart.getByRole("button", { name: "Bekræft deltagelse" }).count()) > 0) {
      await soroePart.getByRole("button", { name: "Bekræft deltagelse" }).click();
      await page.getByText("Deltagelsen er bekræftet.").waitFor();
    }

    // Ringsted is invited; it is pending and its value is not stated yet.
    await page.getByLabel("Kommune", { exact: true }).selectOption({ label: "Ringsted Kommune" });
    await page.getByRole("button", { name: "Invitér" }).click();
    await page.getByText("Ringsted Kommune er inviteret og afventer bekræftelse.").waitFor();
    const ringstedRow = page.locator("table.participants-table tbody tr").filter({ hasText: "Ringsted Kommune" });
    assert.match(await ringstedRow.innerText(), /Afventer bekræftelse/);
    await page.locator(".tender-verdict").getByText(/er under EU's tærskelværdi/).waitFor();
    await checkA11y(page, "/udbudsplaner/:id/udbud/:id (Sorø, Ringsted invited)");

    // Ringsted's admin finds the invitation on Overblik and answers it.
    const ringsted = await loggedIn("admin@ringsted.dk");
    const rp = ringsted.page;
    await rp.goto("/overblik");
    const notice = rp.locator(".pending-participations");
    await notice.getByRole("link", { name: new RegExp(subject) }).click();
    await rp.getByRole("heading", { level: 1, name: subject }).waitFor();
    await checkA11y(rp, "/udbudsplaner/:id/udbud/:id (Ringsted, pending)");
    await statePart(rp, "800.000", /kan løbe til/);
    await rp.locator("section.own-participation").getByRole("button", { name: "Bekræft deltagelse" }).click();
    await rp.getByText("Deltagelsen er bekræftet.").waitFor();
    assert.match(
      await rp.locator("table.participants-table tbody tr").filter({ hasText: "Ringsted Kommune" }).innerText(),
      /Bekræftet[\s\S]*800\.000,00 kr\./,
    );

    // Together they are above the threshold, each alone below it.
    const verdict = rp.locator(".tender-verdict");
    await verdict.getByText("Den samlede anslåede værdi på 1.700.000,00 kr. er over EU's tærskelværdi", { exact: false }).waitFor();
    await verdict.getByText("Krydser kun tærskelværdien samlet").waitFor();
    await checkA11y(rp, "/udbudsplaner/:id/udbud/:id (Ringsted, confirmed)");

    // Mine forpligtelser lists it as confirmed.
    await rp.getByRole("navigation", { name: "Hovedmenu" }).getByRole("link", { name: "Mine forpligtelser" }).click();
    const commitment = rp.locator("table.commitments-table tbody tr").filter({ hasText: subject });
    assert.match(await commitment.innerText(), /Bekræftet/);
    await checkA11y(rp, "/mine-forpligtelser");

    // The plan's timeline shows the tender; the keyboard reaches its markers, each with a Danish name.
    await page.goto(`${planPath}?visning=tidslinje`);
    const timeline = page.locator("section.timeline");
    await timeline.waitFor();
    const row = timeline.getByRole("link", { name: new RegExp(`^${subject}, Planlagt, ledende kommune Sorø Kommune`) });
    await row.waitFor();
    await row.focus();
    await page.keyboard.press("ArrowRight");
    const focused = await page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? "");
    assert.match(focused, /^(Offentliggørelse|Tilbudsfrist|Tildeling|Kontraktstart): \d\d\.\d\d\.\d{4}/);
    await timeline.getByRole("img", { name: /^Kontrakten ».+« \(Ringsted Kommune\) udløber \d\d\.\d\d\.\d{4}$/ }).waitFor();
    await checkA11y(page, "/udbudsplaner/:id?visning=tidslinje");

    // The table alternative carries the same dates.
    await timeline.getByText("Vis som tabel").click();
    const tableRow = timeline.locator("table.timeline-table tbody tr").filter({ hasText: subject });
    assert.match(await tableRow.innerText(), /Offentliggørelse: 01\.03\.2027/);

    // Ringsted cannot edit the collaboration's tender, but Sorø's page shows Ringsted confirmed.
    await page.goto(tenderPath);
    await page.locator(".tender-verdict").getByText("Krydser kun tærskelværdien samlet").waitFor();

    assert.deepEqual([...soroe.problems, ...ringsted.problems], []);
    await ringsted.close();
    await soroe.close();
  });
});
