import { describe, expect, it } from "vitest";
import { checkFile, MAX_BYTES } from "./upload";

describe("checkFile", () => {
  it("accepts PDF, DOCX and XLSX up to 20 MB", () => {
    expect(checkFile({ name: "Kontrakt.pdf", size: 1000 })).toBeNull();
    expect(checkFile({ name: "Bilag 1.DOCX", size: MAX_BYTES })).toBeNull();
    expect(checkFile({ name: "priser.xlsx", size: 5 })).toBeNull();
  });

  it("refuses other types and files that are too big", () => {
    expect(checkFile({ name: "billede.png", size: 10 })).toBe("wrongType");
    expect(checkFile({ name: "gammel.doc", size: 10 })).toBe("wrongType");
    expect(checkFile({ name: "stor.pdf", size: MAX_BYTES + 1 })).toBe("tooBig");
  });
});
