// tsc writes each module's declarations next to where it lives in src/, so the `testing` and
// `inspector` entries, which live in folders, get theirs at dist/testing/testing.d.ts and
// dist/inspector/inspector.d.ts. package.json points at dist/<export>.d.ts, beside each
// dist/<export>.js: write those as re-exports.
// dist/testing.cjs needs its own declaration file too: in a "type": "module" package TypeScript
// reads testing.d.ts as ESM, which a CommonJS project cannot `require`. The declarations are
// the same; only their module format differs.
import { writeFileSync } from "node:fs";

const entries = { testing: "./testing/testing.js", inspector: "./inspector/inspector.js" };

for (const [name, module] of Object.entries(entries)) writeFileSync(`dist/${name}.d.ts`, `export * from "${module}";\n`);
writeFileSync("dist/testing.d.cts", `export * from "${entries.testing}";\n`);
