// Once per `playwright test` run, before any worker starts a server: the page bundle, and the
// bridge's beams (every server starts a BEAM on them without compiling).
import { buildBridge } from "../liveview-server/bridge/build";
import { buildPage } from "./build-page";

export default async function globalSetup(): Promise<void> {
  buildBridge();
  await buildPage();
}
