// Fails when relative imports form a cycle (type-only imports count: a cycle of types is still two
// modules that cannot be read apart). Walks the TypeScript/ESM folders given, or all of ours.
// `node scripts/check-import-cycles.mjs [folder...]`; run by `npm run typecheck`.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const FOLDERS = ["src", "liveview-server", "e2e", "demo", "bench", "test", "scripts"];
const SOURCE = /\.(ts|mts|mjs|js)$/;
const SKIP = new Set(["node_modules", "dist", ".build", ".results"]);
// `from "./x"`, `import "./x"`, `import("./x")`; comments are stripped first.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.{1,2}\/[^"']+)["']/g;

function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    if (SKIP.has(name) || name.startsWith(".")) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return SOURCE.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

function resolveImport(from, specifier) {
  const base = resolve(dirname(from), specifier);
  const candidates = [base, `${base}.ts`, `${base}.mts`, `${base}.mjs`, `${base}.js`, join(base, "index.ts"), base.replace(/\.js$/, ".ts")];
  return candidates.find((path) => existsSync(path) && statSync(path).isFile());
}

function importsOf(file) {
  const code = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  return [...code.matchAll(SPECIFIER)].map((m) => resolveImport(file, m[1])).filter((path) => path !== undefined);
}

/** Every cycle, each once, as a list of files (Tarjan's strongly connected components of size > 1, or a self-import). */
export function findCycles(files) {
  const edges = new Map(files.map((file) => [file, importsOf(file)]));
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const cycles = [];
  let next = 0;
  const visit = (file) => {
    index.set(file, next);
    low.set(file, next++);
    stack.push(file);
    onStack.add(file);
    for (const dep of edges.get(file) ?? []) {
      if (!index.has(dep)) {
        if (!edges.has(dep)) edges.set(dep, importsOf(dep));
        visit(dep);
        low.set(file, Math.min(low.get(file), low.get(dep)));
      } else if (onStack.has(dep)) low.set(file, Math.min(low.get(file), index.get(dep)));
    }
    if (low.get(file) !== index.get(file)) return;
    const component = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || (edges.get(file) ?? []).includes(file)) cycles.push(component.reverse());
  };
  for (const file of files) if (!index.has(file)) visit(file);
  return cycles;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const folders = process.argv.length > 2 ? process.argv.slice(2) : FOLDERS;
  const files = folders.map((folder) => resolve(ROOT, folder)).filter(existsSync).flatMap(sources);
  const cycles = findCycles(files);
  for (const cycle of cycles) console.error(`import cycle: ${cycle.map((file) => relative(ROOT, file)).join(" → ")}`);
  console.log(`import cycles: ${cycles.length} in ${files.length} files (${folders.join(", ")})`);
  process.exit(cycles.length ? 1 : 0);
}
