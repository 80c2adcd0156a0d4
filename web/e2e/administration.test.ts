// Administration → API-klienter and Log: a client is created with chosen
// scopes, its secret is shown once and really gets a token, rotating refuses
// the old secret, editing keeps If-Match, revoking refuses the new one, and
// the log shows the client's creation under a filter.
//   SAMUDBUD_BASE_URL=http://127.0.0.1:8080 node --import tsx --test e2e/administration.test.ts

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { BASE_URL, checkA11y, DEMO, launch, login, newPage, printAxeLog } from "./harness.ts";

const TIMEOUT = { timeout: 180_000 };

let browser: Browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser.close();
  printAxeLog();
});

/** The status of a client-credentials token request, and the scopes granted. */
async function requestToken(clientId: string, secret: string): Promise<{ status: number; scope?: string }> {
  const response = await fetch(`${BASE_URL}/api/v1/auth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: secret }),
  });
  const body = (await response.json()) as { scope?: string };
  return { status: response.status, scope: body.scope };
}

async function shownSecret(page: Page): Promise<{ clientId: string; secret: string }> {
  const panel = page.getByRole("region", { name: /vises kun denne ene gang/ });
  await panel.waitFor();
  return {
    clientId: (await panel.getByTestId("client-id").innerText()).trim(),
    secret: (await panel.getByTestId("client-secret").innerText()).trim(),
  };
}

function clientRow(page: Page, name: string) {
  return page.locator("table.clients-table tbody tr").filter({ has: page.getByRole("rowheader", { name, exact: true }) });
}

describe("API-klienter and Log", () => {
  it("creates a client whose secret is shown once, rotates, edits and revokes it, and logs it", TIMEOUT, async () => {
    const name = `Testintegration ${String(Date.now())}`;
    const { context, page, problems } = await newPage(browser);
    await login(page, DEMO.admin);
    await page.waitForURL((url) => url.pathname !== "/login");

    await page.goto("/administration/api-klienter");
    assert.equal(await page.getByRole("heading", { level: 1 }).innerText(), "API-klienter");
    await clientRow(page, "Demo-integration (porteføljeværktøj)").waitFor();
    await checkA11y(page, "/administration/api-klienter");

    // Nothing filled in: both problems are named.
    await page.getByRole("button", { name: "Opret API-klient" }).click();
    const summary = page.locator(".error-summary");
    await summary.getByText("Udfyld navn.").waitFor();
    await summary.getByText("Vælg mindst én rettighed.").waitFor();
    await checkA11y(page, "/administration/api-klienter (create, missing fields)");

    await page.getByLabel("Navn", { exact: true }).fill(name);
    await page.getByLabel(/Læse kontrakter, også dem der er delt med kommunen/).check();
    await page.getByLabel(/Læse kommunens fællesskaber/).check();
    await page.getByRole("button", { name: "Opret API-klient" }).click();
    const first = await shownSecret(page);
    assert.match(first.clientId, /^sbc_/);
    assert.match(first.secret, /^sbs_/);
    await page.getByText(`API-klienten ${name} er oprettet.`).waitFor();
    const command = await page.locator(".token-command").innerText();
    assert.ok(command.includes(`${BASE_URL}/api/v1/auth/token`), command);
    assert.ok(command.includes("grant_type=client_credentials"));
    assert.ok(command.includes(first.secret));
    await checkA11y(page, "/administration/api-klienter (secret shown)");

    // The shown id and secret really get a token with the chosen scopes.
    const token = await requestToken(first.clientId, first.secret);
    assert.equal(token.status, 200);
    assert.deepEqual(token.scope?.split(" ").sort(), ["collaborations:read", "contracts:read"]);

    // After a reload the secret is gone for good; the client is listed.
    await page.reload();
    await clientRow(page, name).waitFor();
    assert.equal(await page.getByRole("region", { name: /vises kun denne ene gang/ }).count(), 0);
    assert.equal(await page.getByText(first.secret).count(), 0);
    const row = await clientRow(page, name).innerText();
    assert.ok(row.includes(first.clientId));
    assert.match(row, /contracts:read[\s\S]*collaborations:read/);
    assert.match(row, /Aktiv/);

    // Rotating: confirmation, a new secret shown once, the old one refused.
    await clientRow(page, name).getByRole("button", { name: /Forny hemmelighed/ }).click();
    const rotate = page.getByRole("dialog", { name: `Forny hemmeligheden for ${name}?` });
    await rotate.waitFor();
    await checkA11y(page, "/administration/api-klienter (rotate dialog)");
    await rotate.getByRole("button", { name: "Forny hemmelighed" }).click();
    await page.getByText(`API-klienten ${name} har fået en ny hemmelighed.`).waitFor();
    const second = await shownSecret(page);
    assert.equal(second.clientId, first.clientId);
    assert.notEqual(second.secret, first.secret);
    assert.notEqual((await requestToken(first.clientId, first.secret)).status, 200);
    assert.equal((await requestToken(second.clientId, second.secret)).status, 200);
    await page.getByRole("button", { name: "Jeg har gemt hemmeligheden" }).click();
    assert.equal(await page.getByText(second.secret).count(), 0);

    // Editing name and scopes (sent with If-Match).
    const renamed = `${name} (ERP)`;
    await clientRow(page, name).getByRole("button", { name: /Redigér/ }).click();
    const edit = page.getByRole("dialog", { name: `Redigér ${name}` });
    await edit.getByLabel("Navn", { exact: true }).waitFor();
    await checkA11y(page, "/administration/api-klienter (edit dialog)");
    await edit.getByLabel("Navn", { exact: true }).fill(renamed);
    await edit.getByLabel(/Læse kommunens fællesskaber/).uncheck();
    await edit.getByRole("button", { name: "Gem ændringer" }).click();
    await page.getByText(`Ændringerne af ${renamed} er gemt.`).waitFor();
    await clientRow(page, renamed).waitFor();
    assert.doesNotMatch(await clientRow(page, renamed).innerText(), /collaborations:read/);
    assert.equal((await requestToken(second.clientId, second.secret)).scope, "contracts:read");

    // Revoking: confirmation, then no more tokens.
    await clientRow(page, renamed).getByRole("button", { name: /Tilbagekald/ }).click();
    const revoke = page.getByRole("dialog", { name: `Tilbagekald ${renamed}?` });
    await revoke.waitFor();
    await checkA11y(page, "/administration/api-klienter (revoke dialog)");
    await revoke.getByRole("button", { name: "Tilbagekald klienten" }).click();
    await page.getByText(`API-klienten ${renamed} er tilbagekaldt.`).waitFor();
    await clientRow(page, renamed).getByText(/Tilbagekaldt \d{2}\.\d{2}\.\d{4}/).waitFor();
    assert.equal(await clientRow(page, renamed).getByRole("button").count(), 0);
    assert.notEqual((await requestToken(second.clientId, second.secret)).status, 200);
    await checkA11y(page, "/administration/api-klienter (after revoke)");

    // The log, filtered to API clients' creations, shows who created it and what it got.
    await page.goto("/administration/log");
    assert.equal(await page.getByRole("heading", { level: 1 }).innerText(), "Log");
    await page.locator("table.audit-table tbody tr").first().waitFor();
    await checkA11y(page, "/administration/log");
    await page.getByLabel("Type").selectOption("api_client");
    await page.getByLabel("Handling").selectOption("api_client.created");
    await page.getByLabel("Udført af").fill("admin@soroe");
    await page.getByRole("button", { name: "Filtrér" }).click();
    await page.waitForURL((url) => url.searchParams.get("type") === "api_client");
    const params = new URL(page.url()).searchParams;
    assert.equal(params.get("handling"), "api_client.created");
    assert.equal(params.get("af"), "admin@soroe");
    // The router renders the new address in a transition: wait for the filtered list itself.
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll("table.audit-table > tbody > tr")];
      return (
        document.querySelector('.audit-list[aria-busy="false"]') !== null &&
        rows.length > 0 &&
        rows.every((row) => row.textContent.includes("API-klient oprettet"))
      );
    });
    const entry = page.locator("table.audit-table > tbody > tr").filter({ hasText: name });
    await entry.waitFor();
    const rows = page.locator("table.audit-table > tbody > tr");
    for (const text of await rows.allInnerTexts()) assert.match(text, /API-klient oprettet/);
    const entryText = await entry.innerText();
    assert.match(entryText, /\d{2}\.\d{2}\.\d{4} kl\. \d{2}\.\d{2}/);
    // People by name; the recorded e-mail address is the name's title.
    assert.match(entryText, /Anne Administrator/);
    assert.equal(await entry.locator(".audit-who span").getAttribute("title"), "admin@soroe.dk");
    await entry.locator("summary").click();
    const changes = entry.locator("table.audit-changes");
    await changes.waitFor();
    const nameChange = await changes.locator("tr").filter({ has: page.getByRole("rowheader", { name: "Navn" }) }).innerText();
    assert.match(nameChange, /\(tom\)/);
    assert.ok(nameChange.includes(name));
    assert.equal(await changes.getByRole("rowheader", { name: "Version" }).count(), 0);
    await checkA11y(page, "/administration/log (filtered, changes open)");

    // The filter survives a reload; an impossible date is named.
    await page.reload();
    await page.locator('.audit-list[aria-busy="false"]').waitFor();
    await entry.waitFor();
    assert.equal(await page.getByLabel("Type").inputValue(), "api_client");
    await page.getByLabel("Fra dato").fill("31.02.2026");
    await page.getByRole("button", { name: "Filtrér" }).click();
    await page.locator(".error-summary").getByText("Fra dato: Skriv en gyldig dato som dd.mm.åååå.").waitFor();
    await checkA11y(page, "/administration/log (invalid date)");

    assert.deepEqual(problems.list, []);
    await context.close();
  });

  it("keeps the pages from users who are not admins", TIMEOUT, async () => {
    const { context, page } = await newPage(browser);
    await login(page, DEMO.editor);
    await page.waitForURL((url) => url.pathname !== "/login");
    for (const path of ["/administration/api-klienter", "/administration/log"]) {
      await page.goto(path);
      assert.equal(await page.getByRole("heading", { level: 1 }).innerText(), "Ingen adgang");
    }
    await context.close();
  });
});
