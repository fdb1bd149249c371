// kill -9 of the server process and a new one on the same port: server memory is gone.
import { Counter, open } from "./support/counter";
import { expect, NETWORK_NOISE, test } from "./support/fixtures";
import { spawnServer, type ServerProcess } from "./support/spawn";

test.use({ allowedConsoleErrors: NETWORK_NOISE });

async function killAndRestart(server: ServerProcess): Promise<ServerProcess> {
  await server.kill9();
  return spawnServer({ port: server.port });
}

test("browser mode: the counter survives kill -9 and a restart (signed token, fixed secret)", async ({ page }) => {
  let server = await spawnServer();
  try {
    await open(page, server, "/counter/browser");
    const counter = new Counter(page);
    await counter.increment(3);
    server = await killAndRestart(server);
    await expect(counter.status).toHaveText("recovered", { timeout: 15_000 });
    await expect(counter.value).toHaveText("3");
    await counter.increment(1, 3);
  } finally {
    await server.kill9();
  }
});

test("ets mode: a restart loses server memory, the view starts over instead of failing", async ({ page }) => {
  let server = await spawnServer();
  try {
    await open(page, server, "/counter/ets");
    const counter = new Counter(page);
    await counter.increment(3);
    server = await killAndRestart(server);
    await expect(counter.status).toHaveText("not_found", { timeout: 15_000 });
    await expect(counter.value).toHaveText("0");
    await counter.increment(1);
  } finally {
    await server.kill9();
  }
});
