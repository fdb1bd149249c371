// One Node LiveView's counterpart in the BEAM (LiveStash.Bridge.View): mounted with the join's
// connect params, then told what the Node view did (ops) and what it renders; it answers with
// what the real library pushed.
import type { Assigns } from "../assigns";
import type { ComponentDef } from "../components/component-def";
import { libraryOptions, type RecoverStatus, type StashOptions } from "../views/stash-options";
import type { EventEntry } from "./beam";
import { connectParams, wireEvents, type StashContext } from "./stash-context";

/** What a view or component did to its stash, in order: LiveStash.stash/1, reset_stash/1, or assigns. */
export type Op = ["assign", Assigns] | ["stash"] | ["reset"];

/** A component the parent's render lists: module name, id, props, the stored keys' initial values. */
export type Listed = [string, string, Assigns, Assigns];

/** A listed component's recovery as the library decided it: module, id, status, stored assigns. */
export type ComponentState = [string, string, RecoverStatus | null, Assigns];

export interface Rendered {
  readonly events: EventEntry[];
  readonly components: ComponentState[];
}

export interface Mounted {
  readonly status: RecoverStatus;
  readonly recovered: Assigns | null;
}

let nextRef = 1;

export class ViewLink {
  private constructor(
    private readonly ctx: StashContext,
    private readonly ref: string,
    readonly adapter: StashOptions["adapter"],
  ) {}

  static async mount(
    ctx: StashContext,
    view: { name: string; stash: StashOptions; components?: readonly ComponentDef[] },
    domId: string,
    nested: boolean,
    params: Record<string, unknown>,
    /** What the library pushed by itself; `wire()` shapes it for the wire (and records its tokens) when it is sent. */
    onPush: (wire: () => EventEntry[]) => void,
    onDeath: (reason: string) => void,
  ): Promise<{ link: ViewLink; mounted: Mounted }> {
    const ref = `v${nextRef++}`;
    const link = new ViewLink(ctx, ref, view.stash.adapter);
    ctx.beam.subscribe(
      ref,
      (push) => {
        if (push.beat && view.stash.adapter !== "browser") ctx.counts.bumps++;
        if (push.events.length > 0) onPush(() => wireEvents(ctx, push.events));
      },
      onDeath,
    );
    const mounted = await ctx.beam.call<Mounted>("mount", {
      view: ref,
      module: view.name,
      options: libraryOptions(view.stash, { ttl: ctx.ttlSeconds, version: ctx.version }),
      stored_keys: view.stash.storedKeys,
      components: (view.components ?? []).map((c) => [c.name, c.storedKeys, false]),
      dom_id: domId,
      nested,
      params: connectParams(ctx, params),
    });
    return { link, mounted };
  }

  async render(ops: Op[], assigns: Assigns, listed: Listed[]): Promise<Rendered> {
    const out = await this.ctx.beam.call<Rendered>("render", { view: this.ref, ops, assigns, components: listed });
    return { events: wireEvents(this.ctx, out.events), components: out.components };
  }

  async component(module: string, id: string, ops: Op[]): Promise<EventEntry[]> {
    const out = await this.ctx.beam.call<{ events: EventEntry[] }>("component", {
      view: this.ref,
      module,
      cid: id,
      ops,
    });
    return wireEvents(this.ctx, out.events);
  }

  destroyed(keys: [string, string][]): Promise<unknown> {
    return this.ctx.beam.call("destroyed", { view: this.ref, keys });
  }

  /** The keep-alive beat now, as the library's ttl/4 timer would run it; its push arrives by itself. */
  beat(): void {
    this.ctx.beam.call("beat", { view: this.ref }).catch(() => undefined);
  }

  /** `closed`: the socket went away (terminate/2 runs); `kill`: the process died (nothing runs). */
  stop(reason: "closed" | "kill"): void {
    this.ctx.beam.unsubscribe(this.ref);
    this.ctx.beam.call("stop", { view: this.ref, reason }).catch(() => undefined);
  }
}
