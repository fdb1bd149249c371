// Standalone server process: `tsx e2e/server/main.ts --port 4100 [--ttl 5] [--version v2]`.
// Prints one "listening <url>" line once it accepts connections, so a parent can wait for it.
import { parseArgs } from "node:util";
import { startServer } from "./index";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    host: { type: "string", default: "127.0.0.1" },
    ttl: { type: "string" },
    version: { type: "string" },
    "no-view": { type: "boolean", default: false },
  },
});

const server = await startServer({
  port: Number(values.port),
  host: values.host,
  ...(values.ttl !== undefined ? { ttlSeconds: Number(values.ttl) } : {}),
  ...(values.version !== undefined ? { version: values.version } : {}),
  includeView: !values["no-view"],
});
process.stdout.write(`listening ${server.url}\n`);

const stop = (): void => {
  void server.close().then(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
