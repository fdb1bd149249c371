// `vite build` emits the npm library (dist/, ESM, dependencies external, one file per entry).
// `vite build --mode bundle` emits the committed single-file browser bundle, dependencies inlined,
// for apps that import it from deps/live_stash/assets/js/live-stash.js.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { defineConfig } from "vite";

const root = import.meta.dirname;
const entries = Object.fromEntries(
  ["index", "testing", "inspector"]
    .map((name) => [name, resolve(root, `src/${name}.ts`)] as const)
    .filter(([, file]) => existsSync(file)),
);

export default defineConfig(({ mode }) =>
  mode === "bundle"
    ? {
        build: {
          outDir: "assets/js",
          emptyOutDir: false,
          minify: true,
          lib: { entry: resolve(root, "src/index.ts"), formats: ["es"], fileName: () => "live-stash.js" },
          // No comments: the bundle is final, and its /* @__PURE__ */ marks only cost bytes.
          rolldownOptions: { output: { codeSplitting: false, minify: true, comments: false } },
        },
      }
    : {
        build: {
          outDir: "dist",
          emptyOutDir: true,
          minify: false,
          sourcemap: true,
          lib: { entry: entries, formats: ["es"], fileName: (_format, name) => `${name}.js` },
          rolldownOptions: { external: [/^zod(\/|$)/, /^idb-keyval(\/|$)/] },
        },
      },
);
