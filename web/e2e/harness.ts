// Shared set-up for the browser tests and the screenshot script: system
// Chromium through playwright-core (no browser download), the server's base
// URL from SAMUDBUD_BASE_URL, demo logins, and an axe check per page.

import assert from "node:assert/strict";
import { AxeBuilder } from "@axe-core/playwright";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

export const BASE_URL = (process.env.SAMUDBUD_BASE_URL ?? "http://127.0.0.1:8080").replace(/\/$/, "");
const CHROMIUM = process.env.SAMUDBUD_CHROMIUM ?? "/usr/bin/chromium";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const DEMO_PASSWORD = "Demo-adgangskode-1";
export const DEMO = {
  admin: "admin@soroe.dk",
  editor: "redaktoer@soroe.dk",
  viewer: "laeser@soroe.dk",
} as const;

/** Starts Chromium; extra arguments such as `--lang=en-US` set up the browser's language. */
export async function launch(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...extraArgs], headless: true });
}

/** Problems the page reports on its own: script errors and Content-Security-Policy refusals. */
export interface PageProblems {
  list: string[];
}

export async function newPage(
  browser: Browser,
  viewport = { width: 1280, height: 900 },
  locale = "da-DK",
): Promise<{ context: BrowserContext; page: Page; problems: PageProblems }> {
  const context = await browser.newContext({ baseURL: BASE_URL, viewport, locale });
  const page = await context.newPage();
  const problems: PageProblems = { list: [] };
  page.on("pageerror", (error) => problems.list.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    const text = message.text();
    if (message.type() === "error" && /Content.Security.Policy|Refused to/i.test(text)) {
      problems.list.push(`CSP: ${text}`);
    }
  });
  return { context, page, problems };
}

export async function login(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Adgangskode").fill(password);
  await page.getByRole("button", { name: "Log ind" }).click();
}

export interface AxeSummary {
  page: string;
  violations: { id: string; impact: string; nodes: number }[];
}

/** Every page checked so far, for the closing report. */
export const axeLog: AxeSummary[] = [];

/** Runs axe (WCAG 2.0/2.1 A and AA) and fails on serious or critical violations. */
export async function checkA11y(page: Page, name: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  const violations = results.violations.map((v) => ({
    id: v.id,
    impact: v.impact ?? "unknown",
    nodes: v.nodes.length,
    help: v.help,
    targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
  }));
  axeLog.push({ page: name, violations: violations.map(({ id, impact, nodes }) => ({ id, impact, nodes })) });
  const blocking = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(blocking, [], `axe found serious or critical problems on ${name}`);
}

export function printAxeLog(): void {
  const lines = axeLog.map(({ page, violations }) =>
    violations.length === 0
      ? `  ${page}: no violations`
      : `  ${page}: ${violations.map((v) => `${v.id} (${v.impact}, ${v.nodes})`).join(", ")}`,
  );
  console.log(`axe (wcag2a, wcag2aa, wcag21a, wcag21aa):\n${lines.join("\n")}`);
}

/** An access token for a demo user, for changes made outside the browser. */
export async function apiToken(email: string): Promise<string> {
  const response = await fetch(`${BASE_URL}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  assert.equal(response.status, 200);
  const body = (await response.json()) as { access_token: string };
  return body.access_token;
}

/**
 * Replaces the object at `path` (under /api/v1) as the demo administrator,
 * quoting the version just read, as another user would while a form is open;
 * returns the object as changed.
 */
export async function changeBehindTheBrowser<T>(path: string, input: (current: T) => object): Promise<T> {
  const token = await apiToken(DEMO.admin);
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const read = await fetch(`${BASE_URL}/api/v1${path}`, { headers });
  assert.equal(read.status, 200);
  const etag = read.headers.get("etag") ?? "";
  const write = await fetch(`${BASE_URL}/api/v1${path}`, {
    method: "PUT",
    headers: { ...headers, "if-match": etag },
    body: JSON.stringify(input((await read.json()) as T)),
  });
  assert.equal(write.status, 200);
  return (await write.json()) as T;
}
