// One joined LiveView: its assigns, its components and its link to the library in the BEAM.
// Lives from a successful join until leave, crash or socket close, like the Elixir channel
// process. Every stash decision is the library's: this side renders and runs the view's logic.
import { ComponentHost } from "./components/host";
import { diffRender, fullRender, type Dynamics, type EventEntry } from "./rendered";
import type { Assigns } from "./assigns";
import type { StashContext } from "./bridge/stash-context";
import { ViewLink, type Op, type Rendered } from "./bridge/view-link";
import type { RecoverStatus } from "./views/stash-options";
import type { RenderContext, ViewDef } from "./views/view-def";

export interface ProcessHooks {
  /**
   * Server-initiated push (keep-alive, auto-stash, sweep events) on the current join. The diff is
   * built when it is sent: after the reply of any frame being handled, as the channel would send it.
   */
  pushDiff(diff: () => Record<string, unknown>): void;
  /** Ask the connection to error this channel once the current reply is out. */
  crash(): void;
}

export interface JoinArgs {
  readonly def: ViewDef;
  readonly domId: string;
  readonly ctx: RenderContext;
  readonly stash: StashContext;
  readonly params: Record<string, unknown>;
  /** A live_render child (joined by its session, not by URL). */
  readonly nested: boolean;
  readonly hooks: ProcessHooks;
}

const NOTHING: Rendered = { events: [], components: [] };

export class LiveViewProcess {
  private dynamics: Dynamics = [];
  /** The assigns as the BEAM's socket holds them, so only changed ones cross. */
  private sent: Assigns = {};
  private readonly components = new ComponentHost();
  private stopped = false;

  private constructor(
    readonly def: ViewDef,
    private readonly ctx: RenderContext,
    private readonly link: ViewLink | undefined,
    private assigns: Assigns,
    private readonly hooks: ProcessHooks,
  ) {}

  /** Mounts the view (the library recovers its stash first) and returns it with its join render. */
  static async join(args: JoinArgs): Promise<{ proc: LiveViewProcess; rendered: Record<string, unknown> }> {
    const { def, stash } = args;
    let proc: LiveViewProcess | undefined;
    let link: ViewLink | undefined;
    let status: RecoverStatus | undefined;
    let recovered: Assigns | undefined;
    if (def.stash) {
      const onPush = (wire: () => EventEntry[]): void => proc?.pushEvents(wire);
      const onDeath = (): void => proc?.hooks.crash();
      const out = await ViewLink.mount(
        stash,
        { name: def.name, stash: def.stash, components: def.components },
        args.domId,
        args.nested,
        args.params,
        onPush,
        onDeath,
      );
      link = out.link;
      status = out.mounted.status;
      recovered = out.mounted.recovered ?? undefined;
    }
    proc = new LiveViewProcess(def, args.ctx, link, def.mount(recovered, status), args.hooks);
    const { events, components } = await proc.render([]);
    return { proc, rendered: withComponents(fullRender(def.statics, proc.dynamics, events, def.title), components) };
  }

  get status(): unknown {
    return this.assigns["status"];
  }

  /** An event; `cid` set when it targets a component (`phx-target`). */
  async handleEvent(event: string, value: Record<string, unknown>, cid?: number): Promise<Record<string, unknown>> {
    if (cid !== undefined) {
      // A component already gone gets an empty reply, as LiveView's push_noop does.
      const out = await this.components.handleEvent(
        cid,
        event,
        value,
        (module, id, ops) => this.link?.component(module, id, ops) ?? Promise.resolve([]),
      );
      return withComponents(diffRender([], [], out?.events ?? []), out?.diffs ?? {});
    }
    const ops: Op[] = [];
    this.assigns = this.def.handleEvent(event, value, this.assigns, {
      stash: (a) => ops.push(["assign", this.changed(a)], ["stash"]),
      resetStash: () => ops.push(["reset"]),
      crash: () => this.hooks.crash(),
    });
    const prev = this.dynamics;
    const { events, components } = await this.render(ops);
    return withComponents(diffRender(prev, this.dynamics, events), components);
  }

  /** The browser's cids_destroyed: returns the cids it may prune. */
  async destroyCids(cids: readonly number[]): Promise<number[]> {
    const gone = this.components.destroy(cids);
    if (gone.length > 0) await this.link?.destroyed(gone);
    return [...cids];
  }

  private async render(ops: Op[]): Promise<{ events: EventEntry[]; components: Record<string, unknown> }> {
    this.components.beginRender();
    const ctx = { ...this.ctx, component: this.components.render.bind(this.components) };
    this.dynamics = this.def.render(this.assigns, ctx);
    const listed = this.components.endRender();
    const out = this.link ? await this.link.render(ops, this.changed(this.assigns), listed) : NOTHING;
    return { events: out.events, components: this.components.renderBodies(out.components) };
  }

  /** The assigns that differ from what the BEAM holds; marks them held. */
  private changed(assigns: Assigns): Assigns {
    const out: Assigns = {};
    for (const [key, value] of Object.entries(assigns)) if (this.sent[key] !== value) out[key] = value;
    this.sent = { ...this.sent, ...out };
    return out;
  }

  private pushEvents(wire: () => EventEntry[]): void {
    if (!this.stopped) this.hooks.pushDiff(() => ({ e: wire() }));
  }

  /** Runs the keep-alive beat now, as the library's ttl/4 timer would. */
  keepAlive(): void {
    this.link?.beat();
  }

  /** `closed`: the socket or channel went away; `kill`: the process crashed. */
  stop(reason: "closed" | "kill"): void {
    if (this.stopped) return;
    this.stopped = true;
    this.link?.stop(reason);
  }
}

function withComponents(diff: Record<string, unknown>, c: Record<string, unknown>): Record<string, unknown> {
  return Object.keys(c).length > 0 ? { ...diff, c } : diff;
}
