// The contract between the channel and one LiveView module.
import type { RecoverStatus, StashOptions } from "./stash-options";
import type { Dynamics } from "../rendered";
import type { ComponentDef } from "../components/component-def";
import type { Assigns } from "../assigns";

/** What a view may do to its own process while handling an event. */
export interface ViewActions {
  /** LiveStash.stash/1 with these assigns. */
  stash(assigns: Assigns): void;
  /** LiveStash.reset_stash/1. */
  resetStash(): void;
  /** Simulate the LiveView process dying: the channel errors and the client rejoins. */
  crash(): void;
}

export interface RenderContext {
  readonly domId: string;
  /** Session token for a nested child view, by registry key. */
  childSession(viewKey: string): string;
  /** Renders a LiveComponent, returning its cid; absent on the dead render. */
  readonly component?: (def: ComponentDef, id: string, props: Assigns) => number;
}

export interface ViewDef {
  /** Module name (the library binds a stash to it): a stash is only ever recovered by the view that wrote it. */
  readonly name: string;
  readonly title: string;
  readonly stash?: StashOptions;
  /** The LiveComponents it may render (each `use LiveStash.Component` in the BEAM). */
  readonly components?: readonly ComponentDef[];
  readonly statics: readonly string[];
  /** `status` is undefined in the dead render. */
  mount(recovered: Assigns | undefined, status: RecoverStatus | undefined): Assigns;
  render(assigns: Assigns, ctx: RenderContext): Dynamics;
  handleEvent(event: string, value: Record<string, unknown>, assigns: Assigns, actions: ViewActions): Assigns;
}
