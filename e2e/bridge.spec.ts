// The test server's link to the library: one BEAM per server. Killed mid-test, it must make the
// test fail at once and say why, never leave a click or a join waiting on a reply that cannot come.
import { startServer } from "../liveview-server/index";
import { reconnect } from "../src/testing/testing";
import { BUILD_DIR } from "./support/build-dir";
import { Counter, open } from "./support/counter";
import { expect, NETWORK_NOISE, test } from "./support/fixtures";

test.use({ allowedConsoleErrors: NETWORK_NOISE });

test("the BEAM killed mid-test: the server says so, the next click fails at once, nothing hangs", async ({ page }) => {
  const server = await startServer({ buildDir: BUILD_DIR });
  const logged: string[] = [];
  const error = console.error;
  console.error = (...args: unknown[]) => logged.push(args.map(String).join(" "));
  try {
    await open(page, server, "/counter/browser");
    const counter = new Counter(page);
    await counter.increment(1);

    process.kill(server.bridge.pid!, "SIGKILL");
    await expect
      .poll(() => server.bridge.failed?.message, { timeout: 5_000 })
      .toMatch(/^live_stash bridge: (the BEAM exited \(SIGKILL\)|the connection to the BEAM closed)/);
    expect(logged.join("\n")).toContain("live_stash bridge:");

    // The click's event cannot be answered: the server drops the socket and logs why, within seconds.
    const before = logged.length;
    await counter.button("Increment").click();
    await expect
      .poll(() => logged.slice(before).join("\n"), { timeout: 5_000 })
      .toMatch(/liveview-server: live_stash bridge: /);
    await expect(counter.value).toHaveText("1");
    // A new page's join fails the same way, at once.
    const again = logged.length;
    await page.reload();
    await expect
      .poll(() => logged.slice(again).join("\n"), { timeout: 5_000 })
      .toMatch(/liveview-server: live_stash bridge: /);
  } finally {
    console.error = error;
    await server.close();
  }
});

// The suites move the library's clock while views work. Moving the OS clock under the VM instead
// (libfaketime, before) once aborted it mid-suite: "Monotonic time stepped backwards!".
test("moving the clock while a view works never takes the BEAM down", async ({ page, server }) => {
  await open(page, server, "/counter/ets");
  const counter = new Counter(page);
  for (let i = 1; i <= 200; i++) {
    server.advanceClock(1_000);
    if (i % 20 === 0) await counter.increment(1, i / 20 - 1);
  }
  await expect(counter.value).toHaveText("10");
  expect(server.bridge.failed).toBeUndefined();
  await reconnect(page);
  await expect(counter.status).toHaveText("recovered");
  await expect(counter.value).toHaveText("10");
});

test("a server's BEAM is gone once the server is closed", async () => {
  const server = await startServer({ buildDir: BUILD_DIR });
  const pid = server.bridge.pid!;
  await server.close();
  await expect.poll(() => alive(pid), { timeout: 5_000 }).toBe(false);
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
