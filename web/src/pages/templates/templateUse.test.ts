import { describe, expect, it } from "vitest";
import type { VersionContent } from "./model";
import { deviationReasonId, deviationTextId, initialUseForm, readUseForm, templateErrorsByField, valueFieldId } from "./templateUse";

const content: VersionContent = {
  clauses: [
    {
      key: "a",
      number: "1",
      heading: "Oppetid",
      text: "Oppetiden er mindst {{oppetid}} %.",
      required: true,
      parameters: [
        { name: "oppetid", label: "Oppetid", kind: "percent", default: { kind: "percent", value: "99.5" }, min: "95", max: "100" },
        { name: "bod", label: "Bod", kind: "money", required: false },
      ],
    },
    { key: "b", number: "2", heading: "Opsigelse", text: "Opsigelse med {{frist}} varsel.", required: false, parameters: [
      { name: "frist", label: "Opsigelsesfrist", kind: "duration", duration_unit: "months" },
    ] },
  ],
};

describe("a contract's use of a template version", () => {
  it("starts from the defaults without deviations", () => {
    const form = initialUseForm(content);
    expect(form.values).toEqual({ oppetid: "99,5", bod: "", frist: "" });
    expect(form.deviations.a).toEqual({ deviates: false, text: "Oppetiden er mindst {{oppetid}} %.", reason: "" });
  });

  it("keeps values and deviations already chosen", () => {
    const form = initialUseForm(content, {
      values: { oppetid: { kind: "percent", value: "99.9" } },
      deviations: [{ clause_key: "b", text: "Ingen opsigelse i de første 2 år.", reason: "Investering" }],
    });
    expect(form.values.oppetid).toBe("99,9");
    expect(form.deviations.b).toEqual({ deviates: true, text: "Ingen opsigelse i de første 2 år.", reason: "Investering" });
  });

  it("reads values and deviations with a reason", () => {
    const form = initialUseForm(content);
    form.values.frist = "6";
    form.deviations.b = { deviates: true, text: "Opsigelse med 12 måneders varsel.", reason: "Leverandøren investerer i opsætningen." };
    expect(readUseForm(content, form)).toEqual({
      use: {
        values: { oppetid: { kind: "percent", value: "99.5" }, frist: { kind: "duration", value: 6 } },
        deviations: [{ clause_key: "b", text: "Opsigelse med 12 måneders varsel.", reason: "Leverandøren investerer i opsætningen." }],
      },
      errors: null,
    });
  });

  it("says which values and deviations are wrong", () => {
    const form = initialUseForm(content);
    form.values.oppetid = "90";
    form.deviations.a = { deviates: true, text: "Oppetiden er mindst {{oppetid}} %.", reason: "" };
    const result = readUseForm(content, form);
    expect(result.errors).toEqual({
      [valueFieldId("oppetid")]: "Værdien må ikke være mindre end 95.",
      [valueFieldId("frist")]: "Udfyld Opsigelsesfrist.",
      [deviationTextId("a")]: "Skriv den tekst, der gælder i stedet – den er den samme som skabelonens.",
      [deviationReasonId("a")]: "Skriv, hvorfor kontrakten afviger.",
    });
  });
});

describe("the server's errors about the template section", () => {
  it("land beside the field they are about", () => {
    const sent = [{ clause_key: "b", text: "x", reason: "" }];
    expect(
      templateErrorsByField(
        [
          { field: "template.values.oppetid", message: "For lav" },
          { field: "template.deviations[0].reason", message: "Mangler" },
          { field: "template.deviations[0].clause_key", message: "Ukendt" },
          { field: "template.version_number", message: "Ikke offentliggjort" },
          { field: "template", message: "Findes ikke" },
          { field: "title", message: "ikke mig" },
        ],
        sent,
      ),
    ).toEqual({
      [valueFieldId("oppetid")]: "For lav",
      [deviationReasonId("b")]: "Mangler",
      [deviationTextId("b")]: "Ukendt",
      "template-use-version": "Ikke offentliggjort",
      "template-use-template": "Findes ikke",
    });
  });
});
