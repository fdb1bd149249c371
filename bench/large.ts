// A 1 MB stash: how long its recovery takes, and what the same stash does in the websocket
// URL, where the official client puts it: the server refuses the request line.
import { connect } from "node:net";
import { countTo, type Harness } from "./harness";
import { timeReconnect } from "./reconnect";
import { median } from "./stats";
import type { Row } from "./table";

const PATH_PREFIX = "/live/websocket?vsn=2.0.0&liveStash%5BstashedState%5D=";
/** `GET <path> HTTP/1.1`: the request line the server limits. */
const requestLine = (stash: string) => `GET ${PATH_PREFIX}${encodeURIComponent(stash)} HTTP/1.1`.length;

/** The status line a server answers a websocket upgrade with, when the stash rides in the URL. */
function upgradeStatus(port: number, stash: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let reply = "";
    socket.on("data", (chunk) => {
      reply += chunk.toString("latin1");
      if (reply.includes("\r\n")) socket.destroy();
    });
    socket.on("close", () => resolve(reply.split("\r\n")[0] || "connection closed without a reply"));
    socket.on("error", () => undefined);
    socket.on("connect", () => {
      const path = PATH_PREFIX + encodeURIComponent(stash);
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
      );
    });
  });
}

export async function largeStash(h: Harness, rounds: number): Promise<Row[]> {
  const page = await h.open("/counter/browser?storage=session");
  await countTo(page, 1);
  const small: number[] = [];
  for (let i = 0; i < rounds; i++) small.push(await timeReconnect(page, ".stat-value", "1"));
  await page.getByRole("button", { name: "Grow", exact: true }).click();
  await page.locator(".blob-size").filter({ hasText: "1048576" }).waitFor();
  const big: number[] = [];
  for (let i = 0; i < rounds; i++) big.push(await timeReconnect(page, ".blob-size", "1048576"));
  const bytes = await page.evaluate(() => window.liveStash.entries().reduce((n, e) => n + e.bytes, 0));

  // The token as issued by the server (held in this process only, never printed).
  const token = [...h.server.issued].reduce((a, b) => (b.length > a.length ? b : a), "");
  const status = await upgradeStatus(h.server.port, token);
  // Where the limit bites: a prefix of the token that makes the request line 10,000 bytes, then one more.
  const fits = token.slice(0, token.length - (requestLine(token) - 10_000));
  const atLimit = await upgradeStatus(h.server.port, fits);
  const overLimit = await upgradeStatus(h.server.port, `${fits}A`);
  // What the browser sees when the official client opens that socket.
  const browserSees = await page.evaluate(
    (stash) =>
      new Promise<string>((resolve) => {
        const url = `ws://${location.host}/live/websocket?vsn=2.0.0&liveStash%5BstashedState%5D=${encodeURIComponent(stash)}`;
        const ws = new WebSocket(url);
        ws.onopen = () => resolve("open");
        ws.onclose = (e) => resolve(`closed before open, code ${e.code}`);
      }),
    token,
  );
  await page.close();
  const group = "1 MB stash";
  return [
    {
      group,
      metric: "recovery: connect() → 1 MB blob on screen, median",
      value: median(big),
      unit: "ms",
      baseline: { label: "same counter, tiny stash", value: median(small) },
      note: `n=${rounds}; stash ${Math.round(bytes / 1024)} KB in the join params`,
    },
    {
      group,
      metric: "same stash in the websocket URL: request line",
      value: requestLine(token),
      unit: "B",
      note: `server: "${status}"; browser: ${browserSees}`,
    },
    {
      group,
      metric: "request line at the limit (stash cut to fit)",
      value: requestLine(fits),
      unit: "B",
      note: `server: "${atLimit}"`,
    },
    {
      group,
      metric: "request line one byte over",
      value: requestLine(`${fits}A`),
      unit: "B",
      note: `server: "${overLimit}" (Bandit's limit; Cowboy's is 8,000)`,
    },
  ];
}
