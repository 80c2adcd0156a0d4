import { describe, expect, it } from "vitest";
import type { MunicipalityRef } from "../../api/types";
import { chooseMunicipality } from "./InviteForm";

const holbaek: MunicipalityRef = { id: "1", name: "Holbæk Kommune", municipality_code: "316" };
const horsens: MunicipalityRef = { id: "2", name: "Horsens Kommune", municipality_code: "615" };
const holstebro: MunicipalityRef = { id: "3", name: "Holstebro Kommune", municipality_code: "661" };

describe("the municipality an invitation names", () => {
  it("is the only match, or the one with that exact code or name", () => {
    expect(chooseMunicipality("holbæk", [holbaek])).toBe(holbaek);
    expect(chooseMunicipality("316", [holbaek])).toBe(holbaek);
    expect(chooseMunicipality("HOLBÆK", [holbaek, holstebro])).toBe(holbaek);
    expect(chooseMunicipality("Holbæk Kommune", [holbaek, holstebro])).toBe(holbaek);
  });

  it("is none when several match or none does", () => {
    expect(chooseMunicipality("hol", [holbaek, holstebro])).toBeNull();
    expect(chooseMunicipality("kolding", [])).toBeNull();
    expect(chooseMunicipality("6", [horsens, holstebro])).toBeNull();
  });
});
