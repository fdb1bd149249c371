// `npm start`: its own set-up (npm dependencies, scripts/setup.mjs), then the TypeScript demo
// (demo/main.ts) under tsx in this process.
import { setup } from "./setup.mjs";

try {
  setup("start");
} catch (error) {
  console.error(`setup: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
const { register } = await import("tsx/esm/api");
register();
await import("../demo/main.ts");
