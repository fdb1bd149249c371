// The test page's script: the real phoenix + phoenix_live_view clients with live-stash's
// params. Client options come from the page's query string so one bundle serves every case:
// ?storage=memory|session|indexeddb  &reload=1 (recoverAfterReload)  &ttl=<seconds>
// ?client=official runs a double of the official client instead (one stash per page).
import { Socket } from "phoenix";
import { LiveSocket } from "phoenix_live_view";
import { createLiveStash, type LiveStash, type LiveStashError } from "../../src/index";
import { initOfficialLiveStash } from "./official-client";

declare global {
  interface Window {
    liveSocket: LiveSocket;
    /** Absent under ?client=official. */
    liveStash: LiveStash;
    /** Every error live-stash reported, for assertions; they are also logged as warnings. */
    liveStashErrors: { code: string; message: string }[];
  }
}

const query = new URLSearchParams(location.search);
const storage = query.get("storage");
const ttl = query.get("ttl");
const csrfToken = document.querySelector("meta[name='csrf-token']")?.getAttribute("content") ?? "";

function startOurs(): void {
  const liveStash = createLiveStash(
    { _csrf_token: csrfToken },
    {
      ...(storage === "memory" || storage === "session" || storage === "indexeddb" ? { storage } : {}),
      ...(ttl ? { ttl: Number(ttl) } : {}),
      recoverAfterReload: query.get("reload") === "1",
      onError: (error: LiveStashError) => {
        window.liveStashErrors.push({ code: error.code, message: error.message });
        console.warn(error.message);
      },
    },
  );
  const liveSocket = new LiveSocket("/live", Socket, { params: liveStash.params });
  window.liveSocket = liveSocket;
  window.liveStash = liveStash;
  // IndexedDB is read asynchronously: the first join must wait for it to replay after a reload.
  void liveStash.ready.then(() => liveSocket.connect());
}

function startOfficial(): void {
  window.liveSocket = new LiveSocket("/live", Socket, { params: initOfficialLiveStash({ _csrf_token: csrfToken }) });
  window.liveSocket.connect();
}

window.liveStashErrors = [];
if (query.get("client") === "official") startOfficial();
else startOurs();
