// `vite build` emits the npm library (dist/, ESM, dependencies external, one file per entry).
// `vite build --mode bundle` emits the committed single-file browser bundle, dependencies inlined,
// for apps that import it from deps/ (a Mix git dependency: deps/live_stash/elixir_stub/assets/js/).
// `vite build --mode testing-cjs` emits dist/testing.cjs, so CommonJS Playwright projects (the
// `npm init` default) can require `live-stash/testing`.
import { resolve } from "node:path";
import { defineConfig } from "vite";

const root = import.meta.dirname;
/** One file in dist/ per package export, named for the export: dist/index.js, dist/testing.js, dist/inspector.js. */
const entries = {
  index: resolve(root, "src/index.ts"),
  testing: resolve(root, "src/testing/testing.ts"),
  inspector: resolve(root, "src/inspector/inspector.ts"),
};

const testingCjs = {
  build: {
    outDir: "dist",
    emptyOutDir: false,
    minify: false,
    lib: { entry: entries.testing, formats: ["cjs" as const], fileName: () => "testing.cjs" },
  },
};

export default defineConfig(({ mode }) =>
  mode === "testing-cjs"
    ? testingCjs
    : mode === "bundle"
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
          lib: { entry: entries, formats: ["es"], fileName: (_format, name) => `${name}.js` },
          rolldownOptions: { external: [/^zod(\/|$)/, /^idb-keyval(\/|$)/] },
        },
      },
);
