// Template and contract documents: the Word file is saved under a readable
// name; the printable HTML opens in a new tab. Both are fetched with the
// session's token, so they go through the API client as blobs.

import type { Outcome } from "../../api/problem";

/** A file name from a title: letters, digits and dashes ("Fælles driftsvilkår v2" → "Fælles-driftsvilkår-v2.docx"). */
export function fileName(title: string, extension: string): string {
  const base = title
    .normalize("NFC")
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80);
  return `${base || "dokument"}.${extension}`;
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

/** Opens an HTML document in a new tab; false when the browser blocked it. */
export function openHtml(blob: Blob): boolean {
  const url = URL.createObjectURL(new Blob([blob], { type: "text/html;charset=utf-8" }));
  const opened = window.open(url, "_blank", "noopener");
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 60_000);
  return opened !== null;
}

/** Fetches and saves or opens; the outcome's failure, or null when it worked. */
export async function fetchDocument(
  load: () => Promise<Outcome<Blob>>,
  then: (blob: Blob) => void,
): Promise<Extract<Outcome<Blob>, { ok: false }> | null> {
  const outcome = await load();
  if (!outcome.ok) return outcome;
  then(outcome.data);
  return null;
}
