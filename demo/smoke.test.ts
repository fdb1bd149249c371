// @vitest-environment node
// `npm start` works: the demo builds, serves its index and a counter page, and its
// "kill & restart server" control brings the server back. No browser: that is the e2e suite's job.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CATALOG } from "./catalog";
import { startDemo, type Demo } from "./supervisor";

let demo: Demo;
let buildDir: string;

beforeAll(async () => {
  // Its own build dir, so a running `npm start` in the same tree keeps its bundle.
  buildDir = await mkdtemp(join(tmpdir(), "live-stash-demo-"));
  demo = await startDemo({ port: 0, buildDir, downMs: 50 });
});

afterAll(async () => {
  await demo?.stop();
  await rm(buildDir, { recursive: true, force: true });
});

const get = (path: string, init?: RequestInit) => fetch(demo.url + path, init);

describe("demo", () => {
  it("serves its index, linking every page and its twin", async () => {
    const res = await get("/");
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const page of CATALOG.flatMap((g) => g.pages)) {
      expect(html).toContain(`href="${page.href.replaceAll("&", "&#38;")}"`);
      expect(html).toContain(`href="${page.twin}"`);
    }
  });

  it("renders every page, a counter among them, with the demo script", async () => {
    const counter = await get("/counter/browser?storage=session");
    expect(counter.status).toBe(200);
    expect(await counter.text()).toMatch(/<div class="stat-value">0<\/div>[\s\S]*aria-label="Increment"/);
    const paths = new Set(CATALOG.flatMap((g) => g.pages.flatMap((p) => [p.href, p.twin])));
    for (const path of paths) expect((await get(path)).status, path).toBe(200);
    const script = await get("/app.js");
    expect(script.status).toBe(200);
    const js = await script.text();
    expect(js).toContain("live-stash-inspector");
    expect(js).toContain("phx-connected");
  });

  it("kills and restarts the server behind the same URL", async () => {
    const res = await get("/__demo/restart", { method: "POST" });
    expect(res.status).toBe(200);
    expect((await get("/tictactoe")).status).toBe(200);
  });
});
