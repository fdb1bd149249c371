// `npm start`: runs the TypeScript demo (demo/main.ts) under tsx in this process.
import { register } from "tsx/esm/api";

register();
await import("../demo/main.ts");
