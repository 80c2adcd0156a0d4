// Ordering the clauses of a draft: moving one up, down or to another place,
// and the sentence a screen reader hears after a move.

import { t } from "../../i18n";
import { newKey, type Clause } from "./model";

/** The list with the item at `from` moved to index `to` (both clamped); the same list when nothing moves. */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  if (from < 0 || from >= list.length) return [...list];
  const target = Math.max(0, Math.min(list.length - 1, to));
  if (target === from) return [...list];
  const out = [...list];
  const [item] = out.splice(from, 1);
  out.splice(target, 0, item as T);
  return out;
}

/** The index a drop lands on when an item dragged from `from` is dropped before (or after) the item at `over`. */
export function dropIndex(from: number, over: number, after: boolean): number {
  const before = after ? over + 1 : over;
  return before > from ? before - 1 : before;
}

/** What to tell a screen reader after clause `heading` moved to `position` of `count`. */
export function moveAnnouncement(heading: string, position: number, count: number): string {
  return t("templates.clauses.moved", { heading: heading.trim() || t("templates.clauses.untitled"), position, count });
}

/** The next clause number after the last whole number used ("1", "2", … "7"). */
export function nextNumber(clauses: readonly Clause[]): string {
  let highest = 0;
  for (const clause of clauses) {
    const match = /^(\d+)/.exec(clause.number.trim());
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  return String(highest + 1);
}

/** An empty clause to add at the end. */
export function emptyClause(clauses: readonly Clause[]): Clause {
  return { key: newKey(), number: nextNumber(clauses), heading: "", text: "", required: true, guidance: null, parameters: [] };
}

/** Which way a key press moves a clause: Alt+↑ is up, Alt+↓ is down, anything else nothing. */
export function keyMove(event: { key: string; altKey: boolean }): -1 | 1 | 0 {
  if (!event.altKey) return 0;
  if (event.key === "ArrowUp") return -1;
  if (event.key === "ArrowDown") return 1;
  return 0;
}
