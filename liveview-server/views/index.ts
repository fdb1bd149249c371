// The route table: path → view key, and view key → module. Add a view by adding a row.
import { counterView } from "./counter";
import { documentView } from "./document";
import { pairView } from "./pair";
import { todoItem, todoView } from "./todo";
import type { ViewDef } from "./view-def";

export const VIEWS: Readonly<Record<string, ViewDef>> = {
  "counter-browser": counterView({
    name: "CounterBrowserLive",
    title: "Browser memory (signed)",
    stash: { adapter: "browser", securityMode: "sign" },
  }),
  "counter-browser-encrypt": counterView({
    name: "CounterEncryptLive",
    title: "Browser memory (encrypted)",
    stash: { adapter: "browser", securityMode: "encrypt" },
  }),
  "counter-ets": counterView({ name: "CounterEtsLive", title: "Server memory (ETS)", stash: { adapter: "ets" } }),
  "counter-redis": counterView({
    name: "CounterRedisLive",
    title: "Server memory (Redis)",
    stash: { adapter: "redis" },
  }),
  "counter-mnesia": counterView({
    name: "CounterMnesiaLive",
    title: "Server memory (Mnesia)",
    stash: { adapter: "mnesia" },
  }),
  "counter-browser-reload": counterView({
    name: "CounterBrowserReloadLive",
    title: "Browser memory, survives reload",
    stash: { adapter: "browser", securityMode: "sign", recoverAfterReload: true },
  }),
  "counter-ets-reload": counterView({
    name: "CounterEtsReloadLive",
    title: "ETS, survives reload",
    stash: { adapter: "ets", recoverAfterReload: true },
  }),
  "pair-child": counterView({
    name: "PairCounterLive",
    title: "Nested counter",
    stash: { adapter: "browser", securityMode: "sign" },
  }),
  pair: pairView("PairLive", "pair-child", "pair-child"),
  "pair-ets-child": counterView({
    name: "PairEtsCounterLive",
    title: "Nested counter (ETS)",
    stash: { adapter: "ets" },
  }),
  "pair-ets": pairView("PairEtsLive", "pair-ets-child", "pair-ets-child"),
  "pair-redis-child": counterView({
    name: "PairRedisCounterLive",
    title: "Nested counter (Redis)",
    stash: { adapter: "redis" },
  }),
  "pair-redis": pairView("PairRedisLive", "pair-redis-child", "pair-redis-child"),
  "nav-a": counterView({
    name: "NavALive",
    title: "View A",
    stash: { adapter: "browser", securityMode: "sign" },
    links: [["/nav/b", "Go to B"]],
  }),
  "nav-b": counterView({
    name: "NavBLive",
    title: "View B",
    stash: { adapter: "browser", securityMode: "sign" },
    links: [["/nav/a", "Go to A"]],
  }),
  "todo-browser": todoView(
    "TodoBrowserLive",
    "Todo (browser memory)",
    { adapter: "browser", securityMode: "sign" },
    todoItem("TodoItem"),
  ),
  "todo-ets": todoView("TodoEtsLive", "Todo (ETS)", { adapter: "ets" }, todoItem("TodoItem")),
  "document-browser": documentView("DocumentBrowserLive", "Document (browser memory, signed)", {
    adapter: "browser",
    securityMode: "sign",
  }),
  "document-browser-encrypt": documentView("DocumentEncryptLive", "Document (browser memory, encrypted)", {
    adapter: "browser",
    securityMode: "encrypt",
  }),
};

export const ROUTES: Readonly<Record<string, keyof typeof VIEWS>> = {
  "/counter/browser": "counter-browser",
  "/counter/browser-encrypt": "counter-browser-encrypt",
  "/counter/ets": "counter-ets",
  "/counter/redis": "counter-redis",
  "/counter/mnesia": "counter-mnesia",
  "/counter/browser-reload": "counter-browser-reload",
  "/counter/ets-reload": "counter-ets-reload",
  "/pair": "pair",
  "/pair/ets": "pair-ets",
  "/pair/redis": "pair-redis",
  "/nav/a": "nav-a",
  "/nav/b": "nav-b",
  "/todo/browser": "todo-browser",
  "/todo/ets": "todo-ets",
  "/document/browser": "document-browser",
  "/document/browser-encrypt": "document-browser-encrypt",
};

export type { ViewDef } from "./view-def";
