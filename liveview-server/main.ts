// Standalone server process: `tsx liveview-server/main.ts --build-dir <dir> [--port 4100] [--host 127.0.0.1]
// [--ttl 5] [--version v2] [--no-view] [--no-keys]`. Prints one "listening <url>" line once it accepts connections,
// so a parent can wait for it (listening.ts).
import { parseArgs } from "node:util";
import { startServer } from "./index";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    host: { type: "string", default: "127.0.0.1" },
    "build-dir": { type: "string" },
    ttl: { type: "string" },
    version: { type: "string" },
    "no-view": { type: "boolean", default: false },
    "no-keys": { type: "boolean", default: false },
  },
});

const buildDir = values["build-dir"];
if (buildDir === undefined) {
  process.stderr.write(
    "liveview-server: --build-dir <dir> is required: the folder holding the page script app.js (see liveview-server/README.md)\n",
  );
  process.exit(2);
}

const server = await startServer({
  port: Number(values.port),
  host: values.host,
  buildDir,
  ...(values.ttl !== undefined ? { ttlSeconds: Number(values.ttl) } : {}),
  ...(values.version !== undefined ? { version: values.version } : {}),
  includeView: !values["no-view"],
  keys: !values["no-keys"],
});
process.stdout.write(`listening ${server.url}\n`);

const stop = (): void => {
  void server.close().then(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
