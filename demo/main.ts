// `npm start`: the demo on http://localhost:4000 (PORT env or --port), until Ctrl-C.
import { parseArgs } from "node:util";
import { startDemo } from "./supervisor";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env["PORT"] ?? "4000" },
    host: { type: "string", default: "127.0.0.1" },
  },
});

console.log("building the demo page…");
const demo = await startDemo({ port: Number(values.port), host: values.host });
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
