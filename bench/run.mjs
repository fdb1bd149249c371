// `npm run bench`: runs the TypeScript bench (bench/main.ts) under tsx in this process.
import { register } from "tsx/esm/api";

register();
await import("./main.ts");
