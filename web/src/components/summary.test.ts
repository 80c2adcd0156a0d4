import { describe, expect, it } from "vitest";
import { summaryText } from "./summary";

describe("summaryText", () => {
  it("names the field before a message that does not", () => {
    expect(summaryText("Årlig værdi", "Skriv et beløb i kroner.")).toBe("Årlig værdi: Skriv et beløb i kroner.");
    expect(summaryText("Slutdato", "Skriv en gyldig dato som dd.mm.åååå.")).toBe(
      "Slutdato: Skriv en gyldig dato som dd.mm.åååå.",
    );
  });

  it("leaves a message that already names the field as it is", () => {
    expect(summaryText("Titel", "Udfyld titel.")).toBe("Udfyld titel.");
    expect(summaryText("Slutdato", "Slutdatoen må ikke ligge før startdatoen.")).toBe(
      "Slutdatoen må ikke ligge før startdatoen.",
    );
  });

  it("shows a message about the whole form as it is", () => {
    expect(summaryText(undefined, "Noget gik galt.")).toBe("Noget gik galt.");
    expect(summaryText("", "Noget gik galt.")).toBe("Noget gik galt.");
  });
});
