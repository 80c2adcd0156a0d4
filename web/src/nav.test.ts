import { describe, expect, it } from "vitest";
import { isCurrent, visibleNav, type NavEntry } from "./nav";

describe("visibleNav", () => {
  it("shows the register to every role of a municipality and Administration to admins only", () => {
    const register = [
      "nav.overview",
      "nav.contracts",
      "nav.systems",
      "nav.templates",
      "nav.collaborations",
      "nav.plans",
      "nav.opportunities",
      "nav.commitments",
    ];
    expect(visibleNav("admin").map((e) => e.label)).toEqual([...register, "nav.administration"]);
    expect(visibleNav("admin").at(-1)).toEqual({
      label: "nav.administration",
      links: [
        { label: "nav.users", to: "/administration/brugere", roles: ["admin"] },
        { label: "nav.apiClients", to: "/administration/api-klienter", roles: ["admin"] },
        { label: "nav.webhooks", to: "/administration/webhooks", roles: ["admin"] },
        { label: "nav.kitos", to: "/administration/kitos", roles: ["admin"] },
        { label: "nav.auditLog", to: "/administration/log", roles: ["admin"] },
      ],
    });
    expect(visibleNav("editor").map((e) => e.label)).toEqual(register);
    expect(visibleNav("viewer").map((e) => e.label)).toEqual(register);
    expect(visibleNav("operator")).toEqual([]);
  });

  it("keeps open entries for every role and drops groups left empty", () => {
    const entries: NavEntry[] = [
      { label: "nav.users", to: "/a" },
      { label: "nav.administration", roles: ["admin"], links: [{ label: "nav.users", to: "/b" }] },
      { label: "nav.menu", links: [{ label: "nav.users", to: "/c", roles: ["editor"] }] },
    ];
    expect(visibleNav("viewer", entries).map((e) => e.label)).toEqual(["nav.users"]);
    expect(visibleNav("editor", entries).map((e) => e.label)).toEqual(["nav.users", "nav.menu"]);
  });
});

describe("isCurrent", () => {
  it("matches the page and pages below it, not look-alike prefixes", () => {
    expect(isCurrent("/administration/brugere", "/administration/brugere")).toBe(true);
    expect(isCurrent("/administration/brugere", "/administration/brugere/1")).toBe(true);
    expect(isCurrent("/administration/brugere", "/administration/brugerex")).toBe(false);
  });
});
