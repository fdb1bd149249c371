// The contract file is shared with the Elixir shim's ExUnit suite: a change on either side that
// breaks the other's expectations fails here or there.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import {
  ACCEPT_KEY,
  EVENTS,
  KEYED_CAPABILITY,
  PARAM_KEY,
  payloadSchemas,
  RESTORED_KEY,
  stashParamsSchema,
  WINDOW_EVENT_PREFIX,
} from "../src/core/protocol";
import { push, stash, view } from "./helpers";

interface Contract {
  window_event_prefix: string;
  connect_param_key: string;
  restored_key: string;
  accept_key: string;
  keyed_capability: string;
  events: Record<string, string>;
  payloads: Record<string, Record<string, unknown>>;
  connect_params: Record<string, Record<string, Record<string, unknown>>>;
  flows: Array<{ about: string; push: Array<[string, string]>; then_join_params: string }>;
}

const contract = JSON.parse(
  readFileSync(resolve(import.meta.dirname, "../contract/live-stash.contract.json"), "utf8"),
) as Contract;

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** A payload key is its event's key, optionally followed by `_<variant>`: the longest event key that fits. */
const eventOf = (payloadKey: string) =>
  Object.keys(contract.events)
    .filter((key) => payloadKey === key || payloadKey.startsWith(`${key}_`))
    .sort((a, b) => b.length - a.length)[0];

describe("wire contract", () => {
  it("uses the contract's event names, prefix and param keys", () => {
    expect(WINDOW_EVENT_PREFIX).toBe(contract.window_event_prefix);
    expect(PARAM_KEY).toBe(contract.connect_param_key);
    expect(RESTORED_KEY).toBe(contract.restored_key);
    expect(ACCEPT_KEY).toBe(contract.accept_key);
    expect(KEYED_CAPABILITY).toBe(contract.keyed_capability);
    expect(Object.fromEntries(Object.entries(EVENTS).map(([k, v]) => [snake(k), v]))).toEqual(contract.events);
  });

  it("accepts every example payload", () => {
    for (const [key, payload] of Object.entries(contract.payloads)) {
      const event = contract.events[eventOf(key) ?? ""] as keyof typeof payloadSchemas;
      expect(payloadSchemas[event]?.safeParse(payload).success, key).toBe(true);
    }
  });

  it("sends only connect-param shapes the contract lists, each announcing the keyed capability", () => {
    for (const [key, params] of Object.entries(contract.connect_params)) {
      const { [RESTORED_KEY]: restored, [ACCEPT_KEY]: accept, ...shape } = params[PARAM_KEY] ?? {};
      expect(accept, key).toEqual([KEYED_CAPABILITY]);
      expect(restored === undefined || restored === true).toBe(true);
      if (key === "none") expect(shape).toEqual({});
      else expect(stashParamsSchema.safeParse(shape).success, key).toBe(true);
    }
  });

  for (const flow of contract.flows) {
    it(`flow: ${flow.about}`, () => {
      const main = view("phx-main", { main: true });
      const live = stash();
      for (const [event, payload] of flow.push) push(contract.events[event]!, contract.payloads[payload]);
      expect({ [PARAM_KEY]: live.params(main)[PARAM_KEY] }).toEqual(contract.connect_params[flow.then_join_params]);
    });
  }
});
