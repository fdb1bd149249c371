// The "no stash" twin of a view: same markup and events, nothing stored, so a dropped
// socket shows what LiveView does on its own (the view mounts from scratch).
import type { ViewDef } from "../../liveview-server/views/view-def";

export function plain(def: ViewDef, name: string): ViewDef {
  const { stash: _dropped, ...rest } = def;
  return {
    ...rest,
    name,
    // Without a stash there is no recovery status; say so instead of the dead-render "dead".
    mount: (recovered, status) => ({ ...def.mount(recovered, status), status: "none (plain twin)" }),
  };
}
