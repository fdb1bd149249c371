// Builds liveview-server/page/entry.ts into e2e/.build/app.js with Vite's API: one ES module, no
// inline scripts, no eval, so the page also runs under `script-src 'self'`.
import { fileURLToPath } from "node:url";
import { build } from "vite";
import { BUILD_DIR } from "./support/build-dir";

const PAGE = fileURLToPath(new URL("../liveview-server/page/", import.meta.url));

export async function buildPage(): Promise<void> {
  await build({
    configFile: false,
    logLevel: "warn",
    root: PAGE,
    build: {
      outDir: BUILD_DIR,
      emptyOutDir: true,
      minify: false,
      sourcemap: false,
      target: "es2022",
      modulePreload: false,
      lib: false,
      rollupOptions: {
        input: `${PAGE}entry.ts`,
        output: { entryFileNames: "app.js", format: "es" },
      },
    },
  });
}
