// The LiveComponents of one LiveView process, rendered as LiveView does: each instance gets a
// cid, the parent's dynamics hold the cid (a JSON number), component bodies travel under "c"
// (full with "s" and "r":1 when new, changed dynamics after), events with phx-target={cid}
// come back with "cid", and an instance stays until the browser's cids_destroyed.
import { diffRender, fullRender, type Dynamics } from "../rendered";
import type { RecoverStatus } from "../stash/view-stash";
import type { Assigns } from "../assigns";
import { ComponentStash, componentKey, MAX_COMPONENTS, type ComponentKey } from "./stash";
import type { ComponentDef } from "./component-def";

interface Instance {
  readonly def: ComponentDef;
  readonly id: string;
  readonly key: ComponentKey;
  state: Assigns;
  dynamics: Dynamics | undefined;
  /** Left out of the last parent render; waiting for the browser to destroy it. */
  removed: boolean;
}

export type ComponentDiffs = Record<string, Record<string, unknown>>;

function pick(keys: readonly string[], state: Assigns): Assigns {
  return Object.fromEntries(keys.filter((k) => k in state).map((k) => [k, state[k]]));
}

export class ComponentHost {
  private readonly byCid = new Map<number, Instance>();
  private readonly byKey = new Map<ComponentKey, number>();
  private nextCid = 1;
  private seen = new Set<number>();
  private diffs: ComponentDiffs = {};
  private mounted = false;
  readonly stash: ComponentStash;

  constructor(outcome: RecoverStatus | undefined, recovered: Record<string, unknown> | undefined, rewrite: () => void) {
    this.stash = new ComponentStash(outcome, recovered, rewrite);
  }

  /** Called by the parent's render for each component it shows; returns the cid. */
  render(def: ComponentDef, id: string, props: Assigns): number {
    const key = componentKey(def.name, id);
    if (this.seen.has(this.byKey.get(key) ?? -1)) throw new Error(`found duplicate ID ${id} for component ${def.name}`);
    let cid = this.byKey.get(key);
    let inst = cid === undefined ? undefined : this.byCid.get(cid);
    if (!inst || cid === undefined) {
      cid = this.nextCid++;
      inst = { def, id, key, state: def.mount(), dynamics: undefined, removed: false };
      inst.state = def.update({ ...props, id }, inst.state);
      const { status, state } = this.stash.claim(key);
      inst.state = { ...inst.state, ...(state ?? {}), status };
      this.byCid.set(cid, inst);
      this.byKey.set(key, cid);
    } else {
      inst.state = def.update({ ...props, id }, inst.state);
    }
    inst.removed = false;
    this.seen.add(cid);
    this.renderInstance(cid, inst);
    return cid;
  }

  beginRender(): void {
    this.seen = new Set();
  }

  /** Component diffs of this render; instances the parent no longer shows become "removed". */
  endRender(): ComponentDiffs {
    for (const [cid, inst] of this.byCid) if (!this.seen.has(cid)) inst.removed = true;
    if (!this.mounted) this.stash.dropUnclaimed();
    this.mounted = true;
    return this.takeDiffs();
  }

  /** An event pushed with "cid": `undefined` when the component is gone. */
  handleEvent(cid: number, event: string, value: Record<string, unknown>): ComponentDiffs | undefined {
    const inst = this.byCid.get(cid);
    if (!inst) return undefined;
    inst.state = inst.def.handleEvent(event, value, inst.state, {
      stash: (state) => {
        if (!this.stash.stash(inst.key, pick(inst.def.storedKeys, state))) {
          console.warn(`LiveStash keeps at most ${MAX_COMPONENTS} components per LiveView; ${inst.def.name} ${inst.id} is not stashed`);
        }
      },
      resetStash: () => this.stash.reset(inst.key),
    });
    this.renderInstance(cid, inst);
    return this.takeDiffs();
  }

  /** cids_destroyed: forget instances still marked removed, and their stashed state. */
  destroy(cids: readonly number[]): void {
    for (const cid of cids) {
      const inst = this.byCid.get(cid);
      if (!inst?.removed) continue;
      this.byCid.delete(cid);
      this.byKey.delete(inst.key);
      this.stash.forget(inst.key);
    }
  }

  private renderInstance(cid: number, inst: Instance): void {
    const next = inst.def.render(inst.state, cid);
    const body = inst.dynamics === undefined ? { ...fullRender(inst.def.statics, next, []), r: 1 } : diffRender(inst.dynamics, next, []);
    inst.dynamics = next;
    if (Object.keys(body).length > 0) this.diffs[String(cid)] = { ...(this.diffs[String(cid)] ?? {}), ...body };
  }

  private takeDiffs(): ComponentDiffs {
    const out = this.diffs;
    this.diffs = {};
    return out;
  }
}

/** The parent's dynamic for a list of cids: a nested node whose dynamics are cid numbers. */
export function cidList(cids: readonly number[]): Record<string, unknown> {
  const node: Record<string, unknown> = { s: Array.from({ length: cids.length + 1 }, () => "") };
  cids.forEach((cid, i) => {
    node[String(i)] = cid;
  });
  return node;
}
