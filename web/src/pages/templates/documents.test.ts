import { describe, expect, it } from "vitest";
import { fileName } from "./documents";

describe("document file names", () => {
  it("keeps Danish letters and replaces the rest with dashes", () => {
    expect(fileName("Fælles driftsvilkår, version 2", "docx")).toBe("Fælles-driftsvilkår-version-2.docx");
    expect(fileName("  ../../etc/passwd ", "html")).toBe("etc-passwd.html");
    expect(fileName("???", "docx")).toBe("dokument.docx");
  });
});
