import { describe, expect, it } from "vitest";
import { announcedLength, readWithProgress, type DownloadProgress } from "../../api/download";
import { formatBytes, progressAnnouncement, progressPercent, progressText } from "./archive";

const MB = 1024 * 1024;

describe("archive download progress", () => {
  it("writes sizes the Danish way", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(12 * 1024 + 700)).toBe("12 kB");
    expect(formatBytes(3.45 * MB)).toBe("3,4 MB");
    expect(formatBytes(1536 * MB)).toBe("1,5 GB");
  });

  it("shows bytes and percent when the length is known", () => {
    expect(progressPercent({ received: 25 * MB, total: 100 * MB })).toBe(25);
    expect(progressText({ received: 25 * MB, total: 100 * MB })).toBe("Hentet 25,0 MB af 100,0 MB (25 %)");
    expect(progressText({ received: 100 * MB, total: 100 * MB })).toBe("Hentet 100,0 MB af 100,0 MB (100 %)");
  });

  it("shows bytes only when the length is unknown or wrong", () => {
    expect(progressPercent({ received: 3 * MB, total: null })).toBeNull();
    expect(progressText({ received: 3 * MB, total: null })).toBe("Hentet 3,0 MB");
    // More than announced: no percent beyond the whole.
    expect(progressText({ received: 3 * MB, total: 2 * MB })).toBe("Hentet 3,0 MB");
  });

  it("tells screen readers in steps, not every chunk", () => {
    expect(progressAnnouncement({ received: 19 * MB, total: 100 * MB })).toBe("10 % af arkivet er hentet");
    expect(progressAnnouncement({ received: 20 * MB, total: 100 * MB })).toBe("20 % af arkivet er hentet");
    expect(progressAnnouncement({ received: 9 * MB, total: null })).toBe("Hentet 5,0 MB");
    expect(progressAnnouncement({ received: 1 * MB, total: null })).toBe("Arkivet hentes …");
  });

  it("takes the announced length only when it is the bytes that arrive", () => {
    expect(announcedLength(new Headers({ "Content-Length": "2048" }))).toBe(2048);
    expect(announcedLength(new Headers())).toBeNull();
    expect(announcedLength(new Headers({ "Content-Length": "abc" }))).toBeNull();
    expect(announcedLength(new Headers({ "Content-Length": "2048", "Content-Encoding": "gzip" }))).toBeNull();
  });
});

describe("reading a streamed body", () => {
  it("tells the progress after each chunk and keeps every byte", async () => {
    const parts = [new Uint8Array([1, 2, 3]), new Uint8Array([4, 5])];
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const part of parts) controller.enqueue(part);
        controller.close();
      },
    });
    const response = new Response(body, { headers: { "Content-Type": "application/zip", "Content-Length": "5" } });
    const seen: DownloadProgress[] = [];
    const blob = await readWithProgress(response, (progress) => seen.push(progress));
    expect(seen).toEqual([
      { received: 0, total: 5 },
      { received: 3, total: 5 },
      { received: 5, total: 5 },
    ]);
    expect(blob.size).toBe(5);
    expect(blob.type).toBe("application/zip");
    expect([...new Uint8Array(await blob.arrayBuffer())]).toEqual([1, 2, 3, 4, 5]);
  });
});
