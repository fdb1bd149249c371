// The demo's smoke test (`npm run test:smoke`), kept out of the unit suite's config: it runs
// in node, builds the page and spawns the server process.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ["**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
