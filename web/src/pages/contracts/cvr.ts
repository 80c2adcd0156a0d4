// CVR numbers: eight digits whose weighted sum (2, 7, 6, 5, 4, 3, 2, 1) is
// divisible by 11 — the same check the server makes.

const WEIGHTS = [2, 7, 6, 5, 4, 3, 2, 1];

export type CvrCheck = "ok" | "empty" | "format" | "checksum";

/** Spaces removed, e.g. "27 65 43 12" → "27654312". */
export function normaliseCvr(input: string): string {
  return input.replace(/[\s\u00a0]/g, "");
}

export function checkCvr(input: string): CvrCheck {
  const cvr = normaliseCvr(input);
  if (cvr === "") return "empty";
  if (!/^\d{8}$/.test(cvr)) return "format";
  const sum = cvr.split("").reduce((acc, digit, i) => acc + Number(digit) * (WEIGHTS[i] ?? 0), 0);
  return sum % 11 === 0 ? "ok" : "checksum";
}
