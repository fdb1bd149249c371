// BrowserMemory keep-alive traffic: bytes pushed per view per minute while idle, and bytes at one
// recovering reconnect, for stashes of 1 KB, 64 KB and 1 MB at TTL 300 s and 8 s. Measured for
// the shim (a `mix run` script over the ExUnit doubles) and for liveview-server/ in Chromium (bytes
// on the wire from Playwright's websocket frame events). The baseline is the pre-lease behaviour:
// the whole token re-pushed at every beat and after every recovery. The library has no pre-lease
// mode, so on the wire the baseline is the measured whole-token push (the server with `keys: false`)
// counted where a lease now goes.
import { startServer } from "../liveview-server/index";
import { bytes as frameBytes, recordFrames } from "../liveview-server/frames";
import { reconnect, waitForConnected } from "../src/testing/testing";
import type { Harness } from "./harness";
import { mixRows } from "./mix";
import type { Row } from "./table";

const SIZES = [
  ["1 KB", 1024],
  ["64 KB", 65_536],
  ["1 MB", 1_048_576],
] as const;
const TTLS = [300, 8] as const;
const BASELINE = "pre-lease: token every beat";

const METRIC = {
  idle: "idle, bytes per view per minute",
  recovery: "one recovering reconnect, bytes pushed",
} as const;

function row(
  group: string,
  kind: keyof typeof METRIC,
  stash: string,
  ttl: number,
  value: number,
  legacy: number,
  note = "",
): Row {
  const times = value > 0 ? `${Math.round(legacy / value).toLocaleString("en-US")}× fewer bytes` : "";
  return {
    group,
    metric: `${METRIC[kind]}: ${stash} stash, TTL ${ttl} s`,
    value,
    unit: "B",
    baseline: { label: kind === "idle" ? BASELINE : "pre-lease: token again", value: legacy },
    note: [times, note].filter(Boolean).join("; "),
  };
}

const AMORTISED = "incl. a daily token re-issue, amortised";

/** The shim, through its Phoenix doubles. Fails (no skip) when mix or elixir is missing. */
export function shimKeepAlive(): Row[] {
  const group = "keep-alive, shim (ExUnit doubles)";
  // Lines `row <stash> <ttl> <idle|recovery|beat> <value> <legacy>`; a beat annotates its idle row.
  const lines = mixRows("bench/keep_alive.exs").filter(([stash, ttl, metric]) => stash && ttl && metric);
  const beats = new Map(
    lines
      .filter((l) => l[2] === "beat")
      .map(([stash, ttl, , value, legacy]) => [
        `${stash}/${ttl}`,
        `${value} B a beat (was ${Number(legacy).toLocaleString("en-US")})`,
      ]),
  );
  const rows = lines
    .filter((l) => l[2] !== "beat")
    .map(([stash, ttl, metric, value, legacy]) => {
      const beat = metric === "idle" ? beats.get(`${stash}/${ttl}`) : undefined;
      return row(
        group,
        metric as keyof typeof METRIC,
        stash!,
        Number(ttl),
        Number(value),
        Number(legacy),
        beat ? `${beat}; ${AMORTISED}` : "",
      );
    });
  if (rows.length !== SIZES.length * TTLS.length * 2)
    throw new Error(`bench/keep_alive.exs printed ${rows.length} rows: ${JSON.stringify(lines)}`);
  return rows;
}

const sum = (frames: readonly string[]) => frames.reduce((n, frame) => n + frameBytes(frame), 0);

async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** LiveStash.Lease.bound/1: seconds a leased token is good for (a day, or four ttls). */
const bound = (ttl: number): number => Math.max(86_400, 4 * ttl);

interface Measured {
  beat: number;
  recovery: number;
  /** The frame that carried the stash after Grow. */
  stash: number;
}

async function measure(h: Harness, pageDir: string, ttl: number, keys: boolean, bytes: number): Promise<Measured> {
  const server = await startServer({ ttlSeconds: ttl, keys, buildDir: pageDir });
  const page = await h.browser.newPage();
  try {
    const frames = recordFrames(page).received;
    await page.goto(`${server.url}/counter/browser?storage=memory`);
    await waitForConnected(page);
    await page.locator("[aria-label=Grow]").evaluate((el, n) => el.setAttribute("phx-value-bytes", String(n)), bytes);
    let before = frames.length;
    await page.locator("[aria-label=Grow]").click();
    await page
      .locator(".blob-size")
      .filter({ hasText: new RegExp(`^${bytes}$`) })
      .waitFor();
    const stash = sum(frames.slice(before));

    before = frames.length;
    server.keepAliveNow();
    await until(() => frames.length > before);
    const beat = sum(frames.slice(before));

    before = frames.length;
    await reconnect(page);
    await page
      .locator(".stash-status")
      .filter({ hasText: /^recovered$/ })
      .waitFor();
    return { beat, recovery: sum(frames.slice(before)), stash };
  } finally {
    await page.close();
    await server.close();
  }
}

/** liveview-server/ in Chromium: one real beat and one real reconnect per cell, counted on the wire. */
export async function e2eKeepAlive(h: Harness, pageDir: string): Promise<Row[]> {
  const group = "keep-alive, e2e server (Chromium, on the wire)";
  const rows: Row[] = [];
  for (const ttl of TTLS) {
    const beatsPerMinute = 60 / (ttl / 4);
    for (const [label, bytes] of SIZES) {
      const leased = await measure(h, pageDir, ttl, true, bytes);
      // Before leases (and per-key stashes) a beat re-sent the whole token, and so did a recovery.
      const whole = await measure(h, pageDir, ttl, false, bytes);
      const legacy = { beat: whole.stash, recovery: whole.recovery + whole.stash };
      const beats = `${leased.beat} B a beat (was ${legacy.beat.toLocaleString("en-US")}), ${beatsPerMinute} beats a minute; ${AMORTISED}`;
      // The token is re-issued once in (bound - 1.25 ttl) seconds; a re-issue costs what a legacy beat does.
      const reissue = (legacy.beat * 60) / (bound(ttl) - 1.25 * ttl);
      rows.push(
        row(
          group,
          "idle",
          label,
          ttl,
          Math.round(leased.beat * beatsPerMinute + reissue),
          Math.round(legacy.beat * beatsPerMinute),
          beats,
        ),
      );
      rows.push(
        row(
          group,
          "recovery",
          label,
          ttl,
          leased.recovery,
          legacy.recovery,
          "all frames of the rejoin, join reply included",
        ),
      );
    }
  }
  return rows;
}
