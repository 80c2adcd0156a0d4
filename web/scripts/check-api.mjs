// Fails when src/api/schema.d.ts is not what openapi-typescript makes from
// ../openapi/openapi.json today (run `npm run gen:api` to refresh it).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const committed = "src/api/schema.d.ts";
const dir = mkdtempSync(join(tmpdir(), "samudbud-api-"));
const fresh = join(dir, "schema.d.ts");
try {
  execFileSync(
    process.execPath,
    ["node_modules/openapi-typescript/bin/cli.js", "../openapi/openapi.json", "-o", fresh],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  if (readFileSync(fresh, "utf8") !== readFileSync(committed, "utf8")) {
    console.error(`${committed} is out of date with ../openapi/openapi.json; run: npm run gen:api`);
    process.exitCode = 1;
  } else {
    console.log(`${committed} matches ../openapi/openapi.json`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
