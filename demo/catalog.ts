// Every demo page, grouped as the index shows them, each with its plain (no stash) twin.
// Client options travel in the query string (read by liveview-server/page/entry.ts): storage, reload.

export interface DemoPage {
  readonly href: string;
  readonly title: string;
  /** The same page without live-stash on the server, to compare. */
  readonly twin: string;
  readonly note?: string;
}

export interface DemoGroup {
  readonly title: string;
  readonly intro: string;
  readonly pages: readonly DemoPage[];
}

const STORAGES = [
  ["memory", "in memory"],
  ["session", "sessionStorage"],
  ["indexeddb", "IndexedDB"],
] as const;

const SERVER_MODES = [
  ["/counter/browser", "browser memory (signed token)", "survives a server restart: the state travels in the token"],
  [
    "/counter/ets",
    "server memory (ETS)",
    "a server restart loses its rows (the table dies with the server's BEAM): the counter starts over",
  ],
  [
    "/counter/redis",
    "server memory (Redis)",
    "rows in a redis-server of the server's own: a server restart starts a new one, and the counter starts over",
  ],
  [
    "/counter/mnesia",
    "server memory (Mnesia)",
    "a RAM-copies table: a server restart loses its rows, and the counter starts over",
  ],
] as const;

export const CATALOG: readonly DemoGroup[] = [
  {
    title: "Counters: client storage × server mode",
    intro: "Click + a few times, then use the controls under the counter (on a wide screen, on the right).",
    pages: SERVER_MODES.flatMap(([path, mode, note]) =>
      STORAGES.map(([storage, label]) => ({
        href: `${path}?storage=${storage}`,
        title: `${mode}, client ${label}`,
        twin: "/plain/counter",
        note,
      })),
    ),
  },
  {
    title: "Full page reload (opt-in on both sides)",
    intro: "Persisted client storage plus recoverAfterReload: the value survives “Reload page”.",
    pages: [
      {
        href: "/counter/browser-reload?storage=session&reload=1",
        title: "browser memory, sessionStorage, survives reload",
        twin: "/plain/counter",
      },
      {
        href: "/counter/ets-reload?storage=indexeddb&reload=1",
        title: "server memory, IndexedDB, survives reload",
        twin: "/plain/counter",
      },
      {
        href: "/counter/browser?storage=session",
        title: "same without the opt-in: a reload starts over",
        twin: "/plain/counter",
      },
    ],
  },
  {
    title: "A game",
    intro: "Play a few moves, then drop the socket or restart the server mid-game.",
    pages: [{ href: "/tictactoe?storage=session", title: "Tic-tac-toe, board stashed", twin: "/plain/tictactoe" }],
  },
  {
    title: "LiveComponents",
    intro: "Each todo item is a LiveComponent: type a draft or click Edit, then drop the socket or restart the server.",
    pages: [
      {
        href: "/todo/browser?storage=session",
        title: "Todo items keep their editing state and draft (browser memory)",
        twin: "/plain/todo",
      },
      {
        href: "/todo/ets?storage=session",
        title: "Same in server memory (ETS)",
        twin: "/plain/todo",
        note: "a server restart loses the rows",
      },
    ],
  },
  {
    title: "Several views",
    intro: "Each LiveView keeps its own stash, keyed by its DOM id.",
    pages: [
      { href: "/pair?storage=session", title: "Two LiveViews on one page", twin: "/plain/pair" },
      {
        href: "/nav/a?storage=session",
        title: "Live navigation A ⇄ B",
        twin: "/plain/nav/a",
        note: "navigating is a fresh mount: each view starts at 0",
      },
    ],
  },
];

/** The catalog entry a page URL belongs to (a twin maps to the first page it is the twin of). */
export function findPage(pathname: string, search: string): { page: DemoPage; isTwin: boolean } | undefined {
  const all = CATALOG.flatMap((g) => g.pages);
  const here = pathname + search;
  const exact = all.find((p) => p.href === here) ?? all.find((p) => p.href.split("?")[0] === pathname);
  if (exact) return { page: exact, isTwin: false };
  const twin = all.find((p) => p.twin === pathname);
  return twin ? { page: twin, isTwin: true } : undefined;
}
