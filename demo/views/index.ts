// The demo's view table: every view of liveview-server/ plus the game and the plain twins. Handed to the
// server's startServer({ views, routes }); nothing here changes the server's own registry.
import { counterView } from "../../liveview-server/views/counter";
import { ROUTES, VIEWS } from "../../liveview-server/views/index";
import { pairView } from "../../liveview-server/views/pair";
import { todoItem, todoView } from "../../liveview-server/views/todo";
import type { ViewDef } from "../../liveview-server/views/view-def";
import { plain } from "./plain";
import { ticTacToeView } from "./tictactoe";

const SIGNED = { adapter: "browser", securityMode: "sign" } as const;

const counter = (name: string, title: string, links?: readonly (readonly [string, string])[]) =>
  plain(counterView({ name, title, stash: SIGNED, ...(links ? { links } : {}) }), name);

export const DEMO_VIEWS: Readonly<Record<string, ViewDef>> = {
  ...VIEWS,
  "plain-counter": counter("PlainCounterLive", "Plain counter (no stash)"),
  tictactoe: ticTacToeView("TicTacToeLive", "Tic-tac-toe (board stashed)", SIGNED),
  "tictactoe-plain": ticTacToeView("PlainTicTacToeLive", "Tic-tac-toe (plain, no stash)", undefined),
  "pair-plain-child": counter("PlainPairCounterLive", "Nested counter (no stash)"),
  "pair-plain": pairView("PlainPairLive", "pair-plain-child", "pair-plain-child"),
  "nav-plain-a": counter("PlainNavALive", "View A (no stash)", [["/plain/nav/b", "Go to B"]]),
  "nav-plain-b": counter("PlainNavBLive", "View B (no stash)", [["/plain/nav/a", "Go to A"]]),
  "todo-plain": plain(
    todoView("PlainTodoLive", "Todo (plain, no stash)", undefined, todoItem("PlainTodoItem")),
    "PlainTodoLive",
  ),
};

export const DEMO_ROUTES: Readonly<Record<string, string>> = {
  ...ROUTES,
  "/plain/counter": "plain-counter",
  "/tictactoe": "tictactoe",
  "/plain/tictactoe": "tictactoe-plain",
  "/plain/pair": "pair-plain",
  "/plain/nav/a": "nav-plain-a",
  "/plain/nav/b": "nav-plain-b",
  "/plain/todo": "todo-plain",
};
