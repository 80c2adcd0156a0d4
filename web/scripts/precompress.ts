// Writes a Brotli (.br) and a gzip (.gz) copy next to each built text
// asset, so that the server sends the smaller file the browser accepts
// without compressing on every request.

import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
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

/** A build step: compresses the hashed assets once the bundle is written. */
export function precompress(): Plugin {
  let outDir = "dist";
  return {
    name: "samudbud-precompress",
    apply: "build",
    configResolved(config) {
      outDir = join(config.root, config.build.outDir, config.build.assetsDir);
    },
    // Also called when the build failed; then there is nothing to compress
    // and the build's own error is the one to show.
    closeBundle() {
      if (existsSync(outDir)) precompressDir(outDir);
    },
  };
}
