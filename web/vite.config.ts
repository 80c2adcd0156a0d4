import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";
import { precompress } from "./scripts/precompress.ts";

// dkfds exposes only its JavaScript through package "exports", so its
// stylesheet and icon sprite are reached by file path.
const dkfdsDist = fileURLToPath(new URL("./node_modules/dkfds/dist/", import.meta.url));

export default defineConfig({
  plugins: [react(), precompress()],
  resolve: {
    alias: [{ find: /^@dkfds\//, replacement: dkfdsDist }],
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // The server's Content-Security-Policy allows no inline code or styles,
    // and fonts/icons are served as files rather than inlined data URLs.
    assetsInlineLimit: 0,
    cssCodeSplit: false,
    sourcemap: false,
  },
  server: {
    port: 5173,
    // The API server; SAMUDBUD_API_URL points elsewhere, e.g. a second instance.
    proxy: {
      "/api": process.env.SAMUDBUD_API_URL ?? "http://127.0.0.1:8080",
    },
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
