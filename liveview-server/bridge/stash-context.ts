// What every view's link to the BEAM shares within one server: the BEAM, the server-wide
// overrides, and how pushes are shaped for the wire (the official server's shape on request).
import { ACCEPT_KEY, EVENTS, PARAM_KEY } from "../../src/core/protocol";
import type { Beam, EventEntry } from "./beam";

export interface StashContext {
  readonly beam: Beam;
  /** Overrides every view's ttl when set (tests use a short one). */
  readonly ttlSeconds: number | undefined;
  /** Overrides every view's version when set: a restart with another value is a deploy. */
  readonly version: string | undefined;
  /** false: payloads without `view`, the official server's shape. */
  readonly includeView: boolean;
  /** false: a join's `accept` is not passed on, so every browser stash is a whole token, as the official server. */
  readonly keys: boolean;
  /** Every token, stash id, node hint and lease pushed, so tests can look for them in URLs. */
  readonly issued: Set<string>;
  /** Keep-alive beats of views on a server adapter (each bumps its row's TTL). */
  readonly counts: { bumps: number };
}

const STASH_EVENTS: ReadonlySet<string> = new Set(Object.values(EVENTS));

/** The connect params as the library is to see them. */
export function connectParams(ctx: StashContext, params: Record<string, unknown>): Record<string, unknown> {
  const stash = params[PARAM_KEY];
  if (ctx.keys || typeof stash !== "object" || stash === null || Array.isArray(stash)) return params;
  const { [ACCEPT_KEY]: _dropped, ...rest } = stash as Record<string, unknown>;
  return { ...params, [PARAM_KEY]: rest };
}

/** The library's pushes as they go on the wire; records every token in them. */
export function wireEvents(ctx: StashContext, events: readonly EventEntry[]): EventEntry[] {
  return events.map(([name, payload]) => {
    if (!STASH_EVENTS.has(name)) return [name, payload];
    collect(ctx.issued, payload, true);
    if (ctx.includeView) return [name, payload];
    const { view: _view, ...rest } = payload;
    return [name, rest];
  });
}

function collect(issued: Set<string>, value: unknown, top: boolean): void {
  if (typeof value === "string") issued.add(value);
  else if (Array.isArray(value)) for (const v of value) collect(issued, v, false);
  else if (typeof value === "object" && value !== null) {
    // `view` and the key `names` are no secrets, and a one-letter name would match any URL.
    for (const [key, v] of Object.entries(value))
      if (!(top && (key === "view" || key === "names"))) collect(issued, v, false);
  }
}
