// Clause text is Markdown. It is rendered with raw HTML switched off, so
// anything that looks like a tag is shown as text, and links may only go to
// http(s) and mailto addresses: a clause can never inject a script.

import MarkdownIt from "markdown-it";

const md = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: false });

const SAFE_LINK = /^(https?:|mailto:)/i;
md.validateLink = (url: string) => SAFE_LINK.test(url.trim());

/** The HTML of a Markdown text; raw HTML is escaped, unsafe links are left as text. */
export function renderMarkdown(text: string): string {
  return md.render(text);
}

/** The parameter names a text refers to as {{name}}, in order, each once. */
export function referencedNames(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(/\{\{\s*([a-z][a-z0-9_]*)\s*\}\}/g)) {
    const name = match[1] ?? "";
    if (!names.includes(name)) names.push(name);
  }
  return names;
}
