// The dead render: csrf meta tag, the built page script, and the main LiveView container
// with a fresh "phx-<random>" id per render, as the real server does.
import { randomBytes } from "node:crypto";
import { escapeHtml, toHtml } from "./rendered";
import type { Sessions } from "./session";
import type { ViewDef } from "./views/view-def";

export function renderPage(def: ViewDef, viewKey: string, sessions: Sessions): string {
  const domId = `phx-${randomBytes(8).toString("base64url")}`;
  const assigns = def.mount(undefined, undefined);
  const inner = toHtml(def.statics, def.render(assigns, { domId, childSession: (k) => sessions.sign(k, domId) }));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="csrf-token" content="${randomBytes(12).toString("base64url")}">
<link rel="icon" href="data:,">
<title>${escapeHtml(def.title)}</title>
<script type="module" src="/app.js"></script>
</head>
<body>
<div id="${domId}" data-phx-main data-phx-session="${sessions.sign(viewKey)}" data-phx-static="static">${inner}</div>
</body>
</html>
`;
}

export const BLANK_PAGE =
  '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>blank</title></head><body><p>blank</p></body></html>';
