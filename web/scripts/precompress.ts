// Writes a Brotli (.br) and a gzip (.gz) copy next to each built text
// asset, so that the server sends the smaller file the browser accepts
// without compressing on every request.

import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import type { Plugin } from "vite";

const COMPRESSIBLE = /\.(js|mjs|css|svg|json|txt|map)$/;
/** Below this the headers outweigh the saving. */
const MIN_BYTES = 1024;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** Compresses the text files under `dir`; returns how many it wrote copies of. */
export function precompressDir(dir: string): number {
  let count = 0;
  for (const path of files(dir)) {
    if (!COMPRESSIBLE.test(path)) continue;
    const content = readFileSync(path);
    if (content.length < MIN_BYTES) continue;
    writeFileSync(
      `${path}.br`,
      brotliCompressSync(content, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
        },
      }),
    );
    writeFileSync(`${path}.gz`, gzipSync(content, { level: 9 }));
    count += 1;
  }
  return count;
}

/** The most compressed JavaScript a first visit may download, in bytes. */
export const FIRST_LOAD_BUDGET = 250 * 1000;

/**
 * The compressed size of the JavaScript a first visit downloads: the entry
 * script of `index.html` and the modules it preloads (pages load later, on
 * their first visit). Gzip, the larger of the two encodings, counts.
 */
export function firstLoadBytes(root: string): { gzip: number; brotli: number; files: string[] } {
  const html = readFileSync(join(root, "index.html"), "utf8");
  const files = [...html.matchAll(/(?:src|href)="\/([^"]+\.js)"/g)].flatMap((m) => (m[1] ? [m[1]] : []));
  const size = (path: string) => (existsSync(path) ? statSync(path).size : statSync(path.replace(/\.(gz|br)$/, "")).size);
  return {
    gzip: files.reduce((sum, file) => sum + size(join(root, `${file}.gz`)), 0),
    brotli: files.reduce((sum, file) => sum + size(join(root, `${file}.br`)), 0),
    files,
  };
}

/**
 * A build step: compresses the hashed assets once the bundle is written, and
 * fails the build when the first load's JavaScript is over the budget.
 */
export function precompress(): Plugin {
  let outDir = "dist";
  let root = "dist";
  return {
    name: "samudbud-precompress",
    apply: "build",
    configResolved(config) {
      root = resolve(config.root, config.build.outDir);
      outDir = join(root, config.build.assetsDir);
    },
    // Also called when the build failed; then there is nothing to compress
    // and the build's own error is the one to show.
    closeBundle() {
      if (!existsSync(outDir)) return;
      precompressDir(outDir);
      if (!existsSync(join(root, "index.html"))) return;
      const load = firstLoadBytes(root);
      const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
      console.log(`first load: ${kb(load.gzip)} of JavaScript gzipped, ${kb(load.brotli)} with Brotli (${load.files.length} files)`);
      if (load.gzip > FIRST_LOAD_BUDGET) {
        throw new Error(`the first load's JavaScript is ${kb(load.gzip)} gzipped, over the budget of ${kb(FIRST_LOAD_BUDGET)}: load more pages on first visit`);
      }
    },
  };
}
