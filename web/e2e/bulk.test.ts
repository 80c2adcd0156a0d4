// Kontrakter, several at once: Sorø's editor chooses 20 contracts on the
// list, shares them with the demo collaboration (attachments included) in
// one go, reads the counts, and Ringsted's editor then finds them shared;
// the contract page's share dialog offers "Del også bilag". Axe on every
// new state, and the page at 390 px.
//   SAMUDBUD_BASE_URL=http://127.0.0.1:18132 node --import tsx --test e2e/bulk.test.ts

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { apiToken, BASE_URL, checkA11y, launch, login, newPage, printAxeLog } from "./harness.ts";

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

async function loggedIn(email: string, viewport?: { width: number; height: number }) {
  const { context, page, problems } = await newPage(browser, viewport);
  await login(page, email);
  await page.waitForURL((url) => url.pathname !== "/login");
  return { page, close: () => context.close(), problems: problems.list };
}

/** The ids of the contracts whose checkboxes are on the page, in order. */
async function choosableIds(page: Page): Promise<string[]> {
  const ids = await page
    .locator("table.contracts-table tbody input[type=checkbox]")
    .evaluateAll((boxes) => boxes.map((b) => b.id.replace(/^select-/, "")));
  return ids;
}

/** The numbers in "N kontrakter ændret. M kontrakter var allerede sådan." */
function counts(text: string): { changed: number; unchanged: number } {
  const changed = /(\d+) kontrakt(?:er)? ændret/.exec(text);
  const unchanged = /(\d+) kontrakt(?:er)? var allerede/.exec(text);
  return { changed: Number(changed?.[1] ?? 0), unchanged: Number(unchanged?.[1] ?? 0) };
}

describe("kontrakter i bulk", () => {
  it("chooses 20 contracts, shares them with the collaboration and the partner sees them", TIMEOUT, async () => {
    const soroe = await loggedIn("redaktoer@soroe.dk");
    const { page } = soroe;
    await page.goto("/kontrakter?scope=own&page_size=50");
    await page.locator("table.contracts-table tbody tr").first().waitFor();
    await page.getByLabel("Vælg alle på siden").waitFor();

    const ids = (await choosableIds(page)).slice(0, 20);
    assert.equal(ids.length, 20, "the demo has at least 20 own contracts on the page");
    for (const id of ids) await page.locator(`[id="select-${id}"]`).check();
    const bar = page.getByRole("region", { name: "Handlinger for valgte kontrakter" });
    await bar.getByText("20 valgt").waitFor();
    await checkA11y(page, "/kontrakter (20 valgt)");

    // "Vælg alle på siden" and back again leaves the 20 as they were chosen.
    await page.getByLabel("Vælg alle på siden").check();
    assert.ok(!(await bar.getByText("20 valgt").isVisible()));
    await page.getByLabel("Vælg alle på siden").uncheck();
    await bar.waitFor({ state: "detached" });
    for (const id of ids) await page.locator(`[id="select-${id}"]`).check();
    await bar.getByText("20 valgt").waitFor();

    // The share dialog says how many it affects and asks for the collaboration.
    await bar.getByRole("button", { name: "Del med fællesskab …" }).click();
    const dialog = page.getByRole("dialog", { name: "Del med fællesskab" });
    await dialog.getByText("Handlingen omfatter 20 kontrakter.").waitFor();
    await dialog.getByRole("button", { name: "Del med fællesskab …" }).click();
    await dialog.getByText("Udfyld fællesskab.").waitFor();
    await checkA11y(page, "/kontrakter (del, mangler fællesskab)");
    await dialog.getByLabel("Fællesskab").selectOption({ label: COLLABORATION });
    await dialog.getByLabel("Del også bilag").check();
    await checkA11y(page, "/kontrakter (del-dialog)");
    await dialog.getByRole("button", { name: "Del med fællesskab …" }).click();
    await dialog.waitFor({ state: "detached" });

    const message = page.locator(".alert-success").filter({ hasText: "ændret" });
    await message.waitFor();
    const { changed, unchanged } = counts(await message.innerText());
    assert.equal(changed + unchanged, 20, await message.innerText());
    assert.ok(changed > 0, "the demo shares only some contracts beforehand");
    assert.ok(!(await bar.isVisible()), "the choice is cleared after the action");
    await checkA11y(page, "/kontrakter (delt, besked)");

    // Asked again, all 20 are already so.
    for (const id of ids) await page.locator(`[id="select-${id}"]`).check();
    await bar.getByRole("button", { name: "Del med fællesskab …" }).click();
    await dialog.getByLabel("Fællesskab").selectOption({ label: COLLABORATION });
    await dialog.getByLabel("Del også bilag").check();
    await dialog.getByRole("button", { name: "Del med fællesskab …" }).click();
    await page.locator(".alert-success").filter({ hasText: "20 kontrakter var allerede sådan." }).waitFor();
    assert.deepEqual(soroe.problems, []);

    // At 390 px the bar and the list still work.
    const narrow = await loggedIn("redaktoer@soroe.dk", { width: 390, height: 844 });
    await narrow.page.goto("/kontrakter?scope=own");
    await narrow.page.getByLabel("Vælg alle på siden").check();
    await narrow.page.getByRole("region", { name: "Handlinger for valgte kontrakter" }).waitFor();
    await checkA11y(narrow.page, "/kontrakter (390 px, alle valgt)");
    await narrow.close();

    // Ringsted, a member, reads each of the 20 as shared by Sorø, and sees the files.
    const token = await apiToken("redaktoer@ringsted.dk");
    for (const id of ids) {
      const response = await fetch(`${BASE_URL}/api/v1/contracts/${id}`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(response.status, 200, id);
      const contract = (await response.json()) as { shared: boolean; owner: { name: string } };
      assert.equal(contract.shared, true);
      assert.equal(contract.owner.name, "Sorø Kommune");
      const files = await fetch(`${BASE_URL}/api/v1/contracts/${id}/attachments`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(files.status, 200, `attachments of ${id}`);
    }
    const ringsted = await loggedIn("redaktoer@ringsted.dk");
    await ringsted.page.goto(`/kontrakter/${ids[0] ?? ""}`);
    await ringsted.page.getByText("Delt af Sorø Kommune").first().waitFor();
    await ringsted.page.getByRole("heading", { name: "Bilag" }).waitFor();
    await checkA11y(ringsted.page, "/kontrakter/:id (Ringsted, delt med bilag)");
    assert.deepEqual(ringsted.problems, []);
    await ringsted.close();

    // The contract page's share dialog offers the attachments too.
    await page.goto(`/kontrakter/${ids[0] ?? ""}`);
    await page.getByRole("heading", { name: "Deling" }).waitFor();
    await page.getByText("med bilag").first().waitFor();
    await checkA11y(page, "/kontrakter/:id (deling med bilag)");
    await soroe.close();
  });
});
