// Files the API sends as downloads (exports, rejected rows): fetched through
// the API client so they carry the session's token, then saved under the
// name the server gave in Content-Disposition.

import { session } from "../auth/session";
import { api } from "./client";
import { asProblem, failureMessage, type Outcome } from "./problem";

/** A request with the session's token; on a 401 the API client refreshes the session and it is tried once more. */
export async function authorizedFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const attempt = () => {
    const headers = new Headers(init.headers);
    const token = session.current?.accessToken;
    if (token) headers.set("Authorization", `Bearer ${token}`);
    return fetch(url, { ...init, headers });
  };
  let response = await attempt();
  if (response.status === 401) {
    await api.GET("/me");
    response = await attempt();
  }
  return response;
}

/** The query string for a file's address: empty and undefined values left out. */
export function fileQuery(params: Readonly<Record<string, string | number | boolean | undefined>>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === "") continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

/** How much of a download has arrived: the bytes so far, and the whole when the server announced it. */
export interface DownloadProgress {
  received: number;
  total: number | null;
}

/**
 * The length the server announced for a body, or null when it did not, or
 * when what arrives is not those bytes (a compressed body is unpacked by
 * the browser as it is read).
 */
export function announcedLength(headers: Headers): number | null {
  const encoding = headers.get("Content-Encoding");
  if (encoding && encoding.trim().toLowerCase() !== "identity") return null;
  const text = headers.get("Content-Length")?.trim() ?? "";
  if (!/^\d+$/.test(text)) return null;
  const length = Number(text);
  return Number.isSafeInteger(length) && length > 0 ? length : null;
}

/** Reads a body chunk by chunk into a blob, telling `onProgress` after each chunk. */
export async function readWithProgress(
  response: Response,
  onProgress: (progress: DownloadProgress) => void,
): Promise<Blob> {
  const type = response.headers.get("Content-Type") ?? "";
  if (!response.body) return response.blob();
  const total = announcedLength(response.headers);
  const reader = response.body.getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let received = 0;
  onProgress({ received, total });
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.byteLength;
    onProgress({ received, total });
  }
  return new Blob(chunks, { type });
}

/**
 * Fetches a file from the API (a path under /api/v1) as a blob; with
 * `onProgress`, the body is read as it streams in and its progress told.
 */
export async function fetchFile(
  path: string,
  onProgress?: (progress: DownloadProgress) => void,
): Promise<Outcome<Blob>> {
  try {
    const response = await authorizedFetch(`/api/v1${path}`);
    if (response.ok) {
      const data = onProgress ? await readWithProgress(response, onProgress) : await response.blob();
      return { ok: true, data, response };
    }
    let body: unknown = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    return { ok: false, status: response.status, problem: asProblem(body), response };
  } catch {
    return { ok: false, status: 0, problem: null, response: null };
  }
}

/** The file name of a Content-Disposition header: the UTF-8 `filename*` first, then the plain one. */
export function dispositionName(header: string | null | undefined): string | null {
  if (!header) return null;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // A broken encoding falls back to the plain name.
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/i.exec(header);
  const name = (plain?.[1] ?? plain?.[2])?.trim();
  return name ? name : null;
}

export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 10_000);
}

/** Saves a fetched file; the Danish failure message, or null when it was saved. */
export function saveDownload(outcome: Outcome<Blob>, fallbackName: string): string | null {
  if (!outcome.ok) return failureMessage(outcome);
  const name = dispositionName(outcome.response.headers.get("Content-Disposition")) ?? fallbackName;
  saveBlob(outcome.data, name);
  return null;
}
