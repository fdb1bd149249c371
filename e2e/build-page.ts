// Builds e2e/page/entry.ts into e2e/.build/app.js with Vite's API: one ES module, no
// inline scripts, no eval, so the page also runs under `script-src 'self'`.
import { fileURLToPath } from "node:url";
import { build } from "vite";

export const BUILD_DIR = fileURLToPath(new URL("./.build/", import.meta.url));

export async function buildPage(): Promise<void> {
  await build({
    configFile: false,
    logLevel: "warn",
    root: fileURLToPath(new URL("./page/", import.meta.url)),
    build: {
      outDir: BUILD_DIR,
      emptyOutDir: true,
      minify: false,
      sourcemap: false,
      target: "es2022",
      modulePreload: false,
      lib: false,
      rollupOptions: {
        input: fileURLToPath(new URL("./page/entry.ts", import.meta.url)),
        output: { entryFileNames: "app.js", format: "es" },
      },
    },
  });
}
