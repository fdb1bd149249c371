// The set-up `npm test` and `npm start` do for themselves, so a fresh clone needs nothing else:
// npm dependencies, and for the tests the system tools the suites use. Node built-ins only: it
// runs before node_modules exists.
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";

/** What the demo needs, as Debian packages: its server runs the Elixir library with real Redis. */
const START_PACKAGES = ["elixir", "erlang-dev", "redis-server", "erlang-redis-client"];
/** What the suites need besides: a browser. */
const TEST_PACKAGES = [...START_PACKAGES, "chromium"];
const DEBIAN_CHROMIUM = "/usr/bin/chromium";

const quiet = (command, args) => spawnSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const loud = (command, args, env = process.env) => {
  const { status } = spawnSync(command, args, { stdio: "inherit", env });
  if (status !== 0) throw new Error(`\`${command} ${args.join(" ")}\` failed (exit ${status})`);
};
const onPath = (command) => quiet("sh", ["-c", `command -v ${command}`]).status === 0;

/** `npm ci` when node_modules is missing or older than package-lock.json. */
function npmDependencies() {
  const installed = "node_modules/.package-lock.json";
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync("package-lock.json").mtimeMs) return;
  console.log(`setup: ${existsSync(installed) ? "package-lock.json changed" : "no node_modules"}: npm ci`);
  loud("npm", ["ci", "--no-audit", "--no-fund"]);
}

const isDebianRoot = () => process.getuid?.() === 0 && existsSync("/etc/debian_version") && onPath("apt-get");
// biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own field syntax, not a JS template
const dpkgInstalled = (pkg) => quiet("dpkg-query", ["-W", "-f=${Status}", pkg]).stdout.includes("install ok installed");

function aptInstall(packages) {
  const missing = packages.filter((pkg) => !dpkgInstalled(pkg));
  if (missing.length === 0) return;
  console.log(`setup: apt-get install ${missing.join(" ")}`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  loud("apt-get", ["update", "-qq"], env);
  loud("apt-get", ["install", "-y", "-qq", ...missing], env);
}

const hasEredis = () =>
  onPath("erl") &&
  quiet("erl", ["-noshell", "-eval", 'io:format("~p", [code:lib_dir(eredis)]), halt().']).stdout.startsWith('"');

/** Not root on Debian: Playwright's own Chromium if there is no system one, and one message for the rest. */
function elsewhere(purpose) {
  const missing = [
    [onPath("mix"), "Elixir >= 1.14 with Erlang/OTP (mix)"],
    [onPath("redis-server"), "redis-server"],
    [hasEredis(), "eredis, the Erlang Redis client (Debian: erlang-redis-client)"],
  ].flatMap(([ok, what]) => (ok ? [] : [what]));
  if (missing.length) {
    throw new Error(
      `npm ${purpose} needs ${missing.join(", ")}. Install them (on Debian as root, \`npm ${purpose}\` does it: ` +
        `apt-get install ${TEST_PACKAGES.join(" ")}) and run \`npm ${purpose}\` again.`,
    );
  }
  if (purpose !== "test") return;
  if (!existsSync(DEBIAN_CHROMIUM)) {
    console.log("setup: no /usr/bin/chromium: using Playwright's own Chromium");
    loud("npx", ["playwright", "install", "chromium"]);
  }
}

/** `"start"`: npm dependencies and what the demo's server runs. `"test"`: those and every tool the suites run. */
function setup(purpose) {
  npmDependencies();
  if (isDebianRoot()) aptInstall(purpose === "test" ? TEST_PACKAGES : START_PACKAGES);
  else elsewhere(purpose);
}

/** Sets up for `purpose`, or exits with one line saying what failed. */
export function setupOrExit(purpose) {
  try {
    setup(purpose);
  } catch (error) {
    console.error(`setup: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}
