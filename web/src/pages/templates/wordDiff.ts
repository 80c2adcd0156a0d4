// A word-by-word comparison of two texts, for showing what changed in a
// clause: runs of unchanged, inserted and deleted words (whitespace kept).

export type Segment = { op: "same" | "ins" | "del"; text: string };

/** Words and the whitespace after them, so joining the tokens gives the text back. */
export function tokens(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

/** Beyond this many cells the texts are shown as one deletion and one insertion. */
const MAX_CELLS = 4_000_000;

function push(out: Segment[], op: Segment["op"], text: string) {
  const last = out[out.length - 1];
  if (last && last.op === op) last.text += text;
  else out.push({ op, text });
}

/** The segments that turn `before` into `after`, by the longest common run of words. */
export function wordDiff(before: string, after: string): Segment[] {
  const a = tokens(before);
  const b = tokens(after);
  // Compare words without their trailing whitespace, so a re-wrapped line is no change.
  const ka = a.map((w) => w.trimEnd());
  const kb = b.map((w) => w.trimEnd());
  let start = 0;
  while (start < a.length && start < b.length && ka[start] === kb[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && ka[endA - 1] === kb[endB - 1]) {
    endA--;
    endB--;
  }
  const out: Segment[] = [];
  if (start > 0) push(out, "same", b.slice(0, start).join(""));
  const n = endA - start;
  const m = endB - start;
  if (n * m > MAX_CELLS) {
    if (n > 0) push(out, "del", a.slice(start, endA).join(""));
    if (m > 0) push(out, "ins", b.slice(start, endB).join(""));
  } else {
    // lcs[i][j]: length of the longest common subsequence of a[start+i..] and b[start+j..].
    const width = m + 1;
    const lcs = new Uint32Array((n + 1) * width);
    const at = (i: number, j: number) => lcs[i * width + j] ?? 0;
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * width + j] = ka[start + i] === kb[start + j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && ka[start + i] === kb[start + j]) {
        push(out, "same", b[start + j] ?? "");
        i++;
        j++;
      } else if (i < n && (j === m || at(i + 1, j) >= at(i, j + 1))) {
        // Deletions before insertions, so a replaced word reads old → new.
        push(out, "del", a[start + i] ?? "");
        i++;
      } else {
        push(out, "ins", b[start + j] ?? "");
        j++;
      }
    }
  }
  if (endB < b.length) push(out, "same", b.slice(endB).join(""));
  return out;
}
