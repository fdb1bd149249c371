// Where globalSetup builds the page script (app.js) and every e2e server serves it from. Its own
// module so test workers learn the folder without loading Vite.
import { fileURLToPath } from "node:url";

export const BUILD_DIR = fileURLToPath(new URL("../.build/", import.meta.url));
