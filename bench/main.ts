// `npm run bench`: every row of issue 5, printed as a table with same-run baselines and
// ratios, and written to bench/.results/ (untracked) so two runs can be compared.
// Numbers, not pass/fail. BENCH_QUICK=1 shrinks the sample counts for a fast look.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildDemoPage, BARE_ENTRY } from "../demo/build";
import { buildBridge } from "../liveview-server/bridge/build";
import { startHarness } from "./harness";
import { bridgeCost } from "./bridge-cost";
import { e2eKeepAlive, shimKeepAlive } from "./keep-alive";
import { largeStash } from "./large";
import { pushCost } from "./push-cost";
import { reconnectTime } from "./reconnect";
import { recoverRetry } from "./recover-retry";
import { serverAdapters } from "./server-adapters";
import { sessions } from "./sessions";
import { stashCost } from "./stash-cost";
import { bundleSizes } from "./sizes";
import { soak } from "./soak";
import { redisStall } from "./stall";
import { shimStashKeys } from "./stash-keys";
import { printTable, writeResults, type Row } from "./table";

const quick = process.env["BENCH_QUICK"] === "1";
const N = { pushes: quick ? 100 : 1000, reconnects: quick ? 5 : 30, large: quick ? 2 : 5, soak: quick ? 1000 : 10_000 };
const RESULTS = fileURLToPath(
  new URL(`./.results/${new Date().toISOString().replace(/[:.]/g, "-")}.json`, import.meta.url),
);

function cpuModel(): string {
  try {
    const line = execFileSync("lscpu", { encoding: "utf8" })
      .split("\n")
      .find((l) => l.startsWith("Model name"));
    return line?.split(":")[1]?.trim() ?? cpus()[0]?.model ?? "unknown";
  } catch {
    return cpus()[0]?.model ?? "unknown";
  }
}

const tmp = mkdtempSync(join(tmpdir(), "live-stash-bench-"));
const rows: Row[] = [];
let chromium = "";
const started = Date.now();
const step = async (name: string, run: () => Promise<Row[]>) => {
  const t = Date.now();
  process.stderr.write(`bench: ${name}… `);
  rows.push(...(await run()));
  process.stderr.write(`${((Date.now() - t) / 1000).toFixed(1)} s\n`);
};

try {
  await step("bundle sizes", () => bundleSizes(tmp));
  await step("server adapters (stash / recover, ETS vs Redis vs Mnesia)", async () => serverAdapters(quick));
  await step("Redis stall (event round trip during DEBUG SLEEP vs plain)", async () => redisStall(quick));
  await step("recovery retry budget (join with Redis up / killed)", async () => recoverRetry(quick));
  await step("keep-alive, shim (mix run)", async () => shimKeepAlive());
  await step("stash cost, keyed vs whole token, shim (mix run)", async () => shimStashKeys());
  await step("stash cost, shim (click / typing / auto-typing × adapters × 2 states, vs today)", async () =>
    stashCost(quick),
  );
  await step("session_key memory, shim (1,000 and 10,000 sessions)", async () => sessions(quick));
  // The server's stash rules run in a BEAM beside it: its beams compiled once, its own cost measured.
  buildBridge();
  await step(`bridge cost per event (${N.pushes} events × 2 adapters)`, () => bridgeCost(N.pushes));
  const pageDir = join(tmp, "page");
  // The bare page (liveview-server/page/): no demo panel or inspector re-rendering on each push.
  await buildDemoPage(pageDir, BARE_ENTRY);
  const h = await startHarness(pageDir);
  try {
    await step(`push cost (${N.pushes} pushes × 3 sizes × 3 storages)`, () => pushCost(h, N.pushes));
    await step(`reconnect time (${N.reconnects} rounds × 2)`, () => reconnectTime(h, N.reconnects));
    await step("1 MB stash", () => largeStash(h, N.large));
    await step(`${N.soak} pushes`, () => soak(h, N.soak));
    await step("keep-alive, e2e server (3 sizes × 2 TTLs × leases vs whole tokens)", () => e2eKeepAlive(h, pageDir));
  } finally {
    chromium = h.chromiumVersion;
    await h.close();
  }
  const machine = {
    nproc: cpus().length,
    cpu: cpuModel(),
    chromium,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    quick: String(quick),
  };
  console.log(
    `\nlive-stash bench — ${machine.nproc} cores, ${machine.cpu}, Chromium ${machine.chromium}, Node ${machine.node}${quick ? " (QUICK)" : ""}\n`,
  );
  console.log(printTable(rows));
  writeResults(RESULTS, machine, rows);
  console.log(`\nwrote ${RESULTS} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
