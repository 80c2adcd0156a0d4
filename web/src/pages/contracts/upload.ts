// Uploading a file (an attachment, a register to import) with progress. fetch cannot report upload
// progress, so this uses XMLHttpRequest with the session's access token; on
// a 401 it lets the API client refresh the session (through a cheap GET /me)
// and tries once more.

import { api } from "../../api/client";
import { asProblem } from "../../api/problem";
import type { Attachment, Problem } from "../../api/types";
import { session } from "../../auth/session";

export const MAX_BYTES = 20 * 1024 * 1024;

const TYPES: readonly { ext: string; mime: string }[] = [
  { ext: ".pdf", mime: "application/pdf" },
  { ext: ".docx", mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
  { ext: ".xlsx", mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
];

/** For the file input's accept attribute. */
export const ACCEPT = TYPES.flatMap((type) => [type.ext, type.mime]).join(",");

/** Why a file cannot be uploaded, checked before sending; null when it may go. */
export function checkFile(file: { name: string; size: number }): "wrongType" | "tooBig" | null {
  const name = file.name.toLowerCase();
  if (!TYPES.some((type) => name.endsWith(type.ext))) return "wrongType";
  if (file.size > MAX_BYTES) return "tooBig";
  return null;
}

export type UploadResult =
  | { ok: true; attachment: Attachment }
  | { ok: false; status: number; problem: Problem | null };

function send(url: string, form: FormData, onProgress: (fraction: number) => void): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    const token = session.current?.accessToken;
    if (token) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    xhr.addEventListener("load", () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      resolve({ status: xhr.status, body });
    });
    xhr.addEventListener("error", () => {
      resolve({ status: 0, body: null });
    });
    xhr.send(form);
  });
}

/** Sends a multipart form with upload progress; the status and the parsed JSON body. */
export async function postForm(
  url: string,
  form: FormData,
  onProgress: (fraction: number) => void,
): Promise<{ status: number; body: unknown }> {
  let result = await send(url, form, onProgress);
  if (result.status === 401) {
    await api.GET("/me");
    onProgress(0);
    result = await send(url, form, onProgress);
  }
  return result;
}

export async function uploadAttachment(
  contractId: string,
  file: File,
  onProgress: (fraction: number) => void,
): Promise<UploadResult> {
  const url = `/api/v1/contracts/${encodeURIComponent(contractId)}/attachments`;
  const form = new FormData();
  form.append("file", file, file.name);
  const result = await postForm(url, form, onProgress);
  if (result.status === 201 || result.status === 200) return { ok: true, attachment: result.body as Attachment };
  return { ok: false, status: result.status, problem: asProblem(result.body) };
}
