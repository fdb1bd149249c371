// `npm start`: its own set-up (npm dependencies, scripts/setup.mjs), then the TypeScript demo
// (demo/main.ts) under tsx in this process.
import { setupOrExit } from "./setup.mjs";

setupOrExit("start");
const { register } = await import("tsx/esm/api");
register();
await import("../demo/main.ts");
