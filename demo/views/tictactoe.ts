// A small game whose board is the stash: a dropped socket or a server restart mid-game
// must not wipe the moves. Two players share the mouse, X starts.
import { escapeHtml } from "../../liveview-server/rendered";
import { validateOptions, type StashOptions } from "../../liveview-server/views/stash-options";
import type { Assigns } from "../../liveview-server/assigns";
import type { ViewDef } from "../../liveview-server/views/view-def";

const EMPTY = ".........";
const LINES = [
  [0, 1, 2],
  [3, 4, 5],
  [6, 7, 8],
  [0, 3, 6],
  [1, 4, 7],
  [2, 5, 8],
  [0, 4, 8],
  [2, 4, 6],
] as const;

export function winner(board: string): "X" | "O" | "draw" | undefined {
  for (const [a, b, c] of LINES) {
    const m = board[a];
    if ((m === "X" || m === "O") && board[b] === m && board[c] === m) return m;
  }
  return board.includes(".") ? undefined : "draw";
}

/** X moves first, so whoever has placed fewer marks is next. */
export function nextPlayer(board: string): "X" | "O" {
  const xs = [...board].filter((c) => c === "X").length;
  const os = [...board].filter((c) => c === "O").length;
  return xs > os ? "O" : "X";
}

export function play(board: string, index: number): string {
  if (!Number.isInteger(index) || index < 0 || index > 8 || board[index] !== "." || winner(board)) return board;
  return board.slice(0, index) + nextPlayer(board) + board.slice(index + 1);
}

function validBoard(value: unknown): value is string {
  return typeof value === "string" && /^[.XO]{9}$/.test(value);
}

function statusLine(board: string): string {
  const w = winner(board);
  if (w === "draw") return "Draw.";
  if (w) return `${w} wins!`;
  return `${nextPlayer(board)} to move.`;
}

function cells(board: string): string {
  return [...board]
    .map((c, i) => {
      const mark = c === "." ? "" : c;
      const label = `Cell ${i + 1}${mark ? `: ${mark}` : ""}`;
      return `<button class="cell" phx-click="play" phx-value-i="${i}" aria-label="${label}">${mark}</button>`;
    })
    .join("");
}

const STATICS = [
  '<section class="tictactoe"><h1>',
  '</h1><p class="ttt-status">',
  '</p><div class="board">',
  '</div><button phx-click="new_game" aria-label="New game">New game</button>' +
    '<p>Stash: <span class="stash-status">',
  "</span></p></section>",
];

export function ticTacToeView(
  name: string,
  title: string,
  stash: Omit<StashOptions, "storedKeys"> | undefined,
): ViewDef {
  return {
    name,
    title,
    ...(stash ? { stash: validateOptions({ ...stash, storedKeys: ["board"] }) } : {}),
    statics: STATICS,
    mount: (recovered, status) => ({
      board: validBoard(recovered?.["board"]) ? recovered["board"] : EMPTY,
      status: status ?? "dead",
    }),
    render: (a) => [
      escapeHtml(title),
      escapeHtml(statusLine(a["board"] as string)),
      cells(a["board"] as string),
      escapeHtml(a["status"]),
    ],
    handleEvent(event, value, a, act) {
      let next: Assigns = a;
      if (event === "play") next = { ...a, board: play(a["board"] as string, Number(value["i"])) };
      else if (event === "new_game") next = { ...a, board: EMPTY };
      act.stash(next);
      return next;
    },
  };
}
