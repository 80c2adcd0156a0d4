import { describe, expect, it } from "vitest";
import type { Participant, PlannedTender } from "../../api/types";
import { sortCommitments } from "./CommitmentsPage";
import { answersFor, ownParticipation, slackText, toTimelineItem, verdictText } from "./model";

const SOROE = { id: "11111111-1111-1111-1111-111111111111", name: "Sorø Kommune", cvr: "29188955" };
const RINGSTED = { id: "22222222-2222-2222-2222-222222222222", name: "Ringsted Kommune", cvr: "18957981" };
const NAESTVED = { id: "33333333-3333-3333-3333-333333333333", name: "Næstved Kommune", cvr: "29189617" };

function participant(tenant: typeof SOROE, state: Participant["state"], ends: string[] = []): Participant {
  return {
    tenant,
    state,
    estimated_value: "900000.00",
    replaced_contracts: ends.map((date, i) => ({ id: `c${String(i)}`, title: `Kontrakt ${String(i)}`, end_date: date })),
  } as Participant;
}

function tender(overrides: Partial<PlannedTender> = {}): PlannedTender {
  return {
    id: "t1",
    plan_id: "p1",
    subject: "Fælles ESDH",
    status: "planned",
    lead_tenant: { id: SOROE.id, name: SOROE.name },
    milestones: [{ kind: "publication", label: "Offentliggørelse", date: "2027-03-01", done: false }],
    participants: [
      participant(SOROE, "confirmed", ["2027-09-30"]),
      participant(RINGSTED, "pending", ["2027-12-31"]),
      participant(NAESTVED, "declined", ["2027-06-30"]),
    ],
    aggregate_value: "1800000.00",
    threshold: {
      eur: "216000",
      dkk: "1611360",
      applies_from: "2026-01-01",
      applies_to: "2027-12-31",
      above: true,
      crosses_only_in_aggregate: true,
      consequence: "Udbuddet skal i EU-udbud.",
    },
    ...overrides,
  } as PlannedTender;
}

describe("toTimelineItem", () => {
  it("names the lead and every counted participant, and the ends of their replaced contracts", () => {
    const item = toTimelineItem(tender());
    expect(item.href).toBe("/udbudsplaner/p1/udbud/t1");
    expect(item.statusLabel).toBe("Planlagt");
    expect(item.municipalities).toEqual(["Sorø Kommune", "Ringsted Kommune"]);
    expect(item.contractEnds).toEqual([
      { title: "Kontrakt 0", municipality: "Sorø Kommune", date: "2027-09-30" },
      { title: "Kontrakt 0", municipality: "Ringsted Kommune", date: "2027-12-31" },
    ]);
  });
});

describe("answersFor", () => {
  it("lets the participant's own editors and admins answer, nobody else", () => {
    const p = participant(RINGSTED, "pending");
    expect(answersFor({ role: "editor", tenant: { ...RINGSTED, municipality_code: "329" } } as never, p)).toBe(true);
    expect(answersFor({ role: "admin", tenant: { ...RINGSTED, municipality_code: "329" } } as never, p)).toBe(true);
    expect(answersFor({ role: "viewer", tenant: { ...RINGSTED, municipality_code: "329" } } as never, p)).toBe(false);
    expect(answersFor({ role: "admin", tenant: { ...SOROE, municipality_code: "340" } } as never, p)).toBe(false);
    expect(ownParticipation({ tenant: { ...NAESTVED } } as never, tender())?.state).toBe("declined");
  });
});

describe("texts", () => {
  it("states the threshold verdict with the amounts and the period in Danish", () => {
    const threshold = tender().threshold;
    if (!threshold) throw new Error("the test tender has a threshold");
    expect(verdictText("1800000.00", threshold)).toBe(
      "Den samlede anslåede værdi på 1.800.000,00 kr. er over EU's tærskelværdi på 1.611.360,00 kr., som gælder for udbud offentliggjort 01.01.2026–31.12.2027.",
    );
    expect(verdictText("1500000.00", { ...threshold, above: false })).toMatch(/på 1.500.000,00 kr. er under EU's tærskelværdi/);
  });

  it("says how much slack is left or how late it is", () => {
    expect(slackText(12)).toBe("12 dages luft");
    expect(slackText(1)).toBe("1 dags luft");
    expect(slackText(0)).toBe("Ingen luft");
    expect(slackText(-1)).toBe("1 dag for sent");
    expect(slackText(-5)).toBe("5 dage for sent");
  });
});

describe("sortCommitments", () => {
  it("puts those waiting for an answer first, then by the next milestone", () => {
    const c = (id: string, state: string, date?: string) =>
      ({
        plan: { id: "p", name: "Plan" },
        tender: { id, subject: id, status: "planned" },
        state,
        replaced_contracts: [],
        ...(date ? { next_milestone: { kind: "publication", label: "Offentliggørelse", date } } : {}),
      }) as never;
    const sorted = sortCommitments([c("a", "confirmed", "2027-01-01"), c("b", "pending"), c("c", "pending", "2027-05-01"), c("d", "declined")]);
    expect(sorted.map((x: { tender: { id: string } }) => x.tender.id)).toEqual(["c", "b", "a", "d"]);
  });
});
