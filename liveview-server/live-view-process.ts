// One joined LiveView: its assigns, its stash and its keep-alive timer. Lives from a
// successful join until leave, crash or socket close, like the Elixir channel process.
import { ComponentHost } from "./components/host";
import { diffRender, fullRender, type Dynamics, type EventEntry } from "./rendered";
import type { StashEnv } from "./stash/env";
import { ViewStash } from "./stash/view-stash";
import type { Assigns } from "./assigns";
import type { RenderContext, ViewDef } from "./views/view-def";

export interface ProcessHooks {
  /** Server-initiated push (keep-alive events) on the current join. */
  pushDiff(diff: Record<string, unknown>): void;
  /** Ask the connection to error this channel once the current reply is out. */
  crash(): void;
}

export class LiveViewProcess {
  private assigns: Assigns;
  private dynamics: Dynamics = [];
  private pending: EventEntry[] = [];
  private readonly stash: ViewStash | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly components: ComponentHost;

  constructor(
    readonly def: ViewDef,
    readonly domId: string,
    private readonly ctx: RenderContext,
    env: StashEnv,
    connectParams: Record<string, unknown>,
    private readonly hooks: ProcessHooks,
  ) {
    const push = (name: string, payload: Record<string, unknown>): void => {
      this.pending.push([name, payload]);
    };
    this.stash = def.stash ? new ViewStash(env, def.stash, def.name, domId, push) : undefined;
    const recovery = this.stash?.recover(connectParams);
    // A record that held only components leaves the view itself not_found, its components recovered.
    const outcome = recovery?.components ? "recovered" : recovery?.status;
    this.components = new ComponentHost(outcome, recovery?.components, () => this.stash?.rewrite());
    this.stash?.carryComponents(this.components.stash);
    this.assigns = def.mount(recovery?.assigns, recovery?.status);
    if (def.stash?.autoStash) this.stash?.stash(this.assigns);
    if (this.stash) {
      // The shim bumps every ttl/4: often enough that a live view never lapses.
      this.timer = setInterval(() => this.keepAlive(), (this.stash.ttl * 1000) / 4);
      this.timer.unref();
    }
  }

  get status(): unknown {
    return this.assigns["status"];
  }

  joinRendered(): Record<string, unknown> {
    const c = this.render();
    this.stash?.settle();
    return withComponents(fullRender(this.def.statics, this.dynamics, this.takeEvents(), this.def.title), c);
  }

  /** An event; `cid` set when it targets a component (`phx-target`). */
  handleEvent(event: string, value: Record<string, unknown>, cid?: number): Record<string, unknown> {
    if (cid !== undefined) {
      // A component already gone gets an empty reply, as LiveView's push_noop does.
      const c = this.components.handleEvent(cid, event, value) ?? {};
      return withComponents(diffRender([], [], this.takeEvents()), c);
    }
    const stash = this.stash;
    this.assigns = this.def.handleEvent(event, value, this.assigns, {
      stash: (a) => stash?.stash(a),
      resetStash: () => {
        this.components.stash.clear();
        stash?.reset();
      },
      crash: () => this.hooks.crash(),
    });
    if (this.def.stash?.autoStash) stash?.stash(this.assigns);
    const prev = this.dynamics;
    const c = this.render();
    return withComponents(diffRender(prev, this.dynamics, this.takeEvents()), c);
  }

  /** The browser's cids_destroyed: returns the cids it may prune. */
  destroyCids(cids: readonly number[]): number[] {
    this.components.destroy(cids);
    return [...cids];
  }

  private render(): Record<string, Record<string, unknown>> {
    this.components.beginRender();
    const ctx = { ...this.ctx, component: this.components.render.bind(this.components) };
    this.dynamics = this.def.render(this.assigns, ctx);
    return this.components.endRender();
  }

  keepAlive(): void {
    this.stash?.keepAlive();
    const events = this.takeEvents();
    if (events.length > 0) this.hooks.pushDiff({ e: events });
  }

  private takeEvents(): EventEntry[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

function withComponents(diff: Record<string, unknown>, c: Record<string, unknown>): Record<string, unknown> {
  return Object.keys(c).length > 0 ? { ...diff, c } : diff;
}
