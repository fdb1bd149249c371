// The demo page's script: the server's page (real phoenix + phoenix_live_view with live-stash,
// options from the query string) plus the control panel and the inspector.
import "../../liveview-server/page/entry";
import { mountInspector } from "../../src/inspector/inspector";
import { mountControls } from "./controls";
import { injectStyles } from "./styles";

// LiveView switches its debug log on by itself on localhost (and remembers it in sessionStorage);
// the demo keeps the console for live-stash's own messages unless the URL asks: ?debug=1.
if (new URLSearchParams(location.search).get("debug") === "1") window.liveSocket.enableDebug();
else window.liveSocket.disableDebug();

injectStyles();
const panel = document.createElement("aside");
panel.className = "demo-panel";
panel.setAttribute("aria-label", "Demo controls");
document.body.append(panel);
mountControls(window.liveSocket, panel);
mountInspector(window.liveStash, panel, { title: "live-stash inspector (this tab)" });
