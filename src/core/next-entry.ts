// How one push changes the entry a view holds. A lease and a per-key stash build on what is held;
// every other push replaces it.
import type { Entry } from "./entry.js";
import type { StashKind, StashParams } from "./protocol.js";

export type Lease = { lease: string; ttl: number | undefined };
/** A per-key stash: `keys` holds the changed keys' tokens, `names` every current key. */
export type Keys = { manifest: string; keys: Record<string, string>; names: string[] };
/** What one push asks of a view's entry; `null` clears it. */
export type Update = { kind: StashKind; params: StashParams } | Lease | Keys | null;

/** Where a new stash is saved: asked only when a push brings one. */
export type Place = () => Pick<Entry, "path" | "main">;

/**
 * The entry a push leaves: a new stash, the held token(s) with a fresh lease, `null` for none, or
 * `undefined` when the push changes nothing. `missing` hears of listed keys that have no token.
 */
export function nextEntry(
  held: Entry | undefined,
  update: Update,
  at: number,
  place: Place,
  missing: (count: number) => void,
): Entry | null | undefined {
  if (update === null) return null;
  if ("names" in update) {
    const { params, lost } = mergeKeys(held?.params, update);
    if (lost > 0) missing(lost);
    return { kind: "browser", params, savedAt: at, seenAt: at, ...place() };
  }
  if (!("lease" in update)) return { ...update, savedAt: at, seenAt: at, ...place() };
  // A lease extends the token(s) this view holds; with none it means nothing.
  if (!held || !("stashedState" in held.params || "stashedManifest" in held.params)) return undefined;
  const leaseUntil = update.ttl === undefined ? undefined : at + update.ttl * 1000;
  return { ...held, params: { ...held.params, lease: update.lease }, seenAt: at, leaseUntil };
}

/**
 * The new manifest with a token for each listed name: the one pushed, else the one held. Names no
 * longer listed are dropped, and so is the held lease: it extended the previous manifest.
 */
function mergeKeys(held: StashParams | undefined, { manifest, keys, names }: Keys) {
  const before = held && "stashedKeys" in held ? held.stashedKeys : {};
  const listed = [...new Set(names)];
  const kept = listed.flatMap((name) => {
    const token = own(keys, name) ?? own(before, name);
    return token === undefined ? [] : [[name, token] as const];
  });
  // fromEntries, not assignment: a name such as "__proto__" stays an ordinary key.
  return {
    params: { stashedManifest: manifest, stashedKeys: Object.fromEntries(kept) },
    lost: listed.length - kept.length,
  };
}

/** Names come from the server: "toString" must not find Object.prototype's. */
const own = (tokens: Record<string, string>, name: string): string | undefined =>
  Object.hasOwn(tokens, name) ? tokens[name] : undefined;
