import { describe, expect, it } from "vitest";
import { referencedNames, renderMarkdown } from "./markdown";

describe("clause Markdown", () => {
  it("renders emphasis, lists and paragraphs", () => {
    const html = renderMarkdown("Leverandøren **skal** sikre:\n\n- oppetid\n- svartid");
    expect(html).toContain("<strong>skal</strong>");
    expect(html).toContain("<li>oppetid</li>");
    expect(html).toContain("Leverandøren");
  });

  it("escapes raw HTML instead of passing it on", () => {
    const html = renderMarkdown('<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">');
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;script&gt;");
  });

  it("refuses script and data links but keeps web and mail links", () => {
    expect(renderMarkdown("[klik](javascript:alert(1))")).not.toContain("href");
    expect(renderMarkdown("[klik](data:text/html,<b>x</b>)")).not.toContain("href");
    expect(renderMarkdown("[KL](https://www.kl.dk)")).toContain('href="https://www.kl.dk"');
    expect(renderMarkdown("[skriv](mailto:a@b.dk)")).toContain('href="mailto:a@b.dk"');
  });

  it("finds the parameters a text refers to, each once", () => {
    expect(referencedNames("Oppetid {{oppetid_procent}} % og {{ svartid_timer }} timer; {{oppetid_procent}}. {{Ugyldig}}")).toEqual([
      "oppetid_procent",
      "svartid_timer",
    ]);
  });
});
