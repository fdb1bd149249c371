// The test server's per-key browser stash (liveview-server/stash/keyed.ts), driven through our real
// client: every push the view makes is dispatched as LiveView would, and every recovery reads the
// join params the client builds from what it kept. Each integrity rule, in both security modes.
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import { createClock, type Clock } from "../liveview-server/clock";
import { ComponentStash, componentKey } from "../liveview-server/components/stash";
import { createStashEnv, type StashEnv } from "../liveview-server/stash/env";
import { validateOptions } from "../liveview-server/stash/options";
import { ViewStash, type Recovery } from "../liveview-server/stash/view-stash";
import type { SecurityMode } from "../liveview-server/tokens";
import { EVENTS, PARAM_KEY } from "../src/core/protocol";
import { push, stash, view } from "./helpers";

const DOC = "d".repeat(64 * 1024);
const SECRET = "server-keyed-stash-test-secret-0123456789abcdef0123456789abcdef";

type Pushed = [string, Record<string, unknown>];
type Client = ReturnType<typeof stash>;

let warn: MockInstance<typeof console.warn>;
beforeEach(() => {
  warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
});
afterEach(() => {
  warn.mockRestore();
});

interface Page {
  readonly env: StashEnv;
  readonly clock: Clock;
  readonly client: Client;
  readonly pushed: Pushed[];
  /** Joins view `id` of `module` with what the client holds for element `el` (or `params`), as a reconnect. */
  join(id: string, opts?: { module?: string; params?: Record<string, unknown>; mounts?: number; components?: boolean; version?: string }): Joined;
}

interface Joined {
  readonly stash: ViewStash;
  readonly recovery: Recovery;
  readonly components: ComponentStash;
}

/** One page with our client, and a server whose views join it; one per test (the client listens on window). */
function page(mode: SecurityMode, { keys = true } = {}): Page {
  const clock = createClock();
  const env = createStashEnv({ clock, secret: SECRET, ttlSeconds: undefined, version: undefined, includeView: true, nodeName: "n", leases: true, keys });
  const client = stash();
  const pushed: Pushed[] = [];
  const elements = new Map<string, HTMLElement>();
  return {
    env,
    clock,
    client,
    pushed,
    join(id, { module = "DocLive", params, mounts = 1, components = false, version } = {}) {
      const el = elements.get(id) ?? view(id, { main: elements.size === 0 });
      elements.set(id, el);
      const given = params ?? (client.params(el)[PARAM_KEY] as Record<string, unknown>);
      const opts = validateOptions({ storedKeys: ["count", "doc"], adapter: "browser", securityMode: mode });
      const s = new ViewStash(version === undefined ? env : { ...env, version }, opts, module, id, (name, payload) => {
        pushed.push([name, payload]);
        push(name, payload);
      });
      const recovery = s.recover({ [PARAM_KEY]: given, _mounts: mounts });
      const c = new ComponentStash(recovery.components ? "recovered" : recovery.status, recovery.components, () => s.rewrite());
      if (components) s.carryComponents(c);
      return { stash: s, recovery, components: c };
    },
  };
}

const last = (pushed: readonly Pushed[]): Pushed => pushed.at(-1)!;
const bytes = (payload: unknown): number => Buffer.byteLength(JSON.stringify(payload));

/** A view that stashed the document and a count of 1, then 2: what the client holds after each. */
function twoStashes(p: Page) {
  const { stash: s } = p.join("phx-a", { mounts: 0 });
  s.stash({ count: 1, doc: DOC });
  const first = last(p.pushed)[1] as { manifest: string; keys: Record<string, string> };
  s.stash({ count: 2, doc: DOC });
  expect(last(p.pushed)[0]).toBe(EVENTS.stashKeys);
  return { s, first, held: () => p.client.params(document.getElementById("phx-a")!)[PARAM_KEY] as Record<string, unknown> };
}

/** Refused as `error`, the client told to drop it, and one warning naming the view and the reason. */
function expectRefused(joined: Joined, p: Page, reason: string, detail: RegExp): void {
  expect(joined.recovery.status).toBe("error");
  expect(last(p.pushed)[0]).toBe(EVENTS.initBrowserMemory);
  expect(warn).toHaveBeenCalledTimes(1);
  expect(warn.mock.calls[0]![0]).toMatch(/did not recover the stash of DocLive \(phx-a\)/);
  expect(warn.mock.calls[0]![0]).toContain(`(${reason})`);
  expect(warn.mock.calls[0]![0]).toMatch(detail);
}

const NOT_NAMED = /key a:count is not the token the manifest names/;
const NOT_THE_NAMES = /the keys handed back are not the ones the manifest names/;

for (const mode of ["sign", "encrypt"] as const) {
  describe(`per-key stash (${mode})`, () => {
    it("pushes every key once, then only the changed ones, and nothing when nothing changed", () => {
      const p = page(mode);
      const { stash: s } = p.join("phx-a", { mounts: 0 });
      s.stash({ count: 1, doc: DOC });
      const [name, first] = last(p.pushed);
      expect(name).toBe(EVENTS.stashKeys);
      expect(Object.keys(first["keys"] as object).sort()).toEqual(["a:count", "a:doc"]);
      expect(bytes(first)).toBeGreaterThan(64 * 1024);

      s.stash({ count: 2, doc: DOC });
      const [, second] = last(p.pushed);
      expect(Object.keys(second["keys"] as object)).toEqual(["a:count"]);
      expect(second["names"]).toEqual(["a:count", "a:doc"]);
      expect(bytes(second)).toBeLessThan(1024);

      const count = p.pushed.length;
      s.stash({ count: 2, doc: DOC });
      expect(p.pushed.length).toBe(count);
      expect(p.client.errors).toEqual([]);
    });

    it("recovers the whole state from the keys the client kept, then pushes only what changes next", () => {
      const p = page(mode);
      twoStashes(p);
      const { stash: s, recovery } = p.join("phx-a");
      expect(recovery).toMatchObject({ status: "recovered", assigns: { count: 2, doc: DOC } });
      expect(last(p.pushed)[0]).toBe(EVENTS.lease);
      s.stash({ count: 3, doc: DOC });
      expect(Object.keys(last(p.pushed)[1]["keys"] as object)).toEqual(["a:count"]);
      expect(p.join("phx-a").recovery).toMatchObject({ status: "recovered", assigns: { count: 3, doc: DOC } });
      expect(warn).not.toHaveBeenCalled();
    });

    it("refuses a tampered key token", () => {
      const p = page(mode);
      const { held } = twoStashes(p);
      const { stashedKeys, ...rest } = held() as { stashedKeys: Record<string, string> };
      const doc = stashedKeys["a:doc"]!;
      const params = { ...rest, stashedKeys: { ...stashedKeys, "a:doc": doc.slice(0, 40) + (doc[40] === "A" ? "B" : "A") + doc.slice(41) } };
      expectRefused(p.join("phx-a", { params }), p, "mixed_keys", /key a:doc is not the token the manifest names/);
    });

    it("refuses an older key token with the newer manifest", () => {
      const p = page(mode);
      const { first, held } = twoStashes(p);
      const now = held() as { stashedKeys: Record<string, string> };
      const params = { ...now, stashedKeys: { ...now.stashedKeys, "a:count": first.keys["a:count"]! } };
      expectRefused(p.join("phx-a", { params }), p, "mixed_keys", NOT_NAMED);
    });

    it("refuses the older manifest with the newer keys", () => {
      const p = page(mode);
      const { first, held } = twoStashes(p);
      const params = { ...held(), stashedManifest: first.manifest };
      expectRefused(p.join("phx-a", { params }), p, "mixed_keys", NOT_NAMED);
    });

    for (const module of ["DocLive", "OtherLive"]) {
      it(`refuses a key token moved from another view (${module}) with the same key`, () => {
        const p = page(mode);
        const { held } = twoStashes(p);
        const other = p.join("phx-b", { module, mounts: 0 });
        // Another value: key tokens carry no owner, so the same value sealed in the same instant is the same token.
        other.stash.stash({ count: 7, doc: DOC });
        const theirs = (last(p.pushed)[1]["keys"] as Record<string, string>)["a:count"]!;
        const mine = held() as { stashedKeys: Record<string, string> };
        const params = { ...mine, stashedKeys: { ...mine.stashedKeys, "a:count": theirs } };
        expectRefused(p.join("phx-a", { params }), p, "mixed_keys", NOT_NAMED);
      });
    }

    it("refuses a missing key", () => {
      const p = page(mode);
      const { stashedKeys, ...rest } = twoStashes(p).held() as { stashedKeys: Record<string, string> };
      const { "a:doc": _doc, ...withoutDoc } = stashedKeys;
      expectRefused(p.join("phx-a", { params: { ...rest, stashedKeys: withoutDoc } }), p, "mixed_keys", NOT_THE_NAMES);
    });

    it("refuses a key the manifest does not name", () => {
      const p = page(mode);
      const held = twoStashes(p).held() as { stashedKeys: Record<string, string> };
      const params = { ...held, stashedKeys: { ...held.stashedKeys, "a:admin": held.stashedKeys["a:count"]! } };
      expectRefused(p.join("phx-a", { params }), p, "mixed_keys", NOT_THE_NAMES);
    });

    it("refuses a tampered manifest as error, and reads malformed keyed params as nothing stashed", () => {
      const p = page(mode);
      const held = twoStashes(p).held() as { stashedManifest: string };
      const m = held.stashedManifest;
      const params = { ...held, stashedManifest: m.slice(0, 30) + (m[30] === "A" ? "B" : "A") + m.slice(31) };
      expectRefused(p.join("phx-a", { params }), p, "tampered", /failed authentication/);

      warn.mockClear();
      for (const stashedKeys of ["x", { "a:count": 1 }, { "a:count": "" }]) {
        expect(p.join("phx-a", { params: { stashedManifest: m, stashedKeys } }).recovery.status).toBe("not_found");
      }
      expect(p.join("phx-a", { params: { stashedManifest: "", stashedKeys: {} } }).recovery.status).toBe("not_found");
      expect(warn).not.toHaveBeenCalled();
    });

    it("leaves another instance's manifest alone: not_found, nothing pushed, no refusal", () => {
      const p = page(mode);
      const { held } = twoStashes(p);
      const before = p.pushed.length;
      const joined = p.join("phx-b", { params: held() });
      expect(joined.recovery.status).toBe("not_found");
      expect(p.pushed.length).toBe(before);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]![0]).toMatch(/did not recover the stash of DocLive \(phx-b\): the stash belongs to another view \(wrong_view\)/);
    });

    it("keeps the ttl and lease rules of a whole token: past the ttl only with a lease for the manifest", () => {
      const p = page(mode);
      const { s, held } = twoStashes(p);
      p.clock.advance(200_000);
      s.keepAlive();
      expect(last(p.pushed)[0]).toBe(EVENTS.lease);
      p.clock.advance(200_000);
      expect(p.join("phx-a").recovery.status).toBe("recovered");
      const { lease: _lease, ...alone } = held();
      p.clock.advance(1_000);
      expect(warn).not.toHaveBeenCalled();
      expect(p.join("phx-a", { params: alone }).recovery.status).toBe("not_found");
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]![0]).toContain("it expired (expired)");
    });

    it("re-seals the manifest and its keys near their absolute bound, so a view open for days still recovers", () => {
      const p = page(mode);
      const { s } = twoStashes(p);
      p.clock.advance(86_100_000);
      s.keepAlive();
      const [name, reissued] = last(p.pushed);
      expect(name).toBe(EVENTS.stashKeys);
      expect(Object.keys(reissued["keys"] as object).sort()).toEqual(["a:count", "a:doc"]);
      p.clock.advance(200_000);
      s.keepAlive();
      expect(last(p.pushed)[0]).toBe(EVENTS.lease);
      // A day and 100 s after the first stash: its tokens are past the bound, the re-sealed ones are not.
      p.clock.advance(200_000);
      expect(p.join("phx-a").recovery).toMatchObject({ status: "recovered", assigns: { count: 2, doc: DOC } });
    });

    it("refuses a manifest of another version (a deploy) as error", () => {
      const p = page(mode);
      twoStashes(p);
      expect(p.join("phx-a", { version: "v2" }).recovery.status).toBe("error");
      expect(warn.mock.calls[0]![0]).toContain("(version_mismatch)");
    });

    it("gives whole tokens to a join that does not accept keys (the official client)", () => {
      const p = page(mode);
      p.join("phx-a", { mounts: 0, params: {} }).stash.stash({ count: 1, doc: DOC });
      expect(last(p.pushed)[0]).toBe(EVENTS.stashState);
      expect(p.join("phx-a").recovery).toMatchObject({ status: "recovered", assigns: { count: 1 } });
    });

    it("gives whole tokens to every join when the server has keys off", () => {
      const p = page(mode, { keys: false });
      p.join("phx-a", { mounts: 0 }).stash.stash({ count: 1, doc: DOC });
      expect(last(p.pushed)[0]).toBe(EVENTS.stashState);
      expect(p.join("phx-a").recovery).toMatchObject({ status: "recovered", assigns: { count: 1 } });
    });

    it("carries the component states together in one key, c, pushed only when one of them changes", () => {
      const p = page(mode);
      const a = componentKey("Item", "a");
      const b = componentKey("Item", "b");
      const first = p.join("phx-a", { mounts: 0, components: true });
      first.stash.stash({ count: 1, doc: DOC });
      first.components.stash(a, { draft: "x" });
      first.components.stash(b, { draft: "y" });
      first.components.stash(a, { draft: "xy" });
      expect(Object.keys(last(p.pushed)[1]["keys"] as object)).toEqual(["c"]);
      expect(last(p.pushed)[1]["names"]).toEqual(["a:count", "a:doc", "c"]);
      const count = p.pushed.length;
      first.components.stash(b, { draft: "y" });
      expect(p.pushed.length).toBe(count);
      const again = p.join("phx-a", { components: true });
      expect(again.recovery.components).toEqual({ [a]: { draft: "xy" }, [b]: { draft: "y" } });
      expect(again.components.claim(a)).toEqual({ status: "recovered", state: { draft: "xy" } });
    });
  });
}
