// What LiveSocket's `params` function returns for a joining view: the app's own params, plus that
// view's stash under `liveStash`, with what this client accepts.
import { LiveStashError, type Report } from "./errors.js";
import type { JoinParams } from "./join.js";
import { ACCEPT_KEY, KEYED_CAPABILITY, PARAM_KEY } from "./protocol.js";

/** Join params as LiveSocket sends them: the app's own (`_csrf_token`, …) plus `liveStash`. */
export type ConnectParams = Record<string, unknown>;
/** What LiveSocket accepts as `params`: an object, or a function of the joining view's element. */
export type ParamsInput = ConnectParams | ((el?: HTMLElement) => ConnectParams);
/** LiveSocket's `params` function: called per join with the joining view's element. */
export type ParamsFunction = (el?: HTMLElement) => ConnectParams;

/** The app's params are the developer's input: a mistake throws at start-up. */
export function checkParamsInput(params: unknown): void {
  if (typeof params !== "function" && (typeof params !== "object" || params === null)) {
    throw new LiveStashError("options", "params must be an object or a function of the view element");
  }
}

/** `stashFor` gives a view's stash for its join; if it throws, the view joins without one. */
export function paramsFunction(
  params: ParamsInput,
  stashFor: (el: HTMLElement) => JoinParams,
  report: Report,
): ParamsFunction {
  return (el) => {
    const base = typeof params === "function" ? params(el) : params;
    // A fresh object every call: LiveView writes `_mounts` and friends into what it gets back.
    const out: ConnectParams = { ...base };
    if (!el) return out;
    let held: JoinParams = {};
    try {
      held = stashFor(el);
    } catch (error) {
      report("payload", `view ${el.id}: could not read its stash for its join`, error);
    }
    // Every join announces what this client accepts, whether or not it holds a stash.
    out[PARAM_KEY] = { ...held, [ACCEPT_KEY]: [KEYED_CAPABILITY] };
    return out;
  };
}
