// The catalogue speaks one language to users: no field names or codes from
// the API, and each thing called by one word everywhere.

import { describe, expect, it } from "vitest";
import { da } from "./da";

function leaves(node: unknown, prefix = ""): [string, string][] {
  if (typeof node !== "object" || node === null) return [[prefix, String(node)]];
  return Object.entries(node).flatMap(([key, value]) =>
    typeof value === "object" && value !== null ? leaves(value, `${prefix}${key}.`) : [[`${prefix}${key}`, String(value)]],
  );
}

const entries = leaves(da);
/** The texts with their placeholders taken out: what a user reads. */
const shown = entries.map(([key, value]) => [key, value.replace(/\{\w+\}/g, "")] as const);

describe("what the catalogue shows users", () => {
  // A template parameter's name is written in snake_case by the users
  // themselves, so its hint shows an example of one.
  const userWrittenNames = new Set(["templates.parameters.nameHint"]);

  it("has no snake_case identifiers or API field names", () => {
    const offenders = shown.filter(([key, text]) => !userWrittenNames.has(key) && /\b[a-z]+_[a-z0-9_]+\b/.test(text));
    expect(offenders).toEqual([]);
  });

  it("has none of the API's English field names as words", () => {
    const apiWords =
      /\b(effective_end|latest_end|sha256|collaboration_id|tenant_id|supplier_id|created_at|updated_at|notice_to|end_on|start_on|null|undefined|true|false)\b/;
    expect(shown.filter(([, text]) => apiWords.test(text))).toEqual([]);
  });

  it("says the contract's end once, not 'Opsigelse til udgangen af: Udgangen af et kvartal'", () => {
    expect(da.contractFields.notice_to).toBe("Opsigelse til");
    expect(shown.filter(([, text]) => /udgangen af$/i.test(text))).toEqual([]);
  });
});

describe("one word for one thing", () => {
  const all = shown.map(([, text]) => text).join("\n");

  it("calls a contract without an end date Løbende, and nothing else", () => {
    expect(da.terms.running).toBe("Løbende");
    expect(all).not.toMatch(/Løber til opsigelse|Kører til opsigelse/i);
    // As a label or heading standing alone, the state is called by its name.
    expect(shown.filter(([, text]) => /^(Uden|Ingen) slutdato$/i.test(text))).toEqual([]);
  });

  it("restores archived things with 'gendan', never 'genopret'", () => {
    expect(da.terms.restored).toBe("gendannet");
    expect(all).not.toMatch(/genopret/i);
    expect(da.history.actions.contract_restored.toLowerCase()).toBe(da.terms.restored);
    expect(da.auditActions.contract.restored).toBe(`Kontrakt ${da.terms.restored}`);
    expect(da.auditActions.it_system.restored).toBe(`It-system ${da.terms.restored}`);
  });

  it("removes attachments with 'fjernet', never 'slettet'", () => {
    expect(da.history.actions.contract_attachment_removed).toBe(da.terms.attachmentRemoved);
    expect(da.auditActions.contract.attachment_removed).toBe(da.terms.attachmentRemoved);
    expect(all).not.toMatch(/Bilag slettet/);
  });

  it("logs an accepted invitation as accepted, not received", () => {
    expect(da.auditActions.collaboration.accepted).toBe(da.terms.invitationAccepted);
    expect(shown.filter(([key, text]) => /accept/i.test(key) && /modtaget/i.test(text))).toEqual([]);
  });

  it("asks to choose, not to fill in, for fields chosen from a list", () => {
    for (const field of ["contract_type", "status", "criticality", "procedure", "payment_model", "notice_to"] as const) {
      expect(da.contractErrorOverrides[field].required, field).toMatch(/^Vælg\b/);
    }
    expect(da.fieldErrors.choose).toMatch(/^Vælg\b/);
    expect(da.fieldErrorOverrides.role.required).toMatch(/^Vælg\b/);
  });

  it("writes times one way: 'kl. 13.26', never '13:26'", () => {
    expect(shown.filter(([, text]) => /\b\d{1,2}:\d{2}\b/.test(text))).toEqual([]);
  });

  it("names the import's steps and choices as the register does", () => {
    expect(da.imports.steps.dryRun).toBe("Prøv importen");
    expect(da.imports.modeAll).toBe("Alt eller intet");
    expect(da.imports.modeValid).toBe("Importér kun de gyldige rækker");
    expect(da.imports.ignore).toBe("Ignorér kolonnen");
    expect(da.imports.rejectedCsv).toMatch(/^Hent afviste rækker/);
    expect(da.exports.menu).toBe("Eksportér");
    // The register's own words for its fields: a reference is a contract number, systems are it-systemer.
    expect(da.imports.colReference).toBe(da.contractFields.reference);
    expect(da.importFields.systems).toBe(da.contractFields.systems);
    expect(all).not.toMatch(/IT-system/);
    expect(all).not.toMatch(/Referencenummer/);
  });
});

