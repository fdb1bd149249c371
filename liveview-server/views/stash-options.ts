// The options a view passes to `use LiveStash`, in TypeScript spelling. The library checks
// them (LiveStash.Options.validate!/1); this only catches a missing required one at definition.

export type Adapter = "browser" | "ets" | "redis" | "mnesia";
export type SecurityMode = "sign" | "encrypt";
export type RecoverStatus = "new" | "recovered" | "not_found" | "error";

export interface StashOptions {
  readonly storedKeys: readonly string[];
  readonly adapter: Adapter;
  /** Seconds; default 300. A per-server override exists so tests can shorten it. */
  readonly ttl?: number;
  /** `undefined` means no version check, like `version: nil`. */
  readonly version?: string;
  readonly securityMode?: SecurityMode;
  readonly autoStash?: boolean;
  /** Milliseconds an auto stash waits (the library's default 500; 0 = after every render). */
  readonly autoStashInterval?: number;
  /** Accept a `restored: true` replay after a full page reload. */
  readonly recoverAfterReload?: boolean;
  /** The library's `secret` option, default "live_stash". */
  readonly secret?: string;
}

export function validateOptions(opts: StashOptions): StashOptions {
  if (!Array.isArray(opts.storedKeys) || opts.storedKeys.length === 0) throw new TypeError("storedKeys is required");
  return opts;
}

/** The keyword list `use LiveStash` gets, as JSON for the bridge (snake_case keys). */
export function libraryOptions(
  opts: StashOptions,
  overrides: { ttl?: number; version?: string },
): Record<string, unknown> {
  const out: Record<string, unknown> = { stored_keys: opts.storedKeys, adapter: opts.adapter };
  const ttl = overrides.ttl ?? opts.ttl;
  const version = overrides.version ?? opts.version;
  if (ttl !== undefined) out["ttl"] = ttl;
  if (version !== undefined) out["version"] = version;
  if (opts.securityMode) out["security_mode"] = opts.securityMode;
  if (opts.autoStash !== undefined) out["auto_stash"] = opts.autoStash;
  if (opts.autoStashInterval !== undefined) out["auto_stash_interval"] = opts.autoStashInterval;
  if (opts.recoverAfterReload !== undefined) out["recover_after_reload"] = opts.recoverAfterReload;
  if (opts.secret !== undefined) out["secret"] = opts.secret;
  return out;
}
