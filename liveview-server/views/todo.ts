// A todo list whose items are LiveComponents with their own "editing" state and draft:
// the items' ids are the parent's stash, each item's editing/draft its component stash,
// carried in the parent's token or row. Typing (phx-keyup, phx-target=cid) stashes the draft.
// "(list not stashed)" buttons change the list without stashing it, as a view whose list lives
// elsewhere (a database) would: components then come and go while the record stays as it was.
import { escapeHtml } from "../rendered";
import { cidList } from "../components/host";
import type { ComponentDef } from "../components/component-def";
import { validateOptions, type StashOptions } from "./stash-options";
import type { Assigns } from "../assigns";
import type { ViewDef } from "./view-def";

const ITEM_STATICS = [
  '<li class="item" data-item="',
  '"><span class="item-label">',
  '</span> <span class="item-status">',
  '</span> <span class="item-mode">',
  '</span> <input class="item-input" name="draft" autocomplete="off" aria-label="',
  '" value="',
  '" phx-keyup="draft" phx-target="',
  '"> <span class="item-draft">',
  '</span> <button phx-click="toggle" phx-target="',
  '">Edit</button> <button phx-click="remove" phx-value-id="',
  '">Remove</button> <button phx-click="remove" phx-value-quiet="1" phx-value-id="',
  '">Remove (list not stashed)</button></li>',
];

export function todoItem(name: string): ComponentDef {
  return {
    name,
    storedKeys: ["editing", "draft"],
    statics: ITEM_STATICS,
    mount: () => ({ editing: false, draft: "" }),
    update: (props, state) => ({ ...state, ...props }),
    render: (s, cid) => {
      const id = escapeHtml(s["id"]);
      const draft = escapeHtml(s["draft"]);
      return [
        id,
        escapeHtml(s["label"]),
        escapeHtml(s["status"]),
        s["editing"] ? "editing" : "viewing",
        `Draft ${id}`,
        draft,
        String(cid),
        draft,
        String(cid),
        id,
        id,
      ];
    },
    handleEvent(event, value, s, act) {
      let next = s;
      if (event === "draft")
        next = { ...s, editing: true, draft: typeof value["value"] === "string" ? value["value"] : "" };
      else if (event === "toggle") next = { ...s, editing: !s["editing"] };
      act.stash(next);
      return next;
    },
  };
}

const STATICS = [
  '<section class="todo"><h1>',
  '</h1><p>List stash (item ids): <span class="stash-status">',
  '</span></p><button phx-click="add" aria-label="Add item">Add item</button> ' +
    '<button phx-click="reverse" aria-label="Reverse">Reverse</button> ' +
    '<button phx-click="restore" phx-value-id="a" aria-label="Restore a">Restore a</button> ' +
    '<button phx-click="restore" phx-value-id="b" phx-value-quiet="1" aria-label="Restore b (list not stashed)">Restore b (list not stashed)</button> ' +
    '<button phx-click="crash" aria-label="Crash">Crash</button><ul class="items">',
  "</ul></section>",
];

function ids(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === "string") ? value : undefined;
}

export function todoView(
  name: string,
  title: string,
  stash: Omit<StashOptions, "storedKeys"> | undefined,
  item: ComponentDef,
): ViewDef {
  return {
    name,
    title,
    ...(stash ? { stash: validateOptions({ ...stash, storedKeys: ["items", "next"] }) } : {}),
    components: [item],
    statics: STATICS,
    mount: (recovered, status) => ({
      items: ids(recovered?.["items"]) ?? ["a", "b"],
      next: typeof recovered?.["next"] === "number" ? recovered["next"] : 0,
      status: status ?? "dead",
    }),
    render: (a, ctx) => {
      const list = a["items"] as string[];
      const cids = ctx.component ? list.map((id) => ctx.component!(item, id, { label: `Item ${id}` })) : [];
      return [escapeHtml(title), escapeHtml(a["status"]), ctx.component ? cidList(cids) : ""];
    },
    handleEvent(event, value, a, act) {
      const list = a["items"] as string[];
      let next: Assigns = a;
      if (event === "add") next = { ...a, items: [...list, `n${a["next"]}`], next: (a["next"] as number) + 1 };
      else if (event === "reverse") next = { ...a, items: [...list].reverse() };
      else if (event === "remove") next = { ...a, items: list.filter((id) => id !== value["id"]) };
      else if (event === "restore")
        next = { ...a, items: list.includes(String(value["id"])) ? list : [...list, String(value["id"])] };
      else if (event === "crash") {
        act.crash();
        return a;
      }
      if (value["quiet"] !== "1") act.stash(next);
      return next;
    },
  };
}
