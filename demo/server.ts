// The demo's server process: the LiveView-protocol server (liveview-server/) with the demo's views.
// Run as a child of the supervisor, so "kill & restart" really loses its memory.
// Prints "listening <url>" once it accepts connections.
import { parseArgs } from "node:util";
import { startServer } from "../liveview-server/index";
import { DEMO_BUILD_DIR } from "./build";
import { DEMO_ROUTES, DEMO_VIEWS } from "./views/index";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    "build-dir": { type: "string", default: DEMO_BUILD_DIR },
  },
});

const server = await startServer({
  port: Number(values.port),
  views: DEMO_VIEWS,
  routes: DEMO_ROUTES,
  buildDir: values["build-dir"],
});
process.stdout.write(`listening ${server.url}\n`);

const stop = (): void => {
  void server.close().then(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
// The supervisor's stdin pipe closes when it dies, even by SIGKILL: never outlive it.
process.stdin.on("end", stop);
process.stdin.resume();
