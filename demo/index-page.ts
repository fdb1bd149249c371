// The demo's index, served by the supervisor itself so it answers even while the server
// process is down. Static HTML from the catalog; no script.
import { CATALOG } from "./catalog";

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function renderIndex(): string {
  const groups = CATALOG.map(
    (g) =>
      `<section><h2>${esc(g.title)}</h2><p>${esc(g.intro)}</p><ul>${g.pages
        .map(
          (p) =>
            `<li><a href="${esc(p.href)}">${esc(p.title)}</a> · <a class="twin" href="${esc(p.twin)}">plain twin</a>` +
            (p.note ? ` <small>(${esc(p.note)})</small>` : "") +
            "</li>",
        )
        .join("")}</ul></section>`,
  ).join("\n");
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><link rel="icon" href="data:,"><title>live-stash demo</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:52rem;color:#222}small{color:#666}code{background:#eee;padding:0 .2rem}</style>
</head>
<body>
<h1>live-stash demo</h1>
<p>Each page runs the real <code>phoenix</code> and <code>phoenix_live_view</code> clients against the in-repo
LiveView-protocol test server. Every page has controls (under its LiveViews; on a wide screen, on the right): <b>Drop socket</b>, <b>Kill &amp; restart
server</b>, <b>Go offline</b> for N seconds, <b>Reload page</b>, and the live-stash inspector, which shows what is
stored for each view (mode, size, age, expiry, storage; never the token). Compare with each page's plain twin,
which stashes nothing.</p>
${groups}
</body>
</html>
`;
}
