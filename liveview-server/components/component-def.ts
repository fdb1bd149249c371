// The contract between the LiveView process and one LiveComponent module, shaped like
// Phoenix.LiveComponent: mount once per instance, update with the parent's props on every
// parent render, handle events sent with `phx-target` = its cid.
import type { Dynamics } from "../rendered";
import type { Assigns } from "../assigns";

export interface ComponentActions {
  /** LiveStash.stash/1 on the component socket. */
  stash(state: Assigns): void;
  /** LiveStash.reset_stash/1 on the component socket. */
  resetStash(): void;
}

export interface ComponentDef {
  /** Module-like name: state is keyed by (name, id). */
  readonly name: string;
  readonly storedKeys: readonly string[];
  /** Must have exactly one root tag (the client marks it with data-phx-component). */
  readonly statics: readonly string[];
  mount(): Assigns;
  update(props: Assigns, state: Assigns): Assigns;
  render(state: Assigns, cid: number): Dynamics;
  handleEvent(event: string, value: Record<string, unknown>, state: Assigns, actions: ComponentActions): Assigns;
}
