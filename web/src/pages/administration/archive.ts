// The archive download's progress in words: bytes received, and the share
// of the whole when the server announced its length; a coarser text for
// screen readers, so that they are told every tenth rather than every chunk.

import type { DownloadProgress } from "../../api/download";
import { t } from "../../i18n";

const KIB = 1024;
const MIB = 1024 * KIB;
const GIB = 1024 * MIB;
/** Without a known length, screen readers hear of every this many bytes. */
const ANNOUNCE_EVERY_BYTES = 5 * MIB;

const oneDecimal = new Intl.NumberFormat("da-DK", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat("da-DK", { maximumFractionDigits: 0 });

/** A size as Danish readers write it: 512 B, 12 kB, 3,4 MB, 1,2 GB. */
export function formatBytes(bytes: number): string {
  if (bytes < KIB) return `${whole.format(bytes)} B`;
  if (bytes < MIB) return `${whole.format(Math.floor(bytes / KIB))} kB`;
  if (bytes < GIB) return `${oneDecimal.format(Math.floor((bytes / MIB) * 10) / 10)} MB`;
  return `${oneDecimal.format(Math.floor((bytes / GIB) * 10) / 10)} GB`;
}

/** The whole percent received, or null when the length is unknown (or the body outgrew it). */
export function progressPercent({ received, total }: DownloadProgress): number | null {
  if (total === null || total <= 0 || received > total) return null;
  return Math.floor((received * 100) / total);
}

/** What the page shows while the archive arrives. */
export function progressText(progress: DownloadProgress): string {
  const percent = progressPercent(progress);
  const received = formatBytes(progress.received);
  if (percent === null || progress.total === null) return t("archive.progressBytes", { received });
  return t("archive.progressOf", { received, total: formatBytes(progress.total), percent });
}

/** What screen readers are told: the same, in steps of ten percent (or of 5 MB without a length). */
export function progressAnnouncement(progress: DownloadProgress): string {
  const percent = progressPercent(progress);
  if (percent !== null) return t("archive.announcePercent", { percent: Math.floor(percent / 10) * 10 });
  const step = Math.floor(progress.received / ANNOUNCE_EVERY_BYTES) * ANNOUNCE_EVERY_BYTES;
  if (step === 0) return t("archive.preparing");
  return t("archive.progressBytes", { received: formatBytes(step) });
}
