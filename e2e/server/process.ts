// One joined LiveView: its assigns, its stash and its keep-alive timer. Lives from a
// successful join until leave, crash or socket close, like the Elixir channel process.
import { diffRender, fullRender, type Dynamics, type EventEntry } from "./rendered";
import type { StashEnv } from "./stash/env";
import { ViewStash } from "./stash/stash";
import type { Assigns, RenderContext, ViewDef } from "./views/types";

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
    this.dynamics = this.def.render(this.assigns, this.ctx);
    return fullRender(this.def.statics, this.dynamics, this.takeEvents(), this.def.title);
  }

  handleEvent(event: string, value: Record<string, unknown>): Record<string, unknown> {
    const stash = this.stash;
    this.assigns = this.def.handleEvent(event, value, this.assigns, {
      stash: (a) => stash?.stash(a),
      resetStash: () => stash?.reset(),
      crash: () => this.hooks.crash(),
    });
    if (this.def.stash?.autoStash) stash?.stash(this.assigns);
    const next = this.def.render(this.assigns, this.ctx);
    const diff = diffRender(this.dynamics, next, this.takeEvents());
    this.dynamics = next;
    return diff;
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
