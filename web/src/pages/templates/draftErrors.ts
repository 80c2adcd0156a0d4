// Sorting the server's refusal of a draft into messages by field path
// ("clauses[2].heading"), for the clause editor to show beside each field.

import { fieldMessage } from "../../api/problem";
import type { Problem } from "../../api/types";

/** The field errors by path relative to the content; the rest as sentences. */
export function draftErrors(problem: Problem | null): { byPath: Record<string, string>; other: string[] } {
  const byPath: Record<string, string> = {};
  const other: string[] = [];
  for (const error of problem?.errors ?? []) {
    const path = error.field.replace(/^(body\.)?(content\.)?/, "");
    if (path.startsWith("clauses")) byPath[path] ??= error.message;
    else other.push(fieldMessage(error));
  }
  return { byPath, other };
}

/** "clauses[3].parameters[0].name" → the clause index, 3; null for other paths. */
export function clauseIndex(path: string): number | null {
  const match = /^clauses\[(\d+)\]/.exec(path);
  return match ? Number(match[1]) : null;
}
