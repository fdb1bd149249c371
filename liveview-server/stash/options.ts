// The options a view passes to the stash, validated like the shim's `use LiveStash, opts`:
// unknown keys and missing required ones fail loudly at definition time, not at mount.
import type { SecurityMode } from "../tokens";

export type Adapter = "browser" | "ets" | "redis" | "mnesia";

export interface StashOptions {
  readonly storedKeys: readonly string[];
  readonly adapter: Adapter;
  /** Seconds; default 300. A per-server override exists so tests can shorten it. */
  readonly ttl?: number;
  /** `undefined` means no version check, like the shim's `version: nil`. */
  readonly version?: string;
  readonly securityMode?: SecurityMode;
  readonly autoStash?: boolean;
  /** Accept a `restored: true` replay after a full page reload. */
  readonly recoverAfterReload?: boolean;
  /** Salt the secret is derived with (the shim's `secret`, default "live_stash"). */
  readonly secret?: string;
}

const KNOWN = new Set(["storedKeys", "adapter", "ttl", "version", "securityMode", "autoStash", "recoverAfterReload", "secret"]);
const ADAPTERS: readonly Adapter[] = ["browser", "ets", "redis", "mnesia"];

export function validateOptions(opts: StashOptions): StashOptions {
  for (const k of Object.keys(opts)) if (!KNOWN.has(k)) throw new TypeError(`unknown stash option ${k}`);
  if (!Array.isArray(opts.storedKeys) || opts.storedKeys.length === 0) throw new TypeError("storedKeys is required");
  if (!ADAPTERS.includes(opts.adapter)) throw new TypeError(`unknown adapter ${String(opts.adapter)}`);
  if (opts.adapter === "browser" && opts.securityMode !== "sign" && opts.securityMode !== "encrypt") {
    throw new TypeError("securityMode (sign | encrypt) is required for the browser adapter");
  }
  if (opts.ttl !== undefined && !(Number.isFinite(opts.ttl) && opts.ttl > 0)) throw new TypeError("ttl must be > 0");
  return opts;
}
