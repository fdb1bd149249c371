// dist/testing.cjs needs its own declaration file: in a "type": "module" package TypeScript
// reads testing.d.ts as ESM, which a CommonJS project cannot `require`. The declarations are
// the same; only their module format differs.
import { readFileSync, writeFileSync } from "node:fs";

writeFileSync("dist/testing.d.cts", readFileSync("dist/testing.d.ts", "utf8"));
