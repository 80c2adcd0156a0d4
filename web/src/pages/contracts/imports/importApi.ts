// The contract import's calls: upload a file to be read, re-run it with a
// mapping (trial or real), follow the job until it is finished, and fetch
// the rejected rows.

import { api } from "../../../api/client";
import { fetchFile } from "../../../api/download";
import { asProblem, settle, type Outcome } from "../../../api/problem";
import type { components } from "../../../api/schema";
import { postForm } from "../upload";

type Schemas = components["schemas"];
export type ImportMode = Schemas["ImportMode"];
export type ImportState = Schemas["ImportState"];
export type ImportColumn = Schemas["ImportColumn"];
export type ImportRowError = Schemas["ImportRowError"];
export type ImportDuplicate = Schemas["ImportDuplicate"];
export type ImportReport = Schemas["ImportReport"];
export type ContractImport = Schemas["ContractImport"];

const BASE = "/api/v1/contracts/imports";

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
  return settle(api.GET("/contracts/imports/{id}", { params: { path: { id } }, ...(signal ? { signal } : {}) }));
}

export function runImport(
  id: string,
  mode: Exclude<ImportMode, "analyse">,
  mapping: Record<string, string>,
): Promise<Outcome<ContractImport>> {
  return settle(api.POST("/contracts/imports/{id}/run", { params: { path: { id } }, body: { mode, mapping } }));
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
