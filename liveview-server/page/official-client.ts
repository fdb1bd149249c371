// A double of the official LiveStash client, written from its documented behaviour (not its
// code): `initLiveStash(params)` keeps ONE page-wide stash object, set by the same window
// events ours listens to, with `view` ignored, and its params function hands back the same
// object on every call: to every view's join, and to the socket, so it lands in the websocket URL.
import { EVENTS, PARAM_KEY, WINDOW_EVENT_PREFIX } from "../../src/core/protocol";

type Detail = Record<string, unknown>;

/** What each event leaves in the page-wide object; `lease` is ours, unknown to the official client. */
const NEXT: Readonly<Record<string, (d: Detail) => Detail>> = {
  [EVENTS.initBrowserMemory]: () => ({}),
  [EVENTS.stashState]: (d) => ({ stashedState: d["assigns"] }),
  [EVENTS.initEts]: (d) => ({ node: d["node"], stashId: d["stashId"] }),
  [EVENTS.initRedis]: (d) => ({ stashId: d["stashId"] }),
  [EVENTS.initMnesia]: (d) => ({ stashId: d["stashId"] }),
};

export function initOfficialLiveStash(base: Record<string, unknown>): () => Record<string, unknown> {
  const stash: Detail = {};
  const params = { ...base, [PARAM_KEY]: stash };
  for (const [name, next] of Object.entries(NEXT)) {
    window.addEventListener(`${WINDOW_EVENT_PREFIX}${name}`, (event) => {
      const detail = (event as CustomEvent<Detail>).detail;
      for (const key of Object.keys(stash)) delete stash[key];
      Object.assign(stash, next(typeof detail === "object" && detail !== null ? detail : {}));
    });
  }
  return () => params;
}
