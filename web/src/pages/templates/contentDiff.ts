// What changed between two versions of a template, clause by clause (a
// clause keeps its key across versions): added, removed, moved, reworded,
// and parameter by parameter (by name).

import type { Clause, Parameter, VersionContent } from "./model";
import { allParameters } from "./model";

export type ClauseField = "number" | "heading" | "text" | "required" | "guidance";

export interface ClauseChange {
  key: string;
  status: "added" | "removed" | "changed" | "unchanged";
  /** Present in both versions but in another place relative to the others. */
  moved: boolean;
  before: Clause | null;
  after: Clause | null;
  /** 1-based positions in the two versions. */
  fromPosition: number | null;
  toPosition: number | null;
  fields: ClauseField[];
}

export type ParameterField = "label" | "kind" | "duration_unit" | "unit" | "required" | "default" | "min" | "max" | "choices";

export interface ParameterChange {
  name: string;
  status: "added" | "removed" | "changed";
  before: Parameter | null;
  after: Parameter | null;
  fields: ParameterField[];
}

export interface ContentDiff {
  clauses: ClauseChange[];
  parameters: ParameterChange[];
}

/** The keys of `a` that keep their relative order in `b` (a longest common subsequence). */
function stayInOrder(a: readonly string[], b: readonly string[]): Set<string> {
  const n = a.length;
  const m = b.length;
  const width = m + 1;
  const lcs = new Uint32Array((n + 1) * width);
  const at = (i: number, j: number) => lcs[i * width + j] ?? 0;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] = a[i] === b[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
    }
  }
  const kept = new Set<string>();
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      kept.add(a[i] ?? "");
      i++;
      j++;
    } else if (at(i + 1, j) >= at(i, j + 1)) i++;
    else j++;
  }
  return kept;
}

function clauseFields(a: Clause, b: Clause): ClauseField[] {
  const fields: ClauseField[] = [];
  if (a.number !== b.number) fields.push("number");
  if (a.heading !== b.heading) fields.push("heading");
  if (a.text !== b.text) fields.push("text");
  if (a.required !== b.required) fields.push("required");
  if ((a.guidance ?? "") !== (b.guidance ?? "")) fields.push("guidance");
  return fields;
}

const same = (x: unknown, y: unknown) => JSON.stringify(x ?? null) === JSON.stringify(y ?? null);

function parameterFields(a: Parameter, b: Parameter): ParameterField[] {
  const fields: ParameterField[] = [];
  if (a.label !== b.label) fields.push("label");
  if (a.kind !== b.kind) fields.push("kind");
  if (!same(a.duration_unit, b.duration_unit)) fields.push("duration_unit");
  if (!same(a.unit, b.unit)) fields.push("unit");
  if ((a.required ?? true) !== (b.required ?? true)) fields.push("required");
  if (!same(a.default, b.default)) fields.push("default");
  if (!same(a.min, b.min)) fields.push("min");
  if (!same(a.max, b.max)) fields.push("max");
  if (!same(a.choices ?? [], b.choices ?? [])) fields.push("choices");
  return fields;
}

/** The changes from `from` to `to`: clauses in the new order with removed ones where they stood. */
export function diffContents(from: VersionContent, to: VersionContent): ContentDiff {
  const before = new Map(from.clauses.map((c, i) => [c.key, { clause: c, position: i + 1 }]));
  const after = new Map(to.clauses.map((c, i) => [c.key, { clause: c, position: i + 1 }]));
  const common = (list: readonly Clause[], other: Map<string, unknown>) => list.map((c) => c.key).filter((k) => other.has(k));
  const kept = stayInOrder(common(from.clauses, after), common(to.clauses, before));

  const clauses: ClauseChange[] = [];
  const removedAt = (position: number) =>
    from.clauses
      .map((c, i) => ({ c, i }))
      .filter(({ c, i }) => !after.has(c.key) && i === position)
      .map(({ c, i }) => ({
        key: c.key,
        status: "removed" as const,
        moved: false,
        before: c,
        after: null,
        fromPosition: i + 1,
        toPosition: null,
        fields: [],
      }));
  // Removed clauses appear after the clause that preceded them in the old version.
  let oldIndex = 0;
  const flushRemoved = (upTo: number) => {
    while (oldIndex < upTo) {
      clauses.push(...removedAt(oldIndex));
      oldIndex++;
    }
  };
  to.clauses.forEach((clause, i) => {
    const old = before.get(clause.key);
    if (old && kept.has(clause.key)) flushRemoved(old.position - 1);
    if (!old) {
      clauses.push({ key: clause.key, status: "added", moved: false, before: null, after: clause, fromPosition: null, toPosition: i + 1, fields: [] });
      return;
    }
    const fields = clauseFields(old.clause, clause);
    clauses.push({
      key: clause.key,
      status: fields.length > 0 ? "changed" : "unchanged",
      moved: !kept.has(clause.key),
      before: old.clause,
      after: clause,
      fromPosition: old.position,
      toPosition: i + 1,
      fields,
    });
  });
  flushRemoved(from.clauses.length);

  const oldParams = new Map(allParameters(from).map((p) => [p.name, p]));
  const newParams = new Map(allParameters(to).map((p) => [p.name, p]));
  const parameters: ParameterChange[] = [];
  for (const p of newParams.values()) {
    const old = oldParams.get(p.name);
    if (!old) parameters.push({ name: p.name, status: "added", before: null, after: p, fields: [] });
    else {
      const fields = parameterFields(old, p);
      if (fields.length > 0) parameters.push({ name: p.name, status: "changed", before: old, after: p, fields });
    }
  }
  for (const p of oldParams.values()) {
    if (!newParams.has(p.name)) parameters.push({ name: p.name, status: "removed", before: p, after: null, fields: [] });
  }
  return { clauses, parameters };
}

/** Whether anything changed at all. */
export function hasChanges(diff: ContentDiff): boolean {
  return diff.parameters.length > 0 || diff.clauses.some((c) => c.status !== "unchanged" || c.moved);
}
