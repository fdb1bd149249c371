import { IDBFactory } from "fake-indexeddb";
import { afterEach, beforeEach, vi } from "vitest";
import { disposeAll } from "./helpers";

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
  sessionStorage.clear();
  document.body.innerHTML = "";
  history.replaceState(null, "", "/counter");
});

afterEach(() => {
  disposeAll();
  vi.useRealTimers();
});
