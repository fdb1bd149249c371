// `npm start`: the demo on http://localhost:4000 (PORT env or --port), until Ctrl-C or SIGTERM.
import { parseArgs } from "node:util";
import { startDemo } from "./supervisor";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env["PORT"] ?? "4000" },
    host: { type: "string", default: "127.0.0.1" },
  },
});

const port = Number(values.port);
console.log("building the demo page…");
const demo = await startDemo({ port, host: values.host }).catch((error: NodeJS.ErrnoException) => {
  if (error.code !== "EADDRINUSE") throw error;
  console.error(
    `port ${port} is in use: stop what is using it, or choose another port, e.g. PORT=${port + 1} npm start`,
  );
  process.exit(1);
});
console.log(`\nlive-stash demo running at ${demo.url}/\nPress Ctrl-C to stop.\n`);

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  console.log("\nstopping the demo…");
  void demo.stop().then(() => process.exit(0));
  // Whatever hangs, a second signal or 5 s later we are gone (children notice via stdin).
  setTimeout(() => process.exit(1), 5000).unref();
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
