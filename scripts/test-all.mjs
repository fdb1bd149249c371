// `npm test`: its own set-up (scripts/setup.mjs), then every suite, in order of speed, each must
// pass. A suite whose tool is missing fails; nothing is skipped.
import { spawnSync } from "node:child_process";
import { setupOrExit } from "./setup.mjs";

setupOrExit("test");

const steps = [
  ["types", "npm", ["run", "typecheck"]],
  ["lint", "npm", ["run", "lint"]],
  ["links", "node", ["scripts/check-links.mjs"]],
  ["unit", "npm", ["run", "test:unit"]],
  ["bundle", "node", ["scripts/check-bundle.mjs"]],
  ["docs", "npm", ["run", "docs"]],
  ["elixir", "npm", ["run", "test:elixir"]],
  ["demo smoke", "npm", ["run", "test:smoke"]],
  ["e2e", "npm", ["run", "e2e"]],
  ["consumer", "npm", ["run", "test:consumer"]],
];

const failed = [];
for (const [name, command, args] of steps) {
  console.log(`\n=== ${name}: ${command} ${args.join(" ")}`);
  const started = Date.now();
  const { status } = spawnSync(command, args, { stdio: "inherit" });
  console.log(
    `=== ${name}: ${status === 0 ? "ok" : `FAILED (exit ${status})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  if (status !== 0) failed.push(name);
}
console.log(
  `\nsuites: ${steps.length - failed.length} passed, ${failed.length} failed${failed.length ? ` (${failed.join(", ")})` : ""}`,
);
process.exit(failed.length ? 1 : 0);
