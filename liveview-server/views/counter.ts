// The counter every scenario drives: Increment / Add Zero / Reset Stash, plus a 1 MB
// "Grow" and a "Crash" for the large-stash and crash scenarios. Stashes explicitly.
import { randomBytes } from "node:crypto";
import { escapeHtml } from "../rendered";
import { validateOptions, type StashOptions } from "./stash-options";
import type { ViewDef } from "./view-def";

export const ONE_MB = 1024 * 1024;

/** Random text: the library compresses a record when that pays, and a repeated letter would shrink 1 MB to a few KB. */
const incompressible = (bytes: number): string =>
  randomBytes(Math.ceil((bytes * 3) / 4))
    .toString("base64")
    .slice(0, bytes);

export interface CounterSpec {
  readonly name: string;
  readonly title: string;
  readonly stash: Omit<StashOptions, "storedKeys">;
  /** Live-navigation links rendered under the buttons: [href, label]. */
  readonly links?: readonly (readonly [string, string])[];
}

const STATICS = [
  '<section class="counter"><h1>',
  '</h1><div class="stat"><div class="stat-value">',
  '</div><div class="stat-title">Current Count</div></div><p>Stash: <span class="stash-status">',
  '</span> · stored blob: <span class="blob-size">',
  "</span> bytes</p>" +
    '<button phx-click="decrement" aria-label="Decrement">-</button>' +
    '<button phx-click="add_zero" aria-label="Add Zero">Add Zero (no change)</button>' +
    '<button phx-click="increment" aria-label="Increment">+</button>' +
    '<button phx-click="reset_stash" aria-label="Reset Stash">Reset Stash</button>' +
    '<button phx-click="grow" aria-label="Grow">Grow 1 MB</button>' +
    '<button phx-click="crash" aria-label="Crash">Crash</button><nav>',
  "</nav></section>",
];

export function counterView(spec: CounterSpec): ViewDef {
  const links = (spec.links ?? [])
    .map(
      ([href, label]) =>
        `<a href="${escapeHtml(href)}" data-phx-link="redirect" data-phx-link-state="push">${escapeHtml(label)}</a>`,
    )
    .join(" ");
  return {
    name: spec.name,
    title: spec.title,
    stash: validateOptions({ ...spec.stash, storedKeys: ["count", "blob"] }),
    statics: STATICS,
    mount: (recovered, status) => ({
      count: typeof recovered?.["count"] === "number" ? recovered["count"] : 0,
      blob: typeof recovered?.["blob"] === "string" ? recovered["blob"] : "",
      status: status ?? "dead",
    }),
    render: (a) => [
      escapeHtml(spec.title),
      escapeHtml(a["count"]),
      escapeHtml(a["status"]),
      String((a["blob"] as string).length),
      links,
    ],
    handleEvent(event, value, a, act) {
      const count = a["count"] as number;
      let next = a;
      if (event === "increment") next = { ...a, count: count + 1 };
      else if (event === "decrement") next = { ...a, count: count - 1 };
      // `phx-value-bytes` picks another size (the bench sets it); 1 MB by default.
      else if (event === "grow") next = { ...a, blob: incompressible(Number(value["bytes"]) || ONE_MB) };
      else if (event === "reset_stash") {
        act.resetStash();
        return { ...a, status: "reset" };
      } else if (event === "crash") {
        act.crash();
        return a;
      }
      // add_zero lands here unchanged: the stash's fingerprint keeps it from pushing again.
      act.stash(next);
      return next;
    },
  };
}
