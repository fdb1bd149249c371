// The LiveComponents of one LiveView process, rendered as LiveView does: each instance gets a
// cid, the parent's dynamics hold the cid (a JSON number), component bodies travel under "c"
// (full with "s" and "r":1 when new, changed dynamics after), events with phx-target={cid}
// come back with "cid", and an instance stays until the browser's cids_destroyed.
// A render has two halves: the parent's render lists the components (new ones mounted and
// updated here), the library runs their update/2 (recover_state/1) in the BEAM, then
// `renderBodies` takes each new instance's recovered state and renders the bodies.
import { diffRender, fullRender, type Dynamics } from "../rendered";
import type { Assigns } from "../assigns";
import type { ComponentState, Listed, Op } from "../bridge/view-link";
import type { EventEntry } from "../bridge/beam";
import type { ComponentDef } from "./component-def";

interface Instance {
  readonly def: ComponentDef;
  readonly id: string;
  state: Assigns;
  dynamics: Dynamics | undefined;
  /** Not yet given its recovery by the library (its first update/2 is pending). */
  fresh: boolean;
  /** Left out of the last parent render; waiting for the browser to destroy it. */
  removed: boolean;
}

export type ComponentDiffs = Record<string, Record<string, unknown>>;

/** Runs a component's ops on its socket in the BEAM; resolves with what the library pushed. */
export type ComponentCall = (module: string, id: string, ops: Op[]) => Promise<EventEntry[]>;

const keyOf = (module: string, id: string): string => `${module}\u0000${id}`;

function pick(keys: readonly string[], state: Assigns): Assigns {
  return Object.fromEntries(keys.filter((k) => k in state).map((k) => [k, state[k]]));
}

export class ComponentHost {
  private readonly byCid = new Map<number, Instance>();
  private readonly byKey = new Map<string, number>();
  private nextCid = 1;
  private seen = new Set<number>();
  private listed: Listed[] = [];
  private diffs: ComponentDiffs = {};

  /** Called by the parent's render for each component it shows; returns the cid. */
  render(def: ComponentDef, id: string, props: Assigns): number {
    const key = keyOf(def.name, id);
    if (this.seen.has(this.byKey.get(key) ?? -1)) throw new Error(`found duplicate ID ${id} for component ${def.name}`);
    let cid = this.byKey.get(key);
    let inst = cid === undefined ? undefined : this.byCid.get(cid);
    if (!inst || cid === undefined) {
      cid = this.nextCid++;
      inst = { def, id, state: def.mount(), dynamics: undefined, fresh: true, removed: false };
      this.byCid.set(cid, inst);
      this.byKey.set(key, cid);
    }
    inst.state = def.update({ ...props, id }, inst.state);
    inst.removed = false;
    this.seen.add(cid);
    this.listed.push([def.name, id, props, pick(def.storedKeys, def.mount())]);
    return cid;
  }

  beginRender(): void {
    this.seen = new Set();
    this.listed = [];
  }

  /** The components this render listed, for the library's half; instances not listed become "removed". */
  endRender(): Listed[] {
    for (const [cid, inst] of this.byCid) if (!this.seen.has(cid)) inst.removed = true;
    return this.listed;
  }

  /** The library's half done: new instances take their recovered state and status; bodies render. */
  renderBodies(states: readonly ComponentState[]): ComponentDiffs {
    for (const [module, id, status, stored] of states) {
      const inst = this.byCid.get(this.byKey.get(keyOf(module, id)) ?? -1);
      if (!inst?.fresh) continue;
      inst.fresh = false;
      inst.state = { ...inst.state, ...stored, status: status ?? "new" };
    }
    for (const cid of this.seen) this.renderInstance(cid, this.byCid.get(cid)!);
    return this.takeDiffs();
  }

  /** An event pushed with "cid": `undefined` when the component is gone. */
  async handleEvent(
    cid: number,
    event: string,
    value: Record<string, unknown>,
    call: ComponentCall,
  ): Promise<{ diffs: ComponentDiffs; events: EventEntry[] } | undefined> {
    const inst = this.byCid.get(cid);
    if (!inst) return undefined;
    const ops: Op[] = [];
    inst.state = inst.def.handleEvent(event, value, inst.state, {
      stash: (state) => ops.push(["assign", pick(inst.def.storedKeys, state)], ["stash"]),
      resetStash: () => ops.push(["reset"]),
    });
    const events = ops.length > 0 ? await call(inst.def.name, inst.id, ops) : [];
    this.renderInstance(cid, inst);
    return { diffs: this.takeDiffs(), events };
  }

  /** cids_destroyed: forgets instances still marked removed; returns their (module, id). */
  destroy(cids: readonly number[]): [string, string][] {
    const gone: [string, string][] = [];
    for (const cid of cids) {
      const inst = this.byCid.get(cid);
      if (!inst?.removed) continue;
      this.byCid.delete(cid);
      this.byKey.delete(keyOf(inst.def.name, inst.id));
      gone.push([inst.def.name, inst.id]);
    }
    return gone;
  }

  private renderInstance(cid: number, inst: Instance): void {
    const next = inst.def.render(inst.state, cid);
    const body =
      inst.dynamics === undefined
        ? { ...fullRender(inst.def.statics, next, []), r: 1 }
        : diffRender(inst.dynamics, next, []);
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
