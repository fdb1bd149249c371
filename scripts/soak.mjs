// `npm run soak -- --seconds N`: the fault-schedule checker (issue 21) with fresh seeds for N
// seconds, over ETS, BrowserMemory, Redis and Mnesia on real :peer nodes (`--adapters ets,redis`
// for some of them). One line per adapter,
// then each anomaly's seed and shrunk commands; exits non-zero on any anomaly.
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";

const ADAPTERS = ["ets", "browser", "redis", "mnesia"];
const { values } = parseArgs({
  options: { seconds: { type: "string", default: "60" }, adapters: { type: "string", default: ADAPTERS.join(",") } },
});
const adapters = values.adapters.split(",");
if (!adapters.every((a) => ADAPTERS.includes(a))) {
  console.error(`soak: --adapters takes a comma-separated list of ${ADAPTERS.join(", ")}, got ${values.adapters}`);
  process.exit(2);
}
const seconds = Number(values.seconds);
if (!Number.isInteger(seconds) || seconds <= 0) {
  console.error(`soak: --seconds must be a positive whole number, got ${values.seconds}`);
  process.exit(2);
}

const cwd = new URL("../elixir_stub/", import.meta.url);
const env = { ...process.env, MIX_ENV: "test" };
const compile = spawnSync("mix", ["compile", "--no-deps-check", "--warnings-as-errors"], {
  cwd,
  env,
  stdio: "inherit",
});
if (compile.status !== 0) process.exit(compile.status ?? 1);

const run = spawnSync(
  "mix",
  [
    "run",
    "--no-deps-check",
    "--no-start",
    "-e",
    `LiveStash.Test.Checker.Soak.main(${seconds}, [${adapters.map((a) => `:${a}`).join(", ")}])`,
  ],
  { cwd, env, stdio: "inherit" },
);
process.exit(run.status ?? 1);
