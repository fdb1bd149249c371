// Per-key browser stashes (issue 16, part 1), for a join that accepts "keys", as the shim's
// LiveStash.Adapters.BrowserMemory.Keyed does them: one token per stored key (`a:<key>`) and one
// for all the LiveComponents' states (`c`), plus a small manifest naming each key token by digest.
// A change re-seals the manifest and only the keys whose value changed, so a counter next to a
// 64 KB document costs a few hundred bytes a stash. The manifest carries every binding a whole
// token carries (module, instance, version); a key token is bound to its stash only through the
// manifest's digest of it.
import { issueToken, verifyToken, type SecurityMode } from "../tokens";
import type { Failure } from "./failure";
import { isRecord } from "./is-record";
import { digest } from "./lease";
import { sameValue } from "./same-value";

/** The layout of manifests and key tokens; any other is `malformed`. */
export const KEYED_FORMAT = 1;
/** Tags inside the payload: every stash token shares the view's salt, as in the shim. */
const MANIFEST_TAG = "live_stash_manifest";
const KEY_TAG = "live_stash_key";
const VIEW_PREFIX = "a:";
/** All component states in one key, as the shim: they are small next to the view's. */
export const COMPONENTS_KEY = "c";
/** What the shim's ConnectParams looks at: our own names and ids are far shorter. */
const MAX_KEYS = 256;
const MAX_NAME = 256;

/** How this view's tokens are sealed: its security mode, the endpoint secret, its salt. */
export interface Seal {
  readonly mode: SecurityMode;
  readonly secret: string;
  readonly salt: string;
}

/** A manifest's payload (inside the token envelope `{d, t, m}`, like every token here). */
export interface Manifest {
  readonly k: typeof MANIFEST_TAG;
  readonly f: typeof KEYED_FORMAT;
  /** The view module and view instance (DOM id) the stash belongs to. */
  readonly w: string;
  readonly i: string;
  /** The stash `version` option; null for none. */
  readonly v: string | null;
  /** Generation: +1 on every manifest this view seals; a recovery continues from the one it read. */
  readonly g: number;
  /** When it was sealed (ms): a recovered view's lease and re-issue count from it. */
  readonly s: number;
  /** Each key's name → [the digest of the one token that holds its value, when that token was sealed]. */
  readonly h: Readonly<Record<string, readonly [string, number]>>;
}

/** The owner fields of a manifest, as the view writing it knows them. */
export type Owner = Pick<Manifest, "w" | "i" | "v">;

/** What a `stash-keys` push carries besides `view`. */
export interface KeysPush {
  readonly manifest: string;
  /** Only the keys whose value the browser does not hold yet (or near their bound). */
  readonly keys: Record<string, string>;
  /** Every current key, changed or not. */
  readonly names: string[];
}

export type Opened =
  | { ok: true; manifest: Manifest; assigns: Record<string, unknown>; components: Record<string, unknown> }
  | { ok: false; failure: Failure };

interface Held {
  readonly value: unknown;
  readonly digest: string;
  readonly sealedAt: number;
}

/** A record's values by key name: `a:<stored key>` for the view's own, `c` for all component states. */
export function named(assigns: Record<string, unknown>, components: Record<string, unknown>): Map<string, unknown> {
  const out = new Map<string, unknown>(Object.entries(assigns).map(([key, value]) => [VIEW_PREFIX + key, value]));
  if (Object.keys(components).length > 0) out.set(COMPONENTS_KEY, components);
  return out;
}

/**
 * The keyed join params, or undefined when they are malformed, which the shim reads as nothing
 * stashed: the manifest a non-empty string, the keys at most 256 names of at most 256 characters,
 * each with a non-empty string token.
 */
export function readKeyedParams(given: Record<string, unknown>): { manifest: string; keys: Record<string, string> } | undefined {
  const [manifest, keys] = [given["stashedManifest"], given["stashedKeys"]];
  if (typeof manifest !== "string" || manifest === "" || !isRecord(keys)) return undefined;
  const entries = Object.entries(keys);
  const wellFormed = entries.length <= MAX_KEYS && entries.every(([name, token]) => name.length <= MAX_NAME && typeof token === "string" && token !== "");
  return wellFormed ? { manifest, keys: keys as Record<string, string> } : undefined;
}

/** The key tokens this view's browser holds (pushed or recovered in this process), and the generation. */
export class BrowserKeys {
  private held = new Map<string, Held>();
  private owner: Owner | undefined;
  private generation = 0;

  constructor(
    private readonly seal: Seal,
    /** Every token handed out, so tests can look for them in URLs. */
    private readonly issued: Set<string>,
  ) {}

  /**
   * Seals a manifest of `values`, and a token for each name whose value the browser does not
   * hold. `force` (the keep-alive's re-issue near the bound) re-seals the manifest, and any key
   * `stale` says is near its own bound. Undefined when there is nothing to push.
   */
  write(values: ReadonlyMap<string, unknown>, owner: Owner, now: number, maxAge: number, force: boolean, stale: (sealedAt: number) => boolean): KeysPush | undefined {
    const pushed: [string, string][] = [];
    const next = new Map<string, Held>();
    for (const [name, value] of values) {
      const before = this.held.get(name);
      if (before && sameValue(before.value, value) && !(force && stale(before.sealedAt))) {
        next.set(name, before);
        continue;
      }
      const token = this.issue({ k: KEY_TAG, n: name, x: value }, now, maxAge);
      pushed.push([name, token]);
      next.set(name, { value, digest: digest(token), sealedAt: now });
    }
    const sameOwner = this.owner !== undefined && this.owner.w === owner.w && this.owner.i === owner.i && this.owner.v === owner.v;
    if (pushed.length === 0 && !force && sameOwner && next.size === this.held.size) return undefined;
    this.held = next;
    this.owner = owner;
    this.generation += 1;
    const h = Object.fromEntries([...next].map(([name, { digest, sealedAt }]) => [name, [digest, sealedAt] as const]));
    const manifest: Manifest = { k: MANIFEST_TAG, f: KEYED_FORMAT, ...owner, g: this.generation, s: now, h };
    // fromEntries, not assignment: a name such as "__proto__" stays an ordinary key.
    return { manifest: this.issue(manifest, now, maxAge), keys: Object.fromEntries(pushed), names: [...next.keys()] };
  }

  /**
   * Opens a verified manifest's payload and the key tokens handed back with it: exactly the
   * names it lists, each the very token whose digest it lists, each authentic and within
   * `maxAge`. On success the browser holds them all. The caller then judges the manifest's
   * owner and version, as it judges a whole token's.
   */
  open(payload: unknown, keys: Record<string, string>, now: number, maxAge: number): Opened {
    const manifest = readManifest(payload);
    if (!manifest) return fail("error", "malformed", "the manifest is not one this server writes");
    const names = Object.keys(manifest.h);
    // Our client keeps exactly the names of the latest manifest: anything else was put together
    // from more than one stash, or by hand.
    if (names.length !== Object.keys(keys).length || !names.every((name) => Object.hasOwn(keys, name))) {
      return fail("error", "mixed_keys", "the keys handed back are not the ones the manifest names");
    }
    const held = new Map<string, Held>();
    for (const [name, [want, sealedAt]] of Object.entries(manifest.h)) {
      const token = keys[name]!;
      // The digest first: a token of another stash is refused before it is even opened.
      if (digest(token) !== want) return fail("error", "mixed_keys", `key ${name} is not the token the manifest names`);
      const opened = verifyToken(this.seal.mode, this.seal.secret, this.seal.salt, token, now, maxAge);
      if (!opened.ok) return opened.reason === "expired" ? fail("not_found", "expired", `key ${name} is past its bound`) : fail("error", "tampered", `key ${name}`);
      const data = opened.data;
      if (!isRecord(data) || data["k"] !== KEY_TAG || !("x" in data)) return fail("error", "malformed", `key ${name}`);
      if (data["n"] !== name) return fail("error", "mixed_keys", `key ${name} holds another key`);
      if (!fits(name, data["x"])) return fail("error", "malformed", `key ${name}`);
      held.set(name, { value: data["x"], digest: want, sealedAt });
    }
    this.held = held;
    this.owner = { w: manifest.w, i: manifest.i, v: manifest.v };
    this.generation = manifest.g;
    const assigns = [...held].filter(([name]) => name.startsWith(VIEW_PREFIX)).map(([name, { value }]) => [name.slice(VIEW_PREFIX.length), value]);
    const components = held.get(COMPONENTS_KEY)?.value ?? {};
    // fromEntries, not assignment: a key such as "__proto__" stays an ordinary key.
    return { ok: true, manifest, assigns: Object.fromEntries(assigns), components: components as Record<string, unknown> };
  }

  /** The browser dropped its entry, or holds another view's: this view's next stash pushes every key. */
  forget(): void {
    this.held = new Map();
    this.owner = undefined;
  }

  private issue(data: unknown, now: number, maxAge: number): string {
    const token = issueToken(this.seal.mode, this.seal.secret, this.seal.salt, data, now, maxAge);
    this.issued.add(token);
    return token;
  }
}

const fail = (status: Failure["status"], reason: Failure["reason"], detail: string): Opened => ({ ok: false, failure: { status, reason, detail } });

/** A view key holds any value; the components key a map of states. Other names are none of ours. */
function fits(name: string, value: unknown): boolean {
  if (name === COMPONENTS_KEY) return isRecord(value) && Object.values(value).every(isRecord);
  return name.startsWith(VIEW_PREFIX);
}

/** A verified manifest's payload, or undefined when it is not one of this layout. */
function readManifest(data: unknown): Manifest | undefined {
  if (!isRecord(data) || data["k"] !== MANIFEST_TAG || data["f"] !== KEYED_FORMAT) return undefined;
  const [w, i, v, g, s, h] = [data["w"], data["i"], data["v"], data["g"], data["s"], data["h"]];
  if (typeof w !== "string" || typeof i !== "string" || !(v === null || typeof v === "string")) return undefined;
  if (!Number.isSafeInteger(g) || (g as number) < 0 || typeof s !== "number" || !isRecord(h)) return undefined;
  const entries = Object.values(h);
  const wellFormed = entries.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === "string" && typeof e[1] === "number");
  return wellFormed ? (data as unknown as Manifest) : undefined;
}
