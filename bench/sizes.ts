// Bundle sizes: what src/ builds to right now (library entries and the single-file browser
// bundle, built into a temporary directory so dist/ and assets/ stay untouched), the committed
// bundle, and the Phoenix clients every LiveView app already ships, for scale.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "vite";
import type { Row } from "./table";

const ROOT = new URL("../", import.meta.url).pathname;
const PHOENIX = join(ROOT, "node_modules/phoenix/priv/static/phoenix.min.js");
const LIVE_VIEW = join(ROOT, "node_modules/phoenix_live_view/priv/static/phoenix_live_view.min.js");

function measure(file: string): { raw: number; gzip: number } {
  const bytes = readFileSync(file);
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

async function buildInto(
  outDir: string,
  mode: "production" | "bundle",
  external: (string | RegExp)[] = [],
): Promise<void> {
  const rolldownOptions = external.length ? { external } : {};
  await build({
    configFile: join(ROOT, "vite.config.ts"),
    root: ROOT,
    mode,
    logLevel: "warn",
    build: { outDir, emptyOutDir: true, sourcemap: false, rolldownOptions },
  });
}

/**
 * What each part costs the browser bundle, gzip -9: built again with idb-keyval left out, then
 * with zod left out too. Each difference is what that dependency adds; the rest is our own code.
 */
async function bundleSplit(tmp: string, whole: number): Promise<Row[]> {
  const noIdb = join(tmp, "bundle-no-idb");
  const ours = join(tmp, "bundle-own");
  await buildInto(noIdb, "bundle", ["idb-keyval"]);
  await buildInto(ours, "bundle", ["idb-keyval", /^zod(\/|$)/]);
  const [withoutIdb, own] = [measure(join(noIdb, "live-stash.js")).gzip, measure(join(ours, "live-stash.js")).gzip];
  const label = "whole bundle";
  const note = "gzip -9; difference when left out of the build";
  return [
    {
      group: "bundle split",
      metric: "zod (zod/mini, as used)",
      value: withoutIdb - own,
      unit: "B",
      baseline: { label, value: whole },
      note,
    },
    {
      group: "bundle split",
      metric: "idb-keyval (the functions used)",
      value: whole - withoutIdb,
      unit: "B",
      baseline: { label, value: whole },
      note,
    },
    {
      group: "bundle split",
      metric: "our own code",
      value: own,
      unit: "B",
      baseline: { label, value: whole },
      note: "gzip -9; built with both left out",
    },
  ];
}

export async function bundleSizes(tmp: string): Promise<Row[]> {
  const lib = join(tmp, "dist");
  const bundle = join(tmp, "bundle");
  await buildInto(lib, "production");
  await buildInto(bundle, "bundle");

  const phoenix = measure(PHOENIX);
  const liveView = measure(LIVE_VIEW);
  const clients = { raw: phoenix.raw + liveView.raw, gzip: phoenix.gzip + liveView.gzip };
  const label = "phoenix + phoenix_live_view .min.js";

  const files: [string, string][] = [
    ["assets/js/live-stash.js (committed)", join(ROOT, "assets/js/live-stash.js")],
    ["live-stash.js (built now, deps inlined)", join(bundle, "live-stash.js")],
    ...readdirSync(lib)
      .filter((f) => f.endsWith(".js"))
      .sort()
      .map((f) => [`dist/${f}`, join(lib, f)] as [string, string]),
  ];
  const rows: Row[] = [];
  for (const [name, file] of files) {
    const m = measure(file);
    const note = name.startsWith("dist/") ? "unminified ESM, zod/idb-keyval external" : "minified ESM";
    rows.push({
      group: "bundle size",
      metric: `${name} raw`,
      value: m.raw,
      unit: "B",
      baseline: { label, value: clients.raw },
      note,
    });
    rows.push({
      group: "bundle size",
      metric: `${name} gzip -9`,
      value: m.gzip,
      unit: "B",
      baseline: { label, value: clients.gzip },
    });
  }
  rows.push(...(await bundleSplit(tmp, measure(join(bundle, "live-stash.js")).gzip)));
  rows.push({
    group: "bundle size",
    metric: "phoenix.min.js raw / gzip -9",
    value: phoenix.raw,
    unit: "B",
    note: `gzip ${phoenix.gzip} B`,
  });
  rows.push({
    group: "bundle size",
    metric: "phoenix_live_view.min.js raw / gzip -9",
    value: liveView.raw,
    unit: "B",
    note: `gzip ${liveView.gzip} B`,
  });
  return rows;
}
