import { describe, expect, it } from "vitest";
import { emptyParameterForm, formOfParameter, readParameter, type ParameterForm } from "./parameters";

const form = (patch: Partial<ParameterForm>): ParameterForm => ({ ...emptyParameterForm(), name: "oppetid_procent", label: "Oppetid", ...patch });

describe("the parameter form", () => {
  it("reads a bounded percentage with a default", () => {
    const result = readParameter(form({ kind: "percent", default: "99,5", min: "95", max: "100", unit: "%" }));
    expect(result.errors).toBeNull();
    expect(result.parameter).toMatchObject({
      name: "oppetid_procent",
      label: "Oppetid",
      kind: "percent",
      default: { kind: "percent", value: "99.5" },
      min: "95",
      max: "100",
      duration_unit: null,
      choices: [],
    });
  });

  it("reads a duration with its unit and a choice with its values", () => {
    expect(readParameter(form({ name: "opsigelse", kind: "duration", duration_unit: "months", default: "3" })).parameter).toMatchObject({
      kind: "duration",
      duration_unit: "months",
      default: { kind: "duration", value: 3 },
    });
    expect(
      readParameter(form({ name: "rapportering", kind: "choice", choices: "Månedlig\n\n Kvartalsvis \n", default: "Kvartalsvis" })).parameter,
    ).toMatchObject({ choices: ["Månedlig", "Kvartalsvis"], default: { kind: "choice", value: "Kvartalsvis" } });
  });

  it("gives a Danish message beside each wrong field", () => {
    const result = readParameter(
      { ...emptyParameterForm(), name: "Oppetid %", label: "", kind: "duration", min: "10", max: "5", default: "x" },
      [],
    );
    expect(result.parameter).toBeNull();
    expect(result.errors).toMatchObject({
      name: expect.stringContaining("små bogstaver") as unknown,
      label: "Udfyld betegnelsen.",
      duration_unit: "Vælg, om varigheden er i dage eller måneder.",
      max: "Største værdi må ikke være mindre end mindste værdi.",
      default: "Skriv et tal, fx 99,5 eller 1.250.000.",
    });
  });

  it("refuses a name used elsewhere in the version", () => {
    expect(readParameter(form({}), ["oppetid_procent"]).errors?.name).toBe("Parameteren oppetid_procent findes allerede i versionen.");
  });

  it("refuses a choice without values and a default outside the bounds", () => {
    expect(readParameter(form({ kind: "choice", choices: " \n" })).errors?.choices).toBe("Skriv mindst én mulighed.");
    expect(readParameter(form({ kind: "choice", choices: "A\nA" })).errors?.choices).toBe("Den samme mulighed står flere gange.");
    expect(readParameter(form({ kind: "integer", min: "1", default: "0" })).errors?.default).toBe("Værdien må ikke være mindre end 1.");
  });

  it("ignores bounds on text and choices, and round-trips a parameter", () => {
    const p = readParameter(form({ kind: "text", min: "x", max: "y", default: "Hverdage 8–16" })).parameter;
    expect(p).toMatchObject({ min: null, max: null, default: { kind: "text", value: "Hverdage 8–16" } });
    const money = readParameter(form({ name: "bod", kind: "money", default: "1.500,5", min: "0" })).parameter;
    expect(money).not.toBeNull();
    if (money) expect(readParameter(formOfParameter(money)).parameter).toEqual(money);
  });
});
