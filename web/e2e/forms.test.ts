// Browser tests of what keeps a form's edits from being lost: leaving a form
// with unsaved changes asks first (menu, back button, cancel link, reload),
// and only then; dates are written dd.mm.åååå whatever the browser's
// language, and one that is partly written or does not exist is refused
// beside the field, never saved as no date; the error summary names each
// field and leads to it.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { apiToken, BASE_URL, checkA11y, DEMO, launch, login, newPage, printAxeLog } from "./harness.ts";

const TIMEOUT = { timeout: 180_000 };
const LEAVE_TITLE = "Ændringer er ikke gemt";
const DATE_ERROR = "Skriv en gyldig dato som dd.mm.åååå.";

let browser: Browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser.close();
  printAxeLog();
});

async function loginAs(b: Browser, email: string, locale = "da-DK") {
  const { context, page, problems } = await newPage(b, { width: 1280, height: 900 }, locale);
  await login(page, email);
  await page.waitForURL((url) => url.pathname !== "/login");
  // The page after logging in moves focus to its heading when it has loaded;
  // a menu opened before that would close again as focus leaves it.
  await page.waitForFunction(() => document.activeElement?.matches("h1.page-heading") === true);
  return { page, close: () => context.close(), problems: problems.list };
}

function menuLink(page: Page, name: string) {
  return page.getByRole("navigation", { name: "Hovedmenu" }).first().getByRole("link", { name, exact: true });
}

function leaveDialog(page: Page) {
  return page.getByRole("dialog", { name: LEAVE_TITLE });
}

/** The browser's back button: a history step the app did not start. */
async function browserBack(page: Page): Promise<void> {
  await page.evaluate(() => {
    history.back();
  });
}

/** Waits for the question, checks its words, and answers it. */
async function answer(page: Page, choice: "Bliv på siden" | "Forlad siden", a11yName?: string): Promise<void> {
  const dialog = leaveDialog(page);
  await dialog.waitFor();
  assert.match(await dialog.innerText(), /Du har ændringer, der ikke er gemt\. Vil du forlade siden\?/);
  // The safe choice has focus, so Enter keeps the edits.
  assert.equal(await dialog.getByRole("button", { name: "Bliv på siden" }).evaluate((b) => b === document.activeElement), true);
  if (a11yName) await checkA11y(page, a11yName);
  await dialog.getByRole("button", { name: choice }).click();
  await dialog.waitFor({ state: "detached" });
}

/** A reload with unsaved changes makes the browser ask; declining keeps the page as it is. */
async function declineReload(page: Page): Promise<void> {
  const asked = page.waitForEvent("dialog");
  const reload = page.reload().catch(() => undefined);
  const dialog = await asked;
  assert.equal(dialog.type(), "beforeunload");
  await dialog.dismiss();
  void reload;
}

async function api<T>(email: string, path: string): Promise<T> {
  const token = await apiToken(email);
  const response = await fetch(`${BASE_URL}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200, path);
  return (await response.json()) as T;
}

async function contractsTitled(title: string): Promise<{ id: string; end_on: string | null }[]> {
  const page = await api<{ items: { id: string; title: string; end_on: string | null }[] }>(
    DEMO.editor,
    `/contracts?q=${encodeURIComponent(title)}`,
  );
  return page.items.filter((c) => c.title === title);
}

async function focusedId(page: Page): Promise<string> {
  return page.evaluate(() => document.activeElement?.id ?? "");
}

describe("Unsaved changes", () => {
  it("asks before leaving the contract form with changes, and only then", TIMEOUT, async () => {
    const { page, close, problems } = await loginAs(browser, DEMO.editor);
    await page.goto("/kontrakter/ny");
    const title = page.locator("#contract-title");
    await page.locator("#contract-system_ids").waitFor();

    // Nothing changed, or a change taken back: the menu just leaves.
    await title.click();
    await title.fill("Midlertidig");
    await title.fill("");
    await menuLink(page, "It-systemer").click();
    await page.waitForURL((url) => url.pathname === "/it-systemer");
    assert.equal(await leaveDialog(page).count(), 0);

    // Into the form within the app, so that "back" stays within it too.
    await menuLink(page, "Kontrakter").click();
    await page.getByRole("link", { name: "Opret kontrakt" }).click();
    await page.waitForURL((url) => url.pathname === "/kontrakter/ny");
    await title.click();
    await title.fill("Kontrakt under arbejde");
    await page.locator("#contract-end_on").fill("31.12.2027");

    // The menu asks; staying keeps every edit.
    await menuLink(page, "It-systemer").click();
    await answer(page, "Bliv på siden", "/kontrakter/ny (forlad siden?)");
    assert.equal(new URL(page.url()).pathname, "/kontrakter/ny");
    assert.equal(await title.inputValue(), "Kontrakt under arbejde");
    assert.equal(await page.locator("#contract-end_on").inputValue(), "31.12.2027");

    // So does the browser's back button.
    await browserBack(page);
    await answer(page, "Bliv på siden");
    assert.equal(new URL(page.url()).pathname, "/kontrakter/ny");
    assert.equal(await title.inputValue(), "Kontrakt under arbejde");

    // And the form's own cancel link.
    await page.getByRole("link", { name: "Annullér" }).click();
    await answer(page, "Bliv på siden");
    assert.equal(new URL(page.url()).pathname, "/kontrakter/ny");

    // A reload or closing the tab: the browser asks.
    await declineReload(page);
    assert.equal(await title.inputValue(), "Kontrakt under arbejde");

    // Leaving throws the edits away, as asked.
    await menuLink(page, "It-systemer").click();
    await answer(page, "Forlad siden");
    await page.waitForURL((url) => url.pathname === "/it-systemer");
    await page.goto("/kontrakter/ny");
    await title.waitFor();
    assert.equal(await title.inputValue(), "");

    assert.deepEqual(problems, []);
    await close();
  });

  it("asks before leaving the IT system form, and not after saving", TIMEOUT, async () => {
    const { page, close, problems } = await loginAs(browser, DEMO.editor);
    await page.goto("/it-systemer/ny");
    const name = `Vagtsystem ${String(Date.now())}`;
    const nameField = page.getByLabel("Navn (skal udfyldes)");
    await nameField.click();
    await nameField.fill(name);
    await menuLink(page, "Kontrakter").click();
    await answer(page, "Bliv på siden", "/it-systemer/ny (forlad siden?)");
    assert.equal(await nameField.inputValue(), name);

    await page.getByRole("button", { name: "Opret it-system" }).click();
    await page.waitForURL((url) => /^\/it-systemer\/[0-9a-f-]{36}$/.test(url.pathname));
    assert.equal(await leaveDialog(page).count(), 0);

    // Editing: the cancel link asks once something changed.
    await page.getByRole("link", { name: "Redigér" }).click();
    const category = page.getByLabel("Kategori");
    await category.click();
    await category.fill("Overvågning");
    await page.getByRole("link", { name: "Annullér" }).click();
    await answer(page, "Forlad siden");
    await page.waitForURL((url) => /^\/it-systemer\/[0-9a-f-]{36}$/.test(url.pathname));

    assert.deepEqual(problems, []);
    await close();
  });

  it("asks before leaving the administration forms and dialogs", TIMEOUT, async () => {
    const { page, close, problems } = await loginAs(browser, DEMO.admin);

    // Creating a user; the page reached within the app, so that "back" stays within it.
    await page.getByRole("navigation", { name: "Hovedmenu" }).first().getByRole("button", { name: "Administration" }).click();
    await menuLink(page, "Brugere").click();
    await page.waitForURL((url) => url.pathname === "/administration/brugere");
    const form = page.locator("section.create-user");
    await form.getByLabel("Navn").click();
    await form.getByLabel("Navn").fill("Halvt oprettet");
    await menuLink(page, "Kontrakter").click();
    await answer(page, "Bliv på siden", "/administration/brugere (forlad siden?)");
    assert.equal(await form.getByLabel("Navn").inputValue(), "Halvt oprettet");

    // A changed role in the dialog, and the back button: asked above the dialog.
    await page.locator("table.users-table tbody tr").first().getByRole("button", { name: /Skift rolle/ }).click();
    const roleDialog = page.getByRole("dialog", { name: /Skift rolle for/ });
    const role = roleDialog.getByLabel("Ny rolle");
    await role.waitFor();
    const before = await role.inputValue();
    await role.selectOption(before === "viewer" ? "editor" : "viewer");
    await browserBack(page);
    await answer(page, "Bliv på siden", "/administration/brugere (skift rolle, forlad siden?)");
    assert.notEqual(await role.inputValue(), before);
    await roleDialog.getByRole("button", { name: "Annullér" }).click();
    await roleDialog.waitFor({ state: "detached" });

    await menuLink(page, "Kontrakter").click();
    await answer(page, "Forlad siden");
    await page.waitForURL((url) => url.pathname === "/kontrakter");

    // Creating an API client.
    await page.goto("/administration/api-klienter");
    const clientName = page.locator("#new-client-name");
    await clientName.click();
    await clientName.fill("Økonomisystem");
    await menuLink(page, "Kontrakter").click();
    await answer(page, "Forlad siden");
    await page.waitForURL((url) => url.pathname === "/kontrakter");

    // Creating a collaboration.
    await page.goto("/faellesskaber");
    const collaborationName = page.locator("#new-collaboration-name");
    await collaborationName.click();
    await collaborationName.fill("Nyt fællesskab");
    await menuLink(page, "Kontrakter").click();
    await answer(page, "Forlad siden");
    await page.waitForURL((url) => url.pathname === "/kontrakter");

    assert.deepEqual(problems, []);
    await close();
  });
});

describe("Dates and the error summary", () => {
  const title = `Datokontrakt ${String(Date.now())}`;
  let id = "";

  it("refuses a partly written or impossible date, names the fields in the summary and saves nothing", TIMEOUT, async () => {
    const { page, close, problems } = await loginAs(browser, DEMO.editor);
    await page.goto("/kontrakter/ny");
    await page.locator("#contract-system_ids").waitFor();
    assert.match(await page.locator("#contract-end_on-hint").innerText(), /Skriv datoen som dd\.mm\.åååå/);

    await page.locator("#contract-title").fill(title);
    await page.locator("#contract-cvr").fill("27654312");
    await page.getByRole("button", { name: "Find leverandør" }).click();
    await page.locator(".supplier-found", { hasText: "Midtpunkt Løn A/S" }).waitFor();
    await page.locator("#contract-start_on").fill("1-1-2025");
    await page.locator("#contract-start_on").press("Tab");
    // A date that reads is tidied to dd.mm.åååå.
    assert.equal(await page.locator("#contract-start_on").inputValue(), "01.01.2025");
    // One part of the end date is missing; the amount is not an amount.
    await page.locator("#contract-end_on").fill("12.2027");
    await page.locator("#contract-annual_value").fill("mange penge");
    await page.getByRole("button", { name: "Opret kontrakt" }).click();

    const summary = page.locator(".error-summary");
    await summary.waitFor();
    await page.waitForFunction(() => document.activeElement?.classList.contains("error-summary") === true);
    const endLink = summary.getByRole("link", { name: `Slutdato: ${DATE_ERROR}` });
    assert.equal(await endLink.getAttribute("href"), "#contract-end_on");
    const amountLink = summary.getByRole("link", { name: /^Årlig værdi: Skriv et beløb/ });
    assert.equal(await amountLink.getAttribute("href"), "#contract-annual_value");
    assert.equal(await page.locator("#contract-end_on").getAttribute("aria-invalid"), "true");
    assert.match(await page.locator("#contract-end_on-error").innerText(), /Skriv en gyldig dato som dd\.mm\.åååå\./);
    await checkA11y(page, "/kontrakter/ny (ufuldstændig dato)");
    await endLink.click();
    assert.equal(await focusedId(page), "contract-end_on");

    // A date that does not exist is refused the same way.
    await page.locator("#contract-end_on").fill("31.02.2027");
    await page.locator("#contract-annual_value").fill("100.000");
    await page.getByRole("button", { name: "Opret kontrakt" }).click();
    await summary.getByRole("link", { name: `Slutdato: ${DATE_ERROR}` }).waitFor();
    assert.equal(await summary.getByRole("link", { name: /Årlig værdi/ }).count(), 0);
    assert.equal(new URL(page.url()).pathname, "/kontrakter/ny");
    assert.deepEqual(await contractsTitled(title), [], "nothing was saved");

    // Written right, it is saved, and leaving afterwards asks nothing.
    await page.locator("#contract-end_on").fill("30.06.2027");
    await page.getByRole("button", { name: "Opret kontrakt" }).click();
    await page.waitForURL((url) => /^\/kontrakter\/[0-9a-f-]{36}$/.test(url.pathname));
    id = new URL(page.url()).pathname.split("/").pop() ?? "";
    assert.equal(await leaveDialog(page).count(), 0);
    assert.equal((await contractsTitled(title))[0]?.end_on, "2027-06-30");

    // Editing: clearing part of the end date is an error, not "Løbende".
    await page.getByRole("link", { name: "Redigér" }).click();
    const end = page.locator("#contract-end_on");
    await end.waitFor();
    assert.equal(await end.inputValue(), "30.06.2027");
    await end.fill("30.06.");
    await page.getByRole("button", { name: "Gem ændringer" }).click();
    await summary.getByRole("link", { name: `Slutdato: ${DATE_ERROR}` }).waitFor();
    assert.equal(new URL(page.url()).pathname, `/kontrakter/${id}/rediger`);
    assert.equal((await contractsTitled(title))[0]?.end_on, "2027-06-30", "the end date is unchanged");
    await checkA11y(page, "/kontrakter/:id/rediger (ufuldstændig dato)");

    // An emptied start date is missing, not invalid.
    await page.locator("#contract-start_on").fill("");
    await page.getByRole("button", { name: "Gem ændringer" }).click();
    await summary.getByRole("link", { name: "Udfyld startdato." }).waitFor();

    // An end date emptied on purpose means running until terminated.
    await page.locator("#contract-start_on").fill("01.01.2025");
    await end.fill("");
    await page.getByRole("button", { name: "Gem ændringer" }).click();
    await page.waitForURL((url) => url.pathname === `/kontrakter/${id}`);
    const [running] = await contractsTitled(title);
    assert.ok(running, "the contract is still there");
    assert.equal(running.end_on ?? null, null, "no end date: it runs until terminated");

    assert.deepEqual(problems, []);
    await close();
  });

  it("writes and reads dates the Danish way in an English browser", TIMEOUT, async () => {
    assert.ok(id, "the contract was created");
    const english = await launch(["--lang=en-US"]);
    try {
      const { page, close, problems } = await loginAs(english, DEMO.editor, "en-US");
      assert.equal(await page.evaluate(() => navigator.language), "en-US");
      await page.goto(`/kontrakter/${id}/rediger`);
      const start = page.locator("#contract-start_on");
      await start.waitFor();
      assert.equal(await start.getAttribute("type"), "text");
      assert.equal(await start.inputValue(), "01.01.2025");
      const end = page.locator("#contract-end_on");
      await end.fill("31/12/2027");
      await end.press("Tab");
      assert.equal(await end.inputValue(), "31.12.2027");
      await checkA11y(page, "/kontrakter/:id/rediger (engelsk browser)");
      await page.getByRole("button", { name: "Gem ændringer" }).click();
      await page.waitForURL((url) => url.pathname === `/kontrakter/${id}`);
      assert.equal((await contractsTitled(title))[0]?.end_on, "2027-12-31");

      // The list's end-date filters are the same kind of field.
      await page.goto("/kontrakter");
      await page.locator(".contract-filters summary").click();
      const after = page.locator("#contract-ends-after");
      await after.fill("31.02.2027");
      await page.locator(".contract-filters").getByRole("button", { name: "Søg" }).click();
      await page.locator(".error-summary").getByRole("link", { name: `Udløber efter: ${DATE_ERROR}` }).waitFor();
      assert.equal(new URL(page.url()).searchParams.get("ends_after"), null);
      await checkA11y(page, "/kontrakter (ugyldig dato i filter)");
      await after.fill("30.12.2027");
      await page.locator("#contract-q").fill(title);
      await page.locator(".contract-filters").getByRole("button", { name: "Søg" }).click();
      await page.waitForURL((url) => url.searchParams.get("ends_after") === "2027-12-30");
      await page.locator(".contracts-table tbody tr", { hasText: title }).waitFor();
      assert.equal(await page.locator("#contract-ends-after").inputValue(), "30.12.2027");

      assert.deepEqual(problems, []);
      await close();
    } finally {
      await english.close();
    }
  });
});

describe("The contract form's sections and save bar", () => {
  for (const viewport of [
    { width: 1280, height: 900 },
    { width: 390, height: 844 },
  ]) {
    it(`keeps Gem and Annullér in view without covering the field in focus (${String(viewport.width)} px)`, TIMEOUT, async () => {
      const { context, page, problems } = await newPage(browser, viewport);
      await login(page, DEMO.editor);
      await page.waitForURL((url) => url.pathname !== "/login");
      await page.goto("/kontrakter/ny");
      await page.locator("#contract-system_ids").waitFor();
      const bar = page.locator(".sticky-save-bar");
      const inView = async () => {
        const box = await bar.boundingBox();
        assert.ok(box, "the save bar is shown");
        assert.ok(box.y >= 0 && box.y + box.height <= viewport.height + 1, `the save bar is in the window: ${JSON.stringify(box)}`);
        return box;
      };
      await inView();
      assert.equal(await bar.getByRole("button", { name: "Opret kontrakt" }).count(), 1);
      assert.equal(await bar.getByRole("link", { name: "Annullér" }).count(), 1);

      // Wide screens put short sections side by side; narrow ones stack them.
      const supplier = await page.locator("fieldset", { has: page.locator("legend", { hasText: "Leverandør" }) }).first().boundingBox();
      const economy = await page.locator("fieldset", { has: page.locator("legend", { hasText: "Økonomi" }) }).first().boundingBox();
      assert.ok(supplier && economy);
      if (viewport.width >= 1200) assert.ok(economy.x > supplier.x + 100 && Math.abs(economy.y - supplier.y) < 40, "side by side");
      else assert.ok(economy.y > supplier.y + supplier.height - 1, "stacked");

      // Tabbing to a field near the bottom leaves it visible above the bar.
      await page.locator("#contract-price_regulation").focus();
      await page.keyboard.press("Tab");
      await page.keyboard.press("Shift+Tab");
      const focused = await page.locator("#contract-price_regulation").boundingBox();
      const barBox = await inView();
      assert.ok(focused && focused.y + focused.height <= barBox.y, `the field in focus is above the bar: ${JSON.stringify({ focused, barBox })}`);

      // A signing date after the start date is refused beside the field; the summary names it.
      await page.locator("#contract-title").fill(`Sen underskrift ${String(Date.now())}`);
      await page.locator("#contract-cvr").fill("27654312");
      await page.getByRole("button", { name: "Find leverandør" }).click();
      await page.locator(".supplier-found", { hasText: "Midtpunkt Løn A/S" }).waitFor();
      await page.locator("#contract-signed_on").fill("15.01.2025");
      await page.locator("#contract-start_on").fill("01.01.2025");
      await page.locator("#contract-total_value").fill("en del");
      await page.mouse.wheel(0, 2500);
      await inView();
      await bar.getByRole("button", { name: "Opret kontrakt" }).click();
      const summary = page.locator(".error-summary");
      const amount = summary.getByRole("link", { name: /^Samlet værdi: Skriv et beløb/ });
      await amount.waitFor();
      assert.equal(await amount.getAttribute("href"), "#contract-total_value");
      // The amount is read in the browser; fixed, the server refuses the signing date.
      await page.locator("#contract-total_value").fill("120.000");
      await bar.getByRole("button", { name: "Opret kontrakt" }).click();
      const signed = summary.getByRole("link", { name: "Underskrevet: Underskriftsdatoen kan ikke ligge efter startdatoen." });
      await signed.waitFor();
      assert.equal(await signed.getAttribute("href"), "#contract-signed_on");
      assert.match(await page.locator("#contract-signed_on-error").innerText(), /Underskriftsdatoen kan ikke ligge efter startdatoen/);
      await checkA11y(page, `/kontrakter/ny (underskrevet efter start, ${String(viewport.width)} px)`);
      await signed.click();
      assert.equal(await page.evaluate(() => document.activeElement?.id), "contract-signed_on");
      assert.equal(new URL(page.url()).pathname, "/kontrakter/ny");

      assert.deepEqual(problems.list, []);
      await context.close();
    });
  }
});
