// The contract file is shared with the Elixir shim's ExUnit suite: a change on either side that
// breaks the other's expectations fails here or there.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { EVENTS, PARAM_KEY, payloadSchemas, RESTORED_KEY, stashParamsSchema, WINDOW_EVENT_PREFIX } from "../src/protocol";
import { joinStash, push, stash, view } from "./helpers";

interface Contract {
  window_event_prefix: string;
  connect_param_key: string;
  restored_key: string;
  events: Record<string, string>;
  payloads: Record<string, Record<string, unknown>>;
  connect_params: Record<string, Record<string, Record<string, unknown>>>;
  flows: Array<{ about: string; push: Array<[string, string]>; then_join_params: string }>;
}

const contract = JSON.parse(
  readFileSync(resolve(import.meta.dirname, "../contract/live-stash.contract.json"), "utf8"),
) as Contract;

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

describe("wire contract", () => {
  it("uses the contract's event names, prefix and param keys", () => {
    expect(WINDOW_EVENT_PREFIX).toBe(contract.window_event_prefix);
    expect(PARAM_KEY).toBe(contract.connect_param_key);
    expect(RESTORED_KEY).toBe(contract.restored_key);
    expect(Object.fromEntries(Object.entries(EVENTS).map(([k, v]) => [snake(k), v]))).toEqual(contract.events);
  });

  it("accepts every example payload", () => {
    for (const [key, payload] of Object.entries(contract.payloads)) {
      const event = contract.events[key.replace(/_with_view$/, "")] as keyof typeof payloadSchemas;
      expect(payloadSchemas[event].safeParse(payload).success, key).toBe(true);
    }
  });

  it("sends only connect-param shapes the contract lists", () => {
    for (const [key, params] of Object.entries(contract.connect_params)) {
      const { [RESTORED_KEY]: restored, ...shape } = params[PARAM_KEY] ?? {};
      if (key === "none") continue;
      expect(stashParamsSchema.safeParse(shape).success, key).toBe(true);
      expect(restored === undefined || restored === true).toBe(true);
    }
  });

  for (const flow of contract.flows) {
    it(`flow: ${flow.about}`, () => {
      const main = view("phx-main", { main: true });
      const live = stash();
      for (const [event, payload] of flow.push) push(contract.events[event]!, contract.payloads[payload]);
      expect({ [PARAM_KEY]: joinStash(live, main) }).toEqual(contract.connect_params[flow.then_join_params]);
    });
  }
});
