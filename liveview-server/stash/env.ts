// What every view's stash shares within one server process.
import type { Clock } from "../clock";
import { StashStore } from "./store";
import type { Adapter } from "./options";

export interface StashEnv {
  readonly clock: Clock;
  /** The endpoint secret; fixed across restarts so browser tokens outlive the process. */
  readonly secret: string;
  /** Overrides every view's ttl when set (tests use a short one). */
  readonly ttlSeconds: number | undefined;
  /** Overrides every view's version when set: a restart with another value is a deploy. */
  readonly version: string | undefined;
  /** The official server omits `view` from its payloads; ours adds the LiveView DOM id. */
  readonly includeView: boolean;
  readonly nodeName: string;
  /** false: browser tokens are re-sent at every beat and after recovery, as before leases (the bench's baseline). */
  readonly leases: boolean;
  /** false: `accept: [keys]` is ignored and browser stashes are whole tokens, as before per-key stashes. */
  readonly keys: boolean;
  readonly stores: Record<Exclude<Adapter, "browser">, StashStore>;
  /** Every token, stash id and node hint handed out, so tests can look for them in URLs. */
  readonly issued: Set<string>;
}

export function createStashEnv(init: Pick<StashEnv, "clock" | "secret" | "ttlSeconds" | "version" | "includeView" | "nodeName" | "leases" | "keys">): StashEnv {
  return {
    ...init,
    stores: { ets: new StashStore(init.clock), redis: new StashStore(init.clock), mnesia: new StashStore(init.clock) },
    issued: new Set(),
  };
}
