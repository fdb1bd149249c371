import { IDB_DATABASE, IDB_STORE } from "../core/constants.js";
import type { StashStorage } from "../persistence/stash-storage.js";

type IdbKeyval = typeof import("./idb-keyval.js");

/**
 * IndexedDB through idb-keyval, imported on first use so pages that never pick this backend never
 * load it. The database is shared by every tab of the origin: keys carry the tab id.
 */
export function indexedDbStorage(load: () => Promise<IdbKeyval> = () => import("./idb-keyval.js")): StashStorage {
  let api: Promise<[IdbKeyval, ReturnType<IdbKeyval["createStore"]>]> | undefined;
  const open = () => (api ??= load().then((idb) => [idb, idb.createStore(IDB_DATABASE, IDB_STORE)] as const));
  return {
    getItem: async (key) => {
      const [idb, store] = await open();
      return idb.get(key, store);
    },
    setItem: async (key, value) => {
      const [idb, store] = await open();
      await idb.set(key, value, store);
    },
    removeItem: async (key) => {
      const [idb, store] = await open();
      await idb.del(key, store);
    },
    keys: async () => {
      const [idb, store] = await open();
      return (await idb.keys(store)).filter((key): key is string => typeof key === "string");
    },
  };
}
