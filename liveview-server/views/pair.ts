// A page holding two nested LiveViews (live_render with fixed ids "left" and "right"),
// both the same counter module, so only their DOM ids keep their stashes apart.
import type { ViewDef } from "./view-def";

export function pairView(name: string, leftKey: string, rightKey: string): ViewDef {
  const child = (id: string, _key: string, session: string, parent: string): string =>
    `<div id="${id}" class="child" data-phx-session="${session}" data-phx-static="" data-phx-parent-id="${parent}"></div>`;
  return {
    name,
    title: "Two counters",
    statics: ['<h1 class="pair-title">Two counters</h1><div class="pair">', "", "</div>"],
    mount: () => ({}),
    render: (_a, ctx) => [
      child("left", leftKey, ctx.childSession(leftKey), ctx.domId),
      child("right", rightKey, ctx.childSession(rightKey), ctx.domId),
    ],
    handleEvent: (_e, _v, a) => a,
  };
}
