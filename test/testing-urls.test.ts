// toHaveNoStashInUrl's detection, driven through a page double shaped like Playwright's: which
// URLs count as carrying a stash (the official client's leak, tokens under any name) and which
// do not (LiveView's own params, view ids, other apps' events).
import { describe, expect, it } from "vitest";
import { EVENTS } from "../src/core/protocol";
import {
  liveStashMatchers,
  recordUrls,
  type FrameLike,
  type RecordablePage,
  type WebSocketLike,
} from "../src/testing/testing";

const TOKEN =
  "SFMyNTY.g2gDbQAAAC-DdAAAAAJkAAdhc3NpZ25zdAAAAAFkAAVjb3VudGECZAAHdmVyc2lvbmQAA25pbG4GANa80BqiAWEB.Yym42dAaqUyohza9QqNtB5bWSHldzNLM8gDgisrlz-4";
const HOST = "ws://127.0.0.1:4114/live/websocket";
const CLEAN = `${HOST}?&_csrf_token=E3knGSh-PDs5F2I_fVBKDgc-FzwoAlQnP7QA_KHsnRUSOdxjvqBrmF8m&vsn=2.0.0`;
const push = (event: string, payload: unknown) =>
  JSON.stringify(["4", "9", "lv:phx-1", "phx_reply", { response: { diff: { e: [[event, payload]] } }, status: "ok" }]);

function fakePage() {
  const listeners: Record<string, (arg: never) => void> = {};
  const page = {
    url: () => "about:blank",
    on: (event: string, listener: (arg: never) => void) => {
      listeners[event] = listener;
    },
  } as unknown as RecordablePage;
  return {
    page,
    request: (url: string) => listeners["request"]!({ url: () => url } as never),
    socket(url: string, frames: { received?: (string | Uint8Array)[]; sent?: (string | Uint8Array)[] }) {
      const on: Record<string, (frame: FrameLike) => void> = {};
      const socket = {
        url: () => url,
        on: (event: string, listener: (frame: FrameLike) => void) => {
          on[event] = listener;
        },
      } as unknown as WebSocketLike;
      listeners["websocket"]!(socket as never);
      for (const payload of frames.received ?? []) on["framereceived"]!({ payload });
      for (const payload of frames.sent ?? []) on["framesent"]!({ payload });
    },
  };
}

const check = (page: RecordablePage) => liveStashMatchers.toHaveNoStashInUrl.call({ isNot: false, timeout: 0 }, page);

describe("toHaveNoStashInUrl", () => {
  it("finds the official client's leak (the stash as connect params) without printing the token", async () => {
    const { page, socket } = fakePage();
    recordUrls(page);
    socket(CLEAN, { received: [push(EVENTS.stashState, { assigns: TOKEN })] });
    socket(`${HOST}?liveStash%5BstashedState%5D=${TOKEN}&_csrf_token=x&vsn=2.0.0`, {});
    const result = await check(page);
    expect(result.pass).toBe(false);
    expect(result.message()).toContain(
      `websocket ws://127.0.0.1:4114/live/websocket: the liveStash[stashedState] param, a stash token`,
    );
    expect(result.message()).toContain("1 of 2 URLs (2 websockets; 1 stash token seen)");
    expect(result.message()).not.toContain(TOKEN);
  });

  it("finds a server stash id or a token under any name, in requests too, from pushes and from joins", async () => {
    const { page, socket, request } = fakePage();
    recordUrls(page);
    const sent = JSON.stringify([
      "4",
      "4",
      "lv:phx-1",
      "phx_join",
      { params: { liveStash: { stashedState: "restored-token-123" } } },
    ]);
    socket(CLEAN, {
      received: [
        new TextEncoder().encode(push(EVENTS.initEts, { node: "encrypted-node-hint", stashId: "stash-id-0123456789" })),
      ],
      sent: [sent],
    });
    request("http://127.0.0.1:4114/live/longpoll?sid=stash-id-0123456789");
    request("http://127.0.0.1:4114/other?t=restored-token-123&n=encrypted-node-hint");
    const message = (await check(page)).message();
    expect(message).toContain("request http://127.0.0.1:4114/live/longpoll: a stash token");
    expect(message).toContain("request http://127.0.0.1:4114/other: 2 stash tokens");
  });

  it("finds the key tokens of a per-key stash, pushed or handed back, not only its manifest", async () => {
    const { page, socket, request } = fakePage();
    recordUrls(page);
    const pushed = push(EVENTS.stashKeys, {
      manifest: "manifest-token-1",
      keys: { "a:count": "count-token-1" },
      names: ["a:count"],
    });
    const sent = JSON.stringify([
      "4",
      "4",
      "lv:phx-1",
      "phx_join",
      { params: { liveStash: { stashedManifest: "manifest-token-1", stashedKeys: { "a:doc": "doc-token-01" } } } },
    ]);
    socket(CLEAN, { received: [pushed], sent: [sent] });
    request("http://127.0.0.1:4114/a?t=count-token-1");
    request("http://127.0.0.1:4114/b?t=doc-token-01");
    const message = (await check(page)).message();
    expect(message).toContain("request http://127.0.0.1:4114/a: a stash token");
    expect(message).toContain("request http://127.0.0.1:4114/b: a stash token");
    expect(message).toContain("3 stash tokens seen");
  });

  it("passes LiveView's own params, view ids, short values and other events' payloads", async () => {
    const { page, socket, request } = fakePage();
    recordUrls(page);
    socket(CLEAN, {
      received: [
        push(EVENTS.stashState, { assigns: TOKEN, view: "phx-GOvFq3FJAeRGGAcx" }),
        push(EVENTS.initRedis, { stashId: "short" }),
        push("app:thing", { value: "app-value-in-url" }),
        "not json {",
      ],
    });
    request("http://127.0.0.1:4114/page?view=phx-GOvFq3FJAeRGGAcx&x=short&y=app-value-in-url");
    const result = await check(page);
    expect(result.pass).toBe(true);
    expect(result.message()).toContain("none of 2 URLs (1 websocket; 1 stash token seen)");
  });

  it("refuses to vouch for a page it did not record from the start", async () => {
    const { page } = fakePage();
    await expect(check(page)).rejects.toThrow("call recordUrls(page) before the page's first navigation");
    const navigated = { ...page, url: () => "http://127.0.0.1:4114/counter" };
    expect(() => recordUrls(navigated)).toThrow("recordUrls: the page is already at http://127.0.0.1:4114/counter");
  });
});
