// dist/testing.cjs needs its own declaration files: in a "type": "module" package TypeScript
// reads testing.d.ts as ESM, which a CommonJS project cannot `require`. The declarations are
// the same; only their module format differs. testing.d.ts re-exports the testing-*.d.ts
// modules, so each gets a .d.cts twin, and the twins point at each other. Type-only imports of
// the library's ESM declarations (`import type ... from "./protocol.js"`) may stay as they are.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";

const TESTING = /^testing(-[a-z]+)?\.d\.ts$/;

for (const file of readdirSync("dist").filter((name) => TESTING.test(name))) {
  const text = readFileSync(`dist/${file}`, "utf8").replace(/from "\.\/(testing(?:-[a-z]+)?)\.js"/g, 'from "./$1.cjs"');
  writeFileSync(`dist/${file.replace(/\.d\.ts$/, ".d.cts")}`, text);
}
