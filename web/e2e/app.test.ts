// Browser tests against a running server with the demo seeded:
//   SAMUDBUD_BASE_URL=http://127.0.0.1:8080 npm run test:e2e

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { BASE_URL, checkA11y, DEMO, DEMO_PASSWORD, launch, login, newPage, printAxeLog } from "./harness.ts";

const TIMEOUT = { timeout: 180_000 };

let browser: Browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser.close();
  printAxeLog();
});

async function heading(page: Page): Promise<string> {
  return (await page.getByRole("heading", { level: 1 }).innerText()).trim();
}

/** The hrefs of every link in the main menu, opening each group to find them. */
async function menuLinks(page: Page): Promise<{ group: string | null; name: string; href: string }[]> {
  const menu = page.getByRole("navigation", { name: "Hovedmenu" }).first();
  if ((await menu.count()) === 0) return [];
  const found: { group: string | null; name: string; href: string }[] = [];
  const items = menu.locator(":scope > ul > li");
  for (let i = 0; i < (await items.count()); i++) {
    const item = items.nth(i);
    const toggle = item.locator("button").first();
    if ((await toggle.count()) > 0) {
      const group = (await toggle.innerText()).trim();
      await toggle.click();
      for (const link of await item.locator("a").all()) {
        found.push({ group, name: (await link.innerText()).trim(), href: (await link.getAttribute("href")) ?? "" });
      }
      await page.keyboard.press("Escape");
    } else {
      const link = item.locator("a").first();
      found.push({ group: null, name: (await link.innerText()).trim(), href: (await link.getAttribute("href")) ?? "" });
    }
  }
  return found;
}

async function openMenuLink(page: Page, link: { group: string | null; name: string }): Promise<void> {
  const menu = page.getByRole("navigation", { name: "Hovedmenu" }).first();
  if (link.group) await menu.getByRole("button", { name: link.group }).click();
  await menu.getByRole("link", { name: link.name, exact: true }).click();
}

/** Waits until the page has nothing left loading. */
async function waitForContent(page: Page): Promise<void> {
  await page.locator("main .loading-row").first().waitFor({ state: "detached" });
}

function row(page: Page, email: string) {
  return page.locator("table.users-table tbody tr").filter({ hasText: email });
}

describe("login", () => {
  it("names missing fields, then rejects a wrong password with the promised message", TIMEOUT, async () => {
    const { context, page, problems } = await newPage(browser);
    await page.goto("/login");
    assert.equal(await page.locator("html").getAttribute("lang"), "da");
    assert.equal(await heading(page), "Log ind");
    await checkA11y(page, "/login");

    await page.getByRole("button", { name: "Log ind" }).click();
    const summary = page.locator(".error-summary");
    await summary.waitFor();
    assert.match(await summary.innerText(), /Udfyld e-mail\./);
    assert.match(await summary.innerText(), /Udfyld adgangskode\./);
    assert.equal(await page.getByLabel("E-mail").getAttribute("aria-invalid"), "true");
    // The summary takes focus and its links lead to the fields.
    assert.equal(await summary.evaluate((el) => el === document.activeElement), true);
    await summary.getByRole("link", { name: "Udfyld adgangskode." }).click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), "password");
    await checkA11y(page, "/login (missing fields)");

    await page.getByLabel("E-mail").fill("laeser@ringsted.dk");
    await page.getByLabel("Adgangskode", { exact: true }).fill("forkert-adgangskode");
    await page.getByRole("button", { name: "Log ind" }).click();
    await page.getByText("Forkert e-mail eller adgangskode.").waitFor();
    assert.equal(new URL(page.url()).pathname, "/login");
    await checkA11y(page, "/login (wrong password)");

    // Throttling is answered with 429 and Retry-After; the wait is shown in words.
    // (Simulated: real throttling would lock this address out for the other tests.)
    await page.route("**/api/v1/auth/login", (route) =>
      route.fulfill({
        status: 429,
        headers: { "Content-Type": "application/problem+json", "Retry-After": "600" },
        body: JSON.stringify({ type: "about:blank", title: "Too Many Requests", status: 429 }),
      }),
    );
    await page.getByLabel("Adgangskode", { exact: true }).fill("forkert-adgangskode");
    await page.getByRole("button", { name: "Log ind" }).click();
    await page.getByText("For mange mislykkede forsøg. Vent 10 minutter, og prøv igen.").waitFor();
    await page.unroute("**/api/v1/auth/login");

    assert.deepEqual(problems.list, []);
    await context.close();
  });
});

describe("an administrator", () => {
  it("visits every menu item, creates a user, changes its role, deactivates it and logs out", TIMEOUT, async () => {
    const { context, page, problems } = await newPage(browser);
    await login(page, DEMO.admin);
    // A municipality's users start on Overblik.
    await page.getByRole("heading", { level: 1, name: "Overblik" }).waitFor();
    assert.equal(new URL(page.url()).pathname, "/overblik");
    const header = page.locator("header");
    assert.match(await header.innerText(), /Sorø Kommune/);
    assert.match(await header.innerText(), /Anne Administrator, Administrator/);
    await waitForContent(page);
    await checkA11y(page, "/overblik (administrator)");

    // Every menu item leads to a page with its own heading and no axe problems.
    const links = await menuLinks(page);
    assert.deepEqual(
      links.map((l) => `${l.group ?? ""} → ${l.name}`),
      [
        " → Overblik",
        " → Kontrakter",
        " → It-systemer",
        " → Skabeloner",
        " → Fællesskaber",
        " → Udbudsplaner",
        " → Muligheder",
        " → Mine forpligtelser",
        "Administration → Brugere",
        "Administration → API-klienter",
        "Administration → Webhooks",
        "Administration → Kitos",
        "Administration → Log",
      ],
    );
    for (const link of links) {
      const from = new URL(page.url()).pathname;
      await openMenuLink(page, link);
      await page.waitForURL((url) => url.pathname === link.href);
      await page.getByRole("heading", { level: 1, name: link.name, exact: true }).waitFor();
      assert.equal(await heading(page), link.name);
      // After a client-side navigation focus is on the new page's heading.
      if (from !== link.href) await page.waitForFunction(() => document.activeElement?.tagName === "H1");
      await waitForContent(page);
      await checkA11y(page, link.href);
    }

    // Users: the demo users are listed with the columns the page promises.
    await page.goto("/administration/brugere");
    const table = page.locator("table.users-table");
    await table.waitFor();
    const headers = await table.locator("thead th").allInnerTexts();
    assert.deepEqual(headers.map((h) => h.trim()), ["Navn", "E-mail", "Rolle", "Status", "Sidst logget ind", "Handlinger"]);
    assert.equal(await row(page, DEMO.viewer).count(), 1);

    // Server-side validation lands next to the fields and in the summary.
    const email = `e2e-${Date.now()}@soroe.dk`;
    const form = page.locator("section.create-user");
    await form.getByLabel("Navn").fill("Test Testesen");
    await form.getByLabel("E-mail").fill(email);
    await form.getByLabel("Rolle").selectOption("viewer");
    await form.getByLabel("Første adgangskode").fill("kort");
    await form.getByRole("button", { name: "Opret bruger" }).click();
    await form.locator(".error-summary").waitFor();
    assert.match(await form.locator(".form-error-message").innerText(), /Adgangskoden skal være på mindst 12 tegn\./);
    assert.match(await form.locator(".error-summary").innerText(), /Adgangskoden skal være på mindst 12 tegn\./);
    await checkA11y(page, "/administration/brugere (create errors)");

    // Create.
    await form.getByLabel("Første adgangskode").fill("En-lang-nok-adgangskode-1");
    await form.getByRole("button", { name: "Opret bruger" }).click();
    await page.getByText("Test Testesen er oprettet som Læser.").waitFor();
    await row(page, email).waitFor();
    assert.match(await row(page, email).innerText(), /Læser/);
    assert.match(await row(page, email).innerText(), /Aktiv/);
    assert.match(await row(page, email).innerText(), /Aldrig/);

    // Search finds it.
    await page.getByLabel("Søg i navn eller e-mail").fill(email);
    await page.getByRole("button", { name: "Søg", exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get("q") === email);
    await page.getByText("Viser 1 bruger").waitFor();

    // Change role.
    await row(page, email).getByRole("button", { name: "Skift rolle for Test Testesen" }).click();
    const roleDialog = page.getByRole("dialog", { name: "Skift rolle for Test Testesen" });
    await roleDialog.getByLabel("Ny rolle").waitFor();
    await checkA11y(page, "/administration/brugere (change role dialog)");
    await roleDialog.getByLabel("Ny rolle").selectOption("editor");
    await roleDialog.getByRole("button", { name: "Gem rolle" }).click();
    await page.getByText("Test Testesen har nu rollen Redaktør.").waitFor();
    await roleDialog.waitFor({ state: "detached" });
    await page.waitForFunction(
      (mail) => [...document.querySelectorAll("table.users-table tbody tr")].some(
        (tr) => tr.textContent.includes(mail) && tr.textContent.includes("Redaktør"),
      ),
      email,
    );

    // Deactivate, with confirmation.
    await row(page, email).getByRole("button", { name: "Deaktivér Test Testesen" }).click();
    const confirm = page.getByRole("dialog", { name: "Deaktivér Test Testesen?" });
    await confirm.getByRole("button", { name: "Deaktivér bruger" }).waitFor();
    await checkA11y(page, "/administration/brugere (deactivate dialog)");
    await confirm.getByRole("button", { name: "Deaktivér bruger" }).click();
    await page.getByText("Test Testesen er deaktiveret.").waitFor();
    await page.waitForFunction(
      (mail) => [...document.querySelectorAll("table.users-table tbody tr")].some(
        (tr) => tr.textContent.includes(mail) && tr.textContent.includes("Deaktiveret"),
      ),
      email,
    );
    await row(page, email).getByRole("button", { name: "Genaktivér Test Testesen" }).waitFor();
    await checkA11y(page, "/administration/brugere (after changes)");

    // A search with no hits says what to do next.
    await page.goto("/administration/brugere?q=ingen-saadan-bruger-findes");
    await page.getByText("Ingen brugere passer til søgningen.", { exact: false }).waitFor();
    await checkA11y(page, "/administration/brugere (no hits)");

    // Log out.
    await page.getByRole("button", { name: "Log ud" }).first().click();
    await page.waitForURL((url) => url.pathname === "/login");
    await page.getByText("Du er logget ud.").waitFor();
    await page.goto("/administration/brugere");
    await page.waitForURL((url) => url.pathname === "/login");
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);

    assert.deepEqual(problems.list, []);
    await context.close();
  });
});

describe("a change made by someone else meanwhile", () => {
  it("is not overwritten: the stale write is refused with the promised message", TIMEOUT, async () => {
    // Another administrator, talking to the API directly.
    const api = async (path: string, init: RequestInit & { token?: string } = {}) => {
      const headers = new Headers(init.headers);
      headers.set("Content-Type", "application/json");
      if (init.token) headers.set("Authorization", `Bearer ${init.token}`);
      return fetch(`${BASE_URL}/api/v1${path}`, { ...init, headers });
    };
    const tokens = (await (
      await api("/auth/login", { method: "POST", body: JSON.stringify({ email: DEMO.admin, password: DEMO_PASSWORD }) })
    ).json()) as { access_token: string };
    const token = tokens.access_token;
    const email = `e2e-samtidig-${Date.now()}@soroe.dk`;
    const created = await api("/users", {
      method: "POST",
      token,
      body: JSON.stringify({ email, name: "Samtidig Sørensen", role: "viewer", password: "En-lang-nok-adgangskode-1" }),
    });
    assert.equal(created.status, 201);
    const user = (await created.json()) as { id: string };

    const { context, page, problems } = await newPage(browser);
    await login(page, DEMO.admin);
    await page.getByRole("heading", { level: 1, name: "Overblik" }).waitFor();
    await page.goto(`/administration/brugere?q=${encodeURIComponent(email)}`);
    await row(page, email).getByRole("button", { name: /Skift rolle/ }).click();
    const dialog = page.getByRole("dialog", { name: "Skift rolle for Samtidig Sørensen" });
    await dialog.getByLabel("Ny rolle").waitFor();

    // Meanwhile the other administrator renames the user.
    const read = await api(`/users/${user.id}`, { token });
    const etag = read.headers.get("ETag") ?? "";
    const renamed = await api(`/users/${user.id}`, {
      method: "PATCH",
      token,
      headers: { "If-Match": etag },
      body: JSON.stringify({ name: "Samtidig Sørensen-Hansen" }),
    });
    assert.equal(renamed.status, 200);

    await dialog.getByLabel("Ny rolle").selectOption("admin");
    await dialog.getByRole("button", { name: "Gem rolle" }).click();
    await dialog.getByText("Brugeren er blevet ændret af en anden. Indlæs siden igen.").waitFor();
    await checkA11y(page, "/administration/brugere (stale change)");

    // Reading again shows the other change, and saving then works.
    await dialog.getByRole("button", { name: "Indlæs igen" }).click();
    await dialog.getByLabel("Ny rolle").selectOption("editor");
    await dialog.getByRole("button", { name: "Gem rolle" }).click();
    await page.getByText("Samtidig Sørensen-Hansen har nu rollen Redaktør.").waitFor();
    assert.deepEqual(problems.list, []);
    await context.close();
  });
});

describe("a reader", () => {
  it("starts on Overblik, sees the register in the menu, and no administration", TIMEOUT, async () => {
    const { context, page, problems } = await newPage(browser);
    await login(page, DEMO.viewer);
    await page.getByRole("heading", { level: 1, name: "Overblik" }).waitFor();
    assert.match(await page.locator("header").innerText(), /Lene Læser, Læser/);
    assert.equal(await page.getByRole("button", { name: "Administration" }).count(), 0);
    assert.deepEqual(
      (await menuLinks(page)).map((l) => l.name),
      ["Overblik", "Kontrakter", "It-systemer", "Skabeloner", "Fællesskaber", "Udbudsplaner", "Muligheder", "Mine forpligtelser"],
    );
    await waitForContent(page);
    await checkA11y(page, "/overblik (læser)");

    await page.goto("/administration/brugere");
    await page.getByRole("heading", { level: 1, name: "Ingen adgang" }).waitFor();
    await checkA11y(page, "/administration/brugere (læser)");
    assert.deepEqual(problems.list, []);
    await context.close();
  });
});

describe("the session", () => {
  it("survives a reload, and ends with the promised message when it cannot be renewed", TIMEOUT, async () => {
    const { context, page, problems } = await newPage(browser);
    await login(page, DEMO.editor);
    await page.getByRole("heading", { level: 1, name: "Overblik" }).waitFor();
    assert.equal(await page.evaluate(() => localStorage.length), 0);

    await page.reload();
    await page.getByRole("heading", { level: 1, name: "Overblik" }).waitFor();

    // An expired access token is renewed without the user noticing.
    await page.evaluate(() => {
      const raw = sessionStorage.getItem("samudbud.session") ?? "{}";
      const tokens = JSON.parse(raw) as { accessToken: string };
      sessionStorage.setItem("samudbud.session", JSON.stringify({ ...tokens, accessToken: "udløbet" }));
    });
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "Overblik" }).waitFor();

    // A refresh token that the server refuses ends the session.
    await page.evaluate(() => {
      sessionStorage.setItem("samudbud.session", JSON.stringify({ accessToken: "udløbet", refreshToken: "tilbagekaldt" }));
    });
    await page.reload();
    await page.waitForURL((url) => url.pathname === "/login");
    await page.getByText("Din session er udløbet eller blevet afbrudt. Log ind igen.").waitFor();
    await checkA11y(page, "/login (session expired)");
    assert.deepEqual(problems.list, []);
    await context.close();
  });
});

describe("on a phone", () => {
  it("opens the menu drawer with the user, Log ud and the menu items", TIMEOUT, async () => {
    const { context, page, problems } = await newPage(browser, { width: 390, height: 844 });
    await login(page, DEMO.admin, DEMO_PASSWORD);
    await page.getByRole("heading", { level: 1, name: "Overblik" }).waitFor();
    await page.getByRole("button", { name: "Menu" }).click();
    const drawer = page.getByRole("dialog", { name: "Menu" });
    await drawer.waitFor();
    assert.match(await drawer.innerText(), /Anne Administrator/);
    await drawer.getByRole("button", { name: "Log ud" }).waitFor();
    await checkA11y(page, "/ (phone, menu open)");
    await drawer.getByRole("link", { name: /Brugere/ }).click();
    await page.waitForURL((url) => url.pathname === "/administration/brugere");
    await drawer.waitFor({ state: "hidden" });
    await page.locator("table.users-table").waitFor();
    await checkA11y(page, "/administration/brugere (phone)");
    assert.deepEqual(problems.list, []);
    await context.close();
  });
});
