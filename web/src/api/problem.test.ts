import { describe, expect, it } from "vitest";
import { asProblem, failureMessage, fieldErrors, fieldMessage, retryAfterSeconds } from "./problem";

describe("fieldMessage", () => {
  it("prefers a message for the field and code", () => {
    expect(fieldMessage({ field: "email", code: "taken", message: "already used" })).toBe(
      "Der findes allerede en bruger med denne e-mail.",
    );
    expect(fieldMessage({ field: "password", code: "too_short", message: "at least 12" })).toBe(
      "Adgangskoden skal være på mindst 12 tegn.",
    );
  });

  it("falls back to the code's message with the field's Danish name", () => {
    expect(fieldMessage({ field: "name", code: "required", message: "must not be empty" })).toBe("Udfyld navn.");
    expect(fieldMessage({ field: "name", code: "too_long", message: "too long" })).toBe("Der er for mange tegn i navn.");
  });

  it("falls back to the server's words for a code it does not know", () => {
    expect(fieldMessage({ field: "name", code: "brand_new", message: "something new" })).toBe("something new");
  });
});

describe("fieldErrors", () => {
  it("maps errors to fields, keeping the first per field", () => {
    const problem = asProblem({
      type: "x",
      title: "Invalid input",
      status: 422,
      errors: [
        { field: "email", code: "invalid", message: "a" },
        { field: "email", code: "taken", message: "b" },
        { field: "name", code: "required", message: "c" },
      ],
    });
    expect(fieldErrors(problem)).toEqual({
      email: "Skriv en gyldig e-mailadresse, fx navn@kommune.dk.",
      name: "Udfyld navn.",
    });
  });

  it("ignores malformed entries and non-problems", () => {
    expect(fieldErrors(asProblem({ title: "x", status: 422, errors: [{ field: 1 }] }))).toEqual({});
    expect(asProblem("oops")).toBeNull();
    expect(asProblem({ message: "not a problem" })).toBeNull();
  });
});

describe("failureMessage", () => {
  it("explains the last-admin rule and stale writes", () => {
    const lastAdmin = asProblem({
      title: "Conflict",
      status: 409,
      errors: [{ field: "role", code: "last_admin", message: "x" }],
    });
    expect(failureMessage({ status: 409, problem: lastAdmin })).toMatch(/mindst én aktiv administrator/);
    expect(failureMessage({ status: 412, problem: null })).toBe("Data er blevet ændret af en anden. Indlæs siden igen.");
    expect(failureMessage({ status: 0, problem: null })).toMatch(/forbindelse/);
    expect(failureMessage({ status: 500, problem: null })).toBe("Noget gik galt. Prøv igen om lidt.");
    const fault = asProblem({ title: "Internal", status: 500, request_id: "abc-123" });
    expect(failureMessage({ status: 500, problem: fault })).toBe("Noget gik galt. Prøv igen om lidt. Fejl-id: abc-123");
  });
});

describe("retryAfterSeconds", () => {
  const response = (value?: string) =>
    new Response(null, { status: 429, headers: value === undefined ? {} : { "Retry-After": value } });

  it("reads seconds", () => {
    expect(retryAfterSeconds(response("120"))).toBe(120);
  });

  it("reads an HTTP date", () => {
    const now = Date.parse("2026-11-22T12:00:00Z");
    expect(retryAfterSeconds(response("Sun, 22 Nov 2026 12:05:00 GMT"), now)).toBe(300);
  });

  it("gives null when absent or unreadable", () => {
    expect(retryAfterSeconds(response())).toBeNull();
    expect(retryAfterSeconds(response("soon"))).toBeNull();
    expect(retryAfterSeconds(null)).toBeNull();
  });
});
