// Fails when relative imports form a cycle (type-only imports count: a cycle of types is still two
// modules that cannot be read apart), or when a file in src/ imports against its folders' layers
// (SRC_LAYERS). Walks the TypeScript/ESM folders given, or all of ours.
// `node scripts/check-import-cycles.mjs [folder...]`; run by `npm run typecheck`.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const FOLDERS = ["src", "liveview-server", "e2e", "demo", "bench", "test", "scripts"];
const SOURCE = /\.(ts|mts|mjs|js)$/;
const SKIP = new Set(["node_modules", "dist", ".build", ".results"]);
// `from "./x"`, `import "./x"`, `import("./x")`; comments are stripped first.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.{1,2}\/[^"']+)["']/g;

/**
 * What each folder of src/ may import besides its own files: a folder ("src/core/") or one file.
 * core <- persistence <- storage, never back up; the top of src/ (index.ts, live-stash.ts,
 * options.ts) assembles the three. The inspector and the testing helpers read the public surface,
 * plus the one internal their README names. A new folder must be added here to be allowed at all.
 */
export const SRC_LAYERS = {
  "src/core/": [],
  "src/persistence/": ["src/core/"],
  "src/storage/": ["src/core/", "src/persistence/"],
  "src/": ["src/core/", "src/persistence/", "src/storage/"],
  "src/inspector/": ["src/index.ts", "src/core/constants.ts"],
  "src/testing/": ["src/index.ts", "src/core/constants.ts"],
};

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
  const candidates = [
    base,
    `${base}.ts`,
    `${base}.mts`,
    `${base}.mjs`,
    `${base}.js`,
    join(base, "index.ts"),
    base.replace(/\.js$/, ".ts"),
  ];
  return candidates.find((path) => existsSync(path) && statSync(path).isFile());
}

function importsOf(file) {
  const code = readFileSync(file, "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/^\s*\/\/.*$/gm, "");
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

/** The src/ folder a file belongs to ("src/" for the top), or undefined outside src/. */
function layerOf(path) {
  const parts = path.split("/");
  if (parts[0] !== "src") return undefined;
  return parts.length === 2 ? "src/" : `src/${parts[1]}/`;
}

/** Every import of a src/ file that its layer does not allow, as [from, to, why], paths relative to `root`. */
export function findLayerViolations(files, root = ROOT, layers = SRC_LAYERS) {
  const violations = [];
  for (const file of files) {
    const from = relative(root, file).split(sep).join("/");
    const layer = layerOf(from);
    if (layer === undefined) continue;
    const allowed = layers[layer];
    for (const target of importsOf(file)) {
      const to = relative(root, target).split(sep).join("/");
      const toLayer = layerOf(to);
      if (allowed === undefined) violations.push([from, to, `${layer} has no rule in SRC_LAYERS`]);
      else if (toLayer === undefined) violations.push([from, to, "src/ imports nothing outside src/"]);
      else if (toLayer !== layer && !allowed.some((rule) => (rule.endsWith("/") ? toLayer === rule : to === rule))) {
        violations.push([from, to, `${layer} may import only ${allowed.join(", ") || "its own files"}`]);
      }
    }
  }
  return violations;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const folders = process.argv.length > 2 ? process.argv.slice(2) : FOLDERS;
  const files = folders
    .map((folder) => resolve(ROOT, folder))
    .filter(existsSync)
    .flatMap(sources);
  const cycles = findCycles(files);
  for (const cycle of cycles) console.error(`import cycle: ${cycle.map((file) => relative(ROOT, file)).join(" → ")}`);
  console.log(`import cycles: ${cycles.length} in ${files.length} files (${folders.join(", ")})`);
  const violations = findLayerViolations(files);
  for (const [from, to, why] of violations) console.error(`import against the layers: ${from} → ${to} (${why})`);
  console.log(`imports against the src/ layers: ${violations.length}`);
  process.exit(cycles.length || violations.length ? 1 : 0);
}
