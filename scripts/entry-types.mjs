// tsc writes each module's declarations where it lives in src/, so the `testing` and `inspector`
// entries, which live in folders, get theirs at dist/testing/testing.d.ts and
// dist/inspector/inspector.d.ts. package.json points at dist/<export>.d.ts, beside each
// dist/<export>.js: write those as re-exports.
// dist/testing.cjs needs its own declaration files too: in a "type": "module" package TypeScript
// reads .d.ts as ESM, which a CommonJS project cannot `require`. Each module of dist/testing/ gets
// a .d.cts twin, and the twins point at each other. Type-only imports of the library's ESM
// declarations (`import type ... from "../index.js"`) may stay as they are.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";

const entries = { testing: "./testing/testing", inspector: "./inspector/inspector" };

for (const [name, module] of Object.entries(entries))
  writeFileSync(`dist/${name}.d.ts`, `export * from "${module}.js";\n`);
writeFileSync("dist/testing.d.cts", `export * from "${entries.testing}.cjs";\n`);
for (const file of readdirSync("dist/testing").filter((name) => name.endsWith(".d.ts"))) {
  const text = readFileSync(`dist/testing/${file}`, "utf8").replace(/from "\.\/([a-z-]+)\.js"/g, 'from "./$1.cjs"');
  writeFileSync(`dist/testing/${file.replace(/\.d\.ts$/, ".d.cts")}`, text);
}
