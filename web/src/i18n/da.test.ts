import { describe, expect, it } from "vitest";
import { da } from "./da";
import { interpolate, lookup, t, tOptional, type Catalogue } from "./index";

function leaves(node: unknown, prefix = ""): [string, unknown][] {
  if (typeof node !== "object" || node === null) return [[prefix, node]];
  return Object.entries(node).flatMap(([key, value]) =>
    typeof value === "object" && value !== null
      ? leaves(value, `${prefix}${key}.`)
      : [[`${prefix}${key}`, value] as [string, unknown]],
  );
}

const entries = leaves(da);

describe("the Danish catalogue", () => {
  it("has texts", () => {
    expect(entries.length).toBeGreaterThan(50);
  });

  it.each(entries)("%s is a non-empty, trimmed string", (_key, value) => {
    expect(typeof value).toBe("string");
    const text = value as string;
    expect(text.trim()).not.toBe("");
    expect(text).toBe(text.trim());
    expect(text).not.toMatch(/TODO|FIXME|lorem/i);
  });

  it.each(entries)("%s is found by its own key", (key, value) => {
    // A key with a dot in it would type-check and never be found.
    expect(lookup(key)).toBe(value);
  });

  it("writes æ, ø and å as letters, never as ae/oe/aa stand-ins in key words", () => {
    const all = entries.map(([, v]) => String(v)).join("\n");
    expect(all).toContain("Redaktør");
    expect(all).toContain("Læser");
    expect(all).not.toMatch(/\bRedaktoer\b|\bLaeser\b|\bFaellesskab/);
  });

  it("names the roles as the glossary does", () => {
    expect(da.roles).toMatchObject({ admin: "Administrator", editor: "Redaktør", viewer: "Læser" });
  });

  it("has the session and login messages the service promises", () => {
    expect(da.login.sessionExpired).toBe("Din session er udløbet eller blevet afbrudt. Log ind igen.");
    expect(da.login.wrongCredentials).toBe("Forkert e-mail eller adgangskode.");
    expect(da.users.stale).toBe("Brugeren er blevet ændret af en anden. Indlæs siden igen.");
  });

  it("uses only placeholders that are single words in braces", () => {
    for (const [key, value] of entries) {
      const braces = String(value).match(/[{}]/g) ?? [];
      const placeholders = String(value).match(/\{\w+\}/g) ?? [];
      expect(braces.length, key).toBe(placeholders.length * 2);
    }
  });

  it("has a Danish label for every field an error can name", () => {
    for (const field of Object.keys(da.fieldErrorOverrides)) {
      expect(lookup(`fields.${field}`), field).toBeDefined();
    }
  });

  it("satisfies the shape another language must have", () => {
    const copy: Catalogue = da;
    expect(copy.app.name).toBe("Samudbud");
  });
});

describe("t()", () => {
  it("returns the text for a key", () => {
    expect(t("nav.users")).toBe("Brugere");
  });

  it("fills placeholders", () => {
    expect(t("users.showing", { from: 1, to: 20, total: 42 })).toBe("Viser 1–20 af 42 brugere");
  });

  it("capitalises a value for a capitalised placeholder", () => {
    expect(interpolate("{Field} er for kort.", { field: "adgangskode" })).toBe("Adgangskode er for kort.");
    expect(interpolate("Udfyld {field}.", { field: "navn" })).toBe("Udfyld navn.");
  });

  it("leaves unknown placeholders visible instead of hiding them", () => {
    expect(interpolate("Hej {name}", {})).toBe("Hej {name}");
  });

  it("tells when a key built at run time is missing", () => {
    expect(tOptional("fieldErrors.required", { field: "navn" })).toBe("Udfyld navn.");
    expect(tOptional("fieldErrors.no_such_code")).toBeUndefined();
    expect(tOptional("fieldErrors")).toBeUndefined();
  });
});
