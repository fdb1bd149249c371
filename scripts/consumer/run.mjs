// The consumer suite (`npm run test:consumer`, part of `npm test`): installs live-stash the ways
// the READMEs document, into throwaway projects under the OS temp dir, and uses it as a Phoenix
// developer would. One directory per scenario, reused between runs so npm's cache does the work.
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { assertJitless, bundlerFiles, esbuildArgs, JITLESS_PROBE, viteArgs } from "./bundlers.mjs";
import { cjsPlaywright, esmPlaywright, MATCHER_TYPES, matcherTsconfig } from "./playwright.mjs";
import { depsImportPaths, installSnippet, mixDependency } from "./readme.mjs";
import { npmInstall, run, writeFiles } from "./shell.mjs";
import { typeChecks, typeFiles } from "./types.mjs";
import { versionsFrom } from "./versions.mjs";

const root = resolve(import.meta.dirname, "../..");
const base = join(tmpdir(), "live-stash-consumer");
const versions = versionsFrom(root);
const snippet = installSnippet(root);
const bin = (dir, name) => join(dir, "node_modules/.bin", name);
const results = [];

function check(name, body) {
  const started = Date.now();
  try {
    body();
    results.push([name, true]);
    console.log(`  ok    ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (error) {
    results.push([name, false]);
    console.log(
      `  FAIL  ${name}\n${String(error instanceof Error ? error.message : error).replace(/^/gm, "        ")}`,
    );
  }
}

/** A fresh package.json and live-stash, the rest of node_modules kept from the last run. */
function project(name, packageJson, specs) {
  const dir = join(base, name);
  mkdirSync(dir, { recursive: true });
  rmSync(join(dir, "package-lock.json"), { force: true });
  rmSync(join(dir, "node_modules/live-stash"), { recursive: true, force: true });
  writeFiles(dir, { "package.json": { name: `consumer-${name}`, version: "0.0.0", private: true, ...packageJson } });
  npmInstall(dir, specs);
  return dir;
}

console.log(`consumer projects in ${base}`);
if (run("git", ["status", "--porcelain"], { cwd: root }).trim()) {
  console.log("  note: the git and Mix scenarios install the last commit; uncommitted changes are not in them");
}

let tarball = "";
check("npm pack (prepare builds dist/)", () => {
  const out = join(base, "pack");
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  run("npm", ["pack", "--pack-destination", out, "--loglevel=error"], { cwd: root });
  const [name] = readdirSync(out).filter((f) => f.endsWith(".tgz"));
  if (!name) throw new Error(`npm pack wrote no tarball into ${out}`);
  tarball = join(out, name);
  const files = run("tar", ["-tzf", tarball])
    .split("\n")
    .map((f) => f.replace(/^package\//, ""));
  for (const file of [
    "dist/index.js",
    "dist/index.d.ts",
    "dist/testing.cjs",
    "dist/testing.d.cts",
    "LICENSE",
    "assets/js/live-stash.js",
  ]) {
    if (!files.includes(file)) throw new Error(`the tarball lacks ${file}`);
  }
  const maps = files.filter((f) => f.endsWith(".map"));
  if (maps.length) throw new Error(`the tarball ships source maps of sources it does not ship: ${maps.join(", ")}`);
});

if (tarball) {
  const esm = project("npm-esm", { type: "module" }, [
    tarball,
    ...versions(
      "typescript",
      "esbuild",
      "vite",
      "phoenix",
      "phoenix_live_view",
      "@types/phoenix",
      "@playwright/test",
      "@types/node",
    ),
  ]);
  writeFiles(esm, {
    ...typeFiles(snippet),
    ...bundlerFiles(snippet),
    "jitless-probe.mjs": JITLESS_PROBE,
    ...esmPlaywright,
    "matchers.ts": MATCHER_TYPES,
    "tsconfig.matchers.json": matcherTsconfig("matchers.ts"),
  });
  for (const config of typeChecks)
    check(`types: README snippet and misuse, ${config}`, () => run(bin(esm, "tsc"), ["-p", config], { cwd: esm }));
  check("types: live-stash/testing matchers from ESM, nodenext", () =>
    run(bin(esm, "tsc"), ["-p", "tsconfig.matchers.json"], { cwd: esm }),
  );
  check("esbuild bundles the README snippet, jitless kept", () => {
    run(bin(esm, esbuildArgs[0]), esbuildArgs.slice(1), { cwd: esm });
    assertJitless(join(esm, "out/esbuild"));
  });
  check("Vite bundles the README snippet, jitless kept", () => {
    run(bin(esm, viteArgs[0]), viteArgs.slice(1), { cwd: esm });
    assertJitless(join(esm, "out/vite"));
  });
  check("the prebuilt bundle (assets/js/live-stash.js) keeps jitless", () =>
    assertJitless(join(esm, "node_modules/live-stash/assets/js")),
  );
  check("the installed npm build makes the app's zod jitless", () =>
    run(process.execPath, ["jitless-probe.mjs"], { cwd: esm }),
  );
  check("live-stash/testing and its matchers from an ESM Playwright project", () =>
    run(bin(esm, "playwright"), ["test"], { cwd: esm }),
  );

  const cjs = project("npm-cjs", {}, [tarball, ...versions("typescript", "@playwright/test", "@types/node")]);
  writeFiles(cjs, { ...cjsPlaywright, "check.ts": MATCHER_TYPES, "tsconfig.json": matcherTsconfig("check.ts") });
  check("types: live-stash/testing and its matchers from CommonJS, nodenext", () =>
    run(bin(cjs, "tsc"), ["-p", "tsconfig.json"], { cwd: cjs }),
  );
  check("live-stash/testing and its matchers from a CommonJS Playwright project", () =>
    run(bin(cjs, "playwright"), ["test"], { cwd: cjs }),
  );
}

const clone = join(base, "git-src");
check("a clean clone of the repository", () => {
  rmSync(clone, { recursive: true, force: true });
  run("git", ["clone", "--quiet", root, clone]);
});

check("npm install git+file:// of the clean clone runs prepare and builds dist/", () => {
  const dir = project("npm-git", { type: "module" }, [`git+${pathToFileURL(clone).href}`]);
  if (!existsSync(join(dir, "node_modules/live-stash/dist/index.js")))
    throw new Error("no dist/ in the installed git dependency");
  run(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      'const m = await import("live-stash"); if (typeof m.default !== "function") process.exit(1);',
    ],
    { cwd: dir },
  );
});

check("Mix git dependency as elixir_stub/README.md documents: the README's import path resolves", () => {
  const app = join(base, "mix-app");
  rmSync(app, { recursive: true, force: true });
  const dep = mixDependency(root, pathToFileURL(clone).href);
  writeFiles(app, {
    "mix.exs": `defmodule Consumer.MixProject do\n  use Mix.Project\n  def project, do: [app: :consumer, version: "0.1.0", deps: [${dep}]]\nend\n`,
  });
  // The checkout works offline; the shim's own Hex deps (phoenix) do not resolve here, so this
  // may fail after the checkout. What matters is where the checkout put the bundle.
  const output = run("mix", ["deps.get"], { cwd: app, allowFailure: true, env: { ...process.env, MIX_ENV: "dev" } });
  if (!existsSync(join(app, "deps/live_stash/.git"))) throw new Error(`mix did not check out ${dep}:\n${output}`);
  for (const { file, path } of depsImportPaths(root)) {
    if (!existsSync(resolve(app, "assets/js", path)))
      throw new Error(`${file}: import "${path}" does not resolve from assets/js/app.js`);
  }
});

const failed = results.filter(([, ok]) => !ok);
console.log(`consumer checks: ${results.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length ? 1 : 0);
