// `npm run bench`: runs the TypeScript bench (bench/main.ts) under tsx in this process. It prints
// the table and keeps a JSON copy in bench/.results/ (untracked). `npm run bench -- --write` also
// rewrites bench/RESULTS.md, the committed copy the READMEs link, from that run's JSON.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

const RESULTS_DIR = fileURLToPath(new URL("./.results/", import.meta.url));
const RESULTS_MD = fileURLToPath(new URL("./RESULTS.md", import.meta.url));
const ROOT = fileURLToPath(new URL("../", import.meta.url));

const args = process.argv.slice(2);
const unknown = args.filter((arg) => arg !== "--write");
if (unknown.length > 0) {
  console.error(
    `bench: unknown argument ${unknown.join(" ")}; the only flag is --write (rewrite bench/RESULTS.md from this run)`,
  );
  process.exit(2);
}
const write = args.includes("--write");
// A committed table of shrunken samples would read as the real numbers.
if (write && process.env["BENCH_QUICK"] === "1") {
  console.error("bench: --write records a full run; unset BENCH_QUICK");
  process.exit(2);
}

const resultFiles = () => (existsSync(RESULTS_DIR) ? readdirSync(RESULTS_DIR).filter((f) => f.endsWith(".json")) : []);
const before = new Set(resultFiles());
const started = Date.now();

register();
await import("./main.ts");

if (write) {
  const mine = resultFiles()
    .filter((f) => !before.has(f))
    .sort();
  if (mine.length === 0) throw new Error("bench: this run wrote no bench/.results/*.json; RESULTS.md left as it was");
  const run = JSON.parse(readFileSync(`${RESULTS_DIR}${mine[mine.length - 1]}`, "utf8"));
  const { printTable } = await import("./table.ts");
  writeFileSync(RESULTS_MD, resultsMarkdown(run, printTable(run.rows), Math.round((Date.now() - started) / 1000)));
  console.log(`wrote ${RESULTS_MD}`);
}

/** The first line a command prints, or "not found" when it cannot run. */
function versionOf(command, args, pick = (out) => out.trim().split("\n")[0]) {
  try {
    return pick(execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
  } catch {
    return "not found";
  }
}

function npmVersion(name) {
  try {
    return JSON.parse(readFileSync(`${ROOT}node_modules/${name}/package.json`, "utf8")).version;
  } catch {
    return "not installed";
  }
}

function resultsMarkdown({ date, machine }, table, seconds) {
  const commit = versionOf("git", ["-C", ROOT, "rev-parse", "--short", "HEAD"]);
  const dirty = versionOf("git", ["-C", ROOT, "status", "--porcelain", "--untracked-files=no"], (out) =>
    out.trim() ? " with local changes" : "",
  );
  const elixir = versionOf("elixir", ["--version"], (out) =>
    out
      .split("\n")
      .flatMap((line) => line.match(/^(Erlang\/OTP \d+|Elixir [\d.]+)/)?.[1] ?? [])
      .join(", "),
  );
  const redis = versionOf("redis-server", ["--version"], (out) => `Redis ${out.match(/v=([\d.]+)/)?.[1] ?? "?"}`);
  // printTable pads every cell to its column's width; a committed file reads better without.
  const compact = table.replace(/ +\|/g, " |").replace(/^\|[-|]+\|$/m, `|${"---|".repeat(6)}`);
  return `# Benchmark results

One full \`npm run bench\` run, written by \`npm run bench -- --write\`. What each group measures,
and how to run it: [bench/README.md](README.md). Ratios are value ÷ baseline, both measured in the
same run; timings on a small VM are noisy: read the medians, p99s swing between runs.

- **Date:** ${date}, ${seconds} s
- **Machine:** ${machine.nproc} cores, ${machine.cpu}, ${machine.platform}
- **Versions:** live-stash ${commit}${dirty}; Node ${machine.node}; Chromium ${machine.chromium}; npm \`phoenix\` ${npmVersion("phoenix")}, \`phoenix_live_view\` ${npmVersion("phoenix_live_view")}; ${elixir}; ${redis}

${compact}
`;
}
