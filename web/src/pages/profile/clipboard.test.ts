import { describe, expect, it, vi } from "vitest";
import { copyText } from "./clipboard";

describe("copyText", () => {
  it("uses the Clipboard API when there is one", async () => {
    const writeText = vi.fn(() => Promise.resolve());
    const copySelection = vi.fn(() => true);
    expect(await copyText("https://x/calendar/abc.ics", { clipboard: { writeText }, copySelection })).toBe(true);
    expect(writeText).toHaveBeenCalledWith("https://x/calendar/abc.ics");
    expect(copySelection).not.toHaveBeenCalled();
  });

  it("falls back on the copy command when the Clipboard API refuses", async () => {
    const writeText = vi.fn(() => Promise.reject(new Error("NotAllowedError")));
    const copySelection = vi.fn(() => true);
    expect(await copyText("t", { clipboard: { writeText }, copySelection })).toBe(true);
    expect(copySelection).toHaveBeenCalledOnce();
  });

  it("falls back when there is no Clipboard API, and says when nothing worked", async () => {
    expect(await copyText("t", { copySelection: () => true })).toBe(true);
    expect(await copyText("t", { copySelection: () => false })).toBe(false);
    expect(
      await copyText("t", {
        copySelection: () => {
          throw new Error("unsupported");
        },
      }),
    ).toBe(false);
    expect(await copyText("t", {})).toBe(false);
  });
});
