// Any sequence of whole-token, per-key, lease and clearing pushes, with page reloads in between,
// leaves the main view's join params equal to what a plain model of the protocol says.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { LiveStashError } from "../src/index";
import { EVENTS } from "../src/core/protocol";
import { disposeAll, joinStash, navigationType, push, stash, view } from "./helpers";

type Step =
  | { type: "state"; token: string }
  | { type: "keys"; manifest: string; keys: Record<string, string>; names: string[] }
  | { type: "lease"; lease: string }
  | { type: "clear" }
  | { type: "reload" };

// Few names and tokens, so pushes often touch the same keys; two names that an object lookup gets wrong.
const NAMES = ["count", "draft", "blob", "__proto__", "toString"];
const token = fc.constantFrom("token-1", "token-2", "token-3");

const step: fc.Arbitrary<Step> = fc.oneof(
  token.map((t) => ({ type: "state" as const, token: t })),
  fc.record({
    type: fc.constant("keys" as const),
    manifest: fc.constantFrom("manifest-1", "manifest-2"),
    // As LiveView hands it over: parsed from JSON, so every name is an own key, "__proto__" too.
    keys: fc
      .array(fc.tuple(fc.constantFrom(...NAMES), token), { maxLength: 4 })
      .map((pairs) => JSON.parse(JSON.stringify(Object.fromEntries(pairs))) as Record<string, string>),
    names: fc.array(fc.constantFrom(...NAMES), { maxLength: 5 }),
  }),
  fc.constantFrom("lease-1", "lease-2").map((lease) => ({ type: "lease" as const, lease })),
  fc.constant({ type: "clear" as const }),
  fc.constant({ type: "reload" as const }),
);

type Held =
  | { kind: "whole"; token: string; lease?: string }
  | { kind: "keys"; manifest: string; keys: Map<string, string>; lease?: string };

/** The protocol as the lead wrote it down, with a Map for the keys, one step at a time. */
class Model {
  held: Held | undefined;
  restored = false;
  /** A listed key had no token on this page (reported once per page). */
  missing = false;

  apply(s: Step): void {
    if (s.type === "reload") {
      this.restored = this.held !== undefined;
      this.missing = false;
      return;
    }
    if (s.type === "lease" && !this.held) return;
    this.restored = false;
    if (s.type === "state") this.held = { kind: "whole", token: s.token };
    if (s.type === "clear") this.held = undefined;
    if (s.type === "lease") this.held = { ...this.held!, lease: s.lease };
    if (s.type === "keys") {
      const before = this.held?.kind === "keys" ? this.held.keys : new Map<string, string>();
      const pushed = new Map(Object.entries(s.keys));
      const keys = new Map<string, string>();
      for (const name of s.names) {
        const kept = pushed.get(name) ?? before.get(name);
        if (kept === undefined) this.missing = true;
        else keys.set(name, kept);
      }
      this.held = { kind: "keys", manifest: s.manifest, keys };
    }
  }

  join(): Record<string, unknown> {
    const held = this.held;
    if (!held) return {};
    const params: Record<string, unknown> =
      held.kind === "whole"
        ? { stashedState: held.token }
        : { stashedManifest: held.manifest, stashedKeys: Object.fromEntries(held.keys) };
    if (held.lease) params["lease"] = held.lease;
    if (this.restored) params["restored"] = true;
    return params;
  }
}

const send = (s: Exclude<Step, { type: "reload" }>) => {
  if (s.type === "state") push(EVENTS.stashState, { assigns: s.token });
  if (s.type === "keys") push(EVENTS.stashKeys, { manifest: s.manifest, keys: s.keys, names: s.names });
  if (s.type === "lease") push(EVENTS.lease, { lease: s.lease, ttl: 300 });
  if (s.type === "clear") push(EVENTS.initBrowserMemory, {});
};

describe("stash-keys, property", () => {
  it("any sequence of pushes and reloads leaves the join params the model says", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 12 }), (steps) => {
        disposeAll();
        sessionStorage.clear();
        document.body.innerHTML = "";
        const model = new Model();
        const errors: LiveStashError[][] = [];
        let missingPages = 0;
        let page = 0;
        const open = () => {
          const el = view(`phx-page-${page++}`, { main: true });
          const live = stash({ recoverAfterReload: true });
          errors.push(live.errors);
          return { el, live };
        };
        let { el, live } = open();
        joinStash(live, el);
        for (const s of steps) {
          if (s.type === "reload") {
            if (model.missing) missingPages++;
            window.dispatchEvent(new Event("pagehide"));
            disposeAll();
            document.body.innerHTML = "";
            navigationType("reload");
            ({ el, live } = open());
          } else {
            send(s);
          }
          model.apply(s);
          expect(joinStash(live, el)).toEqual(model.join());
        }
        if (model.missing) missingPages++;
        const codes = errors.flat().map((error) => error.code);
        expect(codes).toEqual(codes.map(() => "payload"));
        expect(codes).toHaveLength(missingPages);
      }),
      { numRuns: 200 },
    );
  });
});
