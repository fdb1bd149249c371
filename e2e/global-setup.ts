// Builds the page bundle once per `playwright test` run, before any worker starts a server.
import { buildPage } from "./build-page";

export default async function globalSetup(): Promise<void> {
  await buildPage();
}
