// Per-key browser stashes (issue 16, part 1), for a join that accepts "keys": one token per
// stored key and one per LiveComponent state, plus a small manifest that names each of them by
// digest. A change re-signs the manifest and issues tokens only for the values that changed, so a
// counter next to a 64 KB document costs a few hundred bytes a stash, not the document again.
// The manifest carries every binding a whole token carries (module, instance, version, signing
// time); a key token is bound to its stash only through the manifest's digest of it.
import { issueToken, verifyToken, type SecurityMode } from "../tokens";
import { isRecord } from "./is-record";
import { digest } from "./lease";
import { sameValue } from "./same-value";

/** Bumped when the layout of manifests or key tokens changes: an older one is then refused. */
export const KEYED_FORMAT = 1;

/** Own salts: a key token never passes for a manifest, a whole token or a lease, nor the other way round. */
export const manifestSalt = (salt: string): string => `${salt}/manifest`;
const keySalt = (salt: string): string => `${salt}/key`;

/** How this view's tokens are sealed: its security mode, the endpoint secret, its salt. */
export interface Seal {
  readonly mode: SecurityMode;
  readonly secret: string;
  readonly salt: string;
}

/** A manifest's payload (inside the token envelope `{d, t, m}`, like every token here). */
export interface Manifest {
  readonly f: typeof KEYED_FORMAT;
  /** The view module and view instance (DOM id) the stash belongs to. */
  readonly w: string;
  readonly i: string;
  /** The stash `version` option; null for none. */
  readonly v: string | null;
  /** Generation: +1 on every manifest this view signs; a recovery continues from the one it read. */
  readonly g: number;
  /** Each key's name → the digest of the one token that holds its value. */
  readonly h: Readonly<Record<string, string>>;
}

/** The owner fields of a manifest, as the view writing it knows them. */
export type Owner = Pick<Manifest, "w" | "i" | "v">;

/** What a `stash-keys` push carries besides `view`. */
export interface KeysPush {
  readonly manifest: string;
  /** Only the keys whose value the browser does not hold yet. */
  readonly keys: Record<string, string>;
  /** Every current key, changed or not. */
  readonly names: string[];
}

export type Opened =
  | { ok: true; assigns: Record<string, unknown>; components: Record<string, Record<string, unknown>> }
  | { ok: false; reason: string };

const VIEW_PREFIX = "a:";
const COMPONENT_PREFIX = "c:";

/** A record's values by key name: `a:<stored key>` for the view's own, `c:<component key>` for each component's state. */
export function named(assigns: Record<string, unknown>, components: Record<string, Record<string, unknown>>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(assigns)) out.set(VIEW_PREFIX + key, value);
  for (const [key, state] of Object.entries(components)) out.set(COMPONENT_PREFIX + key, { k: key, s: state });
  return out;
}

/** A verified manifest's payload, or undefined when it is not one of this format. */
export function readManifest(data: unknown): Manifest | undefined {
  if (!isRecord(data) || data["f"] !== KEYED_FORMAT || typeof data["w"] !== "string" || typeof data["i"] !== "string") return undefined;
  const [v, g, h] = [data["v"], data["g"], data["h"]];
  if (!(v === null || typeof v === "string") || !Number.isSafeInteger(g) || (g as number) < 0) return undefined;
  if (!isRecord(h) || !Object.values(h).every((d) => typeof d === "string")) return undefined;
  return data as unknown as Manifest;
}

interface Held {
  readonly digest: string;
  readonly value: unknown;
}

/** The key tokens this view's browser holds (pushed or recovered in this process), and the generation. */
export class BrowserKeys {
  private held = new Map<string, Held>();
  private generation = 0;

  constructor(
    private readonly seal: Seal,
    /** Every token handed out, so tests can look for them in URLs. */
    private readonly issued: Set<string>,
  ) {}

  /** Signs a manifest of `values`, issuing a token only for a name whose value the browser does not hold. */
  write(values: ReadonlyMap<string, unknown>, owner: Owner, now: number, maxAge: number): KeysPush {
    const pushed: [string, string][] = [];
    const next = new Map<string, Held>();
    for (const [name, value] of values) {
      const before = this.held.get(name);
      if (before && sameValue(before.value, value)) {
        next.set(name, before);
        continue;
      }
      const token = this.issue(keySalt(this.seal.salt), { f: KEYED_FORMAT, w: owner.w, n: name, x: value }, now, maxAge);
      pushed.push([name, token]);
      next.set(name, { digest: digest(token), value });
    }
    this.held = next;
    this.generation += 1;
    const h = Object.fromEntries([...next].map(([name, { digest }]) => [name, digest]));
    const manifest: Manifest = { f: KEYED_FORMAT, ...owner, g: this.generation, h };
    const token = this.issue(manifestSalt(this.seal.salt), manifest, now, maxAge);
    return { manifest: token, keys: Object.fromEntries(pushed), names: [...next.keys()] };
  }

  /**
   * Checks the key tokens handed back with a verified manifest of this view: exactly the names it
   * lists, each the very token whose digest it lists. On success the browser holds them all.
   */
  open(manifest: Manifest, given: unknown, now: number): Opened {
    if (!isRecord(given)) return { ok: false, reason: "stashedKeys is not an object of tokens" };
    // Our client keeps only the names of the latest manifest: anything else was put together
    // from more than one stash, or by hand.
    const extra = Object.keys(given).find((name) => !Object.hasOwn(manifest.h, name));
    if (extra !== undefined) return { ok: false, reason: `key ${extra} is not in the manifest` };
    const held = new Map<string, Held>();
    for (const [name, want] of Object.entries(manifest.h)) {
      const token = Object.hasOwn(given, name) ? given[name] : undefined;
      if (typeof token !== "string") return { ok: false, reason: `key ${name} is missing` };
      if (digest(token) !== want) return { ok: false, reason: `key ${name} is not the token the manifest names (an older one, or another stash's)` };
      // A key token's freshness is its manifest's, which names it; its own age does not count.
      const opened = verifyToken(this.seal.mode, this.seal.secret, keySalt(this.seal.salt), token, now, Infinity);
      const data = opened.ok ? opened.data : undefined;
      if (!isRecord(data) || data["f"] !== KEYED_FORMAT || data["n"] !== name || data["w"] !== manifest.w || !("x" in data)) {
        return { ok: false, reason: `key ${name} does not verify as this view's` };
      }
      held.set(name, { digest: want, value: data["x"] });
    }
    const record = unnamed(held);
    if (!record) return { ok: false, reason: "a key's value does not fit its name" };
    this.held = held;
    this.generation = manifest.g;
    return { ok: true, ...record };
  }

  /** The browser dropped its entry (init-browser-memory): it holds no key token now. */
  clear(): void {
    this.held = new Map();
  }

  private issue(salt: string, data: unknown, now: number, maxAge: number): string {
    const token = issueToken(this.seal.mode, this.seal.secret, salt, data, now, maxAge);
    this.issued.add(token);
    return token;
  }
}

/** The record back from named values; undefined when a value does not fit its name. */
function unnamed(held: ReadonlyMap<string, Held>): Omit<Opened & { ok: true }, "ok"> | undefined {
  const assigns: [string, unknown][] = [];
  const components: [string, Record<string, unknown>][] = [];
  for (const [name, { value }] of held) {
    if (name.startsWith(VIEW_PREFIX)) {
      assigns.push([name.slice(VIEW_PREFIX.length), value]);
    } else if (name.startsWith(COMPONENT_PREFIX) && isRecord(value) && value["k"] === name.slice(COMPONENT_PREFIX.length) && isRecord(value["s"])) {
      components.push([value["k"], value["s"]]);
    } else {
      return undefined;
    }
  }
  // fromEntries, not assignment: a key such as "__proto__" stays an ordinary key.
  return { assigns: Object.fromEntries(assigns), components: Object.fromEntries(components) };
}
