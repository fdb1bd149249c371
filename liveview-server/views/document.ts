// A view that stashes a 64 KB document next to a small counter: the case per-key stashes are for
// (issue 16). "Load 64 KB" fills the document with random text, which no compression shrinks; the
// page shows its size and a checksum, so a recovery can be checked byte for byte.
import { createHash, randomBytes } from "node:crypto";
import { escapeHtml } from "../rendered";
import { validateOptions, type StashOptions } from "./stash-options";
import type { ViewDef } from "./view-def";

export const DOC_BYTES = 64 * 1024;

const STATICS = [
  '<section class="document"><h1>',
  '</h1><div class="stat"><div class="stat-value">',
  '</div><div class="stat-title">Current Count</div></div><p>Stash: <span class="stash-status">',
  '</span> · document: <span class="doc-size">',
  '</span> bytes, checksum <span class="doc-checksum">',
  "</span></p>" +
    '<button phx-click="increment" aria-label="Increment">+</button>' +
    '<button phx-click="load" aria-label="Load 64 KB">Load 64 KB</button>' +
    '<button phx-click="crash" aria-label="Crash">Crash</button></section>',
];

/** What the page shows of a document: the first 16 hex digits of its SHA-256. */
export const checksum = (doc: string): string => createHash("sha256").update(doc).digest("hex").slice(0, 16);

export function documentView(name: string, title: string, stash: Omit<StashOptions, "storedKeys">): ViewDef {
  return {
    name,
    title,
    stash: validateOptions({ ...stash, storedKeys: ["count", "doc"] }),
    statics: STATICS,
    mount: (recovered, status) => ({
      count: typeof recovered?.["count"] === "number" ? recovered["count"] : 0,
      doc: typeof recovered?.["doc"] === "string" ? recovered["doc"] : "",
      status: status ?? "dead",
    }),
    render: (a) => {
      const doc = a["doc"] as string;
      return [escapeHtml(title), escapeHtml(a["count"]), escapeHtml(a["status"]), String(doc.length), checksum(doc)];
    },
    handleEvent(event, _value, a, act) {
      let next = a;
      if (event === "increment") next = { ...a, count: (a["count"] as number) + 1 };
      // base64url of 48 KiB of random bytes: exactly 64 KiB of text.
      else if (event === "load") next = { ...a, doc: randomBytes((DOC_BYTES / 4) * 3).toString("base64url") };
      else if (event === "crash") {
        act.crash();
        return a;
      }
      act.stash(next);
      return next;
    },
  };
}
