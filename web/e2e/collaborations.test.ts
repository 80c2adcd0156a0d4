// Fællesskaber: the invitation flow between municipalities, each in its own
// browser context. Sorø creates a collaboration with a unique name, invites
// Ringsted and Næstved; Ringsted accepts, Næstved declines, Ringsted's viewer
// sees no buttons, Ringsted leaves, and Næstved (no member) finds nothing.
//   SAMUDBUD_BASE_URL=http://127.0.0.1:8080 node --import tsx --test e2e/collaborations.test.ts

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { checkA11y, launch, login, newPage, printAxeLog } from "./harness.ts";

const TIMEOUT = { timeout: 180_000 };

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

async function heading(page: Page): Promise<string> {
  return (await page.getByRole("heading", { level: 1 }).innerText()).trim();
}

function memberRow(page: Page, municipality: string) {
  return page.locator("table.members-table tbody tr").filter({ hasText: municipality });
}

function invitationRow(page: Page, name: string) {
  return page.locator("table.invitations-table tbody tr").filter({ hasText: name });
}

describe("fællesskaber", () => {
  it("invites, accepts, declines, hides buttons from viewers, leaves and hides the collaboration from others", TIMEOUT, async () => {
    const name = `Testfællesskab ${String(Date.now())}`;
    const soroe = await loggedIn("admin@soroe.dk");
    const { page } = soroe;

    // Sorø's admin creates the collaboration.
    await page.goto("/faellesskaber");
    assert.equal(await heading(page), "Fællesskaber");
    await page.locator("table.collaborations-table").getByRole("link", { name: "Midtsjællands IT-samarbejde" }).waitFor();
    await checkA11y(page, "/faellesskaber (Sorø admin)");

    await page.getByRole("button", { name: "Opret fællesskab" }).click();
    await page.locator(".error-summary").getByText("Udfyld navn.").waitFor();
    await checkA11y(page, "/faellesskaber (create, missing name)");
    await page.getByLabel("Navn", { exact: true }).fill(name);
    await page.getByLabel("Beskrivelse (valgfri)").fill("Afprøvning af invitationer");
    await page.getByRole("button", { name: "Opret fællesskab" }).click();
    await page.getByRole("heading", { level: 1, name }).waitFor();
    const url = new URL(page.url()).pathname;
    assert.match(url, /^\/faellesskaber\/[0-9a-f-]{36}$/);
    await page.getByText(`Fællesskabet ${name} er oprettet.`).waitFor();
    assert.match(await memberRow(page, "Sorø Kommune").innerText(), /340[\s\S]*koordinator[\s\S]*Medlem/);
    await checkA11y(page, "/faellesskaber/:id (new, coordinator)");

    // A code or name no municipality has is refused with a clear message.
    const code = page.getByLabel("Kommune", { exact: true });
    const invite = page.getByRole("button", { name: "Send invitation" });
    await code.fill("101");
    await invite.click();
    await page
      .locator(".error-summary")
      .getByText("Der er ingen kommune, som hedder eller har kommunekoden 101 og bruger Samudbud.")
      .waitFor();
    assert.equal(await code.getAttribute("aria-invalid"), "true");
    await checkA11y(page, "/faellesskaber/:id (unknown code)");

    // Ringsted and Næstved are invited; inviting Ringsted twice is refused.
    await code.fill("329");
    await invite.click();
    await page.getByText("Ringsted Kommune er inviteret til fællesskabet.").waitFor();
    assert.match(await memberRow(page, "Ringsted Kommune").innerText(), /329[\s\S]*medlem[\s\S]*Inviteret/);
    await code.fill("329");
    await invite.click();
    await page
      .locator(".error-summary")
      .getByText("Kommunen med kommunekode 329 er allerede inviteret eller medlem.")
      .waitFor();
    await code.fill("370");
    await invite.click();
    await page.getByText("Næstved Kommune er inviteret til fællesskabet.").waitFor();
    assert.match(await memberRow(page, "Næstved Kommune").innerText(), /370[\s\S]*Inviteret/);

    // Ringsted's viewer sees the invitation but cannot answer it.
    const viewer = await loggedIn("laeser@ringsted.dk");
    await viewer.page.goto("/faellesskaber");
    await invitationRow(viewer.page, name).waitFor();
    assert.equal(await invitationRow(viewer.page, name).getByRole("button").count(), 0);
    await viewer.page.getByText("Kun kommunens administratorer kan tage imod eller afslå en invitation.").waitFor();
    assert.equal(await viewer.page.getByRole("button", { name: "Opret fællesskab" }).count(), 0);
    await checkA11y(viewer.page, "/faellesskaber (Ringsted viewer, invitation)");

    // Ringsted's admin accepts.
    const ringsted = await loggedIn("admin@ringsted.dk");
    await ringsted.page.goto("/faellesskaber");
    await invitationRow(ringsted.page, name).waitFor();
    await checkA11y(ringsted.page, "/faellesskaber (Ringsted admin, invitation)");
    await invitationRow(ringsted.page, name).getByRole("button", { name: /Tag imod/ }).click();
    await ringsted.page.getByText(`Ringsted Kommune er nu medlem af ${name}.`).waitFor();
    await ringsted.page.locator("table.collaborations-table").getByRole("link", { name }).waitFor();
    assert.equal(await invitationRow(ringsted.page, name).count(), 0);

    // Næstved's admin declines.
    const naestved = await loggedIn("admin@naestved.dk");
    await naestved.page.goto("/faellesskaber");
    await invitationRow(naestved.page, name).getByRole("button", { name: /Afslå/ }).click();
    await naestved.page.getByText(`Invitationen til ${name} er afslået.`).waitFor();
    await invitationRow(naestved.page, name).waitFor({ state: "detached" });
    assert.equal(await naestved.page.locator("table.collaborations-table").getByRole("link", { name }).count(), 0);

    // Sorø sees Ringsted as a member and Næstved no longer invited.
    await page.reload();
    await page.getByRole("heading", { level: 1, name }).waitFor();
    assert.match(await memberRow(page, "Ringsted Kommune").innerText(), /Medlem/);
    const naestvedRow = await memberRow(page, "Næstved Kommune").innerText();
    assert.doesNotMatch(naestvedRow, /Inviteret/);
    assert.match(naestvedRow, /Afslået/);
    await checkA11y(page, "/faellesskaber/:id (after answers)");

    // The coordinator sets member roles and edits the description.
    await memberRow(page, "Ringsted Kommune").getByRole("button", { name: /Gør til koordinator/ }).click();
    await page.getByText("Ringsted Kommune er nu koordinator i fællesskabet.").waitFor();
    await memberRow(page, "Ringsted Kommune").getByRole("button", { name: /Gør til medlem/ }).click();
    await page.getByText("Ringsted Kommune er nu medlem i fællesskabet.").waitFor();
    await memberRow(page, "Ringsted Kommune").getByRole("button", { name: /Gør til koordinator/ }).waitFor();
    assert.match(await memberRow(page, "Ringsted Kommune").innerText(), /329\s+medlem/);
    await page.getByRole("button", { name: "Redigér navn og beskrivelse" }).click();
    const edit = page.getByRole("dialog", { name: `Redigér ${name}` });
    await edit.getByLabel("Beskrivelse (valgfri)").fill("Fælles udbud af skolesystemer");
    await checkA11y(page, "/faellesskaber/:id (edit dialog)");
    await edit.getByRole("button", { name: "Gem ændringer" }).click();
    await page.getByText(`Ændringerne af ${name} er gemt.`).waitFor();
    await page.getByText("Fælles udbud af skolesystemer").waitFor();

    // The viewer sees the members but no invite, remove or leave controls.
    await viewer.page.goto(url);
    await viewer.page.getByRole("heading", { level: 1, name }).waitFor();
    assert.match(await memberRow(viewer.page, "Ringsted Kommune").innerText(), /Medlem/);
    for (const button of ["Send invitation", "Forlad fællesskabet", "Tag imod"]) {
      assert.equal(await viewer.page.getByRole("button", { name: button }).count(), 0, button);
    }
    assert.equal(await viewer.page.getByLabel("Kommune", { exact: true }).count(), 0);
    await checkA11y(viewer.page, "/faellesskaber/:id (Ringsted viewer)");

    // Ringsted's admin is a member, not coordinator: no invite form, but may leave after a warning.
    await ringsted.page.goto(url);
    await ringsted.page.getByRole("heading", { level: 1, name }).waitFor();
    assert.equal(await ringsted.page.getByRole("button", { name: "Send invitation" }).count(), 0);
    await ringsted.page.getByRole("button", { name: "Forlad fællesskabet" }).click();
    const dialog = ringsted.page.getByRole("dialog", { name: `Forlad ${name}?` });
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /holder op med at være synlige for de andre medlemmer/);
    await checkA11y(ringsted.page, "/faellesskaber/:id (leave dialog)");
    await dialog.getByRole("button", { name: "Forlad fællesskabet" }).click();
    await ringsted.page.getByText(`Ringsted Kommune har forladt ${name}.`).waitFor();
    assert.equal(new URL(ringsted.page.url()).pathname, "/faellesskaber");
    assert.equal(await ringsted.page.locator("table.collaborations-table").getByRole("link", { name }).count(), 0);

    await page.reload();
    await page.getByRole("heading", { level: 1, name }).waitFor();
    assert.match(await memberRow(page, "Ringsted Kommune").innerText(), /Udtrådt/);

    // Næstved, which declined, is no member: the address leads nowhere.
    await naestved.page.goto(url);
    assert.equal(await heading(naestved.page), "Siden findes ikke");
    await checkA11y(naestved.page, "/faellesskaber/:id (not a member)");

    for (const session of [soroe, viewer, ringsted, naestved]) {
      assert.deepEqual(session.problems, []);
      await session.close();
    }
  });
});
