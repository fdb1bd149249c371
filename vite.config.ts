// `vite build` emits the npm library (dist/, ESM, dependencies external, one file per entry).
// `vite build --mode bundle` emits the committed single-file browser bundle, dependencies inlined,
// for apps that import it from deps/ (a Mix git dependency: deps/live_stash/elixir_stub/assets/js/).
// `vite build --mode testing` emits `live-stash/testing` as dist/testing.js and dist/testing.cjs
// (CommonJS Playwright projects, the `npm init` default, require it). It is built apart from the
// library because it reads the protocol names too: built together, core/protocol.ts and zod's
// jitless switch would leave dist/index.js for a chunk shared with the test helpers.
import { resolve } from "node:path";
import { defineConfig } from "vite";

const root = import.meta.dirname;
/** One file in dist/ per package export, named for the export: dist/index.js, dist/inspector.js. */
const entries = {
  index: resolve(root, "src/index.ts"),
  inspector: resolve(root, "src/inspector/inspector.ts"),
};

const testing = {
  build: {
    outDir: "dist",
    emptyOutDir: false,
    minify: false,
    lib: {
      entry: resolve(root, "src/testing/testing.ts"),
      formats: ["es" as const, "cjs" as const],
      fileName: (format: string) => (format === "es" ? "testing.js" : "testing.cjs"),
    },
  },
};

export default defineConfig(({ mode }) =>
  mode === "testing"
    ? testing
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
