// The browser bundle is committed (apps import it from deps/), so it must be what the sources
// build to. Rebuild and compare; a difference fails with the command that fixes it. It must also
// stay within its size cap, gzip -9, which `npm test` enforces through this script.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const files = ["assets/js/live-stash.js", "elixir_stub/assets/js/live-stash.js"];
const CAP_BYTES = 11 * 1024;
// What git holds, not the working tree: `npm ci` runs `prepare` (a build) before this script, so
// the working tree's copy is already rebuilt and would always match.
const committed = (file) => {
  const { status, stdout } = spawnSync("git", ["show", `:${file}`], { encoding: "utf8", maxBuffer: 1 << 26 });
  if (status === 0) return stdout;
  return existsSync(file) ? readFileSync(file, "utf8") : undefined;
};
const before = files.map(committed);
execFileSync("npm", ["run", "build", "--silent"], { stdio: ["ignore", "ignore", "inherit"] });
const stale = files.filter((file, i) => readFileSync(file, "utf8") !== before[i]);

const bundle = readFileSync(files[0]);
const gzipped = gzipSync(bundle, { level: 9 }).length;
console.log(`${files[0]}: ${bundle.length} bytes, ${gzipped} bytes gzip -9 (cap ${CAP_BYTES})`);
if (gzipped > CAP_BYTES) {
  console.error(
    `${files[0]} is ${gzipped} bytes gzip -9, over its cap of ${CAP_BYTES} (${CAP_BYTES / 1024} KiB). Make it smaller.`,
  );
  process.exit(1);
}
if (readFileSync(files[1], "utf8") !== readFileSync(files[0], "utf8")) {
  console.error(`${files[1]} differs from ${files[0]}: the Elixir package would ship another client.`);
  process.exit(1);
}
if (stale.length) {
  console.error(`out of date: ${stale.join(", ")}. Run \`npm run build\` and commit the result.`);
  process.exit(1);
}
console.log("bundle in sync with src/");
