// The README snippet bundled as Phoenix does (esbuild) and with Vite. The output must keep
// `z.config({ jitless: true })`: `"sideEffects": false` once let every bundler drop it.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const bundlerFiles = (snippet) => ({
  "app.js": snippet,
  "vite.config.mjs": `export default { logLevel: "warn", build: { outDir: "out/vite", emptyOutDir: true, rollupOptions: { input: "app.js" } } };\n`,
});

// Phoenix's default `config :esbuild` arguments, minus the paths.
export const esbuildArgs = [
  "esbuild",
  "app.js",
  "--bundle",
  "--target=es2022",
  "--minify",
  "--outfile=out/esbuild/app.js",
];
export const viteArgs = ["vite", "build"];

const JITLESS = /jitless\s*:\s*(?:true|!0)/;

/** Throws unless some .js file under `dir` still switches zod to jitless. */
export function assertJitless(dir) {
  const files = readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith(".js"));
  if (files.length === 0) throw new Error(`no bundle in ${dir}`);
  if (!files.some((f) => JITLESS.test(readFileSync(join(dir, String(f)), "utf8")))) {
    throw new Error(`${dir}: the bundle lost z.config({ jitless: true })`);
  }
}

// Run with node in the installed project: an app's own zod must be jitless once live-stash is
// loaded, i.e. never construct a Function (the probe a strict CSP reports).
export const JITLESS_PROBE = `const compiled = [];
globalThis.Function = new Proxy(Function, { construct(target, args) { compiled.push(args); return Reflect.construct(target, args); } });
await import("live-stash");
const { z } = await import("zod");
z.object({ count: z.number() }).parse({ count: 1 });
if (compiled.length) { console.error("zod compiled code after live-stash loaded: jitless is off"); process.exit(1); }
`;
