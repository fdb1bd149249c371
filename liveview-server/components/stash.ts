// The component states one LiveView carries in its own stash, as the shim's
// LiveStash.Component.Registry does: recovered once per instance, keyed by (module, id),
// only by instances of the parent's first connected render, at most MAX_COMPONENTS per view,
// and dropped when the component leaves the page.
import { createHash } from "node:crypto";
import type { Assigns } from "../assigns";
import { isRecord } from "../stash/is-record";
import type { ComponentsSource, RecoverStatus } from "../stash/view-stash";

export const MAX_COMPONENTS = 50;

export type ComponentKey = string;

export function componentKey(name: string, id: string): ComponentKey {
  return JSON.stringify([name, id]);
}

export class ComponentStash implements ComponentsSource {
  private recovered = new Map<ComponentKey, Assigns>();
  private readonly entries = new Map<ComponentKey, Assigns>();
  private readonly fingerprints = new Map<ComponentKey, string>();
  private readonly claimed = new Set<ComponentKey>();
  /** The keys the parent's last written (or recovered) record holds state for. */
  private written: Set<ComponentKey>;

  constructor(
    /** How the parent's recovery went; components get the same unless theirs is found. */
    private readonly outcome: RecoverStatus | undefined,
    recovered: Record<string, unknown> | undefined,
    /** Writes the parent's whole record again. */
    private readonly rewrite: () => void,
  ) {
    for (const [k, v] of Object.entries(recovered ?? {})) if (isRecord(v)) this.recovered.set(k, v);
    this.written = new Set(this.recovered.keys());
  }

  /** Everything to write: unclaimed recovered states, overridden by live ones. */
  forRecord(): Record<string, Assigns> {
    const out = Object.fromEntries([...this.recovered, ...this.entries]);
    this.written = new Set(Object.keys(out));
    return out;
  }

  get empty(): boolean {
    return this.recovered.size === 0 && this.entries.size === 0;
  }

  /**
   * A new instance recovers its key once; a later instance of the same key starts fresh, and
   * the record forgets what an earlier one left there at once, so no reconnect can hand it back.
   */
  claim(key: ComponentKey): { status: RecoverStatus; state?: Assigns } {
    const again = this.claimed.has(key);
    this.claimed.add(key);
    const found = this.recovered.get(key);
    if (!again && this.outcome === "recovered" && found) {
      this.recovered.delete(key);
      this.entries.set(key, found);
      this.fingerprints.set(key, hash(found));
      return { status: "recovered", state: found };
    }
    this.forget(key);
    if (this.written.has(key)) this.rewrite();
    if (again || this.outcome === undefined) return { status: "new" };
    return { status: this.outcome === "recovered" ? "not_found" : this.outcome };
  }

  /** Returns false when the view already keeps MAX_COMPONENTS others. */
  stash(key: ComponentKey, picked: Assigns): boolean {
    this.claimed.add(key);
    const fp = hash(picked);
    if (this.fingerprints.get(key) === fp) return true;
    const known = this.entries.has(key) || this.recovered.has(key);
    if (!known && this.entries.size + this.recovered.size >= MAX_COMPONENTS) return false;
    this.entries.set(key, picked);
    this.fingerprints.set(key, fp);
    this.rewrite();
    return true;
  }

  reset(key: ComponentKey): void {
    this.forget(key);
    this.rewrite();
  }

  /** The browser destroyed the component: the parent's next write leaves it out. */
  forget(key: ComponentKey): void {
    this.recovered.delete(key);
    this.entries.delete(key);
    this.fingerprints.delete(key);
  }

  /**
   * After the parent's first connected render, recovered states nobody claimed belong to
   * components no longer on the page: one added later is a new instance. The record drops them now.
   */
  dropUnclaimed(): void {
    if (this.recovered.size === 0) return;
    this.recovered = new Map();
    this.rewrite();
  }

  /** The parent reset its stash: its record is gone too. */
  clear(): void {
    this.recovered = new Map();
    this.entries.clear();
    this.fingerprints.clear();
    this.written = new Set();
  }
}

function hash(assigns: Assigns): string {
  return createHash("sha256").update(JSON.stringify(Object.entries(assigns).sort())).digest("hex");
}
