// Builds a page entry (the demo's by default) into <outDir>/app.js, the name the server's page
// template loads. The bench builds the bare page entry (liveview-server/page/) with it, so no
// panel skews its numbers.
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "vite";

export const DEMO_BUILD_DIR = fileURLToPath(new URL("./.build/", import.meta.url));
export const DEMO_ENTRY = fileURLToPath(new URL("./page/entry.ts", import.meta.url));
export const BARE_ENTRY = fileURLToPath(new URL("../liveview-server/page/entry.ts", import.meta.url));

/**
 * package.json says `"sideEffects": false` (true of the library), but a page entry is nothing
 * but side effects, and the demo imports the server's page entry for its LiveSocket.
 */
const keepPageEntries: Plugin = {
  name: "live-stash-demo:keep-page-entries",
  transform(code, id) {
    return /[\\/](liveview-server|demo)[\\/]page[\\/]/.test(id) ? { code, moduleSideEffects: true } : null;
  },
};

export async function buildDemoPage(outDir: string = DEMO_BUILD_DIR, entry: string = DEMO_ENTRY): Promise<void> {
  await build({
    configFile: false,
    logLevel: "warn",
    plugins: [keepPageEntries],
    root: fileURLToPath(new URL("./page/", import.meta.url)),
    build: {
      outDir,
      emptyOutDir: true,
      minify: false,
      target: "es2022",
      modulePreload: false,
      rollupOptions: {
        input: entry,
        output: { entryFileNames: "app.js", format: "es" },
      },
    },
  });
}
