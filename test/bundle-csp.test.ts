// The committed browser bundle, not only src/, must keep the README's CSP promise: validating
// a push never asks the engine to compile code. (That the npm build also makes an app's own
// zod jitless is checked on the installed package, by the consumer suite.)
import { resolve } from "node:path";
import { expect, it, vi } from "vitest";
import { EVENTS, PARAM_KEY } from "../src/core/protocol";
import { push, view } from "./helpers";

const BUNDLE = resolve(import.meta.dirname, "../assets/js/live-stash.js");

type Built = { createLiveStash: typeof import("../src/index").createLiveStash };

it("the committed browser bundle never asks the engine to compile code", async () => {
  vi.resetModules();
  const compile = vi.spyOn(globalThis, "Function");
  const built = (await import(/* @vite-ignore */ BUNDLE)) as Built;
  const main = view("phx-main", { main: true });
  const live = built.createLiveStash({}, { storage: "memory" });
  push(EVENTS.stashState, { assigns: "t" });
  expect(live.params(main)).toEqual({ [PARAM_KEY]: { stashedState: "t", accept: ["keys"] } });
  push(EVENTS.stashKeys, { manifest: "m", keys: { count: "t1" }, names: ["count"] });
  expect(live.params(main)).toEqual({
    [PARAM_KEY]: { stashedManifest: "m", stashedKeys: { count: "t1" }, accept: ["keys"] },
  });
  expect(compile).not.toHaveBeenCalled();
  live.dispose();
});
