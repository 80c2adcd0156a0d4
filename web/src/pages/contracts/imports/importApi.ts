// The contract import's calls: upload a file to be read, re-run it with a
// mapping (trial or real), follow the job until it is finished, and fetch
// the rejected rows.

import { authorizedFetch, fetchFile } from "../../../api/download";
import { asProblem, type Outcome } from "../../../api/problem";
import { postForm } from "../upload";

export type ImportMode = "analyse" | "dry_run" | "all_or_nothing" | "valid_rows";
export type ImportState = "queued" | "running" | "done" | "failed";

export interface ImportColumn {
  index: number;
  header: string;
  samples: string[];
  suggested_field?: string | null;
}

export interface ImportRowError {
  row: number;
  column?: string | null;
  value?: string | null;
  field?: string | null;
  message: string;
}

export interface ImportDuplicate {
  row: number;
  reference: string;
  existing_contract_id?: string | null;
  /** The earlier row of the file with the same reference. */
  first_row?: number | null;
}

export interface ImportReport {
  rows_total: number;
  rows_valid: number;
  rows_imported: number;
  rows_rejected: number;
  errors: ImportRowError[];
  duplicates: ImportDuplicate[];
  created_suppliers: { cvr: string; name: string }[];
  created_systems: string[];
}

export interface ContractImport {
  id: string;
  state: ImportState;
  mode: ImportMode;
  file_name: string;
  format: { kind: "csv" | "xlsx"; delimiter?: string | null; encoding?: string | null; sheet?: string | null; sheets: string[] };
  header_row: number;
  columns: ImportColumn[];
  mapping: Record<string, string>;
  progress?: { rows_done: number; rows_total: number } | null;
  report?: ImportReport | null;
  /** Why the run failed, in Danish. */
  failure?: string | null;
  created_at: string;
  finished_at?: string | null;
}

const BASE = "/api/v1/contracts/imports";

async function outcomeOf<T>(response: Response): Promise<Outcome<T>> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (response.ok) return { ok: true, data: body as T, response };
  return { ok: false, status: response.status, problem: asProblem(body), response };
}

async function call<T>(url: string, init: RequestInit = {}): Promise<Outcome<T>> {
  try {
    return await outcomeOf<T>(await authorizedFetch(url, init));
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    return { ok: false, status: 0, problem: null, response: null };
  }
}

/** Uploads the file to be read (mode analyse): format, sheets and columns. */
export async function createImport(
  file: File,
  options: { sheet?: string | undefined; mode: ImportMode },
  onProgress: (fraction: number) => void,
): Promise<Outcome<ContractImport>> {
  const form = new FormData();
  form.append("file", file, file.name);
  form.append("options", JSON.stringify(options));
  const result = await postForm(BASE, form, onProgress);
  if (result.status >= 200 && result.status < 300) {
    return { ok: true, data: result.body as ContractImport, response: new Response(null, { status: result.status }) };
  }
  return { ok: false, status: result.status, problem: asProblem(result.body), response: null };
}

export function getImport(id: string, signal?: AbortSignal): Promise<Outcome<ContractImport>> {
  return call<ContractImport>(`${BASE}/${encodeURIComponent(id)}`, signal ? { signal } : {});
}

export function runImport(
  id: string,
  mode: Exclude<ImportMode, "analyse">,
  mapping: Record<string, string>,
): Promise<Outcome<ContractImport>> {
  return call<ContractImport>(`${BASE}/${encodeURIComponent(id)}/run`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ mode, mapping }),
  });
}

export function fetchRejectedRows(id: string, format: "csv" | "xlsx"): Promise<Outcome<Blob>> {
  return fetchFile(`/contracts/imports/${encodeURIComponent(id)}/rejected-rows?format=${format}`);
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(new DOMException("Aborted", "AbortError"));
    });
  });
}

/** Follows a job until it is done or failed, reporting each state on the way. */
export async function followImport(
  job: ContractImport,
  signal: AbortSignal,
  onUpdate: (job: ContractImport) => void,
): Promise<Outcome<ContractImport>> {
  let current = job;
  let wait = 250;
  for (;;) {
    onUpdate(current);
    if (current.state === "done" || current.state === "failed") {
      return { ok: true, data: current, response: new Response(null, { status: 200 }) };
    }
    await pause(wait, signal);
    wait = Math.min(1000, wait + 150);
    const next = await getImport(current.id, signal);
    if (!next.ok) return next;
    current = next.data;
  }
}
