// Compiled by `npm run typecheck`: the return value must fit LiveSocket's options without a cast.
import { Socket } from "phoenix";
import { LiveSocket, type LiveSocketOptions } from "phoenix_live_view";
import { describe, expect, it } from "vitest";
import initLiveStash, { createLiveStash } from "../src/index";

describe("types", () => {
  it("plugs into LiveSocket's params option as is", () => {
    const options: Partial<LiveSocketOptions> = { params: initLiveStash({ _csrf_token: "t" }) };
    const socket = new LiveSocket("/live", Socket, {
      params: createLiveStash((el) => ({ _csrf_token: "t", view: el?.id })).params,
    });
    expect(typeof options.params).toBe("function");
    expect(socket).toBeInstanceOf(LiveSocket);
  });
});
